//! `PoseidonChip`: circomlib's Poseidon (SPEC §0) for one width `t` (the
//! statement uses `t = 3` for `H_2` and `t = 17` for `H_16`), constants from
//! `crate::poseidon` (the same generated parameters as the native code).
//!
//! halo2-axiom caps gate degree at 5 (selector included), so the S-box
//! `x^5 = x · (x²)²` keeps the squares `a = (s + rc)²` in advice cells. One
//! MDS gate serves both kinds of round: a full round writes its S-box
//! outputs `y = x·a²` to a row of their own (round constants 0 there), and
//! the MDS gate on that row multiplies them; a partial round applies the
//! MDS gate to its state row directly, with `(s0 + rc0)·a0²` in place of
//! the first entry (the partial-round selector switches it). The `t²`
//! products, most of the prover's gate work and of the EVM verifier's code,
//! are thus written once instead of once per kind of round.
//!
//! ```text
//! t = 17:
//! | s0 … s16                  | s17 (spare)   | rc0 … rc16  | q_full | q_mds | q_partial |
//! |---------------------------|---------------|-------------|--------|-------|-----------|
//! | 0, x_1 … x_16 (copied)    |               | round 0     | 1      | 0     | 0         |   full
//! | a_j = (s_j + rc_j)²       |               |             | 0      | 0     | 0         |
//! | y_j = (s_j + rc_j)·a_j²   |               | 0           | 0      | 1     | 0         |
//! | state after round 0       |               | round 1     | 1      | 0     | 0         |
//! | …                         |               |             |        |       |           |
//! | state after round 3       | (s0 + rc0)²   | round 4     | 0      | 1     | 1         |   partial
//! | …                         |               |             |        |       |           |
//! | state after round R−1     |               |             | 0      | 0     | 0         |   s0 = H_16(x)
//!
//! t = 3: | s0 s1 s2 | a0 a1 a2 (s3 … s5) |: a full round takes its state row
//! (squares beside it) and a row of outputs; a partial round one row.
//! ```
//! Constraints: "square j" `a_j = (s_j + rc_j)²` and "S-box j"
//! `y_j = (s_j + rc_j)·a_j²` (full rounds); "partial square"
//! `a0 = (s0 + rc0)²`; "MDS i" `next_i = M_i0 w_0 + Σ_{j≥1} M_ij (s_j + rc_j)`
//! with `w_0 = (s0 + rc0)·a0²` in partial rounds and `s0 + rc0` (`= y_0`)
//! on an output row.

use halo2_proofs::circuit::Value;
use halo2_proofs::halo2curves::ff::Field;
use halo2_proofs::plonk::{
    Advice, Column, ConstraintSystem, Error, Expression, Fixed, Selector, VirtualCells,
};
use halo2_proofs::poly::Rotation;

use super::{ark_to_fp, Ctx, Fp, Var};
use crate::poseidon::{params, FULL_ROUNDS};
use crate::tamper::Tamper;

/// Columns, selectors and constants of one width.
#[derive(Clone, Debug)]
pub struct PoseidonConfig {
    state: Vec<Column<Advice>>,
    /// Where a full round's squares go, and on which row (0: the state's
    /// row, 1: the next one).
    full_squares: (Vec<Column<Advice>>, i32),
    /// Where a partial round's one square goes (the state's row).
    partial_square: Column<Advice>,
    rc: Vec<Column<Fixed>>,
    q_full: Selector,
    q_mds: Selector,
    q_partial: Selector,
    partial_rounds: usize,
    round_constants: Vec<Fp>,
    mds: Vec<Vec<Fp>>,
}

/// Instructions of the chip.
pub trait PoseidonInstructions {
    /// `H_k(inputs)`, `k = t − 1` inputs.
    fn hash(&self, ctx: &mut Ctx<'_>, inputs: &[Var]) -> Result<Var, Error>;
}

/// The chip.
pub struct PoseidonChip<'c>(pub &'c PoseidonConfig);

/// `s_j + rc_j` on the gate's row.
fn state_plus_constants(
    meta: &mut VirtualCells<'_, Fp>,
    state: &[Column<Advice>],
    rc: &[Column<Fixed>],
) -> Vec<Expression<Fp>> {
    state
        .iter()
        .zip(rc)
        .map(|(s, c)| {
            meta.query_advice(*s, Rotation::cur()) + meta.query_fixed(*c, Rotation::cur())
        })
        .collect()
}

/// The state `rotation` rows below the gate's row.
fn query_state(
    meta: &mut VirtualCells<'_, Fp>,
    state: &[Column<Advice>],
    rotation: i32,
) -> Vec<Expression<Fp>> {
    state
        .iter()
        .map(|s| meta.query_advice(*s, Rotation(rotation)))
        .collect()
}

impl PoseidonConfig {
    /// Configures width `state.len()`; `full_squares` are `t` columns for
    /// the squares (with the row offset), `partial_square` one column.
    /// Fails if the width has no parameters.
    pub fn configure(
        meta: &mut ConstraintSystem<Fp>,
        state: &[Column<Advice>],
        full_squares: (&[Column<Advice>], i32),
        partial_square: Column<Advice>,
        rc: &[Column<Fixed>],
    ) -> Result<Self, crate::Error> {
        let t = state.len();
        let p = params(t - 1)?;
        let round_constants: Vec<Fp> = p.round_constants.iter().map(ark_to_fp).collect();
        let mds: Vec<Vec<Fp>> = p
            .mds
            .iter()
            .map(|row| row.iter().map(ark_to_fp).collect())
            .collect();
        let q_full = meta.selector();
        let q_mds = meta.selector();
        // Used inside the MDS gate's expression, so not compressible.
        let q_partial = meta.complex_selector();
        let rc = rc[..t].to_vec();
        let state = state.to_vec();
        let (sq, sq_rot) = (full_squares.0.to_vec(), full_squares.1);
        let (st, rcs) = (state.clone(), rc.clone());
        meta.create_gate(format!("poseidon t={t} full-round S-box"), |meta| {
            let q = meta.query_selector(q_full);
            let x = state_plus_constants(meta, &st, &rcs);
            let a: Vec<_> = sq
                .iter()
                .map(|c| meta.query_advice(*c, Rotation(sq_rot)))
                .collect();
            let y = query_state(meta, &st, sq_rot + 1);
            let mut out = Vec::new();
            for j in 0..t {
                out.push((
                    format!("square {j}: a = (s + rc)²"),
                    q.clone() * (a[j].clone() - x[j].clone() * x[j].clone()),
                ));
                out.push((
                    format!("S-box {j}: y = (s + rc)·a²"),
                    q.clone() * (y[j].clone() - x[j].clone() * a[j].clone() * a[j].clone()),
                ));
            }
            out
        });
        let m = mds.clone();
        let (st, rcs) = (state.clone(), rc.clone());
        meta.create_gate(format!("poseidon t={t} MDS"), |meta| {
            let q = meta.query_selector(q_mds);
            let partial = meta.query_selector(q_partial);
            let x = state_plus_constants(meta, &st, &rcs);
            let a0 = meta.query_advice(partial_square, Rotation::cur());
            let next = query_state(meta, &st, 1);
            // w0 = x0 on an output row, x0·a0² in a partial round.
            let boxed = x[0].clone() * a0.clone() * a0.clone();
            let w0 = x[0].clone() + partial.clone() * (boxed - x[0].clone());
            let mut out = vec![(
                "partial square: a0 = (s0 + rc0)²".to_string(),
                q.clone() * partial * (a0 - x[0].clone() * x[0].clone()),
            )];
            for i in 0..t {
                let sum = (1..t).fold(w0.clone() * m[i][0], |acc, j| acc + x[j].clone() * m[i][j]);
                out.push((
                    format!("MDS {i}: next = M_0 w0 + Σ M (s + rc)"),
                    q.clone() * (next[i].clone() - sum),
                ));
            }
            out
        });
        Ok(PoseidonConfig {
            state,
            full_squares: (full_squares.0.to_vec(), full_squares.1),
            partial_square,
            rc,
            q_full,
            q_mds,
            q_partial,
            partial_rounds: p.partial_rounds,
            round_constants,
            mds,
        })
    }
}

impl PoseidonInstructions for PoseidonChip<'_> {
    fn hash(&self, ctx: &mut Ctx<'_>, inputs: &[Var]) -> Result<Var, Error> {
        let c = self.0;
        let t = c.state.len();
        if inputs.len() + 1 != t {
            return Err(Error::Synthesis);
        }
        let mut row = ctx.next_row();
        let mut state: Vec<Value<Fp>> = Vec::with_capacity(t);
        ctx.constant(c.state[0], row, Fp::ZERO)?;
        state.push(Value::known(Fp::ZERO));
        for (col, x) in c.state[1..].iter().zip(inputs) {
            ctx.copy(*col, row, *x)?;
            state.push(x.value);
        }
        let rounds = FULL_ROUNDS + c.partial_rounds;
        let half = FULL_ROUNDS / 2;
        let mut out = Var::unassigned();
        for r in 0..rounds {
            let full = r < half || r >= half + c.partial_rounds;
            let consts = &c.round_constants[r * t..(r + 1) * t];
            for (col, k) in c.rc.iter().zip(consts) {
                ctx.fixed(*col, row, *k)?;
            }
            let x: Vec<Value<Fp>> = state
                .iter()
                .zip(consts)
                .map(|(s, k)| *s + Value::known(*k))
                .collect();
            let squares: Vec<Value<Fp>> = x.iter().map(|v| v.map(|v| v.square())).collect();
            let boxed: Vec<Value<Fp>> = (0..t)
                .map(|j| {
                    if full || j == 0 {
                        x[j] * squares[j] * squares[j]
                    } else {
                        x[j]
                    }
                })
                .collect();
            if full {
                ctx.enable(c.q_full, row)?;
                let (cols, rot) = &c.full_squares;
                for (col, v) in cols.iter().zip(&squares) {
                    ctx.advice(*col, row + *rot as usize, *v);
                }
                if *rot == 1 {
                    ctx.next_row();
                }
                // The outputs' row: round constants 0, the MDS gate on.
                let y_row = ctx.next_row();
                let mut y = boxed.clone();
                if ctx.tamper == Some(Tamper::SboxOutput) {
                    ctx.tamper = None;
                    y[0] = y[0] + Value::known(Fp::ONE);
                }
                for (col, v) in c.state.iter().zip(&y) {
                    ctx.advice(*col, y_row, *v);
                }
                ctx.enable(c.q_mds, y_row)?;
            } else {
                ctx.enable(c.q_mds, row)?;
                ctx.enable(c.q_partial, row)?;
                let mut a0 = squares[0];
                if ctx.tamper == Some(Tamper::PartialSquare) {
                    ctx.tamper = None;
                    a0 = a0 + Value::known(Fp::ONE);
                }
                ctx.advice(c.partial_square, row, a0);
            }
            row = ctx.next_row();
            state = c
                .mds
                .iter()
                .map(|m| {
                    m.iter()
                        .zip(&boxed)
                        .fold(Value::known(Fp::ZERO), |acc, (mij, x)| {
                            acc + *x * Value::known(*mij)
                        })
                })
                .collect();
            for (i, (col, v)) in c.state.iter().zip(&state).enumerate() {
                let var = ctx.advice(*col, row, *v);
                if i == 0 {
                    out = var;
                }
            }
        }
        Ok(out)
    }
}
