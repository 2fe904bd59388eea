//! Shared inputs of the benchmarks.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use poa_circuits::statement::{synthetic_epoch, Epoch, Shape};

/// A full, deterministic epoch of the given shape.
pub fn epoch(slots: usize, dim: usize) -> Epoch {
    // Bench shapes are within SPEC §1's bounds.
    let shape = Shape::new(slots as u64, dim as u64).unwrap_or(Shape { slots: 2, dim: 1 });
    synthetic_epoch(shape, 0x9e37_79b9_7f4a_7c15)
}
