// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IPoaVerifier} from "./IPoaVerifier.sol";
import {DatasetRegistry} from "./DatasetRegistry.sol";

/// @title AttributionSettlement
/// @notice Splits an epoch's revenue among the contributors of a model's
/// training data, as proven by a proof-of-attribution proof (SPEC v1).
///
/// Flow: `registerModel`; the trainer `commitEpoch`s Q and V before revenue;
/// anyone `deposit`s revenue; `settle` checks licenses, forms
/// `pool = revenue − developer share − Σ fees`, recomputes γ and h (SPEC §6)
/// with this chain and this contract, verifies the proof and records a
/// claims root; each dataset's current owner `claim`s `payout + fee` with a
/// Merkle path (pull payments: settle writes no per-contributor storage).
///
/// Dust rule: `pool − Σ payouts` (less than n units) goes to the trainer
/// with the developer share.
///
/// Claims tree: leaf `c < n` (slot order) is
/// `keccak256(abi.encodePacked(uint256 c, uint256 datasetId, uint256 payout + fee))`,
/// paid to the dataset's owner at claim time; leaf `n` is
/// `keccak256(abi.encodePacked(uint256 n, uint256 0, uint256 developerShare + dust))`,
/// paid to the trainer. Zero leaves pad it to a power of two; a node is
/// `keccak256(left ‖ right)`.
contract AttributionSettlement is ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant MAX_POOL = 1 << 96;

    struct Model {
        address trainer;
        uint16 developerShareBps;
        uint32 slots;
        IPoaVerifier verifier;
        IERC20 token; // address(0): ETH
    }

    struct Epoch {
        uint256 q;
        uint256 v;
        uint256 revenue;
        bytes32 claimsRoot;
        uint64 committedAt; // block number; 0 = not committed
        uint32 n;
        bool settled;
    }

    DatasetRegistry public immutable registry;
    uint256 public modelCount;
    mapping(uint256 => Model) public models;
    mapping(uint256 => mapping(uint256 => Epoch)) public epochs;
    /// model => epoch => word => claimed bits (slot c is bit c % 256 of word c / 256).
    mapping(uint256 => mapping(uint256 => mapping(uint256 => uint256))) private claimedBits;

    event ModelRegistered(uint256 indexed model, address indexed trainer, address verifier, uint32 slots, uint16 developerShareBps, address token);
    event EpochCommitted(uint256 indexed model, uint256 indexed epoch, uint256 q, uint256 v);
    event RevenueDeposited(uint256 indexed model, uint256 indexed epoch, address indexed from, uint256 amount);
    event EpochSettled(uint256 indexed model, uint256 indexed epoch, uint256 pool, uint256 fees, uint256 developerShare, uint256 dust, bytes32 claimsRoot);
    event Claimed(uint256 indexed model, uint256 indexed epoch, uint256 indexed datasetId, address owner, uint256 amount);

    error UnknownModel(uint256 model);
    error NotTrainer(uint256 model, address caller);
    error InvalidModel();
    error AlreadyCommitted(uint256 model, uint256 epoch);
    error NotCommitted(uint256 model, uint256 epoch);
    error AlreadySettled(uint256 model, uint256 epoch);
    error NotSettled(uint256 model, uint256 epoch);
    error NotAFieldElement(uint256 value);
    error WrongPayment(uint256 expected, uint256 received);
    error BadParticipants(uint256 n, uint256 payouts, uint256 slots);
    error PayoutTooLarge(uint256 slot, uint256 payout);
    error PoolNegative(uint256 revenue, uint256 developerShare, uint256 fees);
    error PoolTooLarge(uint256 pool);
    error InvalidProof();
    error PayoutsExceedPool(uint256 paid, uint256 pool);
    error AlreadyClaimed(uint256 model, uint256 epoch, uint256 slot);
    error InvalidClaim(uint256 model, uint256 epoch, uint256 slot);
    error TransferFailed(address to, uint256 amount);

    constructor(DatasetRegistry registry_) {
        registry = registry_;
    }

    /// Registers a model; the caller is its trainer and receives the
    /// developer share. `token` is the payment ERC20, or address(0) for ETH.
    function registerModel(IPoaVerifier verifier, uint32 slots, uint16 developerShareBps, IERC20 token)
        external
        returns (uint256 model)
    {
        if (address(verifier) == address(0) || slots == 0 || developerShareBps > BPS) revert InvalidModel();
        model = ++modelCount;
        models[model] = Model(msg.sender, developerShareBps, slots, verifier, token);
        emit ModelRegistered(model, msg.sender, address(verifier), slots, developerShareBps, address(token));
    }

    /// Publishes the update root Q and validation commitment V of an epoch,
    /// before its revenue is split. License terms are read as of this block.
    function commitEpoch(uint256 model, uint256 epoch, uint256 q, uint256 v) external {
        Model storage m = _model(model);
        if (msg.sender != m.trainer) revert NotTrainer(model, msg.sender);
        if (q >= R) revert NotAFieldElement(q);
        if (v >= R) revert NotAFieldElement(v);
        Epoch storage e = epochs[model][epoch];
        if (e.committedAt != 0) revert AlreadyCommitted(model, epoch);
        e.q = q;
        e.v = v;
        e.committedAt = uint64(block.number);
        emit EpochCommitted(model, epoch, q, v);
    }

    /// Adds revenue to a committed, unsettled epoch (anyone may pay).
    function deposit(uint256 model, uint256 epoch, uint256 amount) external payable nonReentrant {
        Model storage m = _model(model);
        Epoch storage e = epochs[model][epoch];
        if (e.committedAt == 0) revert NotCommitted(model, epoch);
        if (e.settled) revert AlreadySettled(model, epoch);
        if (address(m.token) == address(0)) {
            if (msg.value != amount) revert WrongPayment(amount, msg.value);
        } else {
            if (msg.value != 0) revert WrongPayment(0, msg.value);
            m.token.safeTransferFrom(msg.sender, address(this), amount);
        }
        e.revenue += amount;
        emit RevenueDeposited(model, epoch, msg.sender, amount);
    }

    /// Verifies the proof for the claimed datasets and payouts and records
    /// what each dataset's owner may claim.
    function settle(
        uint256 model,
        uint256 epoch,
        uint256[] calldata datasetIds,
        uint256[] calldata payouts,
        bytes calldata proof
    ) external nonReentrant {
        Model storage m = _model(model);
        Epoch storage e = epochs[model][epoch];
        if (e.committedAt == 0) revert NotCommitted(model, epoch);
        if (e.settled) revert AlreadySettled(model, epoch);
        uint256 n = datasetIds.length;
        if (n == 0 || n != payouts.length || n > m.slots) revert BadParticipants(n, payouts.length, m.slots);

        (uint256[] memory fees, uint256 totalFees, uint256 paid) = _terms(datasetIds, payouts, e.committedAt);
        uint256 developerShare = (e.revenue * m.developerShareBps) / BPS;
        if (e.revenue < developerShare + totalFees) revert PoolNegative(e.revenue, developerShare, totalFees);
        uint256 pool = e.revenue - developerShare - totalFees;
        if (pool >= MAX_POOL) revert PoolTooLarge(pool);
        if (paid > pool) revert PayoutsExceedPool(paid, pool);
        (uint256 gamma, uint256 h) = _compress(model, epoch, e.q, e.v, pool, datasetIds, payouts);
        if (!m.verifier.verifyProof(proof, [e.q, e.v, pool, gamma, h])) revert InvalidProof();

        uint256 dust = pool - paid;
        bytes32 root = _claimsRoot(datasetIds, payouts, fees, developerShare + dust);
        e.settled = true;
        e.claimsRoot = root;
        e.n = uint32(n);
        emit EpochSettled(model, epoch, pool, totalFees, developerShare, dust, root);
    }

    /// Pays slot `slot`'s `amount`: payout + fee to the dataset's current
    /// owner (`slot < n`), or developer share + dust to the trainer
    /// (`slot = n`, `datasetId = 0`).
    function claim(uint256 model, uint256 epoch, uint256 slot, uint256 datasetId, uint256 amount, bytes32[] calldata path)
        external
        nonReentrant
    {
        Model storage m = _model(model);
        Epoch storage e = epochs[model][epoch];
        if (!e.settled) revert NotSettled(model, epoch);
        if (slot > e.n) revert InvalidClaim(model, epoch, slot);
        uint256 bit = 1 << (slot % 256);
        uint256 word = claimedBits[model][epoch][slot / 256];
        if (word & bit != 0) revert AlreadyClaimed(model, epoch, slot);
        bytes32 node = keccak256(abi.encodePacked(slot, datasetId, amount));
        uint256 index = slot;
        for (uint256 i = 0; i < path.length; i++) {
            node = index & 1 == 0 ? keccak256(abi.encodePacked(node, path[i])) : keccak256(abi.encodePacked(path[i], node));
            index >>= 1;
        }
        if (node != e.claimsRoot || index != 0) revert InvalidClaim(model, epoch, slot);
        claimedBits[model][epoch][slot / 256] = word | bit;
        address to = slot == e.n ? m.trainer : registry.ownerOf(datasetId);
        emit Claimed(model, epoch, datasetId, to, amount);
        _pay(m.token, to, amount);
    }

    /// License check and fees as of the commit block (one registry call;
    /// it reverts with LicenseForbidsTraining or NotRegistered); the sum of
    /// payouts.
    function _terms(uint256[] calldata ids, uint256[] calldata payouts, uint64 committedAt)
        private
        view
        returns (uint256[] memory fees, uint256 totalFees, uint256 paid)
    {
        (fees, totalFees) = registry.feesAt(ids, committedAt);
        for (uint256 c = 0; c < ids.length; c++) {
            if (payouts[c] >= MAX_POOL) revert PayoutTooLarge(c, payouts[c]);
            paid += payouts[c];
        }
    }

    /// γ and h of SPEC §6, for this chain and this contract.
    function _compress(
        uint256 model,
        uint256 epoch,
        uint256 q,
        uint256 v,
        uint256 pool,
        uint256[] calldata ids,
        uint256[] calldata payouts
    ) private view returns (uint256 gamma, uint256 h) {
        gamma = uint256(
            keccak256(
                abi.encodePacked(
                    block.chainid, uint256(uint160(address(this))), model, epoch, q, v, pool, ids.length, ids, payouts
                )
            )
        ) % R;
        // Horner from the last slot: h = Σ D_c γ^(2c+1) + a_c γ^(2c+2).
        for (uint256 c = ids.length; c > 0; c--) {
            h = mulmod(addmod(h, payouts[c - 1], R), gamma, R);
            h = mulmod(addmod(h, ids[c - 1], R), gamma, R);
        }
    }

    function _pay(IERC20 token, address to, uint256 amount) private {
        if (amount == 0) return;
        if (address(token) == address(0)) {
            (bool ok,) = to.call{value: amount}("");
            if (!ok) revert TransferFailed(to, amount);
        } else {
            token.safeTransfer(to, amount);
        }
    }

    function _model(uint256 model) private view returns (Model storage m) {
        m = models[model];
        if (m.trainer == address(0)) revert UnknownModel(model);
    }

    function _claimsRoot(uint256[] calldata ids, uint256[] calldata payouts, uint256[] memory fees, uint256 trainer)
        private
        pure
        returns (bytes32)
    {
        uint256 n = ids.length;
        uint256 width = 1;
        while (width < n + 1) width <<= 1;
        bytes32[] memory level = new bytes32[](width);
        for (uint256 c = 0; c < n; c++) {
            level[c] = keccak256(abi.encodePacked(c, ids[c], payouts[c] + fees[c]));
        }
        level[n] = keccak256(abi.encodePacked(n, uint256(0), trainer));
        while (width > 1) {
            width >>= 1;
            for (uint256 i = 0; i < width; i++) {
                level[i] = keccak256(abi.encodePacked(level[2 * i], level[2 * i + 1]));
            }
        }
        return level[0];
    }
}
