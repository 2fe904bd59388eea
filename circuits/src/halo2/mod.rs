//! Statement v1 as a halo2 circuit (halo2-axiom, KZG on BN254): the same
//! public inputs `[Q, V, pool, γ, h]` as Groth16, in one instance column.
//!
//! Chips, one per file, share 18 advice columns `s0 … s17`:
//! [`range`] (16-bit limbs by lookup, packing and wide range checks),
//! [`vector`] (dot products beside the packed limbs), [`poseidon`] (widths 3
//! and 17), [`arith`] (`a·b + c = d`). The layout is one region, top to
//! bottom, in the numbered sections that the R1CS circuit
//! (`crate::r1cs::circuit`) also has, each a function of the same name:
//!
//! ```text
//! 1. validation:  15⌈D/15⌉ limb rows · VecHash (H_16 rows) · V = H_2
//! 2. slot (each): 15⌈D/15⌉ limb+dot rows (w copied from v) · VecHash · U_c = H_2
//!                 flag f_c = [D_c ≠ 0], f monotone, leaf = f·H_2(D_c, U_c)
//! 3. Merkle:      N − 1 H_2 rows → Q
//! 4. scores:      s = f·dot; sign bit g, |s| < 2^51, s⁺ = g·s; S = Σ s⁺
//! 5. split:       z = [S = 0]; pool < 2^96; pool·s⁺ = a·S + rem, a < 2^96,
//!                 rem < 2^67, S − 1 − rem + z ∈ [0, 2^67), a·z = 0
//! 6. h:           Horner over (D_c, a_c) with the public γ
//! ```
//!
//! The widths are [`crate::widths`]'s.
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

use crate::poseidon::MAX_INPUTS;
use crate::statement::Shape;
use crate::tamper::Tamper;
use crate::widths::{LIMB_BITS, PAYOUT_BITS, POOL_BITS, REMAINDER_BITS, SCORE_BITS};
use arith::{ArithChip, ArithConfig, ArithInstructions, Op};
use poseidon::{PoseidonChip, PoseidonConfig, PoseidonInstructions};
use range::{RangeChip, RangeConfig, RangeInstructions};
use vector::{VectorChip, VectorConfig, VectorInstructions};
pub use witness::Witness;

/// The scalar field of halo2's BN254.
pub type Fp = halo2_proofs::halo2curves::bn256::Fr;

/// Advice columns.
pub const WIDTH: usize = MAX_INPUTS + 2;
/// The smallest `k`: the limb table has `2^LIMB_BITS` rows, and a few
/// rows are reserved for blinding.
pub const MIN_K: u32 = LIMB_BITS as u32 + 1;
/// The largest `k` halo2 can prove at: its gates have degree 5, so it
/// evaluates the quotient on a domain of `2^(k+2)` rows, and BN254's scalar
/// field has two-adicity 28 (`Fr::S`; `EvaluationDomain::new` asserts
/// `k + 2 ≤ S`).
pub const MAX_K: u32 = 26;

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
        let k = Self::k_of_rows(needed);
        if k > MAX_K {
            return Err(crate::Error::Backend(format!(
                "shape {shape} needs k = {k}; halo2 proves up to k = {MAX_K}"
            )));
        }
        Ok(k)
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

/// Section 1's cells.
struct Validation {
    /// The limbs of `v`, copied beside every update's.
    limbs: Vec<Var>,
    /// `V`.
    commitment: Var,
}

/// Section 2's cells of one slot.
struct Slot {
    /// `f_c = [D_c ≠ 0]`.
    flag: Var,
    /// `f_c · H_2(D_c, U_c)`.
    leaf: Var,
    /// The witness `D_c`.
    dataset: Var,
    /// `Σ_j Δ_{c,j} v_j`.
    dot: Var,
}

/// Section 1, validation (SPEC §3): the limbs of `v` and `V = H_2(VecHash(v), σ_v)`.
fn validation(
    config: &Config,
    ctx: &mut Ctx<'_>,
    d: usize,
    w: Option<&Witness>,
) -> Result<Validation, Error> {
    let range = RangeChip(&config.range);
    let vector = VectorChip(&config.vector);
    let h2 = PoseidonChip(&config.h2);
    let v_limbs: Vec<Value<Fp>> = (0..d).map(|i| known(w, |w| w.validation_limb(i))).collect();
    let v = vector.assign(ctx, &range, &v_limbs, None)?;
    let v_hash = vec_hash(config, ctx, d, &v.packed)?;
    let v_salt = ctx.witness(known(w, |w| w.validation_salt));
    let commitment = h2.hash(ctx, &[v_hash, v_salt])?;
    Ok(Validation {
        limbs: v.limbs,
        commitment,
    })
}

/// Section 2, one slot (SPEC §3, §4): update limbs beside `v`'s with their dot
/// product, `U_c`, the flag `f_c = [D_c ≠ 0]` (monotone) and the leaf.
fn slot(
    config: &Config,
    ctx: &mut Ctx<'_>,
    d: usize,
    w: Option<&Witness>,
    c: usize,
    v: &Validation,
    previous_flag: Option<Var>,
) -> Result<Slot, Error> {
    let range = RangeChip(&config.range);
    let vector = VectorChip(&config.vector);
    let arith = ArithChip(&config.arith);
    let h2 = PoseidonChip(&config.h2);
    let (one, zero) = (Op::Const(Fp::ONE), Op::Const(Fp::ZERO));
    let tamper = w.and_then(|w| w.tamper);
    let limbs: Vec<Value<Fp>> = (0..d).map(|i| known(w, |w| w.update_limb(c, i))).collect();
    let x = vector.assign(ctx, &range, &limbs, Some(&v.limbs))?;
    let hash = vec_hash(config, ctx, d, &x.packed)?;
    let salt = ctx.witness(known(w, |w| w.salt(c)));
    let u_commit = h2.hash(ctx, &[hash, salt])?;
    let dataset = ctx.witness(known(w, |w| w.dataset(c)));
    // f = D·D⁻¹ and D·f = D: f = [D ≠ 0].
    let inv = known(w, |w| w.dataset(c).invert().unwrap_or(Fp::ZERO));
    let f_claim = match tamper {
        Some(Tamper::ActiveFlag { slot }) if slot == c => Some(Op::Witness(Value::known(Fp::ONE))),
        _ => None,
    };
    let [_, _, _, f] = arith.mul_add(ctx, dataset.into(), Op::Witness(inv), zero, f_claim)?;
    arith.assert_mul_add(ctx, dataset.into(), f.into(), zero, dataset.into())?;
    match previous_flag {
        // Slot 0 is active (n ≥ 1).
        None => arith.assert_mul_add(ctx, f.into(), one, zero, one)?,
        // Active slots first: f_c = 1 ⇒ f_{c−1} = 1.
        Some(prev) => arith.assert_mul_add(ctx, f.into(), prev.into(), zero, f.into())?,
    }
    let node = h2.hash(ctx, &[dataset, u_commit])?;
    let leaf = arith.mul(ctx, f.into(), node.into())?;
    Ok(Slot {
        flag: f,
        leaf,
        dataset,
        dot: x.dot.ok_or(Error::Synthesis)?,
    })
}

/// Section 3, Merkle (SPEC §3): the root `Q` over the leaves.
fn merkle_root(config: &Config, ctx: &mut Ctx<'_>, leaves: Vec<Var>) -> Result<Var, Error> {
    let h2 = PoseidonChip(&config.h2);
    let mut level = leaves;
    while level.len() > 1 {
        let mut next = Vec::with_capacity(level.len() / 2);
        for pair in level.chunks(2) {
            next.push(h2.hash(ctx, pair)?);
        }
        level = next;
    }
    level.first().copied().ok_or(Error::Synthesis)
}

/// Section 4, one slot's score (SPEC §4): `s = f·dot`, sign bit `g`,
/// `(2g − 1)·s = |s| < 2^51`; returns `s⁺ = g·s`.
fn score(
    config: &Config,
    ctx: &mut Ctx<'_>,
    tamper: Option<Tamper>,
    c: usize,
    slot: &Slot,
) -> Result<Var, Error> {
    let range = RangeChip(&config.range);
    let arith = ArithChip(&config.arith);
    let zero = Op::Const(Fp::ZERO);
    let s = arith.mul(ctx, slot.flag.into(), slot.dot.into())?;
    let negative = s.value.map(|x| is_negative(&x));
    let mut g = negative.map(|neg| Fp::from(u64::from(!neg)));
    if tamper == Some(Tamper::SignBit { slot: c }) {
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
    arith.mul(ctx, g.into(), s.into())
}

/// Section 5, split (SPEC §5): `z = [S = 0]`, `pool < 2^96`, and per slot
/// `pool·s⁺ = a·S + rem` with `a < 2^96`, `rem < S` (or `S = 0`) and
/// `a·z = 0`; returns `pool` and the payouts.
fn split(
    config: &Config,
    ctx: &mut Ctx<'_>,
    w: Option<&Witness>,
    total: Var,
    positives: &[Var],
) -> Result<(Var, Vec<Var>), Error> {
    let range = RangeChip(&config.range);
    let arith = ArithChip(&config.arith);
    let (one, zero) = (Op::Const(Fp::ONE), Op::Const(Fp::ZERO));
    let tamper = w.and_then(|w| w.tamper);
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

    // pool < 2^96 and the division per slot.
    let pool = ctx.witness(known(w, |w| Fp::from_u128(w.pool)));
    range.range_check(ctx, pool, POOL_BITS)?;
    let mut payouts = Vec::with_capacity(positives.len());
    for (c, positive) in positives.iter().enumerate() {
        let lhs = arith.mul(ctx, pool.into(), positive.into())?;
        let mut a = known(w, |w| Fp::from_u128(w.payout(c)));
        match tamper {
            Some(Tamper::Payout { slot }) if slot == c => a = a.map(|x| x + Fp::ONE),
            Some(Tamper::Remainder { slot }) if slot == c => a = a.map(|x| x - Fp::ONE),
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
        range.range_check(ctx, a, PAYOUT_BITS)?;
        range.range_check(ctx, rem, REMAINDER_BITS)?;
        // rem + slack = S + z − 1, slack ∈ [0, 2^67): rem < S when S > 0.
        let slack = bound.value - rem.value;
        let [.., slack, _] =
            arith.mul_add(ctx, rem.into(), one, Op::Witness(slack), Some(bound.into()))?;
        range.range_check(ctx, slack, REMAINDER_BITS)?;
        arith.assert_mul_add(ctx, a.into(), z.into(), zero, zero)?;
        payouts.push(a);
    }
    Ok((pool, payouts))
}

/// Section 6, h (SPEC §6): `γ · Σ_c γ^{2c} (D_c + a_c γ)`, by Horner from the last
/// slot; returns `γ` and `h`.
fn horner_h(
    config: &Config,
    ctx: &mut Ctx<'_>,
    w: Option<&Witness>,
    datasets: &[Var],
    payouts: &[Var],
) -> Result<(Var, Var), Error> {
    let arith = ArithChip(&config.arith);
    let zero = Op::Const(Fp::ZERO);
    let gamma = ctx.witness(known(w, |w| w.gamma));
    let gamma2 = arith.mul(ctx, gamma.into(), gamma.into())?;
    let mut acc = arith.add(ctx, zero, zero)?;
    for (d, a) in datasets.iter().zip(payouts).rev() {
        let term = arith.mul_add(ctx, a.into(), gamma.into(), d.into(), None)?[3];
        acc = arith.mul_add(ctx, acc.into(), gamma2.into(), term.into(), None)?[3];
    }
    let h = arith.mul(ctx, gamma.into(), acc.into())?;
    Ok((gamma, h))
}

/// The whole layout, in the sections of the R1CS circuit
/// (`crate::r1cs::circuit`, `synthesize`): (1) validation, (2) slots,
/// (3) Merkle, (4) scores, (5) split, (6) h, each a function of that name;
/// returns the cells of `[Q, V, pool, γ, h]`.
fn layout(
    config: &Config,
    ctx: &mut Ctx<'_>,
    shape: Shape,
    w: Option<&Witness>,
) -> Result<[Var; 5], Error> {
    let arith = ArithChip(&config.arith);
    let n_slots = shape.slots;
    let zero = Op::Const(Fp::ZERO);
    let tamper = w.and_then(|w| w.tamper);

    // ---- 0. public inputs [Q, V, pool, γ, h] (SPEC §6): the cells returned ----
    // (`synthesize` binds them to the instance column; pool < 2^96 is in 5.)

    // ---- 1. validation (SPEC §3): limbs of v, V ----
    let v = validation(config, ctx, shape.dim, w)?;

    // ---- 2. slots (SPEC §3): limbs, dot products, U_c, flag, leaf ----
    let mut slots: Vec<Slot> = Vec::with_capacity(n_slots);
    for c in 0..n_slots {
        // A dry run that only asks whether the shape fits stops early.
        if ctx.row > ctx.limit {
            return Err(Error::NotEnoughRowsAvailable { current_k: 0 });
        }
        let previous_flag = slots.last().map(|s| s.flag);
        slots.push(slot(config, ctx, shape.dim, w, c, &v, previous_flag)?);
    }

    // ---- 3. Merkle (SPEC §3): Q ----
    let q = merkle_root(config, ctx, slots.iter().map(|s| s.leaf).collect())?;

    // ---- 4. scores (SPEC §4): sign, |s| < 2^51, s⁺; S = Σ s⁺ ----
    let mut positives = Vec::with_capacity(n_slots);
    let mut total = arith.add(ctx, zero, zero)?;
    for (c, s) in slots.iter().enumerate() {
        let positive = score(config, ctx, tamper, c, s)?;
        total = arith.add(ctx, positive.into(), total.into())?;
        positives.push(positive);
    }

    // ---- 5. split (SPEC §5): z = [S = 0], pool · s⁺ = a · S + rem ----
    let (pool, payouts) = split(config, ctx, w, total, &positives)?;

    // ---- 6. h (SPEC §6) ----
    let datasets: Vec<Var> = slots.iter().map(|s| s.dataset).collect();
    let (gamma, h) = horner_h(config, ctx, w, &datasets, &payouts)?;
    Ok([q, v.commitment, pool, gamma, h])
}
