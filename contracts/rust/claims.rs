//! The settlement's claims tree (see `AttributionSettlement.sol`): leaf `i`
//! is `keccak256(i ‖ datasetId ‖ amount)` as 32-byte words. For an epoch
//! with `n` contributors, leaves `0 … n-1` are the slots (`payout + fee`,
//! paid to the dataset's owner), leaf `n` the trainer's (dataset 0,
//! developer share + dust) and leaf `n + 1` the compute provider's (dataset
//! 0, compute share). Zero leaves pad it to a power of two, and a node is
//! `keccak256(left ‖ right)`.

use revm::primitives::{keccak256, FixedBytes, U256};

/// One leaf.
pub fn leaf(index: usize, dataset: U256, amount: U256) -> FixedBytes<32> {
    let mut bytes = Vec::with_capacity(96);
    bytes.extend_from_slice(&U256::from(index).to_be_bytes::<32>());
    bytes.extend_from_slice(&dataset.to_be_bytes::<32>());
    bytes.extend_from_slice(&amount.to_be_bytes::<32>());
    keccak256(bytes)
}

/// The leaves of an epoch: `(dataset, payout + fee)` per slot, then the
/// trainer's `developer share + dust`, then the compute provider's share.
pub fn leaves(slots: &[(U256, U256)], trainer: U256, compute: U256) -> Vec<FixedBytes<32>> {
    let n = slots.len();
    let mut out: Vec<_> = slots
        .iter()
        .enumerate()
        .map(|(c, (d, a))| leaf(c, *d, *a))
        .collect();
    out.push(leaf(n, U256::ZERO, trainer));
    out.push(leaf(n + 1, U256::ZERO, compute));
    out
}

/// The root of `leaves` (padded with zero leaves to a power of two).
pub fn root(leaves: &[FixedBytes<32>]) -> FixedBytes<32> {
    let mut level = leaves.to_vec();
    level.resize(leaves.len().next_power_of_two(), FixedBytes::ZERO);
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|p| keccak256([p[0].as_slice(), p[1].as_slice()].concat()))
            .collect();
    }
    level.first().copied().unwrap_or(FixedBytes::ZERO)
}

/// The Merkle path of leaf `index`, leaf level first.
pub fn path(leaves: &[FixedBytes<32>], mut index: usize) -> Vec<FixedBytes<32>> {
    let mut level = leaves.to_vec();
    level.resize(leaves.len().next_power_of_two(), FixedBytes::ZERO);
    let mut out = Vec::new();
    while level.len() > 1 {
        out.push(level[index ^ 1]);
        level = level
            .chunks(2)
            .map(|p| keccak256([p[0].as_slice(), p[1].as_slice()].concat()))
            .collect();
        index >>= 1;
    }
    out
}
