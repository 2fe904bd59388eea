//! Groth16 over BN254 (arkworks): setup, keys and proving of the statement
//! circuit `poa_circuits::r1cs::circuit`.

mod backend;
pub mod ceremony;
mod keys;
mod prove;
mod setup;

pub use backend::Groth16;
pub use keys::{ProvingKeyFile, Qap, PK_MAGIC_SNARKJS};
pub use prove::{prove, ProveTimings};
pub use setup::{setup_insecure, SetupOutput};

pub use crate::rng;
