//! # poa-contracts
//!
//! The Solidity of `contracts/src/` and generated verifiers, compiled by the
//! solc pinned in `contracts/package.json` (through `compile.js`), and an
//! in-process EVM (revm) to run them in tests and gas reports.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod abi;
pub mod build;
pub mod claims;
pub mod evm;
pub mod settlement;

/// Errors of building and running contracts.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// solc (through Node.js) failed or is not installed.
    #[error("solc: {0}")]
    Compile(String),
    /// A file could not be read or written.
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The cause (in the message, not a `source`: printed once).
        cause: std::io::Error,
    },
    /// The EVM refused the transaction itself (not a revert).
    #[error("transaction refused: {0}")]
    Transaction(String),
    /// A call that had to succeed reverted.
    #[error("{call} reverted: {reason}")]
    Reverted {
        /// The function called.
        call: String,
        /// The decoded custom error, or the revert data in hex.
        reason: String,
    },
    /// A deployment reverted or halted.
    #[error("deployment of {0} failed")]
    Deploy(String),
}
