//! Groth16 over BN254 (arkworks): setup, keys and proving of the statement
//! circuit `poa_circuits::r1cs::circuit`.

mod backend;
mod keys;
mod prove;
mod setup;

pub use backend::Groth16;
pub use keys::ProvingKeyFile;
pub use prove::{prove, ProveTimings};
pub use setup::{setup_insecure, SetupOutput};

pub use crate::rng;
