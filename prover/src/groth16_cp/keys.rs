//! Proving-key files of groth16-cp: `poa_verifier::container` (magic,
//! version, shape, Keccak checksum) around the key, uncompressed. Points
//! are not re-validated on load (the checksum guards against corruption;
//! a key only comes from our own setup or ceremony). The magic tells the
//! QAP reduction its H query is for: [`PK_MAGIC`] arkworks' (the
//! single-party setup), [`PK_MAGIC_SNARKJS`] snarkjs's (`poa ceremony`).

use std::path::Path;

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use poa_circuits::statement::Shape;
use poa_verifier::container;
use poa_verifier::groth16_cp::{VerifyingKeyFile, CIRCUIT_VERSION, PK_MAGIC};

use super::CpProvingKey;
use crate::groth16::Qap;
use crate::Error;

/// The magic of groth16-cp proving keys for snarkjs's QAP reduction (from
/// `poa ceremony finalize`); [`PK_MAGIC`] is arkworks' own.
pub const PK_MAGIC_SNARKJS: &[u8; 8] = b"POACPGPS";

fn magic(qap: Qap) -> &'static [u8; 8] {
    match qap {
        Qap::Libsnark => PK_MAGIC,
        Qap::Snarkjs => PK_MAGIC_SNARKJS,
    }
}

/// A proving key and the shape it was made for.
pub struct ProvingKeyFile {
    /// The shape.
    pub shape: Shape,
    /// The key.
    pub pk: CpProvingKey,
    /// The reduction its H query is for.
    pub qap: Qap,
}

impl ProvingKeyFile {
    /// The sealed file contents.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut payload = Vec::with_capacity(self.pk.uncompressed_size());
        let _ = self.pk.serialize_with_mode(&mut payload, Compress::No);
        container::seal(magic(self.qap), CIRCUIT_VERSION, self.shape, &payload)
    }

    /// Reads and checks a proving-key file: the checksum, and its verifying
    /// key's points validated and [`CpVerifyingKey::check`]ed. The bulk of
    /// the proving key (millions of points) is not subgroup-checked: it is
    /// the prover's own and covered by the checksum, and a bad one only
    /// makes proofs the verifier (with its own validated key) rejects.
    ///
    /// [`CpVerifyingKey::check`]: poa_verifier::groth16_cp::CpVerifyingKey::check
    pub fn read(path: &Path) -> Result<Self, Error> {
        let bytes = container::read(path)?;
        let qap = if bytes.starts_with(PK_MAGIC_SNARKJS) {
            Qap::Snarkjs
        } else {
            Qap::Libsnark
        };
        let (shape, payload) = container::open(path, &bytes, magic(qap), CIRCUIT_VERSION)?;
        let bad = |reason: String| poa_verifier::Error::Format {
            path: path.to_path_buf(),
            reason,
        };
        let pk = CpProvingKey::deserialize_with_mode(payload, Compress::No, Validate::No)
            .map_err(|e| bad(format!("bad encoding: {e}")))?;
        let mut vk_bytes = Vec::new();
        let _ = pk.vk.serialize_with_mode(&mut vk_bytes, Compress::No);
        poa_verifier::groth16_cp::CpVerifyingKey::deserialize_with_mode(
            vk_bytes.as_slice(),
            Compress::No,
            Validate::Yes,
        )
        .map_err(|e| bad(format!("verifying key: {e}")))?;
        pk.vk
            .check()
            .map_err(|e| bad(format!("verifying key: {e}")))?;
        Ok(ProvingKeyFile { shape, pk, qap })
    }

    /// The verifying key of this proving key.
    pub fn verifying_key(&self) -> VerifyingKeyFile {
        VerifyingKeyFile {
            shape: self.shape,
            vk: self.pk.vk.clone(),
        }
    }
}
