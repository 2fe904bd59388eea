//! SPEC §7 (informative): quantizing a float fingerprint to int16,
//! `Δ_i = clamp(round(f_i · 2^k), -2^15, 2^15 - 1)`, round half away from zero.

/// Quantizes one value; `None` when it is not finite. The bool says whether
/// it was clipped.
pub fn quantize_one(f: f64, scale_exp: i32) -> Option<(i16, bool)> {
    if !f.is_finite() {
        return None;
    }
    // f64::round rounds half away from zero, as the spec asks.
    let scaled = (f * 2f64.powi(scale_exp)).round();
    let clipped = !(f64::from(i16::MIN)..=f64::from(i16::MAX)).contains(&scaled);
    Some((
        scaled.clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16,
        clipped,
    ))
}

/// The largest scale exponent `k` at which no entry of `values` is clipped
/// (`max |f| · 2^k ≤ 2^15 − 1`), or `None` when all are zero or one is not
/// finite.
pub fn fitting_scale_exp<'a>(values: impl IntoIterator<Item = &'a f64>) -> Option<i32> {
    let mut max = 0f64;
    for &v in values {
        if !v.is_finite() {
            return None;
        }
        max = max.max(v.abs());
    }
    if max == 0.0 {
        return None;
    }
    // (32767.5 / max) rounds to 32767 at most; step down until it fits, as
    // log2 may land one off at exact powers of two.
    let mut k = (32767.0 / max).log2().floor() as i32;
    while (max * 2f64.powi(k)).round() > 32767.0 {
        k -= 1;
    }
    Some(k)
}

/// Quantizes a whole vector at scale `2^k`; `None` when an entry is not
/// finite. Also returns how many entries were clipped.
pub fn quantize(values: &[f64], scale_exp: i32) -> Option<(Vec<i16>, usize)> {
    let mut clipped = 0;
    let mut out = Vec::with_capacity(values.len());
    for &f in values {
        let (q, c) = quantize_one(f, scale_exp)?;
        out.push(q);
        clipped += usize::from(c);
    }
    Some((out, clipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero_and_clips() {
        assert_eq!(quantize_one(0.5, 0), Some((1, false)));
        assert_eq!(quantize_one(-0.5, 0), Some((-1, false)));
        assert_eq!(quantize_one(1.0, 15), Some((32767, true)));
        assert_eq!(quantize_one(-1.0, 15), Some((-32768, false)));
        assert_eq!(quantize_one(f64::NAN, 3), None);
    }

    #[test]
    fn fitting_scale_never_clips_and_is_tight() {
        for max in [1.0, 0.75, 3e-7, 32767.0, 32768.0, 1e9] {
            let k = fitting_scale_exp(&[max, -max / 3.0]).unwrap();
            let (_, clipped) = quantize(&[max, -max], k).unwrap();
            assert_eq!(clipped, 0, "max {max}");
            let (_, clipped) = quantize(&[max], k + 1).unwrap();
            assert_eq!(clipped, 1, "k {k} is not the largest for {max}");
        }
        assert_eq!(fitting_scale_exp(&[0.0]), None);
        assert_eq!(fitting_scale_exp(&[1.0, f64::INFINITY]), None);
    }
}
