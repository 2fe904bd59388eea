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

use poa_circuits::dataset::Dataset;
use poa_circuits::fingerprint::{fitting_scale_exp, quantize};
use poa_circuits::public::Context;
use poa_circuits::statement::{Epoch, Participant, Shape};
use poa_circuits::Fr;
use rand_chacha::rand_core::RngCore;

use crate::Error;
use data::{Kind, Row, KINDS};
use model::{Example, FeatureMap};

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

/// The trained scenario.
pub struct Scenario {
    /// Contributors in slot order.
    pub contributors: Vec<Contributor>,
    /// Held-out rows.
    pub validation: Vec<Row>,
    /// The feature map (fitted on all training rows).
    pub features: FeatureMap,
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

impl Scenario {
    /// Splits the wine data, trains on every contributor and derives the
    /// fingerprints. Deterministic in `seed`.
    pub fn build(seed: u64) -> Result<Self, Error> {
        let split = data::split(seed);
        let all: Vec<Row> = split.contributors.iter().flatten().cloned().collect();
        let features = FeatureMap::fit(&all.iter().map(|w| w.x.clone()).collect::<Vec<_>>());
        let dim = features.dim();
        let train = examples(&features, &all);
        let theta = model::train(&train, dim).ok_or_else(singular)?;
        let val = examples(&features, &split.validation);
        let validation_loss = model::log_loss(&theta, &val);
        let n_val = val.len() as f64;
        let direction: Vec<f64> = model::data_gradient(&theta, &val)
            .iter()
            .map(|g| -g / n_val)
            .collect();
        let h = model::Cholesky::new(&model::hessian(&theta, &train), dim).ok_or_else(singular)?;
        let mut r = data::rng(seed, 2);
        let mut contributors = Vec::new();
        for (kind, rows) in KINDS.iter().zip(split.contributors) {
            let g = model::data_gradient(&theta, &examples(&features, &rows));
            let influence = h.solve(&g).iter().map(|x| -x).collect();
            let records: Vec<String> = rows.iter().map(Row::csv).collect();
            let dataset_salt = salt(&mut r);
            let dataset = Dataset::new(&records)?.commitment(dataset_salt);
            contributors.push(Contributor {
                kind: kind.clone(),
                rows,
                dataset_salt,
                dataset,
                influence,
            });
        }
        let bad = || Error::Synthesis("the demo's fingerprints are all zero".into());
        let update_scale_exp =
            fitting_scale_exp(contributors.iter().flat_map(|c| &c.influence)).ok_or_else(bad)?;
        let validation_scale_exp = fitting_scale_exp(&direction).ok_or_else(bad)?;
        let mut updates = Vec::new();
        for c in &contributors {
            updates.push(quantize(&c.influence, update_scale_exp).ok_or_else(bad)?.0);
        }
        let validation_direction = quantize(&direction, validation_scale_exp)
            .ok_or_else(bad)?
            .0;
        let validation_salt = salt(&mut r);
        let update_salts = contributors.iter().map(|_| salt(&mut r)).collect();
        Ok(Scenario {
            contributors,
            validation: split.validation,
            features,
            theta,
            validation_loss,
            direction,
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

    /// Leave-one-out ground truth: for each contributor, the validation
    /// loss after retraining without them, minus the loss with everyone
    /// (positive: they helped). Retrainings run in parallel.
    pub fn leave_one_out(&self, progress: impl Fn() + Sync) -> Result<Vec<f64>, Error> {
        let dim = self.theta.len();
        let val = examples(&self.features, &self.validation);
        let one = |c: usize| -> Result<f64, Error> {
            let rest: Vec<Row> = self
                .contributors
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != c)
                .flat_map(|(_, k)| k.rows.iter().cloned())
                .collect();
            let theta = model::train(&examples(&self.features, &rest), dim).ok_or_else(singular)?;
            progress();
            Ok(model::log_loss(&theta, &val) - self.validation_loss)
        };
        poa_circuits::parallel::map(&(0..self.contributors.len()).collect::<Vec<_>>(), |&c| {
            one(c)
        })
        .into_iter()
        .collect()
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
