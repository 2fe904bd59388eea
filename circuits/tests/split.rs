//! Properties of the split (SPEC §5).

use poa_circuits::attribution::{score, split};
use proptest::prelude::*;

fn scores() -> impl Strategy<Value = Vec<i64>> {
    prop::collection::vec(-(1i64 << 50)..=(1i64 << 50), 1..40)
}

fn pool() -> impl Strategy<Value = u128> {
    0u128..(1u128 << 96)
}

proptest! {
    #[test]
    fn payouts_and_dust_add_up(pool in pool(), s in scores()) {
        let r = split(pool, &s);
        prop_assert_eq!(r.payouts.iter().sum::<u128>() + r.dust, pool);
        if r.total > 0 {
            prop_assert!(r.dust < s.len() as u128, "dust {} with n = {}", r.dust, s.len());
        } else {
            prop_assert_eq!(r.dust, pool);
        }
    }

    #[test]
    fn non_positive_scores_pay_nothing(pool in pool(), s in scores()) {
        let r = split(pool, &s);
        for (score, payout) in s.iter().zip(&r.payouts) {
            if *score <= 0 {
                prop_assert_eq!(*payout, 0);
            }
        }
    }

    #[test]
    fn payouts_are_monotone_in_score(pool in pool(), s in scores()) {
        let r = split(pool, &s);
        for i in 0..s.len() {
            for j in 0..s.len() {
                if s[i] <= s[j] {
                    prop_assert!(r.payouts[i] <= r.payouts[j]);
                }
            }
        }
    }

    #[test]
    fn zero_total_pays_nobody(pool in pool(), s in prop::collection::vec(-(1i64 << 50)..=0, 1..40)) {
        let r = split(pool, &s);
        prop_assert_eq!(r.total, 0);
        prop_assert!(r.payouts.iter().all(|&a| a == 0));
    }

    #[test]
    fn permuting_slots_permutes_payouts(pool in pool(), s in scores(), seed in any::<u64>()) {
        let mut perm: Vec<usize> = (0..s.len()).collect();
        // Fisher–Yates with a simple LCG from the seed.
        let mut x = seed;
        for i in (1..perm.len()).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (x >> 33) as usize % (i + 1));
        }
        let permuted: Vec<i64> = perm.iter().map(|&i| s[i]).collect();
        let a = split(pool, &s);
        let b = split(pool, &permuted);
        for (k, &i) in perm.iter().enumerate() {
            prop_assert_eq!(b.payouts[k], a.payouts[i]);
        }
        prop_assert_eq!(a.dust, b.dust);
    }

    #[test]
    fn score_is_the_exact_dot_product(v in prop::collection::vec((any::<i16>(), any::<i16>()), 1..200)) {
        let (a, b): (Vec<i16>, Vec<i16>) = v.into_iter().unzip();
        let expected: i128 = a.iter().zip(&b).map(|(x, y)| i128::from(*x) * i128::from(*y)).sum();
        prop_assert_eq!(i128::from(score(&a, &b)), expected);
    }
}

#[test]
fn extreme_pool_and_scores_do_not_overflow() {
    let pool = (1u128 << 96) - 1;
    let r = split(pool, &[1 << 50, 1 << 50, 1]);
    assert_eq!(r.payouts.iter().sum::<u128>() + r.dust, pool);
    // A single positive score takes the whole pool.
    let r = split(pool, &[1 << 50, -(1 << 50)]);
    assert_eq!(r.payouts, vec![pool, 0]);
    assert_eq!(r.dust, 0);
}
