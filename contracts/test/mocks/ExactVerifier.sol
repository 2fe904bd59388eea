// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPoaVerifier} from "../../src/verifier/IPoaVerifier.sol";

/// Verifier test double: accepts exactly the public inputs `[Q, V, pool, γ, h]`
/// a test registered with `accept` (the test computed γ and h itself, from
/// the payouts it "proved"), whatever the proof bytes. It computes nothing
/// about scores or payouts, so every check of them is the settlement's.
/// The real Groth16 and halo2 verifiers are tested with real proofs in the
/// Rust revm suite (contracts/tests/).
contract ExactVerifier is IPoaVerifier {
    mapping(bytes32 => bool) public accepted;

    function accept(uint256[5] memory inputs) external {
        accepted[keccak256(abi.encode(inputs))] = true;
    }

    function verifyProof(bytes calldata, uint256[5] calldata inputs) external view returns (bool) {
        return accepted[keccak256(abi.encode(inputs))];
    }
}
