//! Statement v1 as a halo2 circuit (halo2-axiom, KZG on BN254): the same
//! public inputs `[Q, V, pool, γ, h]` as Groth16, in one instance column.
//!
//! Chips, one per file, share 18 advice columns `s0 … s17`:
//! [`range`] (16-bit limbs by lookup, packing and wide range checks),
//! [`vector`] (dot products beside the packed limbs), [`poseidon`] (widths 3
//! and 17), [`arith`] (`a·b + c = d`). The layout is one region, top to
//! bottom:
//!
//! ```text
//! validation v:   15⌈D/15⌉ limb rows · VecHash (H_16 rows) · V = H_2
//! slot c (each):  15⌈D/15⌉ limb+dot rows (w copied from v) · VecHash · U_c = H_2
//!                 flag f_c = [D_c ≠ 0], f monotone, leaf = f·H_2(D_c, U_c)
//! Merkle tree:    N − 1 H_2 rows → Q
//! scores:         s = f·dot; sign bit g, |s| < 2^51, s⁺ = g·s; S = Σ s⁺
//! split:          z = [S = 0]; pool·s⁺ = a·S + rem, a < 2^96, rem < 2^67,
//!                 S − 1 − rem + z ∈ [0, 2^67), a·z = 0; pool < 2^96
//! h:              Horner over (D_c, a_c) with the public γ
//! ```
//!
//! Witness computation (limbs, hints) is in [`witness`]; everything else is
//! computed from assigned values, so a corrupted hint breaks exactly the
//! constraint that guards it (`tests/halo2.rs`).

pub mod arith;
pub mod poseidon;
pub mod range;
pub mod vector;
pub mod witness;

use halo2_proofs::circuit::{Cell, Layouter, Region, SimpleFloorPlanner, Value};
use halo2_proofs::halo2curves::ff::{Field, PrimeField};
use halo2_proofs::plonk::{
    Advice, Circuit, Column, ConstraintSystem, Error, Fixed, Instance, Selector,
};

use crate::attribution::POOL_BITS;
use crate::poseidon::MAX_INPUTS;
use crate::statement::Shape;
use arith::{ArithChip, ArithConfig, ArithInstructions, Op};
use poseidon::{PoseidonChip, PoseidonConfig, PoseidonInstructions};
use range::{RangeChip, RangeConfig, RangeInstructions};
use vector::{VectorChip, VectorConfig, VectorInstructions};
pub use witness::{Tamper, Witness};

/// The scalar field of halo2's BN254.
pub type Fp = halo2_proofs::halo2curves::bn256::Fr;

/// Advice columns.
pub const WIDTH: usize = MAX_INPUTS + 2;
/// Bits of `|s_c|` (SPEC: `|s_c| ≤ 2^50`).
pub const SCORE_BITS: usize = 51;
/// Bits of a remainder (`rem < S ≤ 2^66`).
pub const REM_BITS: usize = 67;
/// The smallest `k` (the limb table has `2^16` rows).
pub const MIN_K: u32 = 17;

/// An ark field element in halo2's representation.
pub fn ark_to_fp(x: &crate::Fr) -> Fp {
    let bytes = crate::field::fr_to_be_bytes(x);
    let mut repr = [0u8; 32];
    for (d, s) in repr.iter_mut().zip(bytes.iter().rev()) {
        *d = *s;
    }
    // A canonical ark element is below r, so this cannot fail.
    Option::from(Fp::from_repr(repr)).unwrap_or(Fp::ZERO)
}

/// An assigned cell and its value (`cell` is `None` while only counting rows).
#[derive(Clone, Copy, Debug)]
pub struct Var {
    cell: Option<Cell>,
    /// The value.
    pub value: Value<Fp>,
}

impl Var {
    fn unassigned() -> Self {
        Var {
            cell: None,
            value: Value::unknown(),
        }
    }
}

/// The region being filled, row by row, or a dry run that only counts.
pub struct Ctx<'r> {
    region: Option<Region<'r, Fp>>,
    row: usize,
    free: Option<(usize, usize)>,
    advice: [Column<Advice>; WIDTH],
    /// A Poseidon cell to corrupt once (negative tests).
    tamper: Option<Tamper>,
    /// A dry run stops once it has used more rows than this.
    limit: usize,
}

impl Ctx<'_> {
    /// Claims the next row.
    pub fn next_row(&mut self) -> usize {
        self.row += 1;
        self.row - 1
    }

    /// Rows used so far.
    pub fn rows(&self) -> usize {
        self.row
    }

    fn enable(&mut self, s: Selector, row: usize) -> Result<(), Error> {
        match &mut self.region {
            Some(r) => s.enable(r, row),
            None => Ok(()),
        }
    }

    fn fixed(&mut self, col: Column<Fixed>, row: usize, v: Fp) -> Result<(), Error> {
        if let Some(r) = &mut self.region {
            r.assign_fixed(col, row, v);
        }
        Ok(())
    }

    fn advice(&mut self, col: Column<Advice>, row: usize, v: Value<Fp>) -> Var {
        let cell = self
            .region
            .as_mut()
            .map(|r| r.assign_advice(col, row, v).cell());
        Var { cell, value: v }
    }

    fn equal(&mut self, a: Var, b: Var) -> Result<(), Error> {
        if let (Some(r), Some(x), Some(y)) = (&mut self.region, a.cell, b.cell) {
            r.constrain_equal(x, y);
        }
        Ok(())
    }

    fn copy(&mut self, col: Column<Advice>, row: usize, v: Var) -> Result<Var, Error> {
        let out = self.advice(col, row, v.value);
        self.equal(out, v)?;
        Ok(out)
    }

    fn constant(&mut self, col: Column<Advice>, row: usize, k: Fp) -> Result<Var, Error> {
        let out = self.advice(col, row, Value::known(k));
        if let (Some(r), Some(c)) = (&mut self.region, out.cell) {
            r.constrain_constant(c, k)?;
        }
        Ok(out)
    }

    /// A free witness cell (rows of unconstrained cells, 18 per row).
    fn witness(&mut self, v: Value<Fp>) -> Var {
        let (row, col) = match self.free {
            Some((row, col)) if col < WIDTH => (row, col),
            _ => (self.next_row(), 0),
        };
        self.free = Some((row, col + 1));
        self.advice(self.advice[col], row, v)
    }
}

/// All columns and chips.
#[derive(Clone, Debug)]
pub struct Config {
    advice: [Column<Advice>; WIDTH],
    instance: Column<Instance>,
    range: RangeConfig,
    vector: VectorConfig,
    arith: ArithConfig,
    h2: PoseidonConfig,
    h16: PoseidonConfig,
}

impl Config {
    fn configure(meta: &mut ConstraintSystem<Fp>) -> Result<Self, crate::Error> {
        let advice: [Column<Advice>; WIDTH] = std::array::from_fn(|_| meta.advice_column());
        for a in advice {
            meta.enable_equality(a);
        }
        let instance = meta.instance_column();
        meta.enable_equality(instance);
        let constants = meta.fixed_column();
        meta.enable_constant(constants);
        // Round constants of the widest Poseidon (17 columns).
        let rc: Vec<Column<Fixed>> = (0..=MAX_INPUTS).map(|_| meta.fixed_column()).collect();
        // The range and vector chips' fixed columns double as the first
        // round-constant columns: no row uses both.
        let range = RangeConfig::configure(meta, advice[0], advice[1], rc[0], rc[1]);
        let vector = VectorConfig::configure(meta, advice[0], advice[2], advice[3], rc[2], rc[3]);
        let arith = ArithConfig::configure(meta, [advice[0], advice[1], advice[2], advice[3]]);
        let h2 = PoseidonConfig::configure(meta, &advice[..3], (&advice[3..6], 0), advice[3], &rc)?;
        let t17 = MAX_INPUTS + 1;
        let h16 =
            PoseidonConfig::configure(meta, &advice[..t17], (&advice[..t17], 1), advice[t17], &rc)?;
        Ok(Config {
            advice,
            instance,
            range,
            vector,
            arith,
            h2,
            h16,
        })
    }
}

/// The attribution circuit of one shape; without a witness it is the
/// shape's circuit for key generation.
#[derive(Clone, Debug)]
pub struct AttributionCircuit {
    shape: Shape,
    witness: Option<Witness>,
}

impl AttributionCircuit {
    /// The circuit for key generation.
    pub fn placeholder(shape: Shape) -> Self {
        AttributionCircuit {
            shape,
            witness: None,
        }
    }

    /// The circuit proving `witness`.
    pub fn new(witness: Witness) -> Self {
        AttributionCircuit {
            shape: witness.shape,
            witness: Some(witness),
        }
    }

    /// Rows the layout uses (without the table and blinding rows).
    pub fn rows(shape: Shape) -> Result<usize, crate::Error> {
        Self::rows_within(shape, usize::MAX)?
            .ok_or_else(|| crate::Error::Backend(format!("shape {shape}: too many rows")))
    }

    /// [`AttributionCircuit::rows`] if they are at most `limit`; `None`
    /// once the count passes `limit` (the count stops there, so its cost
    /// is bounded by `limit`, not by the shape).
    pub fn rows_within(shape: Shape, limit: usize) -> Result<Option<usize>, crate::Error> {
        // Every entry of the validation vector and of each slot's update
        // takes a row of its own (`RangeChip::limb_row`): a shape over the
        // limit by that count alone is not laid out at all, so the count
        // below stays within about `limit` rows whatever the shape.
        if (shape.slots + 1).saturating_mul(shape.dim) > limit {
            return Ok(None);
        }
        let mut meta = ConstraintSystem::<Fp>::default();
        let config = Config::configure(&mut meta)?;
        let mut ctx = Ctx {
            region: None,
            row: 0,
            free: None,
            advice: config.advice,
            tamper: None,
            limit,
        };
        match layout(&config, &mut ctx, shape, None) {
            Ok(_) if ctx.rows() <= limit => Ok(Some(ctx.rows())),
            Ok(_) | Err(Error::NotEnoughRowsAvailable { .. }) => Ok(None),
            Err(e) => Err(crate::Error::Backend(e.to_string())),
        }
    }

    /// The smallest `k` that fits the shape if it is at most `max_k`, else
    /// `None`; costs at most about `2^max_k` rows of counting, whatever the
    /// shape (a file's header may name the largest one).
    pub fn k_within(shape: Shape, max_k: u32) -> Result<Option<u32>, crate::Error> {
        let mut meta = ConstraintSystem::<Fp>::default();
        Config::configure(&mut meta)?;
        let extra = meta.blinding_factors() + 1;
        let limit = 1usize
            .checked_shl(max_k)
            .filter(|_| max_k < usize::BITS)
            .map_or(usize::MAX, |n| n.saturating_sub(extra));
        Ok(Self::rows_within(shape, limit)?.map(|rows| Self::k_of_rows(rows + extra)))
    }

    fn k_of_rows(needed: usize) -> u32 {
        let k = usize::BITS - needed.saturating_sub(1).leading_zeros();
        k.max(MIN_K)
    }

    /// The smallest `k` that fits the shape.
    pub fn k(shape: Shape) -> Result<u32, crate::Error> {
        let mut meta = ConstraintSystem::<Fp>::default();
        Config::configure(&mut meta)?;
        let needed = Self::rows(shape)? + meta.blinding_factors() + 1;
        Ok(Self::k_of_rows(needed))
    }
}

impl Circuit<Fp> for AttributionCircuit {
    type Config = Config;
    type FloorPlanner = SimpleFloorPlanner;
    type Params = ();

    fn without_witnesses(&self) -> Self {
        Self::placeholder(self.shape)
    }

    fn configure(meta: &mut ConstraintSystem<Fp>) -> Config {
        // Parameters exist for every width 2 … 17; the two used cannot fail.
        match Config::configure(meta) {
            Ok(c) => c,
            Err(e) => panic!("poseidon parameters: {e}"),
        }
    }

    fn synthesize(&self, config: Config, mut layouter: impl Layouter<Fp>) -> Result<(), Error> {
        config.range.load_table(&mut layouter)?;
        let publics = layouter.assign_region(
            || "attribution",
            |region| {
                let mut ctx = Ctx {
                    region: Some(region),
                    row: 0,
                    free: None,
                    advice: config.advice,
                    tamper: self
                        .witness
                        .as_ref()
                        .and_then(|w| w.tamper)
                        .filter(|t| matches!(t, Tamper::SboxOutput | Tamper::PartialSquare)),
                    limit: usize::MAX,
                };
                layout(&config, &mut ctx, self.shape, self.witness.as_ref())
            },
        )?;
        for (i, p) in publics.iter().enumerate() {
            if let Some(cell) = p.cell {
                layouter.constrain_instance(cell, config.instance, i);
            }
        }
        Ok(())
    }
}

/// Whether a small signed integer embedded in the field is negative (its
/// canonical value is above 2^248; honest scores are below 2^51 in size).
fn is_negative(x: &Fp) -> bool {
    x.to_repr().as_ref()[31] != 0
}

fn known<T>(w: Option<&Witness>, f: impl FnOnce(&Witness) -> T) -> Value<T> {
    match w {
        Some(w) => Value::known(f(w)),
        None => Value::unknown(),
    }
}

/// `VecHash` of packed elements (SPEC §3): `h_0 = D`, then `H_16` chains.
fn vec_hash(config: &Config, ctx: &mut Ctx<'_>, d: usize, packed: &[Var]) -> Result<Var, Error> {
    let arith = ArithChip(&config.arith);
    let h16 = PoseidonChip(&config.h16);
    let zero = arith.add(ctx, Op::Const(Fp::ZERO), Op::Const(Fp::ZERO))?;
    let mut h = arith.add(ctx, Op::Const(Fp::from(d as u64)), Op::Const(Fp::ZERO))?;
    for chunk in packed.chunks(MAX_INPUTS - 1) {
        let mut inputs = vec![h];
        inputs.extend_from_slice(chunk);
        inputs.resize(MAX_INPUTS, zero);
        h = h16.hash(ctx, &inputs)?;
    }
    Ok(h)
}

/// The whole layout; returns the cells of `[Q, V, pool, γ, h]`.
fn layout(
    config: &Config,
    ctx: &mut Ctx<'_>,
    shape: Shape,
    w: Option<&Witness>,
) -> Result<[Var; 5], Error> {
    let range = RangeChip(&config.range);
    let vector = VectorChip(&config.vector);
    let arith = ArithChip(&config.arith);
    let h2 = PoseidonChip(&config.h2);
    let (n_slots, d) = (shape.slots, shape.dim);
    let one = Op::Const(Fp::ONE);
    let zero = Op::Const(Fp::ZERO);
    let tamper = w.and_then(|w| w.tamper);

    // Validation vector and V.
    let v_limbs: Vec<Value<Fp>> = (0..d).map(|i| known(w, |w| w.validation_limb(i))).collect();
    let v = vector.assign(ctx, &range, &v_limbs, None)?;
    let v_hash = vec_hash(config, ctx, d, &v.packed)?;
    let v_salt = ctx.witness(known(w, |w| w.validation_salt));
    let v_commit = h2.hash(ctx, &[v_hash, v_salt])?;

    // Slots: commitments, flags, leaves, dot products.
    let mut leaves = Vec::with_capacity(n_slots);
    let mut flags: Vec<Var> = Vec::with_capacity(n_slots);
    let mut dots = Vec::with_capacity(n_slots);
    let mut datasets = Vec::with_capacity(n_slots);
    for c in 0..n_slots {
        // A dry run that only asks whether the shape fits stops early.
        if ctx.row > ctx.limit {
            return Err(Error::NotEnoughRowsAvailable { current_k: 0 });
        }
        let limbs: Vec<Value<Fp>> = (0..d).map(|i| known(w, |w| w.update_limb(c, i))).collect();
        let x = vector.assign(ctx, &range, &limbs, Some(&v.limbs))?;
        let hash = vec_hash(config, ctx, d, &x.packed)?;
        let salt = ctx.witness(known(w, |w| w.salt(c)));
        let u_commit = h2.hash(ctx, &[hash, salt])?;
        let dataset = ctx.witness(known(w, |w| w.dataset(c)));
        // f = D·D⁻¹ and D·f = D: f = [D ≠ 0].
        let inv = known(w, |w| w.dataset(c).invert().unwrap_or(Fp::ZERO));
        let f_claim = match tamper {
            Some(Tamper::Flag(s)) if s == c => Some(Op::Witness(Value::known(Fp::ONE))),
            _ => None,
        };
        let [_, _, _, f] = arith.mul_add(ctx, dataset.into(), Op::Witness(inv), zero, f_claim)?;
        arith.assert_mul_add(ctx, dataset.into(), f.into(), zero, dataset.into())?;
        match flags.last() {
            // Slot 0 is active (n ≥ 1).
            None => arith.assert_mul_add(ctx, f.into(), one, zero, one)?,
            // Active slots first: f_c = 1 ⇒ f_{c−1} = 1.
            Some(prev) => arith.assert_mul_add(ctx, f.into(), prev.into(), zero, f.into())?,
        }
        let node = h2.hash(ctx, &[dataset, u_commit])?;
        leaves.push(arith.mul(ctx, f.into(), node.into())?);
        flags.push(f);
        dots.push(x.dot.ok_or(Error::Synthesis)?);
        datasets.push(dataset);
    }

    // Q.
    let mut level = leaves;
    while level.len() > 1 {
        let mut next = Vec::with_capacity(level.len() / 2);
        for pair in level.chunks(2) {
            next.push(h2.hash(ctx, pair)?);
        }
        level = next;
    }
    let q = level.first().copied().ok_or(Error::Synthesis)?;

    // Scores, S.
    let mut positives = Vec::with_capacity(n_slots);
    let mut total = arith.add(ctx, zero, zero)?;
    for c in 0..n_slots {
        let s = arith.mul(ctx, flags[c].into(), dots[c].into())?;
        let negative = s.value.map(|x| is_negative(&x));
        let mut g = negative.map(|neg| Fp::from(u64::from(!neg)));
        if tamper == Some(Tamper::SignBit(c)) {
            g = g.map(|b| Fp::ONE - b);
        }
        let [g, ..] = arith.mul_add(ctx, Op::Witness(g), Op::Witness(g), zero, None)?;
        arith.assert_mul_add(ctx, g.into(), g.into(), zero, g.into())?;
        // (2g − 1)·s = |s| < 2^51.
        let sign = arith.mul_add(
            ctx,
            g.into(),
            Op::Const(Fp::from(2)),
            Op::Const(-Fp::ONE),
            None,
        )?[3];
        let magnitude = arith.mul(ctx, sign.into(), s.into())?;
        range.range_check(ctx, magnitude, SCORE_BITS)?;
        let pos = arith.mul(ctx, g.into(), s.into())?;
        total = arith.add(ctx, pos.into(), total.into())?;
        positives.push(pos);
    }

    // z = [S = 0]: S·S⁻¹ + z = 1, S·z = 0.
    let inv = total.value.map(|s| s.invert().unwrap_or(Fp::ZERO));
    let z = total
        .value
        .map(|s| Fp::from(u64::from(s.is_zero_vartime())));
    let z = match tamper {
        Some(Tamper::ZeroFlag) => z.map(|b| Fp::ONE - b),
        _ => z,
    };
    let [_, _, z, _] = arith.mul_add(
        ctx,
        total.into(),
        Op::Witness(inv),
        Op::Witness(z),
        Some(one),
    )?;
    arith.assert_mul_add(ctx, total.into(), z.into(), zero, zero)?;
    let z_minus_1 = arith.add(ctx, z.into(), Op::Const(-Fp::ONE))?;
    let bound = arith.add(ctx, total.into(), z_minus_1.into())?; // S + z − 1

    // pool < 2^96 and the split.
    let pool = ctx.witness(known(w, |w| Fp::from_u128(w.pool)));
    range.range_check(ctx, pool, POOL_BITS as usize)?;
    let mut payouts = Vec::with_capacity(n_slots);
    for c in 0..n_slots {
        let lhs = arith.mul(ctx, pool.into(), positives[c].into())?;
        let mut a = known(w, |w| Fp::from_u128(w.payout(c)));
        match tamper {
            Some(Tamper::Payout(s)) if s == c => a = a.map(|x| x + Fp::ONE),
            Some(Tamper::Remainder(s)) if s == c => a = a.map(|x| x - Fp::ONE),
            _ => {}
        }
        let rem = lhs.value - a * total.value;
        let [a, _, rem, _] = arith.mul_add(
            ctx,
            Op::Witness(a),
            total.into(),
            Op::Witness(rem),
            Some(lhs.into()),
        )?;
        range.range_check(ctx, a, POOL_BITS as usize)?;
        range.range_check(ctx, rem, REM_BITS)?;
        // rem + slack = S + z − 1, slack ∈ [0, 2^67): rem < S when S > 0.
        let slack = bound.value - rem.value;
        let [.., slack, _] =
            arith.mul_add(ctx, rem.into(), one, Op::Witness(slack), Some(bound.into()))?;
        range.range_check(ctx, slack, REM_BITS)?;
        arith.assert_mul_add(ctx, a.into(), z.into(), zero, zero)?;
        payouts.push(a);
    }

    // h = γ · Σ_c γ^{2c} (D_c + a_c γ), by Horner from the last slot.
    let gamma = ctx.witness(known(w, |w| w.gamma));
    let gamma2 = arith.mul(ctx, gamma.into(), gamma.into())?;
    let mut acc = arith.add(ctx, zero, zero)?;
    for c in (0..n_slots).rev() {
        let term = arith.mul_add(
            ctx,
            payouts[c].into(),
            gamma.into(),
            datasets[c].into(),
            None,
        )?[3];
        acc = arith.mul_add(ctx, acc.into(), gamma2.into(), term.into(), None)?[3];
    }
    let h = arith.mul(ctx, gamma.into(), acc.into())?;
    Ok([q, v_commit, pool, gamma, h])
}
