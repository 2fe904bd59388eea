//! The Goldilocks profile of statement v1 (SPEC §8; `circuits/GOLDILOCKS.md`
//! is the normative text): the same integer relation with plonky2's
//! Poseidon in place of `H`, and every wide integer carried as 16-bit limbs
//! in Goldilocks elements, so that each limb product and column sum of the
//! plonky2 circuit stays below `p = 2^64 − 2^32 + 1`.
//!
//! The scores and the split here are computed the way the circuit
//! constrains them (field arithmetic and limb equations), not by reusing the
//! BN254 profile's integers; `tests/goldilocks.rs` checks they agree.

pub mod aggregate;
pub mod limbs;
mod range;
pub mod shard;
pub mod split;
pub mod wrap;

use ark_ff::{BigInteger, PrimeField as _};
use plonky2::field::goldilocks_field::GoldilocksField;
use plonky2::field::types::{Field, Field64, PrimeField64};
use plonky2::hash::hash_types::HashOut;
use plonky2::hash::poseidon::PoseidonHash;
use plonky2::plonk::config::{Hasher, PoseidonGoldilocksConfig};

use crate::attribution::Split;
use crate::commit::{limb, LIMB_OFFSET};
use crate::statement::Epoch;
use crate::widths::LIMB_BITS;
use crate::Fr;

/// The Goldilocks field.
pub type G = GoldilocksField;
/// A Poseidon digest (4 elements).
pub type Digest = HashOut<G>;
/// plonky2's configuration of every circuit of the profile: Poseidon over
/// Goldilocks, quadratic extension.
pub type Config = PoseidonGoldilocksConfig;
/// Extension degree.
pub const EXT: usize = 2;

/// int16 limbs per packed element (48 bits).
pub const LIMBS_PER_ELEMENT: usize = 3;

/// `P_k = Σ_{i<3} u_{3k+i} 2^{16i}`, `u = x + 2^15`.
pub fn pack(x: &[i16]) -> Vec<G> {
    x.chunks(LIMBS_PER_ELEMENT)
        .map(|c| {
            let v = c.iter().enumerate().fold(0u64, |acc, (i, &e)| {
                acc | (u64::from(limb(e)) << (LIMB_BITS * i))
            });
            G::from_canonical_u64(v)
        })
        .collect()
}

/// `VecHash_G(x) = Poseidon([D, P_0, …])` (plonky2's `hash_no_pad`).
pub fn vec_hash(x: &[i16]) -> Digest {
    let mut input = vec![G::from_canonical_u64(x.len() as u64)];
    input.extend(pack(x));
    PoseidonHash::hash_no_pad(&input)
}

/// A BN254 field element as 8 little-endian 32-bit limbs.
pub fn fr_limbs(x: &Fr) -> [G; 8] {
    let bytes = x.into_bigint().to_bytes_le();
    std::array::from_fn(|i| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&bytes[4 * i..4 * i + 4]);
        G::from_canonical_u64(u64::from(u32::from_le_bytes(w)))
    })
}

/// `U = Poseidon(VecHash_G(x) ‖ limbs(σ))`.
pub fn commit_vector(x: &[i16], salt: &Fr) -> Digest {
    let mut input = vec_hash(x).elements.to_vec();
    input.extend(fr_limbs(salt));
    PoseidonHash::hash_no_pad(&input)
}

/// `L = Poseidon(limbs(D_c) ‖ U_c)`; padding leaves are zero.
pub fn leaf(dataset: &Fr, update: Digest) -> Digest {
    let mut input = fr_limbs(dataset).to_vec();
    input.extend(update.elements);
    PoseidonHash::hash_no_pad(&input)
}

/// Binary Merkle root with plonky2's `two_to_one`.
pub fn root(leaves: &[Digest]) -> Digest {
    let mut level = leaves.to_vec();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|p| PoseidonHash::two_to_one(p[0], p[1]))
            .collect();
    }
    level.first().copied().unwrap_or(HashOut::ZERO)
}

/// `s = Σ (u − 2^15)(w − 2^15)` in the field, read back as a signed
/// integer (`|s| ≤ 2^50 < p/2`).
pub fn score(update: &[i16], validation: &[i16]) -> i64 {
    let off = G::from_canonical_u64(LIMB_OFFSET as u64);
    let s = update
        .iter()
        .zip(validation)
        .fold(G::ZERO, |acc, (&a, &b)| {
            let u = G::from_canonical_u64(u64::from(limb(a))) - off;
            let w = G::from_canonical_u64(u64::from(limb(b))) - off;
            acc + u * w
        });
    signed(s)
}

/// A field element read as a signed integer in `(−p/2, p/2)`.
pub fn signed(x: G) -> i64 {
    let v = x.to_canonical_u64();
    if v > G::ORDER / 2 {
        -((G::ORDER - v) as i64)
    } else {
        v as i64
    }
}

/// Everything the Goldilocks profile derives from an epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribution {
    /// `U_c` of the active slots.
    pub update_commitments: Vec<Digest>,
    /// `V`.
    pub validation_commitment: Digest,
    /// `L_0 … L_{N−1}`.
    pub leaves: Vec<Digest>,
    /// `Q`.
    pub root: Digest,
    /// `s_c` of the active slots.
    pub scores: Vec<i64>,
    /// The split, checked limb by limb.
    pub split: Split,
}

/// The Goldilocks-profile attribution of an epoch.
pub fn attribute(epoch: &Epoch) -> Result<Attribution, crate::Error> {
    epoch.validate()?;
    let update_commitments: Vec<Digest> = epoch
        .participants
        .iter()
        .map(|p| commit_vector(&p.update, &p.salt))
        .collect();
    let mut leaves: Vec<Digest> = epoch
        .participants
        .iter()
        .zip(&update_commitments)
        .map(|(p, u)| leaf(&p.dataset, *u))
        .collect();
    leaves.resize(epoch.shape.slots, HashOut::ZERO);
    let scores: Vec<i64> = epoch
        .participants
        .iter()
        .map(|p| score(&p.update, &epoch.validation))
        .collect();
    let split = limbs::split(epoch.pool, &scores)?;
    Ok(Attribution {
        update_commitments,
        validation_commitment: commit_vector(&epoch.validation, &epoch.validation_salt),
        root: root(&leaves),
        leaves,
        scores,
        split,
    })
}
