//! Errors of the statement library.

use std::path::PathBuf;

/// What is wrong with one field of an input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// Not a decimal or `0x` hex integer.
    #[error("`{0}` is not a decimal or 0x-hex integer")]
    NotANumber(String),
    /// A field element `≥ r`.
    #[error("`{0}` is not below the BN254 scalar field modulus r")]
    NotInField(String),
    /// An integer outside its allowed range.
    #[error("{value} is outside [{min}, {max}]")]
    OutOfRange {
        /// The value found.
        value: String,
        /// Smallest allowed value.
        min: String,
        /// Largest allowed value.
        max: String,
    },
    /// A vector of the wrong length.
    #[error("has {found} entries, expected {expected}")]
    Length {
        /// Expected length.
        expected: usize,
        /// Length found.
        found: usize,
    },
    /// The slot count `N` is not a power of two in `[2, 2^16]`.
    #[error("N = {0} is not a power of two in [2, 65536]")]
    SlotCount(u64),
    /// More active participants than slots.
    #[error("{n} participants do not fit in N = {slots} slots")]
    TooManyParticipants {
        /// Active participants.
        n: usize,
        /// Slots of the shape.
        slots: usize,
    },
    /// An active slot with dataset commitment 0 (reserved for padding).
    #[error("is 0, which marks a padding slot")]
    ZeroDataset,
    /// A value that does not match what it must equal.
    #[error("is {found}, expected {expected}")]
    Mismatch {
        /// What the statement gives.
        expected: String,
        /// What the input says.
        found: String,
    },
    /// A binary vector file named by an epoch file cannot be used: it lies
    /// outside the epoch file's folder, is not a regular file, has the wrong
    /// size, or is malformed.
    #[error("vector file {}: {reason}", path.display())]
    VectorFile {
        /// The vector file, as named (joined to the epoch file's folder).
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Anything else, in words.
    #[error("{0}")]
    Invalid(String),
}

/// Errors of the statement library.
///
/// Each error's text includes its cause, and no error exposes a
/// [`std::error::Error::source`]: printed as a chain (anyhow's `{:#}`),
/// every cause appears once.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A field of an input is invalid.
    #[error("{}field `{field}`: {problem}", file.as_ref().map(|p| format!("{}: ", p.display())).unwrap_or_default())]
    Field {
        /// The file it was read from, when there is one.
        file: Option<PathBuf>,
        /// The field, as a JSON path (`participants[2].update[17]`).
        field: String,
        /// What is wrong.
        problem: Problem,
    },
    /// A file could not be read or written.
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause, part of the text (not a `source`, so that a chain
        /// prints it once).
        cause: std::io::Error,
    },
    /// A file is not valid JSON of the expected form.
    #[error("{}: malformed JSON: {cause}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The cause, part of the text (not a `source`).
        cause: serde_json::Error,
    },
    /// A binary vector file is malformed.
    #[error("{}: {reason}", path.display())]
    BadVectorFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// Poseidon is defined for 1 to 16 inputs.
    #[error("Poseidon takes 1 to 16 inputs, not {0}")]
    PoseidonArity(usize),
    /// A dataset has no records.
    #[error("a dataset needs at least one record")]
    EmptyDataset,
    /// A Merkle index outside the tree.
    #[error("index {index} is outside a tree of {leaves} leaves")]
    IndexOutOfRange {
        /// The index asked for.
        index: usize,
        /// Leaves of the tree.
        leaves: usize,
    },
    /// A proving backend failed while laying out the circuit.
    #[error("circuit layout: {0}")]
    Backend(String),
}

impl Error {
    /// An error about one field, not yet tied to a file.
    pub fn field(field: impl Into<String>, problem: Problem) -> Self {
        Error::Field {
            file: None,
            field: field.into(),
            problem,
        }
    }

    /// Ties a field error to the file it came from.
    pub fn in_file(self, path: &std::path::Path) -> Self {
        match self {
            Error::Field {
                file: None,
                field,
                problem,
            } => Error::Field {
                file: Some(path.to_path_buf()),
                field,
                problem,
            },
            other => other,
        }
    }

    /// The problem, when this is a field error.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Error::Field { problem, .. } => Some(problem),
            _ => None,
        }
    }
}
