// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IPoaVerifier} from "./verifier/IPoaVerifier.sol";
import {DatasetRegistry} from "./DatasetRegistry.sol";

/// @title AttributionSettlement (v2)
/// @notice Splits an epoch's revenue among the contributors of a model's
/// training data, the model's developer and its compute provider, as proven
/// by a proof-of-attribution proof (SPEC v1).
///
/// Epoch lifecycle (one model; `e` is the model's next epoch number):
///
///     Pending ──commitEpoch──▶ Open ──close──▶ Closed ──settle──▶ Settled ──claim each leaf once
///        │                      │                │  │
///        └── withdraw ──────────┘                │  └─ settle, Σ payouts = 0 and pool ≥ n (S = 0) ─┐
///          (deposits, until close)               │                                                 ▼
///     revenue < fees + shares at close ──────────┴─ settle window passed (expired) ──▶ Void: refunds
///
/// - Revenue is deposited to the model, not to an epoch: it accrues to the
///   open epoch, or, when none is open, to the next (pending) epoch. A
///   closed epoch's revenue can never change, so the pool a proof binds
///   cannot move between proving and settling.
/// - The trainer closes an epoch once `MIN_OPEN` has passed since its
///   commit; anyone may close it once `epochDuration` has. A closed epoch
///   not settled within `settleWindow` seconds expires.
/// - A void epoch (expired, pool out of range at close, or no positive score
///   so that no contributor would be paid) refunds each depositor exactly
///   what they deposited: no fee and no developer or compute share is taken.
/// - Deposits can be withdrawn until their epoch closes: revenue is final
///   at close, and depositors have `MIN_OPEN` to see an epoch's committed
///   datasets and fees (a pending deposit's terms are chosen after it).
/// - An epoch's revenue stays below 2^96 (deposits beyond it revert), so
///   its pool is always in the statement's range.
///
/// Token accounting: a deposit is credited with the balance the contract
/// actually received (fee-on-transfer tokens work). Rebasing tokens, whose
/// balances change without transfers, are not supported.
///
/// Claims tree of a settled epoch with n contributors: leaf `i` is
/// `keccak256(abi.encodePacked(uint256 i, uint256 datasetId, uint256 amount))`:
/// - `i < n`: slot i's dataset, amount `payout_i + fee_i`, paid to the
///   dataset's current owner (or where the owner directs);
/// - `i = n`: dataset 0, developer share + dust (`pool − Σ payouts < n`), to the trainer;
/// - `i = n + 1`: dataset 0, the compute share, to the compute provider.
/// Zero leaves pad it to a power of two; a node is `keccak256(left ‖ right)`.
contract AttributionSettlement is ReentrancyGuard {
    using SafeERC20 for IERC20;

    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant BPS = 10_000;
    /// SPEC §2: pool < 2^96.
    uint256 internal constant MAX_POOL = 1 << 96;
    /// SPEC §1: N ≤ 2^16.
    uint256 internal constant MAX_SLOTS = 1 << 16;
    /// Bound on `epochDuration` and `settleWindow`: no deposit is held longer
    /// than twice this by a trainer who walks away.
    uint256 internal constant MAX_PERIOD = 365 days;
    /// How long an epoch stays open at least: the time depositors have to see
    /// its committed datasets and fees and withdraw.
    uint256 public constant MIN_OPEN = 1 hours;

    enum Phase {
        Pending,
        Open,
        Closed,
        Settled,
        Void
    }

    struct Model {
        // slot 0
        address trainer;
        uint16 developerShareBps;
        uint16 computeShareBps;
        uint32 slots;
        // slot 1
        IPoaVerifier verifier;
        uint32 epochDuration;
        uint32 settleWindow;
        // slot 2
        address computeProvider;
        /// Number of committed epochs; epoch `epochs + 1` is the pending one.
        uint64 epochs;
        bool open;
        // slot 3
        bytes32 verifierCodeHash;
        // slot 4
        IERC20 token; // address(0): ETH
    }

    struct Epoch {
        // slot 0: written by deposits only, frozen at close.
        uint256 revenue;
        // slot 1: keccak256(Q ‖ V ‖ ids ‖ fees) until settled, then the claims root.
        bytes32 root;
        // slot 2
        uint40 openedAt;
        uint40 closedAt;
        uint32 n;
        Phase phase;
        uint128 totalFees;
    }

    DatasetRegistry public immutable registry;
    uint256 public modelCount;
    mapping(uint256 => Model) public models;
    mapping(uint256 => mapping(uint256 => Epoch)) public epochs;
    /// model => epoch => depositor => amount credited (refunds and withdrawals).
    mapping(uint256 => mapping(uint256 => mapping(address => uint256))) public deposits;
    /// model => epoch => word => claimed bits (leaf i is bit i % 256 of word i / 256).
    mapping(uint256 => mapping(uint256 => mapping(uint256 => uint256))) private claimedBits;

    event ModelRegistered(
        uint256 indexed model,
        address indexed trainer,
        address verifier,
        bytes32 verifierCodeHash,
        uint32 slots,
        uint16 developerShareBps,
        address computeProvider,
        uint16 computeShareBps,
        address token,
        uint32 epochDuration,
        uint32 settleWindow
    );
    event EpochCommitted(uint256 indexed model, uint256 indexed epoch, uint256 q, uint256 v, uint256[] datasetIds, uint256[] fees);
    event RevenueDeposited(uint256 indexed model, uint256 indexed epoch, address indexed from, uint256 amount);
    event DepositWithdrawn(uint256 indexed model, uint256 indexed epoch, address indexed depositor, address to, uint256 amount);
    event EpochClosed(uint256 indexed model, uint256 indexed epoch, uint256 revenue, uint256 pool);
    event EpochVoided(uint256 indexed model, uint256 indexed epoch);
    event EpochSettled(
        uint256 indexed model,
        uint256 indexed epoch,
        uint256 pool,
        uint256 fees,
        uint256 developerShare,
        uint256 computeShare,
        uint256 dust,
        bytes32 claimsRoot
    );
    event Claimed(uint256 indexed model, uint256 indexed epoch, uint256 indexed leaf, uint256 datasetId, address to, uint256 amount);
    event Refunded(uint256 indexed model, uint256 indexed epoch, address indexed depositor, address to, uint256 amount);

    error UnknownModel(uint256 model);
    error NotTrainer(uint256 model, address caller);
    error InvalidModel();
    error VerifierChanged(address verifier, bytes32 expected, bytes32 actual);
    error WrongEpoch(uint256 model, uint256 expected, uint256 given);
    error EpochStillOpen(uint256 model, uint256 epoch);
    error BadPhase(uint256 model, uint256 epoch, Phase phase);
    error TooEarlyToClose(uint256 model, uint256 epoch, uint256 closableAt);
    error SettleWindowPassed(uint256 model, uint256 epoch, uint256 deadline);
    error NotExpired(uint256 model, uint256 epoch, uint256 expiresAfter);
    error NotAFieldElement(uint256 value);
    error WrongPayment(uint256 expected, uint256 received);
    error RevenueCapReached(uint256 model, uint256 epoch, uint256 revenue);
    error InvalidRecipient(address to);
    error BadParticipants(uint256 n, uint256 slots);
    error DuplicateDataset(uint256 id);
    error FeeAboveMaximum(uint256 datasetId, uint256 fee, uint256 maximum);
    error CommitmentMismatch(uint256 model, uint256 epoch);
    error PayoutTooLarge(uint256 slot, uint256 payout);
    error InvalidProof();
    error PayoutsExceedPool(uint256 paid, uint256 pool);
    error DustTooLarge(uint256 dust, uint256 n);
    error AlreadyClaimed(uint256 model, uint256 epoch, uint256 leaf);
    error InvalidClaim(uint256 model, uint256 epoch, uint256 leaf);
    error NotBeneficiary(address caller, address beneficiary);
    error NothingToRefund(uint256 model, uint256 epoch, address depositor);
    error TransferFailed(address to, uint256 amount);

    constructor(DatasetRegistry registry_) {
        registry = registry_;
    }

    // ------------------------------------------------------------------
    // Models

    /// Registers a model; the caller is its trainer and receives the
    /// developer share. `token` is the payment ERC20, or address(0) for ETH.
    /// The verifier's code hash is recorded: `settle` refuses if it changes.
    function registerModel(
        IPoaVerifier verifier,
        uint32 slots,
        uint16 developerShareBps,
        address computeProvider,
        uint16 computeShareBps,
        IERC20 token,
        uint32 epochDuration,
        uint32 settleWindow
    ) external returns (uint256 model) {
        bytes memory code = address(verifier).code;
        // 0xef01…: an EIP-7702 delegation, whose behaviour its owner can change.
        if (
            code.length == 0 || (code.length >= 2 && code[0] == 0xef && code[1] == 0x01) || slots == 0
                || slots > MAX_SLOTS
                || uint256(developerShareBps) + computeShareBps > BPS
                || (computeProvider == address(0) && computeShareBps != 0) || computeProvider == address(this)
                || epochDuration < MIN_OPEN
                || epochDuration > MAX_PERIOD || settleWindow == 0 || settleWindow > MAX_PERIOD
        ) revert InvalidModel();
        bytes32 codeHash = address(verifier).codehash;
        model = ++modelCount;
        Model storage m = models[model];
        m.trainer = msg.sender;
        m.developerShareBps = developerShareBps;
        m.computeShareBps = computeShareBps;
        m.slots = slots;
        m.verifier = verifier;
        m.epochDuration = epochDuration;
        m.settleWindow = settleWindow;
        m.computeProvider = computeProvider;
        m.verifierCodeHash = codeHash;
        m.token = token;
        emit ModelRegistered(
            model,
            msg.sender,
            address(verifier),
            codeHash,
            slots,
            developerShareBps,
            computeProvider,
            computeShareBps,
            address(token),
            epochDuration,
            settleWindow
        );
    }

    // ------------------------------------------------------------------
    // Revenue

    /// Adds revenue to the model: to its open epoch, or to its pending one
    /// when none is open. Returns the epoch credited.
    function deposit(uint256 model, uint256 amount) external payable nonReentrant returns (uint256 epoch) {
        Model storage m = _model(model);
        uint256 received;
        if (address(m.token) == address(0)) {
            if (msg.value != amount) revert WrongPayment(amount, msg.value);
            received = amount;
        } else {
            if (msg.value != 0) revert WrongPayment(0, msg.value);
            uint256 before = m.token.balanceOf(address(this));
            m.token.safeTransferFrom(msg.sender, address(this), amount);
            received = m.token.balanceOf(address(this)) - before;
        }
        // After the transfer: a token's hook cannot credit a closed epoch.
        epoch = m.open ? m.epochs : m.epochs + 1;
        uint256 revenue = epochs[model][epoch].revenue + received;
        // pool ≤ revenue < 2^96: no deposit can push a pool out of the
        // statement's range (which would void the epoch) or overflow a share.
        if (revenue >= MAX_POOL) revert RevenueCapReached(model, epoch, revenue);
        epochs[model][epoch].revenue = revenue;
        deposits[model][epoch][msg.sender] += received;
        emit RevenueDeposited(model, epoch, msg.sender, received);
    }

    /// Takes back the caller's deposits to the model's accruing epoch (the
    /// open one, or the pending one when none is open), paid to `to` (or the
    /// caller when zero). Revenue is final only at close: a depositor sees
    /// the committed datasets and fees for at least `MIN_OPEN` before the
    /// trainer can close, and may leave.
    function withdraw(uint256 model, address to) external nonReentrant {
        Model storage m = _model(model);
        uint256 epoch = m.open ? m.epochs : m.epochs + 1;
        uint256 amount = deposits[model][epoch][msg.sender];
        if (amount == 0) revert NothingToRefund(model, epoch, msg.sender);
        deposits[model][epoch][msg.sender] = 0;
        epochs[model][epoch].revenue -= amount;
        to = to == address(0) ? msg.sender : to;
        emit DepositWithdrawn(model, epoch, msg.sender, to, amount);
        _pay(m.token, to, amount);
    }

    // ------------------------------------------------------------------
    // Epochs

    /// Opens the model's next epoch with the update root Q, the validation
    /// commitment V and the epoch's datasets in slot order. Their terms are
    /// read now (each registered, out of its challenge window, licensed for
    /// training) and their fees recorded; each fee must not exceed the
    /// trainer's `maxFees` for that slot.
    function commitEpoch(
        uint256 model,
        uint256 epoch,
        uint256 q,
        uint256 v,
        uint256[] calldata datasetIds,
        uint256[] calldata maxFees
    ) external {
        Model storage m = _model(model);
        if (msg.sender != m.trainer) revert NotTrainer(model, msg.sender);
        if (m.open) revert EpochStillOpen(model, m.epochs);
        if (epoch != uint256(m.epochs) + 1) revert WrongEpoch(model, uint256(m.epochs) + 1, epoch);
        if (q >= R) revert NotAFieldElement(q);
        if (v >= R) revert NotAFieldElement(v);
        uint256 n = datasetIds.length;
        if (n == 0 || n > m.slots || maxFees.length != n) revert BadParticipants(n, m.slots);
        _requireDistinct(datasetIds);
        (uint256[] memory fees, uint256 total) = registry.feesNow(datasetIds);
        for (uint256 c = 0; c < n; c++) {
            if (fees[c] > maxFees[c]) revert FeeAboveMaximum(datasetIds[c], fees[c], maxFees[c]);
        }
        // n ≤ 2^16 fees below 2^128 each: the sum fits 144 bits; the packed
        // field holds 128, and a total that large leaves no pool anyway.
        if (total >= 1 << 128) revert FeeAboveMaximum(0, total, 1 << 128);

        Epoch storage e = epochs[model][epoch];
        e.root = keccak256(abi.encodePacked(q, v, datasetIds, fees));
        e.openedAt = uint40(block.timestamp);
        e.n = uint32(n);
        e.phase = Phase.Open;
        e.totalFees = uint128(total);
        m.epochs = uint64(epoch);
        m.open = true;
        emit EpochCommitted(model, epoch, q, v, datasetIds, fees);
    }

    /// Closes the open epoch, freezing its revenue and so its pool. The
    /// trainer may close once `MIN_OPEN` has passed since the commit, anyone
    /// once `epochDuration` has.
    /// An epoch whose pool would be negative or ≥ 2^96 is void at once.
    function close(uint256 model) external nonReentrant {
        Model storage m = _model(model);
        uint256 epoch = m.epochs;
        if (!m.open) revert BadPhase(model, epoch + 1, Phase.Pending);
        Epoch storage e = epochs[model][epoch];
        uint256 closable = uint256(e.openedAt) + (msg.sender == m.trainer ? MIN_OPEN : m.epochDuration);
        if (block.timestamp < closable) revert TooEarlyToClose(model, epoch, closable);
        m.open = false;
        e.closedAt = uint40(block.timestamp);
        (bool ok, uint256 pool,,) = _pool(m, e);
        if (ok) {
            e.phase = Phase.Closed;
            emit EpochClosed(model, epoch, e.revenue, pool);
        } else {
            e.phase = Phase.Void;
            emit EpochClosed(model, epoch, e.revenue, 0);
            emit EpochVoided(model, epoch);
        }
    }

    /// Verifies the proof for the committed datasets and the claimed
    /// payouts against the frozen pool and records what each party may
    /// claim. Anyone may submit it. When every payout is 0 and the pool is
    /// at least n (no positive score), the epoch is void instead:
    /// depositors are refunded and no one else is paid.
    function settle(
        uint256 model,
        uint256 epoch,
        uint256 q,
        uint256 v,
        uint256[] calldata datasetIds,
        uint256[] calldata fees,
        uint256[] calldata payouts,
        bytes calldata proof
    ) external nonReentrant {
        Model storage m = _model(model);
        Epoch storage e = epochs[model][epoch];
        if (e.phase != Phase.Closed) revert BadPhase(model, epoch, e.phase);
        uint256 deadline = uint256(e.closedAt) + m.settleWindow;
        if (block.timestamp > deadline) revert SettleWindowPassed(model, epoch, deadline);
        uint256 n = e.n;
        if (datasetIds.length != n || fees.length != n || payouts.length != n) {
            revert CommitmentMismatch(model, epoch);
        }
        if (keccak256(abi.encodePacked(q, v, datasetIds, fees)) != e.root) revert CommitmentMismatch(model, epoch);

        (, uint256 pool, uint256 developerShare, uint256 computeShare) = _pool(m, e);
        uint256 paid = 0;
        for (uint256 c = 0; c < n; c++) {
            if (payouts[c] >= MAX_POOL) revert PayoutTooLarge(c, payouts[c]);
            paid += payouts[c];
        }
        if (paid > pool) revert PayoutsExceedPool(paid, pool);
        (uint256 gamma, uint256 h) = _compress(model, epoch, q, v, pool, datasetIds, payouts);
        IPoaVerifier verifier = m.verifier;
        bytes32 codeHash = address(verifier).codehash;
        if (codeHash != m.verifierCodeHash) revert VerifierChanged(address(verifier), m.verifierCodeHash, codeHash);
        if (!verifier.verifyProof(proof, [q, v, pool, gamma, h])) revert InvalidProof();

        if (paid == 0 && pool >= n) {
            // S = 0 for certain (with S > 0 some payout is positive once
            // pool ≥ n): the pool must not go to the party who chose v. A
            // pool below n paying no one is dust like any other (< n).
            e.phase = Phase.Void;
            emit EpochVoided(model, epoch);
            return;
        }
        uint256 dust = pool - paid;
        if (dust >= n) revert DustTooLarge(dust, n);
        bytes32 root = _claimsRoot(datasetIds, fees, payouts, developerShare + dust, computeShare);
        e.phase = Phase.Settled;
        e.root = root;
        emit EpochSettled(model, epoch, pool, e.totalFees, developerShare, computeShare, dust, root);
    }

    /// Pays leaf `leaf` of a settled epoch's claims tree (see the contract's
    /// notice) to `to`; `to = 0` pays the beneficiary (the dataset's current
    /// owner, the trainer, or the compute provider), and only the
    /// beneficiary may name another recipient.
    function claim(
        uint256 model,
        uint256 epoch,
        uint256 leaf,
        uint256 datasetId,
        uint256 amount,
        bytes32[] calldata path,
        address to
    ) external nonReentrant {
        Model storage m = _model(model);
        Epoch storage e = epochs[model][epoch];
        if (e.phase != Phase.Settled) revert BadPhase(model, epoch, e.phase);
        uint256 n = e.n;
        if (leaf > n + 1) revert InvalidClaim(model, epoch, leaf);
        uint256 bit = 1 << (leaf % 256);
        uint256 word = claimedBits[model][epoch][leaf / 256];
        if (word & bit != 0) revert AlreadyClaimed(model, epoch, leaf);
        bytes32 node = keccak256(abi.encodePacked(leaf, datasetId, amount));
        uint256 index = leaf;
        for (uint256 i = 0; i < path.length; i++) {
            node = index & 1 == 0 ? keccak256(abi.encodePacked(node, path[i])) : keccak256(abi.encodePacked(path[i], node));
            index >>= 1;
        }
        if (node != e.root || index != 0) revert InvalidClaim(model, epoch, leaf);
        claimedBits[model][epoch][leaf / 256] = word | bit;
        address beneficiary = leaf < n ? registry.ownerOf(datasetId) : leaf == n ? m.trainer : m.computeProvider;
        if (to == address(0)) {
            to = beneficiary;
        } else if (to != beneficiary && msg.sender != beneficiary) {
            revert NotBeneficiary(msg.sender, beneficiary);
        }
        emit Claimed(model, epoch, leaf, datasetId, to, amount);
        _pay(m.token, to, amount);
    }

    /// Refunds the caller's deposit to a void epoch, or to a closed one whose
    /// settle window has passed (which this makes void), paid to `to` (or
    /// the caller when zero).
    function refund(uint256 model, uint256 epoch, address to) external nonReentrant {
        Model storage m = _model(model);
        Epoch storage e = epochs[model][epoch];
        if (e.phase == Phase.Closed) {
            uint256 deadline = uint256(e.closedAt) + m.settleWindow;
            if (block.timestamp <= deadline) revert NotExpired(model, epoch, deadline);
            e.phase = Phase.Void;
            emit EpochVoided(model, epoch);
        } else if (e.phase != Phase.Void) {
            revert BadPhase(model, epoch, e.phase);
        }
        uint256 amount = deposits[model][epoch][msg.sender];
        if (amount == 0) revert NothingToRefund(model, epoch, msg.sender);
        deposits[model][epoch][msg.sender] = 0;
        to = to == address(0) ? msg.sender : to;
        emit Refunded(model, epoch, msg.sender, to, amount);
        _pay(m.token, to, amount);
    }

    /// Whether leaf `leaf` of a settled epoch has been claimed.
    function claimed(uint256 model, uint256 epoch, uint256 leaf) external view returns (bool) {
        return claimedBits[model][epoch][leaf / 256] & (1 << (leaf % 256)) != 0;
    }

    /// The pool an epoch's proof must bind, and the shares taken before it
    /// (meaningful once the epoch is closed; `ok` is false when the revenue
    /// cannot cover the fees and shares or the pool is ≥ 2^96).
    function poolOf(uint256 model, uint256 epoch)
        external
        view
        returns (bool ok, uint256 pool, uint256 developerShare, uint256 computeShare)
    {
        return _pool(_model(model), epochs[model][epoch]);
    }

    // ------------------------------------------------------------------
    // Internal

    function _pool(Model storage m, Epoch storage e)
        private
        view
        returns (bool ok, uint256 pool, uint256 developerShare, uint256 computeShare)
    {
        uint256 revenue = e.revenue;
        developerShare = (revenue * m.developerShareBps) / BPS;
        computeShare = (revenue * m.computeShareBps) / BPS;
        uint256 taken = developerShare + computeShare + e.totalFees;
        if (revenue < taken) return (false, 0, developerShare, computeShare);
        pool = revenue - taken;
        ok = pool < MAX_POOL;
    }

    /// Reverts with `DuplicateDataset` if an id repeats: an open-addressing
    /// table in memory, twice the ids' count rounded up to a power of two
    /// (ids are non-zero; zero marks an empty cell).
    function _requireDistinct(uint256[] calldata ids) private view {
        uint256 size = 2;
        while (size < 2 * ids.length) size <<= 1;
        uint256[] memory table = new uint256[](size);
        uint256 mask = size - 1;
        // Ids are chosen by contributors: the previous block's hash keeps
        // them from grinding ids that collide in the table.
        bytes32 salt = blockhash(block.number - 1);
        for (uint256 c = 0; c < ids.length; c++) {
            uint256 id = ids[c];
            uint256 i = uint256(keccak256(abi.encode(id, salt))) & mask;
            while (true) {
                uint256 cell = table[i];
                if (cell == 0) {
                    table[i] = id;
                    break;
                }
                if (cell == id) revert DuplicateDataset(id);
                i = (i + 1) & mask;
            }
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
        // Paid to itself, a token amount would be marked paid and stay here.
        if (to == address(this)) revert InvalidRecipient(to);
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

    function _claimsRoot(
        uint256[] calldata ids,
        uint256[] calldata fees,
        uint256[] calldata payouts,
        uint256 trainer,
        uint256 compute
    ) private pure returns (bytes32) {
        uint256 n = ids.length;
        uint256 width = 1;
        while (width < n + 2) width <<= 1;
        bytes32[] memory level = new bytes32[](width);
        for (uint256 c = 0; c < n; c++) {
            level[c] = keccak256(abi.encodePacked(c, ids[c], payouts[c] + fees[c]));
        }
        level[n] = keccak256(abi.encodePacked(n, uint256(0), trainer));
        level[n + 1] = keccak256(abi.encodePacked(n + 1, uint256(0), compute));
        while (width > 1) {
            width >>= 1;
            for (uint256 i = 0; i < width; i++) {
                level[i] = keccak256(abi.encodePacked(level[2 * i], level[2 * i + 1]));
            }
        }
        return level[0];
    }
}
