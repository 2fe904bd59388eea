//! The epoch file: the trainer's private witness, its vectors inline or in
//! binary files beside it.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::common::{dec, json_error, parse_json, read_bytes, ContextFile, Num};
use super::npy::{read_int16_vector, Encoding};
use crate::statement::{Epoch, Participant, Shape};
use crate::widths::as_u64::POOL_BITS;
use crate::{Error, Problem};

/// A vector given inline or as the path of a binary file, relative to the
/// epoch file's folder and inside it (no absolute path, no `..`, no symlink
/// out of it), of exactly `D` entries.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum VectorSource {
    /// Entries inline.
    Inline(Vec<i64>),
    /// A `.npy` (`<i2`, one-dimensional) or raw little-endian int16 file.
    File(String),
}

/// One participant of an epoch file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ParticipantFile {
    /// `D_c`.
    #[serde(rename = "D")]
    pub dataset: Num,
    /// `σ_c`.
    pub salt: Num,
    /// `Δ_c`.
    pub update: VectorSource,
}

/// The validation direction of an epoch file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ValidationFile {
    /// `σ_v`.
    pub salt: Num,
    /// `v`.
    pub vector: VectorSource,
}

/// The epoch file: the trainer's private witness (the `epoch` objects of
/// `vectors/statement.json`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EpochFile {
    /// `N`.
    #[serde(rename = "N")]
    pub slots: u64,
    /// `D`.
    #[serde(rename = "D")]
    pub dim: u64,
    /// The pool.
    pub pool: Num,
    /// Active participants, slot order.
    pub participants: Vec<ParticipantFile>,
    /// `v` and `σ_v`.
    pub validation: ValidationFile,
    /// Context words.
    pub ctx: ContextFile,
}

fn int16_entries(field: &str, entries: &[i64]) -> Result<Vec<i16>, Error> {
    entries
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            i16::try_from(x).map_err(|_| {
                Error::field(
                    format!("{field}[{i}]"),
                    Problem::OutOfRange {
                        value: x.to_string(),
                        min: "-32768".into(),
                        max: "32767".into(),
                    },
                )
            })
        })
        .collect()
}

impl VectorSource {
    /// The entries: inline ones range-checked, a file's read from the
    /// epoch file's folder `dir` (see [`confine`]) after its size is checked
    /// against `D = dim`. With no folder, a file is refused.
    fn load(&self, field: &str, dim: usize, dir: Option<&Path>) -> Result<Vec<i16>, Error> {
        match self {
            VectorSource::Inline(entries) => int16_entries(field, entries),
            VectorSource::File(name) => {
                let problem = |path: PathBuf, reason: String| {
                    Error::field(field, Problem::VectorFile { path, reason })
                };
                let Some(dir) = dir else {
                    return Err(problem(
                        PathBuf::from(name),
                        "a vector file is read only from an epoch file's folder, and this \
                         epoch was not read from a file"
                            .into(),
                    ));
                };
                let named = dir.join(name);
                let path = confine(dir, name).map_err(|reason| problem(named.clone(), reason))?;
                read_int16_vector(&path, Encoding::of(Path::new(name)), dim).map_err(|e| {
                    let reason = match e {
                        Error::BadVectorFile { reason, .. } => reason,
                        Error::Io { cause, .. } => cause.to_string(),
                        other => other.to_string(),
                    };
                    problem(named, reason)
                })
            }
        }
    }
}

/// The canonical path of the vector file `name` (as an epoch file in `dir`
/// names it), refused unless it lies under `dir`: `name` must be relative,
/// have no `..` component, and its canonical path (symlinks followed) must
/// lie under the canonical `dir`. The error is the reason, in words.
fn confine(dir: &Path, name: &str) -> Result<PathBuf, String> {
    let rel = Path::new(name);
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    if rel.is_absolute() || rel.has_root() {
        return Err(
            "is an absolute path; name a vector file relative to the epoch \
                    file's folder, inside it"
                .into(),
        );
    }
    if rel
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(
            "has a `..` component; a vector file must lie inside the epoch \
                    file's folder"
                .into(),
        );
    }
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let root = dir
        .canonicalize()
        .map_err(|e| format!("the epoch file's folder {}: {e}", dir.display()))?;
    let target = dir.join(rel).canonicalize().map_err(|e| e.to_string())?;
    if !target.starts_with(&root) {
        return Err(format!(
            "resolves to {}, outside the epoch file's folder {}",
            target.display(),
            root.display()
        ));
    }
    Ok(target)
}

impl EpochFile {
    /// Reads an epoch file. A file holding `{"epoch": {...}}` (a test-vector
    /// case) is accepted too. Errors name the file and the field. Vector
    /// files are read from the file's folder, never outside it.
    pub fn read(path: &Path) -> Result<Epoch, Error> {
        let bytes = read_bytes(path)?;
        let dir = path.parent().unwrap_or(Path::new(""));
        Self::parse_bytes(&bytes, dir, path)
    }

    /// Parses the bytes of an epoch file (what [`EpochFile::read`] reads):
    /// vector files are named relative to `dir` and must lie under it;
    /// errors name `path` (the file the bytes came from, for messages
    /// only) and the field.
    pub fn parse_bytes(bytes: &[u8], dir: &Path, path: &Path) -> Result<Epoch, Error> {
        let value: serde_json::Value = parse_json(bytes, path)?;
        let value = match value.get("epoch") {
            Some(inner) if inner.is_object() => inner.clone(),
            _ => value,
        };
        let file: EpochFile =
            serde_json::from_value(value).map_err(|cause| json_error(path, cause))?;
        file.parse(Some(dir)).map_err(|e| e.in_file(path))
    }

    /// Converts to the typed epoch and checks every bound. Vector files
    /// are named relative to the folder `base` and must lie under it (see
    /// [`EpochFile::read`]); with no folder, a vector file is refused.
    pub fn parse(&self, base: Option<&Path>) -> Result<Epoch, Error> {
        let shape = Shape::new(self.slots, self.dim)?;
        let pool = self.pool.u128("pool", POOL_BITS)?;
        // No file is read for more participants than slots.
        let n = self.participants.len();
        if n == 0 || n > shape.slots {
            return Err(Error::field(
                "participants",
                Problem::TooManyParticipants {
                    n,
                    slots: shape.slots,
                },
            ));
        }
        let participants = self
            .participants
            .iter()
            .enumerate()
            .map(|(c, p)| {
                Ok(Participant {
                    dataset: p.dataset.fr(&format!("participants[{c}].D"))?,
                    salt: p.salt.fr(&format!("participants[{c}].salt"))?,
                    update: p
                        .update
                        .load(&format!("participants[{c}].update"), shape.dim, base)?,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let epoch = Epoch {
            shape,
            pool,
            participants,
            validation: self
                .validation
                .vector
                .load("validation.vector", shape.dim, base)?,
            validation_salt: self.validation.salt.fr("validation.salt")?,
            ctx: self.ctx.parse()?,
        };
        epoch.validate()?;
        Ok(epoch)
    }

    /// The file form of an epoch, vectors inline.
    pub fn from_epoch(epoch: &Epoch) -> Self {
        let inline = |v: &[i16]| VectorSource::Inline(v.iter().map(|&x| i64::from(x)).collect());
        EpochFile {
            slots: epoch.shape.slots as u64,
            dim: epoch.shape.dim as u64,
            pool: Num::Text(epoch.pool.to_string()),
            participants: epoch
                .participants
                .iter()
                .map(|p| ParticipantFile {
                    dataset: dec(&p.dataset),
                    salt: dec(&p.salt),
                    update: inline(&p.update),
                })
                .collect(),
            validation: ValidationFile {
                salt: dec(&epoch.validation_salt),
                vector: inline(&epoch.validation),
            },
            ctx: ContextFile::from_context(&epoch.ctx),
        }
    }
}
