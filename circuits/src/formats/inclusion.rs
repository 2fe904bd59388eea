//! Merkle inclusion paths: a slot under `Q` or a record under a dataset
//! root `R` (a slot under the Goldilocks `Q` is
//! [`super::goldilocks::GoldilocksInclusion`]).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::common::{
    dec, json_error, parse_json, read_bytes, Num, FORMAT_VERSION, INCLUSION_FORMAT,
};
use crate::merkle::MerklePath;
use crate::statement::{Shape, MAX_SLOTS};
use crate::{Error, Fr, Problem};

/// The `kind` of an inclusion file for a slot under the Goldilocks `Q`.
pub const GOLDILOCKS_SLOT: &str = "goldilocksSlot";

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
    /// path is [`goldilocks::GoldilocksInclusion::read`]'s), checking its
    /// fields as [`InclusionFile::parse`] does; errors name the file and
    /// the field.
    ///
    /// [`goldilocks::GoldilocksInclusion::read`]: super::goldilocks::GoldilocksInclusion::read
    pub fn read(path: &Path) -> Result<Self, Error> {
        Self::parse_bytes(&read_bytes(path)?, path)
    }

    /// Parses the bytes of an inclusion file (what [`InclusionFile::read`]
    /// reads); errors name `path` (for messages only) and the field.
    pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Self, Error> {
        let file: InclusionFile = parse_inclusion(bytes, path, &["slot", "record"])?;
        file.parse().map_err(|e| e.in_file(path))?;
        Ok(file)
    }

    /// The typed path, leaf and root. A `slot` path has 1 to 16 siblings
    /// (`log2 N`), a `record` path at most [`MAX_RECORD_DEPTH`], and the
    /// index is below `2^siblings`.
    pub fn parse(&self) -> Result<(MerklePath, Fr, Fr), Error> {
        let depths = match self.kind.as_str() {
            "slot" => 1..=MAX_SLOT_DEPTH,
            "record" => 0..=MAX_RECORD_DEPTH,
            other => {
                return Err(Error::field(
                    "kind",
                    Problem::Mismatch {
                        expected: "slot or record".into(),
                        found: other.into(),
                    },
                ))
            }
        };
        let index = check_path(&self.kind, self.index, self.siblings.len(), depths)?;
        let siblings = self
            .siblings
            .iter()
            .enumerate()
            .map(|(i, s)| s.fr(&format!("siblings[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let path = MerklePath { index, siblings };
        Ok((path, self.leaf.fr("leaf")?, self.root.fr("root")?))
    }

    /// The typed path of a slot under the `Q` of a claim of `shape`: kind
    /// `slot`, exactly `log2 N` siblings and an index below `N`, then what
    /// [`InclusionFile::parse`] checks.
    pub fn parse_under(&self, shape: &Shape) -> Result<(MerklePath, Fr, Fr), Error> {
        if self.kind != "slot" {
            return Err(Error::field(
                "kind",
                Problem::Mismatch {
                    expected: "slot (a path under the claim's Q)".into(),
                    found: self.kind.clone(),
                },
            ));
        }
        if self.siblings.len() != shape.depth() {
            return Err(Error::field(
                "siblings",
                Problem::Mismatch {
                    expected: format!(
                        "{} entries (log2 N, N = {} in the claim)",
                        shape.depth(),
                        shape.slots
                    ),
                    found: format!("{} entries", self.siblings.len()),
                },
            ));
        }
        self.parse()
    }
}

/// The most siblings of a slot path: `log2 N` for `N ≤ 2^16`.
pub const MAX_SLOT_DEPTH: usize = MAX_SLOTS.trailing_zeros() as usize;

/// The most siblings of a record path read: a dataset of at most `2^32`
/// records.
pub const MAX_RECORD_DEPTH: usize = 32;

/// Checks that a `kind` path has a number of siblings in `depths` and an
/// index below `2^siblings`; the index as a `usize`.
pub(crate) fn check_path(
    kind: &str,
    index: u64,
    siblings: usize,
    depths: std::ops::RangeInclusive<usize>,
) -> Result<usize, Error> {
    if !depths.contains(&siblings) {
        return Err(Error::field(
            "siblings",
            Problem::Invalid(format!(
                "has {siblings} entries; a {kind} path has {} to {} (log2 of its tree's leaves)",
                depths.start(),
                depths.end()
            )),
        ));
    }
    // siblings ≤ 32 here, so the shift cannot overflow.
    let leaves = u32::try_from(siblings)
        .ok()
        .and_then(|s| 1u64.checked_shl(s))
        .unwrap_or(u64::MAX);
    let out_of_range = |max: String| {
        Error::field(
            "index",
            Problem::OutOfRange {
                value: index.to_string(),
                min: "0".into(),
                max,
            },
        )
    };
    if index >= leaves {
        return Err(out_of_range(format!(
            "{} (a path of {siblings} siblings is in a tree of {leaves} leaves)",
            leaves - 1
        )));
    }
    usize::try_from(index).map_err(|_| out_of_range(usize::MAX.to_string()))
}

/// Parses the bytes of an inclusion file of one of `kinds`, after checking
/// its format, version and kind (a path of the other profile is refused
/// with what to ask for instead); errors name `path`.
pub(crate) fn parse_inclusion<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    path: &Path,
    kinds: &[&str],
) -> Result<T, Error> {
    let value: serde_json::Value = parse_json(bytes, path)?;
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
    serde_json::from_value(value).map_err(|cause| json_error(path, cause))
}
