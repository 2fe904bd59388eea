//! `ArithChip`: one row, `a · b + c = d`, for the statement's scalar
//! arithmetic (flags, signs, the split, `h`).
//!
//! ```text
//! | s0 | s1 | s2 | s3 | q_arith |
//! |----|----|----|----|---------|
//! | a  | b  | c  | d  |    1    |   constraint "a·b + c = d"
//! ```

use halo2_proofs::circuit::Value;
use halo2_proofs::halo2curves::ff::Field;
use halo2_proofs::plonk::{Advice, Column, ConstraintSystem, Error, Selector};
use halo2_proofs::poly::Rotation;

use super::{Ctx, Fp, Var};

/// An operand: a cell to copy, a constant, or a fresh witness.
#[derive(Clone, Copy, Debug)]
pub enum Op {
    /// Copy of an assigned cell.
    Var(Var),
    /// A constant (copied from the constants column).
    Const(Fp),
    /// A new witness value.
    Witness(Value<Fp>),
}

impl From<Var> for Op {
    fn from(v: Var) -> Self {
        Op::Var(v)
    }
}

impl From<&Var> for Op {
    fn from(v: &Var) -> Self {
        Op::Var(*v)
    }
}

impl Op {
    fn value(&self) -> Value<Fp> {
        match self {
            Op::Var(v) => v.value,
            Op::Const(c) => Value::known(*c),
            Op::Witness(w) => *w,
        }
    }
}

/// Instructions of the chip.
pub trait ArithInstructions {
    /// Assigns `a · b + c = d` on one row; `d = None` means "the computed
    /// value". Returns the four cells.
    fn mul_add(
        &self,
        ctx: &mut Ctx<'_>,
        a: Op,
        b: Op,
        c: Op,
        d: Option<Op>,
    ) -> Result<[Var; 4], Error>;
}

/// Columns and selector.
#[derive(Clone, Debug)]
pub struct ArithConfig {
    cols: [Column<Advice>; 4],
    q: Selector,
}

/// The chip.
pub struct ArithChip<'c>(pub &'c ArithConfig);

impl ArithConfig {
    /// Configures the gate on the first four advice columns.
    pub fn configure(meta: &mut ConstraintSystem<Fp>, cols: [Column<Advice>; 4]) -> Self {
        let q = meta.selector();
        meta.create_gate("arith", |meta| {
            let q = meta.query_selector(q);
            let [a, b, c, d] = cols.map(|col| meta.query_advice(col, Rotation::cur()));
            vec![("a·b + c = d", q * (a * b + c - d))]
        });
        ArithConfig { cols, q }
    }
}

impl ArithInstructions for ArithChip<'_> {
    fn mul_add(
        &self,
        ctx: &mut Ctx<'_>,
        a: Op,
        b: Op,
        c: Op,
        d: Option<Op>,
    ) -> Result<[Var; 4], Error> {
        let row = ctx.next_row();
        ctx.enable(self.0.q, row)?;
        let computed = a.value() * b.value() + c.value();
        let d = d.unwrap_or(Op::Witness(computed));
        let mut out = [Var::unassigned(); 4];
        for (i, op) in [a, b, c, d].into_iter().enumerate() {
            out[i] = match op {
                Op::Var(v) => ctx.copy(self.0.cols[i], row, v)?,
                Op::Const(k) => ctx.constant(self.0.cols[i], row, k)?,
                Op::Witness(w) => ctx.advice(self.0.cols[i], row, w),
            };
        }
        Ok(out)
    }
}

impl ArithChip<'_> {
    /// `a · b`.
    pub fn mul(&self, ctx: &mut Ctx<'_>, a: Op, b: Op) -> Result<Var, Error> {
        Ok(self.mul_add(ctx, a, b, Op::Const(Fp::ZERO), None)?[3])
    }

    /// `a + b`.
    pub fn add(&self, ctx: &mut Ctx<'_>, a: Op, b: Op) -> Result<Var, Error> {
        Ok(self.mul_add(ctx, a, Op::Const(Fp::ONE), b, None)?[3])
    }

    /// Constrains `a · b + c = d` for given cells.
    pub fn assert_mul_add(
        &self,
        ctx: &mut Ctx<'_>,
        a: Op,
        b: Op,
        c: Op,
        d: Op,
    ) -> Result<(), Error> {
        self.mul_add(ctx, a, b, c, Some(d)).map(|_| ())
    }
}
