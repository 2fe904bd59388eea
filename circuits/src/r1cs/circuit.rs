//! The whole statement v1 as one R1CS (SPEC §1–§6).
//!
//! Public inputs, in order: `[Q, V, pool, γ, h]`.
//!
//! Per slot `c` (all `N`, padding included) and entry `j`, with `w_j` the
//! validation limbs:
//!
//! | what | constraints |
//! |---|---|
//! | limb `u_{c,j} = Σ 16 bits` (range `[0, 2^16)`) | 16 |
//! | `q_{c,j} = u_{c,j} · w_j` (small, non-negative) | 1 |
//!
//! so **17 per update entry**, plus `VecHash` (612 per `H_16`, one per 225
//! entries, about 2.7 per entry). The score is linear in those:
//! `s_c = Σ q − 2^15 Σ u − 2^15 Σ w + D·2^30`, exact because
//! `|s_c| ≤ 2^50 < r`. Per slot, besides: `U_c`, the leaf and its padding
//! flag, the sign and clamp (51-bit `|s_c|`), the division
//! `pool · s⁺ = a · S + rem` with `a < 2^96`, `rem < 2^67` and
//! `S − 1 − rem + [S=0] ∈ [0, 2^67)`, and two Horner steps of `h`. Every
//! product stays below `2^163 < r`, so field equations are integer equations.
//!
//! The constraints come in the numbered sections of the halo2 layout
//! (`crate::halo2`), each a function of the same name: (0) public inputs,
//! (1) `validation`, (2) `slot` (each followed by (4) its `score`),
//! (3) `merkle_root`, (5) `split`, (6) `horner_h`. The widths are
//! [`crate::widths`]'s.

use ark_ff::{AdditiveGroup, Field};
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use num_bigint::BigUint;

use super::{to_biguint, Builder, Lc};
use crate::commit::{limb, ELEMENTS_PER_HASH, LIMBS_PER_ELEMENT, LIMB_OFFSET};
use crate::poseidon::constraints::{hash, hash2};
use crate::public::Context;
use crate::statement::{Attribution, Epoch, Participant, Shape};
use crate::tamper::Tamper;
use crate::widths::{LIMB_BITS, PAYOUT_BITS, POOL_BITS, REMAINDER_BITS, SCORE_BITS};
use crate::Fr;

/// The circuit of one epoch (or, for setup, of a placeholder of its shape).
#[derive(Clone, Debug)]
pub struct AttributionCircuit {
    epoch: Epoch,
    attribution: Attribution,
    tamper: Option<Tamper>,
    chunk_tamper: Option<ChunkTamper>,
    /// The `h` a chunk-tampering prover claims (that of its payouts).
    claimed_h: Option<Fr>,
}

/// Lookup chunks out of the table that still recompose to the value the
/// rest of the circuit uses, so that only the logUp identity stands
/// (soundness tests of lookup builders; [`Tamper`]'s classes change the
/// value, or cut it to its low bits, which other equations catch).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChunkTamper {
    /// Payout `a_c + 1` and remainder `rem − S`, a field negative whose
    /// top chunk carries its high bits: `pool·s⁺ = a·S + rem` holds, the
    /// slack `S − 1 − rem + z` fits in 67 bits, and `h` is claimed with
    /// `a_c + 1`; only `rem`'s lookups refuse it.
    NegativeRemainder {
        /// Slot.
        slot: usize,
    },
    /// Sign bit of a positive score set to 0, so `|s| = −s_c`, a field
    /// negative whose top chunk carries its high bits; the split and `h`
    /// follow from `s⁺_c = 0`. Only `|s|`'s lookups refuse it.
    NegativeMagnitude {
        /// Slot.
        slot: usize,
    },
    /// `|s_c|`'s 3-bit top chunk `+ 8` (still in the table, so only its
    /// `c · 2^5` lookup catches it), the chunk below `− 2^{k+3}`: the same
    /// value.
    ScoreTopChunk {
        /// Slot.
        slot: usize,
    },
    /// The remainder's 3-bit top chunk, as [`ChunkTamper::ScoreTopChunk`].
    RemainderTopChunk {
        /// Slot.
        slot: usize,
    },
}

impl AttributionCircuit {
    /// The circuit proving `epoch`.
    pub fn new(epoch: Epoch) -> Result<Self, crate::Error> {
        let attribution = epoch.attribute()?;
        Ok(AttributionCircuit {
            epoch,
            attribution,
            tamper: None,
            chunk_tamper: None,
            claimed_h: None,
        })
    }

    /// A circuit of the given shape with a placeholder witness, for setup.
    pub fn placeholder(shape: Shape) -> Result<Self, crate::Error> {
        let epoch = Epoch {
            shape,
            pool: 0,
            participants: vec![Participant {
                dataset: Fr::ONE,
                salt: Fr::ZERO,
                update: vec![0; shape.dim],
            }],
            validation: vec![0; shape.dim],
            validation_salt: Fr::ZERO,
            ctx: Context::default(),
        };
        Self::new(epoch)
    }

    /// The same circuit with one witness class corrupted (soundness tests;
    /// [`crate::tamper`] says how). A class this circuit does not have is
    /// an error.
    pub fn with_tamper(mut self, tamper: Tamper) -> Result<Self, crate::Error> {
        match tamper {
            Tamper::UpdateLimb { .. }
            | Tamper::ValidationLimb { .. }
            | Tamper::Dataset { .. }
            | Tamper::ActiveFlag { .. }
            | Tamper::SignBit { .. }
            | Tamper::Payout { .. }
            | Tamper::Remainder { .. }
            | Tamper::ZeroFlag => {
                self.tamper = Some(tamper);
                Ok(self)
            }
            Tamper::DatasetLimb { .. }
            | Tamper::PositiveWrap { .. }
            | Tamper::SboxOutput
            | Tamper::PartialSquare => Err(crate::Error::Backend(format!(
                "{tamper:?} is not a witness class of the R1CS circuit"
            ))),
        }
    }

    /// The same circuit with lookup chunks corrupted (for a lookup builder
    /// of [`crate::widths::LOOKUP_BITS`]; [`ChunkTamper`] says how). The
    /// public `h` becomes the one the corrupted payouts give, as a cheating
    /// prover would claim it.
    pub fn with_chunk_tamper(mut self, tamper: ChunkTamper) -> Result<Self, crate::Error> {
        self.chunk_tamper = Some(tamper);
        self.claimed_h = None;
        let b = Builder::recording().with_logup(
            crate::widths::LOOKUP_BITS,
            std::sync::Arc::new(|_: &[Fr]| Fr::ZERO),
        );
        let h = self
            .clone()
            .synthesize_h(&b)
            .map_err(|e| crate::Error::Backend(format!("{tamper:?}: {e}")))?;
        self.claimed_h = Some(h);
        Ok(self)
    }

    /// The honest public inputs `[Q, V, pool, γ, h]`.
    pub fn public_inputs(&self) -> [Fr; 5] {
        self.attribution.public_inputs()
    }

    /// The attribution this circuit proves.
    pub fn attribution(&self) -> &Attribution {
        &self.attribution
    }
}

fn fr_int(x: &BigUint) -> Fr {
    Fr::from(x.clone())
}

/// `2^15`, the offset of a limb, in the field.
fn offset() -> Fr {
    Fr::from(LIMB_OFFSET.unsigned_abs())
}

/// Allocates each limb of `x` range-checked to 16 bits (16 booleans, or
/// committed lookup chunks); returns the limbs.
fn limbs(b: &Builder, x: &[i16], tamper_entry: Option<usize>) -> Result<Vec<Lc>, SynthesisError> {
    x.iter()
        .enumerate()
        .map(|(j, &e)| {
            let mut parts = b.range_parts(&BigUint::from(limb(e)), LIMB_BITS);
            if tamper_entry == Some(j) {
                // Part 0 + 2^width, part 1 − 1: the same limb, parts out of range.
                parts[0] += Fr::from(2u64).pow([b.part_bits() as u64]);
                parts[1] -= Fr::ONE;
            }
            b.ranged(&parts, LIMB_BITS)
        })
        .collect()
}

/// The parts of `x` for `n` bits with every chunk but the top one cut
/// from `x`'s integer and the top one carrying all the rest (however
/// large): they recompose to `x` exactly.
fn wrapped_parts(b: &Builder, x: Fr, n: usize) -> Vec<Fr> {
    let k = b.part_bits();
    let v = to_biguint(x);
    let mut parts = b.range_parts(&v, n);
    let last = parts.len() - 1;
    parts[last] = fr_int(&(v >> (last * k)));
    parts
}

/// The parts of `x` for `n` bits with the top chunk `+ 2^{top bits}` and
/// the chunk below `− 2^{k + top bits}`: the same value.
fn top_chunk_parts(b: &Builder, x: Fr, n: usize) -> Vec<Fr> {
    let k = b.part_bits();
    let mut parts = b.range_parts(&to_biguint(x), n);
    let last = parts.len() - 1;
    let top_bits = n - last * k;
    parts[last] += Fr::from(1u64 << top_bits);
    parts[last - 1] -= Fr::from(1u64 << (k + top_bits));
    parts
}

/// `VecHash` over limbs: packed elements are linear in the limbs.
fn vec_hash(b: &Builder, limbs: &[Lc]) -> Result<Lc, SynthesisError> {
    let shift = Fr::from(1u64 << LIMB_BITS);
    let packed: Vec<Lc> = limbs
        .chunks(LIMBS_PER_ELEMENT)
        .map(|chunk| {
            let mut power = Fr::ONE;
            let mut terms = Vec::with_capacity(chunk.len());
            for _ in chunk {
                terms.push(power);
                power *= shift;
            }
            Lc::linear(terms.into_iter().zip(chunk))
        })
        .collect();
    let mut h = Lc::constant(Fr::from(limbs.len() as u64));
    for chunk in packed.chunks(ELEMENTS_PER_HASH) {
        let mut inputs = Vec::with_capacity(16);
        inputs.push(h);
        inputs.extend_from_slice(chunk);
        inputs.resize(16, Lc::constant(Fr::ZERO));
        h = hash(b, &inputs)?;
    }
    Ok(h)
}

impl ConstraintSynthesizer<Fr> for AttributionCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        self.synthesize(&Builder::new(cs))
    }
}

/// Section 1: the validation direction's limbs, and the part of every
/// score that does not depend on the update.
struct Validation {
    limbs: Vec<Lc>,
    /// `D · 2^30 − 2^15 Σ w`.
    score_base: Lc,
}

/// Section 2: one slot's cells.
struct Slot {
    /// `[D_c ≠ 0]`.
    active: Lc,
    /// `f_c · H_2(D_c, U_c)`.
    leaf: Lc,
    /// The witness `D_c`.
    dataset: Lc,
    /// `s_c`, linear in the limb products.
    score: Lc,
}

/// Section 1, validation (SPEC §3): the limbs of `v` and `V = H_2(VecHash(v), σ_v)`.
fn validation(
    b: &Builder,
    epoch: &Epoch,
    tamper: Option<Tamper>,
    v_in: &Lc,
) -> Result<Validation, SynthesisError> {
    let v_tamper = match tamper {
        Some(Tamper::ValidationLimb { entry }) => Some(entry),
        _ => None,
    };
    let w = limbs(b, &epoch.validation, v_tamper)?;
    let v_salt = b.witness(epoch.validation_salt)?;
    let v_hash = vec_hash(b, &w)?;
    b.enforce_equal(&hash2(b, &v_hash, &v_salt)?, v_in)?;
    // D · 2^30 − 2^15 Σ w: the part of every score that does not depend on u.
    let score_base = Lc::sum(&w)
        .scale(-offset())
        .add_const(Fr::from(epoch.shape.dim as u64) * offset().square());
    Ok(Validation {
        limbs: w,
        score_base,
    })
}

/// Section 2, one slot (SPEC §3, §4): update limbs, their products with `w` (the
/// score is linear in those), `U_c`, the padding flag and the leaf.
fn slot(
    b: &Builder,
    epoch: &Epoch,
    tamper: Option<Tamper>,
    c: usize,
    v: &Validation,
    previous_active: Option<&Lc>,
) -> Result<Slot, SynthesisError> {
    let p = epoch.participants.get(c);
    let zeros;
    let update = match p {
        Some(p) => p.update.as_slice(),
        None => {
            zeros = vec![0i16; epoch.shape.dim];
            zeros.as_slice()
        }
    };
    let limb_tamper = match tamper {
        Some(Tamper::UpdateLimb { slot, entry }) if slot == c => Some(entry),
        _ => None,
    };
    let u = limbs(b, update, limb_tamper)?;
    // Score: 1 product of limbs per entry,
    // s = Σ u·w − 2^15 Σ u − 2^15 Σ w + D·2^30.
    let products = u
        .iter()
        .zip(&v.limbs)
        .map(|(u, w)| b.mul(u, w))
        .collect::<Result<Vec<_>, _>>()?;
    let score = Lc::sum(&products)
        .add(&Lc::sum(&u).scale(-offset()))
        .add(&v.score_base);

    // Commitment U_c and leaf H_2(D_c, U_c), or 0 for padding.
    let salt = b.witness(p.map_or(Fr::ZERO, |p| p.salt))?;
    let u_commit = hash2(b, &vec_hash(b, &u)?, &salt)?;
    let mut d_value = p.map_or(Fr::ZERO, |p| p.dataset);
    if tamper == Some(Tamper::Dataset { slot: c }) {
        d_value += Fr::ONE;
    }
    let d = b.witness(d_value)?;
    let mut active_value = Fr::from(u64::from(p.is_some()));
    if tamper == Some(Tamper::ActiveFlag { slot: c }) {
        active_value = Fr::ONE - active_value;
    }
    let active = b.boolean(active_value)?;
    // active = 1 ⇔ D ≠ 0:  D · inv = active,  D · (1 − active) = 0.
    let inv = b.witness(d.value.inverse().unwrap_or(Fr::ZERO))?;
    b.enforce(&d, &inv, &active)?;
    b.enforce(
        &d,
        &Lc::constant(Fr::ONE).sub(&active),
        &Lc::constant(Fr::ZERO),
    )?;
    // Active slots come first: active_c ≤ active_{c-1}.
    if let Some(prev) = previous_active {
        b.enforce(
            &active,
            &Lc::constant(Fr::ONE).sub(prev),
            &Lc::constant(Fr::ZERO),
        )?;
    }
    let leaf = b.mul(&active, &hash2(b, &d, &u_commit)?)?;
    Ok(Slot {
        active,
        leaf,
        dataset: d,
        score,
    })
}

/// Section 3, Merkle (SPEC §3): the root `Q` over the leaves.
fn merkle_root(b: &Builder, leaves: Vec<Lc>) -> Result<Lc, SynthesisError> {
    let mut level = leaves;
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| hash2(b, &pair[0], &pair[1]))
            .collect::<Result<Vec<_>, _>>()?;
    }
    level
        .into_iter()
        .next()
        .ok_or(SynthesisError::Unsatisfiable)
}

/// Section 4, one slot's score (SPEC §4): sign bit `g ∈ {0,1}`, `g ≤ active`,
/// `(2g − 1) · s = |s| < 2^51`; returns `s⁺ = g · s`.
fn score(
    b: &Builder,
    att: &Attribution,
    (tamper, chunks): (Option<Tamper>, Option<ChunkTamper>),
    c: usize,
    slot: &Slot,
) -> Result<Lc, SynthesisError> {
    let score = att.scores.get(c).copied().unwrap_or(0);
    let mut g_value = Fr::from(u64::from(score > 0));
    if tamper == Some(Tamper::SignBit { slot: c })
        || chunks == Some(ChunkTamper::NegativeMagnitude { slot: c })
    {
        g_value = Fr::ONE - g_value;
    }
    let g = b.boolean(g_value)?;
    b.enforce(
        &g,
        &Lc::constant(Fr::ONE).sub(&slot.active),
        &Lc::constant(Fr::ZERO),
    )?;
    let signed = g.scale(Fr::from(2u64)).add_const(-Fr::ONE);
    let magnitude = signed.value * slot.score.value;
    let parts = match chunks {
        Some(ChunkTamper::NegativeMagnitude { slot }) if slot == c => {
            wrapped_parts(b, magnitude, SCORE_BITS)
        }
        Some(ChunkTamper::ScoreTopChunk { slot }) if slot == c => {
            top_chunk_parts(b, magnitude, SCORE_BITS)
        }
        _ => b.range_parts(&to_biguint(magnitude), SCORE_BITS),
    };
    let m = b.ranged(&parts, SCORE_BITS)?;
    b.enforce(&signed, &slot.score, &m)?;
    b.mul(&g, &slot.score)
}

/// Section 5, split (SPEC §5): `S = Σ s⁺`, `z = [S = 0]`, and per slot
/// `pool · s⁺ = a · S + rem` with `a < 2^96`, `rem < S` (or `S = 0`) and
/// `a · z = 0`; returns the payouts.
fn split(
    b: &Builder,
    (tamper, chunks): (Option<Tamper>, Option<ChunkTamper>),
    pool: &Lc,
    positives: &[Lc],
) -> Result<Vec<Lc>, SynthesisError> {
    let total = Lc::sum(positives);
    let total_int = to_biguint(total.value);
    let mut zero_flag = Fr::from(u64::from(total.value == Fr::ZERO));
    if tamper == Some(Tamper::ZeroFlag) {
        zero_flag = Fr::ONE - zero_flag;
    }
    let z = b.is_zero(&total, zero_flag)?;
    let pool_int = to_biguint(pool.value);
    let mut payouts = Vec::with_capacity(positives.len());
    for (c, s_pos) in positives.iter().enumerate() {
        let numerator = &pool_int * to_biguint(s_pos.value);
        let (mut a_val, mut r_val) = if total_int.bits() == 0 {
            (Fr::ZERO, fr_int(&numerator))
        } else {
            (
                fr_int(&(&numerator / &total_int)),
                fr_int(&(&numerator % &total_int)),
            )
        };
        match tamper {
            Some(Tamper::Payout { slot }) if slot == c => {
                a_val += Fr::ONE;
                r_val -= total.value;
            }
            Some(Tamper::Remainder { slot }) if slot == c => {
                a_val -= Fr::ONE;
                r_val += total.value;
            }
            _ => {}
        }
        let mut rem_parts = b.range_parts(&to_biguint(r_val), REMAINDER_BITS);
        match chunks {
            Some(ChunkTamper::NegativeRemainder { slot }) if slot == c => {
                a_val += Fr::ONE;
                r_val -= total.value;
                rem_parts = wrapped_parts(b, r_val, REMAINDER_BITS);
            }
            Some(ChunkTamper::RemainderTopChunk { slot }) if slot == c => {
                rem_parts = top_chunk_parts(b, r_val, REMAINDER_BITS);
            }
            _ => {}
        }
        let a = b.ranged(&b.range_parts(&to_biguint(a_val), PAYOUT_BITS), PAYOUT_BITS)?;
        let rem = b.ranged(&rem_parts, REMAINDER_BITS)?;
        let lhs = b.mul(pool, s_pos)?;
        b.enforce(&a, &total, &lhs.sub(&rem))?;
        // rem < S unless S = 0 (then rem = 0): S − 1 − rem + z ∈ [0, 2^67).
        b.range_check(&total.sub(&rem).add(&z).add_const(-Fr::ONE), REMAINDER_BITS)?;
        // S = 0 pays nobody.
        b.enforce(&a, &z, &Lc::constant(Fr::ZERO))?;
        payouts.push(a);
    }
    Ok(payouts)
}

/// Section 6, h (SPEC §6): `Σ D_c γ^{2c+1} + a_c γ^{2c+2}`, by Horner from the last
/// slot.
fn horner_h(
    b: &Builder,
    gamma: &Lc,
    datasets: &[Lc],
    payouts: &[Lc],
) -> Result<Lc, SynthesisError> {
    let mut acc = Lc::constant(Fr::ZERO);
    for (d, a) in datasets.iter().zip(payouts).rev() {
        acc = b.mul(&acc.add(a), gamma)?;
        acc = b.mul(&acc.add(d), gamma)?;
    }
    Ok(acc)
}

impl AttributionCircuit {
    /// Records the circuit's matrices and full assignment for the prover.
    pub fn record(self) -> Result<super::Recorded, SynthesisError> {
        let b = Builder::recording();
        self.synthesize(&b)?;
        b.into_recorded().ok_or(SynthesisError::MissingCS)
    }

    /// Synthesizes the statement into `b`, in the sections of the halo2
    /// layout (`crate::halo2`, `layout`): (1) validation, (2) slots,
    /// (3) Merkle, (4) scores, (5) split, (6) h, each a function of that
    /// name.
    ///
    /// One difference of order: this circuit emits each slot's score
    /// (section 4) right after that slot's leaf, inside section 2 (moving
    /// it would renumber the constraints and change every key).
    pub fn synthesize(self, b: &Builder) -> Result<(), SynthesisError> {
        self.synthesize_h(b).map(|_| ())
    }

    /// [`Self::synthesize`], returning the value of `h` the circuit computes.
    fn synthesize_h(self, b: &Builder) -> Result<Fr, SynthesisError> {
        let tamper = self.tamper;
        let chunks = self.chunk_tamper;
        let epoch = &self.epoch;
        let att = &self.attribution;
        let n_slots = epoch.shape.slots;

        // ---- 0. public inputs [Q, V, pool, γ, h] (SPEC §6); pool < 2^96 (SPEC §2) ----
        let mut public = att.public_inputs();
        if let Some(h) = self.claimed_h {
            public[4] = h;
        }
        let q_in = b.input(public[0])?;
        let v_in = b.input(public[1])?;
        let pool = b.input(public[2])?;
        let gamma = b.input(public[3])?;
        let h_in = b.input(public[4])?;
        b.range_check(&pool, POOL_BITS)?;

        // ---- 1. validation (SPEC §3): limbs of v, V ----
        let v = validation(b, epoch, tamper, &v_in)?;

        // ---- 2. slots (SPEC §3): limbs, dot products, U_c, flag, leaf ----
        let mut leaves = Vec::with_capacity(n_slots);
        let mut positives = Vec::with_capacity(n_slots);
        let mut datasets = Vec::with_capacity(n_slots);
        let mut previous_active: Option<Lc> = None;
        for c in 0..n_slots {
            let s = slot(b, epoch, tamper, c, &v, previous_active.as_ref())?;
            // ---- 4. scores (SPEC §4), here per slot: sign, |s| < 2^51, s⁺ ----
            positives.push(score(b, att, (tamper, chunks), c, &s)?);
            leaves.push(s.leaf);
            datasets.push(s.dataset);
            previous_active = Some(s.active);
        }

        // ---- 3. Merkle (SPEC §3): Q ----
        let q = merkle_root(b, leaves)?;
        b.enforce_equal(&q, &q_in)?;

        // ---- 4. scores: emitted per slot in section 2 ----

        // ---- 5. split (SPEC §5): z = [S = 0], pool · s⁺ = a · S + rem ----
        let payouts = split(b, (tamper, chunks), &pool, &positives)?;

        // ---- 6. h (SPEC §6) ----
        let h = horner_h(b, &gamma, &datasets, &payouts)?;
        b.enforce_equal(&h, &h_in)?;

        // ---- 7. (lookup builders only) the logUp identity, α public ----
        b.finish_lookups()?;
        Ok(h.value)
    }
}

/// The number of constraints of a shape: formula checked by the pinned
/// counts in the tests.
pub fn constraint_count(shape: Shape) -> usize {
    let (n, d) = (shape.slots, shape.dim);
    let h16 = 3 * (8 * 17 + crate::poseidon::PARTIAL_ROUNDS[15]);
    let h2 = 3 * (8 * 3 + crate::poseidon::PARTIAL_ROUNDS[1]);
    let vec_hash = crate::commit::vec_hash_rounds(d) * h16;
    let range = |bits: usize| bits + 1;
    let per_slot = 17 * d + vec_hash + 2 * h2 // U_c and the leaf hash
        + 1 + 2 + 1 + 1 // active flag, D·inv, D·(1−active), order, leaf product
        + 1 + 1 + SCORE_BITS + 1 + 1 // g, g ≤ active, |s| bits, sign product, s⁺
        + PAYOUT_BITS + REMAINDER_BITS + 1 + 1 + range(REMAINDER_BITS) + 1 // split
        + 2; // Horner
    range(POOL_BITS) + 16 * d + vec_hash + h2 + 1 // pool, validation, V
        + n * per_slot - 1 // the first slot has no order constraint
        + (n - 1) * h2 + 1 // Merkle root and Q
        + 2 // is_zero(S)
        + 1 // h
}

/// The public inputs of the lookup circuit beyond `[Q, V, pool, γ, h]`:
/// the challenge `α`.
pub const LOOKUP_EXTRA_INPUTS: usize = 1;

/// The number of lookups of the logUp circuit of a shape (tables of
/// `2^k`, `k` = [`crate::widths::LOOKUP_BITS`]).
pub fn lookup_count(shape: Shape) -> usize {
    let k = crate::widths::LOOKUP_BITS;
    let l = |bits: usize| bits.div_ceil(k) + usize::from(bits % k != 0);
    let (n, d) = (shape.slots, shape.dim);
    (n + 1) * d * l(LIMB_BITS)
        + n * (l(SCORE_BITS) + l(PAYOUT_BITS) + 2 * l(REMAINDER_BITS))
        + l(POOL_BITS)
}

/// The number of constraints of a shape's logUp circuit (commit-and-prove
/// Groth16): formula checked by the pinned counts in the tests.
pub fn lookup_constraint_count(shape: Shape) -> usize {
    let (n, d) = (shape.slots, shape.dim);
    let h16 = 3 * (8 * 17 + crate::poseidon::PARTIAL_ROUNDS[15]);
    let h2 = 3 * (8 * 3 + crate::poseidon::PARTIAL_ROUNDS[1]);
    let vec_hash = crate::commit::vec_hash_rounds(d) * h16;
    let per_slot = d + vec_hash + 2 * h2 // products, U_c and the leaf hash
        + 1 + 2 + 1 + 1 // active flag, D·inv, D·(1−active), order, leaf product
        + 1 + 1 + 1 + 1 // g, g ≤ active, sign product, s⁺
        + 1 + 1 + 1 + 1 // pool·s⁺, a·S, slack = composed, a·z
        + 2; // Horner
    1 + vec_hash + h2 + 1 // pool, V
        + n * per_slot - 1 // the first slot has no order constraint
        + (n - 1) * h2 + 1 // Merkle root and Q
        + 2 // is_zero(S)
        + 1 // h
        + lookup_count(shape) + (1 << crate::widths::LOOKUP_BITS) + 1 // logUp
}
