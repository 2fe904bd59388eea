// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AttributionSettlement} from "../src/AttributionSettlement.sol";
import {DatasetRegistry} from "../src/DatasetRegistry.sol";
import {IPoaVerifier} from "../src/verifier/IPoaVerifier.sol";
import {FeeToken} from "./mocks/Tokens.sol";
import {SettlementFixture} from "./utils/SettlementFixture.sol";
import {Poa} from "./utils/Poa.sol";

/// Unit and fuzz tests of the settlement v2 lifecycle (issue 14) with the
/// verifier double: each positive test has a negative twin (`RevertWhen_`)
/// that names the custom error.
contract SettlementTest is SettlementFixture {
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");

    // ------------------------------------------------------------------
    // Registry: commit–reveal bound to the registrant

    function test_register_commitReveal() public {
        uint256 id = 42;
        vm.prank(alice);
        registry.commitRegistration(_commitment(id, alice, "s"));
        vm.roll(vm.getBlockNumber() + 1);
        vm.prank(alice);
        registry.register(id, true, 7, "s");
        assertEq(registry.ownerOf(id), alice);
        assertEq(registry.usableFrom(id), vm.getBlockNumber() + CHALLENGE_BLOCKS + 1);
    }

    function test_RevertWhen_revealInCommitBlock() public {
        vm.prank(alice);
        registry.commitRegistration(_commitment(42, alice, "s"));
        vm.expectRevert(abi.encodeWithSelector(DatasetRegistry.NoRegistrationCommitment.selector, 42, alice));
        vm.prank(alice);
        registry.register(42, true, 7, "s");
    }

    /// M-4: a copier of the reveal has no commitment of its own.
    function test_RevertWhen_copierReveals() public {
        vm.prank(alice);
        registry.commitRegistration(_commitment(42, alice, "s"));
        vm.roll(vm.getBlockNumber() + 1);
        vm.expectRevert(abi.encodeWithSelector(DatasetRegistry.NoRegistrationCommitment.selector, 42, bob));
        vm.prank(bob);
        registry.register(42, true, 7, "s");
    }

    /// An older commitment takes a registration over inside the window.
    function test_challenge_olderCommitmentWins() public {
        vm.prank(alice);
        registry.commitRegistration(_commitment(42, alice, "a"));
        vm.roll(vm.getBlockNumber() + 1);
        vm.prank(bob);
        registry.commitRegistration(_commitment(42, bob, "b"));
        vm.roll(vm.getBlockNumber() + 1);
        vm.prank(bob);
        registry.register(42, true, 7, "b");
        vm.prank(alice);
        registry.register(42, true, 7, "a");
        assertEq(registry.ownerOf(42), alice);
    }

    /// A copy of someone's commitment does not revert and keeps its first
    /// block: the copier cannot make the registrant's commitment younger.
    function testFuzz_commitRegistration_copyKeepsFirstBlock(address copier, uint256 later) public {
        later = bound(later, 0, 1000);
        bytes32 c = _commitment(42, alice, "s");
        uint256 first = vm.getBlockNumber();
        vm.prank(alice);
        registry.commitRegistration(c);
        vm.roll(first + later);
        vm.prank(copier);
        registry.commitRegistration(c);
        assertEq(registry.commitments(c), first);
        // Repeated by the registrant too: still the first block.
        vm.prank(alice);
        registry.commitRegistration(c);
        assertEq(registry.commitments(c), first);
        // The registrant's reveal works and keeps the older block against a challenger.
        vm.roll(vm.getBlockNumber() + 1);
        vm.prank(alice);
        registry.register(42, true, 7, "s");
        assertEq(registry.ownerOf(42), alice);
    }

    /// Twin: the copy binds the registrant, not the copier, who cannot reveal with it.
    function test_RevertWhen_copiedCommitmentRevealedByCopier() public {
        bytes32 c = _commitment(42, alice, "s");
        vm.prank(alice);
        registry.commitRegistration(c);
        vm.prank(bob);
        registry.commitRegistration(c);
        vm.roll(vm.getBlockNumber() + 1);
        vm.expectRevert(abi.encodeWithSelector(DatasetRegistry.NoRegistrationCommitment.selector, 42, bob));
        vm.prank(bob);
        registry.register(42, true, 7, "s");
    }

    /// No transfer during the challenge window (an older commitment could
    /// still take the dataset from the new owner), up to its last block.
    function testFuzz_RevertWhen_transferInChallengeWindow(uint256 inWindow) public {
        inWindow = bound(inWindow, 0, CHALLENGE_BLOCKS);
        vm.prank(alice);
        registry.commitRegistration(_commitment(42, alice, "s"));
        vm.roll(vm.getBlockNumber() + 1);
        vm.prank(alice);
        registry.register(42, true, 7, "s");
        uint256 usableFrom = vm.getBlockNumber() + CHALLENGE_BLOCKS + 1;
        assertEq(registry.usableFrom(42), usableFrom);
        vm.roll(vm.getBlockNumber() + inWindow);
        vm.expectRevert(abi.encodeWithSelector(DatasetRegistry.NotUsableYet.selector, 42, usableFrom));
        vm.prank(alice);
        registry.transferOwnership(42, bob);
        // Twin: from the first block after the window it goes through.
        vm.roll(usableFrom);
        vm.prank(alice);
        registry.transferOwnership(42, bob);
        assertEq(registry.ownerOf(42), bob);
    }

    function test_RevertWhen_challengeAfterWindow() public {
        vm.prank(alice);
        registry.commitRegistration(_commitment(42, alice, "a"));
        vm.roll(vm.getBlockNumber() + 1);
        vm.prank(bob);
        registry.commitRegistration(_commitment(42, bob, "b"));
        vm.roll(vm.getBlockNumber() + 1);
        vm.prank(bob);
        registry.register(42, true, 7, "b");
        vm.roll(vm.getBlockNumber() + CHALLENGE_BLOCKS + 1);
        vm.expectRevert(abi.encodeWithSelector(DatasetRegistry.AlreadyRegistered.selector, 42));
        vm.prank(alice);
        registry.register(42, true, 7, "a");
    }

    // ------------------------------------------------------------------
    // Models

    function testFuzz_registerModel(uint32 slots, uint16 devBps, uint16 computeBps, uint32 duration, uint32 window)
        public
    {
        slots = uint32(bound(slots, 1, 1 << 16));
        devBps = uint16(bound(devBps, 0, 10_000));
        computeBps = uint16(bound(computeBps, 0, 10_000 - devBps));
        duration = uint32(bound(duration, settlement.MIN_OPEN(), 365 days));
        window = uint32(bound(window, 1, 365 days));
        vm.prank(trainer);
        uint256 model =
            settlement.registerModel(verifier, slots, devBps, computeProvider, computeBps, IERC20(address(0)), duration, window);
        (address t, uint16 d, uint16 c, uint32 s,,,,,,,,) = settlement.models(model);
        assertEq(t, trainer);
        assertEq(d, devBps);
        assertEq(c, computeBps);
        assertEq(s, slots);
    }

    /// Each way a model can be invalid (one at a time).
    function testFuzz_RevertWhen_registerModelInvalid(uint256 which, uint256 x) public {
        which = bound(which, 0, 8);
        IPoaVerifier ver = verifier;
        uint32 slots = 4;
        uint16 devBps = 100;
        uint16 computeBps = 100;
        address cp = computeProvider;
        uint32 duration = DURATION;
        uint32 window = WINDOW;
        if (which == 0) ver = IPoaVerifier(makeAddr("no code"));
        else if (which == 1) slots = uint32(bound(x, 0, 0) + (x % 2 == 0 ? 0 : bound(x, (1 << 16) + 1, type(uint32).max)));
        else if (which == 2) (devBps, computeBps) = (uint16(bound(x, 0, 10_000)), uint16(10_001 - bound(x, 0, 10_000)));
        else if (which == 3) cp = address(0);
        else if (which == 4) cp = address(settlement);
        else if (which == 5) duration = uint32(x % 2 == 0 ? bound(x, 0, 1 hours - 1) : bound(x, 365 days + 1, type(uint32).max));
        else if (which == 6) window = x % 2 == 0 ? 0 : uint32(bound(x, 365 days + 1, type(uint32).max));
        else if (which == 7) (cp, computeBps) = (address(0), uint16(bound(x, 1, 9_900)));
        else ver = _delegated(address(uint160(x)));
        vm.expectRevert(AttributionSettlement.InvalidModel.selector);
        settlement.registerModel(ver, slots, devBps, cp, computeBps, IERC20(address(0)), duration, window);
    }

    /// An account with an EIP-7702 delegation to `target` (code
    /// 0xef0100 ‖ target, set with vm.etch).
    function _delegated(address target) internal returns (IPoaVerifier) {
        address eoa = makeAddr("7702 account");
        vm.etch(eoa, abi.encodePacked(hex"ef0100", target));
        return IPoaVerifier(eoa);
    }

    /// An EIP-7702 delegation is refused as a verifier (its owner can change
    /// what it runs), even to a real verifier; the twin: the verifier it
    /// delegates to, and a contract whose code starts 0xef but not 0xef01.
    function testFuzz_RevertWhen_verifierIsEip7702Delegation(uint32 duration) public {
        duration = uint32(bound(duration, 1 hours, 365 days));
        IPoaVerifier delegation = _delegated(address(verifier));
        assertEq(address(delegation).code.length, 23);
        vm.expectRevert(AttributionSettlement.InvalidModel.selector);
        vm.prank(trainer);
        settlement.registerModel(delegation, 4, 0, address(0), 0, IERC20(address(0)), duration, WINDOW);
        vm.prank(trainer);
        uint256 model = settlement.registerModel(verifier, 4, 0, address(0), 0, IERC20(address(0)), duration, WINDOW);
        assertEq(model, 1);
        address ef = makeAddr("0xef code");
        vm.etch(ef, hex"ef00");
        vm.prank(trainer);
        settlement.registerModel(IPoaVerifier(ef), 4, 0, address(0), 0, IERC20(address(0)), duration, WINDOW);
    }

    /// epochDuration ≥ MIN_OPEN: the boundary itself is valid, one second less is not.
    function test_RevertWhen_durationBelowMinOpen() public {
        uint32 minOpen = uint32(settlement.MIN_OPEN());
        assertEq(minOpen, 1 hours);
        vm.expectRevert(AttributionSettlement.InvalidModel.selector);
        settlement.registerModel(verifier, 4, 0, address(0), 0, IERC20(address(0)), minOpen - 1, WINDOW);
        settlement.registerModel(verifier, 4, 0, address(0), 0, IERC20(address(0)), minOpen, WINDOW);
    }

    // ------------------------------------------------------------------
    // Deposits

    function testFuzz_deposit(address from, uint256 amount) public {
        vm.assume(from != address(0) && from.code.length == 0);
        amount = bound(amount, 0, (1 << 96) - 1);
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, from, amount);
        assertEq(_revenue(model, 1), amount);
        assertEq(settlement.deposits(model, 1, from), amount);
        assertEq(address(settlement).balance, amount);
    }

    function testFuzz_RevertWhen_depositWrongValue(uint256 amount, uint256 value) public {
        amount = bound(amount, 0, 1e27);
        value = bound(value, 0, 1e27);
        if (value == amount) value = amount + 1;
        uint256 model = _model(4, 0, 0, address(0));
        vm.deal(alice, value);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.WrongPayment.selector, amount, value));
        vm.prank(alice);
        settlement.deposit{value: value}(model, amount);
    }

    /// Revenue stays below 2^96 (SPEC §2), summed over depositors.
    function testFuzz_RevertWhen_revenueCapReached(uint256 first) public {
        first = bound(first, 0, (1 << 96) - 1);
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, alice, first);
        uint256 second = (1 << 96) - first;
        vm.deal(bob, second);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.RevenueCapReached.selector, model, 1, 1 << 96));
        vm.prank(bob);
        settlement.deposit{value: second}(model, second);
    }

    function test_RevertWhen_unknownModel() public {
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.UnknownModel.selector, 7));
        settlement.deposit(7, 0);
    }

    /// M-5: a fee-on-transfer token is credited with what arrived.
    function testFuzz_deposit_feeOnTransferToken(uint256 feeBps, uint256 amount) public {
        feeBps = bound(feeBps, 0, 10_000);
        amount = bound(amount, 0, 1e27);
        FeeToken token = new FeeToken(feeBps);
        uint256 model = _model(4, 0, 0, address(token));
        token.mint(alice, amount);
        vm.startPrank(alice);
        token.approve(address(settlement), amount);
        settlement.deposit(model, amount);
        vm.stopPrank();
        uint256 received = amount - (amount * feeBps) / 10_000;
        assertEq(_revenue(model, 1), received);
        assertEq(settlement.deposits(model, 1, alice), received);
        assertEq(token.balanceOf(address(settlement)), received);
    }

    function testFuzz_RevertWhen_tokenDepositWithEth(uint256 value) public {
        value = bound(value, 1, 1e27);
        FeeToken token = new FeeToken(100);
        uint256 model = _model(4, 0, 0, address(token));
        vm.deal(alice, value);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.WrongPayment.selector, 0, value));
        vm.prank(alice);
        settlement.deposit{value: value}(model, 0);
    }

    /// Deposits to the pending epoch (none open) are withdrawn to `to`.
    function testFuzz_withdraw_pending(uint256 a, uint256 b) public {
        a = bound(a, 1, 1e27);
        b = bound(b, 0, 1e27);
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, alice, a);
        _deposit(model, bob, b);
        vm.prank(alice);
        settlement.withdraw(model, carol);
        assertEq(carol.balance, a);
        assertEq(_revenue(model, 1), b);
        assertEq(settlement.deposits(model, 1, alice), 0);
        assertEq(address(settlement).balance, b);
    }

    function test_RevertWhen_withdrawNothingDeposited() public {
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, alice, 100);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.NothingToRefund.selector, model, 1, bob));
        vm.prank(bob);
        settlement.withdraw(model, bob);
        // Nor twice.
        vm.prank(alice);
        settlement.withdraw(model, alice);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.NothingToRefund.selector, model, 1, alice));
        vm.prank(alice);
        settlement.withdraw(model, alice);
    }

    /// Deposits can be withdrawn until their epoch closes: a deposit made
    /// while pending, or while open, leaves the open epoch (its revenue and
    /// so its pool), at any time before the close; the close freezes what
    /// is left.
    function testFuzz_withdraw_openEpochThenClose(uint256 a, uint256 b, uint256 c, uint256 when, bool whileOpen) public {
        a = bound(a, 1, 1e27);
        b = bound(b, 0, 1e27);
        c = bound(c, 1, 1e27);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(2, 1, 0);
        uint256 model = _model(4, 1000, 500, address(0));
        _deposit(model, bob, b);
        if (!whileOpen) _deposit(model, alice, a);
        Ep memory e = _commit(model, ids, fees);
        if (whileOpen) _deposit(model, alice, a);
        _deposit(model, carol, c);
        assertEq(settlement.deposits(model, 1, alice), a);
        // Any time while open, even past the duration (no one closed it).
        skip(bound(when, 0, 2 * uint256(DURATION)));
        vm.prank(alice);
        settlement.withdraw(model, address(0));
        assertEq(alice.balance, a);
        assertEq(_revenue(model, 1), b + c);
        assertEq(address(settlement).balance, b + c);
        _close(e);
        (bool ok, uint256 pool, uint256 dev, uint256 comp) = _pool(e);
        assertTrue(ok);
        assertEq(dev, (b + c) * 1000 / 10_000);
        assertEq(comp, (b + c) * 500 / 10_000);
        assertEq(pool, b + c - dev - comp);
        // The rest settles on what is left.
        uint256[] memory payouts = new uint256[](2);
        payouts[0] = pool / 2;
        payouts[1] = pool - pool / 2;
        _prove(e, pool, payouts);
        _settle(e, payouts);
        assertEq(uint256(_phase(model, 1)), uint256(AttributionSettlement.Phase.Settled));
    }

    /// Twin: after the close a deposit is final. withdraw now looks at the
    /// pending epoch (2), where the depositor has nothing.
    function testFuzz_RevertWhen_withdrawAfterClose(uint256 a, uint256 late) public {
        a = bound(a, 1, 1e27);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(2, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, alice, a);
        Ep memory e = _commit(model, ids, fees);
        _close(e);
        skip(bound(late, 0, 365 days));
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.NothingToRefund.selector, model, 2, alice));
        vm.prank(alice);
        settlement.withdraw(model, alice);
        assertEq(_revenue(model, 1), a);
        assertEq(settlement.deposits(model, 1, alice), a);
    }

    /// A deposit to the next epoch after a close stays withdrawable, and
    /// only that one.
    function test_withdraw_afterCloseTakesOnlyThePendingDeposit() public {
        (uint256[] memory ids, uint256[] memory fees) = _datasets(2, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, alice, 100);
        Ep memory e = _commit(model, ids, fees);
        _close(e);
        _deposit(model, alice, 30);
        vm.prank(alice);
        settlement.withdraw(model, address(0));
        assertEq(alice.balance, 30);
        assertEq(_revenue(model, 1), 100);
        assertEq(_revenue(model, 2), 0);
    }

    // ------------------------------------------------------------------
    // commitEpoch: terms fixed at commit

    function test_commitEpoch_recordsFeesNotLaterTerms() public {
        (uint256[] memory ids, uint256[] memory fees) = _datasets(3, 1, 1000);
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, alice, 1e18);
        Ep memory e = _commit(model, ids, fees);
        // M-3: new terms after the commit change nothing for this epoch.
        vm.prank(_owner(0));
        registry.updateTerms(ids[0], false, type(uint128).max);
        _close(e);
        (bool ok, uint256 pool,,) = _pool(e);
        assertTrue(ok);
        assertEq(pool, 1e18 - fees[0] - fees[1] - fees[2]);
    }

    function test_RevertWhen_commitByOther() public {
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.NotTrainer.selector, model, alice));
        vm.prank(alice);
        settlement.commitEpoch(model, 1, Q, V, ids, fees);
    }

    function test_RevertWhen_commitWhileOpen() public {
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        _commit(model, ids, fees);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.EpochStillOpen.selector, model, 1));
        vm.prank(trainer);
        settlement.commitEpoch(model, 2, Q, V, ids, fees);
    }

    function testFuzz_RevertWhen_commitWrongEpoch(uint256 epoch) public {
        vm.assume(epoch != 1);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.WrongEpoch.selector, model, 1, epoch));
        vm.prank(trainer);
        settlement.commitEpoch(model, epoch, Q, V, ids, fees);
    }

    function testFuzz_RevertWhen_commitNotAFieldElement(uint256 x, bool isQ) public {
        x = bound(x, Poa.R, type(uint256).max);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.NotAFieldElement.selector, x));
        vm.prank(trainer);
        settlement.commitEpoch(model, 1, isQ ? x : Q, isQ ? V : x, ids, fees);
    }

    function testFuzz_RevertWhen_commitBadParticipants(uint256 n) public {
        // n = 0, or more than the model's 4 slots.
        n = n % 2 == 0 ? 0 : bound(n, 5, 8);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(n, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.BadParticipants.selector, n, 4));
        vm.prank(trainer);
        settlement.commitEpoch(model, 1, Q, V, ids, fees);
    }

    function test_RevertWhen_commitMaxFeesLengthDiffers() public {
        (uint256[] memory ids,) = _datasets(2, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.BadParticipants.selector, 2, 4));
        vm.prank(trainer);
        settlement.commitEpoch(model, 1, Q, V, ids, new uint256[](1));
    }

    function testFuzz_RevertWhen_commitDuplicate(uint256 n, uint256 i, uint256 j) public {
        n = bound(n, 2, 16);
        i = bound(i, 0, n - 1);
        j = bound(j, 0, n - 2);
        if (j >= i) j++;
        (uint256[] memory ids, uint256[] memory fees) = _datasets(n, 1, 0);
        ids[j] = ids[i];
        uint256 model = _model(16, 0, 0, address(0));
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.DuplicateDataset.selector, ids[i]));
        vm.prank(trainer);
        settlement.commitEpoch(model, 1, Q, V, ids, fees);
    }

    function testFuzz_RevertWhen_feeAboveMaximum(uint256 fee, uint256 maxFee) public {
        fee = bound(fee, 1, type(uint128).max);
        maxFee = bound(maxFee, 0, fee - 1);
        uint256[] memory ids = new uint256[](1);
        uint256[] memory fees = new uint256[](1);
        (ids[0], fees[0]) = (_id(1, 0), fee);
        _registerAll(ids, fees);
        uint256 model = _model(4, 0, 0, address(0));
        fees[0] = maxFee;
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.FeeAboveMaximum.selector, ids[0], fee, maxFee));
        vm.prank(trainer);
        settlement.commitEpoch(model, 1, Q, V, ids, fees);
    }

    /// M-2: unregistered, unusable or unlicensed datasets cannot enter an epoch.
    function test_RevertWhen_commitUnregistered() public {
        uint256 model = _model(4, 0, 0, address(0));
        uint256[] memory ids = new uint256[](1);
        ids[0] = 99;
        vm.expectRevert(abi.encodeWithSelector(DatasetRegistry.NotRegistered.selector, 99));
        vm.prank(trainer);
        settlement.commitEpoch(model, 1, Q, V, ids, new uint256[](1));
    }

    function test_RevertWhen_commitInChallengeWindow() public {
        uint256 model = _model(4, 0, 0, address(0));
        uint256[] memory ids = new uint256[](1);
        ids[0] = 99;
        vm.prank(alice);
        registry.commitRegistration(_commitment(99, alice, "s"));
        vm.roll(vm.getBlockNumber() + 1);
        vm.prank(alice);
        registry.register(99, true, 0, "s");
        vm.expectRevert(abi.encodeWithSelector(DatasetRegistry.NotUsableYet.selector, 99, vm.getBlockNumber() + CHALLENGE_BLOCKS + 1));
        vm.prank(trainer);
        settlement.commitEpoch(model, 1, Q, V, ids, new uint256[](1));
    }

    function test_RevertWhen_commitLicenseForbids() public {
        (uint256[] memory ids, uint256[] memory fees) = _datasets(2, 1, 0);
        vm.prank(_owner(1));
        registry.updateTerms(ids[1], false, 0);
        uint256 model = _model(4, 0, 0, address(0));
        vm.expectRevert(abi.encodeWithSelector(DatasetRegistry.LicenseForbidsTraining.selector, ids[1]));
        vm.prank(trainer);
        settlement.commitEpoch(model, 1, Q, V, ids, fees);
    }

    // ------------------------------------------------------------------
    // close

    function testFuzz_close_byAnyoneAfterDuration(address closer, uint256 late) public {
        vm.assume(closer != trainer);
        late = bound(late, 0, 365 days);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        Ep memory e = _commit(model, ids, fees);
        skip(DURATION + late);
        vm.prank(closer);
        settlement.close(model);
        assertEq(uint256(_phase(model, e.epoch)), uint256(AttributionSettlement.Phase.Closed));
    }

    function testFuzz_RevertWhen_closeTooEarlyByOther(address closer, uint256 early) public {
        vm.assume(closer != trainer);
        early = bound(early, 1, DURATION);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        _commit(model, ids, fees);
        uint256 closable = vm.getBlockTimestamp() + DURATION;
        skip(DURATION - early);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.TooEarlyToClose.selector, model, 1, closable));
        vm.prank(closer);
        settlement.close(model);
    }

    /// The trainer closes once MIN_OPEN has passed since the commit, long
    /// before the duration.
    function testFuzz_close_byTrainerAfterMinOpen(uint256 late) public {
        late = bound(late, 0, DURATION);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        _commit(model, ids, fees);
        skip(settlement.MIN_OPEN() + late);
        vm.prank(trainer);
        settlement.close(model);
        assertEq(uint256(_phase(model, 1)), uint256(AttributionSettlement.Phase.Closed));
    }

    /// Twin: the trainer cannot close before MIN_OPEN (depositors' time to
    /// see the committed datasets and fees and withdraw).
    function testFuzz_RevertWhen_trainerClosesBeforeMinOpen(uint256 early) public {
        early = bound(early, 1, settlement.MIN_OPEN());
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        _commit(model, ids, fees);
        uint256 closable = vm.getBlockTimestamp() + settlement.MIN_OPEN();
        skip(settlement.MIN_OPEN() - early);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.TooEarlyToClose.selector, model, 1, closable));
        vm.prank(trainer);
        settlement.close(model);
    }

    function test_RevertWhen_closeWithNothingOpen() public {
        uint256 model = _model(4, 0, 0, address(0));
        vm.expectRevert(
            abi.encodeWithSelector(AttributionSettlement.BadPhase.selector, model, 1, AttributionSettlement.Phase.Pending)
        );
        vm.prank(trainer);
        settlement.close(model);
    }

    /// Revenue below fees + shares: void at close, and each depositor gets
    /// back exactly what they deposited.
    function testFuzz_close_voidWhenRevenueBelowFees(uint256 fee, uint256 a, uint256 b) public {
        fee = bound(fee, 2, 1e27);
        a = bound(a, 1, fee - 1);
        b = bound(b, 0, fee - 1 - a);
        uint256[] memory ids = new uint256[](1);
        uint256[] memory fees = new uint256[](1);
        (ids[0], fees[0]) = (_id(1, 0), fee);
        _registerAll(ids, fees);
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, alice, a);
        _deposit(model, bob, b);
        Ep memory e = _commit(model, ids, fees);
        _close(e);
        assertEq(uint256(_phase(model, 1)), uint256(AttributionSettlement.Phase.Void));
        vm.prank(alice);
        settlement.refund(model, 1, carol);
        assertEq(carol.balance, a);
        if (b > 0) {
            vm.prank(bob);
            settlement.refund(model, 1, address(0));
        }
        assertEq(bob.balance, b);
        assertEq(address(settlement).balance, 0);
        // Its twin: nothing left for alice, nothing ever for carol.
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.NothingToRefund.selector, model, 1, alice));
        vm.prank(alice);
        settlement.refund(model, 1, alice);
    }

    /// Revenue that arrives after a close goes to the next epoch: the
    /// closed pool cannot move (H-1).
    function testFuzz_depositAfterClose_creditsNextEpoch(uint256 a, uint256 late) public {
        a = bound(a, 1, 1e27);
        late = bound(late, 1, 1e27);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, alice, a);
        Ep memory e = _commit(model, ids, fees);
        _close(e);
        (, uint256 pool,,) = _pool(e);
        _deposit(model, bob, late);
        assertEq(_revenue(model, 1), a);
        assertEq(_revenue(model, 2), late);
        (, uint256 after_,,) = _pool(e);
        assertEq(after_, pool);
        uint256[] memory payouts = new uint256[](1);
        payouts[0] = pool;
        _prove(e, pool, payouts);
        _settle(e, payouts);
        assertEq(uint256(_phase(model, 1)), uint256(AttributionSettlement.Phase.Settled));
    }

    /// The twin: a proof made for the pool plus the late deposit is refused.
    function testFuzz_RevertWhen_proofForMovedPool(uint256 a, uint256 late) public {
        a = bound(a, 1, 1e27);
        late = bound(late, 1, 1e27);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, alice, a);
        Ep memory e = _commit(model, ids, fees);
        _close(e);
        _deposit(model, bob, late);
        uint256[] memory payouts = new uint256[](1);
        payouts[0] = a + late;
        _prove(e, a + late, payouts);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.PayoutsExceedPool.selector, a + late, a));
        _settle(e, payouts);
        payouts[0] = a;
        vm.expectRevert(AttributionSettlement.InvalidProof.selector);
        _settle(e, payouts);
    }

    // ------------------------------------------------------------------
    // settle and claim

    struct Case {
        uint256 n;
        uint256 model;
        Ep e;
        address[3] depositors;
        uint256[3] deposited;
        uint256 revenue;
        bool ok;
        uint256 pool;
        uint256 dev;
        uint256 comp;
        uint256[] payouts;
        uint256 paid;
    }

    /// Registers n datasets with random fees, a model with random shares,
    /// random deposits (sometimes tiny, so that pool < n), commits and closes.
    function _case(uint256 nSeed, uint256 devBps, uint256 computeBps, uint256 seed, uint256 scale)
        internal
        returns (Case memory k)
    {
        return _case(nSeed, devBps, computeBps, seed, scale, false);
    }

    /// `funded`: each deposit at least half the scale, so that (with no
    /// shares) the epoch's revenue covers its fees and it closes with a pool.
    function _case(uint256 nSeed, uint256 devBps, uint256 computeBps, uint256 seed, uint256 scale, bool funded)
        internal
        returns (Case memory k)
    {
        k.n = bound(nSeed, 1, 16);
        devBps = bound(devBps, 0, 10_000);
        computeBps = bound(computeBps, 0, 10_000 - devBps);
        // Deposits up to 10^scale wei each, fees up to a hundredth of that.
        scale = 10 ** bound(scale, 0, 24);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(k.n, seed, scale / 100);
        k.model = _model(16, uint16(devBps), uint16(computeBps), address(0));
        k.depositors = [alice, bob, carol];
        for (uint256 i = 0; i < 3; i++) {
            k.deposited[i] = uint256(keccak256(abi.encode("deposit", seed, i))) % (scale + 1);
            if (funded && k.deposited[i] < scale / 2) k.deposited[i] += scale / 2;
            _deposit(k.model, k.depositors[i], k.deposited[i]);
            k.revenue += k.deposited[i];
        }
        k.e = _commit(k.model, ids, fees);
        _close(k.e);
        (k.ok, k.pool, k.dev, k.comp) = _pool(k.e);
    }

    /// Random non-negative scores below 2^64, about a quarter of them zero,
    /// and all zero when `seed % 8 == 0`.
    function _scores(uint256 n, uint256 seed) internal pure returns (uint256[] memory s) {
        s = new uint256[](n);
        if (seed % 8 == 0) return s;
        for (uint256 c = 0; c < n; c++) {
            uint256 x = uint256(keccak256(abi.encode("score", seed, c)));
            s[c] = x % 4 == 0 ? 0 : x >> 192;
        }
    }

    function _refundAll(Case memory k) internal {
        for (uint256 i = 0; i < 3; i++) {
            address d = k.depositors[i];
            uint256 before = d.balance;
            if (k.deposited[i] == 0) {
                vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.NothingToRefund.selector, k.model, 1, d));
            }
            vm.prank(d);
            settlement.refund(k.model, 1, address(0));
            assertEq(d.balance - before, k.deposited[i], "refund != deposit");
        }
    }

    /// The whole lifecycle: settle a proven split, then claim every leaf in
    /// random order, each paid to its beneficiary or to where it directs.
    /// Void epochs (at close, or S = 0 with pool ≥ n) refund exactly.
    function testFuzz_settleAndClaim(
        uint256 nSeed,
        uint256 devBps,
        uint256 computeBps,
        uint256 seed,
        uint256 scale,
        uint256 scoreSeed,
        uint256 claimSeed
    ) public {
        Case memory k = _case(nSeed, devBps, computeBps, seed, scale);
        if (!k.ok) {
            assertLt(k.revenue, k.dev + k.comp + _sum(k.e.fees), "void only below the takes");
            assertEq(uint256(_phase(k.model, 1)), uint256(AttributionSettlement.Phase.Void));
            _refundAll(k);
            assertEq(address(settlement).balance, 0);
            return;
        }
        (k.payouts, k.paid) = Poa.split(k.pool, _scores(k.n, scoreSeed));
        _prove(k.e, k.pool, k.payouts);
        _settle(k.e, k.payouts);
        if (k.paid == 0 && k.pool >= k.n) {
            // M-1: S = 0 voids the epoch instead of handing the pool to the trainer.
            assertEq(uint256(_phase(k.model, 1)), uint256(AttributionSettlement.Phase.Void));
            _refundAll(k);
            assertEq(address(settlement).balance, 0);
            return;
        }
        assertEq(uint256(_phase(k.model, 1)), uint256(AttributionSettlement.Phase.Settled));
        uint256 dust = k.pool - k.paid;
        assertLt(dust, k.n, "dust < n");
        (uint256[] memory amts, bytes32[] memory level) = _tree(k.e, k.payouts, k.dev + dust, k.comp);
        uint256 total = 0;
        // Claim leaves in a random order (a random rotation and stride).
        uint256 m = k.n + 2;
        uint256 start = claimSeed % m;
        for (uint256 j = 0; j < m; j++) {
            uint256 leaf = (start + j) % m;
            address beneficiary = leaf < k.n ? _owner(leaf) : leaf == k.n ? trainer : computeProvider;
            address to = uint256(keccak256(abi.encode(claimSeed, j))) % 2 == 0 ? address(0) : makeAddr("recipient");
            address paidTo = to == address(0) ? beneficiary : to;
            uint256 before = paidTo.balance;
            // The beneficiary directs; anyone may trigger a payment to it.
            vm.prank(to == address(0) ? alice : beneficiary);
            _claim(k.e, level, amts, leaf, to);
            assertEq(paidTo.balance - before, amts[leaf]);
            assertTrue(settlement.claimed(k.model, 1, leaf));
            total += amts[leaf];
        }
        assertEq(amts[k.n], k.dev + dust, "trainer: developer share + dust");
        assertEq(amts[k.n + 1], k.comp);
        assertEq(total, k.revenue, "every wei of the revenue paid");
        assertEq(address(settlement).balance, 0);
    }

    function _sum(uint256[] memory x) internal pure returns (uint256 s) {
        for (uint256 i = 0; i < x.length; i++) s += x[i];
    }

    /// Twin of the lifecycle: payouts that were not proven (one wei moved,
    /// or no proof at all) are refused.
    function testFuzz_RevertWhen_payoutsNotProven(uint256 nSeed, uint256 seed, uint256 scale, uint256 scoreSeed)
        public
    {
        Case memory k = _case(nSeed, 0, 0, seed, bound(scale, 3, 24), true);
        (k.payouts, k.paid) = Poa.split(k.pool, _scores(k.n, scoreSeed | 1));
        vm.expectRevert(AttributionSettlement.InvalidProof.selector);
        _settle(k.e, k.payouts);
        _prove(k.e, k.pool, k.payouts);
        // One wei less for slot 0 (or more, when it has none): still ≤ pool.
        if (k.payouts[0] > 0) k.payouts[0]--;
        else if (k.paid < k.pool) k.payouts[0]++;
        else return; // pool fully paid to others and slot 0 at zero: nothing to move within the pool
        vm.expectRevert(AttributionSettlement.InvalidProof.selector);
        _settle(k.e, k.payouts);
    }

    /// The contract itself bounds the trainer's take: a proof (the double
    /// accepts anything registered) of payouts that leave dust ≥ n is refused.
    function testFuzz_RevertWhen_dustTooLarge(uint256 nSeed, uint256 seed, uint256 extra) public {
        Case memory k = _case(nSeed, 0, 0, seed, 24, true);
        k.payouts = new uint256[](k.n);
        // Pay slot 0 all but `dust` ≥ n (and not everything: dust ≤ pool).
        uint256 dust = bound(extra, k.n, k.pool);
        k.payouts[0] = k.pool - dust;
        vm.assume(k.payouts[0] > 0); // else it is the S = 0 void case
        _prove(k.e, k.pool, k.payouts);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.DustTooLarge.selector, dust, k.n));
        _settle(k.e, k.payouts);
    }

    function testFuzz_RevertWhen_payoutsExceedPool(uint256 nSeed, uint256 seed, uint256 extra) public {
        Case memory k = _case(nSeed, 0, 0, seed, 24, true);
        k.payouts = new uint256[](k.n);
        k.payouts[k.n - 1] = k.pool + bound(extra, 1, (1 << 96) - 1 - k.pool);
        _prove(k.e, k.pool, k.payouts);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.PayoutsExceedPool.selector, k.payouts[k.n - 1], k.pool));
        _settle(k.e, k.payouts);
    }

    function testFuzz_RevertWhen_payoutTooLarge(uint256 seed, uint256 big) public {
        Case memory k = _case(2, 0, 0, seed, 24, true);
        k.payouts = new uint256[](2);
        k.payouts[1] = bound(big, 1 << 96, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.PayoutTooLarge.selector, 1, k.payouts[1]));
        _settle(k.e, k.payouts);
    }

    /// Ids, fees or their order other than committed are refused.
    function testFuzz_RevertWhen_commitmentMismatch(uint256 nSeed, uint256 seed, uint256 which) public {
        Case memory k = _case(bound(nSeed, 2, 16), 0, 0, seed, 24, true);
        (k.payouts,) = Poa.split(k.pool, _scores(k.n, 1));
        which = bound(which, 0, 3);
        if (which == 0) (k.e.ids[0], k.e.ids[1]) = (k.e.ids[1], k.e.ids[0]);
        else if (which == 1) k.e.fees[1]++;
        else if (which == 2) k.e.ids[0] = _id(seed ^ 1, 0); // another id (seed + 1 overflows at 2^256 - 1)
        else k.payouts = new uint256[](k.n - 1);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.CommitmentMismatch.selector, k.model, 1));
        _settle(k.e, k.payouts);
    }

    function test_RevertWhen_settleOpenOrTwice() public {
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, alice, 1000);
        Ep memory e = _commit(model, ids, fees);
        uint256[] memory payouts = new uint256[](1);
        payouts[0] = 1000;
        vm.expectRevert(
            abi.encodeWithSelector(AttributionSettlement.BadPhase.selector, model, 1, AttributionSettlement.Phase.Open)
        );
        _settle(e, payouts);
        _close(e);
        _prove(e, 1000, payouts);
        _settle(e, payouts);
        vm.expectRevert(
            abi.encodeWithSelector(AttributionSettlement.BadPhase.selector, model, 1, AttributionSettlement.Phase.Settled)
        );
        _settle(e, payouts);
    }

    /// Verifier pinned by code hash: new code at its address is refused.
    function test_RevertWhen_verifierCodeChanged() public {
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, alice, 1000);
        Ep memory e = _commit(model, ids, fees);
        _close(e);
        uint256[] memory payouts = new uint256[](1);
        payouts[0] = 1000;
        _prove(e, 1000, payouts);
        bytes32 pinned = address(verifier).codehash;
        bytes memory code = address(verifier).code;
        vm.etch(address(verifier), bytes.concat(code, hex"00"));
        vm.expectRevert(
            abi.encodeWithSelector(
                AttributionSettlement.VerifierChanged.selector, address(verifier), pinned, keccak256(bytes.concat(code, hex"00"))
            )
        );
        _settle(e, payouts);
        // Its twin: the pinned code back, the same call settles.
        vm.etch(address(verifier), code);
        _settle(e, payouts);
        assertEq(uint256(_phase(model, 1)), uint256(AttributionSettlement.Phase.Settled));
    }

    /// S = 0: void (refunds) when pool ≥ n; when pool < n the pool is dust
    /// below n and goes to the trainer like any other dust.
    function testFuzz_zeroScores(uint256 nSeed, uint256 revenue) public {
        uint256 n = bound(nSeed, 1, 16);
        revenue = bound(revenue, 0, 2 * n);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(n, 1, 0);
        uint256 model = _model(16, 0, 0, address(0));
        _deposit(model, alice, revenue);
        Ep memory e = _commit(model, ids, fees);
        _close(e);
        uint256[] memory payouts = new uint256[](n);
        _prove(e, revenue, payouts);
        _settle(e, payouts);
        if (revenue >= n) {
            assertEq(uint256(_phase(model, 1)), uint256(AttributionSettlement.Phase.Void));
            vm.prank(alice);
            settlement.refund(model, 1, address(0));
            assertEq(alice.balance, revenue);
            // Twin: a void epoch pays no claim.
            (uint256[] memory amts, bytes32[] memory level) = _tree(e, payouts, revenue, 0);
            vm.expectRevert(
                abi.encodeWithSelector(AttributionSettlement.BadPhase.selector, model, 1, AttributionSettlement.Phase.Void)
            );
            _claim(e, level, amts, n, address(0));
        } else {
            assertEq(uint256(_phase(model, 1)), uint256(AttributionSettlement.Phase.Settled));
            (uint256[] memory amts, bytes32[] memory level) = _tree(e, payouts, revenue, 0);
            _claim(e, level, amts, n, address(0));
            assertEq(trainer.balance, revenue);
            // Twin: a settled epoch refunds no one.
            vm.expectRevert(
                abi.encodeWithSelector(AttributionSettlement.BadPhase.selector, model, 1, AttributionSettlement.Phase.Settled)
            );
            vm.prank(alice);
            settlement.refund(model, 1, address(0));
        }
    }

    // ------------------------------------------------------------------
    // Claims: recipients, double claims, bad leaves

    function _settledOne(uint256 revenue) internal returns (Ep memory e, uint256[] memory amts, bytes32[] memory level) {
        (uint256[] memory ids, uint256[] memory fees) = _datasets(2, 1, 0);
        uint256 model = _model(4, 1000, 500, address(0));
        _deposit(model, alice, revenue);
        e = _commit(model, ids, fees);
        _close(e);
        (, uint256 pool, uint256 dev, uint256 comp) = _pool(e);
        uint256[] memory payouts = new uint256[](2);
        payouts[0] = pool / 3;
        payouts[1] = pool - pool / 3;
        _prove(e, pool, payouts);
        _settle(e, payouts);
        (amts, level) = _tree(e, payouts, dev, comp);
    }

    function testFuzz_claim_beneficiaryDirects(uint256 leaf, address to) public {
        // An address that can receive ETH (not a precompile, forge's console or a contract).
        vm.assume(
            uint160(to) > 0xffff && to != 0x000000000000000000636F6e736F6c652e6c6f67 && to != address(settlement)
                && to.code.length == 0
        );
        leaf = bound(leaf, 0, 3);
        (Ep memory e, uint256[] memory amts, bytes32[] memory level) = _settledOne(1e18);
        address beneficiary = leaf < 2 ? _owner(leaf) : leaf == 2 ? trainer : computeProvider;
        uint256 before = to.balance;
        vm.prank(beneficiary);
        _claim(e, level, amts, leaf, to);
        assertEq(to.balance - before, amts[leaf]);
    }

    function testFuzz_RevertWhen_otherDirectsClaim(uint256 leaf, address caller) public {
        leaf = bound(leaf, 0, 3);
        address beneficiary = leaf < 2 ? _owner(leaf) : leaf == 2 ? trainer : computeProvider;
        vm.assume(caller != beneficiary);
        (Ep memory e, uint256[] memory amts, bytes32[] memory level) = _settledOne(1e18);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.NotBeneficiary.selector, caller, beneficiary));
        vm.prank(caller);
        _claim(e, level, amts, leaf, bob);
    }

    function test_RevertWhen_claimedTwice() public {
        (Ep memory e, uint256[] memory amts, bytes32[] memory level) = _settledOne(1e18);
        _claim(e, level, amts, 0, address(0));
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.AlreadyClaimed.selector, e.model, 1, 0));
        _claim(e, level, amts, 0, address(0));
    }

    function testFuzz_RevertWhen_claimWrongAmountOrLeaf(uint256 leaf, uint256 delta) public {
        leaf = bound(leaf, 0, 3);
        delta = bound(delta, 1, 1e18);
        (Ep memory e, uint256[] memory amts, bytes32[] memory level) = _settledOne(1e18);
        amts[leaf] += delta;
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.InvalidClaim.selector, e.model, 1, leaf));
        _claim(e, level, amts, leaf, address(0));
        // A leaf past n + 1 (a padding leaf of the tree) is no claim.
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.InvalidClaim.selector, e.model, 1, 4));
        settlement.claim(e.model, 1, 4, 0, 0, Poa.path(level, 0), address(0));
    }

    function test_RevertWhen_claimToSettlement() public {
        (Ep memory e, uint256[] memory amts, bytes32[] memory level) = _settledOne(1e18);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.InvalidRecipient.selector, address(settlement)));
        vm.prank(_owner(0));
        _claim(e, level, amts, 0, address(settlement));
    }

    /// A dataset's unclaimed payouts follow its ownership.
    function test_transferOwnership_newOwnerPaid() public {
        (Ep memory e, uint256[] memory amts, bytes32[] memory level) = _settledOne(1e18);
        vm.prank(_owner(1));
        registry.transferOwnership(e.ids[1], carol);
        _claim(e, level, amts, 1, address(0));
        assertEq(carol.balance, amts[1]);
        assertEq(_owner(1).balance, 0);
    }

    function test_RevertWhen_formerOwnerDirectsClaim() public {
        (Ep memory e, uint256[] memory amts, bytes32[] memory level) = _settledOne(1e18);
        vm.prank(_owner(1));
        registry.transferOwnership(e.ids[1], carol);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.NotBeneficiary.selector, _owner(1), carol));
        vm.prank(_owner(1));
        _claim(e, level, amts, 1, _owner(1));
    }

    // ------------------------------------------------------------------
    // Expiry (M-2: a trainer who walks away)

    function testFuzz_expiredRefund(uint256 a, uint256 late) public {
        a = bound(a, 1, 1e27);
        late = bound(late, 1, 365 days);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, alice, a);
        Ep memory e = _commit(model, ids, fees);
        _close(e);
        skip(WINDOW + late);
        // Lazy expiry: still Closed until the first refund.
        assertEq(uint256(_phase(model, 1)), uint256(AttributionSettlement.Phase.Closed));
        vm.prank(alice);
        settlement.refund(model, 1, bob);
        assertEq(bob.balance, a);
        assertEq(uint256(_phase(model, 1)), uint256(AttributionSettlement.Phase.Void));
    }

    function testFuzz_RevertWhen_refundBeforeExpiry(uint256 early) public {
        early = bound(early, 0, WINDOW);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, alice, 1000);
        Ep memory e = _commit(model, ids, fees);
        _close(e);
        uint256 deadline = vm.getBlockTimestamp() + WINDOW;
        skip(WINDOW - early);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.NotExpired.selector, model, 1, deadline));
        vm.prank(alice);
        settlement.refund(model, 1, alice);
    }

    function testFuzz_RevertWhen_settleAfterWindow(uint256 late) public {
        late = bound(late, 1, 365 days);
        (uint256[] memory ids, uint256[] memory fees) = _datasets(1, 1, 0);
        uint256 model = _model(4, 0, 0, address(0));
        _deposit(model, alice, 1000);
        Ep memory e = _commit(model, ids, fees);
        _close(e);
        uint256 deadline = vm.getBlockTimestamp() + WINDOW;
        uint256[] memory payouts = new uint256[](1);
        payouts[0] = 1000;
        _prove(e, 1000, payouts);
        skip(WINDOW + late);
        vm.expectRevert(abi.encodeWithSelector(AttributionSettlement.SettleWindowPassed.selector, model, 1, deadline));
        _settle(e, payouts);
    }
}
