// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A verifier of proof-of-attribution statement v1 (any backend).
interface IPoaVerifier {
    /// Whether `proof` is valid for the public inputs `[Q, V, pool, gamma, h]`.
    /// Returns false (never reverts) for an invalid proof or an input >= r.
    function verifyProof(bytes calldata proof, uint256[5] calldata inputs) external view returns (bool);
}
