//! The settlement's claims tree (see `AttributionSettlement.sol`): leaf `c`
//! is `keccak256(c ‖ datasetId ‖ amount)` as 32-byte words, the trainer's leaf
//! is slot `n` with dataset 0, zero leaves pad to a power of two, and a node
//! is `keccak256(left ‖ right)`.

use revm::primitives::{keccak256, FixedBytes, U256};

/// One leaf.
pub fn leaf(slot: usize, dataset: U256, amount: U256) -> FixedBytes<32> {
    let mut bytes = Vec::with_capacity(96);
    bytes.extend_from_slice(&U256::from(slot).to_be_bytes::<32>());
    bytes.extend_from_slice(&dataset.to_be_bytes::<32>());
    bytes.extend_from_slice(&amount.to_be_bytes::<32>());
    keccak256(bytes)
}

/// The leaves of an epoch: `(dataset, payout + fee)` per slot, then the
/// trainer's `developer share + dust`.
pub fn leaves(slots: &[(U256, U256)], trainer: U256) -> Vec<FixedBytes<32>> {
    let mut out: Vec<_> = slots
        .iter()
        .enumerate()
        .map(|(c, (d, a))| leaf(c, *d, *a))
        .collect();
    out.push(leaf(slots.len(), U256::ZERO, trainer));
    out
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
