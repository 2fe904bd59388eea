//! `RangeChip`: 16-bit limbs checked by one lookup into the table
//! `0 … 2^16 − 1`, summed into a running accumulator. It carries both the
//! packing of int16 vectors (SPEC §3: `P_k = Σ u_{15k+i} 2^{16i}`) and range
//! checks of wider values (`x < 2^B` as `⌈B/16⌉` limbs, the top one shifted
//! so that it has `B mod 16` bits).
//!
//! ```text
//! | s0 (u) | s1 (acc)                  | coef     | cont | q_lookup | q_limb | q_shift |
//! |--------|---------------------------|----------|------|----------|--------|---------|
//! | u_0    | coef_0·u_0                | 1        | 0    | 1        | 1      | 0       |
//! | u_1    | acc_0 + coef_1·u_1        | 2^16     | 1    | 1        | 1      | 0       |
//! | …      |                           |          |      |          |        |         |
//! | u_top·2^(16−r) |                   | 2^(16−r) |      | 1        | 0      | 1       |
//! ```
//! Constraints: "limb" `acc = cont·acc_prev + coef·u`; "shift"
//! `u = coef·u_prev`; lookup "u is a 16-bit limb" `q_lookup·u ∈ table`.

use halo2_proofs::circuit::{Layouter, Value};
use halo2_proofs::halo2curves::ff::{Field, PrimeField};
use halo2_proofs::plonk::{Advice, Column, ConstraintSystem, Error, Fixed, Selector, TableColumn};
use halo2_proofs::poly::Rotation;

use super::{Ctx, Fp, Var};
use crate::widths::LIMB_BITS;

/// Columns, selectors and the table.
#[derive(Clone, Debug)]
pub struct RangeConfig {
    u: Column<Advice>,
    acc: Column<Advice>,
    coef: Column<Fixed>,
    cont: Column<Fixed>,
    q_lookup: Selector,
    q_limb: Selector,
    q_shift: Selector,
    table: TableColumn,
}

/// One assigned limb row.
#[derive(Clone, Copy, Debug)]
pub struct LimbRow {
    /// Its row.
    pub row: usize,
    /// The limb.
    pub u: Var,
    /// The accumulator after it.
    pub acc: Var,
}

/// Instructions of the chip.
pub trait RangeInstructions {
    /// Assigns one limb row: `acc = cont·acc_prev + coef·u` (`cont` is
    /// false at a group's first row, `prev` is the previous row's value).
    fn limb_row(
        &self,
        ctx: &mut Ctx<'_>,
        u: Value<Fp>,
        coef: Fp,
        prev: Option<Value<Fp>>,
    ) -> Result<LimbRow, Error>;

    /// Constrains `x < 2^bits` (`bits ≤ 240`).
    fn range_check(&self, ctx: &mut Ctx<'_>, x: Var, bits: usize) -> Result<(), Error>;
}

/// The chip.
pub struct RangeChip<'c>(pub &'c RangeConfig);

impl RangeConfig {
    /// Configures the gates on `u` and `acc`.
    pub fn configure(
        meta: &mut ConstraintSystem<Fp>,
        u: Column<Advice>,
        acc: Column<Advice>,
        coef: Column<Fixed>,
        cont: Column<Fixed>,
    ) -> Self {
        let q_lookup = meta.complex_selector();
        let q_limb = meta.selector();
        let q_shift = meta.selector();
        let table = meta.lookup_table_column();
        meta.lookup("u is a 16-bit limb", |meta| {
            let q = meta.query_selector(q_lookup);
            let limb = meta.query_advice(u, Rotation::cur());
            vec![(q * limb, table)]
        });
        meta.create_gate("limb", |meta| {
            let q = meta.query_selector(q_limb);
            let limb = meta.query_advice(u, Rotation::cur());
            let sum = meta.query_advice(acc, Rotation::cur());
            let prev = meta.query_advice(acc, Rotation::prev());
            let k = meta.query_fixed(coef, Rotation::cur());
            let more = meta.query_fixed(cont, Rotation::cur());
            vec![(
                "acc = cont·acc_prev + coef·u",
                q * (sum - more * prev - k * limb),
            )]
        });
        meta.create_gate("shift", |meta| {
            let q = meta.query_selector(q_shift);
            let limb = meta.query_advice(u, Rotation::cur());
            let prev = meta.query_advice(u, Rotation::prev());
            let k = meta.query_fixed(coef, Rotation::cur());
            vec![("u = coef·u_prev", q * (limb - k * prev))]
        });
        RangeConfig {
            u,
            acc,
            coef,
            cont,
            q_lookup,
            q_limb,
            q_shift,
            table,
        }
    }

    /// Fills the table `0 … 2^16 − 1`.
    pub fn load_table(&self, layouter: &mut impl Layouter<Fp>) -> Result<(), Error> {
        layouter.assign_table(
            || "16-bit limbs",
            |mut table| {
                for i in 0..1usize << LIMB_BITS {
                    table.assign_cell(
                        || "limb",
                        self.table,
                        i,
                        || Value::known(Fp::from(i as u64)),
                    )?;
                }
                Ok(())
            },
        )
    }
}

/// The `n`-th 16-bit limb of a field element's canonical integer.
fn limb_of(x: &Fp, n: usize) -> u64 {
    let repr = x.to_repr();
    let bytes = repr.as_ref();
    let lo = bytes.get(2 * n).copied().unwrap_or(0);
    let hi = bytes.get(2 * n + 1).copied().unwrap_or(0);
    u64::from(lo) | (u64::from(hi) << 8)
}

/// `2^e` in the field.
pub fn pow2(e: usize) -> Fp {
    Fp::from(2).pow_vartime([e as u64])
}

impl RangeInstructions for RangeChip<'_> {
    fn limb_row(
        &self,
        ctx: &mut Ctx<'_>,
        u: Value<Fp>,
        coef: Fp,
        prev: Option<Value<Fp>>,
    ) -> Result<LimbRow, Error> {
        let c = self.0;
        let row = ctx.next_row();
        ctx.enable(c.q_lookup, row)?;
        ctx.enable(c.q_limb, row)?;
        ctx.fixed(c.coef, row, coef)?;
        ctx.fixed(c.cont, row, Fp::from(u64::from(prev.is_some())))?;
        let acc = prev.unwrap_or(Value::known(Fp::ZERO)) + u * Value::known(coef);
        Ok(LimbRow {
            row,
            u: ctx.advice(c.u, row, u),
            acc: ctx.advice(c.acc, row, acc),
        })
    }

    fn range_check(&self, ctx: &mut Ctx<'_>, x: Var, bits: usize) -> Result<(), Error> {
        let m = bits.div_ceil(LIMB_BITS);
        let mut prev = None;
        let mut last = None;
        for n in 0..m {
            let u = x.value.map(|v| Fp::from(limb_of(&v, n)));
            let row = self.limb_row(ctx, u, pow2(LIMB_BITS * n), prev)?;
            prev = Some(row.acc.value);
            last = Some(row);
        }
        let Some(last) = last else { return Ok(()) };
        ctx.equal(last.acc, x)?;
        let top = bits - LIMB_BITS * (m - 1);
        if top < LIMB_BITS {
            let k = pow2(LIMB_BITS - top);
            let row = ctx.next_row();
            ctx.enable(self.0.q_lookup, row)?;
            ctx.enable(self.0.q_shift, row)?;
            ctx.fixed(self.0.coef, row, k)?;
            ctx.advice(self.0.u, row, last.u.value * Value::known(k));
        }
        Ok(())
    }
}
