// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AttributionSettlement} from "../src/AttributionSettlement.sol";
import {DatasetRegistry} from "../src/DatasetRegistry.sol";
import {ExactVerifier} from "./mocks/ExactVerifier.sol";
import {FeeToken} from "./mocks/Tokens.sol";
import {SettlementHandler} from "./handlers/SettlementHandler.sol";
import {Test, console} from "./utils/Test.sol";

/// Stateful invariants of settlement v2 (issue 14): the handler registers
/// datasets (and tries a transfer in the challenge window), deposits (ETH and a
/// fee-on-transfer token), withdraws (from the pending or the open epoch), commits,
/// closes, settles, claims, lets time pass, refunds, changes terms and
/// transfers datasets, in random order. It expects every action to succeed
/// or to revert with the error the rules name, so any other revert fails the
/// run (fail-on-revert below).
/// forge-config: default.invariant.fail-on-revert = true
contract SettlementInvariants is Test {
    /// The end-of-the-world simulation (drainAll) is a few hundred calls:
    /// run it every this many handler calls and after every run.
    uint256 internal constant DRAIN_EVERY = 25;

    AttributionSettlement internal settlement;
    FeeToken internal token;
    SettlementHandler internal handler;

    function setUp() public {
        DatasetRegistry registry = new DatasetRegistry(2);
        settlement = new AttributionSettlement(registry);
        // 1% burnt on every transfer (M-5).
        token = new FeeToken(100);
        handler = new SettlementHandler(settlement, registry, new ExactVerifier(), token);
        targetContract(address(handler));
        // Weights (repeats): an epoch needs a commit, a close and a settle
        // before its claims, so those come more often than the rest.
        bytes4[24] memory weighted = [
            SettlementHandler.registerDataset.selector,
            SettlementHandler.updateTerms.selector,
            SettlementHandler.transferDataset.selector,
            SettlementHandler.withdraw.selector,
            SettlementHandler.withdraw.selector,
            SettlementHandler.warp.selector,
            SettlementHandler.deposit.selector,
            SettlementHandler.deposit.selector,
            SettlementHandler.deposit.selector,
            SettlementHandler.commitEpoch.selector,
            SettlementHandler.commitEpoch.selector,
            SettlementHandler.commitEpoch.selector,
            SettlementHandler.close.selector,
            SettlementHandler.close.selector,
            SettlementHandler.close.selector,
            SettlementHandler.settle.selector,
            SettlementHandler.settle.selector,
            SettlementHandler.settle.selector,
            SettlementHandler.claim.selector,
            SettlementHandler.claim.selector,
            SettlementHandler.claim.selector,
            SettlementHandler.claim.selector,
            SettlementHandler.refund.selector,
            SettlementHandler.refund.selector
        ];
        bytes4[] memory selectors = new bytes4[](weighted.length);
        for (uint256 i = 0; i < weighted.length; i++) selectors[i] = weighted[i];
        targetSelector(FuzzSelector(address(handler), selectors));
    }

    /// The contract's ETH and token balances equal, to the wei, unsettled
    /// revenue + unclaimed leaves of settled epochs + unrefunded deposits of
    /// void ones (no donations), and everything that came in either is still
    /// there or was paid out.
    function invariant_balanceEqualsLiabilities() public view {
        assertEq(address(settlement).balance, handler.liabilities(false), "ETH balance != liabilities");
        assertEq(token.balanceOf(address(settlement)), handler.liabilities(true), "token balance != liabilities");
        assertEq(handler.totalIn(false), handler.totalOut(false) + address(settlement).balance, "ETH in != out + held");
        assertEq(handler.totalIn(true), handler.totalOut(true) + token.balanceOf(address(settlement)), "token in != out + held");
        // And the contract's own revenue records agree with the ghost's.
        for (uint256 i = 0; i < 3; i++) {
            SettlementHandler.GM memory m = handler.modelAt(i);
            for (uint256 epoch = 1; epoch <= m.committed + 1; epoch++) {
                (uint256 revenue,,,,,,) = settlement.epochs(m.id, epoch);
                assertEq(revenue, handler.revenueOf(i, epoch), "revenue record");
            }
        }
    }

    /// Per settled epoch the trainer's leaf, and what was paid for it, is at
    /// most the developer share plus the dust, and the dust is below n.
    function invariant_trainerTakeBounded() public view {
        for (uint256 i = 0; i < 3; i++) {
            SettlementHandler.GM memory m = handler.modelAt(i);
            for (uint256 epoch = 1; epoch <= m.committed; epoch++) {
                if (handler.phaseOf(i, epoch) != AttributionSettlement.Phase.Settled) continue;
                (uint256 n, uint256 dev, uint256 dust, uint256 leaf, uint256 paid) = handler.trainerTake(i, epoch);
                assertLt(dust, n, "dust >= n");
                assertLe(leaf, dev + dust, "trainer leaf > developer share + dust");
                assertLe(paid, dev + dust, "trainer paid > developer share + dust");
            }
        }
    }

    /// Each leaf is paid at most once, never more than its amount, and the
    /// contract's claimed bit says whether it was.
    function invariant_noLeafPaidTwice() public view {
        for (uint256 i = 0; i < 3; i++) {
            SettlementHandler.GM memory m = handler.modelAt(i);
            for (uint256 epoch = 1; epoch <= m.committed; epoch++) {
                if (handler.phaseOf(i, epoch) != AttributionSettlement.Phase.Settled) continue;
                SettlementHandler.GE memory e = handler.epochOf(i, epoch);
                for (uint256 l = 0; l < e.amounts.length; l++) {
                    assertLe(e.payCount[l], 1, "leaf paid twice");
                    assertLe(e.paidOut[l], e.amounts[l], "leaf paid more than its amount");
                    assertEq(settlement.claimed(m.id, epoch, l), e.payCount[l] == 1, "claimed bit");
                }
            }
        }
    }

    /// Every closed epoch is settled, void, or closed with a finite settle
    /// deadline (so it settles or expires); and, simulated in a snapshot past
    /// every deadline, everything the contract holds is claimable or
    /// refundable by its rightful party: it ends empty. (Expiry is lazy: a
    /// closed epoch past its deadline stays Closed until the first refund.)
    function invariant_everyClosedEpochCanEnd() public {
        for (uint256 i = 0; i < 3; i++) {
            SettlementHandler.GM memory m = handler.modelAt(i);
            for (uint256 epoch = 1; epoch <= m.committed; epoch++) {
                (,,, uint40 closedAt,, AttributionSettlement.Phase phase,) = settlement.epochs(m.id, epoch);
                if (epoch == m.committed && m.open) {
                    assertEq(uint256(phase), uint256(AttributionSettlement.Phase.Open), "open epoch");
                    continue;
                }
                assertGt(uint256(phase), uint256(AttributionSettlement.Phase.Open), "committed epoch neither open nor closed");
                assertEq(uint256(phase), uint256(handler.phaseOf(i, epoch)), "phase");
                if (phase == AttributionSettlement.Phase.Closed) {
                    assertGt(closedAt, 0, "closed without a close time");
                    assertLe(m.window, 365 days, "settle window unbounded");
                }
            }
        }
        if (handler.calls() % DRAIN_EVERY == 0) _drain();
    }

    /// forge calls this after each run: the drain at the end of the run.
    function afterInvariant() public {
        _drain();
        console.log("settled", handler.nSettled());
        console.log("void at close", handler.nVoidAtClose());
        console.log("void at settle (S = 0)", handler.nVoidAtSettle());
        console.log("claims", handler.nClaims());
        console.log("refunds", handler.nRefunds());
        console.log("refunds of expired epochs", handler.nExpiredRefunds());
        console.log("withdrawals from open epochs", handler.nWithdrawOpen());
        console.log("withdrawals from pending epochs", handler.nWithdrawPending());
        console.log("trainer closes before MIN_OPEN (reverted)", handler.nEarlyTrainerClose());
    }

    function _drain() internal {
        uint256 snap = vm.snapshotState();
        handler.drainAll();
        vm.revertToState(snap);
    }
}
