//! Range checks of the Goldilocks circuits: a value is witnessed as its
//! little-endian bytes, each byte is looked up in a 256-entry table, and the
//! value is their sum `Σ b_i 256^i` (one arithmetic op per byte after the
//! first). A top byte of `k < 8` bits takes a second lookup of
//! `b + 256 − 2^k`, which is a byte only when `b < 2^k`.
//!
//! Why bytes and not a 2^16 table: plonky2's recursive verifier evaluates a
//! table's polynomial inside the circuit, about four gates per entry per
//! challenge, and every shard proof is verified recursively; a 2^16 table
//! would cost each aggregation node ~26k rows. Bytes cost two lookups per
//! int16 limb; a lookup row holds 40 of them, against one `BaseSumGate` row
//! per 16-bit check before.

use std::sync::Arc;

use anyhow::{ensure, Result};
use plonky2::field::types::Field;
use plonky2::iop::target::Target;
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;

use super::{EXT, G};

/// The byte table of one circuit.
pub(crate) struct Bytes {
    lut: usize,
}

/// A value range-checked to `bits` through its bytes.
#[derive(Clone, Debug)]
pub(crate) struct Checked {
    /// The value, `Σ bytes_i 256^i`.
    pub value: Target,
    bytes: Vec<Target>,
    bits: usize,
}

impl Bytes {
    /// Adds the table to `b` (plonky2 refuses a table without lookups, so
    /// only circuits that check something create one).
    pub fn new(b: &mut CircuitBuilder<G, EXT>) -> Self {
        let table = Arc::new((0..=255u16).map(|x| (x, x)).collect());
        Bytes {
            lut: b.add_lookup_table_from_pairs(table),
        }
    }

    /// A private value below `2^bits` (`1 ≤ bits ≤ 56`).
    pub fn checked(&self, b: &mut CircuitBuilder<G, EXT>, bits: usize) -> Checked {
        let n = bits.div_ceil(8).max(1);
        let bytes: Vec<Target> = (0..n).map(|_| b.add_virtual_target()).collect();
        for &t in &bytes {
            b.add_lookup_from_index(t, self.lut);
        }
        let top = bits - 8 * (n - 1);
        if top < 8 {
            let shifted = b.add_const(bytes[n - 1], G::from_canonical_u64(256 - (1 << top)));
            b.add_lookup_from_index(shifted, self.lut);
        }
        let radix = G::from_canonical_u64(256);
        let value = bytes[..n - 1]
            .iter()
            .rev()
            .fold(bytes[n - 1], |acc, &byte| b.mul_const_add(radix, acc, byte));
        Checked { value, bytes, bits }
    }

    /// `n` private values below `2^bits`.
    pub fn many(&self, b: &mut CircuitBuilder<G, EXT>, n: usize, bits: usize) -> Vec<Checked> {
        (0..n).map(|_| self.checked(b, bits)).collect()
    }
}

/// The values of checked targets.
pub(crate) fn values(checked: &[Checked]) -> Vec<Target> {
    checked.iter().map(|c| c.value).collect()
}

impl Checked {
    /// Witnesses `v`'s bytes.
    pub fn set(&self, w: &mut PartialWitness<G>, v: u64) -> Result<()> {
        ensure!(
            self.bits >= 64 || v >> self.bits == 0,
            "{v} does not fit {} bits",
            self.bits
        );
        for (i, &t) in self.bytes.iter().enumerate() {
            w.set_target(t, G::from_canonical_u64((v >> (8 * i)) & 0xff))?;
        }
        Ok(())
    }

    /// Witnesses `v`'s bytes without checking it against the bound: the top
    /// byte takes every bit above the others, so the value is `v` and only
    /// the lookups stand between a `v ≥ 2^bits` and a proof. The honest
    /// prover's values are checked before ([`super::limbs::to_limbs`]).
    pub fn set_unbounded(&self, w: &mut PartialWitness<G>, v: u64) -> Result<()> {
        let last = self.bytes.len() - 1;
        for (i, &t) in self.bytes.iter().enumerate() {
            let byte = if i == last {
                v >> (8 * i)
            } else {
                (v >> (8 * i)) & 0xff
            };
            w.set_target(t, G::from_canonical_u64(byte))?;
        }
        Ok(())
    }

    /// Witnesses `v` with 256 moved from its second byte into its first:
    /// the same value, a first byte out of range. Only the lookup stands
    /// between this witness and a proof.
    pub fn set_borrowing(&self, w: &mut PartialWitness<G>, v: u64) -> Result<()> {
        ensure!(self.bytes.len() >= 2, "a one-byte value cannot borrow");
        for (i, &t) in self.bytes.iter().enumerate() {
            let byte = G::from_canonical_u64((v >> (8 * i)) & 0xff);
            let byte = match i {
                0 => byte + G::from_canonical_u64(256),
                1 => byte - G::ONE,
                _ => byte,
            };
            w.set_target(t, byte)?;
        }
        Ok(())
    }
}

/// `n` checked values set to `vs`.
pub(crate) fn set_all(w: &mut PartialWitness<G>, checked: &[Checked], vs: &[u64]) -> Result<()> {
    ensure!(
        checked.len() == vs.len(),
        "{} values for {} targets",
        vs.len(),
        checked.len()
    );
    for (c, &v) in checked.iter().zip(vs) {
        c.set(w, v)?;
    }
    Ok(())
}
