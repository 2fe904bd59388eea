//! Attribution quality that can fail (issue 19): graded contributors over
//! many seeds, three splits, ground truths and baselines.
//!
//! Each seed shuffles the wines into `V` (the validation direction and the
//! choice of λ, by loss only), `T` (held out from everything) and a pool
//! dealt to a roster of contributors with graded quality: label noise 0–50 %,
//! covariate shifts of 0–2 standard deviations, 0–3 duplicates and 10–200
//! rows. Against leave-one-out retraining measured on `V` (fidelity: what
//! the score approximates) and on `T` (value), the proven int16 score is
//! compared with baselines (random, a label-quality oracle, TracIn, TRAK-style
//! projections), Banzhaf values, the linear datamodeling score over random
//! half-subsets, exact Shapley values on a 12-contributor roster, and pool
//! shares under duplicate and Sybil attacks with and without a defence.

use std::collections::HashSet;
use std::fmt;

use poa_circuits::attribution::{score, split};
use rand_chacha::rand_core::RngCore;
use rand_chacha::ChaCha20Rng;
use serde::Serialize;

use super::data::{below, rng, three_way, Row};
use super::model::{Lambda, LAMBDA_GRID};
use super::stats::{normal, positive_shares, summarize, total_variation, Summary};
use super::{quantize_all, spearman, Fit, Loo};
use crate::Error;

/// What one contributor's data is like.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Profile {
    /// Rows (of the original, for a copy).
    pub rows: usize,
    /// Fraction of labels flipped.
    pub noise: f64,
    /// Covariate shift: every feature moved by this many standard
    /// deviations, in a direction of random signs.
    pub shift: f64,
    /// An exact copy of this (earlier) contributor's rows.
    pub copy_of: Option<usize>,
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(c) = self.copy_of {
            return write!(f, "copy of #{c}");
        }
        write!(
            f,
            "{} rows, noise {:.0}%, shift {}σ",
            self.rows,
            self.noise * 100.0,
            self.shift
        )
    }
}

/// Label-noise levels, cycled (three in eight contributors clean).
const NOISE: [f64; 8] = [0.0, 0.0, 0.0, 0.1, 0.2, 0.3, 0.4, 0.5];
/// Shift sizes in standard deviations, cycled with another period so that
/// noise and shift combine.
const SHIFT: [f64; 5] = [0.0, 0.5, 0.0, 1.0, 2.0];
/// Sizes of the first four contributors; the rest cycle through [`SMALL`].
/// The 959 pool rows of the wine data hold 50 contributors only if most are
/// small.
const BIG: [usize; 4] = [200, 100, 50, 30];
/// Sizes of the other contributors.
const SMALL: [usize; 4] = [10, 12, 15, 20];
/// The first contributor that is duplicated (three times; the next twice,
/// then once each).
const FIRST_DUPLICATED: usize = 3;

/// The graded roster of `n` contributors: `n / 7` of them copies (3, 2, 1,
/// 1, … copies of contributors 3, 4, 5, …), the others originals whose
/// noise, shift and size cycle through the grades above.
pub fn roster(n: usize) -> Result<Vec<Profile>, Error> {
    if n < 2 {
        return Err(Error::Experiment(format!(
            "{n} contributors: at least 2 are needed"
        )));
    }
    let dup = n / 7;
    let m = n - dup;
    let mut out: Vec<Profile> = (0..m)
        .map(|i| Profile {
            rows: if i < BIG.len() {
                BIG[i]
            } else {
                SMALL[(i - BIG.len()) % SMALL.len()]
            },
            noise: NOISE[(3 * i) % NOISE.len()],
            shift: SHIFT[i % SHIFT.len()],
            copy_of: None,
        })
        .collect();
    let (mut left, mut g) = (dup, 0);
    while left > 0 {
        let orig = FIRST_DUPLICATED + g;
        if orig >= m {
            return Err(Error::Experiment(format!(
                "{n} contributors: too few originals for {dup} copies"
            )));
        }
        let k = 3usize.saturating_sub(g).max(1).min(left);
        for _ in 0..k {
            out.push(Profile {
                copy_of: Some(orig),
                ..out[orig].clone()
            });
        }
        left -= k;
        g += 1;
    }
    Ok(out)
}

/// One seed's data: the contributors' rows, `V` and `T`.
#[derive(Clone, Debug)]
pub struct World {
    /// Rows per contributor, in slot order.
    pub parts: Vec<Vec<Row>>,
    /// `V`.
    pub validation: Vec<Row>,
    /// `T`.
    pub test: Vec<Row>,
    /// The fraction of each contributor's labels actually flipped.
    pub flipped: Vec<f64>,
    /// Each pool feature's standard deviation.
    pub std: Vec<f64>,
}

fn feature_std(rows: &[Row]) -> Vec<f64> {
    let d = rows.first().map_or(0, |r| r.x.len());
    let n = rows.len().max(1) as f64;
    (0..d)
        .map(|j| {
            let m = rows.iter().map(|r| r.x[j]).sum::<f64>() / n;
            (rows.iter().map(|r| (r.x[j] - m).powi(2)).sum::<f64>() / n).sqrt()
        })
        .collect()
}

fn coin(r: &mut ChaCha20Rng, p: f64) -> bool {
    (r.next_u64() as f64) < p * u64::MAX as f64
}

/// Deals the shuffled pool of `seed` to `roster` and degrades each
/// contributor's rows as its profile says (stream 3 of the seed).
pub fn world(seed: u64, roster: &[Profile]) -> Result<World, Error> {
    let (validation, test, pool, _) = three_way(seed);
    let need: usize = roster
        .iter()
        .filter(|p| p.copy_of.is_none())
        .map(|p| p.rows)
        .sum();
    if need > pool.len() {
        return Err(Error::Experiment(format!(
            "the roster needs {need} rows, the pool has {}",
            pool.len()
        )));
    }
    let std = feature_std(&pool);
    let mut r = rng(seed, 3);
    let mut next = pool.into_iter();
    let (mut parts, mut flipped): (Vec<Vec<Row>>, Vec<f64>) = (Vec::new(), Vec::new());
    for p in roster {
        if let Some(c) = p.copy_of {
            let (rows, f) = parts
                .get(c)
                .zip(flipped.get(c))
                .ok_or_else(|| Error::Experiment(format!("copy of a later contributor #{c}")))?;
            parts.push(rows.clone());
            flipped.push(*f);
            continue;
        }
        let signs: Vec<f64> = std
            .iter()
            .map(|_| if coin(&mut r, 0.5) { 1.0 } else { -1.0 })
            .collect();
        let mut flips = 0;
        let rows: Vec<Row> = next
            .by_ref()
            .take(p.rows)
            .map(|mut w| {
                if coin(&mut r, p.noise) {
                    w.good = !w.good;
                    flips += 1;
                }
                for ((x, s), sd) in w.x.iter_mut().zip(&signs).zip(&std) {
                    *x += p.shift * s * sd;
                }
                w
            })
            .collect();
        flipped.push(flips as f64 / rows.len().max(1) as f64);
        parts.push(rows);
    }
    Ok(World {
        parts,
        validation,
        test,
        flipped,
        std,
    })
}

/// The proven scores (int16 fingerprints and direction, SPEC §7) as floats.
pub fn proven_scores(influences: &[Vec<f64>], direction: &[f64]) -> Result<Vec<i64>, Error> {
    let (_, _, updates, v) = quantize_all(influences, direction)?;
    Ok(updates.iter().map(|u| score(u, &v)).collect())
}

fn floats(x: &[i64]) -> Vec<f64> {
    x.iter().map(|&a| a as f64).collect()
}

fn rho(x: &[f64], y: &[f64]) -> f64 {
    spearman(x, y).unwrap_or(f64::NAN)
}

/// Pool of the payout split: 10^18 (shares are exact to 10^-18).
const POOL: u128 = 1_000_000_000_000_000_000;

/// Each contributor's share of the pool under the statement's split.
pub fn pool_shares(scores: &[i64]) -> Vec<f64> {
    split(POOL, scores)
        .payouts
        .iter()
        .map(|&a| a as f64 / POOL as f64)
        .collect()
}

/// Fingerprint lengths of the TRAK-style projections.
pub const TRAK_K: [usize; 6] = [8, 16, 32, 64, 128, 256];

/// Projects the fingerprints and the direction with one Gaussian matrix of
/// `k` rows (entries `N(0, 1/k)`, Johnson–Lindenstrauss: dot products are
/// kept in expectation) and returns the proven scores of the projections.
fn trak(fit: &Fit, k: usize, r: &mut ChaCha20Rng) -> Result<Vec<i64>, Error> {
    let d = fit.direction.len();
    let scale = 1.0 / (k as f64).sqrt();
    let p: Vec<Vec<f64>> = (0..k)
        .map(|_| (0..d).map(|_| normal(r) * scale).collect())
        .collect();
    let proj = |x: &[f64]| -> Vec<f64> {
        p.iter()
            .map(|row| row.iter().zip(x).map(|(a, b)| a * b).sum())
            .collect()
    };
    let infl: Vec<Vec<f64>> = fit.influences.iter().map(|f| proj(f)).collect();
    proven_scores(&infl, &proj(&fit.direction))
}

/// `m` subsets of exactly `⌊n/2⌋` of `n` contributors, uniformly drawn.
fn half_subsets(n: usize, m: usize, r: &mut ChaCha20Rng) -> Vec<Vec<bool>> {
    (0..m)
        .map(|_| {
            let mut idx: Vec<usize> = (0..n).collect();
            for i in 0..n / 2 {
                let j = i + below(r, n - i);
                idx.swap(i, j);
            }
            let mut mask = vec![false; n];
            for &i in &idx[..n / 2] {
                mask[i] = true;
            }
            mask
        })
        .collect()
}

/// Losses on `V` and `T` after retraining on each subset, in parallel.
fn subset_losses(fit: &Fit, masks: &[Vec<bool>]) -> Result<Vec<(f64, f64)>, Error> {
    poa_circuits::parallel::map(masks, |m| fit.retrain(|c| m[c]))
        .into_iter()
        .collect()
}

/// The linear datamodeling score: Spearman's correlation over subsets
/// between the attribution's additive prediction `Σ_{c∈S} τ_c` and the
/// measured utility `−L(θ_S)`.
fn lds(tau: &[f64], masks: &[Vec<bool>], losses: &[f64]) -> f64 {
    let pred: Vec<f64> = masks
        .iter()
        .map(|m| tau.iter().zip(m).filter(|(_, &i)| i).map(|(t, _)| t).sum())
        .collect();
    let util: Vec<f64> = losses.iter().map(|l| -l).collect();
    rho(&pred, &util)
}

/// Banzhaf values by maximum sample reuse (Wang & Jia, 2023): the mean
/// utility `−L` of the sampled subsets with `c` minus that of those without.
fn banzhaf(n: usize, masks: &[Vec<bool>], losses: &[f64]) -> Vec<f64> {
    (0..n)
        .map(|c| {
            let (mut a, mut na, mut b, mut nb) = (0.0, 0usize, 0.0, 0usize);
            for (m, l) in masks.iter().zip(losses) {
                if m[c] {
                    a -= l;
                    na += 1;
                } else {
                    b -= l;
                    nb += 1;
                }
            }
            if na == 0 || nb == 0 {
                f64::NAN
            } else {
                a / na as f64 - b / nb as f64
            }
        })
        .collect()
}

/// One attribution method's agreement with the ground truths on one seed.
#[derive(Clone, Debug, Serialize)]
pub struct MethodSeed {
    /// Spearman's ρ with leave-one-out on `V`.
    pub loo_v: f64,
    /// Spearman's ρ with leave-one-out on `T`.
    pub loo_t: f64,
    /// LDS on `V`.
    pub lds_v: f64,
    /// LDS on `T`.
    pub lds_t: f64,
    /// ρ with the Banzhaf values on `V` (NaN for Banzhaf itself).
    pub banzhaf_v: f64,
}

/// The λ curve at one grid point on one seed.
#[derive(Clone, Debug, Serialize)]
pub struct CurvePoint {
    /// λ.
    pub lambda: f64,
    /// Loss on `V`.
    pub validation_loss: f64,
    /// Loss on `T`.
    pub test_loss: f64,
    /// ρ(score, LOO on V).
    pub fidelity: f64,
    /// ρ(score, LOO on T).
    pub value: f64,
    /// ρ(LOO on V, LOO on T).
    pub ceiling: f64,
}

/// The attacks of the duplicate experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attack {
    /// `k` more identities with the owner's exact rows.
    ExactCopies,
    /// `k` more identities with the owner's rows, each feature jittered by
    /// 1 % of its standard deviation (new records, same information).
    Jittered,
    /// The owner's rows dealt round-robin to `k + 1` identities.
    Split,
}

/// The attacks, in table order.
pub const ATTACKS: [Attack; 3] = [Attack::ExactCopies, Attack::Jittered, Attack::Split];

impl fmt::Display for Attack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Attack::ExactCopies => "exact copies",
            Attack::Jittered => "jittered copies",
            Attack::Split => "split across identities",
        })
    }
}

/// What the trainer does about duplicates before committing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Defence {
    /// Nothing.
    None,
    /// Drop every record (its SPEC §7 CSV bytes) already registered by an
    /// earlier slot, before training: a copy trains nothing and scores 0.
    /// A challenger can check it against the datasets' record Merkle roots.
    Dedup,
    /// [`Defence::Dedup`], then identities whose fingerprints point the same
    /// way (cosine ≥ [`GROUP_COSINE`]) share one group's value: each
    /// member's fingerprint is divided by the group's size.
    DedupAndGroup,
}

/// The defences, in table order.
pub const DEFENCES: [Defence; 3] = [Defence::None, Defence::Dedup, Defence::DedupAndGroup];

/// Cosine above which two fingerprints are one group. Copies of the same
/// rows give cosines above 0.999; distinct honest contributors of the
/// experiment stay well below (see `honest_grouped` in the report).
pub const GROUP_COSINE: f64 = 0.99;

impl fmt::Display for Defence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Defence::None => "none",
            Defence::Dedup => "record dedup",
            Defence::DedupAndGroup => "dedup + fingerprint groups",
        })
    }
}

/// Drops records seen in an earlier slot (or earlier in the same one).
pub fn dedup(parts: &[Vec<Row>]) -> Vec<Vec<Row>> {
    let mut seen = HashSet::new();
    parts
        .iter()
        .map(|p| p.iter().filter(|w| seen.insert(w.csv())).cloned().collect())
        .collect()
}

fn cosine(a: &[f64], b: &[f64]) -> f64 {
    let dot = |x: &[f64], y: &[f64]| x.iter().zip(y).map(|(p, q)| p * q).sum::<f64>();
    let n = (dot(a, a) * dot(b, b)).sqrt();
    if n > 0.0 {
        dot(a, b) / n
    } else {
        0.0
    }
}

/// Groups of fingerprints with cosine ≥ [`GROUP_COSINE`] (single linkage):
/// each contributor's group size.
pub fn group_sizes(influences: &[Vec<f64>]) -> Vec<usize> {
    let n = influences.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for a in 0..n {
        for b in a + 1..n {
            if cosine(&influences[a], &influences[b]) >= GROUP_COSINE {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                parent[ra] = rb;
            }
        }
    }
    let roots: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
    roots
        .iter()
        .map(|r| roots.iter().filter(|x| *x == r).count())
        .collect()
}

/// The owner of the duplicate experiment: contributor 2 of the roster
/// (50 rows), made clean.
pub const OWNER: usize = 2;

/// The owner's identities and every slot's rows under `attack` with `k`
/// extra identities, from the originals of `base`.
pub fn attacked(base: &World, attack: Attack, k: usize, seed: u64) -> (Vec<Vec<Row>>, Vec<usize>) {
    let mut parts = base.parts.clone();
    let own = parts[OWNER].clone();
    let mut ids = vec![OWNER];
    let mut r = rng(seed, 6);
    match attack {
        Attack::ExactCopies => {
            for _ in 0..k {
                ids.push(parts.len());
                parts.push(own.clone());
            }
        }
        Attack::Jittered => {
            for _ in 0..k {
                ids.push(parts.len());
                let rows = own
                    .iter()
                    .map(|w| {
                        let mut w = w.clone();
                        for (x, sd) in w.x.iter_mut().zip(&base.std) {
                            *x += 0.01 * sd * normal(&mut r);
                        }
                        w
                    })
                    .collect();
                parts.push(rows);
            }
        }
        Attack::Split => {
            let mut pieces = vec![Vec::new(); k + 1];
            for (i, w) in own.into_iter().enumerate() {
                pieces[i % (k + 1)].push(w);
            }
            let mut pieces = pieces.into_iter();
            parts[OWNER] = pieces.next().unwrap_or_default();
            for p in pieces {
                ids.push(parts.len());
                parts.push(p);
            }
        }
    }
    (parts, ids)
}

/// The owner's total pool share, and how many honest (non-owner)
/// contributors the grouping put in a group of two or more.
fn owner_share(
    parts: &[Vec<Row>],
    ids: &[usize],
    base: &World,
    lambda: f64,
    defence: Defence,
) -> Result<(f64, usize), Error> {
    let parts = match defence {
        Defence::None => parts.to_vec(),
        _ => dedup(parts),
    };
    let fit = Fit::new(&parts, &base.validation, &base.test, Lambda::Fixed(lambda))?;
    let mut influences = fit.influences.clone();
    let mut honest_grouped = 0;
    if defence == Defence::DedupAndGroup {
        let sizes = group_sizes(&influences);
        for (c, (f, &s)) in influences.iter_mut().zip(&sizes).enumerate() {
            f.iter_mut().for_each(|x| *x /= s as f64);
            honest_grouped += usize::from(s > 1 && !ids.contains(&c));
        }
    }
    let shares = pool_shares(&proven_scores(&influences, &fit.direction)?);
    Ok((ids.iter().map(|&c| shares[c]).sum(), honest_grouped))
}

/// One point of the duplicate experiment on one seed.
#[derive(Clone, Debug, Serialize)]
pub struct SybilPoint {
    /// The attack.
    pub attack: Attack,
    /// The defence.
    pub defence: Defence,
    /// Extra identities.
    pub k: usize,
    /// The owner's total share of the pool.
    pub share: f64,
    /// Honest contributors grouped by fingerprint (false positives).
    pub honest_grouped: usize,
}

/// What the experiment runs.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Seeds `first_seed ..` of the main experiment.
    pub seeds: usize,
    /// The first seed.
    pub first_seed: u64,
    /// Contributors of the main experiment.
    pub contributors: usize,
    /// Random half-subsets for the LDS.
    pub lds_subsets: usize,
    /// Random subsets (each contributor in with probability ½) for Banzhaf.
    pub banzhaf_samples: usize,
    /// Seeds (the first ones) that also get the λ curve.
    pub curve_seeds: usize,
    /// Seeds that also get the duplicate experiment.
    pub sybil_seeds: usize,
    /// Extra identities of the duplicate experiment: 0 ..= this.
    pub sybil_max: usize,
    /// Seeds of the exact-Shapley experiment.
    pub shapley_seeds: usize,
    /// Contributors of the exact-Shapley experiment (2^n retrainings).
    pub shapley_contributors: usize,
    /// How λ is chosen (by validation loss).
    pub lambda: Lambda,
}

/// Method names, in table order: the proven score, then the baselines.
pub fn method_names() -> Vec<String> {
    let mut v: Vec<String> = ["score", "random", "label oracle", "TracIn", "Banzhaf (MSR)"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    v.extend(TRAK_K.iter().map(|k| format!("TRAK k={k}")));
    v.push("LOO on V".into());
    v
}

/// Everything measured on one seed of the main experiment.
#[derive(Clone, Debug, Serialize)]
pub struct SeedResult {
    /// The seed.
    pub seed: u64,
    /// λ chosen by validation loss.
    pub lambda: f64,
    /// Loss on `V` and on `T` at that λ.
    pub validation_loss: f64,
    /// Loss on `T`.
    pub test_loss: f64,
    /// The proven scores.
    pub scores: Vec<i64>,
    /// Leave-one-out gains on `V`.
    pub loo_v: Vec<f64>,
    /// Leave-one-out gains on `T`.
    pub loo_t: Vec<f64>,
    /// ρ(LOO on V, LOO on T): the ceiling of any approximation of LOO on V.
    pub ceiling: f64,
    /// Each method of [`method_names`], in order.
    pub methods: Vec<MethodSeed>,
    /// Total variation between the proven pool shares and shares
    /// proportional to positive LOO gains on `V`.
    pub tv_v: f64,
    /// The same against LOO on `T`.
    pub tv_t: f64,
    /// The λ curve (the first `curve_seeds` seeds).
    pub curve: Vec<CurvePoint>,
    /// The duplicate experiment (the first `sybil_seeds` seeds).
    pub sybil: Vec<SybilPoint>,
}

fn curve(world: &World) -> Result<Vec<CurvePoint>, Error> {
    let mut out = Vec::new();
    for &lambda in &LAMBDA_GRID {
        let fit = Fit::new(
            &world.parts,
            &world.validation,
            &world.test,
            Lambda::Fixed(lambda),
        )?;
        let s = floats(&proven_scores(&fit.influences, &fit.direction)?);
        let loo = fit.leave_one_out(|| {})?;
        out.push(CurvePoint {
            lambda,
            validation_loss: fit.validation_loss,
            test_loss: fit.test_loss,
            fidelity: rho(&s, &loo.validation),
            value: rho(&s, &loo.test),
            ceiling: rho(&loo.validation, &loo.test),
        });
    }
    Ok(out)
}

fn sybil(seed: u64, n: usize, max: usize, rule: Lambda) -> Result<Vec<SybilPoint>, Error> {
    let mut profiles: Vec<Profile> = roster(n)?
        .into_iter()
        .filter(|p| p.copy_of.is_none())
        .collect();
    let owner = profiles
        .get_mut(OWNER)
        .ok_or_else(|| Error::Experiment("too few contributors for the owner".into()))?;
    owner.noise = 0.0;
    owner.shift = 0.0;
    let base = world(seed, &profiles)?;
    let lambda = Fit::new(&base.parts, &base.validation, &base.test, rule)?.lambda;
    let mut out = Vec::new();
    for attack in ATTACKS {
        for k in 0..=max {
            let (parts, ids) = attacked(&base, attack, k, seed);
            for defence in DEFENCES {
                let (share, honest_grouped) = owner_share(&parts, &ids, &base, lambda, defence)?;
                out.push(SybilPoint {
                    attack,
                    defence,
                    k,
                    share,
                    honest_grouped,
                });
            }
        }
    }
    Ok(out)
}

/// Runs the main experiment on one seed (`index` among the seeds decides
/// whether the λ curve and the duplicate experiment run too).
pub fn run_seed(cfg: &Config, index: usize) -> Result<SeedResult, Error> {
    let seed = cfg.first_seed + index as u64;
    let profiles = roster(cfg.contributors)?;
    let w = world(seed, &profiles)?;
    let n = w.parts.len();
    let fit = Fit::new(&w.parts, &w.validation, &w.test, cfg.lambda)?;
    let scores = proven_scores(&fit.influences, &fit.direction)?;
    let loo = fit.leave_one_out(|| {})?;

    let mut r = rng(seed, 4);
    let random: Vec<f64> = (0..n).map(|_| normal(&mut r)).collect();
    let oracle: Vec<f64> = w
        .parts
        .iter()
        .zip(&w.flipped)
        .map(|(p, f)| p.len() as f64 * (1.0 - 2.0 * f))
        .collect();
    let tracin: Vec<f64> = fit
        .gradients
        .iter()
        .map(|g| {
            -g.iter()
                .zip(&fit.direction)
                .map(|(a, b)| a * b)
                .sum::<f64>()
        })
        .collect();
    let mut r = rng(seed, 5);
    let halves = half_subsets(n, cfg.lds_subsets, &mut r);
    let half_losses = subset_losses(&fit, &halves)?;
    let coins: Vec<Vec<bool>> = (0..cfg.banzhaf_samples)
        .map(|_| (0..n).map(|_| coin(&mut r, 0.5)).collect())
        .collect();
    let coin_losses = subset_losses(&fit, &coins)?;
    let (bv, bt): (Vec<f64>, Vec<f64>) = coin_losses.iter().copied().unzip();
    let banzhaf_v = banzhaf(n, &coins, &bv);
    let _ = bt;

    let mut taus = vec![floats(&scores), random, oracle, tracin, banzhaf_v.clone()];
    let mut r = rng(seed, 7);
    for k in TRAK_K {
        taus.push(floats(&trak(&fit, k, &mut r)?));
    }
    taus.push(loo.validation.clone());
    let (hv, ht): (Vec<f64>, Vec<f64>) = half_losses.iter().copied().unzip();
    let methods = taus
        .iter()
        .enumerate()
        .map(|(i, tau)| MethodSeed {
            loo_v: rho(tau, &loo.validation),
            loo_t: rho(tau, &loo.test),
            lds_v: lds(tau, &halves, &hv),
            lds_t: lds(tau, &halves, &ht),
            banzhaf_v: if i == 4 {
                f64::NAN
            } else {
                rho(tau, &banzhaf_v)
            },
        })
        .collect();

    let shares = pool_shares(&scores);
    let Loo {
        validation: loo_v,
        test: loo_t,
    } = loo;
    Ok(SeedResult {
        seed,
        lambda: fit.lambda,
        validation_loss: fit.validation_loss,
        test_loss: fit.test_loss,
        ceiling: rho(&loo_v, &loo_t),
        tv_v: total_variation(&shares, &positive_shares(&loo_v)),
        tv_t: total_variation(&shares, &positive_shares(&loo_t)),
        scores,
        loo_v,
        loo_t,
        methods,
        curve: if index < cfg.curve_seeds {
            curve(&w)?
        } else {
            Vec::new()
        },
        sybil: if index < cfg.sybil_seeds {
            sybil(seed, cfg.contributors, cfg.sybil_max, cfg.lambda)?
        } else {
            Vec::new()
        },
    })
}

/// Exact Shapley values of the utility `−L` on `V` and on `T` over all
/// `2^n` subsets (weights `|S|! (n−|S|−1)! / n!`).
pub fn exact_shapley(fit: &Fit) -> Result<(Vec<f64>, Vec<f64>), Error> {
    let n = fit.len();
    if n > 20 {
        return Err(Error::Experiment(format!(
            "exact Shapley over {n} contributors needs 2^{n} retrainings"
        )));
    }
    let masks: Vec<u32> = (0..1u32 << n).collect();
    let losses: Vec<(f64, f64)> =
        poa_circuits::parallel::map(&masks, |&m| fit.retrain(|c| m >> c & 1 == 1))
            .into_iter()
            .collect::<Result<_, _>>()?;
    let mut fact = vec![1.0f64; n + 1];
    for i in 1..=n {
        fact[i] = fact[i - 1] * i as f64;
    }
    let (mut sv, mut st) = (vec![0.0; n], vec![0.0; n]);
    for &m in &masks {
        let size = m.count_ones() as usize;
        for c in 0..n {
            if m >> c & 1 == 1 {
                continue;
            }
            let w = fact[size] * fact[n - size - 1] / fact[n];
            let with = losses[(m | 1 << c) as usize];
            let without = losses[m as usize];
            sv[c] += w * (without.0 - with.0);
            st[c] += w * (without.1 - with.1);
        }
    }
    Ok((sv, st))
}

/// One seed of the exact-Shapley experiment: ρ of each of score, LOO on V
/// and TracIn with the Shapley values on `V` and on `T`.
#[derive(Clone, Debug, Serialize)]
pub struct ShapleySeed {
    /// The seed.
    pub seed: u64,
    /// ρ(score, Shapley on V).
    pub score_v: f64,
    /// ρ(score, Shapley on T).
    pub score_t: f64,
    /// ρ(LOO on V, Shapley on V).
    pub loo_v: f64,
    /// ρ(TracIn, Shapley on V).
    pub tracin_v: f64,
    /// ρ(score, LOO on V) on this small roster.
    pub fidelity: f64,
}

/// Runs the exact-Shapley experiment on one seed.
pub fn shapley_seed(cfg: &Config, index: usize) -> Result<ShapleySeed, Error> {
    let seed = cfg.first_seed + index as u64;
    let w = world(seed, &roster(cfg.shapley_contributors)?)?;
    let fit = Fit::new(&w.parts, &w.validation, &w.test, cfg.lambda)?;
    let s = floats(&proven_scores(&fit.influences, &fit.direction)?);
    let (sv, st) = exact_shapley(&fit)?;
    let loo = fit.leave_one_out(|| {})?;
    let tracin: Vec<f64> = fit
        .gradients
        .iter()
        .map(|g| {
            -g.iter()
                .zip(&fit.direction)
                .map(|(a, b)| a * b)
                .sum::<f64>()
        })
        .collect();
    Ok(ShapleySeed {
        seed,
        score_v: rho(&s, &sv),
        score_t: rho(&s, &st),
        loo_v: rho(&loo.validation, &sv),
        tracin_v: rho(&tracin, &sv),
        fidelity: rho(&s, &loo.validation),
    })
}

/// A named summary over seeds.
#[derive(Clone, Debug, Serialize)]
pub struct Line {
    /// What is measured.
    pub name: String,
    /// Median and 5th percentile with intervals; `None` if never defined.
    pub summary: Option<Summary>,
}

/// One method's summaries.
#[derive(Clone, Debug, Serialize)]
pub struct MethodSummary {
    /// The method.
    pub name: String,
    /// ρ with LOO on `V`.
    pub loo_v: Option<Summary>,
    /// ρ with LOO on `T`.
    pub loo_t: Option<Summary>,
    /// LDS on `V`.
    pub lds_v: Option<Summary>,
    /// LDS on `T`.
    pub lds_t: Option<Summary>,
    /// ρ with Banzhaf on `V`.
    pub banzhaf_v: Option<Summary>,
}

/// A goal of issue 19 and what was measured.
#[derive(Clone, Debug, Serialize)]
pub struct Goal {
    /// The goal.
    pub goal: String,
    /// The measured figure, in words.
    pub measured: String,
    /// Whether it is met.
    pub met: bool,
}

/// The median over seeds of each λ's curve point.
#[derive(Clone, Debug, Serialize)]
pub struct CurveMedian {
    /// λ.
    pub lambda: f64,
    /// Median loss on `V`.
    pub validation_loss: f64,
    /// Median loss on `T`.
    pub test_loss: f64,
    /// Median fidelity.
    pub fidelity: f64,
    /// Median value.
    pub value: f64,
    /// Median ceiling.
    pub ceiling: f64,
}

/// Pool share of the owner per attack, defence and `k`, over seeds.
#[derive(Clone, Debug, Serialize)]
pub struct SybilSummary {
    /// The attack.
    pub attack: Attack,
    /// The defence.
    pub defence: Defence,
    /// Extra identities.
    pub k: usize,
    /// Median share.
    pub median: f64,
    /// Largest share over seeds.
    pub max: f64,
    /// Largest rise over `k = 0` on one seed.
    pub max_gain: f64,
    /// Honest contributors grouped, summed over seeds.
    pub honest_grouped: usize,
}

/// The whole experiment's result.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// What ran.
    pub config: Config,
    /// The main roster, in words.
    pub roster: Vec<String>,
    /// The main roster.
    pub profiles: Vec<Profile>,
    /// Headline summaries.
    pub lines: Vec<Line>,
    /// Each method against each ground truth.
    pub methods: Vec<MethodSummary>,
    /// The exact-Shapley experiment's summaries.
    pub shapley: Vec<Line>,
    /// The λ curve (medians over the curve seeds).
    pub curve: Vec<CurveMedian>,
    /// The duplicate experiment.
    pub sybil: Vec<SybilSummary>,
    /// The goals against the measurements.
    pub goals: Vec<Goal>,
    /// Per-seed results of the main experiment.
    pub seeds: Vec<SeedResult>,
    /// Per-seed results of the exact-Shapley experiment.
    pub shapley_seeds: Vec<ShapleySeed>,
}

fn median(x: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = x.collect();
    super::stats::quantile(&v, 0.5).unwrap_or(f64::NAN)
}

/// Runs everything `cfg` asks, seeds in parallel; `progress` is called
/// after each seed with a word on what finished.
pub fn run(cfg: &Config, progress: impl Fn(&str) + Sync) -> Result<Report, Error> {
    if cfg.seeds == 0 {
        return Err(Error::Experiment("no seeds".into()));
    }
    let profiles = roster(cfg.contributors)?;
    let idx: Vec<usize> = (0..cfg.seeds).collect();
    let seeds: Vec<SeedResult> = poa_circuits::parallel::map(&idx, |&i| {
        let r = run_seed(cfg, i);
        progress("seed");
        r
    })
    .into_iter()
    .collect::<Result<_, _>>()?;
    let sidx: Vec<usize> = (0..cfg.shapley_seeds).collect();
    let shapley_seeds: Vec<ShapleySeed> = poa_circuits::parallel::map(&sidx, |&i| {
        let r = shapley_seed(cfg, i);
        progress("shapley");
        r
    })
    .into_iter()
    .collect::<Result<_, _>>()?;

    let mut r = rng(cfg.first_seed, 8);
    let mut line = |name: &str, x: Vec<f64>| Line {
        name: name.into(),
        summary: summarize(&x, &mut r),
    };
    let col = |f: &dyn Fn(&SeedResult) -> f64| -> Vec<f64> { seeds.iter().map(f).collect() };
    let lines = vec![
        line("fidelity ρ(score, LOO on V)", col(&|s| s.methods[0].loo_v)),
        line("value ρ(score, LOO on T)", col(&|s| s.methods[0].loo_t)),
        line("ceiling ρ(LOO on V, LOO on T)", col(&|s| s.ceiling)),
        line("ceiling − value", col(&|s| s.ceiling - s.methods[0].loo_t)),
        line("LDS on V (score)", col(&|s| s.methods[0].lds_v)),
        line("LDS on T (score)", col(&|s| s.methods[0].lds_t)),
        line("ρ(score, Banzhaf on V)", col(&|s| s.methods[0].banzhaf_v)),
        line("TV(payout shares, LOO-on-V shares)", col(&|s| s.tv_v)),
        line("TV(payout shares, LOO-on-T shares)", col(&|s| s.tv_t)),
        line("λ chosen by loss on V", col(&|s| s.lambda)),
        line("loss on V", col(&|s| s.validation_loss)),
        line("loss on T", col(&|s| s.test_loss)),
    ];
    let methods = method_names()
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let m = |f: &dyn Fn(&MethodSeed) -> f64| -> Vec<f64> {
                seeds.iter().map(|s| f(&s.methods[i])).collect()
            };
            MethodSummary {
                name,
                loo_v: summarize(&m(&|x| x.loo_v), &mut r),
                loo_t: summarize(&m(&|x| x.loo_t), &mut r),
                lds_v: summarize(&m(&|x| x.lds_v), &mut r),
                lds_t: summarize(&m(&|x| x.lds_t), &mut r),
                banzhaf_v: summarize(&m(&|x| x.banzhaf_v), &mut r),
            }
        })
        .collect();
    let mut line = |name: &str, x: Vec<f64>| Line {
        name: name.into(),
        summary: summarize(&x, &mut r),
    };
    let scol =
        |f: &dyn Fn(&ShapleySeed) -> f64| -> Vec<f64> { shapley_seeds.iter().map(f).collect() };
    let shapley = vec![
        line("ρ(score, Shapley on V)", scol(&|s| s.score_v)),
        line("ρ(score, Shapley on T)", scol(&|s| s.score_t)),
        line("ρ(LOO on V, Shapley on V)", scol(&|s| s.loo_v)),
        line("ρ(TracIn, Shapley on V)", scol(&|s| s.tracin_v)),
        line("fidelity ρ(score, LOO on V)", scol(&|s| s.fidelity)),
    ];

    let curve_runs: Vec<&Vec<CurvePoint>> = seeds
        .iter()
        .map(|s| &s.curve)
        .filter(|c| !c.is_empty())
        .collect();
    let curve = (0..LAMBDA_GRID.len())
        .filter(|_| !curve_runs.is_empty())
        .map(|i| CurveMedian {
            lambda: LAMBDA_GRID[i],
            validation_loss: median(curve_runs.iter().map(|c| c[i].validation_loss)),
            test_loss: median(curve_runs.iter().map(|c| c[i].test_loss)),
            fidelity: median(curve_runs.iter().map(|c| c[i].fidelity)),
            value: median(curve_runs.iter().map(|c| c[i].value)),
            ceiling: median(curve_runs.iter().map(|c| c[i].ceiling)),
        })
        .collect();

    let mut sybil = Vec::new();
    let runs: Vec<&Vec<SybilPoint>> = seeds
        .iter()
        .map(|s| &s.sybil)
        .filter(|c| !c.is_empty())
        .collect();
    for attack in ATTACKS {
        for defence in DEFENCES {
            for k in 0..=cfg.sybil_max {
                let pick = |run: &Vec<SybilPoint>, k: usize| {
                    run.iter()
                        .find(|p| p.attack == attack && p.defence == defence && p.k == k)
                        .map(|p| (p.share, p.honest_grouped))
                };
                let pts: Vec<(f64, f64, usize)> = runs
                    .iter()
                    .filter_map(|run| {
                        let (s, g) = pick(run, k)?;
                        Some((s, s - pick(run, 0)?.0, g))
                    })
                    .collect();
                if pts.is_empty() {
                    continue;
                }
                sybil.push(SybilSummary {
                    attack,
                    defence,
                    k,
                    median: median(pts.iter().map(|p| p.0)),
                    max: pts.iter().map(|p| p.0).fold(f64::MIN, f64::max),
                    max_gain: pts.iter().map(|p| p.1).fold(f64::MIN, f64::max),
                    honest_grouped: pts.iter().map(|p| p.2).sum(),
                });
            }
        }
    }

    let goals = goals(&lines, &shapley, &sybil, cfg);
    Ok(Report {
        config: cfg.clone(),
        roster: profiles.iter().map(Profile::to_string).collect(),
        profiles,
        lines,
        methods,
        shapley,
        curve,
        sybil,
        goals,
        seeds,
        shapley_seeds,
    })
}

/// Share rises below this count as none: the split's flooring moves shares
/// by at most n wei in 10^18.
const SHARE_TOLERANCE: f64 = 1e-12;

fn goals(lines: &[Line], shapley: &[Line], sybil: &[SybilSummary], cfg: &Config) -> Vec<Goal> {
    let med = |ls: &[Line], i: usize| {
        ls.get(i)
            .and_then(|l| l.summary.as_ref())
            .map_or(f64::NAN, |s| s.median.value)
    };
    let mut g = vec![
        Goal {
            goal: format!(
                "median ρ(score, LOO on V) ≥ 0.95, n = {}, λ by loss",
                cfg.contributors
            ),
            measured: format!("{:.3}", med(lines, 0)),
            met: med(lines, 0) >= 0.95,
        },
        Goal {
            goal: "score vs LOO on T within 0.05 of the ceiling (median)".into(),
            measured: format!("ceiling − value = {:.3}", med(lines, 3)),
            met: med(lines, 3) <= 0.05,
        },
        Goal {
            goal: "LDS ≥ 0.9 (median, on T)".into(),
            measured: format!("{:.3} (on V {:.3})", med(lines, 5), med(lines, 4)),
            met: med(lines, 5) >= 0.9,
        },
        Goal {
            goal: format!(
                "ρ(score, Shapley) ≥ 0.9 (median, n = {}, on V)",
                cfg.shapley_contributors
            ),
            measured: format!("{:.3} (on T {:.3})", med(shapley, 0), med(shapley, 1)),
            met: med(shapley, 0) >= 0.9,
        },
        Goal {
            goal: "TV(payout shares, LOO-proportional shares) ≤ 0.05 (median, on V)".into(),
            measured: format!("{:.3} (on T {:.3})", med(lines, 7), med(lines, 8)),
            met: med(lines, 7) <= 0.05,
        },
    ];
    for defence in DEFENCES {
        for attack in ATTACKS {
            let worst = sybil
                .iter()
                .filter(|s| s.attack == attack && s.defence == defence)
                .map(|s| s.max_gain)
                .fold(f64::NAN, f64::max);
            if worst.is_nan() {
                continue;
            }
            g.push(Goal {
                goal: format!(
                    "a duplicate cannot raise its owner's share: {attack}, defence {defence}"
                ),
                measured: format!("largest rise {:+.2} points", worst * 100.0),
                met: worst <= SHARE_TOLERANCE,
            });
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lds_and_banzhaf_recover_an_additive_utility() {
        let tau = [3.0, -1.0, 0.5, 2.0, -2.0, 1.0];
        let mut r = rng(9, 0);
        let masks = half_subsets(6, 40, &mut r);
        assert!(masks.iter().all(|m| m.iter().filter(|&&b| b).count() == 3));
        // A loss that falls by τ_c when c is in: utility −L is additive.
        let losses: Vec<f64> = masks
            .iter()
            .map(|m| {
                10.0 - tau
                    .iter()
                    .zip(m)
                    .filter(|(_, &b)| b)
                    .map(|(t, _)| t)
                    .sum::<f64>()
            })
            .collect();
        assert!((lds(&tau, &masks, &losses) - 1.0).abs() < 1e-12);
        let neg: Vec<f64> = tau.iter().map(|t| -t).collect();
        assert!((lds(&neg, &masks, &losses) + 1.0).abs() < 1e-12);
        let coins: Vec<Vec<bool>> = (0..400)
            .map(|_| (0..6).map(|_| coin(&mut r, 0.5)).collect())
            .collect();
        let losses: Vec<f64> = coins
            .iter()
            .map(|m| {
                10.0 - tau
                    .iter()
                    .zip(m)
                    .filter(|(_, &b)| b)
                    .map(|(t, _)| t)
                    .sum::<f64>()
            })
            .collect();
        let b = banzhaf(6, &coins, &losses);
        assert!((spearman(&b, &tau).unwrap() - 1.0).abs() < 1e-12, "{b:?}");
    }

    #[test]
    fn groups_join_parallel_fingerprints_only() {
        let f = vec![
            vec![1.0, 2.0, 3.0],
            vec![2.0, 4.0, 6.1],
            vec![3.0, -1.0, 0.0],
            vec![0.0, 0.0, 1.0],
        ];
        assert_eq!(group_sizes(&f), vec![2, 2, 1, 1]);
        let rows = |v: f64| {
            vec![Row {
                x: vec![v],
                good: true,
            }]
        };
        let parts = vec![rows(1.0), rows(1.0), rows(1.0 + 1e-9)];
        let d = dedup(&parts);
        assert_eq!(d.iter().map(Vec::len).collect::<Vec<_>>(), vec![1, 0, 1]);
    }
}
