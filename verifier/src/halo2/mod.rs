//! The halo2 backend's files and native verification (KZG on BN254, GWC,
//! Keccak transcript as on the EVM).
//!
//! Files in a params folder: `halo2.srs`, the SRS cut to the shape's `k`
//! (halo2's raw `ParamsKZG` format), and `halo2.vk`, the verifying key in the
//! project's 64-byte-header container (magic, versions, shape, Keccak
//! checksum). Proof files are the common JSON `poa-proof` with backend
//! `halo2`.
//!
//! What a verifier trusts: the key is a function of the SRS and the circuit,
//! so [`check_vk`] re-derives it rather than taking `halo2.vk` on trust. The
//! SRS cannot be re-derived: its [`srs_digest`] (of `g2` and `s·g2`, the
//! elements the KZG check pairs with) is what a user compares with the
//! ceremony's.

use std::path::Path;

use halo2_proofs::halo2curves::bn256::{Bn256, G1Affine};
use halo2_proofs::halo2curves::serde::SerdeObject;
use halo2_proofs::plonk::{keygen_vk, verify_proof, VerifyingKey};
use halo2_proofs::poly::commitment::{Params, ParamsProver};
use halo2_proofs::poly::kzg::commitment::{KZGCommitmentScheme, ParamsKZG};
use halo2_proofs::poly::kzg::multiopen::VerifierGWC;
use halo2_proofs::poly::kzg::strategy::SingleStrategy;
use halo2_proofs::transcript::TranscriptReadBuffer;
use halo2_proofs::SerdeFormat;
use poa_circuits::formats::Claim;
use poa_circuits::halo2::{ark_to_fp, AttributionCircuit, Fp, MAX_K, MIN_K};
use poa_circuits::statement::Shape;
use snark_verifier::system::halo2::transcript::evm::EvmTranscript;

use crate::backend::{Log, Verification, Verifier};
use crate::container::{self, keccak};
use crate::groth16::claim_for_key;
use crate::proof_file::ProofFile;
use crate::verdict::Verdict;
use crate::Error;

pub mod evm;
pub mod params;
mod srs;
pub use evm::{evm_verifier, EvmVerifier, ADAPTER};
pub use srs::{check_srs, read_srs, read_srs_exact};

/// The registry name of the backend, as proof files record it.
pub const NAME: &str = "halo2";
/// The largest `k` of an SRS file read (2^28 points: the largest
/// ceremonies published for halo2; a shape uses at most
/// [`poa_circuits::halo2::MAX_K`]).
pub const MAX_SRS_K: u32 = 28;

/// Version of the halo2 circuit (a change of layout is a new version).
pub const CIRCUIT_VERSION: u32 = 1;
/// Magic of verifying-key files.
pub const VK_MAGIC: &[u8; 8] = b"POAH2VK\0";
/// Verifying-key file name in a params folder.
pub const VK_FILE: &str = "halo2.vk";
/// SRS file name in a params folder.
pub const SRS_FILE: &str = "halo2.srs";
/// Key files store points in halo2's raw format.
const FORMAT: SerdeFormat = SerdeFormat::RawBytes;

/// The KZG parameters (SRS) of BN254.
pub type Srs = ParamsKZG<Bn256>;

/// A verifying key and its shape.
#[derive(Clone, Debug)]
pub struct VerifyingKeyFile {
    /// The shape.
    pub shape: Shape,
    /// The key.
    pub vk: VerifyingKey<G1Affine>,
}

impl VerifyingKeyFile {
    /// Keccak-256 of the key's raw serialization.
    pub fn digest(&self) -> [u8; 32] {
        keccak(&self.vk.to_bytes(FORMAT))
    }

    /// The sealed file contents.
    pub fn to_bytes(&self) -> Vec<u8> {
        container::seal(
            VK_MAGIC,
            CIRCUIT_VERSION,
            self.shape,
            &self.vk.to_bytes(FORMAT),
        )
    }

    /// Reads and checks a key file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        Self::from_bytes(path, &container::read(path)?)
    }

    /// Decodes and checks the bytes of a key file (what
    /// [`VerifyingKeyFile::read`] reads); errors name `path` (for messages
    /// only). What halo2's reader sizes allocations by is checked first.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Self, Error> {
        let (shape, payload) = check_vk_bytes(path, bytes)?;
        let vk = VerifyingKey::<G1Affine>::from_bytes::<AttributionCircuit>(payload, FORMAT, ())
            .map_err(|e| Error::Format {
                path: path.to_path_buf(),
                reason: format!("not a halo2 verifying key: {e}"),
            })?;
        Ok(VerifyingKeyFile { shape, vk })
    }
}

/// The checks [`VerifyingKeyFile::from_bytes`] makes before halo2 reads
/// the key (the container, then [`check_vk_header`]'s): the shape and the
/// payload. They are cheap; halo2's reader is not (it lays out the circuit's
/// domain), so the fuzzer calls this on every input.
pub fn check_vk_bytes<'a>(path: &Path, bytes: &'a [u8]) -> Result<(Shape, &'a [u8]), Error> {
    let (shape, payload) = container::open(path, bytes, VK_MAGIC, CIRCUIT_VERSION)?;
    check_vk_header(path, shape, payload)?;
    Ok((shape, payload))
}

/// Checks what halo2's reader would size allocations by before it runs:
/// the layout version, `k` (the shape's), and the count of fixed
/// commitments (64 bytes each, within the payload).
fn check_vk_header(path: &Path, shape: Shape, payload: &[u8]) -> Result<(), Error> {
    let bad = |reason: String| Error::Format {
        path: path.to_path_buf(),
        reason,
    };
    let word = |at: usize| -> Option<u32> {
        let b = payload.get(at..at + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (Some(&version), Some(k), Some(fixed)) = (payload.first(), word(1), word(6)) else {
        return Err(bad(format!(
            "{} bytes: too short for a halo2 verifying key",
            payload.len()
        )));
    };
    if version != 2 {
        return Err(bad(format!(
            "halo2 verifying-key layout {version}, this build reads 2"
        )));
    }
    // The shape's k is counted only up to the key's (a header may name the
    // largest shape: counting its rows in full would take hours).
    if !(MIN_K..=MAX_K).contains(&k) {
        return Err(bad(format!(
            "the key has k = {k}, outside {MIN_K} … {MAX_K}"
        )));
    }
    match AttributionCircuit::k_within(shape, k)? {
        Some(expected) if expected == k => {}
        Some(expected) => {
            return Err(bad(format!(
                "the key has k = {k}, shape {shape} has k = {expected}"
            )))
        }
        None => {
            return Err(bad(format!(
                "the key has k = {k}, shape {shape} needs more"
            )))
        }
    }
    let fixed_bytes = (fixed as usize).saturating_mul(64);
    if fixed_bytes > payload.len() - 10 {
        return Err(bad(format!(
            "{fixed} fixed commitments do not fit in {} bytes",
            payload.len()
        )));
    }
    // Compressed selectors: halo2 would allocate 2^k bits for each, then
    // columns for them, before reading them. This build's keys never
    // compress them (`keygen_vk` in `derive_vk`).
    if payload.get(5) != Some(&0) {
        return Err(bad(
            "compressed selectors: this build's verifying keys have none".into(),
        ));
    }
    Ok(())
}

/// Keccak-256 of the SRS's `g2 ‖ s·g2` in halo2's raw format (128 bytes
/// each): the G2 elements that, with the proof, decide the KZG check, so the
/// SRS a verifier uses is the ceremony's exactly when this digest is. It is
/// the Keccak-256 of the last 256 bytes of any raw `ParamsKZG` file of that
/// ceremony, whatever its `k` (cutting an SRS keeps both).
pub fn srs_digest(params: &ParamsKZG<Bn256>) -> [u8; 32] {
    let mut bytes = params.g2().to_raw_bytes();
    bytes.extend_from_slice(&params.s_g2().to_raw_bytes());
    keccak(&bytes)
}

/// The verifying key that `params` and the circuit of `shape` give
/// (deterministic); `params` must be cut to the shape's `k`.
pub fn derive_vk(params: &ParamsKZG<Bn256>, shape: Shape) -> Result<VerifyingKey<G1Affine>, Error> {
    let k = AttributionCircuit::k(shape)?;
    if params.k() != k {
        return Err(Error::Backend(format!(
            "the SRS has k = {}, shape {shape} needs k = {k}",
            params.k()
        )));
    }
    keygen_vk(params, &AttributionCircuit::placeholder(shape))
        .map_err(|e| Error::Backend(format!("deriving the {shape} verifying key: {e}")))
}

/// Checks that the key read from `path` is `derived`, the key of its shape
/// under the SRS beside it: a replaced `halo2.vk` (another circuit, shape
/// or SRS) is an error naming the file.
pub fn check_vk_is(
    path: &Path,
    vk: &VerifyingKeyFile,
    derived: &VerifyingKey<G1Affine>,
) -> Result<(), Error> {
    let derived = keccak(&derived.to_bytes(FORMAT));
    let file = vk.digest();
    if file != derived {
        return Err(Error::Format {
            path: path.to_path_buf(),
            reason: format!(
                "the verifying key is not the one this SRS and shape {} give (digest 0x{} ≠ 0x{})",
                vk.shape,
                hex::encode(file),
                hex::encode(derived)
            ),
        });
    }
    Ok(())
}

/// [`derive_vk`] then [`check_vk_is`]: the key read from `path` is the one
/// `params` and its shape give.
pub fn check_vk(
    path: &Path,
    vk: &VerifyingKeyFile,
    params: &ParamsKZG<Bn256>,
) -> Result<(), Error> {
    check_vk_is(path, vk, &derive_vk(params, vk.shape)?)
}

/// Verifies a halo2 proof for `claim`: the public inputs are recomputed from
/// the claim, as for Groth16.
pub fn verify_claim(
    vk_path: &Path,
    vk: &VerifyingKeyFile,
    params: &ParamsKZG<Bn256>,
    claim: &Claim,
    proof_file: &ProofFile,
    proof: &[u8],
) -> Result<Verdict, Error> {
    let report = claim_for_key(vk_path, vk.shape, claim)?;
    let inputs: Vec<Fp> = report.public_inputs.iter().map(ark_to_fp).collect();
    let inputs: [Fp; 5] = inputs.try_into().map_err(|_| Error::Format {
        path: vk_path.to_path_buf(),
        reason: "expected five public inputs".into(),
    })?;
    Ok(Verdict::new(
        report,
        &proof_file.vk_digest,
        vk.digest(),
        || verify(params, &vk.vk, &inputs, proof),
        "the KZG opening check failed for the claim's public inputs",
    ))
}

/// Whether `proof` verifies for `inputs` (`[Q, V, pool, γ, h]`). Malformed
/// proof bytes are a rejection, not an error: they come from the prover.
pub fn verify(
    params: &ParamsKZG<Bn256>,
    vk: &VerifyingKey<G1Affine>,
    inputs: &[Fp; 5],
    proof: &[u8],
) -> bool {
    let mut transcript = EvmTranscript::<G1Affine, _, _, _>::init(proof);
    verify_proof::<KZGCommitmentScheme<Bn256>, VerifierGWC<_>, _, _, _>(
        params.verifier_params(),
        vk,
        SingleStrategy::new(params),
        &[&[&inputs[..]]],
        &mut transcript,
    )
    .is_ok()
}

/// The halo2 verifier: the key in the params folder re-derived from the
/// SRS and the shape, the SRS checked against the setup record.
pub struct Halo2;

impl Verifier for Halo2 {
    fn name(&self) -> &'static str {
        NAME
    }

    fn verify(
        &self,
        params_dir: &Path,
        claim: &Claim,
        _claim_path: &Path,
        proof: &Path,
        log: &dyn Log,
    ) -> Result<Verification, Error> {
        let (file, proof) = ProofFile::read(proof, NAME)?;
        let (vk, params, srs) = params::load_checked(log, params_dir, Some(claim.shape))?;
        srs.announce(log);
        let verdict = verify_claim(
            &params_dir.join(VK_FILE),
            &vk,
            &params,
            claim,
            &file,
            &proof,
        )?;
        let mut extra = serde_json::Map::new();
        extra.insert("srs".into(), srs.to_json());
        Ok(Verification { verdict, extra })
    }
}
