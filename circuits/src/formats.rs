//! File formats (JSON, documented in the README): the epoch (private
//! witness), the claim (everything public), the report (private scores) and
//! the inclusion path; plus int16 vector files (raw little-endian or `.npy`).
//! The Goldilocks profile's parts (the claim's `goldilocks` commitments, a
//! slot's path under the Goldilocks `Q`) are in [`goldilocks`].

pub mod goldilocks;

use std::path::{Path, PathBuf};

use num_bigint::BigUint;
use num_traits::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::field::{fr_to_decimal, parse_bounded, parse_fr};
use crate::merkle::MerklePath;
use crate::public::{Context, PublicStatement};
use crate::statement::{Attribution, Epoch, Participant, Shape};
use crate::widths::as_u64::POOL_BITS;
use crate::{Error, Fr, Problem};

use self::goldilocks::{GoldilocksCommitments, GoldilocksCommitmentsFile, GOLDILOCKS_SLOT};

/// Format tag of claim files.
pub const CLAIM_FORMAT: &str = "poa-claim";
/// Version of claim files. v2 (v1 plus the optional `goldilocks`
/// commitments) is the only one read: a v1 claim cannot say which
/// profile's commitments a proof must publish.
pub const CLAIM_VERSION: u32 = 2;
/// Format tag of report files.
pub const REPORT_FORMAT: &str = "poa-report";
/// Format tag of inclusion files.
pub const INCLUSION_FORMAT: &str = "poa-inclusion";
/// Version of the report and inclusion formats (claims have
/// [`CLAIM_VERSION`]).
pub const FORMAT_VERSION: u32 = 1;

/// An integer written as a decimal or `0x` hex string, or as a JSON number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Num {
    /// `"123"` or `"0x7b"`.
    Text(String),
    /// `123`.
    Int(u64),
}

impl Num {
    /// The integer as written (a JSON number as decimal).
    pub fn text(&self) -> String {
        match self {
            Num::Text(s) => s.clone(),
            Num::Int(i) => i.to_string(),
        }
    }
    fn fr(&self, field: &str) -> Result<Fr, Error> {
        parse_fr(field, &self.text())
    }
    fn uint(&self, field: &str, bits: u64) -> Result<BigUint, Error> {
        parse_bounded(field, &self.text(), bits)
    }
    fn u128(&self, field: &str, bits: u64) -> Result<u128, Error> {
        // bits ≤ 128 at every call site.
        Ok(self.uint(field, bits)?.to_u128().unwrap_or(u128::MAX))
    }
}

fn dec(x: &Fr) -> Num {
    Num::Text(fr_to_decimal(x))
}

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

/// The context words as written in files.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContextFile {
    /// `chainId`.
    pub chain_id: Num,
    /// The settlement contract's address as an integer; 0 off chain.
    pub verifier: Num,
    /// `modelId`.
    pub model_id: Num,
    /// `epoch`.
    pub epoch: Num,
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

impl ContextFile {
    fn parse(&self) -> Result<Context, Error> {
        Ok(Context {
            chain_id: self.chain_id.uint("ctx.chainId", 256)?,
            verifier: self.verifier.uint("ctx.verifier", 256)?,
            model_id: self.model_id.uint("ctx.modelId", 256)?,
            epoch: self.epoch.uint("ctx.epoch", 256)?,
        })
    }

    fn from_context(ctx: &Context) -> Self {
        ContextFile {
            chain_id: Num::Text(ctx.chain_id.to_string()),
            verifier: Num::Text(ctx.verifier.to_string()),
            model_id: Num::Text(ctx.model_id.to_string()),
            epoch: Num::Text(ctx.epoch.to_string()),
        }
    }
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

/// The claim: everything public about an epoch. Scores never appear here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The circuit shape.
    pub shape: Shape,
    /// Context, `Q`, `V`, pool, datasets and payouts.
    pub public: PublicStatement,
    /// `pool − Σ a_c`.
    pub dust: u128,
    /// The claimed `γ`.
    pub gamma: Fr,
    /// The claimed `h`.
    pub h: Fr,
    /// The claimed `[Q, V, pool, γ, h]`.
    pub public_inputs: Vec<Fr>,
    /// The Goldilocks profile's `Q` and `V`, in a claim made for a plonky2
    /// proof (`poa attribute --backend plonky2`); `None` otherwise.
    pub goldilocks: Option<GoldilocksCommitments>,
}

/// The claim as written to disk.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClaimFile {
    /// Always `poa-claim`.
    pub format: String,
    /// Format version.
    pub version: u32,
    /// `chainId`.
    #[serde(rename = "chainId")]
    pub chain_id: Num,
    /// Settlement contract address; 0 off chain.
    pub verifier: Num,
    /// `modelId`.
    #[serde(rename = "modelId")]
    pub model_id: Num,
    /// `epoch`.
    pub epoch: Num,
    /// `N`.
    #[serde(rename = "N")]
    pub slots: u64,
    /// `D`.
    #[serde(rename = "D")]
    pub dim: u64,
    /// `Q`.
    #[serde(rename = "Q")]
    pub q: Num,
    /// `V`.
    #[serde(rename = "V")]
    pub v: Num,
    /// The pool.
    pub pool: Num,
    /// `n`.
    pub n: u64,
    /// `D_0 … D_{n-1}`.
    pub datasets: Vec<Num>,
    /// `a_0 … a_{n-1}`.
    pub payouts: Vec<Num>,
    /// `pool − Σ a_c`.
    pub dust: Num,
    /// `γ`.
    pub gamma: Num,
    /// `h`.
    pub h: Num,
    /// `[Q, V, pool, γ, h]`.
    #[serde(rename = "publicInputs")]
    pub public_inputs: Vec<Num>,
    /// The Goldilocks profile's `Q` and `V` (a claim for a plonky2 proof).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goldilocks: Option<GoldilocksCommitmentsFile>,
}

impl Claim {
    /// The claim of an attributed epoch.
    pub fn new(epoch: &Epoch, attribution: &Attribution) -> Self {
        Claim {
            shape: epoch.shape,
            public: attribution.public.clone(),
            dust: attribution.split.dust,
            gamma: attribution.gamma,
            h: attribution.h,
            public_inputs: attribution.public_inputs().to_vec(),
            goldilocks: None,
        }
    }

    /// The Goldilocks commitments a plonky2 proof must publish, or an
    /// error naming the field `goldilocks` when the claim has none (the
    /// caller adds the file with [`Error::in_file`]).
    pub fn goldilocks(&self) -> Result<&GoldilocksCommitments, Error> {
        self.goldilocks.as_ref().ok_or_else(|| {
            Error::field(
                "goldilocks",
                Problem::Invalid(
                    "missing: a plonky2 proof publishes the Goldilocks Q and V, and this claim \
                     does not carry them (write it with `poa attribute --backend plonky2`)"
                        .into(),
                ),
            )
        })
    }

    /// The file form.
    pub fn to_file(&self) -> ClaimFile {
        let ctx = ContextFile::from_context(&self.public.ctx);
        ClaimFile {
            format: CLAIM_FORMAT.into(),
            version: CLAIM_VERSION,
            chain_id: ctx.chain_id,
            verifier: ctx.verifier,
            model_id: ctx.model_id,
            epoch: ctx.epoch,
            slots: self.shape.slots as u64,
            dim: self.shape.dim as u64,
            q: dec(&self.public.q),
            v: dec(&self.public.v),
            pool: Num::Text(self.public.pool.to_string()),
            n: self.public.datasets.len() as u64,
            datasets: self.public.datasets.iter().map(dec).collect(),
            payouts: self
                .public
                .payouts
                .iter()
                .map(|a| Num::Text(a.to_string()))
                .collect(),
            dust: Num::Text(self.dust.to_string()),
            gamma: dec(&self.gamma),
            h: dec(&self.h),
            public_inputs: self.public_inputs.iter().map(dec).collect(),
            goldilocks: self.goldilocks.as_ref().map(GoldilocksCommitments::to_file),
        }
    }

    /// Reads and parses a claim file; errors name the file and the field.
    /// Consistency (γ, h, sums) is checked by the verifier, not here.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let file: ClaimFile = read_json(path)?;
        file.parse().map_err(|e| e.in_file(path))
    }

    /// Writes the claim as pretty JSON.
    pub fn to_json(&self) -> String {
        pretty(&self.to_file())
    }
}

impl ClaimFile {
    /// Converts to the typed claim, checking each field's range.
    pub fn parse(&self) -> Result<Claim, Error> {
        if self.format != CLAIM_FORMAT || self.version != CLAIM_VERSION {
            let older = self.format == CLAIM_FORMAT && self.version < CLAIM_VERSION;
            return Err(Error::field(
                "format",
                Problem::Mismatch {
                    expected: format!("{CLAIM_FORMAT} v{CLAIM_VERSION}"),
                    found: format!(
                        "{} v{}{}",
                        self.format,
                        self.version,
                        if older {
                            ", which is not supported: re-run `poa attribute` to write a v2 claim"
                        } else {
                            ""
                        }
                    ),
                },
            ));
        }
        let shape = Shape::new(self.slots, self.dim)?;
        let ctx = ContextFile {
            chain_id: self.chain_id.clone(),
            verifier: self.verifier.clone(),
            model_id: self.model_id.clone(),
            epoch: self.epoch.clone(),
        }
        .parse()?;
        let n = self.n as usize;
        if n == 0 || n > shape.slots {
            return Err(Error::field(
                "n",
                Problem::TooManyParticipants {
                    n,
                    slots: shape.slots,
                },
            ));
        }
        for (name, len) in [
            ("datasets", self.datasets.len()),
            ("payouts", self.payouts.len()),
        ] {
            if len != n {
                return Err(Error::field(
                    name,
                    Problem::Length {
                        expected: n,
                        found: len,
                    },
                ));
            }
        }
        if self.public_inputs.len() != 5 {
            return Err(Error::field(
                "publicInputs",
                Problem::Length {
                    expected: 5,
                    found: self.public_inputs.len(),
                },
            ));
        }
        let datasets = self
            .datasets
            .iter()
            .enumerate()
            .map(|(c, d)| d.fr(&format!("datasets[{c}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let payouts = self
            .payouts
            .iter()
            .enumerate()
            .map(|(c, a)| a.u128(&format!("payouts[{c}]"), POOL_BITS))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Claim {
            shape,
            public: PublicStatement {
                ctx,
                q: self.q.fr("Q")?,
                v: self.v.fr("V")?,
                pool: self.pool.u128("pool", POOL_BITS)?,
                datasets,
                payouts,
            },
            dust: self.dust.u128("dust", POOL_BITS)?,
            gamma: self.gamma.fr("gamma")?,
            h: self.h.fr("h")?,
            public_inputs: self
                .public_inputs
                .iter()
                .enumerate()
                .map(|(i, x)| x.fr(&format!("publicInputs[{i}]")))
                .collect::<Result<Vec<_>, _>>()?,
            goldilocks: self
                .goldilocks
                .as_ref()
                .map(GoldilocksCommitmentsFile::parse)
                .transpose()?,
        })
    }
}

/// The private report: scores and commitments (never published).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReportFile {
    /// Always `poa-report`.
    pub format: String,
    /// Format version.
    pub version: u32,
    /// `s_c` per active slot (signed decimal).
    pub scores: Vec<String>,
    /// `S`.
    #[serde(rename = "S")]
    pub total: String,
    /// `U_c` per active slot.
    #[serde(rename = "updateCommitments")]
    pub update_commitments: Vec<Num>,
    /// `L_0 … L_{N-1}`.
    pub leaves: Vec<Num>,
}

impl ReportFile {
    /// The report of an attribution.
    pub fn new(attribution: &Attribution) -> Self {
        ReportFile {
            format: REPORT_FORMAT.into(),
            version: FORMAT_VERSION,
            scores: attribution.scores.iter().map(|s| s.to_string()).collect(),
            total: attribution.split.total.to_string(),
            update_commitments: attribution.update_commitments.iter().map(dec).collect(),
            leaves: attribution.leaves.iter().map(dec).collect(),
        }
    }
}

/// A Merkle inclusion path, for a slot under `Q` or a record under a
/// dataset root.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InclusionFile {
    /// Always `poa-inclusion`.
    pub format: String,
    /// Format version.
    pub version: u32,
    /// What the path is for: `slot` (under `Q`) or `record` (under `R`).
    pub kind: String,
    /// Leaf index.
    pub index: u64,
    /// The leaf.
    pub leaf: Num,
    /// The leaf's preimage parts: `[D_c, U_c]` for a slot, the record's
    /// `BytesHash` for a record.
    pub preimage: Vec<Num>,
    /// Siblings, leaf level first.
    pub siblings: Vec<Num>,
    /// The root the path leads to.
    pub root: Num,
}

impl InclusionFile {
    /// An inclusion file for `path` from `leaf` to `root`.
    pub fn new(kind: &str, leaf: Fr, preimage: &[Fr], path: &MerklePath, root: Fr) -> Self {
        InclusionFile {
            format: INCLUSION_FORMAT.into(),
            version: FORMAT_VERSION,
            kind: kind.into(),
            index: path.index as u64,
            leaf: dec(&leaf),
            preimage: preimage.iter().map(dec).collect(),
            siblings: path.siblings.iter().map(dec).collect(),
            root: dec(&root),
        }
    }

    /// Reads an inclusion file of kind `slot` or `record` (a Goldilocks
    /// path is [`goldilocks::GoldilocksInclusion::read`]'s).
    pub fn read(path: &Path) -> Result<Self, Error> {
        read_inclusion(path, &["slot", "record"])
    }

    /// The typed path, leaf and root.
    pub fn parse(&self) -> Result<(MerklePath, Fr, Fr), Error> {
        let siblings = self
            .siblings
            .iter()
            .enumerate()
            .map(|(i, s)| s.fr(&format!("siblings[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let path = MerklePath {
            index: self.index as usize,
            siblings,
        };
        Ok((path, self.leaf.fr("leaf")?, self.root.fr("root")?))
    }
}

/// Reads an inclusion file of one of `kinds`, after checking its format,
/// version and kind (a path of the other profile is refused with what to
/// ask for instead).
fn read_inclusion<T: serde::de::DeserializeOwned>(path: &Path, kinds: &[&str]) -> Result<T, Error> {
    let value: serde_json::Value = read_json(path)?;
    let text = |name: &str| value.get(name).and_then(|v| v.as_str()).unwrap_or("?");
    let version = value.get("version").and_then(|v| v.as_u64());
    if text("format") != INCLUSION_FORMAT || version != Some(u64::from(FORMAT_VERSION)) {
        return Err(Error::field(
            "format",
            Problem::Mismatch {
                expected: format!("{INCLUSION_FORMAT} v{FORMAT_VERSION}"),
                found: format!(
                    "{} v{}",
                    text("format"),
                    version.map_or("?".into(), |v| v.to_string())
                ),
            },
        )
        .in_file(path));
    }
    let kind = text("kind");
    if !kinds.contains(&kind) {
        let hint = if kind == GOLDILOCKS_SLOT {
            "a path under the Goldilocks Q (plonky2): audit with `poa audit --backend plonky2`"
        } else if kinds.contains(&GOLDILOCKS_SLOT) {
            "a plonky2 audit needs the slot's path under the Goldilocks Q: \
             `poa inclusion --backend plonky2`"
        } else {
            "not an inclusion path this command reads"
        };
        return Err(Error::field(
            "kind",
            Problem::Mismatch {
                expected: kinds.join(" or "),
                found: format!("{kind} ({hint})"),
            },
        )
        .in_file(path));
    }
    serde_json::from_value(value).map_err(|source| Error::Json {
        path: path.to_path_buf(),
        source,
    })
}

/// Pretty JSON of any serialisable value.
pub fn pretty<T: Serialize>(value: &T) -> String {
    // Serialising these plain structs cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads a JSON file into `T`; errors name the file.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Error> {
    serde_json::from_str(&read(path)?).map_err(|source| Error::Json {
        path: path.to_path_buf(),
        source,
    })
}

/// A one-dimensional numeric array read from `.npy` or JSON.
#[derive(Clone, Debug, PartialEq)]
pub enum Array {
    /// `<i2`.
    I16(Vec<i16>),
    /// `<f4`, `<f8` or JSON numbers, as f64.
    F64(Vec<f64>),
}

fn bad(path: &Path, reason: impl Into<String>) -> Error {
    Error::BadVectorFile {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Parses a `.npy` file (format 1.0–3.0, little-endian, one-dimensional,
/// dtype `<i2`, `<f4` or `<f8`).
pub fn parse_npy(path: &Path, bytes: &[u8]) -> Result<Array, Error> {
    let magic = b"\x93NUMPY";
    if bytes.len() < 10 || &bytes[..6] != magic {
        return Err(bad(path, "not a .npy file (bad magic)"));
    }
    let (header_len, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        v => return Err(bad(path, format!("unsupported .npy version {v}"))),
    };
    let header = bytes
        .get(start..start + header_len)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or_else(|| bad(path, "truncated .npy header"))?;
    let data = &bytes[start + header_len..];
    let compact: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains("'fortran_order':True") {
        return Err(bad(path, "Fortran-ordered arrays are not supported"));
    }
    let shape = compact
        .split("'shape':(")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .ok_or_else(|| bad(path, "no shape in .npy header"))?;
    let dims: Vec<&str> = shape.split(',').filter(|s| !s.is_empty()).collect();
    if dims.len() != 1 {
        return Err(bad(
            path,
            format!("expected a one-dimensional array, found shape ({shape})"),
        ));
    }
    let len: usize = dims[0]
        .parse()
        .map_err(|_| bad(path, format!("bad shape ({shape})")))?;
    let descr = compact
        .split("'descr':'")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .ok_or_else(|| bad(path, "no descr in .npy header"))?;
    let width = match descr {
        "<i2" => 2,
        "<f4" => 4,
        "<f8" => 8,
        other => {
            return Err(bad(
                path,
                format!("dtype {other} is not supported (use <i2, <f4 or <f8)"),
            ))
        }
    };
    if data.len() != len * width {
        return Err(bad(
            path,
            format!(
                "{} data bytes for {len} entries of {width} bytes",
                data.len()
            ),
        ));
    }
    Ok(match width {
        2 => Array::I16(
            data.chunks_exact(2)
                .map(|c| i16::from_le_bytes([c[0], c[1]]))
                .collect(),
        ),
        4 => Array::F64(
            data.chunks_exact(4)
                .map(|c| f64::from(f32::from_le_bytes([c[0], c[1], c[2], c[3]])))
                .collect(),
        ),
        _ => Array::F64(
            data.chunks_exact(8)
                .map(|c| {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(c);
                    f64::from_le_bytes(b)
                })
                .collect(),
        ),
    })
}

/// A `.npy` file of dtype `<i2`.
pub fn npy_int16(values: &[i16]) -> Vec<u8> {
    let mut header = format!(
        "{{'descr': '<i2', 'fortran_order': False, 'shape': ({},), }}",
        values.len()
    );
    // Data starts on a 64-byte boundary; the header ends with a newline.
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// Reads an int16 vector from a `.npy` file (dtype `<i2`) or any other file
/// as raw little-endian int16.
pub fn read_int16_file(path: &Path) -> Result<Vec<i16>, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if path.extension().is_some_and(|e| e == "npy") {
        return match parse_npy(path, &bytes)? {
            Array::I16(v) => Ok(v),
            Array::F64(_) => Err(bad(
                path,
                "floats where int16 is needed (run `poa fingerprint quantize` first)",
            )),
        };
    }
    if bytes.len() % 2 != 0 {
        return Err(bad(path, "odd byte count for little-endian int16"));
    }
    Ok(bytes
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect())
}
