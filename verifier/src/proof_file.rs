//! The proof file every backend writes (JSON `poa-proof`): the proof bytes
//! with their checksum, the backend, the shape and the digest of the key
//! (or circuits) it was made for. It carries no public inputs: verifiers
//! recompute them from the claim.

use std::path::Path;

use poa_circuits::statement::Shape;
use serde::{Deserialize, Serialize};

use crate::container::keccak;
use crate::Error;

/// Format tag of proof files.
pub const PROOF_FORMAT: &str = "poa-proof";
/// Format version of proof files.
pub const PROOF_VERSION: u32 = 1;
/// The largest proof file read (the largest proofs, plonky2's, are a few
/// hundred KiB, twice that in hex).
pub const MAX_PROOF_FILE: u64 = 16 << 20;

/// A proof file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProofFile {
    /// Always `poa-proof`.
    pub format: String,
    /// Format version.
    pub version: u32,
    /// The backend's registry name (`groth16`, `halo2`, `plonky2`).
    pub backend: String,
    /// `N`.
    #[serde(rename = "N")]
    pub slots: u64,
    /// `D`.
    #[serde(rename = "D")]
    pub dim: u64,
    /// Digest of the verifying key (plonky2: of the circuits), `0x` hex.
    #[serde(rename = "vkDigest")]
    pub vk_digest: String,
    /// The proof bytes, `0x` hex.
    pub proof: String,
    /// Keccak-256 of the proof bytes, `0x` hex.
    pub checksum: String,
}

/// `0x` hex.
pub fn hex0x(b: &[u8]) -> String {
    format!("0x{}", hex::encode(b))
}

impl ProofFile {
    /// The file form of a proof's bytes for `backend`.
    pub fn new(backend: &str, shape: Shape, vk_digest: [u8; 32], bytes: &[u8]) -> Self {
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

    /// Reads a proof file of `backend` and checks its checksum; returns the
    /// proof bytes. A file of another backend is an error naming the file.
    pub fn read(path: &Path, backend: &str) -> Result<(Self, Vec<u8>), Error> {
        let bytes = crate::container::read_at_most(path, MAX_PROOF_FILE)?;
        Self::parse(&bytes, backend).map_err(|reason| Error::Format {
            path: path.to_path_buf(),
            reason,
        })
    }

    /// [`Self::read`] on the file's bytes; the error says what is wrong.
    pub fn parse(bytes: &[u8], backend: &str) -> Result<(Self, Vec<u8>), String> {
        let file: ProofFile =
            serde_json::from_slice(bytes).map_err(|e| format!("malformed JSON: {e}"))?;
        if file.format != PROOF_FORMAT || file.version != PROOF_VERSION {
            return Err(format!(
                "field `format`: expected {PROOF_FORMAT} v{PROOF_VERSION}, found {} v{}",
                file.format, file.version
            ));
        }
        if file.backend != backend {
            return Err(format!(
                "field `backend`: a {} proof, not a {backend} one",
                file.backend
            ));
        }
        let proof = file
            .proof
            .strip_prefix("0x")
            .and_then(|h| hex::decode(h).ok())
            .ok_or_else(|| "field `proof`: not 0x hex".to_string())?;
        if hex0x(&keccak(&proof)) != file.checksum.to_lowercase() {
            return Err("field `checksum`: does not match the proof bytes".into());
        }
        Ok((file, proof))
    }

    /// The shape recorded in the file.
    pub fn shape(&self) -> Result<Shape, poa_circuits::Error> {
        Shape::new(self.slots, self.dim)
    }
}
