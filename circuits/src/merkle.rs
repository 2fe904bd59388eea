//! Binary Merkle trees with node `H_2(left, right)` (SPEC §3 and §7).

use crate::poseidon::hash2;
use crate::{Error, Fr};

/// An inclusion path: the siblings from the leaf up to the root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerklePath {
    /// Index of the leaf; bit `i` says whether the node at level `i` is a
    /// right child.
    pub index: usize,
    /// Sibling at each level, leaf level first.
    pub siblings: Vec<Fr>,
}

/// Every level of the tree over `leaves` padded with 0 to a power of two,
/// leaves first, root last.
fn levels(leaves: &[Fr]) -> Vec<Vec<Fr>> {
    let mut level = leaves.to_vec();
    level.resize(leaves.len().next_power_of_two().max(1), Fr::from(0u64));
    let mut out = vec![level];
    while out[out.len() - 1].len() > 1 {
        let last = &out[out.len() - 1];
        let next = last.chunks(2).map(|p| hash2(p[0], p[1])).collect();
        out.push(next);
    }
    out
}

/// The root over `leaves`, padded with 0 to the next power of two; a single
/// leaf is its own root.
pub fn root(leaves: &[Fr]) -> Fr {
    let levels = levels(leaves);
    levels[levels.len() - 1][0]
}

/// The inclusion path of leaf `index`.
pub fn path(leaves: &[Fr], index: usize) -> Result<MerklePath, Error> {
    if index >= leaves.len() {
        return Err(Error::IndexOutOfRange {
            index,
            leaves: leaves.len(),
        });
    }
    let levels = levels(leaves);
    let siblings = levels[..levels.len() - 1]
        .iter()
        .enumerate()
        .map(|(depth, level)| level[(index >> depth) ^ 1])
        .collect();
    Ok(MerklePath { index, siblings })
}

impl MerklePath {
    /// The root this path leads to from `leaf`.
    pub fn root_from(&self, leaf: Fr) -> Fr {
        self.siblings
            .iter()
            .enumerate()
            .fold(leaf, |node, (depth, sibling)| {
                if bit(self.index, depth) == 1 {
                    hash2(*sibling, node)
                } else {
                    hash2(node, *sibling)
                }
            })
    }
}

/// Bit `depth` of `index`, 0 beyond the width of a `usize` (so that a path
/// of any length never overflows a shift).
pub fn bit(index: usize, depth: usize) -> usize {
    u32::try_from(depth)
        .ok()
        .and_then(|d| index.checked_shr(d))
        .map_or(0, |x| x & 1)
}
