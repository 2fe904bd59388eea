//! Poseidon `H_k` in R1CS: 3 constraints per S-box, `(8·t + R_P) · 3` in all
//! (612 for `H_16`, 243 for `H_2`).
//!
//! Full rounds keep the state as linear combinations of the S-box outputs.
//! Partial rounds would make those combinations grow by one term per round
//! and per state element; instead the linear map from (last full-round
//! outputs, partial S-box outputs, 1) to each partial S-box input and to the
//! state after the partial rounds is precomputed once per width, so each
//! input costs one combination of at most `t + R_P + 1` terms.

use std::sync::OnceLock;

use ark_ff::{AdditiveGroup, Field};
use ark_relations::r1cs::SynthesisError;

use super::{params, PoseidonParams, FULL_ROUNDS, MAX_INPUTS};
use crate::r1cs::{Builder, Lc};
use crate::Fr;

/// The partial rounds as linear forms over the basis
/// `[z_0 … z_{t-1}, y_0 … y_{R_P-1}, 1]`, where `z` are the S-box outputs of
/// the last full round before them and `y_r` the S-box output of partial
/// round `r`.
struct PartialForms {
    /// Row `r`: the S-box input of partial round `r`.
    inputs: Vec<Vec<Fr>>,
    /// Row `i`: state element `i` after the last partial round's mix.
    outputs: Vec<Vec<Fr>>,
}

impl PartialForms {
    fn new(p: &PoseidonParams) -> Self {
        let t = p.width;
        let k = t + p.partial_rounds + 1;
        let one = k - 1;
        let unit = |i: usize| {
            let mut v = vec![Fr::ZERO; k];
            v[i] = Fr::ONE;
            v
        };
        let mix = |state: &[Vec<Fr>]| -> Vec<Vec<Fr>> {
            p.mds
                .iter()
                .map(|row| {
                    let mut out = vec![Fr::ZERO; k];
                    for (m, s) in row.iter().zip(state) {
                        for (o, x) in out.iter_mut().zip(s) {
                            *o += *m * x;
                        }
                    }
                    out
                })
                .collect()
        };
        let z: Vec<Vec<Fr>> = (0..t).map(unit).collect();
        let mut state = mix(&z);
        let mut inputs = Vec::with_capacity(p.partial_rounds);
        let first = FULL_ROUNDS / 2;
        for r in 0..p.partial_rounds {
            for (i, s) in state.iter_mut().enumerate() {
                s[one] += p.round_constants[(first + r) * t + i];
            }
            inputs.push(state[0].clone());
            state[0] = unit(t + r);
            state = mix(&state);
        }
        PartialForms {
            inputs,
            outputs: state,
        }
    }
}

fn forms(k: usize) -> Result<&'static PartialForms, SynthesisError> {
    static CACHE: [OnceLock<PartialForms>; MAX_INPUTS] = [const { OnceLock::new() }; MAX_INPUTS];
    let p = params(k).map_err(|_| SynthesisError::Unsatisfiable)?;
    Ok(CACHE[k - 1].get_or_init(|| PartialForms::new(p)))
}

fn sbox(b: &Builder, x: &Lc) -> Result<Lc, SynthesisError> {
    let x2 = b.mul(x, x)?;
    let x4 = b.mul(&x2, &x2)?;
    b.mul(&x4, x)
}

fn full_round(
    b: &Builder,
    p: &PoseidonParams,
    round: usize,
    state: &[Lc],
) -> Result<Vec<Lc>, SynthesisError> {
    let t = p.width;
    state
        .iter()
        .enumerate()
        .map(|(i, s)| sbox(b, &s.add_const(p.round_constants[round * t + i])))
        .collect()
}

fn mix(p: &PoseidonParams, state: &[Lc]) -> Vec<Lc> {
    p.mds
        .iter()
        .map(|row| Lc::linear(row.iter().copied().zip(state)))
        .collect()
}

/// `H_k(inputs)` in constraints, `k = inputs.len() ∈ [1, 16]`.
pub fn hash(b: &Builder, inputs: &[Lc]) -> Result<Lc, SynthesisError> {
    let p = params(inputs.len()).map_err(|_| SynthesisError::Unsatisfiable)?;
    let forms = forms(inputs.len())?;
    let half = FULL_ROUNDS / 2;
    let mut state = Vec::with_capacity(p.width);
    state.push(Lc::constant(Fr::ZERO));
    state.extend_from_slice(inputs);
    for round in 0..half - 1 {
        state = mix(p, &full_round(b, p, round, &state)?);
    }
    // The last full round before the partial ones: its S-box outputs are the
    // basis of the precomputed forms.
    let mut basis = full_round(b, p, half - 1, &state)?;
    for row in &forms.inputs {
        let x = Lc::linear(row.iter().copied().zip(&basis));
        let x = x.add_const(row[row.len() - 1]);
        let y = sbox(b, &x)?;
        basis.push(y);
    }
    basis.push(Lc::constant(Fr::ONE));
    state = forms
        .outputs
        .iter()
        .map(|row| Lc::linear(row.iter().copied().zip(&basis)))
        .collect();
    for round in half + p.partial_rounds..FULL_ROUNDS + p.partial_rounds {
        state = mix(p, &full_round(b, p, round, &state)?);
    }
    Ok(state.swap_remove(0))
}

/// `H_2(a, b)`.
pub fn hash2(b: &Builder, x: &Lc, y: &Lc) -> Result<Lc, SynthesisError> {
    hash(b, &[x.clone(), y.clone()])
}
