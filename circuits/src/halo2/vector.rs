//! `VectorChip`: an int16 vector's limbs (range-checked and packed by the
//! range chip on the same rows) and, for an update, its dot product with the
//! validation direction, whose limbs are copied in beside it.
//!
//! ```text
//! | s0 (u)  | s1 (acc)   | s2 (w)          | s3 (dot)                        | mask | dcont | q_dot |
//! |---------|------------|-----------------|---------------------------------|------|-------|-------|
//! | u_0     | P-running  | w_0 = v's u_0   | (u_0 − 2^15)(w_0 − 2^15)        | 1    | 0     | 1     |
//! | u_1     | …          | w_1             | dot_0 + (u_1 − 2^15)(w_1 − 2^15) | 1    | 1     | 1     |
//! | u_i≥D   | (coef 0)   | 0               | dot_{i−1}                       | 0    | 1     | 1     |
//! ```
//! Rows `0 … 15⌈D/15⌉ − 1`; row `15k + 14`'s `acc` is `P_k`. Padding limbs
//! (`i ≥ D`) have coefficient 0, so `P_k` is SPEC's packing whatever they
//! hold, and mask 0 keeps them out of the dot product. Constraint "dot":
//! `dot = dcont·dot_prev + mask·(u − 2^15)(w − 2^15)`.

use halo2_proofs::circuit::Value;
use halo2_proofs::halo2curves::ff::Field;
use halo2_proofs::plonk::{Advice, Column, ConstraintSystem, Error, Expression, Fixed, Selector};
use halo2_proofs::poly::Rotation;

use super::range::{pow2, RangeChip, RangeInstructions};
use super::{Ctx, Fp, Var};
use crate::commit::{LIMBS_PER_ELEMENT, LIMB_OFFSET};
use crate::widths::LIMB_BITS;

/// Columns and selector of the dot product.
#[derive(Clone, Debug)]
pub struct VectorConfig {
    w: Column<Advice>,
    dot: Column<Advice>,
    mask: Column<Fixed>,
    dcont: Column<Fixed>,
    q_dot: Selector,
}

/// An assigned vector.
pub struct AssignedVector {
    /// The limbs `u_i = x_i + 2^15`, `i < D`.
    pub limbs: Vec<Var>,
    /// `P_0 … P_{⌈D/15⌉−1}`.
    pub packed: Vec<Var>,
    /// `Σ x_i v_i` when a validation vector was given.
    pub dot: Option<Var>,
}

/// Instructions of the chip.
pub trait VectorInstructions {
    /// Assigns the limbs of one vector; with `validation` (its limbs), also
    /// the dot product with it.
    fn assign(
        &self,
        ctx: &mut Ctx<'_>,
        range: &RangeChip<'_>,
        limbs: &[Value<Fp>],
        validation: Option<&[Var]>,
    ) -> Result<AssignedVector, Error>;
}

/// The chip.
pub struct VectorChip<'c>(pub &'c VectorConfig);

impl VectorConfig {
    /// Configures the dot gate.
    pub fn configure(
        meta: &mut ConstraintSystem<Fp>,
        u: Column<Advice>,
        w: Column<Advice>,
        dot: Column<Advice>,
        mask: Column<Fixed>,
        dcont: Column<Fixed>,
    ) -> Self {
        let q_dot = meta.selector();
        meta.create_gate("dot", |meta| {
            let q = meta.query_selector(q_dot);
            let off = Expression::Constant(Fp::from(LIMB_OFFSET as u64));
            let u = meta.query_advice(u, Rotation::cur());
            let w = meta.query_advice(w, Rotation::cur());
            let d = meta.query_advice(dot, Rotation::cur());
            let prev = meta.query_advice(dot, Rotation::prev());
            let mask = meta.query_fixed(mask, Rotation::cur());
            let dcont = meta.query_fixed(dcont, Rotation::cur());
            vec![(
                "dot = dcont·dot_prev + mask·(u − 2^15)(w − 2^15)",
                q * (d - dcont * prev - mask * (u - off.clone()) * (w - off)),
            )]
        });
        VectorConfig {
            w,
            dot,
            mask,
            dcont,
            q_dot,
        }
    }
}

impl VectorInstructions for VectorChip<'_> {
    fn assign(
        &self,
        ctx: &mut Ctx<'_>,
        range: &RangeChip<'_>,
        limbs: &[Value<Fp>],
        validation: Option<&[Var]>,
    ) -> Result<AssignedVector, Error> {
        let c = self.0;
        let d = limbs.len();
        let rows = d.div_ceil(LIMBS_PER_ELEMENT) * LIMBS_PER_ELEMENT;
        let off = Value::known(Fp::from(LIMB_OFFSET as u64));
        let mut out = AssignedVector {
            limbs: Vec::with_capacity(d),
            packed: Vec::new(),
            dot: None,
        };
        let mut acc = None;
        let mut dot = Value::known(Fp::ZERO);
        for i in 0..rows {
            let real = i < d;
            let pos = i % LIMBS_PER_ELEMENT;
            let u = match limbs.get(i) {
                Some(&u) => u,
                None => Value::known(Fp::ZERO),
            };
            let coef = if real {
                pow2(LIMB_BITS * pos)
            } else {
                Fp::ZERO
            };
            let prev = if pos == 0 { None } else { acc };
            let row = range.limb_row(ctx, u, coef, prev)?;
            acc = Some(row.acc.value);
            if real {
                out.limbs.push(row.u);
            }
            if pos == LIMBS_PER_ELEMENT - 1 {
                out.packed.push(row.acc);
            }
            if let Some(v) = validation {
                let r = row.row;
                ctx.enable(c.q_dot, r)?;
                ctx.fixed(c.mask, r, Fp::from(u64::from(real)))?;
                ctx.fixed(c.dcont, r, Fp::from(u64::from(i > 0)))?;
                let w = match v.get(i).filter(|_| real) {
                    Some(x) => ctx.copy(c.w, r, *x)?,
                    None => ctx.advice(c.w, r, Value::known(Fp::ZERO)),
                };
                if real {
                    dot = dot + (u - off) * (w.value - off);
                }
                out.dot = Some(ctx.advice(c.dot, r, dot));
            }
        }
        Ok(out)
    }
}
