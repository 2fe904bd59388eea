//! The Groth16 verifier contract, rendered from a verifying key.
//!
//! The template is typed: [`Groth16Template`] holds the key's points as EVM
//! words, and rendering only formats them. The contract implements
//! `IPoaVerifier`, the interface the settlement uses for every backend:
//! `verifyProof(bytes proof, uint256[5] inputs) returns (bool)`, `false` for
//! a proof that does not verify, a coordinate `≥ q` (checked by us for the
//! negated `A.y`, by the precompiles for the others) or an input `≥ r`
//! (the caller must require `true`). Gas is constant: five `ecMul`, five
//! `ecAdd`, one four-pair pairing, in assembly over scratch memory. Target: solc 0.8.28, EVM version `paris`
//! (no `PUSH0`, so any chain since the Merge).

use std::fmt::Write;

use ark_bn254::{Bn254, Fq, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::PrimeField;
use ark_groth16::{Proof, VerifyingKey};
use num_bigint::BigUint;

/// An EVM word as a decimal literal.
fn word(x: &Fq) -> String {
    BigUint::from(x.into_bigint()).to_string()
}

fn g1_words(p: &G1Affine) -> [String; 2] {
    match p.xy() {
        Some((x, y)) => [word(&x), word(&y)],
        None => ["0".into(), "0".into()],
    }
}

/// G2 in the precompile's order: imaginary part first.
fn g2_words(p: &G2Affine) -> [String; 4] {
    match p.xy() {
        Some((x, y)) => [word(&x.c1), word(&x.c0), word(&y.c1), word(&y.c0)],
        None => ["0".into(), "0".into(), "0".into(), "0".into()],
    }
}

/// The data of the verifier template.
pub struct Groth16Template {
    /// Shown in the header.
    pub shape: String,
    /// Verifying-key digest, `0x` hex.
    pub digest: String,
    alpha: [String; 2],
    beta: [String; 4],
    gamma: [String; 4],
    delta: [String; 4],
    ic: Vec<[String; 2]>,
}

impl Groth16Template {
    /// The template data of a verifying key with five public inputs.
    pub fn new(vk: &VerifyingKey<Bn254>, shape: String, digest: String) -> Self {
        Groth16Template {
            shape,
            digest,
            alpha: g1_words(&vk.alpha_g1),
            beta: g2_words(&vk.beta_g2),
            gamma: g2_words(&vk.gamma_g2),
            delta: g2_words(&vk.delta_g2),
            ic: vk.gamma_abc_g1.iter().map(g1_words).collect(),
        }
    }

    /// The Solidity source.
    pub fn render(&self) -> String {
        // Every placeholder below is replaced; the five-input interface is fixed.
        let mut consts = String::new();
        let mut c = |name: &str, v: &str| {
            let _ = writeln!(consts, "    uint256 internal constant {name} = {v};");
        };
        c("ALPHA_X", &self.alpha[0]);
        c("ALPHA_Y", &self.alpha[1]);
        for (name, p) in [
            ("BETA", &self.beta),
            ("GAMMA", &self.gamma),
            ("DELTA", &self.delta),
        ] {
            c(&format!("{name}_X_IM"), &p[0]);
            c(&format!("{name}_X_RE"), &p[1]);
            c(&format!("{name}_Y_IM"), &p[2]);
            c(&format!("{name}_Y_RE"), &p[3]);
        }
        for (i, p) in self.ic.iter().enumerate() {
            c(&format!("IC{i}_X"), &p[0]);
            c(&format!("IC{i}_Y"), &p[1]);
        }
        let mut acc = String::new();
        for i in 1..self.ic.len() {
            let _ = writeln!(
                acc,
                "            ok := and(ok, mulAdd(IC{i}_X, IC{i}_Y, calldataload(add(inputs, {}))))",
                32 * (i - 1)
            );
        }
        let mut checks = String::new();
        for i in 0..self.ic.len() - 1 {
            let _ = writeln!(
                checks,
                "            ok := and(ok, lt(calldataload(add(inputs, {})), R))",
                32 * i
            );
        }
        // A.y is negated here, so it must be a canonical coordinate; every
        // other coordinate goes to the precompiles as is, and they reject
        // values ≥ q themselves (EIP-196, EIP-197).
        let _ = writeln!(
            checks,
            "            ok := and(ok, lt(calldataload(add(proof.offset, 32)), Q))"
        );
        TEMPLATE
            .replace("{{SHAPE}}", &self.shape)
            .replace("{{DIGEST}}", &self.digest)
            .replace("{{CONSTANTS}}", consts.trim_end())
            .replace("{{ACCUMULATE}}", acc.trim_end())
            .replace("{{CHECKS}}", checks.trim_end())
            .replace("{{N_INPUTS}}", &(self.ic.len() - 1).to_string())
    }
}

/// A proof as the contract reads it: eight words `A.x, A.y, B.x (im, re),
/// B.y (im, re), C.x, C.y`, big-endian.
pub fn proof_bytes(proof: &Proof<Bn254>) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    let mut push = |w: &str| {
        let n: BigUint = w.parse().unwrap_or_default();
        let b = n.to_bytes_be();
        out.extend(std::iter::repeat_n(0u8, 32 - b.len()));
        out.extend_from_slice(&b);
    };
    for w in g1_words(&proof.a)
        .iter()
        .chain(&g2_words(&proof.b))
        .chain(&g1_words(&proof.c))
    {
        push(w);
    }
    out
}

/// The interface shared by every poa verifier contract.
pub const INTERFACE: &str = r#"// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A verifier of proof-of-attribution statement v1 (any backend).
interface IPoaVerifier {
    /// Whether `proof` is valid for the public inputs `[Q, V, pool, gamma, h]`.
    /// Returns false (never reverts) for an invalid proof or an input >= r.
    function verifyProof(bytes calldata proof, uint256[5] calldata inputs) external view returns (bool);
}
"#;

const TEMPLATE: &str = r#"// SPDX-License-Identifier: MIT
// Generated by `poa export-verifier` (poa-verifier::solidity) from the Groth16
// verifying key of proof-of-attribution statement v1, shape {{SHAPE}},
// verifying-key digest {{DIGEST}}. Do not edit: regenerate.
// Target: solc 0.8.28, EVM version paris (no PUSH0).
pragma solidity ^0.8.20;

import {IPoaVerifier} from "./IPoaVerifier.sol";

contract PoaGroth16Verifier is IPoaVerifier {
    /// BN254 scalar field modulus r: public inputs must be below it.
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// BN254 base field modulus q: coordinates must be below it.
    uint256 internal constant Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

{{CONSTANTS}}

    /// @inheritdoc IPoaVerifier
    function verifyProof(bytes calldata proof, uint256[5] calldata inputs) external view returns (bool ok) {
        if (proof.length != 256) return false;
        assembly {
            // Scratch memory from the free-memory pointer; nothing is kept.
            let m := mload(0x40)
            ok := 1
            // Every public input below r; A.y below q (the precompiles check the rest).
{{CHECKS}}
            // vk_x = IC0 + sum inputs[i] * IC(i+1): (x, y) at m, ecMul input at m + 64.
            function mulAdd(px, py, s) -> good {
                let m_ := mload(0x40)
                mstore(add(m_, 64), px)
                mstore(add(m_, 96), py)
                mstore(add(m_, 128), s)
                good := staticcall(gas(), 0x07, add(m_, 64), 96, add(m_, 64), 64)
                good := and(good, staticcall(gas(), 0x06, m_, 128, m_, 64))
            }
            mstore(m, IC0_X)
            mstore(add(m, 32), IC0_Y)
{{ACCUMULATE}}
            // e(-A, B) * e(alpha, beta) * e(vk_x, gamma) * e(C, delta) == 1, at m+32*8.
            let p := add(m, 256)
            mstore(add(p, 384), mload(m))
            mstore(add(p, 416), mload(add(m, 32)))
            mstore(p, calldataload(proof.offset))
            mstore(add(p, 32), mod(sub(Q, calldataload(add(proof.offset, 32))), Q))
            calldatacopy(add(p, 64), add(proof.offset, 64), 128)
            mstore(add(p, 192), ALPHA_X)
            mstore(add(p, 224), ALPHA_Y)
            mstore(add(p, 256), BETA_X_IM)
            mstore(add(p, 288), BETA_X_RE)
            mstore(add(p, 320), BETA_Y_IM)
            mstore(add(p, 352), BETA_Y_RE)
            mstore(add(p, 448), GAMMA_X_IM)
            mstore(add(p, 480), GAMMA_X_RE)
            mstore(add(p, 512), GAMMA_Y_IM)
            mstore(add(p, 544), GAMMA_Y_RE)
            calldatacopy(add(p, 576), add(proof.offset, 192), 64)
            mstore(add(p, 640), DELTA_X_IM)
            mstore(add(p, 672), DELTA_X_RE)
            mstore(add(p, 704), DELTA_Y_IM)
            mstore(add(p, 736), DELTA_Y_RE)
            ok := and(ok, staticcall(gas(), 0x08, p, 768, p, 32))
            ok := and(ok, eq(mload(p), 1))
        }
    }
}
"#;
