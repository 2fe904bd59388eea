// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AttributionSettlement} from "../../src/AttributionSettlement.sol";
import {DatasetRegistry} from "../../src/DatasetRegistry.sol";
import {ExactVerifier} from "../mocks/ExactVerifier.sol";
import {FeeToken} from "../mocks/Tokens.sol";
import {Test, Vm} from "../utils/Test.sol";
import {Poa} from "../utils/Poa.sol";

/// The invariant suite's only target: every action of the settlement's
/// parties, with bounded random inputs, in any order, and ghost accounting
/// of what the contract owes. An action either succeeds as the rules say or
/// reverts as expected (vm.expectRevert); the suite runs with
/// fail_on_revert, so any other revert fails it.
contract SettlementHandler is Test {
    using Poa for uint256;

    uint256 internal constant BPS = 10_000;
    uint256 internal constant CHALLENGE_BLOCKS = 2;
    uint256 internal constant MAX_DATASETS = 24;
    /// Deposits up to 1 ether-sized unit; fees up to 10^15 (about n·fee ≈ a
    /// deposit at n = 16, so some epochs are void at close).
    uint256 internal constant MAX_DEPOSIT = 1e18;
    uint256 internal constant MAX_FEE = 1e15;

    struct GM {
        uint256 id;
        bool isToken;
        uint16 devBps;
        uint16 computeBps;
        address computeProvider;
        uint32 slots;
        uint32 duration;
        uint32 window;
        uint256 committed;
        bool open;
    }

    /// Ghost of one epoch, computed by the handler (not read from the contract).
    struct GE {
        uint256 revenue;
        AttributionSettlement.Phase phase;
        uint256 openedAt;
        uint256 closedAt;
        uint256[] ids;
        uint256[] fees;
        uint256 pool;
        uint256 dev;
        uint256 comp;
        uint256 dust;
        /// Leaf amounts as the contract announced them (EpochSettled).
        uint256[] amounts;
        /// What the contract paid out for each leaf, and how many times.
        uint256[] paidOut;
        uint256[] payCount;
    }

    AttributionSettlement public immutable settlement;
    DatasetRegistry public immutable registry;
    ExactVerifier public immutable verifier;
    FeeToken public immutable token;
    address public immutable trainer;
    address[4] public actors;

    GM[3] internal models;
    mapping(uint256 => mapping(uint256 => GE)) internal ge;
    /// model => epoch => depositor => credited and not refunded or withdrawn.
    mapping(uint256 => mapping(uint256 => mapping(address => uint256))) public dep;
    uint256[] public datasets;
    mapping(uint256 => address) public ownerOf;
    mapping(uint256 => bool) public allowed;
    mapping(uint256 => uint128) public feeOf;
    /// What each account was paid by the contract (claims, refunds, withdrawals).
    mapping(address => uint256) public received;
    /// Everything credited and everything paid out, per asset (false: ETH).
    mapping(bool => uint256) public totalIn;
    mapping(bool => uint256) public totalOut;
    uint256 public calls;
    /// How often each outcome happened (coverage; printed by the suite with -vv).
    uint256 public nSettled;
    uint256 public nVoidAtSettle;
    uint256 public nVoidAtClose;
    uint256 public nClaims;
    uint256 public nRefunds;
    uint256 public nExpiredRefunds;
    uint256 public nWithdrawPending;
    uint256 public nWithdrawOpen;
    uint256 public nEarlyTrainerClose;
    uint256 public nTransfersInWindow;
    mapping(bytes32 => uint256) public callsOf;

    constructor(AttributionSettlement s, DatasetRegistry r, ExactVerifier v, FeeToken t) {
        settlement = s;
        registry = r;
        verifier = v;
        token = t;
        trainer = makeAddr("trainer");
        actors = [makeAddr("a0"), makeAddr("a1"), makeAddr("a2"), makeAddr("a3")];
        // Three models: ETH with both shares; the fee-on-transfer token with
        // no compute provider; ETH with a large compute share and short periods.
        _addModel(0, false, 8, 1000, makeAddr("compute1"), 500, 7 days, 3 days);
        _addModel(1, true, 4, 2500, address(0), 0, 7 days, 3 days);
        _addModel(2, false, 16, 0, makeAddr("compute2"), 3000, 1 days, 1 days);
    }

    function _addModel(
        uint256 i,
        bool isToken,
        uint32 slots,
        uint16 devBps,
        address cp,
        uint16 computeBps,
        uint32 duration,
        uint32 window
    ) internal {
        vm.prank(trainer);
        uint256 id = settlement.registerModel(
            verifier, slots, devBps, cp, computeBps, IERC20(isToken ? address(token) : address(0)), duration, window
        );
        models[i] = GM(id, isToken, devBps, computeBps, cp, slots, duration, window, 0, false);
    }

    modifier counted(string memory name) {
        calls++;
        callsOf[keccak256(bytes(name))]++;
        _;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function _balance(GM storage m) internal view returns (uint256) {
        return m.isToken ? token.balanceOf(address(settlement)) : address(settlement).balance;
    }

    // ------------------------------------------------------------------
    // Registry

    function registerDataset(uint256 actorSeed, uint256 licenseSeed, uint256 fee) external counted("registerDataset") {
        if (datasets.length >= MAX_DATASETS) return;
        address owner = _actor(actorSeed);
        uint256 id = 1 + uint256(keccak256(abi.encode("handler dataset", datasets.length))) % (Poa.R - 1);
        bool ok = licenseSeed % 4 != 0;
        // Half the datasets are free, so that many epochs have a pool.
        fee = fee % 2 == 0 ? 0 : bound(fee, 0, MAX_FEE);
        bytes32 secret = bytes32(datasets.length);
        vm.prank(owner);
        registry.commitRegistration(keccak256(abi.encode(id, owner, secret)));
        vm.roll(vm.getBlockNumber() + 1);
        vm.prank(owner);
        registry.register(id, ok, uint128(fee), secret);
        // No transfer during the challenge window (up to its last block).
        uint256 usableFrom = vm.getBlockNumber() + CHALLENGE_BLOCKS + 1;
        address other = _actor(actorSeed ^ 1);
        vm.roll(vm.getBlockNumber() + bound(fee, 0, CHALLENGE_BLOCKS));
        vm.expectRevert(abi.encodeWithSelector(DatasetRegistry.NotUsableYet.selector, id, usableFrom));
        vm.prank(owner);
        registry.transferOwnership(id, other);
        nTransfersInWindow++;
        vm.roll(usableFrom);
        datasets.push(id);
        ownerOf[id] = owner;
        allowed[id] = ok;
        feeOf[id] = uint128(fee);
    }

    function updateTerms(uint256 dsSeed, uint256 licenseSeed, uint256 fee) external counted("updateTerms") {
        if (datasets.length == 0) return;
        uint256 id = datasets[dsSeed % datasets.length];
        bool ok = licenseSeed % 4 != 0;
        // Half the datasets are free, so that many epochs have a pool.
        fee = fee % 2 == 0 ? 0 : bound(fee, 0, MAX_FEE);
        vm.prank(ownerOf[id]);
        registry.updateTerms(id, ok, uint128(fee));
        allowed[id] = ok;
        feeOf[id] = uint128(fee);
    }

    function transferDataset(uint256 dsSeed, uint256 toSeed) external counted("transferDataset") {
        if (datasets.length == 0) return;
        uint256 id = datasets[dsSeed % datasets.length];
        address to = _actor(toSeed);
        vm.prank(ownerOf[id]);
        registry.transferOwnership(id, to);
        ownerOf[id] = to;
    }

    // ------------------------------------------------------------------
    // Revenue

    function deposit(uint256 modelSeed, uint256 actorSeed, uint256 amount) external counted("deposit") {
        GM storage m = models[modelSeed % 3];
        address from = _actor(actorSeed);
        amount = bound(amount, 0, MAX_DEPOSIT);
        uint256 before = _balance(m);
        uint256 epoch;
        if (m.isToken) {
            token.mint(from, amount);
            vm.startPrank(from);
            token.approve(address(settlement), amount);
            epoch = settlement.deposit(m.id, amount);
            vm.stopPrank();
        } else {
            vm.deal(from, from.balance + amount);
            vm.prank(from);
            epoch = settlement.deposit{value: amount}(m.id, amount);
        }
        assertEq(epoch, m.open ? m.committed : m.committed + 1, "deposit credited the wrong epoch");
        // Credited with what arrived (fee-on-transfer).
        uint256 got = _balance(m) - before;
        ge[m.id][epoch].revenue += got;
        dep[m.id][epoch][from] += got;
        totalIn[m.isToken] += got;
    }

    /// Withdraws the caller's deposits to the model's accruing epoch: the
    /// open one (deposits can be withdrawn until their epoch closes; the
    /// revenue, and so the pool computed at close, drops) or, when none is
    /// open, the pending one. Nothing there: NothingToRefund for that epoch.
    function withdraw(uint256 modelSeed, uint256 actorSeed, uint256 toSeed) external counted("withdraw") {
        GM storage m = models[modelSeed % 3];
        address from = _actor(actorSeed);
        address to = _actor(toSeed);
        uint256 epoch = m.open ? m.committed : m.committed + 1;
        uint256 amount = dep[m.id][epoch][from];
        uint256 before = _balance(m);
        if (amount == 0) {
            vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.NothingToRefund.selector, m.id, epoch, from));
        }
        vm.prank(from);
        settlement.withdraw(m.id, to);
        if (amount == 0) return;
        assertEq(before - _balance(m), amount, "withdrawal != deposit");
        assertEq(settlement.deposits(m.id, epoch, from), 0, "deposit left after withdrawal");
        dep[m.id][epoch][from] = 0;
        ge[m.id][epoch].revenue -= amount;
        received[to] += amount;
        totalOut[m.isToken] += amount;
        if (m.open) nWithdrawOpen++;
        else nWithdrawPending++;
    }

    // ------------------------------------------------------------------
    // Epochs

    /// Commits a random subset of the committable datasets in random order,
    /// with maximum fees at or above the current ones.
    function commitEpoch(uint256 modelSeed, uint256 subsetSeed, uint256 nSeed, uint256 slack)
        external
        counted("commitEpoch")
    {
        GM storage m = models[modelSeed % 3];
        if (m.open) return;
        uint256[] memory pool = new uint256[](datasets.length);
        uint256 k = 0;
        for (uint256 i = 0; i < datasets.length; i++) {
            if (allowed[datasets[i]]) pool[k++] = datasets[i];
        }
        if (k == 0) return;
        uint256 n = bound(nSeed, 1, k < m.slots ? k : m.slots);
        uint256[] memory ids = new uint256[](n);
        uint256[] memory fees = new uint256[](n);
        uint256[] memory maxFees = new uint256[](n);
        for (uint256 c = 0; c < n; c++) {
            // Partial Fisher–Yates over the committable ones.
            uint256 j = c + uint256(keccak256(abi.encode(subsetSeed, c))) % (k - c);
            (pool[c], pool[j]) = (pool[j], pool[c]);
            ids[c] = pool[c];
            fees[c] = feeOf[ids[c]];
            maxFees[c] = fees[c] + bound(uint256(keccak256(abi.encode(slack, c))), 0, 1) * MAX_FEE;
        }
        uint256 epoch = m.committed + 1;
        vm.prank(trainer);
        settlement.commitEpoch(m.id, epoch, uint256(keccak256(abi.encode("Q", epoch))) % Poa.R, epoch, ids, maxFees);
        GE storage e = ge[m.id][epoch];
        e.phase = AttributionSettlement.Phase.Open;
        e.openedAt = vm.getBlockTimestamp();
        e.ids = ids;
        e.fees = fees;
        m.committed = epoch;
        m.open = true;
    }

    /// Closes the open epoch: by anyone after a warp past its duration, or
    /// by the trainer, mostly after a warp past MIN_OPEN (if not already
    /// there) and otherwise at the current time, where a close before
    /// MIN_OPEN must revert with TooEarlyToClose.
    function close(uint256 modelSeed, uint256 actorSeed, bool byAnyone, uint256 late) external counted("close") {
        GM storage m = models[modelSeed % 3];
        if (!m.open) return;
        GE storage e = ge[m.id][m.committed];
        address caller = trainer;
        uint256 t = vm.getBlockTimestamp();
        if (byAnyone) {
            uint256 closable = e.openedAt + m.duration;
            vm.warp((t > closable ? t : closable) + bound(late, 0, 6 hours));
            caller = _actor(actorSeed);
        } else {
            uint256 closable = e.openedAt + settlement.MIN_OPEN();
            if (late % 4 != 0) {
                vm.warp((t > closable ? t : closable) + bound(late >> 2, 0, 1 hours));
            } else if (t < closable) {
                vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.TooEarlyToClose.selector, m.id, m.committed, closable));
                vm.prank(trainer);
                settlement.close(m.id);
                nEarlyTrainerClose++;
                return;
            }
        }
        vm.prank(caller);
        settlement.close(m.id);
        m.open = false;
        e.closedAt = vm.getBlockTimestamp();
        // The pool, computed here: revenue − developer share − compute share − fees.
        e.dev = (e.revenue * m.devBps) / BPS;
        e.comp = (e.revenue * m.computeBps) / BPS;
        uint256 taken = e.dev + e.comp + _sum(e.fees);
        if (e.revenue >= taken && e.revenue - taken < 1 << 96) {
            e.pool = e.revenue - taken;
            e.phase = AttributionSettlement.Phase.Closed;
        } else {
            e.phase = AttributionSettlement.Phase.Void;
            nVoidAtClose++;
        }
        assertEq(uint256(_phaseOf(m.id, m.committed)), uint256(e.phase), "phase at close");
    }

    /// Proves (with the double) the split of the frozen pool by random scores
    /// (some zero, sometimes all) and settles, from a random caller.
    function settle(uint256 modelSeed, uint256 epochSeed, uint256 scoreSeed, uint256 actorSeed)
        external
        counted("settle")
    {
        GM storage m = models[modelSeed % 3];
        (bool found, uint256 epoch) = _pick(m, epochSeed, 1);
        if (!found) return;
        GE storage e = ge[m.id][epoch];
        uint256 n = e.ids.length;
        uint256[] memory scores = new uint256[](n);
        if (scoreSeed % 8 != 0) {
            for (uint256 c = 0; c < n; c++) {
                uint256 x = uint256(keccak256(abi.encode(scoreSeed, c)));
                scores[c] = x % 4 == 0 ? 0 : x >> 192;
            }
        }
        (uint256[] memory payouts, uint256 paid) = Poa.split(e.pool, scores);
        uint256 q = uint256(keccak256(abi.encode("Q", epoch))) % Poa.R;
        verifier.accept(Poa.inputs(address(settlement), m.id, epoch, q, epoch, e.pool, e.ids, payouts));
        vm.recordLogs();
        vm.prank(_actor(actorSeed));
        settlement.settle(m.id, epoch, q, epoch, e.ids, e.fees, payouts, "");
        Vm.Log[] memory logs = vm.getRecordedLogs();
        if (paid == 0 && e.pool >= n) {
            e.phase = AttributionSettlement.Phase.Void;
            nVoidAtSettle++;
        } else {
            e.phase = AttributionSettlement.Phase.Settled;
            nSettled++;
            e.dust = e.pool - paid;
            // The trainer's and compute provider's leaves as the contract
            // announced them: the invariants bound them, the claims pay them.
            (uint256 developerShare, uint256 computeShare, uint256 dust) = _settledEvent(logs);
            e.amounts = Poa.amounts(payouts, e.fees, developerShare + dust, computeShare);
            e.paidOut = new uint256[](n + 2);
            e.payCount = new uint256[](n + 2);
        }
        assertEq(uint256(_phaseOf(m.id, epoch)), uint256(e.phase), "phase at settle");
    }

    function _settledEvent(Vm.Log[] memory logs) internal view returns (uint256 dev, uint256 comp, uint256 dust) {
        bytes32 topic = AttributionSettlement.EpochSettled.selector;
        for (uint256 i = 0; i < logs.length; i++) {
            if (logs[i].emitter == address(settlement) && logs[i].topics[0] == topic) {
                (,, dev, comp, dust,) = abi.decode(logs[i].data, (uint256, uint256, uint256, uint256, uint256, bytes32));
                return (dev, comp, dust);
            }
        }
        revert("no EpochSettled");
    }

    /// Claims a random leaf of a settled epoch: to its beneficiary (anyone
    /// may trigger that), or, directed by the beneficiary, to another
    /// account; a third party directing it, or a second claim, must revert.
    function claim(uint256 modelSeed, uint256 epochSeed, uint256 leaf, uint256 callerSeed, uint256 mode)
        external
        counted("claim")
    {
        GM storage m = models[modelSeed % 3];
        (bool found, uint256 epoch) = _pick(m, epochSeed, 2);
        if (!found) return;
        GE storage e = ge[m.id][epoch];
        uint256 n = e.ids.length;
        leaf = bound(leaf, 0, n + 1);
        address beneficiary = leaf < n ? ownerOf[e.ids[leaf]] : leaf == n ? trainer : m.computeProvider;
        address caller = _actor(callerSeed);
        address to = address(0);
        mode = beneficiary == address(0) ? 0 : mode % 3;
        if (mode == 1) caller = beneficiary;
        if (mode != 0) to = _actor(callerSeed >> 8);
        bool refused = mode == 2 && caller != beneficiary && to != beneficiary;
        uint256 before = _balance(m);
        bytes32[] memory path = Poa.path(Poa.leaves(e.ids, e.amounts), leaf);
        if (refused) {
            vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.NotBeneficiary.selector, caller, beneficiary));
        }
        vm.prank(caller);
        (bool ok, bytes memory err) = _tryClaim(m.id, epoch, leaf, leaf < n ? e.ids[leaf] : 0, e.amounts[leaf], path, to);
        if (refused) return;
        if (e.payCount[leaf] > 0) {
            // Already claimed: AlreadyClaimed, or counted as a second payment.
            if (!ok) {
                assertEq(err, abi.encodeWithSelector(AttributionSettlement.AlreadyClaimed.selector, m.id, epoch, leaf));
                return;
            }
        } else if (!ok) {
            assertTrue(false, "claim of an unclaimed leaf reverted");
        }
        uint256 out = before - _balance(m);
        e.payCount[leaf]++;
        nClaims++;
        e.paidOut[leaf] += out;
        received[to == address(0) ? beneficiary : to] += out;
        totalOut[m.isToken] += out;
    }

    function _tryClaim(
        uint256 model,
        uint256 epoch,
        uint256 leaf,
        uint256 id,
        uint256 amount,
        bytes32[] memory path,
        address to
    ) internal returns (bool ok, bytes memory err) {
        try settlement.claim(model, epoch, leaf, id, amount, path, to) {
            ok = true;
        } catch (bytes memory e) {
            err = e;
        }
    }

    /// Refund by a random depositor of a void epoch or of a closed one past
    /// its settle window (which the refund makes void).
    function refund(uint256 modelSeed, uint256 epochSeed, uint256 actorSeed, uint256 toSeed) external counted("refund") {
        GM storage m = models[modelSeed % 3];
        (bool found, uint256 epoch) = _pick(m, epochSeed, 3);
        if (!found) return;
        address from = _actor(actorSeed);
        address to = _actor(toSeed);
        uint256 amount = dep[m.id][epoch][from];
        uint256 before = _balance(m);
        if (amount == 0) {
            vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.NothingToRefund.selector, m.id, epoch, from));
        }
        vm.prank(from);
        settlement.refund(m.id, epoch, to);
        if (amount == 0) return;
        assertEq(before - _balance(m), amount, "refund != deposit");
        nRefunds++;
        if (ge[m.id][epoch].phase == AttributionSettlement.Phase.Closed) nExpiredRefunds++;
        ge[m.id][epoch].phase = AttributionSettlement.Phase.Void;
        dep[m.id][epoch][from] = 0;
        received[to] += amount;
        totalOut[m.isToken] += amount;
    }

    /// Time passes (up to a day: longer steps would expire most closed
    /// epochs before a settle is tried), which lets epochs become closable
    /// by anyone and settle windows pass.
    function warp(uint256 secs) external counted("warp") {
        vm.warp(vm.getBlockTimestamp() + bound(secs, 0, 1 days));
        vm.roll(vm.getBlockNumber() + 1);
    }

    // ------------------------------------------------------------------
    // Epoch selection

    /// A random epoch of `m` of kind 1 (closed, settle window open),
    /// 2 (settled) or 3 (refundable: void, or closed past its window).
    function _pick(GM storage m, uint256 seed, uint256 kind) internal view returns (bool, uint256) {
        uint256 count = m.committed;
        if (count == 0) return (false, 0);
        uint256 start = seed % count;
        for (uint256 i = 0; i < count; i++) {
            uint256 epoch = 1 + (start + i) % count;
            GE storage e = ge[m.id][epoch];
            bool expired = vm.getBlockTimestamp() > e.closedAt + m.window;
            if (kind == 1 && e.phase == AttributionSettlement.Phase.Closed && !expired) return (true, epoch);
            if (kind == 2 && e.phase == AttributionSettlement.Phase.Settled) return (true, epoch);
            if (
                kind == 3
                    && (e.phase == AttributionSettlement.Phase.Void || (e.phase == AttributionSettlement.Phase.Closed && expired))
            ) return (true, epoch);
        }
        return (false, 0);
    }

    function _phaseOf(uint256 model, uint256 epoch) internal view returns (AttributionSettlement.Phase phase) {
        (,,,,, phase,) = settlement.epochs(model, epoch);
    }

    function _sum(uint256[] memory x) internal pure returns (uint256 s) {
        for (uint256 i = 0; i < x.length; i++) s += x[i];
    }

    // ------------------------------------------------------------------
    // Views for the invariants (not targets)

    /// What the contract owes in ETH (token = false) or in the token: the
    /// revenue of pending, open and closed epochs, the unclaimed leaves of
    /// settled ones and the unrefunded deposits of void ones.
    function liabilities(bool inToken) external view returns (uint256 total) {
        for (uint256 i = 0; i < 3; i++) {
            GM storage m = models[i];
            if (m.isToken != inToken) continue;
            for (uint256 epoch = 1; epoch <= m.committed + 1; epoch++) {
                GE storage e = ge[m.id][epoch];
                if (e.phase == AttributionSettlement.Phase.Settled) {
                    for (uint256 l = 0; l < e.amounts.length; l++) {
                        if (e.payCount[l] == 0) total += e.amounts[l];
                    }
                } else if (e.phase == AttributionSettlement.Phase.Void) {
                    for (uint256 a = 0; a < actors.length; a++) total += dep[m.id][epoch][actors[a]];
                } else {
                    total += e.revenue;
                }
            }
        }
    }

    function modelCount() external pure returns (uint256) {
        return 3;
    }

    function modelAt(uint256 i) external view returns (GM memory) {
        return models[i];
    }

    function phaseOf(uint256 i, uint256 epoch) external view returns (AttributionSettlement.Phase) {
        return ge[models[i].id][epoch].phase;
    }

    function revenueOf(uint256 i, uint256 epoch) external view returns (uint256) {
        return ge[models[i].id][epoch].revenue;
    }

    /// What invariant_trainerTakeBounded reads of a settled epoch.
    function trainerTake(uint256 i, uint256 epoch)
        external
        view
        returns (uint256 n, uint256 dev, uint256 dust, uint256 leaf, uint256 paid)
    {
        GE storage e = ge[models[i].id][epoch];
        n = e.ids.length;
        return (n, e.dev, e.dust, e.amounts[n], e.paidOut[n]);
    }

    function epochOf(uint256 i, uint256 epoch) external view returns (GE memory) {
        return ge[models[i].id][epoch];
    }

    // ------------------------------------------------------------------
    // End of the world (called by the invariant test inside a snapshot)

    /// Closes what is open, lets every deadline pass, then pays out
    /// everything as the rightful parties: withdrawals of pending deposits,
    /// refunds of void and expired epochs, every unclaimed leaf. Asserts
    /// each payment is what the ghost says and that the contract ends empty.
    function drainAll() external {
        for (uint256 i = 0; i < 3; i++) {
            GM storage m = models[i];
            if (m.open) this.close(i, 0, true, 0);
        }
        // Past every close deadline and settle window (periods ≤ 7 days here).
        vm.warp(vm.getBlockTimestamp() + 8 days);
        for (uint256 i = 0; i < 3; i++) {
            GM storage m = models[i];
            for (uint256 epoch = 1; epoch <= m.committed + 1; epoch++) {
                GE storage e = ge[m.id][epoch];
                if (e.phase == AttributionSettlement.Phase.Settled) {
                    for (uint256 l = 0; l < e.amounts.length; l++) {
                        if (e.payCount[l] > 0) continue;
                        uint256 before = _balance(m);
                        uint256 n = e.ids.length;
                        settlement.claim(
                            m.id, epoch, l, l < n ? e.ids[l] : 0, e.amounts[l], Poa.path(Poa.leaves(e.ids, e.amounts), l), address(0)
                        );
                        assertEq(before - _balance(m), e.amounts[l], "drain: claim");
                    }
                } else {
                    for (uint256 a = 0; a < actors.length; a++) {
                        uint256 amount = dep[m.id][epoch][actors[a]];
                        if (amount == 0) continue;
                        uint256 before = _balance(m);
                        vm.prank(actors[a]);
                        if (epoch == m.committed + 1) settlement.withdraw(m.id, address(0));
                        else settlement.refund(m.id, epoch, address(0));
                        assertEq(before - _balance(m), amount, "drain: refund");
                    }
                }
            }
        }
        assertEq(address(settlement).balance, 0, "drain: ETH left");
        assertEq(token.balanceOf(address(settlement)), 0, "drain: token left");
    }
}
