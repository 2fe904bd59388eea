// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title DatasetRegistry
/// @notice Contributors register the commitment to their dataset (SPEC §7:
/// H_3(R, record_count, salt)) with license terms. Terms can change, but a
/// change only applies from the block after it: `termsAt(id, block)` gives
/// the terms in force at any past block, so an epoch committed before a
/// change is settled under the terms it was committed with.
contract DatasetRegistry {
    /// BN254 scalar field modulus: a commitment is a field element.
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// License terms of a dataset.
    struct Terms {
        /// Whether model training on the data is allowed at all.
        bool trainingAllowed;
        /// Fixed fee per settled epoch, in the model's payment token.
        uint128 feePerEpoch;
        /// First block these terms apply to.
        uint64 fromBlock;
    }

    struct Dataset {
        address owner;
        uint64 registeredAt;
        /// The latest terms: one storage slot, all a settlement usually reads.
        Terms current;
        /// Earlier terms, oldest first, for epochs committed before `current`.
        Terms[] history;
    }

    mapping(uint256 => Dataset) private datasets;

    event DatasetRegistered(uint256 indexed id, address indexed owner, bool trainingAllowed, uint128 feePerEpoch, uint64 timestamp);
    event TermsUpdated(uint256 indexed id, bool trainingAllowed, uint128 feePerEpoch, uint64 fromBlock);
    event DatasetOwnershipTransferred(uint256 indexed id, address indexed previousOwner, address indexed newOwner);

    error InvalidCommitment(uint256 id);
    error AlreadyRegistered(uint256 id);
    error NotRegistered(uint256 id);
    error NotDatasetOwner(uint256 id, address caller);
    error ZeroOwner();
    error LicenseForbidsTraining(uint256 id);

    /// Registers dataset commitment `id` (non-zero, below r, new) for the caller.
    function register(uint256 id, bool trainingAllowed, uint128 feePerEpoch) external {
        if (id == 0 || id >= R) revert InvalidCommitment(id);
        Dataset storage d = datasets[id];
        if (d.owner != address(0)) revert AlreadyRegistered(id);
        d.owner = msg.sender;
        d.registeredAt = uint64(block.timestamp);
        d.current = Terms(trainingAllowed, feePerEpoch, uint64(block.number));
        emit DatasetRegistered(id, msg.sender, trainingAllowed, feePerEpoch, uint64(block.timestamp));
    }

    /// New terms, in force from the next block: epochs committed up to this
    /// block keep the terms they were committed under.
    function updateTerms(uint256 id, bool trainingAllowed, uint128 feePerEpoch) external {
        Dataset storage d = _owned(id);
        uint64 from = uint64(block.number) + 1;
        // A second update in the same block replaces the pending one.
        if (d.current.fromBlock != from) d.history.push(d.current);
        d.current = Terms(trainingAllowed, feePerEpoch, from);
        emit TermsUpdated(id, trainingAllowed, feePerEpoch, from);
    }

    /// Hands the dataset (and its future claims) to `newOwner`.
    function transferOwnership(uint256 id, address newOwner) external {
        if (newOwner == address(0)) revert ZeroOwner();
        Dataset storage d = _owned(id);
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

    /// The terms in force at `blockNumber`; reverts with `NotRegistered`
    /// when the dataset was not registered by then.
    function termsAt(uint256 id, uint256 blockNumber) public view returns (bool trainingAllowed, uint128 feePerEpoch) {
        Dataset storage d = datasets[id];
        Terms memory t = d.current;
        if (t.fromBlock != 0 && t.fromBlock <= blockNumber) return (t.trainingAllowed, t.feePerEpoch);
        for (uint256 i = d.history.length; i > 0; i--) {
            t = d.history[i - 1];
            if (t.fromBlock <= blockNumber) return (t.trainingAllowed, t.feePerEpoch);
        }
        revert NotRegistered(id);
    }

    /// The fees of `ids` at `blockNumber` and their sum, in one call; reverts
    /// with `LicenseForbidsTraining` for the first dataset whose terms then
    /// forbade training, and with `NotRegistered` for an unknown one.
    function feesAt(uint256[] calldata ids, uint256 blockNumber)
        external
        view
        returns (uint256[] memory fees, uint256 total)
    {
        fees = new uint256[](ids.length);
        for (uint256 c = 0; c < ids.length; c++) {
            (bool allowed, uint128 fee) = termsAt(ids[c], blockNumber);
            if (!allowed) revert LicenseForbidsTraining(ids[c]);
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
