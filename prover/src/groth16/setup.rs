//! Circuit-specific setup. Single-party: whoever runs it knows the toxic
//! waste and could forge proofs, so it is for development only.

use ark_bn254::Bn254;
use ark_groth16::Groth16;
use poa_circuits::r1cs::circuit::AttributionCircuit;
use poa_circuits::statement::Shape;
use poa_verifier::groth16::VerifyingKeyFile;

use super::{rng, ProvingKeyFile, Qap};
use crate::Error;

/// Keys of one shape.
pub struct SetupOutput {
    /// Proving key.
    pub pk: ProvingKeyFile,
    /// Verifying key.
    pub vk: VerifyingKeyFile,
}

/// An insecure single-party setup for `shape` (a fixed `seed` makes it
/// reproducible, which is only useful in tests).
pub fn setup_insecure(shape: Shape, seed: Option<[u8; 32]>) -> Result<SetupOutput, Error> {
    let mut rng = rng(seed)?;
    let pk = Groth16::<Bn254>::generate_random_parameters_with_reduction(
        AttributionCircuit::placeholder(shape)?,
        &mut rng,
    )
    .map_err(|e| Error::Synthesis(e.to_string()))?;
    let vk = VerifyingKeyFile {
        shape,
        vk: pk.vk.clone(),
    };
    Ok(SetupOutput {
        pk: ProvingKeyFile {
            shape,
            pk,
            qap: Qap::Libsnark,
        },
        vk,
    })
}
