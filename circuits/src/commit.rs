//! Packing, `VecHash` and the update/validation commitments (SPEC §3).

use ark_ff::PrimeField;

use crate::poseidon::{hash16_chunk, hash2};
use crate::widths::VALUE_BITS;
use crate::Fr;

/// Added to an int16 entry to make its limb `u = x + 2^15 ∈ [0, 2^16)`
/// (limbs are [`crate::widths::LIMB_BITS`] wide).
pub const LIMB_OFFSET: i32 = 1 << (VALUE_BITS - 1);
/// Limbs packed into one field element (240 bits < 254).
pub const LIMBS_PER_ELEMENT: usize = 15;
/// Packed elements absorbed per `H_16` call (the 16th input is the chain).
pub const ELEMENTS_PER_HASH: usize = 15;

/// The limb of an int16 entry.
pub fn limb(x: i16) -> u16 {
    (i32::from(x) + LIMB_OFFSET) as u16
}

/// Number of packed elements of a length-`d` vector, `⌈d/15⌉`.
pub fn packed_len(d: usize) -> usize {
    d.div_ceil(LIMBS_PER_ELEMENT)
}

/// Number of `H_16` calls of `VecHash` for a length-`d` vector.
pub fn vec_hash_rounds(d: usize) -> usize {
    packed_len(d).div_ceil(ELEMENTS_PER_HASH)
}

/// `P_k = Σ_i u_{15k+i} · 2^{16 i}`; limbs past the end are 0.
pub fn pack(x: &[i16]) -> Vec<Fr> {
    x.chunks(LIMBS_PER_ELEMENT)
        .map(|chunk| {
            let mut bytes = [0u8; 2 * LIMBS_PER_ELEMENT];
            for (i, &e) in chunk.iter().enumerate() {
                bytes[2 * i..2 * i + 2].copy_from_slice(&limb(e).to_le_bytes());
            }
            // 240 bits are below r: nothing is reduced.
            Fr::from_le_bytes_mod_order(&bytes)
        })
        .collect()
}

/// `VecHash(x)`: `h_0 = D`, then `h_{j+1} = H_16(h_j, P_{15j} … P_{15j+14})`.
pub fn vec_hash(x: &[i16]) -> Fr {
    pack(x)
        .chunks(ELEMENTS_PER_HASH)
        .fold(Fr::from(x.len() as u64), hash16_chunk)
}

/// A salted vector commitment `H_2(VecHash(x), σ)`: `U_c` and `V`.
pub fn commit_vector(x: &[i16], salt: Fr) -> Fr {
    hash2(vec_hash(x), salt)
}

/// The Merkle leaf of an active slot, `H_2(D_c, U_c)`.
pub fn leaf(dataset: Fr, update_commitment: Fr) -> Fr {
    hash2(dataset, update_commitment)
}
