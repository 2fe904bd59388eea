//! Commit-and-prove Groth16 with one hiding commitment (LegoSNARK's
//! CP-Groth16, as gnark's BSB22 extension uses it): verification.
//! The construction and its soundness argument are in `docs/groth16-cp.md`.
//!
//! A proof is `(A, B, C, D, π)`: `D` commits to the committed witnesses
//! (and a blind), `π` proves knowledge of its opening. The verifier
//! derives the challenge `α = keccak256(D.x ‖ D.y) mod r` itself
//! ([`challenge`]), appends it to the public inputs, and checks
//!
//! ```text
//! e(A, B) = e([α]₁, [β]₂) · e(Σ x_i [K_i/γ]₁ + D, [γ]₂) · e(C, [δ]₂)
//! e(D, [σ]₂) = e(π, [1]₂)
//! ```

use ark_bn254::{Bn254, Fr, G1Affine, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField};
use ark_groth16::{PreparedVerifyingKey, Proof, VerifyingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

use crate::container::keccak;

/// A CP-Groth16 verifying key.
#[derive(Clone, Debug, PartialEq, CanonicalSerialize, CanonicalDeserialize)]
pub struct CpVerifyingKey {
    /// The Groth16 part; `gamma_abc_g1` covers the public inputs and, last,
    /// the challenge.
    pub vk: VerifyingKey<Bn254>,
    /// `[σ]₂`, the proof-of-knowledge key.
    pub sigma_g2: G2Affine,
    /// `[1]₂`, the generator the setup used.
    pub g2: G2Affine,
}

/// A CP-Groth16 proof.
#[derive(Clone, Debug, PartialEq, CanonicalSerialize, CanonicalDeserialize)]
pub struct CpProof {
    /// `A, B, C`.
    pub proof: Proof<Bn254>,
    /// The commitment `D`.
    pub d: G1Affine,
    /// Its proof of knowledge `π`.
    pub pok: G1Affine,
}

/// The EVM encoding of a G1 point: `x ‖ y`, 32-byte big-endian words;
/// the point at infinity is `(0, 0)`.
pub fn g1_evm_bytes(p: &G1Affine) -> [u8; 64] {
    let mut out = [0u8; 64];
    if let Some((x, y)) = p.xy() {
        out[..32].copy_from_slice(&x.into_bigint().to_bytes_be());
        out[32..].copy_from_slice(&y.into_bigint().to_bytes_be());
    }
    out
}

/// The challenge of a commitment: `keccak256(D.x ‖ D.y) mod r`, with
/// [`g1_evm_bytes`] (Solidity: `uint256(keccak256(abi.encodePacked(x, y))) % r`).
pub fn challenge(d: &G1Affine) -> Fr {
    Fr::from_be_bytes_mod_order(&keccak(&g1_evm_bytes(d)))
}

/// The public inputs with the challenge of `d` appended.
pub fn full_inputs(inputs: &[Fr], d: &G1Affine) -> Vec<Fr> {
    let mut all = inputs.to_vec();
    all.push(challenge(d));
    all
}

/// Verifies `proof` for the public inputs `inputs` (without the challenge,
/// which is derived from `D`). A wrong number of inputs is a rejection.
pub fn verify(vk: &CpVerifyingKey, proof: &CpProof, inputs: &[Fr]) -> bool {
    let pvk: PreparedVerifyingKey<Bn254> = ark_groth16::prepare_verifying_key(&vk.vk);
    let Ok(acc) = ark_groth16::Groth16::<Bn254>::prepare_inputs(&pvk, &full_inputs(inputs, &proof.d))
    else {
        return false;
    };
    let acc = acc + proof.d;
    let groth = ark_groth16::Groth16::<Bn254>::verify_proof_with_prepared_inputs(
        &pvk,
        &proof.proof,
        &acc,
    )
    .unwrap_or(false);
    // Proof of knowledge: π = σ · D.
    let pok = Bn254::pairing(proof.d, vk.sigma_g2) == Bn254::pairing(proof.pok, vk.g2);
    groth && pok
}
