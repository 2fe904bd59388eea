//! # poa-verifier
//!
//! Native verification: a claim's internal consistency (SPEC §5–§6, what any
//! verifier recomputes before it looks at a proof) and, per backend, the
//! proof itself. Also the versioned, checksummed containers of keys and
//! proofs, shared with the prover.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod audit;
pub mod backend;
pub mod claim;
pub mod container;
pub mod groth16;
pub mod groth16_cp;
pub mod halo2;
pub mod inclusion;
#[cfg(feature = "plonky2")]
pub mod plonky2;
pub mod proof_file;
pub mod snarkjs;
pub mod solidity;
mod template;
pub mod verdict;

use std::path::PathBuf;

pub use backend::{Log, Silent, Verification, Verifier};
pub use claim::{check_claim, Check, ClaimReport};
use poa_circuits::statement::Shape;
pub use proof_file::ProofFile;
pub use verdict::Verdict;

/// Errors of the verifier: malformed input, never a rejected proof (that is
/// `Ok` with a failed verdict).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input of the statement is malformed.
    #[error(transparent)]
    Statement(#[from] poa_circuits::Error),
    /// A file could not be read or written.
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause (in the message, not a `source`: printed once).
        cause: std::io::Error,
    },
    /// A key or proof file is malformed (magic, version, checksum, encoding).
    #[error("{}: {reason}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A key made for another shape than the claim's.
    #[error("{}: the key is for shape {key}, the claim for {claim}", path.display())]
    ShapeMismatch {
        /// The key file.
        path: PathBuf,
        /// The key's shape.
        key: Shape,
        /// The claim's shape.
        claim: Shape,
    },
    /// A backend could not generate a verifier.
    #[error("verifier generation: {0}")]
    Backend(String),
    /// A backend's circuits could not be built.
    #[error("building the circuits: {0}")]
    Circuit(String),
    /// The backend was left out of this build.
    #[error("{0}")]
    NotBuilt(String),
}
