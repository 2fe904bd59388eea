//! # poa-prover
//!
//! The trainer's side: proving backends and the file handling shared with the
//! `poa` tool.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod backend;
pub mod demo;
pub mod files;
pub mod groth16;
pub mod groth16_cp;
pub mod halo2;
#[cfg(feature = "plonky2")]
pub mod plonky2;
pub mod registry;

use poa_circuits::statement::Shape;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

/// Errors of the prover library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be written.
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The cause (in the message, not a `source`: printed once).
        cause: std::io::Error,
    },
    /// An input of the statement is malformed.
    #[error(transparent)]
    Statement(#[from] poa_circuits::Error),
    /// A key or proof file is malformed.
    #[error(transparent)]
    Verifier(#[from] poa_verifier::Error),
    /// The key's shape is not the epoch's.
    #[error("the proving key is for shape {key}, the epoch has shape {epoch}")]
    ShapeMismatch {
        /// The key's shape.
        key: Shape,
        /// The epoch's shape.
        epoch: Shape,
    },
    /// Constraint synthesis or proving failed.
    #[error("proving failed: {0}")]
    Synthesis(String),
    /// A contract could not be compiled.
    #[error(transparent)]
    Contracts(#[from] poa_contracts::Error),
    /// Flags that do not go together, or a backend that cannot do what
    /// was asked.
    #[error("{0}")]
    Usage(String),
    /// What was asked is not something this backend does.
    #[error("{0}")]
    Unsupported(String),
    /// The backend was left out of this build.
    #[error("{0}")]
    NotBuilt(String),
    /// The attribution-quality experiment cannot run as configured.
    #[error("quality experiment: {0}")]
    Experiment(String),
    /// The operating system gave no randomness.
    #[error("no system randomness: {0}")]
    Randomness(String),
    /// Phase 1 or phase 2 of a Groth16 setup.
    #[error(transparent)]
    Ceremony(#[from] groth16::ceremony::Error),
}

/// A CSPRNG seeded from the operating system, or from `seed` when given
/// (reproducible development setups only).
pub fn rng(seed: Option<[u8; 32]>) -> Result<ChaCha20Rng, Error> {
    let seed = match seed {
        Some(s) => s,
        None => {
            let mut s = [0u8; 32];
            getrandom::getrandom(&mut s).map_err(|e| Error::Randomness(e.to_string()))?;
            s
        }
    };
    Ok(ChaCha20Rng::from_seed(seed))
}
