//! Commit-and-prove Groth16 with one hiding commitment (LegoSNARK's
//! CP-Groth16 / gnark's BSB22), for circuits whose range checks are
//! log-derivative lookups (`poa_circuits::r1cs::logup`): setup and proving.
//! Verification is `poa_verifier::groth16_cp`; the construction is
//! `docs/groth16-cp.md`.

mod backend;
mod keys;
mod prove;
mod setup;
mod statement;

use std::sync::Arc;

use ark_bn254::{Bn254, G1Affine};
use ark_groth16::ProvingKey;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
pub use poa_verifier::groth16_cp::{CpProof, CpVerifyingKey};

pub use backend::Groth16Cp;
pub use keys::{ProvingKeyFile, PK_MAGIC_SNARKJS};
pub use prove::{commitment_challenge, committed_values, prove_with, prove_with_qap, CpTimings};
pub use setup::setup_with;
pub use statement::{prove as prove_statement, setup_insecure, ProveTimings};

/// A CP-Groth16 proving key.
#[derive(Clone, Debug, CanonicalSerialize, CanonicalDeserialize)]
pub struct CpProvingKey {
    /// The Groth16 key, its L-query zero at the committed witnesses (their
    /// terms are in `D` instead).
    pub pk: ProvingKey<Bn254>,
    /// The committed witnesses (indices among the witnesses), in
    /// commitment order.
    pub committed: Vec<u64>,
    /// The commitment key `[K_i/γ]₁`, one per committed witness.
    pub ck: Arc<Vec<G1Affine>>,
    /// `[η/γ]₁`, the blinding base.
    pub ck_blind: G1Affine,
    /// `[σ·K_i/γ]₁`, the proof-of-knowledge key.
    pub pok_ck: Vec<G1Affine>,
    /// `[σ·η/γ]₁`.
    pub pok_blind: G1Affine,
    /// `[η/δ]₁`, with which `C` cancels the blind.
    pub eta_delta: G1Affine,
    /// The verifying key.
    pub vk: CpVerifyingKey,
}
