//! Groth16 over BN254 (arkworks): setup, keys and proving of the statement
//! circuit `poa_circuits::r1cs::circuit`.

mod keys;
mod prove;
mod setup;

pub use keys::ProvingKeyFile;
pub use prove::{prove, ProveTimings};
pub use setup::{setup_insecure, SetupOutput};

pub use crate::rng;
