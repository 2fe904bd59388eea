//! Attribution quality on the demo's real data: the proven scores rank
//! contributors as leave-one-out retraining does, and noisy and
//! off-distribution data is paid less than clean data.

use poa_circuits::public::Context;
use poa_prover::demo::data::Kind;
use poa_prover::demo::{spearman, Scenario};

const POOL: u128 = 89_950_000_000_000_000_000;

/// Err names the first noisy or off-distribution contributor paid at least
/// as much as some clean one.
fn bad_paid_less(kinds: &[Kind], payouts: &[u128]) -> Result<(), String> {
    let clean_min = kinds
        .iter()
        .zip(payouts)
        .filter(|(k, _)| **k == Kind::Clean)
        .map(|(_, p)| *p)
        .min()
        .ok_or("no clean contributor")?;
    for (c, (k, p)) in kinds.iter().zip(payouts).enumerate() {
        let bad = matches!(
            k,
            Kind::LabelNoise(_) | Kind::ColumnsRotated | Kind::Rescaled(_)
        );
        if bad && *p >= clean_min {
            return Err(format!(
                "#{c} ({k}) is paid {p} ≥ the least clean payout {clean_min}"
            ));
        }
    }
    Ok(())
}

fn kinds(s: &Scenario) -> Vec<Kind> {
    s.contributors.iter().map(|c| c.kind.clone()).collect()
}

/// The proven payouts of the scenario, and Spearman's correlation of its
/// scores with leave-one-out retraining.
fn payouts_and_spearman(s: &Scenario) -> (Vec<u128>, f64) {
    let att = s
        .epoch(16, POOL, Context::default())
        .unwrap()
        .attribute()
        .unwrap();
    let loo = s.leave_one_out(|| {}).unwrap();
    let scores: Vec<f64> = att.scores.iter().map(|&x| x as f64).collect();
    (att.split.payouts, spearman(&scores, &loo).unwrap())
}

#[test]
fn scores_follow_leave_one_out_and_bad_data_is_paid_less() {
    for seed in 1..=3 {
        let s = Scenario::build(seed).unwrap();
        let (payouts, rho) = payouts_and_spearman(&s);
        assert!(rho >= 0.8, "seed {seed}: Spearman {rho}");
        bad_paid_less(&kinds(&s), &payouts).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    }
}

/// The twin: a trainer who flips the validation direction rewards exactly
/// the wrong contributors, and both checks above catch it.
#[test]
fn a_flipped_validation_direction_fails_both_checks() {
    let mut s = Scenario::build(1).unwrap();
    for v in &mut s.validation_direction {
        *v = v.saturating_neg();
    }
    let (payouts, rho) = payouts_and_spearman(&s);
    assert!(rho <= -0.8, "Spearman {rho}");
    let err = bad_paid_less(&kinds(&s), &payouts).unwrap_err();
    assert!(err.contains("label noise 30%"), "{err}");
}

#[test]
fn the_scenario_is_deterministic_and_fingerprints_fit_int16_unclipped() {
    let (a, b) = (Scenario::build(7).unwrap(), Scenario::build(7).unwrap());
    assert_eq!(a.updates, b.updates);
    assert_eq!(a.validation_direction, b.validation_direction);
    // The scale is the largest that clips nothing: some entry is near the edge.
    let max = a
        .updates
        .iter()
        .flatten()
        .map(|x| x.unsigned_abs())
        .max()
        .unwrap();
    assert!((16_384..=32_768).contains(&max), "{max}");
    assert_eq!(a.theta.len(), 78);
}
