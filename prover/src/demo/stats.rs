//! Summaries over seeds: quantiles, bootstrap intervals, total variation.

use rand_chacha::rand_core::RngCore;
use rand_chacha::ChaCha20Rng;
use serde::Serialize;

/// The `q`-quantile (0 ≤ q ≤ 1) of `x` by linear interpolation between
/// order statistics (R's type 7); `None` for no finite values.
pub fn quantile(x: &[f64], q: f64) -> Option<f64> {
    let mut v: Vec<f64> = x.iter().copied().filter(|a| a.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let h = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    Some(v[lo] + (h - lo as f64) * (v[hi] - v[lo]))
}

/// Bootstrap resamples of each interval (percentile method).
pub const BOOTSTRAP: usize = 2000;

/// A statistic over seeds with its 95 % percentile-bootstrap interval.
#[derive(Clone, Debug, Serialize)]
pub struct Estimate {
    /// The statistic on the seeds as drawn.
    pub value: f64,
    /// 2.5th percentile of the bootstrap distribution.
    pub lo: f64,
    /// 97.5th percentile of the bootstrap distribution.
    pub hi: f64,
}

/// The median and 5th percentile of `x` over seeds, each with its interval.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Seeds with a finite value.
    pub seeds: usize,
    /// The median.
    pub median: Estimate,
    /// The 5th percentile (the bad seeds).
    pub p5: Estimate,
}

/// [`Summary`] of `x` with [`BOOTSTRAP`] resamples drawn from `r`; `None`
/// when no value is finite.
pub fn summarize(x: &[f64], r: &mut ChaCha20Rng) -> Option<Summary> {
    let v: Vec<f64> = x.iter().copied().filter(|a| a.is_finite()).collect();
    let (median, p5) = (quantile(&v, 0.5)?, quantile(&v, 0.05)?);
    let (mut meds, mut p5s) = (Vec::with_capacity(BOOTSTRAP), Vec::with_capacity(BOOTSTRAP));
    let mut sample = vec![0.0; v.len()];
    for _ in 0..BOOTSTRAP {
        for s in sample.iter_mut() {
            *s = v[(r.next_u64() % v.len() as u64) as usize];
        }
        meds.push(quantile(&sample, 0.5)?);
        p5s.push(quantile(&sample, 0.05)?);
    }
    let est = |value: f64, b: &[f64]| -> Option<Estimate> {
        Some(Estimate {
            value,
            lo: quantile(b, 0.025)?,
            hi: quantile(b, 0.975)?,
        })
    };
    Some(Summary {
        seeds: v.len(),
        median: est(median, &meds)?,
        p5: est(p5, &p5s)?,
    })
}

/// Shares proportional to the positive part of `x` (all zero when none is
/// positive).
pub fn positive_shares(x: &[f64]) -> Vec<f64> {
    let total: f64 = x.iter().map(|a| a.max(0.0)).sum();
    x.iter()
        .map(|a| if total > 0.0 { a.max(0.0) / total } else { 0.0 })
        .collect()
}

/// Total-variation distance `½ Σ |p − q|` of two share vectors.
pub fn total_variation(p: &[f64], q: &[f64]) -> f64 {
    p.iter().zip(q).map(|(a, b)| (a - b).abs()).sum::<f64>() / 2.0
}

/// A standard normal draw (Box–Muller).
pub fn normal(r: &mut ChaCha20Rng) -> f64 {
    let u = |r: &mut ChaCha20Rng| ((r.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    let (a, b) = (u(r), u(r));
    (-2.0 * a.ln()).sqrt() * (std::f64::consts::TAU * b).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::SeedableRng;

    #[test]
    fn quantiles_interpolate() {
        let x = [3.0, 1.0, 2.0, 4.0, 5.0];
        assert_eq!(quantile(&x, 0.5), Some(3.0));
        assert_eq!(quantile(&x, 0.0), Some(1.0));
        assert_eq!(quantile(&x, 0.05), Some(1.2));
        assert_eq!(quantile(&[f64::NAN], 0.5), None);
    }

    #[test]
    fn bootstrap_interval_brackets_the_median_and_shrinks_to_a_point() {
        let mut r = ChaCha20Rng::seed_from_u64(1);
        let x: Vec<f64> = (0..50).map(|i| i as f64).collect();
        let s = summarize(&x, &mut r).unwrap();
        assert!(s.median.lo < 24.5 && 24.5 < s.median.hi, "{s:?}");
        assert!(s.median.hi - s.median.lo > 2.0, "{s:?}");
        // The twin: constant data has a zero-width interval.
        let s = summarize(&[7.0; 20], &mut r).unwrap();
        assert_eq!((s.median.lo, s.median.hi, s.p5.value), (7.0, 7.0, 7.0));
    }

    #[test]
    fn shares_and_total_variation() {
        let p = positive_shares(&[3.0, -1.0, 1.0]);
        assert_eq!(p, vec![0.75, 0.0, 0.25]);
        assert_eq!(total_variation(&p, &p), 0.0);
        assert_eq!(total_variation(&p, &[0.0, 1.0, 0.0]), 1.0);
    }
}
