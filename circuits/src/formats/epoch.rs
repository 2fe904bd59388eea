//! The epoch file: the trainer's private witness, its vectors inline or in
//! binary files beside it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{dec, read_json, ContextFile, Num};
use crate::attribution::POOL_BITS;
use crate::formats::npy::read_int16_file;
use crate::statement::{Epoch, Participant, Shape};
use crate::{Error, Problem};

/// A vector given inline or as the path of a binary file (relative paths are
/// resolved against the epoch file's folder).
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
    fn load(&self, field: &str, base: Option<&Path>) -> Result<Vec<i16>, Error> {
        match self {
            VectorSource::Inline(entries) => int16_entries(field, entries),
            VectorSource::File(name) => {
                let path = match base {
                    Some(dir) => dir.join(name),
                    None => PathBuf::from(name),
                };
                read_int16_file(&path)
            }
        }
    }
}

impl EpochFile {
    /// Reads an epoch file. A file holding `{"epoch": {...}}` (a test-vector
    /// case) is accepted too. Errors name the file and the field.
    pub fn read(path: &Path) -> Result<Epoch, Error> {
        let value: serde_json::Value = read_json(path)?;
        let value = match value.get("epoch") {
            Some(inner) if inner.is_object() => inner.clone(),
            _ => value,
        };
        let file: EpochFile = serde_json::from_value(value).map_err(|source| Error::Json {
            path: path.to_path_buf(),
            source,
        })?;
        file.parse(path.parent()).map_err(|e| e.in_file(path))
    }

    /// Converts to the typed epoch and checks every bound.
    pub fn parse(&self, base: Option<&Path>) -> Result<Epoch, Error> {
        let shape = Shape::new(self.slots, self.dim)?;
        let pool = self.pool.u128("pool", POOL_BITS)?;
        let participants = self
            .participants
            .iter()
            .enumerate()
            .map(|(c, p)| {
                Ok(Participant {
                    dataset: p.dataset.fr(&format!("participants[{c}].D"))?,
                    salt: p.salt.fr(&format!("participants[{c}].salt"))?,
                    update: p.update.load(&format!("participants[{c}].update"), base)?,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let epoch = Epoch {
            shape,
            pool,
            participants,
            validation: self.validation.vector.load("validation.vector", base)?,
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
