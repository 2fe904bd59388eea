//! The demo's scenario on real data: contributors of different quality,
//! a model trained on all of them, each contributor's update fingerprint
//! and the validation direction (quantized per SPEC §7), and the
//! leave-one-out ground truth that attribution quality is measured against.
//!
//! Fingerprints: `Δθ_c = −H⁻¹ g_c` where `g_c` is the gradient of
//! contributor `c`'s rows at the trained parameters and `H` the training
//! objective's Hessian — to first order, what removing `c` would undo. The
//! validation direction is `v = −∇L_val`. Then `⟨Δθ_c, v⟩` predicts the rise
//! of the validation loss without `c`, which retraining measures exactly.

pub mod data;
pub mod model;
pub mod plot;
pub mod quality;
pub mod stats;

use poa_circuits::dataset::Dataset;
use poa_circuits::fingerprint::{fitting_scale_exp, quantize};
use poa_circuits::public::Context;
use poa_circuits::statement::{Epoch, Participant, Shape};
use poa_circuits::Fr;
use rand_chacha::rand_core::RngCore;

use crate::Error;
use data::{Kind, Row, KINDS};
use model::{Example, FeatureMap, Lambda};

/// One contributor of the scenario.
#[derive(Clone, Debug)]
pub struct Contributor {
    /// What their data is like.
    pub kind: Kind,
    /// Their rows.
    pub rows: Vec<Row>,
    /// Their dataset salt `σ_D` (their own secret).
    pub dataset_salt: Fr,
    /// `D_c`, as registered.
    pub dataset: Fr,
    /// The float fingerprint `Δθ_c`.
    pub influence: Vec<f64>,
}

/// A model trained on contributors' rows with λ chosen by validation loss,
/// and what attribution needs of it: the validation direction, each
/// contributor's gradient and influence, and retraining on subsets.
pub struct Fit {
    /// The feature map (fitted on all training rows).
    pub features: FeatureMap,
    /// The L2 weight, chosen by validation loss from [`model::LAMBDA_GRID`]
    /// (or fixed).
    pub lambda: f64,
    /// Validation loss at each λ of the grid, in grid order (empty for a
    /// fixed λ).
    pub lambda_losses: Vec<f64>,
    /// Parameters trained on everyone.
    pub theta: Vec<f64>,
    /// Loss of `theta` on `V`.
    pub validation_loss: f64,
    /// Loss of `theta` on `T`.
    pub test_loss: f64,
    /// `−∇L_V` at `theta` (mean over `V`).
    pub direction: Vec<f64>,
    /// `g_c`: each contributor's summed loss gradient at `theta`.
    pub gradients: Vec<Vec<f64>>,
    /// `Δθ_c = −H⁻¹ g_c`, each contributor's influence on the parameters.
    pub influences: Vec<Vec<f64>>,
    parts: Vec<Vec<Example>>,
    validation: Vec<Example>,
    test: Vec<Example>,
}

/// Leave-one-out gains: the loss after retraining without a contributor
/// minus the loss with everyone (positive: they helped).
#[derive(Clone, Debug)]
pub struct Loo {
    /// Measured on `V` (what the score approximates).
    pub validation: Vec<f64>,
    /// Measured on `T` (held out: the value of the data).
    pub test: Vec<f64>,
}

impl Fit {
    /// Trains on `parts` (one row set per contributor), λ chosen by `rule`
    /// from the loss on `validation` (never by an attribution metric).
    pub fn new(
        parts: &[Vec<Row>],
        validation: &[Row],
        test: &[Row],
        rule: Lambda,
    ) -> Result<Self, Error> {
        let all: Vec<Vec<f64>> = parts.iter().flatten().map(|w| w.x.clone()).collect();
        let features = FeatureMap::fit(&all);
        let dim = features.dim();
        let parts: Vec<Vec<Example>> = parts.iter().map(|p| examples(&features, p)).collect();
        let validation = examples(&features, validation);
        let test = examples(&features, test);
        let train: Vec<Example> = parts.iter().flatten().cloned().collect();
        let (lambda, lambda_losses) =
            model::select_lambda(&train, &validation, dim, rule).ok_or_else(singular)?;
        let theta = model::train(&train, dim, lambda).ok_or_else(singular)?;
        let n_val = validation.len().max(1) as f64;
        let direction = model::data_gradient(&theta, &validation)
            .iter()
            .map(|g| -g / n_val)
            .collect();
        let h = model::Cholesky::new(&model::hessian(&theta, &train, lambda), dim)
            .ok_or_else(singular)?;
        let gradients: Vec<Vec<f64>> = parts
            .iter()
            .map(|p| model::data_gradient(&theta, p))
            .collect();
        let influences = gradients
            .iter()
            .map(|g| h.solve(g).iter().map(|x| -x).collect())
            .collect();
        Ok(Fit {
            validation_loss: model::log_loss(&theta, &validation),
            test_loss: model::log_loss(&theta, &test),
            features,
            lambda,
            lambda_losses,
            theta,
            direction,
            gradients,
            influences,
            parts,
            validation,
            test,
        })
    }

    /// The number of contributors.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether there are no contributors.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Losses on `V` and `T` after retraining (warm-started at `theta`) on
    /// the contributors `keep` says to keep.
    pub fn retrain(&self, keep: impl Fn(usize) -> bool) -> Result<(f64, f64), Error> {
        let rows: Vec<Example> = self
            .parts
            .iter()
            .enumerate()
            .filter(|&(c, _)| keep(c))
            .flat_map(|(_, p)| p.iter().cloned())
            .collect();
        let theta =
            model::train_from(&rows, self.theta.clone(), self.lambda).ok_or_else(singular)?;
        Ok((
            model::log_loss(&theta, &self.validation),
            model::log_loss(&theta, &self.test),
        ))
    }

    /// Leave-one-out ground truth on `V` and on `T`; retrainings run in
    /// parallel.
    pub fn leave_one_out(&self, progress: impl Fn() + Sync) -> Result<Loo, Error> {
        let all: Vec<usize> = (0..self.len()).collect();
        let gains = poa_circuits::parallel::map(&all, |&c| -> Result<(f64, f64), Error> {
            let (v, t) = self.retrain(|i| i != c)?;
            progress();
            Ok((v - self.validation_loss, t - self.test_loss))
        });
        let mut loo = Loo {
            validation: Vec::with_capacity(all.len()),
            test: Vec::with_capacity(all.len()),
        };
        for g in gains {
            let (v, t) = g?;
            loo.validation.push(v);
            loo.test.push(t);
        }
        Ok(loo)
    }
}

/// The trained scenario.
pub struct Scenario {
    /// Contributors in slot order.
    pub contributors: Vec<Contributor>,
    /// `V`: the validation rows.
    pub validation: Vec<Row>,
    /// `T`: the held-out rows.
    pub test: Vec<Row>,
    /// The trained model and its fingerprints.
    pub fit: Fit,
    /// Parameters trained on everyone.
    pub theta: Vec<f64>,
    /// Validation loss of `theta`.
    pub validation_loss: f64,
    /// `−∇L_val` at `theta`.
    pub direction: Vec<f64>,
    /// Scale exponent of the updates.
    pub update_scale_exp: i32,
    /// Scale exponent of the validation direction.
    pub validation_scale_exp: i32,
    /// Quantized updates, in slot order.
    pub updates: Vec<Vec<i16>>,
    /// Quantized validation direction.
    pub validation_direction: Vec<i16>,
    /// `σ_v` and each `σ_c`, drawn from the seed.
    pub validation_salt: Fr,
    /// Update-commitment salts.
    pub update_salts: Vec<Fr>,
}

fn salt(r: &mut impl RngCore) -> Fr {
    use ark_ff::PrimeField;
    let mut b = [0u8; 32];
    r.fill_bytes(&mut b);
    Fr::from_le_bytes_mod_order(&b)
}

fn examples(features: &FeatureMap, rows: &[Row]) -> Vec<Example> {
    rows.iter()
        .map(|w| Example {
            phi: features.map(&w.x),
            y: f64::from(u8::from(w.good)),
        })
        .collect()
}

fn singular() -> Error {
    Error::Synthesis("the demo model's Hessian is singular".into())
}

fn all_zero() -> Error {
    Error::Synthesis("the fingerprints are all zero".into())
}

/// Scale exponents of the updates and of the direction, the int16 updates
/// and the int16 direction.
pub type Quantized = (i32, i32, Vec<Vec<i16>>, Vec<i16>);

/// Quantizes the influences with one shared scale and the direction with
/// its own, each the largest that clips nothing (SPEC §7).
pub fn quantize_all(influences: &[Vec<f64>], direction: &[f64]) -> Result<Quantized, Error> {
    let ku = fitting_scale_exp(influences.iter().flatten()).ok_or_else(all_zero)?;
    let kv = fitting_scale_exp(direction).ok_or_else(all_zero)?;
    let mut updates = Vec::with_capacity(influences.len());
    for f in influences {
        updates.push(quantize(f, ku).ok_or_else(all_zero)?.0);
    }
    let v = quantize(direction, kv).ok_or_else(all_zero)?.0;
    Ok((ku, kv, updates, v))
}

impl Scenario {
    /// Splits the wine data, chooses λ by validation loss (`rule`), trains
    /// on every contributor and derives the fingerprints. Deterministic in
    /// `seed`.
    pub fn build(seed: u64, rule: Lambda) -> Result<Self, Error> {
        let split = data::split(seed);
        let fit = Fit::new(&split.contributors, &split.validation, &split.test, rule)?;
        let mut r = data::rng(seed, 2);
        let mut contributors = Vec::new();
        for ((kind, rows), influence) in KINDS.iter().zip(split.contributors).zip(&fit.influences) {
            let records: Vec<String> = rows.iter().map(Row::csv).collect();
            let dataset_salt = salt(&mut r);
            let dataset = Dataset::new(&records)?.commitment(dataset_salt);
            contributors.push(Contributor {
                kind: kind.clone(),
                rows,
                dataset_salt,
                dataset,
                influence: influence.clone(),
            });
        }
        let (update_scale_exp, validation_scale_exp, updates, validation_direction) =
            quantize_all(&fit.influences, &fit.direction)?;
        let validation_salt = salt(&mut r);
        let update_salts = contributors.iter().map(|_| salt(&mut r)).collect();
        Ok(Scenario {
            contributors,
            validation: split.validation,
            test: split.test,
            theta: fit.theta.clone(),
            validation_loss: fit.validation_loss,
            direction: fit.direction.clone(),
            fit,
            update_scale_exp,
            validation_scale_exp,
            updates,
            validation_direction,
            validation_salt,
            update_salts,
        })
    }

    /// The epoch to prove: `slots` slots (a power of two ≥ the contributors),
    /// this pool and context.
    pub fn epoch(&self, slots: u64, pool: u128, ctx: Context) -> Result<Epoch, Error> {
        let shape = Shape::new(slots, self.theta.len() as u64)?;
        let epoch = Epoch {
            shape,
            pool,
            participants: self
                .contributors
                .iter()
                .zip(&self.updates)
                .zip(&self.update_salts)
                .map(|((c, u), s)| Participant {
                    dataset: c.dataset,
                    salt: *s,
                    update: u.clone(),
                })
                .collect(),
            validation: self.validation_direction.clone(),
            validation_salt: self.validation_salt,
            ctx,
        };
        epoch.validate()?;
        Ok(epoch)
    }

    /// Leave-one-out ground truth on `V` and `T` (see [`Fit::leave_one_out`]).
    pub fn leave_one_out(&self, progress: impl Fn() + Sync) -> Result<Loo, Error> {
        self.fit.leave_one_out(progress)
    }
}

/// Ranks (1 = smallest), ties averaged.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            r[order[k]] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation (Pearson's on the ranks, ties averaged);
/// `None` for fewer than two points or a constant series.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    let (rx, ry) = (ranks(x), ranks(y));
    let n = x.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_of_monotone_and_reversed_series() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(spearman(&x, &[10.0, 20.0, 25.0, 100.0]), Some(1.0));
        assert_eq!(spearman(&x, &[4.0, 3.0, 2.0, 1.0]), Some(-1.0));
        assert_eq!(ranks(&[5.0, 1.0, 5.0]), vec![2.5, 1.0, 2.5]);
        assert_eq!(spearman(&x, &[1.0; 4]), None);
    }
}
