//! # poa-prover
//!
//! The trainer's side: file handling shared by the `poa` tool and the proving
//! backends.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod files;

/// Errors of the prover library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// An input of the statement is malformed.
    #[error(transparent)]
    Statement(#[from] poa_circuits::Error),
}
