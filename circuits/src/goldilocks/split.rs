//! The final node of the Goldilocks profile: it verifies the aggregation
//! tree's two top proofs, joins them as an aggregation node would
//! ([`super::aggregate::join`]: consecutive slots, one `V`, their roots into
//! `Q`), and performs SPEC §5's split on 16-bit limbs
//! ([`super::limbs`]), so that only `Q`, `V`, `pool`, the datasets and the
//! payouts are published — never the scores.
//!
//! Public inputs: `Q` (4), `V` (4), `pool` (6 limbs), then per slot
//! `limbs(D_c)` (8) and `a_c` (6 limbs).
//!
//! Per slot: sign bit `g` with `(2g − 1)·s < 2^51` and `s⁺ = g·s` (4 limbs,
//! the top one of 3 bits, so that `s⁺ < 2^51` and its recomposition is below
//! `p`: the limbs of `s⁺ + p` would otherwise equal `g·s` in the field);
//! `pool·s⁺` and `a·S + rem` as limb columns with range-checked carries and
//! equal limbs; `rem + slack + 1 = S + z` (so `rem < S` unless `S = 0`);
//! `a·z = 0`. `S = Σ s⁺` is summed on limbs, `z = [S = 0]`.

use anyhow::{ensure, Result};
use num_bigint::BigUint;
use plonky2::field::types::{Field, Field64};
use plonky2::iop::target::Target;
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, CircuitData};
use plonky2::plonk::proof::ProofWithPublicInputsTarget;

use super::aggregate::{join, Tree};
use super::limbs::{mul, mul_add, to_limbs, PAYOUT_LIMBS, POOL_LIMBS, POSITIVE_LIMBS, TOTAL_LIMBS};
use super::range::{set_all, values, Bytes, Checked};
use super::shard::ShardProof;
use super::wrap::{Wrap, CONTEXT_LIMBS};
use super::{signed, Config, EXT, G};
use crate::tamper::Tamper;
use crate::widths::{LIMB_BITS, SCORE_BITS};

/// Limbs of `pool`, `s⁺`, `S`/`rem`/slack, `a` ([`super::limbs`]: the
/// shared widths of [`crate::widths`] in 16-bit limbs).
const POOL: usize = POOL_LIMBS;
const POS: usize = POSITIVE_LIMBS;
const TOTAL: usize = TOTAL_LIMBS;
const PAY: usize = PAYOUT_LIMBS;
/// Bits of `s⁺`'s top limb, 3: what [`SCORE_BITS`] (SPEC §4, `s⁺ < 2^51`)
/// leaves above the `POS − 1` whole limbs below it.
const POS_TOP_BITS: usize = SCORE_BITS - LIMB_BITS * (POS - 1);
/// The limb base `2^16`.
const BASE: u64 = 1 << LIMB_BITS;
/// Bits a column carry is checked to: three whole bytes. Honest carries
/// are below 2^20; any carry below 2^24 keeps both sides of a column below
/// 2^41, far from `p`, so the column holds over the integers.
const CARRY_BITS: usize = 24;

struct SlotTargets {
    sign: Target,
    magnitude: Checked,
    positive: Vec<Checked>,
    payout: Vec<Checked>,
    rem: Vec<Checked>,
    slack: Vec<Checked>,
    slack_carries: Vec<Target>,
    lhs: Vec<Checked>,
    lhs_carries: Vec<Checked>,
    rhs_carries: Vec<Checked>,
}

/// The final circuit over an aggregation tree of `slots` slots: the split
/// node ([`Self::inner`]) and the zero-knowledge wrapper of its proof
/// ([`Self::data`], the proof that is published; see [`super::wrap`]).
pub struct SplitCircuit {
    /// The published circuit: verifies a proof of [`Self::inner`] and
    /// publishes its public inputs, with zero knowledge and no lookups.
    pub data: CircuitData<G, Config, EXT>,
    /// The split node (byte lookups; its proofs stay with the prover).
    pub inner: CircuitData<G, Config, EXT>,
    wrap: ProofWithPublicInputsTarget<EXT>,
    context: [Target; CONTEXT_LIMBS],
    halves: [ProofWithPublicInputsTarget<EXT>; 2],
    pool: Vec<Checked>,
    total: Vec<Checked>,
    total_carries: Vec<Checked>,
    slots: Vec<SlotTargets>,
}

/// `Σ l_k 2^{16k}`: equal to the limbs' integer only when the caller has
/// bounded that integer below `p`.
fn recompose(b: &mut CircuitBuilder<G, EXT>, limbs: &[Target]) -> Target {
    let shift = b.constant(G::from_canonical_u64(BASE));
    let mut acc = b.zero();
    for &l in limbs.iter().rev() {
        acc = b.mul_add(acc, shift, l);
    }
    acc
}

/// Column equations `Σ_{i+j=k} x_i y_j + c_k + carry_{k−1} = z_k + 2^16 carry_k`.
fn columns(
    b: &mut CircuitBuilder<G, EXT>,
    x: &[Target],
    y: &[Target],
    c: &[Target],
    z: &[Target],
    carries: &[Target],
) {
    let base = b.constant(G::from_canonical_u64(BASE));
    let mut carry = b.zero();
    for k in 0..z.len() {
        let mut col = carry;
        for (i, &xi) in x.iter().enumerate() {
            if let Some(&yj) = k.checked_sub(i).and_then(|j| y.get(j)) {
                col = b.mul_add(xi, yj, col);
            }
        }
        if let Some(&ck) = c.get(k) {
            col = b.add(col, ck);
        }
        let right = b.mul_add(carries[k], base, z[k]);
        b.connect(col, right);
        carry = carries[k];
    }
    // The last carry must vanish: the result fits in `z`.
    let zero = b.zero();
    if let Some(&last) = carries.last() {
        b.connect(last, zero);
    }
}

impl SplitCircuit {
    /// The final node over the top level of `tree`.
    pub fn build(tree: &Tree) -> Self {
        let mut b = CircuitBuilder::<G, EXT>::new(CircuitConfig::standard_recursion_config());
        let half = tree.top_slots();
        let slots = 2 * half;
        let (halves, pi) = join(&mut b, tree.top(), half);
        // The tree must start at slot 0.
        let zero = b.zero();
        b.connect(pi[0], zero);
        let bytes = Bytes::new(&mut b);
        let pool_c = bytes.many(&mut b, POOL, LIMB_BITS);
        let pool = values(&pool_c);
        let one = b.one();
        let total_c = bytes.many(&mut b, TOTAL, LIMB_BITS);
        let total = values(&total_c);
        let total_carries_c = bytes.many(&mut b, TOTAL, CARRY_BITS);
        let total_carries = values(&total_carries_c);
        let mut slot_targets = Vec::with_capacity(slots);
        let mut positives = Vec::with_capacity(slots);
        for c in 0..slots {
            let s = pi[9 + 9 * c + 8];
            let sign = b.add_virtual_bool_target_safe().target;
            let two_g = b.add(sign, sign);
            let sgn = b.sub(two_g, one);
            let signed_s = b.mul(sgn, s);
            let magnitude = bytes.checked(&mut b, SCORE_BITS);
            b.connect(magnitude.value, signed_s);
            let pos_value = b.mul(sign, s);
            // s⁺ < 2^51 < p, so `recompose` is its integer.
            let positive: Vec<Checked> = (0..POS)
                .map(|k| {
                    let bits = if k + 1 < POS { LIMB_BITS } else { POS_TOP_BITS };
                    bytes.checked(&mut b, bits)
                })
                .collect();
            let recomposed = recompose(&mut b, &values(&positive));
            b.connect(recomposed, pos_value);
            positives.push(values(&positive));
            slot_targets.push(SlotTargets {
                sign,
                magnitude,
                positive,
                payout: bytes.many(&mut b, PAY, LIMB_BITS),
                rem: bytes.many(&mut b, TOTAL, LIMB_BITS),
                slack: bytes.many(&mut b, TOTAL, LIMB_BITS),
                slack_carries: (0..TOTAL)
                    .map(|_| b.add_virtual_bool_target_safe().target)
                    .collect(),
                lhs: bytes.many(&mut b, POOL + POS, LIMB_BITS),
                lhs_carries: bytes.many(&mut b, POOL + POS, CARRY_BITS),
                rhs_carries: bytes.many(&mut b, POOL + POS + 1, CARRY_BITS),
            });
        }
        // S = Σ s⁺ on limbs.
        let base = b.constant(G::from_canonical_u64(BASE));
        let mut carry = b.zero();
        for k in 0..TOTAL {
            let mut col = carry;
            for p in &positives {
                if let Some(&l) = p.get(k) {
                    col = b.add(col, l);
                }
            }
            let right = b.mul_add(total_carries[k], base, total[k]);
            b.connect(col, right);
            carry = total_carries[k];
        }
        b.connect(carry, zero);
        // z = [S = 0].
        let limb_sum = b.add_many(total.clone());
        let z = b.is_equal(limb_sum, zero).target;
        for t in &slot_targets {
            let [positive, payout, rem, slack, lhs, lhs_carries, rhs_carries] = [
                &t.positive,
                &t.payout,
                &t.rem,
                &t.slack,
                &t.lhs,
                &t.lhs_carries,
                &t.rhs_carries,
            ]
            .map(|c| values(c));
            // pool·s⁺ = lhs; a·S + rem = lhs (as 11 limbs, the top one 0).
            columns(&mut b, &pool, &positive, &[], &lhs, &lhs_carries);
            let mut lhs11 = lhs.clone();
            lhs11.push(zero);
            columns(&mut b, &payout, &total, &rem, &lhs11, &rhs_carries);
            // rem + slack + 1 = S + z: limb additions with 0/1 carries.
            let mut carry = one;
            for k in 0..TOTAL {
                let left = b.add_many([rem[k], slack[k], carry]);
                let extra = if k == 0 { z } else { zero };
                let s_k = b.add(total[k], extra);
                let right = b.mul_add(t.slack_carries[k], base, s_k);
                b.connect(left, right);
                carry = t.slack_carries[k];
            }
            b.connect(carry, zero);
            for &a in &payout {
                let az = b.mul(a, z);
                b.connect(az, zero);
            }
        }
        b.register_public_inputs(&pi[5..9]);
        b.register_public_inputs(&pi[1..5]);
        b.register_public_inputs(&pool);
        for (c, t) in slot_targets.iter().enumerate() {
            b.register_public_inputs(&pi[9 + 9 * c..9 + 9 * c + 8]);
            b.register_public_inputs(&values(&t.payout));
        }
        let inner = b.build::<Config>();
        let wrap = Wrap::build(&inner);
        SplitCircuit {
            data: wrap.data,
            inner,
            wrap: wrap.inner,
            context: wrap.context,
            halves,
            pool: pool_c,
            total: total_c,
            total_carries: total_carries_c,
            slots: slot_targets,
        }
    }

    /// Proves the split of `pool` over the scores of `halves` (the tree's
    /// two top proofs, in slot order) for the claim whose `γ` has the limbs
    /// `context` ([`super::fr_limbs`]). The hints come from the native limb
    /// arithmetic.
    pub fn prove(
        &self,
        halves: &[ShardProof; 2],
        pool: u128,
        context: &[G; CONTEXT_LIMBS],
    ) -> Result<ShardProof> {
        self.wrap(&self.prove_inner(halves, pool)?, context)
    }

    /// [`Self::prove`] with one slot's hints changed as `tamper` says
    /// ([`crate::tamper`]); the circuit must leave no witness to prove. The
    /// classes of this circuit are [`Tamper::Payout`] (lowest bit flipped),
    /// [`Tamper::Remainder`] and [`Tamper::SignBit`] (every limb still in
    /// range: the limb equations refuse them) and [`Tamper::PositiveWrap`]
    /// (only the top-limb bound refuses it); any other is an error before
    /// proving. The context is zero.
    pub fn prove_tampered(
        &self,
        halves: &[ShardProof; 2],
        pool: u128,
        tamper: Option<Tamper>,
    ) -> Result<ShardProof> {
        let inner = self.inner.prove(self.witness(halves, pool, tamper)?)?;
        self.wrap(&inner, &[G::ZERO; CONTEXT_LIMBS])
    }

    /// The split node's witness: the two top proofs, and hints from the
    /// native limb arithmetic changed as `tamper` says.
    fn witness(
        &self,
        halves: &[ShardProof; 2],
        pool: u128,
        tamper: Option<Tamper>,
    ) -> Result<PartialWitness<G>> {
        if let Some(tamper) = tamper {
            ensure!(
                matches!(
                    tamper,
                    Tamper::Payout { .. }
                        | Tamper::Remainder { .. }
                        | Tamper::SignBit { .. }
                        | Tamper::PositiveWrap { .. }
                ),
                "{tamper:?} is not a witness class of the split circuit"
            );
        }
        let n = self.slots.len();
        let mut scores: Vec<i64> = Vec::with_capacity(n);
        for half in halves {
            ensure!(
                half.public_inputs.len() == 9 + 9 * (n / 2),
                "a top proof has another slot count"
            );
            scores.extend((0..n / 2).map(|c| signed(half.public_inputs[9 + 9 * c + 8])));
        }
        let g = |x: u64| G::from_canonical_u64(x);
        let set = set_all;
        let big = |x: u128| BigUint::from(x);
        let limbs = |x: &BigUint, n: usize| {
            to_limbs(x, n).ok_or_else(|| anyhow::anyhow!("{x} does not fit {n} limbs"))
        };
        let mut w = PartialWitness::new();
        for (target, half) in self.halves.iter().zip(halves) {
            w.set_proof_with_pis_target(target, half)?;
        }
        let pool_l = limbs(&big(pool), POOL)?;
        set(&mut w, &self.pool, &pool_l)?;
        let p_big = big(u128::from(G::ORDER));
        let positives: Vec<Vec<u64>> = scores
            .iter()
            .enumerate()
            .map(|(c, &s)| {
                let mut x = big(s.max(0) as u128);
                if tamper == Some(Tamper::PositiveWrap { slot: c }) {
                    ensure!(
                        s <= 0,
                        "slot {c} has a positive score: s⁺ + p needs 65 bits"
                    );
                    x += &p_big;
                }
                limbs(&x, POS)
            })
            .collect::<Result<_>>()?;
        let mut total = vec![0u64; TOTAL];
        let mut carries = vec![0u64; TOTAL];
        let mut carry = 0;
        for k in 0..TOTAL {
            let col: u64 = carry
                + positives
                    .iter()
                    .map(|p| p.get(k).copied().unwrap_or(0))
                    .sum::<u64>();
            total[k] = col % BASE;
            carry = col >> LIMB_BITS;
            carries[k] = carry;
        }
        set(&mut w, &self.total, &total)?;
        set(&mut w, &self.total_carries, &carries)?;
        let s_big = super::limbs::from_limbs(&total);
        let z = u64::from(s_big == BigUint::ZERO);
        for (c, ((t, &s), p)) in self.slots.iter().zip(&scores).zip(&positives).enumerate() {
            let hit = |kind: fn(usize) -> Tamper| tamper == Some(kind(c));
            let sign = u64::from(s >= 0) ^ u64::from(hit(|slot| Tamper::SignBit { slot }));
            w.set_target(t.sign, g(sign))?;
            t.magnitude.set(&mut w, s.unsigned_abs())?;
            if hit(|slot| Tamper::PositiveWrap { slot }) {
                for (limb, &v) in t.positive.iter().zip(p) {
                    limb.set_unbounded(&mut w, v)?;
                }
            } else {
                set(&mut w, &t.positive, p)?;
            }
            let (lhs, lhs_carries) = mul(&pool_l, p);
            set(&mut w, &t.lhs, &lhs)?;
            set(&mut w, &t.lhs_carries, &lhs_carries)?;
            let lhs_big = super::limbs::from_limbs(&lhs);
            let (a, rem) = if z == 1 {
                (BigUint::ZERO, lhs_big)
            } else {
                (&lhs_big / &s_big, &lhs_big % &s_big)
            };
            let (a, rem) = if hit(|slot| Tamper::Remainder { slot }) {
                ensure!(a > BigUint::ZERO, "slot {c} has no payout to move");
                (a - 1u8, rem + &s_big)
            } else {
                (a, rem)
            };
            let mut a_l = limbs(&a, PAY)?;
            if hit(|slot| Tamper::Payout { slot }) {
                a_l[0] ^= 1;
            }
            let rem_l = limbs(&rem, TOTAL)?;
            set(&mut w, &t.payout, &a_l)?;
            set(&mut w, &t.rem, &rem_l)?;
            let (_, rhs_carries) = mul_add(&a_l, &total, &rem_l, POOL + POS + 1);
            set(&mut w, &t.rhs_carries, &rhs_carries)?;
            // slack = S + z − 1 − rem, and the carries of rem + slack + 1.
            // (mod 2^80: a remainder ≥ S leaves a final carry, not a slack)
            let modulus = BigUint::from(1u8) << (LIMB_BITS * TOTAL);
            let slack = (&s_big + BigUint::from(z) + &modulus - 1u8 - &rem) % &modulus;
            let slack_l = limbs(&slack, TOTAL)?;
            set(&mut w, &t.slack, &slack_l)?;
            let mut carry = 1u64;
            let mut slack_carries = vec![0u64; TOTAL];
            for k in 0..TOTAL {
                let col = rem_l[k] + slack_l[k] + carry;
                carry = col >> LIMB_BITS;
                slack_carries[k] = carry;
            }
            for (&c, &v) in t.slack_carries.iter().zip(&slack_carries) {
                w.set_target(c, g(v))?;
            }
        }
        Ok(w)
    }

    /// The split node's own proof (not zero-knowledge: never published).
    pub fn prove_inner(&self, halves: &[ShardProof; 2], pool: u128) -> Result<ShardProof> {
        self.inner.prove(self.witness(halves, pool, None)?)
    }

    /// The published proof of a proof of the split node, for `context`.
    pub fn wrap(&self, inner: &ShardProof, context: &[G; CONTEXT_LIMBS]) -> Result<ShardProof> {
        let mut w = PartialWitness::new();
        w.set_proof_with_pis_target(&self.wrap, inner)?;
        for (&t, &x) in self.context.iter().zip(context) {
            w.set_target(t, x)?;
        }
        self.data.prove(w)
    }

    /// Whether a final proof verifies.
    pub fn verify(&self, proof: &ShardProof) -> bool {
        self.data.verify(proof.clone()).is_ok()
    }
}
