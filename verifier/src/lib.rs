//! # poa-verifier
//!
//! Native verification: a claim's internal consistency (SPEC §5–§6, what any
//! verifier recomputes before it looks at a proof) and, per backend, the
//! proof itself. Also the versioned, checksummed containers of keys and
//! proofs, shared with the prover.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod audit;
pub mod claim;
pub mod container;
pub mod groth16;
pub mod halo2;
pub mod snarkjs;
pub mod solidity;
mod template;

use std::path::PathBuf;

pub use claim::{check_claim, Check, ClaimReport};
use poa_circuits::statement::Shape;

/// Errors of the verifier: malformed input, never a rejected proof (that is
/// `Ok` with a failed verdict).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input of the statement is malformed.
    #[error(transparent)]
    Statement(#[from] poa_circuits::Error),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
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
}
