//! Groth16 over BN254: verifying keys, proofs and their verification.
//!
//! The verifier never trusts public inputs carried by a proof: it recomputes
//! `[Q, V, pool, γ, h]` from the claim (SPEC §6) and checks the pairing
//! equation against those.

use std::path::Path;

use ark_bn254::{Bn254, Fr};
use ark_groth16::{Groth16, PreparedVerifyingKey, Proof, VerifyingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use poa_circuits::formats::Claim;
use poa_circuits::statement::Shape;
use serde::{Deserialize, Serialize};

use crate::claim::{check_claim, ClaimReport};
use crate::container::{self, keccak};
use crate::Error;

/// Version of the Groth16 circuit; keys of another version are refused.
pub const CIRCUIT_VERSION: u32 = 1;
/// Magic of verifying-key files.
pub const VK_MAGIC: &[u8; 8] = b"POAG16VK";
/// Magic of proving-key files.
pub const PK_MAGIC: &[u8; 8] = b"POAG16PK";
/// File names inside a params folder.
pub const VK_FILE: &str = "groth16.vk";
/// Proving key file name.
pub const PK_FILE: &str = "groth16.pk";
/// Format tag of proof files.
pub const PROOF_FORMAT: &str = "poa-proof";

/// A verifying key and the shape it was made for.
#[derive(Clone, Debug)]
pub struct VerifyingKeyFile {
    /// The shape.
    pub shape: Shape,
    /// The key.
    pub vk: VerifyingKey<Bn254>,
}

fn ser_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        reason: format!("bad encoding: {e}"),
    }
}

impl VerifyingKeyFile {
    /// The key's digest: Keccak-256 of its uncompressed serialization.
    pub fn digest(&self) -> [u8; 32] {
        keccak(&vk_bytes(&self.vk))
    }

    /// The sealed file contents.
    pub fn to_bytes(&self) -> Vec<u8> {
        container::seal(VK_MAGIC, CIRCUIT_VERSION, self.shape, &vk_bytes(&self.vk))
    }

    /// Reads and checks a verifying-key file (points are validated: the
    /// verifying key is small and comes from elsewhere).
    pub fn read(path: &Path) -> Result<Self, Error> {
        let bytes = container::read(path)?;
        let (shape, payload) = container::open(path, &bytes, VK_MAGIC, CIRCUIT_VERSION)?;
        let vk = VerifyingKey::deserialize_with_mode(payload, Compress::No, Validate::Yes)
            .map_err(|e| ser_err(path, e))?;
        if vk.gamma_abc_g1.len() != 6 {
            return Err(ser_err(path, "expected five public inputs"));
        }
        Ok(VerifyingKeyFile { shape, vk })
    }
}

fn vk_bytes(vk: &VerifyingKey<Bn254>) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = vk.serialize_with_mode(&mut out, Compress::No);
    out
}

/// The proof file (JSON): the proof, compressed, with its checksum and the
/// digest of the key it was made for. It carries no public inputs.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProofFile {
    /// Always `poa-proof`.
    pub format: String,
    /// Format version.
    pub version: u32,
    /// `groth16`.
    pub backend: String,
    /// `N`.
    #[serde(rename = "N")]
    pub slots: u64,
    /// `D`.
    #[serde(rename = "D")]
    pub dim: u64,
    /// Digest of the verifying key, `0x` hex.
    #[serde(rename = "vkDigest")]
    pub vk_digest: String,
    /// The proof `(A, B, C)`, compressed, `0x` hex.
    pub proof: String,
    /// Keccak-256 of the proof bytes, `0x` hex.
    pub checksum: String,
}

/// Format version of proof files.
pub const PROOF_VERSION: u32 = 1;

fn hex0x(b: &[u8]) -> String {
    format!("0x{}", hex::encode(b))
}

impl ProofFile {
    /// The file form of a Groth16 proof.
    pub fn new(shape: Shape, vk_digest: [u8; 32], proof: &Proof<Bn254>) -> Self {
        let mut bytes = Vec::new();
        let _ = proof.serialize_compressed(&mut bytes);
        Self::from_bytes("groth16", shape, vk_digest, &bytes)
    }

    /// The file form of a proof's bytes for `backend`.
    pub fn from_bytes(backend: &str, shape: Shape, vk_digest: [u8; 32], bytes: &[u8]) -> Self {
        ProofFile {
            format: PROOF_FORMAT.into(),
            version: PROOF_VERSION,
            backend: backend.into(),
            slots: shape.slots as u64,
            dim: shape.dim as u64,
            vk_digest: hex0x(&vk_digest),
            proof: hex0x(bytes),
            checksum: hex0x(&keccak(bytes)),
        }
    }

    /// Reads a Groth16 proof file; a malformed one is an error naming the field.
    pub fn read(path: &Path) -> Result<(Self, Proof<Bn254>), Error> {
        let (file, bytes) = Self::read_bytes(path, "groth16")?;
        let proof = Proof::<Bn254>::deserialize_compressed(bytes.as_slice()).map_err(|e| {
            Error::Format {
                path: path.to_path_buf(),
                reason: format!("field `proof`: not a valid proof: {e}"),
            }
        })?;
        Ok((file, proof))
    }

    /// Reads a proof file of `backend` and checks its checksum; returns the
    /// proof bytes.
    pub fn read_bytes(path: &Path, backend: &str) -> Result<(Self, Vec<u8>), Error> {
        let bad = |reason: String| Error::Format {
            path: path.to_path_buf(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let file: ProofFile =
            serde_json::from_str(&text).map_err(|e| bad(format!("malformed JSON: {e}")))?;
        if file.format != PROOF_FORMAT || file.version != PROOF_VERSION || file.backend != backend {
            return Err(bad(format!(
                "field `format`: expected {PROOF_FORMAT} v{PROOF_VERSION} {backend}, found {} v{} {}",
                file.format, file.version, file.backend
            )));
        }
        let bytes = file
            .proof
            .strip_prefix("0x")
            .and_then(|h| hex::decode(h).ok())
            .ok_or_else(|| bad("field `proof`: not 0x hex".into()))?;
        if hex0x(&keccak(&bytes)) != file.checksum.to_lowercase() {
            return Err(bad(
                "field `checksum`: does not match the proof bytes".into()
            ));
        }
        Ok((file, bytes))
    }

    /// The shape recorded in the file.
    pub fn shape(&self) -> Result<Shape, poa_circuits::Error> {
        Shape::new(self.slots, self.dim)
    }
}

/// The outcome of verifying a proof against a claim.
#[derive(Clone, Debug)]
pub struct Verdict {
    /// The claim's consistency checks.
    pub claim: ClaimReport,
    /// Whether the pairing check passed for the recomputed public inputs.
    pub proof_ok: bool,
    /// Why the proof was rejected, when it was.
    pub reason: Option<String>,
}

impl Verdict {
    /// The verdict of a proof made for the key with digest `file_digest`
    /// under the key with digest `vk_digest`: `check` runs only when they
    /// match; `failure` says why a failed check rejects.
    pub fn new(
        claim: ClaimReport,
        file_digest: &str,
        vk_digest: [u8; 32],
        check: impl FnOnce() -> bool,
        failure: &str,
    ) -> Self {
        let digest = hex0x(&vk_digest);
        let (proof_ok, reason) = if file_digest.to_lowercase() != digest {
            (
                false,
                Some(format!(
                    "the proof was made for verifying key {file_digest}, not {digest}"
                )),
            )
        } else if check() {
            (true, None)
        } else {
            (false, Some(failure.to_string()))
        };
        Verdict {
            claim,
            proof_ok,
            reason,
        }
    }

    /// Whether the claim is consistent and the proof valid.
    pub fn ok(&self) -> bool {
        self.claim.ok() && self.proof_ok
    }
}

/// Verifies `proof` for `claim` under `vk`: the public inputs are recomputed
/// from the claim. A shape mismatch between key and claim is an error; a
/// proof that fails is `Ok` with `proof_ok = false`.
pub fn verify(
    vk_path: &Path,
    vk: &VerifyingKeyFile,
    claim: &Claim,
    proof_file: &ProofFile,
    proof: &Proof<Bn254>,
) -> Result<Verdict, Error> {
    let report = claim_for_key(vk_path, vk.shape, claim)?;
    let inputs = report.public_inputs;
    Ok(Verdict::new(
        report,
        &proof_file.vk_digest,
        vk.digest(),
        || verify_inputs(&vk.vk, proof, &inputs),
        "the pairing check failed for the claim's public inputs",
    ))
}

/// The claim's checks, after making sure the key at `vk_path` (of shape
/// `key`) is for the claim's shape.
pub fn claim_for_key(vk_path: &Path, key: Shape, claim: &Claim) -> Result<ClaimReport, Error> {
    if key != claim.shape {
        return Err(Error::ShapeMismatch {
            path: vk_path.to_path_buf(),
            key,
            claim: claim.shape,
        });
    }
    check_claim(claim)
}

/// The bare pairing check for given public inputs.
pub fn verify_inputs(vk: &VerifyingKey<Bn254>, proof: &Proof<Bn254>, inputs: &[Fr]) -> bool {
    let pvk: PreparedVerifyingKey<Bn254> = ark_groth16::prepare_verifying_key(vk);
    Groth16::<Bn254>::verify_proof(&pvk, proof, inputs).unwrap_or(false)
}
