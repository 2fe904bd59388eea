//! Attribution quality on the demo's real data, against ground truths that
//! can disagree with the score: leave-one-out retraining measured on the
//! validation rows `V` (what the score approximates) and on held-out rows
//! `T` (what the data is worth). Each check has a twin that fails it.

use poa_circuits::public::Context;
use poa_prover::demo::model::Lambda;
use poa_prover::demo::quality::{self, Attack, Config, Defence};
use poa_prover::demo::{spearman, Fit, Loo, Scenario};

const POOL: u128 = 89_950_000_000_000_000_000;

/// Err unless the contributor held-out leave-one-out finds most harmful is
/// paid less than the one it finds most helpful. (Not "noisy data is paid
/// less": on some seeds `T` itself says a noisy contributor helped.)
fn worst_on_t_paid_less_than_best(loo_t: &[f64], payouts: &[u128]) -> Result<(), String> {
    let arg = |better: fn(f64, f64) -> bool| {
        (0..loo_t.len())
            .reduce(|a, b| if better(loo_t[b], loo_t[a]) { b } else { a })
            .ok_or("no contributor")
    };
    let (worst, best) = (arg(|x, y| x < y)?, arg(|x, y| x > y)?);
    if payouts[worst] >= payouts[best] {
        return Err(format!(
            "#{worst} (LOO on T {:+.5}) is paid {} ≥ #{best}'s {} (LOO on T {:+.5})",
            loo_t[worst], payouts[worst], payouts[best], loo_t[best]
        ));
    }
    Ok(())
}

/// The proven payouts of the scenario, its leave-one-out gains and
/// Spearman's correlation of its scores with leave-one-out on `V`.
fn payouts_loo_fidelity(s: &Scenario) -> (Vec<u128>, Loo, f64) {
    let att = s
        .epoch(16, POOL, Context::default())
        .unwrap()
        .attribute()
        .unwrap();
    let loo = s.leave_one_out(|| {}).unwrap();
    let scores: Vec<f64> = att.scores.iter().map(|&x| x as f64).collect();
    let rho = spearman(&scores, &loo.validation).unwrap();
    (att.split.payouts, loo, rho)
}

#[test]
fn scores_follow_leave_one_out_on_v_and_the_worst_on_t_is_paid_less() {
    for seed in 1..=3 {
        let s = Scenario::build(seed, Lambda::OneSe).unwrap();
        let (payouts, loo, rho) = payouts_loo_fidelity(&s);
        assert!(rho >= 0.7, "seed {seed}: fidelity {rho}");
        worst_on_t_paid_less_than_best(&loo.test, &payouts)
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    }
}

/// The twin: a trainer who flips the validation direction rewards exactly
/// the wrong contributors, and both checks above catch it.
#[test]
fn a_flipped_validation_direction_fails_both_checks() {
    let mut s = Scenario::build(1, Lambda::OneSe).unwrap();
    for v in &mut s.validation_direction {
        *v = v.saturating_neg();
    }
    let (payouts, loo, rho) = payouts_loo_fidelity(&s);
    assert!(rho <= -0.7, "fidelity {rho}");
    worst_on_t_paid_less_than_best(&loo.test, &payouts).unwrap_err();
}

#[test]
fn the_scenario_is_deterministic_and_fingerprints_fit_int16_unclipped() {
    let (a, b) = (
        Scenario::build(7, Lambda::OneSe).unwrap(),
        Scenario::build(7, Lambda::OneSe).unwrap(),
    );
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
    assert_eq!((a.validation.len(), a.test.len()), (320, 320));
}

/// λ is chosen from the loss on `V` alone: the rule's choice is the grid
/// point of least loss (or the largest within a standard error of it), and
/// a fixed λ is taken as given.
#[test]
fn lambda_is_chosen_by_validation_loss() {
    let s = Scenario::build(1, Lambda::Min).unwrap();
    let losses = &s.fit.lambda_losses;
    let best = losses.iter().copied().fold(f64::MAX, f64::min);
    let i = poa_prover::demo::model::LAMBDA_GRID
        .iter()
        .position(|&l| l == s.fit.lambda)
        .unwrap();
    assert_eq!(losses[i], best);
    let one_se = Scenario::build(1, Lambda::OneSe).unwrap();
    assert!(one_se.fit.lambda >= s.fit.lambda);
    // The twin: a fixed λ is not chosen at all.
    let fixed = Scenario::build(1, Lambda::Fixed(1000.0)).unwrap();
    assert_eq!(fixed.fit.lambda, 1000.0);
    assert!(fixed.fit.lambda_losses.is_empty());
    assert!(fixed.validation_loss > one_se.validation_loss);
}

fn small() -> Config {
    Config {
        seeds: 2,
        first_seed: 1,
        contributors: 14,
        lds_subsets: 30,
        banzhaf_samples: 30,
        curve_seeds: 0,
        sybil_seeds: 1,
        sybil_max: 1,
        shapley_seeds: 1,
        shapley_contributors: 6,
        lambda: Lambda::OneSe,
    }
}

#[test]
fn the_roster_is_graded_and_must_fit_the_data() {
    let r = quality::roster(50).unwrap();
    assert_eq!(r.len(), 50);
    let copies: Vec<usize> = r.iter().filter_map(|p| p.copy_of).collect();
    assert_eq!(copies, vec![3, 3, 3, 4, 4, 5, 6]);
    let originals: Vec<_> = r.iter().filter(|p| p.copy_of.is_none()).collect();
    for level in [0.0, 0.1, 0.2, 0.3, 0.4, 0.5] {
        assert!(originals.iter().any(|p| p.noise == level), "{level}");
    }
    for shift in [0.0, 0.5, 1.0, 2.0] {
        assert!(originals.iter().any(|p| p.shift == shift), "{shift}");
    }
    let sizes: Vec<usize> = originals.iter().map(|p| p.rows).collect();
    assert_eq!(
        (sizes.iter().min(), sizes.iter().max()),
        (Some(&10), Some(&200))
    );
    let w = quality::world(1, &r).unwrap();
    assert_eq!(w.parts[3], w.parts[43]);
    assert_ne!(w.parts[3], w.parts[4]);
    // The twins: more contributors than the wine data holds, and too few.
    let err = quality::world(1, &quality::roster(120).unwrap()).unwrap_err();
    assert!(err.to_string().contains("rows"), "{err}");
    assert!(quality::roster(1).is_err());
}

/// Exact Shapley values add up to the utility of everyone over no one
/// (efficiency) and give identical copies equal values (symmetry).
#[test]
fn exact_shapley_is_efficient_and_symmetric() {
    let r = quality::roster(7).unwrap();
    assert_eq!(r[6].copy_of, Some(3));
    let w = quality::world(2, &r).unwrap();
    let fit = Fit::new(&w.parts, &w.validation, &w.test, Lambda::Fixed(10.0)).unwrap();
    let (sv, st) = quality::exact_shapley(&fit).unwrap();
    let (all_v, all_t) = fit.retrain(|_| true).unwrap();
    let (none_v, none_t) = fit.retrain(|_| false).unwrap();
    assert!((sv.iter().sum::<f64>() - (none_v - all_v)).abs() < 1e-9);
    assert!((st.iter().sum::<f64>() - (none_t - all_t)).abs() < 1e-9);
    assert!((sv[3] - sv[6]).abs() < 1e-9, "{sv:?}");
    // The twin: distinct contributors do not get equal values.
    assert!((sv[3] - sv[4]).abs() > 1e-6, "{sv:?}");
}

#[test]
fn record_dedup_stops_exact_copies_and_only_them() {
    let cfg = small();
    let r = quality::run(&cfg, |_| {}).unwrap();
    let share = |a: Attack, d: Defence, k: usize| {
        r.sybil
            .iter()
            .find(|s| s.attack == a && s.defence == d && s.k == k)
            .unwrap()
            .median
    };
    // Without a defence a copy pays; with record dedup it pays nothing.
    assert!(
        share(Attack::ExactCopies, Defence::None, 1)
            > share(Attack::ExactCopies, Defence::None, 0) + 0.01
    );
    assert_eq!(
        share(Attack::ExactCopies, Defence::Dedup, 1),
        share(Attack::ExactCopies, Defence::Dedup, 0)
    );
    // The twin: a jittered copy has new records, and dedup does not see it.
    assert!(
        share(Attack::Jittered, Defence::Dedup, 1)
            > share(Attack::Jittered, Defence::Dedup, 0) + 0.01
    );

    // The main metrics are defined and the score beats the random baseline.
    let fidelity = r.lines[0].summary.as_ref().unwrap().median.value;
    let random = r.methods[1].loo_v.as_ref().unwrap().median.value;
    assert!(
        fidelity > 0.8 && fidelity > random + 0.3,
        "{fidelity} {random}"
    );
    assert_eq!(r.seeds.len(), 2);
    assert_eq!(r.shapley_seeds.len(), 1);
    assert!(r.goals.iter().any(|g| g.met) && r.goals.iter().any(|g| !g.met));
}
