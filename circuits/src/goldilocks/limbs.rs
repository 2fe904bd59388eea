//! Wide integers of the Goldilocks profile: little-endian 16-bit limbs, each
//! a Goldilocks element. A limb product is below 2^32 and a column of the
//! widest product (6 limbs × 5 limbs) sums to below 2^35, so the circuit's
//! column equations `Σ x_i y_j + carry_in = z_k + 2^16 carry_out` never wrap
//! modulo `p`; carries are below 2^20.
//!
//! Bounds (as in the BN254 profile, [`crate::widths`]): `pool < 2^96`
//! ([`POOL_LIMBS`] = 6 limbs), `s⁺ < 2^51` ([`POSITIVE_LIMBS`] = 4), `S ≤
//! 2^66` and `rem < 2^67` ([`TOTAL_LIMBS`] = 5), `a < 2^96`
//! ([`PAYOUT_LIMBS`] = 6).

use num_bigint::BigUint;
use num_traits::{ToPrimitive, Zero};

use crate::attribution::Split;
use crate::widths::{LIMB_BITS, PAYOUT_BITS, POOL_BITS, REMAINDER_BITS, SCORE_BITS, TOTAL_BITS};
use crate::Error;

/// A limb's bits, `2^16 − 1`.
const LIMB_MASK: u64 = (1 << LIMB_BITS) - 1;

/// Limbs of `pool`: `⌈POOL_BITS / LIMB_BITS⌉` (6).
pub const POOL_LIMBS: usize = POOL_BITS.div_ceil(LIMB_BITS);
/// Limbs of `s⁺`: `⌈SCORE_BITS / LIMB_BITS⌉` (4).
pub const POSITIVE_LIMBS: usize = SCORE_BITS.div_ceil(LIMB_BITS);
/// Limbs of `S`, and of a remainder and its slack: `⌈TOTAL_BITS /
/// LIMB_BITS⌉` (5).
pub const TOTAL_LIMBS: usize = TOTAL_BITS.div_ceil(LIMB_BITS);
/// Limbs of a payout: `⌈PAYOUT_BITS / LIMB_BITS⌉` (6).
pub const PAYOUT_LIMBS: usize = PAYOUT_BITS.div_ceil(LIMB_BITS);
/// Limbs of `a·S + rem` (`6 + 5 = 11`), against which `pool·s⁺`
/// (`6 + 4 = 10` limbs) is compared with a top limb 0.
pub const PRODUCT_LIMBS: usize = PAYOUT_LIMBS + TOTAL_LIMBS;

const _: () = {
    // A remainder and its slack live in the limbs of `S`.
    assert!(REMAINDER_BITS.div_ceil(LIMB_BITS) == TOTAL_LIMBS);
    // pool·s⁺ has one limb fewer than a·S + rem.
    assert!(POOL_LIMBS + POSITIVE_LIMBS + 1 == PRODUCT_LIMBS);
};

/// `x` as `n` 16-bit limbs; `None` if it does not fit.
pub fn to_limbs(x: &BigUint, n: usize) -> Option<Vec<u64>> {
    if x.bits() > (LIMB_BITS * n) as u64 {
        return None;
    }
    let digits = x.to_u64_digits();
    Some(
        (0..n)
            .map(|i| {
                let bit = (i * LIMB_BITS) as u64;
                let word = digits.get((bit / 64) as usize).copied().unwrap_or(0);
                (word >> (bit % 64)) & LIMB_MASK
            })
            .collect(),
    )
}

/// The integer of limbs.
pub fn from_limbs(l: &[u64]) -> BigUint {
    l.iter()
        .rev()
        .fold(BigUint::zero(), |acc, &x| (acc << LIMB_BITS) + x)
}

/// Schoolbook product with carries, as the circuit witnesses it: the
/// product's limbs (`a.len() + b.len()`) and each column's carry out.
pub fn mul(a: &[u64], b: &[u64]) -> (Vec<u64>, Vec<u64>) {
    mul_add(a, b, &[], a.len() + b.len())
}

/// `a·b + c` on `n` limbs, with each column's carry out: column `k` is
/// `Σ_{i+j=k} a_i b_j + c_k + carry_{k−1} = out_k + 2^16 carry_k`.
pub fn mul_add(a: &[u64], b: &[u64], c: &[u64], n: usize) -> (Vec<u64>, Vec<u64>) {
    let mut out = vec![0u64; n];
    let mut carries = vec![0u64; n];
    let mut carry = 0u64;
    for (k, o) in out.iter_mut().enumerate() {
        let mut col = carry + c.get(k).copied().unwrap_or(0);
        for (i, x) in a.iter().enumerate() {
            if let Some(y) = k.checked_sub(i).and_then(|j| b.get(j)) {
                col += x * y;
            }
        }
        *o = col & LIMB_MASK;
        carry = col >> LIMB_BITS;
        carries[k] = carry;
    }
    (out, carries)
}

/// `a + b` limb-wise with carries, `n` limbs.
pub fn add(a: &[u64], b: &[u64], n: usize) -> Vec<u64> {
    let mut out = vec![0u64; n];
    let mut carry = 0u64;
    for (k, o) in out.iter_mut().enumerate() {
        let col = a.get(k).copied().unwrap_or(0) + b.get(k).copied().unwrap_or(0) + carry;
        *o = col & LIMB_MASK;
        carry = col >> LIMB_BITS;
    }
    out
}

fn limbs(x: &BigUint, n: usize, what: &str) -> Result<Vec<u64>, Error> {
    to_limbs(x, n).ok_or_else(|| Error::Backend(format!("{what} = {x} exceeds {n} limbs")))
}

/// The split, with every product and bound checked on limbs as the
/// Goldilocks circuit constrains it: `pool·s⁺ = a·S + rem`, `rem < S` when
/// `S > 0`, `a = 0` when `S = 0`.
pub fn split(pool: u128, scores: &[i64]) -> Result<Split, Error> {
    let pool_l = limbs(&BigUint::from(pool), POOL_LIMBS, "pool")?;
    let positives: Vec<BigUint> = scores
        .iter()
        .map(|&s| BigUint::from(s.max(0) as u64))
        .collect();
    let mut total = vec![0u64; TOTAL_LIMBS];
    for p in &positives {
        total = add(&total, &limbs(p, POSITIVE_LIMBS, "s⁺")?, TOTAL_LIMBS);
    }
    let s_big = from_limbs(&total);
    let mut payouts = Vec::with_capacity(scores.len());
    for p in &positives {
        let p_l = limbs(p, POSITIVE_LIMBS, "s⁺")?;
        let (lhs, _) = mul(&pool_l, &p_l);
        // The hint: a = ⌊pool·s⁺ / S⌋ (0 when S = 0), rem = pool·s⁺ − a·S.
        let lhs_big = from_limbs(&lhs);
        let (a, rem) = if s_big.is_zero() {
            (BigUint::zero(), lhs_big)
        } else {
            (&lhs_big / &s_big, &lhs_big % &s_big)
        };
        let a_l = limbs(&a, PAYOUT_LIMBS, "payout")?;
        let rem_l = limbs(&rem, TOTAL_LIMBS, "remainder")?;
        let (prod, _) = mul(&a_l, &total);
        let rhs = add(&prod, &rem_l, PRODUCT_LIMBS);
        let mut lhs_wide = lhs.clone();
        lhs_wide.resize(PRODUCT_LIMBS, 0);
        let rem_below_s = s_big.is_zero() || rem < s_big;
        if rhs != lhs_wide || !rem_below_s || (s_big.is_zero() && !a.is_zero()) {
            return Err(Error::Backend("limb split check failed".into()));
        }
        payouts.push(
            a.to_u128()
                .ok_or_else(|| Error::Backend("payout exceeds 128 bits".into()))?,
        );
    }
    let paid: u128 = payouts.iter().sum();
    Ok(Split {
        total: s_big
            .to_u128()
            .ok_or_else(|| Error::Backend("S exceeds 128 bits".into()))?,
        dust: pool - paid,
        payouts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limb_products_match_integers_and_stay_below_p() {
        let a = BigUint::from(u128::MAX >> 32); // 96 bits
        let b = BigUint::from((1u128 << 67) - 1);
        let (p, carries) = mul(&to_limbs(&a, 6).unwrap(), &to_limbs(&b, 5).unwrap());
        assert_eq!(from_limbs(&p), &a * &b);
        // The widest column: 5 products below 2^32 plus a carry.
        assert!(carries.iter().all(|&c| c < 1 << 20), "{carries:?}");
        assert_eq!(to_limbs(&(BigUint::from(1u32) << 96u32), 6), None);
    }
}
