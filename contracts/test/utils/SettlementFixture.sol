// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AttributionSettlement} from "../../src/AttributionSettlement.sol";
import {DatasetRegistry} from "../../src/DatasetRegistry.sol";
import {ExactVerifier} from "../mocks/ExactVerifier.sol";
import {Test} from "./Test.sol";
import {Poa} from "./Poa.sol";

/// Deployment and the off-chain steps of an epoch (registration, commit,
/// proof with the verifier double, claims) shared by the unit, fuzz and gas
/// tests.
abstract contract SettlementFixture is Test {
    /// Any window works; a short one keeps the tests' block numbers small.
    uint256 internal constant CHALLENGE_BLOCKS = 3;
    uint32 internal constant DURATION = 7 days;
    uint32 internal constant WINDOW = 3 days;
    /// Commitments of the epoch (any field elements: the double ignores them).
    uint256 internal constant Q = 0x1234;
    uint256 internal constant V = 0x5678;

    DatasetRegistry internal registry;
    AttributionSettlement internal settlement;
    ExactVerifier internal verifier;
    address internal trainer = makeAddr("trainer");
    address internal computeProvider = makeAddr("compute");

    /// One committed epoch, as the trainer knows it.
    struct Ep {
        uint256 model;
        uint256 epoch;
        uint256[] ids;
        uint256[] fees;
    }

    // Under via-IR the optimizer may treat `block.number` and
    // `block.timestamp` as constant within a call, so a test reads the
    // block with vm.getBlockNumber() / vm.getBlockTimestamp() after a roll
    // or a warp.

    function setUp() public virtual {
        registry = new DatasetRegistry(CHALLENGE_BLOCKS);
        settlement = new AttributionSettlement(registry);
        verifier = new ExactVerifier();
    }

    /// The registration commitment (DatasetRegistry's notice), computed
    /// here: an external view call would take the caller's prank.
    function _commitment(uint256 id, address registrant, bytes32 secret) internal pure returns (bytes32) {
        return keccak256(abi.encode(id, registrant, secret));
    }

    function _owner(uint256 c) internal pure returns (address) {
        return address(uint160(0x10000 + c));
    }

    function _id(uint256 seed, uint256 c) internal pure returns (uint256) {
        return 1 + uint256(keccak256(abi.encode("dataset", seed, c))) % (Poa.R - 1);
    }

    /// Registers `ids[c]` for `_owner(c)` (commit, reveal a block later) and
    /// passes the challenge window.
    function _registerAll(uint256[] memory ids, uint256[] memory fees) internal {
        for (uint256 c = 0; c < ids.length; c++) {
            vm.prank(_owner(c));
            registry.commitRegistration(_commitment(ids[c], _owner(c), bytes32(c)));
        }
        vm.roll(vm.getBlockNumber() + 1);
        for (uint256 c = 0; c < ids.length; c++) {
            vm.prank(_owner(c));
            registry.register(ids[c], true, uint128(fees[c]), bytes32(c));
        }
        vm.roll(vm.getBlockNumber() + CHALLENGE_BLOCKS + 1);
    }

    function _datasets(uint256 n, uint256 seed, uint256 maxFee) internal returns (uint256[] memory ids, uint256[] memory fees) {
        ids = new uint256[](n);
        fees = new uint256[](n);
        for (uint256 c = 0; c < n; c++) {
            ids[c] = _id(seed, c);
            fees[c] = maxFee == 0 ? 0 : uint256(keccak256(abi.encode("fee", seed, c))) % (maxFee + 1);
        }
        _registerAll(ids, fees);
    }

    function _model(uint32 slots, uint16 devBps, uint16 computeBps, address token) internal returns (uint256 model) {
        vm.prank(trainer);
        model = settlement.registerModel(verifier, slots, devBps, computeProvider, computeBps, IERC20(token), DURATION, WINDOW);
    }

    function _deposit(uint256 model, address from, uint256 amount) internal {
        vm.deal(from, from.balance + amount);
        vm.prank(from);
        settlement.deposit{value: amount}(model, amount);
    }

    function _commit(uint256 model, uint256[] memory ids, uint256[] memory fees) internal returns (Ep memory e) {
        e = Ep(model, _committed(model) + 1, ids, fees);
        vm.prank(trainer);
        settlement.commitEpoch(model, e.epoch, Q, V, ids, fees);
    }

    function _committed(uint256 model) internal view returns (uint256 epochs) {
        (,,,,,,,, epochs,,,) = settlement.models(model);
    }

    /// The trainer closes the epoch, once `MIN_OPEN` has passed since its
    /// commit (warping there when it has not).
    function _close(Ep memory e) internal {
        uint256 closable = _openedAt(e.model, e.epoch) + settlement.MIN_OPEN();
        if (vm.getBlockTimestamp() < closable) vm.warp(closable);
        vm.prank(trainer);
        settlement.close(e.model);
    }

    function _openedAt(uint256 model, uint256 epoch) internal view returns (uint256 openedAt) {
        (,, openedAt,,,,) = settlement.epochs(model, epoch);
    }

    function _pool(Ep memory e) internal view returns (bool ok, uint256 pool, uint256 dev, uint256 comp) {
        return settlement.poolOf(e.model, e.epoch);
    }

    /// Registers a "proof" of `payouts` for the pool with the double.
    function _prove(Ep memory e, uint256 pool, uint256[] memory payouts) internal {
        verifier.accept(Poa.inputs(address(settlement), e.model, e.epoch, Q, V, pool, e.ids, payouts));
    }

    function _settle(Ep memory e, uint256[] memory payouts) internal {
        settlement.settle(e.model, e.epoch, Q, V, e.ids, e.fees, payouts, "");
    }

    function _phase(uint256 model, uint256 epoch) internal view returns (AttributionSettlement.Phase phase) {
        (,,,,, phase,) = settlement.epochs(model, epoch);
    }

    function _revenue(uint256 model, uint256 epoch) internal view returns (uint256 revenue) {
        (revenue,,,,,,) = settlement.epochs(model, epoch);
    }

    /// The claims tree's bottom level for a settled epoch.
    function _tree(Ep memory e, uint256[] memory payouts, uint256 trainerAmount, uint256 computeAmount)
        internal
        pure
        returns (uint256[] memory amts, bytes32[] memory level)
    {
        amts = Poa.amounts(payouts, e.fees, trainerAmount, computeAmount);
        level = Poa.leaves(e.ids, amts);
    }

    function _claim(Ep memory e, bytes32[] memory level, uint256[] memory amts, uint256 leaf, address to) internal {
        uint256 n = e.ids.length;
        settlement.claim(e.model, e.epoch, leaf, leaf < n ? e.ids[leaf] : 0, amts[leaf], Poa.path(level, leaf), to);
    }
}
