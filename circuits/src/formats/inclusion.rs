//! Merkle inclusion paths: a slot under `Q` or a record under a dataset
//! root `R` (a slot under the Goldilocks `Q` is
//! [`super::goldilocks::GoldilocksInclusion`]).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::goldilocks::GOLDILOCKS_SLOT;
use super::{dec, read_json, Num, FORMAT_VERSION, INCLUSION_FORMAT};
use crate::merkle::MerklePath;
use crate::{Error, Fr, Problem};

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
pub(crate) fn read_inclusion<T: serde::de::DeserializeOwned>(
    path: &Path,
    kinds: &[&str],
) -> Result<T, Error> {
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
