//! Production keys: a public phase 1 (snarkjs `.ptau` files), a
//! multi-party phase 2 on the circuit, and snarkjs's `.r1cs` and `.zkey`
//! formats, so that the keys can be made and audited with either tool.
//!
//! One file per step of the protocol:
//! - [`binfile`]: iden3's sectioned binary files (`.ptau`, `.r1cs`, `.zkey`);
//! - [`points`]: field elements and points as those files encode them;
//! - [`ptau`]: phase 1 (import, structure and pairing checks, cut to size);
//! - [`r1cs_export`]: the circuit in iden3's `.r1cs` format;
//! - [`zkey`]: phase-2 parameters (snarkjs's `.zkey`), and proving keys from them;
//! - [`init`]: the initial phase-2 parameters from phase 1 (`zkey new`);
//! - [`contribute`]: a contribution and the random beacon;
//! - [`cp`]: the commitment key of groth16-cp's phase 2 (σ, η);
//! - [`snarkjs_rng`]: snarkjs's ChaCha and hash-to-curve, bit for bit;
//! - [`files`]: a ceremony's state files and the key files it ends in;
//! - [`verify`]: the whole transcript, from phase 1 to the last contribution;
//! - [`qap`]: the QAP reduction snarkjs's keys are made for;
//! - [`insecure_ptau`]: a phase 1 of a known τ, for tests and benchmarks.

pub mod binfile;
pub mod contribute;
pub mod cp;
pub mod files;
pub mod init;
pub mod insecure_ptau;
pub mod points;
pub mod ptau;
pub mod qap;
pub mod r1cs_export;
pub mod snarkjs_rng;
pub mod verify;
pub mod zkey;

use std::path::PathBuf;

/// Errors of phase 1 and phase 2.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
    /// A file is malformed: `field` names what is wrong.
    #[error("{}: {field}: {reason}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// The section or field.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The file is for another curve than BN254.
    #[error("{}: {what} is not BN254's ({found}): this build only has BN254 (snarkjs `bn128`)", path.display())]
    WrongCurve {
        /// The file.
        path: PathBuf,
        /// Which prime.
        what: &'static str,
        /// What the file says.
        found: String,
    },
    /// The phase-1 file is too small for the circuit.
    #[error("{}: powers of tau of 2^{power}, the circuit needs 2^{needed} (a file of power {needed} or more)", path.display())]
    TooSmall {
        /// The file.
        path: PathBuf,
        /// The file's power.
        power: u32,
        /// The circuit's.
        needed: u32,
    },
    /// A pairing check of phase 1 failed.
    #[error("{}: phase 1 is inconsistent: {check}", path.display())]
    Phase1 {
        /// The file.
        path: PathBuf,
        /// Which check.
        check: String,
    },
    /// The phase-2 parameters are not for this circuit.
    #[error("{}: not a key for this circuit: {reason}", path.display())]
    WrongCircuit {
        /// The file.
        path: PathBuf,
        /// What differs.
        reason: String,
    },
    /// A contribution of the transcript does not verify.
    #[error("{}: contribution #{index}{}: {reason}", path.display(), name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default())]
    Contribution {
        /// The file.
        path: PathBuf,
        /// Its index (1 = first).
        index: usize,
        /// Its name, if it has one.
        name: Option<String>,
        /// What failed.
        reason: String,
    },
    /// The phase-2 parameters do not follow from phase 1 and the
    /// contributions.
    #[error("{}: {reason}", path.display())]
    Transcript {
        /// The file.
        path: PathBuf,
        /// What failed.
        reason: String,
    },
    /// Bad arguments.
    #[error("{0}")]
    Usage(String),
    /// The operating system gave no randomness.
    #[error("no system randomness: {0}")]
    Randomness(String),
    /// The circuit could not be synthesized.
    #[error("circuit synthesis failed: {0}")]
    Synthesis(String),
}

impl Error {
    /// A format error.
    pub(crate) fn format(
        path: &std::path::Path,
        field: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Error::Format {
            path: path.to_path_buf(),
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Whether the input was malformed (exit 2) rather than well-formed
    /// but invalid (exit 1).
    pub fn is_rejection(&self) -> bool {
        matches!(
            self,
            Error::Phase1 { .. }
                | Error::Contribution { .. }
                | Error::Transcript { .. }
                | Error::WrongCircuit { .. }
        )
    }
}
