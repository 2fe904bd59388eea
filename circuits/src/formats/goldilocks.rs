//! The Goldilocks profile's part of the file formats (`circuits/GOLDILOCKS.md`):
//! the claim's `goldilocks` commitments and the path of a slot under the
//! Goldilocks `Q`. A Goldilocks element is written as a decimal string (a
//! JSON number is accepted too) and must be below `p = 2^64 − 2^32 + 1`; a
//! digest is 4 of them.
//!
//! The types here need no plonky2 (a stable build reads and writes them);
//! computing a path or a root needs the `plonky2` feature.

use num_traits::ToPrimitive;
use serde::{Deserialize, Serialize};

use super::common::{dec, Num, FORMAT_VERSION, INCLUSION_FORMAT};
use crate::field::parse_bounded;
use crate::{Error, Fr, Problem};

/// `p`, the Goldilocks modulus.
pub const GOLDILOCKS_ORDER: u64 = 0xffff_ffff_0000_0001;

pub use super::inclusion::GOLDILOCKS_SLOT;

/// A Goldilocks digest: 4 canonical field elements, each below `p`.
pub type Digest4 = [u64; 4];

/// The commitments an epoch proven in the Goldilocks profile publishes
/// before revenue, and its plonky2 proof publishes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GoldilocksCommitments {
    /// `Q`, the Merkle root of the leaves `Hash(limbs(D_c) ‖ U_c)`.
    pub q: Digest4,
    /// `V = Hash(VecHash_G(v) ‖ limbs(σ_v))`.
    pub v: Digest4,
}

/// [`GoldilocksCommitments`] as written in a claim: `{"Q": [4], "V": [4]}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GoldilocksCommitmentsFile {
    /// `Q`, 4 elements.
    #[serde(rename = "Q")]
    pub q: Vec<Num>,
    /// `V`, 4 elements.
    #[serde(rename = "V")]
    pub v: Vec<Num>,
}

/// One Goldilocks element below `p`.
fn parse_element(field: &str, x: &Num) -> Result<u64, Error> {
    let value = parse_bounded(field, &x.text(), 64)?;
    match value.to_u64() {
        Some(v) if v < GOLDILOCKS_ORDER => Ok(v),
        _ => Err(Error::field(
            field,
            Problem::OutOfRange {
                value: value.to_string(),
                min: "0".into(),
                max: format!("{} (p − 1)", GOLDILOCKS_ORDER - 1),
            },
        )),
    }
}

/// A digest of exactly 4 elements, each below `p`.
pub fn parse_digest(field: &str, x: &[Num]) -> Result<Digest4, Error> {
    if x.len() != 4 {
        return Err(Error::field(
            field,
            Problem::Length {
                expected: 4,
                found: x.len(),
            },
        ));
    }
    let mut out = [0u64; 4];
    for (i, (o, e)) in out.iter_mut().zip(x).enumerate() {
        *o = parse_element(&format!("{field}[{i}]"), e)?;
    }
    Ok(out)
}

/// A digest as written: 4 decimal strings.
pub fn digest_file(d: &Digest4) -> Vec<Num> {
    d.iter().map(|x| Num::Text(x.to_string())).collect()
}

impl GoldilocksCommitments {
    /// The file form.
    pub fn to_file(&self) -> GoldilocksCommitmentsFile {
        GoldilocksCommitmentsFile {
            q: digest_file(&self.q),
            v: digest_file(&self.v),
        }
    }
}

impl GoldilocksCommitmentsFile {
    /// The typed commitments; fields are named `goldilocks.Q[i]`, `goldilocks.V[i]`.
    pub fn parse(&self) -> Result<GoldilocksCommitments, Error> {
        Ok(GoldilocksCommitments {
            q: parse_digest("goldilocks.Q", &self.q)?,
            v: parse_digest("goldilocks.V", &self.v)?,
        })
    }
}

/// The path of slot `index` under the Goldilocks `Q`, for its contributor:
/// the leaf's preimage (`D_c` and `U_c`), the leaf, the siblings and the root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldilocksInclusion {
    /// The slot.
    pub index: usize,
    /// `D_c`.
    pub dataset: Fr,
    /// `U_c = Hash(VecHash_G(Δ_c) ‖ limbs(σ_c))`.
    pub update: Digest4,
    /// `L_c = Hash(limbs(D_c) ‖ U_c)`.
    pub leaf: Digest4,
    /// Siblings, leaf level first.
    pub siblings: Vec<Digest4>,
    /// The root the path leads to.
    pub root: Digest4,
}

/// [`GoldilocksInclusion`] as written (`poa inclusion --backend plonky2`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GoldilocksInclusionFile {
    /// Always `poa-inclusion`.
    pub format: String,
    /// Format version.
    pub version: u32,
    /// Always `goldilocksSlot`.
    pub kind: String,
    /// The slot.
    pub index: u64,
    /// `D_c`.
    #[serde(rename = "D")]
    pub dataset: Num,
    /// `U_c`, 4 elements.
    #[serde(rename = "U")]
    pub update: Vec<Num>,
    /// The leaf, 4 elements.
    pub leaf: Vec<Num>,
    /// Siblings (4 elements each), leaf level first.
    pub siblings: Vec<Vec<Num>>,
    /// The root, 4 elements.
    pub root: Vec<Num>,
}

impl GoldilocksInclusion {
    /// The file form.
    pub fn to_file(&self) -> GoldilocksInclusionFile {
        GoldilocksInclusionFile {
            format: INCLUSION_FORMAT.into(),
            version: FORMAT_VERSION,
            kind: GOLDILOCKS_SLOT.into(),
            index: self.index as u64,
            dataset: dec(&self.dataset),
            update: digest_file(&self.update),
            leaf: digest_file(&self.leaf),
            siblings: self.siblings.iter().map(digest_file).collect(),
            root: digest_file(&self.root),
        }
    }

    /// Reads a Goldilocks slot path; errors name the file and the field (a
    /// BN254 path is refused with what to ask for instead).
    pub fn read(path: &std::path::Path) -> Result<Self, Error> {
        Self::parse_bytes(&super::common::read_bytes(path)?, path)
    }

    /// Parses the bytes of a Goldilocks slot path (what
    /// [`GoldilocksInclusion::read`] reads); errors name `path` (for
    /// messages only) and the field.
    pub fn parse_bytes(bytes: &[u8], path: &std::path::Path) -> Result<Self, Error> {
        let file: GoldilocksInclusionFile =
            super::inclusion::parse_inclusion(bytes, path, &[GOLDILOCKS_SLOT])?;
        file.parse().map_err(|e| e.in_file(path))
    }
}

impl GoldilocksInclusionFile {
    /// The typed path, each field range-checked: 1 to 16 siblings
    /// (`log2 N`), an index below `2^siblings`.
    pub fn parse(&self) -> Result<GoldilocksInclusion, Error> {
        let index = super::inclusion::check_path(
            "Goldilocks slot",
            self.index,
            self.siblings.len(),
            1..=super::inclusion::MAX_SLOT_DEPTH,
        )?;
        Ok(GoldilocksInclusion {
            index,
            dataset: crate::field::parse_fr("D", &self.dataset.text())?,
            update: parse_digest("U", &self.update)?,
            leaf: parse_digest("leaf", &self.leaf)?,
            siblings: self
                .siblings
                .iter()
                .enumerate()
                .map(|(i, s)| parse_digest(&format!("siblings[{i}]"), s))
                .collect::<Result<_, _>>()?,
            root: parse_digest("root", &self.root)?,
        })
    }
}

#[cfg(feature = "plonky2")]
mod hashing {
    use plonky2::field::types::{Field, PrimeField64};
    use plonky2::hash::hash_types::HashOut;
    use plonky2::hash::poseidon::PoseidonHash;
    use plonky2::plonk::config::Hasher;

    use super::{Digest4, GoldilocksCommitments, GoldilocksInclusion};
    use crate::goldilocks::{leaf, Attribution, Digest, G};
    use crate::statement::Epoch;
    use crate::{Error, Problem};

    /// A plonky2 digest as 4 canonical integers.
    pub fn to_u64s(d: &Digest) -> Digest4 {
        d.elements.map(|e| e.to_canonical_u64())
    }

    /// 4 integers below `p` (as every parsed [`Digest4`] is) as a digest.
    pub fn to_digest(d: &Digest4) -> Digest {
        HashOut {
            elements: d.map(G::from_noncanonical_u64),
        }
    }

    impl GoldilocksCommitments {
        /// `Q` and `V` of a Goldilocks-profile attribution.
        pub fn of(attribution: &Attribution) -> Self {
            GoldilocksCommitments {
                q: to_u64s(&attribution.root),
                v: to_u64s(&attribution.validation_commitment),
            }
        }
    }

    impl GoldilocksInclusion {
        /// The path a trainer hands to the contributor of `slot` (an active
        /// slot) of `epoch`, whose Goldilocks attribution is `attribution`.
        pub fn new(epoch: &Epoch, attribution: &Attribution, slot: usize) -> Result<Self, Error> {
            let (Some(p), Some(update)) = (
                epoch.participants.get(slot),
                attribution.update_commitments.get(slot),
            ) else {
                return Err(Error::field(
                    "slot",
                    Problem::OutOfRange {
                        value: slot.to_string(),
                        min: "0".into(),
                        max: epoch.active().saturating_sub(1).to_string(),
                    },
                ));
            };
            let mut level = attribution.leaves.clone();
            let mut siblings = Vec::new();
            let mut index = slot;
            while level.len() > 1 {
                siblings.push(to_u64s(&level[index ^ 1]));
                level = level
                    .chunks(2)
                    .map(|pair| PoseidonHash::two_to_one(pair[0], pair[1]))
                    .collect();
                index /= 2;
            }
            Ok(GoldilocksInclusion {
                index: slot,
                dataset: p.dataset,
                update: to_u64s(update),
                leaf: to_u64s(&attribution.leaves[slot]),
                siblings,
                root: to_u64s(&attribution.root),
            })
        }

        /// The leaf recomputed from its preimage: `Hash(limbs(D_c) ‖ U_c)`.
        pub fn leaf_of_preimage(&self) -> Digest4 {
            to_u64s(&leaf(&self.dataset, to_digest(&self.update)))
        }

        /// The root the siblings lead to from `leaf` (bit `i` of the index
        /// says whether the node at level `i` is a right child).
        pub fn root_from(&self, leaf: Digest4) -> Digest4 {
            let root = self.siblings.iter().enumerate().fold(
                to_digest(&leaf),
                |node, (depth, sibling)| {
                    let sibling = to_digest(sibling);
                    if crate::merkle::bit(self.index, depth) == 0 {
                        PoseidonHash::two_to_one(node, sibling)
                    } else {
                        PoseidonHash::two_to_one(sibling, node)
                    }
                },
            );
            to_u64s(&root)
        }
    }
}

#[cfg(feature = "plonky2")]
pub use hashing::{to_digest, to_u64s};

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::{json, Value};

    use super::*;
    use crate::formats::{Claim, ClaimFile, InclusionFile};

    fn hand_claim() -> Claim {
        let epoch = crate::vectors::statement_epoch("hand").unwrap();
        let mut claim = Claim::new(&epoch, &epoch.attribute().unwrap());
        claim.goldilocks = Some(GoldilocksCommitments {
            q: [1, 2, 3, GOLDILOCKS_ORDER - 1],
            v: [5, 6, 7, 8],
        });
        claim
    }

    fn parse(v: &Value) -> Result<Claim, Error> {
        serde_json::from_value::<ClaimFile>(v.clone())
            .unwrap()
            .parse()
    }

    fn field(e: Error) -> (String, Problem) {
        match e {
            Error::Field { field, problem, .. } => (field, problem),
            other => panic!("not a field error: {other}"),
        }
    }

    fn tmp(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("poa-formats-gl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn claim_v2_carries_goldilocks_commitments_and_v1_is_refused() {
        let claim = hand_claim();
        let v: Value = serde_json::from_str(&claim.to_json()).unwrap();
        assert_eq!(v["version"], json!(2));
        assert_eq!(
            v["goldilocks"],
            json!({"Q": ["1", "2", "3", "18446744069414584320"], "V": ["5", "6", "7", "8"]})
        );
        assert_eq!(parse(&v).unwrap(), claim);

        // Without the block (a BN254 claim) the field is absent, and asking
        // for it names the field.
        let mut bn254 = claim.clone();
        bn254.goldilocks = None;
        let w: Value = serde_json::from_str(&bn254.to_json()).unwrap();
        assert!(w.get("goldilocks").is_none());
        let (name, problem) = field(parse(&w).unwrap().goldilocks().unwrap_err());
        assert_eq!(name, "goldilocks");
        assert!(
            problem.to_string().contains("--backend plonky2"),
            "{problem}"
        );
        assert!(claim.goldilocks().is_ok());

        // A v1 claim is refused with what to do.
        let mut old = w.clone();
        old["version"] = json!(1);
        let path = tmp("claim-v1.json", &old.to_string());
        let e = Claim::read(&path).unwrap_err().to_string();
        assert!(
            e.contains("claim-v1.json")
                && e.contains("`format`")
                && e.contains("poa-claim v1")
                && e.contains("re-run `poa attribute`"),
            "{e}"
        );
    }

    #[test]
    fn goldilocks_commitments_are_checked_field_by_field() {
        let v: Value = serde_json::from_str(&hand_claim().to_json()).unwrap();
        let mut short = v.clone();
        short["goldilocks"]["Q"].as_array_mut().unwrap().pop();
        assert_eq!(
            field(parse(&short).unwrap_err()),
            (
                "goldilocks.Q".into(),
                Problem::Length {
                    expected: 4,
                    found: 3
                }
            )
        );
        let mut wide = v.clone();
        wide["goldilocks"]["V"][2] = json!(GOLDILOCKS_ORDER.to_string());
        let (name, problem) = field(parse(&wide).unwrap_err());
        assert_eq!(name, "goldilocks.V[2]");
        assert!(matches!(problem, Problem::OutOfRange { .. }), "{problem}");
        // p − 1 is the largest element; a JSON number is read too.
        let mut number = v.clone();
        number["goldilocks"]["V"][2] = json!(GOLDILOCKS_ORDER - 1);
        assert_eq!(
            parse(&number).unwrap().goldilocks.unwrap().v[2],
            GOLDILOCKS_ORDER - 1
        );
    }

    #[test]
    fn inclusion_files_of_the_two_profiles_are_told_apart() {
        let inclusion = GoldilocksInclusion {
            index: 1,
            dataset: Fr::from(77u64),
            update: [1, 2, 3, 4],
            leaf: [5, 6, 7, 8],
            siblings: vec![[9, 10, 11, 12], [13, 14, 15, 16]],
            root: [17, 18, 19, 20],
        };
        let text = crate::formats::pretty(&inclusion.to_file());
        let path = tmp("gl-slot.json", &text);
        assert_eq!(GoldilocksInclusion::read(&path).unwrap(), inclusion);
        // The BN254 reader refuses it, saying what it is.
        let e = InclusionFile::read(&path).unwrap_err().to_string();
        assert!(
            e.contains("gl-slot.json") && e.contains("`kind`") && e.contains("--backend plonky2"),
            "{e}"
        );
        // And the Goldilocks reader refuses a BN254 path.
        let mut bn254: Value = serde_json::from_str(&text).unwrap();
        bn254["kind"] = json!("slot");
        let path = tmp("bn-slot.json", &bn254.to_string());
        let e = GoldilocksInclusion::read(&path).unwrap_err().to_string();
        assert!(
            e.contains("bn-slot.json") && e.contains("poa inclusion --backend plonky2"),
            "{e}"
        );
        // A sibling of 3 elements is named.
        let mut bad: Value = serde_json::from_str(&text).unwrap();
        bad["siblings"][1].as_array_mut().unwrap().pop();
        let path = tmp("gl-bad.json", &bad.to_string());
        let e = GoldilocksInclusion::read(&path).unwrap_err().to_string();
        assert!(
            e.contains("gl-bad.json") && e.contains("siblings[1]"),
            "{e}"
        );
    }

    #[cfg(feature = "plonky2")]
    #[test]
    fn goldilocks_paths_lead_to_q_and_only_from_the_leaf() {
        let epoch = crate::vectors::statement_epoch("hand").unwrap();
        let att = crate::goldilocks::attribute(&epoch).unwrap();
        let q = GoldilocksCommitments::of(&att).q;
        for slot in 0..epoch.active() {
            let p = GoldilocksInclusion::new(&epoch, &att, slot).unwrap();
            assert_eq!(p.root, q);
            assert_eq!(p.leaf_of_preimage(), p.leaf);
            assert_eq!(p.root_from(p.leaf), q);
            let mut wrong = p.leaf;
            wrong[0] += 1;
            assert_ne!(p.root_from(wrong), q);
            let mut other = p.clone();
            other.index ^= 1;
            assert_ne!(other.root_from(p.leaf), q, "slot {slot}: index bits matter");
        }
        // A padding slot has no contributor.
        let e = GoldilocksInclusion::new(&epoch, &att, epoch.active()).unwrap_err();
        assert!(e.to_string().contains("`slot`"), "{e}");
    }
}
