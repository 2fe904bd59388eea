//! Shared inputs of the benchmarks: deterministic epochs of any shape.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use poa_circuits::public::Context;
use poa_circuits::statement::{Epoch, Participant, Shape};
use poa_circuits::Fr;

/// A full epoch (`n = N`) of the given shape with pseudo-random int16 entries.
pub fn epoch(slots: usize, dim: usize) -> Epoch {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x as i16
    };
    let mut vector = |_| (0..dim).map(|_| next()).collect::<Vec<i16>>();
    let participants = (0..slots)
        .map(|c| Participant {
            dataset: Fr::from(c as u64 + 1),
            salt: Fr::from(1000 + c as u64),
            update: vector(c),
        })
        .collect();
    Epoch {
        // Shapes are chosen by the benchmarks within SPEC §1's bounds.
        shape: Shape { slots, dim },
        pool: 10u128.pow(24),
        participants,
        validation: vector(0),
        validation_salt: Fr::from(7u64),
        ctx: Context::default(),
    }
}
