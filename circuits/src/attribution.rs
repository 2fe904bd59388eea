//! Scores and the split (SPEC §4 and §5), in exact integers.

use num_bigint::BigUint;
use num_traits::ToPrimitive;

/// `s_c = Σ_j Δ_{c,j} · v_j`. With `D ≤ 2^20` int16 entries, `|s_c| ≤ 2^50`.
pub fn score(update: &[i16], validation: &[i16]) -> i64 {
    update
        .iter()
        .zip(validation)
        .map(|(&a, &b)| i64::from(a) * i64::from(b))
        .sum()
}

/// `s⁺ = max(s, 0)`.
pub fn positive(score: i64) -> u64 {
    score.max(0) as u64
}

/// The result of the split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// `S = Σ s⁺_c` (`≤ 2^66`).
    pub total: u128,
    /// `a_c = ⌊pool · s⁺_c / S⌋`, or all 0 when `S = 0`.
    pub payouts: Vec<u128>,
    /// `pool − Σ a_c`.
    pub dust: u128,
}

/// Splits `pool` (`< 2^96`) in proportion to the positive parts of `scores`.
pub fn split(pool: u128, scores: &[i64]) -> Split {
    let positives: Vec<u64> = scores.iter().map(|&s| positive(s)).collect();
    let total: u128 = positives.iter().map(|&s| u128::from(s)).sum();
    let payouts: Vec<u128> = if total == 0 {
        vec![0; scores.len()]
    } else {
        // pool · s⁺ < 2^146 overflows u128, so divide in big integers.
        positives
            .iter()
            .map(|&s| {
                let q = BigUint::from(pool) * BigUint::from(s) / BigUint::from(total);
                // q ≤ pool < 2^96.
                q.to_u128().unwrap_or(u128::MAX)
            })
            .collect()
    };
    let paid: u128 = payouts.iter().sum();
    Split {
        total,
        dust: pool - paid,
        payouts,
    }
}
