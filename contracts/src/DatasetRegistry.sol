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
        Terms[] terms;
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

    /// Registers dataset commitment `id` (non-zero, below r, new) for the caller.
    function register(uint256 id, bool trainingAllowed, uint128 feePerEpoch) external {
        if (id == 0 || id >= R) revert InvalidCommitment(id);
        Dataset storage d = datasets[id];
        if (d.owner != address(0)) revert AlreadyRegistered(id);
        d.owner = msg.sender;
        d.registeredAt = uint64(block.timestamp);
        d.terms.push(Terms(trainingAllowed, feePerEpoch, uint64(block.number)));
        emit DatasetRegistered(id, msg.sender, trainingAllowed, feePerEpoch, uint64(block.timestamp));
    }

    /// New terms, in force from the next block: epochs committed up to this
    /// block keep the terms they were committed under.
    function updateTerms(uint256 id, bool trainingAllowed, uint128 feePerEpoch) external {
        Dataset storage d = _owned(id);
        uint64 from = uint64(block.number) + 1;
        Terms storage last = d.terms[d.terms.length - 1];
        if (last.fromBlock == from) {
            last.trainingAllowed = trainingAllowed;
            last.feePerEpoch = feePerEpoch;
        } else {
            d.terms.push(Terms(trainingAllowed, feePerEpoch, from));
        }
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

    /// The terms in force at `blockNumber`; reverts when the dataset was not
    /// registered by then.
    function termsAt(uint256 id, uint256 blockNumber) external view returns (bool trainingAllowed, uint128 feePerEpoch) {
        Terms[] storage t = datasets[id].terms;
        for (uint256 i = t.length; i > 0; i--) {
            if (t[i - 1].fromBlock <= blockNumber) return (t[i - 1].trainingAllowed, t[i - 1].feePerEpoch);
        }
        revert NotRegistered(id);
    }

    function _owned(uint256 id) private view returns (Dataset storage d) {
        d = datasets[id];
        if (d.owner == address(0)) revert NotRegistered(id);
        if (d.owner != msg.sender) revert NotDatasetOwner(id, msg.sender);
    }
}
