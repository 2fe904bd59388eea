//! Proving-key files of groth16-cp: `poa_verifier::container` (magic,
//! version, shape, Keccak checksum) around the key, uncompressed. Points
//! are not re-validated on load (the checksum guards against corruption;
//! a key only comes from our own setup).

use std::path::Path;

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use poa_circuits::statement::Shape;
use poa_verifier::container;
use poa_verifier::groth16_cp::{VerifyingKeyFile, CIRCUIT_VERSION, PK_MAGIC};

use super::CpProvingKey;
use crate::Error;

/// A proving key and the shape it was made for.
pub struct ProvingKeyFile {
    /// The shape.
    pub shape: Shape,
    /// The key.
    pub pk: CpProvingKey,
}

impl ProvingKeyFile {
    /// The sealed file contents.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut payload = Vec::with_capacity(self.pk.uncompressed_size());
        let _ = self.pk.serialize_with_mode(&mut payload, Compress::No);
        container::seal(PK_MAGIC, CIRCUIT_VERSION, self.shape, &payload)
    }

    /// Reads and checks a proving-key file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let bytes = container::read(path)?;
        let (shape, payload) = container::open(path, &bytes, PK_MAGIC, CIRCUIT_VERSION)?;
        let pk = CpProvingKey::deserialize_with_mode(payload, Compress::No, Validate::No).map_err(
            |e| poa_verifier::Error::Format {
                path: path.to_path_buf(),
                reason: format!("bad encoding: {e}"),
            },
        )?;
        Ok(ProvingKeyFile { shape, pk })
    }

    /// The verifying key of this proving key.
    pub fn verifying_key(&self) -> VerifyingKeyFile {
        VerifyingKeyFile {
            shape: self.shape,
            vk: self.pk.vk.clone(),
        }
    }
}
