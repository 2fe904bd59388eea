//! circomlib-compatible Poseidon `H_k`, `1 ≤ k ≤ 16` (SPEC §0).

#[cfg(feature = "r1cs")]
pub mod constraints;
mod params;

use std::sync::OnceLock;

use ark_ff::Field;

pub use params::{PoseidonParams, FULL_ROUNDS, PARTIAL_ROUNDS};

use crate::{Error, Fr};

/// Largest number of inputs of one hash.
pub const MAX_INPUTS: usize = 16;

/// The parameters of `H_k` (width `k + 1`), generated once per process.
pub fn params(k: usize) -> Result<&'static PoseidonParams, Error> {
    static CACHE: [OnceLock<PoseidonParams>; MAX_INPUTS] = [const { OnceLock::new() }; MAX_INPUTS];
    if !(1..=MAX_INPUTS).contains(&k) {
        return Err(Error::PoseidonArity(k));
    }
    Ok(CACHE[k - 1].get_or_init(|| PoseidonParams::generate(k + 1)))
}

fn sbox(x: &mut Fr) {
    let x2 = x.square();
    *x *= x2.square();
}

/// The Poseidon permutation of width `params.width`, in place.
pub fn permute(params: &PoseidonParams, state: &mut [Fr]) {
    let t = params.width;
    let half_full = FULL_ROUNDS / 2;
    let rounds = FULL_ROUNDS + params.partial_rounds;
    let mut next = vec![Fr::from(0u64); t];
    for round in 0..rounds {
        for (s, c) in state
            .iter_mut()
            .zip(&params.round_constants[round * t..(round + 1) * t])
        {
            *s += c;
        }
        if round < half_full || round >= half_full + params.partial_rounds {
            state.iter_mut().for_each(sbox);
        } else {
            sbox(&mut state[0]);
        }
        for (out, row) in next.iter_mut().zip(&params.mds) {
            *out = row.iter().zip(state.iter()).map(|(m, s)| *m * s).sum();
        }
        state.copy_from_slice(&next);
    }
}

/// `H_k(inputs)` with `k = inputs.len()`: state `[0, x_1 … x_k]`, output `state[0]`.
pub fn hash(inputs: &[Fr]) -> Result<Fr, Error> {
    let params = params(inputs.len())?;
    let mut state = Vec::with_capacity(inputs.len() + 1);
    state.push(Fr::from(0u64));
    state.extend_from_slice(inputs);
    permute(params, &mut state);
    Ok(state[0])
}

/// `H_2(a, b)`, the Merkle node and commitment hash.
pub fn hash2(a: Fr, b: Fr) -> Fr {
    // Arity 2 is always in range.
    hash(&[a, b]).unwrap_or_default()
}

/// `H_16` over a chain value and up to 15 further inputs, missing ones 0.
pub(crate) fn hash16_chunk(chain: Fr, chunk: &[Fr]) -> Fr {
    let mut inputs = [Fr::from(0u64); MAX_INPUTS];
    inputs[0] = chain;
    inputs[1..=chunk.len()].copy_from_slice(chunk);
    hash(&inputs).unwrap_or_default()
}
