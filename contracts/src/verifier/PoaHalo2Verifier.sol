// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IPoaVerifier} from "./IPoaVerifier.sol";

/// IPoaVerifier over the halo2 (KZG, BN254) verifier generated for
/// proof-of-attribution statement v1 (snark-verifier, split under EIP-170).
contract PoaHalo2Verifier is IPoaVerifier {
    bytes32 private constant VERIFIED = keccak256("poa.halo2.verified");
    address public immutable halo2Verifier;
    /// The entry's code hash at deployment: the settlement pins this
    /// adapter's code (which holds both immutables), and a proof is refused
    /// if the code at the entry's address ever changes.
    bytes32 public immutable halo2VerifierCodeHash;

    constructor(address verifier) {
        require(verifier.code.length > 0, "halo2 verifier: no code");
        halo2Verifier = verifier;
        halo2VerifierCodeHash = verifier.codehash;
    }

    function verifyProof(bytes calldata proof, uint256[5] calldata inputs) external view returns (bool) {
        uint256 r = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
        for (uint256 i = 0; i < 5; i++) {
            if (inputs[i] >= r) return false;
        }
        if (halo2Verifier.codehash != halo2VerifierCodeHash) return false;
        (bool ok, bytes memory answer) = halo2Verifier.staticcall(abi.encodePacked(inputs, proof));
        return ok && answer.length == 32 && bytes32(answer) == VERIFIED;
    }
}
