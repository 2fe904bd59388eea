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
//! e(D, [σγ]₂) = e(π, [γ]₂)
//! ```
//!
//! (the proof of knowledge `π = σ·D` checked against `[γ]₂`, so that an
//! EVM verifier merges it into the `γ` pair of the first equation).

use ark_bn254::{Bn254, Fr, G1Affine, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField};
use ark_groth16::{PreparedVerifyingKey, Proof, VerifyingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use std::path::Path;

use poa_circuits::formats::Claim;
use poa_circuits::statement::Shape;

use crate::backend::{Log, Verification, Verifier};
use crate::container::{self, keccak};
use crate::groth16::{verify_file, KeyInfo};
use crate::proof_file::ProofFile;
use crate::Error;

/// A CP-Groth16 verifying key.
#[derive(Clone, Debug, PartialEq, CanonicalSerialize, CanonicalDeserialize)]
pub struct CpVerifyingKey {
    /// The Groth16 part; `gamma_abc_g1` covers the public inputs and, last,
    /// the challenge.
    pub vk: VerifyingKey<Bn254>,
    /// `[σγ]₂`, the proof-of-knowledge key: `e(D, [σγ]₂) = e(π, [γ]₂)`
    /// holds iff `π = σ·D` (γ ≠ 0).
    pub sigma_gamma_g2: G2Affine,
}

impl CpVerifyingKey {
    /// The checks beyond decoding (which puts every point on its curve and
    /// in its subgroup): `[σγ]₂`, `[α]₁`, `[β]₂`, `[γ]₂`, `[δ]₂` are not the
    /// identity, and `[σγ]₂ ≠ [γ]₂`. With `[σγ]₂ = 0`,
    /// `e(D, [σγ]₂) = e(0, [γ]₂)` for every `D`: the proof of knowledge
    /// would hold for any commitment with `π = 0`; with `σ = 1` it would
    /// hold for any `D` with `π = D`.
    pub fn check(&self) -> Result<(), String> {
        if self.sigma_gamma_g2 == self.vk.gamma_g2 {
            return Err("[σγ]₂ equals [γ]₂ (σ = 1)".into());
        }
        // σ = −1 lets π = −D pass the proof of knowledge for any D.
        if self.sigma_gamma_g2 == -self.vk.gamma_g2 {
            return Err("[σγ]₂ equals −[γ]₂ (σ = −1)".into());
        }
        // γ = δ lets a prover move the public-input sum into C.
        if self.vk.gamma_g2 == self.vk.delta_g2 {
            return Err("[γ]₂ equals [δ]₂".into());
        }
        for (name, zero) in [
            ("[σγ]₂", self.sigma_gamma_g2.is_zero()),
            ("[α]₁", self.vk.alpha_g1.is_zero()),
            ("[β]₂", self.vk.beta_g2.is_zero()),
            ("[γ]₂", self.vk.gamma_g2.is_zero()),
            ("[δ]₂", self.vk.delta_g2.is_zero()),
        ] {
            if zero {
                return Err(format!("{name} is the identity"));
            }
        }
        Ok(())
    }
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
///
/// The points must be validated ones (on the curve, in the subgroup), as
/// [`decode_proof`] and [`VerifyingKeyFile::from_bytes`] give them (ark's
/// `Validate::Yes`); a key failing [`CpVerifyingKey::check`] is a rejection.
pub fn verify(vk: &CpVerifyingKey, proof: &CpProof, inputs: &[Fr]) -> bool {
    if vk.check().is_err() {
        return false;
    }
    let pvk: PreparedVerifyingKey<Bn254> = ark_groth16::prepare_verifying_key(&vk.vk);
    let Ok(acc) =
        ark_groth16::Groth16::<Bn254>::prepare_inputs(&pvk, &full_inputs(inputs, &proof.d))
    else {
        return false;
    };
    let acc = acc + proof.d;
    let groth =
        ark_groth16::Groth16::<Bn254>::verify_proof_with_prepared_inputs(&pvk, &proof.proof, &acc)
            .unwrap_or(false);
    // Proof of knowledge: π = σ · D, as e(D, [σγ]₂) = e(π, [γ]₂).
    let pok =
        Bn254::pairing(proof.d, vk.sigma_gamma_g2) == Bn254::pairing(proof.pok, vk.vk.gamma_g2);
    groth && pok
}

/// The registry name of the backend, as proof files record it.
pub const NAME: &str = "groth16-cp";
/// Version of the circuit and key format (the statement with logUp range
/// checks, table `2^LOOKUP_BITS`); keys of another version are refused.
/// 2: the verifying key holds `[σγ]₂` (was `[σ]₂, [1]₂` in 1).
pub const CIRCUIT_VERSION: u32 = 2;
/// Magic of verifying-key files.
pub const VK_MAGIC: &[u8; 8] = b"POACPGVK";
/// Magic of proving-key files.
pub const PK_MAGIC: &[u8; 8] = b"POACPGPK";
/// Verifying-key file name.
pub const VK_FILE: &str = "groth16-cp.vk";
/// Proving-key file name.
pub const PK_FILE: &str = "groth16-cp.pk";
/// Size of a verifying key's payload: the Groth16 key with seven `γ_abc`
/// points (constant, five public inputs, the challenge) and `[σγ]₂`,
/// uncompressed (pinned by a test).
pub const VK_PAYLOAD: usize = 64 + 3 * 128 + 8 + 7 * 64 + 128;
/// Size of a compressed proof: `A, C, D, π` (G1, 32 bytes), `B` (G2, 64).
pub const PROOF_BYTES: usize = 4 * 32 + 64;

/// A verifying key and the shape it was made for.
#[derive(Clone, Debug)]
pub struct VerifyingKeyFile {
    /// The shape.
    pub shape: Shape,
    /// The key.
    pub vk: CpVerifyingKey,
}

impl VerifyingKeyFile {
    fn payload(&self) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = self.vk.serialize_with_mode(&mut out, Compress::No);
        out
    }

    /// The key's digest: Keccak-256 of its uncompressed serialization.
    pub fn digest(&self) -> [u8; 32] {
        keccak(&self.payload())
    }

    /// The sealed file contents.
    pub fn to_bytes(&self) -> Vec<u8> {
        container::seal(VK_MAGIC, CIRCUIT_VERSION, self.shape, &self.payload())
    }

    /// Reads and checks a verifying-key file (points validated).
    pub fn read(path: &Path) -> Result<Self, Error> {
        Self::from_bytes(path, &container::read(path)?)
    }

    /// Decodes and checks the bytes of a verifying-key file; errors name
    /// `path`. The fixed layout is checked before anything is decoded.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Self, Error> {
        let (shape, payload) = container::open(path, bytes, VK_MAGIC, CIRCUIT_VERSION)?;
        let bad = |reason: String| Error::Format {
            path: path.to_path_buf(),
            reason,
        };
        if payload.len() != VK_PAYLOAD || payload[448..456] != 7u64.to_le_bytes() {
            return Err(bad(format!(
                "a groth16-cp verifying key has a {VK_PAYLOAD}-byte payload with 7 γ_abc points; \
                 this one has {} bytes",
                payload.len()
            )));
        }
        let vk = CpVerifyingKey::deserialize_with_mode(payload, Compress::No, Validate::Yes)
            .map_err(|e| bad(format!("bad encoding: {e}")))?;
        vk.check().map_err(bad)?;
        Ok(VerifyingKeyFile { shape, vk })
    }
}

/// The file form of a proof (compressed `A, B, C, D, π`).
pub fn proof_file(shape: Shape, vk_digest: [u8; 32], proof: &CpProof) -> ProofFile {
    let mut bytes = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = proof.serialize_compressed(&mut bytes);
    ProofFile::new(NAME, shape, vk_digest, &bytes)
}

/// Decodes proof bytes: exactly [`PROOF_BYTES`], points on the curve and in
/// the subgroup (`Validate::Yes`). The identity is allowed (a proof with
/// `D = π = 0` decodes and is rejected by the pairing check).
pub fn decode_proof(bytes: &[u8]) -> Result<CpProof, String> {
    if bytes.len() != PROOF_BYTES {
        return Err(format!(
            "a groth16-cp proof is {PROOF_BYTES} bytes, this one {}",
            bytes.len()
        ));
    }
    CpProof::deserialize_with_mode(bytes, Compress::Yes, Validate::Yes).map_err(|e| e.to_string())
}

/// The groth16-cp verifier: `groth16-cp.vk` in the params folder, trusted
/// as given (its digest is shown for comparison with the setup's).
pub struct Groth16Cp;

impl Verifier for Groth16Cp {
    fn name(&self) -> &'static str {
        NAME
    }

    fn verify(
        &self,
        params: &Path,
        claim: &Claim,
        _claim_path: &Path,
        proof: &Path,
        log: &dyn Log,
    ) -> Result<Verification, Error> {
        let vk_path = params.join(VK_FILE);
        let vk = VerifyingKeyFile::read(&vk_path)?;
        let key = KeyInfo {
            path: &vk_path,
            shape: vk.shape,
            digest: vk.digest(),
            backend: NAME,
        };
        verify_file(
            &key,
            claim,
            proof,
            log,
            decode_proof,
            |p, inputs| verify(&vk.vk, p, inputs),
            "the pairing or proof-of-knowledge check failed for the claim's public inputs",
        )
    }
}
