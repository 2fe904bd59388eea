//! # poa-circuits
//!
//! The proof-of-attribution statement v1 (`SPEC.md`): the native reference
//! implementation that every backend, the contracts and the audit tools are
//! tested against, and the file formats of its inputs and outputs.
//!
//! Everything here is exact integer or field arithmetic; nothing depends on a
//! proving backend.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod attribution;
pub mod commit;
pub mod dataset;
mod error;
pub mod field;
pub mod fingerprint;
pub mod formats;
#[cfg(feature = "plonky2")]
pub mod goldilocks;
#[cfg(feature = "halo2")]
pub mod halo2;
pub mod merkle;
pub mod parallel;
pub mod poseidon;
pub mod public;
#[cfg(feature = "r1cs")]
pub mod r1cs;
pub mod statement;
pub mod tamper;
pub mod vectors;
pub mod widths;

pub use error::{Error, Problem};

/// The BN254 scalar field `F` of the statement.
pub type Fr = ark_bn254::Fr;

/// The statement version these types implement.
pub const STATEMENT_VERSION: u32 = 1;
