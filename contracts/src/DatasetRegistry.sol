// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title DatasetRegistry
/// @notice Contributors register the commitment to their dataset (SPEC §7:
/// H_3(R, record_count, salt)) with license terms.
///
/// Registration is a commit–reveal bound to the registrant, so that a copier
/// of a pending transaction gains nothing:
/// 1. `commitRegistration(keccak256(abi.encode(id, registrant, secret)))`;
/// 2. at least one block later, the registrant calls `register(id, …, secret)`.
/// A copy of step 1 commits to the original registrant's address; a copy of
/// step 2 fails without a commitment of its own in an earlier block. Someone
/// who sees the reveal and commits then is later than the original
/// commitment: for `challengeBlocks` after a registration, a reveal whose
/// commitment is strictly older takes the dataset over, and only after that
/// window is the dataset `usable` by a settlement.
///
/// Terms apply to epochs committed after they change: the settlement reads
/// them once, at `commitEpoch`, and records the fees it will pay (no history
/// is kept and none is scanned at settlement).
contract DatasetRegistry {
    /// BN254 scalar field modulus: a commitment is a field element.
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    struct Dataset {
        // slot 0: who is paid.
        address owner;
        /// Block of the registrant's commitment (earliest wins a challenge).
        uint40 committedAt;
        // slot 1: all a settlement reads at commit (one cold read per dataset).
        /// Fixed fee per settled epoch, in the model's payment token.
        uint128 feePerEpoch;
        bool trainingAllowed;
        /// Last block of the challenge window (non-zero once registered);
        /// usable from the next one.
        uint40 challengeEnds;
        /// Registration time (provenance).
        uint64 registeredAt;
    }

    /// Blocks during which an older commitment can take a registration over.
    uint256 public immutable challengeBlocks;
    mapping(uint256 => Dataset) private datasets;
    /// Registration commitment => block it was made in.
    mapping(bytes32 => uint256) public commitments;

    event RegistrationCommitted(bytes32 indexed commitment, address indexed from);
    event DatasetRegistered(uint256 indexed id, address indexed owner, bool trainingAllowed, uint128 feePerEpoch, uint64 timestamp);
    event RegistrationChallenged(uint256 indexed id, address indexed previousOwner, address indexed newOwner);
    event TermsUpdated(uint256 indexed id, bool trainingAllowed, uint128 feePerEpoch);
    event DatasetOwnershipTransferred(uint256 indexed id, address indexed previousOwner, address indexed newOwner);

    error InvalidCommitment(uint256 id);
    error NoRegistrationCommitment(uint256 id, address registrant);
    error AlreadyRegistered(uint256 id);
    error NotRegistered(uint256 id);
    error NotUsableYet(uint256 id, uint256 usableFrom);
    error NotDatasetOwner(uint256 id, address caller);
    error ZeroOwner();
    error LicenseForbidsTraining(uint256 id);

    error ChallengeWindowTooLong(uint256 blocks);

    constructor(uint256 challengeBlocks_) {
        // Block numbers are kept in 40 bits.
        if (challengeBlocks_ > type(uint32).max) revert ChallengeWindowTooLong(challengeBlocks_);
        challengeBlocks = challengeBlocks_;
    }

    /// The commitment `register` checks: binds the dataset, the registrant
    /// and a secret.
    function registrationCommitment(uint256 id, address registrant, bytes32 secret) public pure returns (bytes32) {
        return keccak256(abi.encode(id, registrant, secret));
    }

    /// Step 1 of registration. Idempotent: a copy of someone's commitment
    /// binds them, not the copier, and must not make theirs revert.
    function commitRegistration(bytes32 commitment) external {
        if (commitments[commitment] == 0) commitments[commitment] = block.number;
        emit RegistrationCommitted(commitment, msg.sender);
    }

    /// Step 2: registers dataset commitment `id` (non-zero, below r) for the
    /// caller, who committed to `(id, caller, secret)` in an earlier block.
    /// Takes over a registration still in its challenge window whose
    /// commitment is younger than the caller's.
    function register(uint256 id, bool trainingAllowed, uint128 feePerEpoch, bytes32 secret) external {
        if (id == 0 || id >= R) revert InvalidCommitment(id);
        uint256 at = commitments[registrationCommitment(id, msg.sender, secret)];
        if (at == 0 || at >= block.number) revert NoRegistrationCommitment(id, msg.sender);
        Dataset storage d = datasets[id];
        address previous = d.owner;
        if (previous != address(0)) {
            if (d.committedAt <= at || block.number > d.challengeEnds) revert AlreadyRegistered(id);
            emit RegistrationChallenged(id, previous, msg.sender);
        }
        d.owner = msg.sender;
        d.trainingAllowed = trainingAllowed;
        d.committedAt = uint40(at);
        d.challengeEnds = uint40(block.number + challengeBlocks);
        d.feePerEpoch = feePerEpoch;
        d.registeredAt = uint64(block.timestamp);
        emit DatasetRegistered(id, msg.sender, trainingAllowed, feePerEpoch, uint64(block.timestamp));
    }

    /// New terms for epochs committed from now on; epochs already committed
    /// keep the fees recorded at their commit.
    function updateTerms(uint256 id, bool trainingAllowed, uint128 feePerEpoch) external {
        Dataset storage d = _owned(id);
        d.trainingAllowed = trainingAllowed;
        d.feePerEpoch = feePerEpoch;
        emit TermsUpdated(id, trainingAllowed, feePerEpoch);
    }

    /// Hands the dataset (and its unclaimed and future payouts) to
    /// `newOwner`; not during the challenge window, where an older
    /// commitment could still take it from the new owner.
    function transferOwnership(uint256 id, address newOwner) external {
        if (newOwner == address(0)) revert ZeroOwner();
        Dataset storage d = _owned(id);
        if (block.number <= d.challengeEnds) revert NotUsableYet(id, uint256(d.challengeEnds) + 1);
        emit DatasetOwnershipTransferred(id, d.owner, newOwner);
        d.owner = newOwner;
    }

    /// The current owner (who is paid on claim); zero when unregistered.
    function ownerOf(uint256 id) external view returns (address) {
        return datasets[id].owner;
    }

    /// Registration time (provenance).
    function registeredAt(uint256 id) external view returns (uint64) {
        return datasets[id].registeredAt;
    }

    /// The current terms; reverts with `NotRegistered` for an unknown id.
    function terms(uint256 id) external view returns (bool trainingAllowed, uint128 feePerEpoch) {
        Dataset storage d = datasets[id];
        if (d.owner == address(0)) revert NotRegistered(id);
        return (d.trainingAllowed, d.feePerEpoch);
    }

    /// The first block in which `id` may be committed to an epoch.
    function usableFrom(uint256 id) external view returns (uint256) {
        Dataset storage d = datasets[id];
        if (d.owner == address(0)) revert NotRegistered(id);
        return uint256(d.challengeEnds) + 1;
    }

    /// The current fees of `ids` and their sum, in one call, for an epoch
    /// committed now. Reverts with `NotRegistered`, `NotUsableYet` (still in
    /// its challenge window) or `LicenseForbidsTraining` for the first
    /// dataset that cannot be committed.
    function feesNow(uint256[] calldata ids) external view returns (uint256[] memory fees, uint256 total) {
        fees = new uint256[](ids.length);
        for (uint256 c = 0; c < ids.length; c++) {
            Dataset storage d = datasets[ids[c]];
            // One slot: fee, licence and window (challengeEnds = 0: unknown).
            uint256 ends = d.challengeEnds;
            if (ends == 0) revert NotRegistered(ids[c]);
            if (block.number <= ends) revert NotUsableYet(ids[c], ends + 1);
            if (!d.trainingAllowed) revert LicenseForbidsTraining(ids[c]);
            uint256 fee = d.feePerEpoch;
            fees[c] = fee;
            total += fee;
        }
    }

    function _owned(uint256 id) private view returns (Dataset storage d) {
        d = datasets[id];
        if (d.owner == address(0)) revert NotRegistered(id);
        if (d.owner != msg.sender) revert NotDatasetOwner(id, msg.sender);
    }
}
