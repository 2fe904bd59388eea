//! Proving-key files: the container of `poa_verifier::container`, with the
//! key uncompressed. Points are not re-validated on load (that would cost
//! more than proving); the Keccak checksum guards against corruption, and a
//! key is only ever produced by our own setup.

use std::path::Path;

use ark_bn254::Bn254;
use ark_groth16::ProvingKey;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use poa_circuits::statement::Shape;
use poa_verifier::container;
use poa_verifier::groth16::{CIRCUIT_VERSION, PK_MAGIC, VK_PAYLOAD};

use crate::Error;

/// The magic of proving keys for snarkjs's QAP reduction (from a `.ptau`,
/// a ceremony or an imported `.zkey`); [`PK_MAGIC`] is arkworks' own.
pub const PK_MAGIC_SNARKJS: &[u8; 8] = b"POAG16PS";

/// Which R1CS-to-QAP reduction a proving key's H query is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qap {
    /// arkworks' `LibsnarkReduction` (`poa setup --insecure-single-party`).
    Libsnark,
    /// snarkjs's ([`super::ceremony::qap::SnarkjsReduction`]).
    Snarkjs,
}

/// A proving key and the shape it was made for.
pub struct ProvingKeyFile {
    /// The shape.
    pub shape: Shape,
    /// The key.
    pub pk: ProvingKey<Bn254>,
    /// The reduction its H query is for.
    pub qap: Qap,
}

impl ProvingKeyFile {
    /// The sealed file contents.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut payload = Vec::with_capacity(self.pk.uncompressed_size());
        let _ = self.pk.serialize_with_mode(&mut payload, Compress::No);
        let magic = match self.qap {
            Qap::Libsnark => PK_MAGIC,
            Qap::Snarkjs => PK_MAGIC_SNARKJS,
        };
        container::seal(magic, CIRCUIT_VERSION, self.shape, &payload)
    }

    /// Reads and checks a proving-key file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        Self::from_bytes(path, &container::read(path)?)
    }

    /// Decodes and checks the bytes of a proving-key file (what
    /// [`ProvingKeyFile::read`] reads); errors name `path` (for messages
    /// only). The layout is walked first, so no length
    /// in the payload sizes an allocation the bytes do not back.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Self, Error> {
        let qap = if bytes.starts_with(PK_MAGIC_SNARKJS) {
            Qap::Snarkjs
        } else {
            Qap::Libsnark
        };
        let magic = match qap {
            Qap::Libsnark => PK_MAGIC,
            Qap::Snarkjs => PK_MAGIC_SNARKJS,
        };
        let (shape, payload) = container::open(path, bytes, magic, CIRCUIT_VERSION)?;
        check_layout(payload).map_err(|reason| poa_verifier::Error::Format {
            path: path.to_path_buf(),
            reason,
        })?;
        let pk = ProvingKey::deserialize_with_mode(payload, Compress::No, Validate::No).map_err(
            |e| poa_verifier::Error::Format {
                path: path.to_path_buf(),
                reason: format!("bad encoding: {e}"),
            },
        )?;
        Ok(ProvingKeyFile { shape, pk, qap })
    }
}

/// Walks arkworks' uncompressed `ProvingKey` layout without allocating:
/// the verifying key ([`VK_PAYLOAD`] bytes, six `γ_abc` points), `β`, `δ`
/// in G1, then five vectors, each a u64 length and its points (G1 64
/// bytes, G2 128). Every length must fit in what is left of the payload
/// and the vectors must end it exactly, so the deserializer never sizes an
/// allocation by a length the file did not back with bytes.
pub(crate) fn check_layout(payload: &[u8]) -> Result<(), String> {
    let u64_at = |at: usize| -> Option<u64> {
        let b: [u8; 8] = payload.get(at..at.checked_add(8)?)?.try_into().ok()?;
        Some(u64::from_le_bytes(b))
    };
    if u64_at(448) != Some(6) {
        return Err("the verifying key inside is not one of five public inputs".into());
    }
    let mut at = VK_PAYLOAD + 2 * 64;
    for (name, point) in [
        ("a_query", 64u64),
        ("b_g1_query", 64),
        ("b_g2_query", 128),
        ("h_query", 64),
        ("l_query", 64),
    ] {
        let len = u64_at(at).ok_or_else(|| format!("truncated before `{name}`"))?;
        let end = len
            .checked_mul(point)
            .and_then(|n| n.checked_add(at as u64 + 8))
            .filter(|&end| end <= payload.len() as u64)
            .ok_or_else(|| {
                format!(
                    "`{name}` claims {len} points, more than the {} bytes left",
                    payload.len().saturating_sub(at + 8)
                )
            })?;
        at = end as usize;
    }
    if at != payload.len() {
        return Err(format!(
            "{} bytes after the proving key",
            payload.len() - at
        ));
    }
    Ok(())
}
