//! Logistic regression with a quadratic feature map, trained by Newton's
//! method (exact to convergence, so leave-one-out retraining is
//! deterministic), and the influence of each contributor's rows on the
//! parameters: `Δθ_c = −H⁻¹ g_c` (Koh & Liang, 2017), the first-order change
//! removing contributor `c` would undo.

/// Standardised features, then `[1, z_i, z_i z_j (i ≤ j)]`.
#[derive(Clone, Debug)]
pub struct FeatureMap {
    mean: Vec<f64>,
    std: Vec<f64>,
}

impl FeatureMap {
    /// Standardisation fitted on `rows`.
    pub fn fit(rows: &[Vec<f64>]) -> Self {
        let d = rows.first().map_or(0, Vec::len);
        let n = rows.len().max(1) as f64;
        let mut mean = vec![0.0; d];
        for r in rows {
            for (m, x) in mean.iter_mut().zip(r) {
                *m += x / n;
            }
        }
        let mut std = vec![0.0; d];
        for r in rows {
            for ((s, x), m) in std.iter_mut().zip(r).zip(&mean) {
                *s += (x - m) * (x - m) / n;
            }
        }
        for s in &mut std {
            *s = if *s > 0.0 { s.sqrt() } else { 1.0 };
        }
        FeatureMap { mean, std }
    }

    /// The standardised value of feature `i`.
    pub fn z(&self, i: usize, x: f64) -> f64 {
        (x - self.mean[i]) / self.std[i]
    }

    /// The inverse of [`Self::z`].
    pub fn unz(&self, i: usize, z: f64) -> f64 {
        z * self.std[i] + self.mean[i]
    }

    /// The number of model parameters.
    pub fn dim(&self) -> usize {
        let d = self.mean.len();
        1 + d + d * (d + 1) / 2
    }

    /// `φ(x)`.
    pub fn map(&self, x: &[f64]) -> Vec<f64> {
        let z: Vec<f64> = x.iter().enumerate().map(|(i, &v)| self.z(i, v)).collect();
        let mut out = Vec::with_capacity(self.dim());
        out.push(1.0);
        out.extend_from_slice(&z);
        for i in 0..z.len() {
            for j in i..z.len() {
                out.push(z[i] * z[j]);
            }
        }
        out
    }
}

/// One labelled example, already mapped.
#[derive(Clone, Debug)]
pub struct Example {
    /// `φ(x)`.
    pub phi: Vec<f64>,
    /// 0 or 1.
    pub y: f64,
}

fn sigmoid(t: f64) -> f64 {
    if t >= 0.0 {
        1.0 / (1.0 + (-t).exp())
    } else {
        let e = t.exp();
        e / (1.0 + e)
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// L2 weight of the training objective `Σ ℓ_i(θ) + λ/2 ‖θ‖²`. Chosen with
/// `cargo run --release -p poa-prover --example quality`: at seed 1,
/// λ = 10, 30, 100 gave Spearman 0.58, 0.90, 0.96 (the 78-parameter model
/// overfits 1,200 rows at small λ, and then any data helps).
pub const LAMBDA: f64 = 100.0;

/// Mean log loss.
pub fn log_loss(theta: &[f64], data: &[Example]) -> f64 {
    let mut total = 0.0;
    for e in data {
        let t = dot(theta, &e.phi);
        // log(1 + e^t) − y t, stable for large |t|.
        total += t.max(0.0) + (-t.abs()).exp().ln_1p() - e.y * t;
    }
    total / data.len().max(1) as f64
}

/// `Σ (p_i − y_i) φ_i`: the data part of the objective's gradient.
pub fn data_gradient(theta: &[f64], data: &[Example]) -> Vec<f64> {
    let mut g = vec![0.0; theta.len()];
    for e in data {
        let r = sigmoid(dot(theta, &e.phi)) - e.y;
        for (gi, p) in g.iter_mut().zip(&e.phi) {
            *gi += r * p;
        }
    }
    g
}

/// The objective's Hessian `Σ p(1−p) φ φᵀ + λ I`, row-major.
pub fn hessian(theta: &[f64], data: &[Example]) -> Vec<f64> {
    let d = theta.len();
    let mut h = vec![0.0; d * d];
    for e in data {
        let p = sigmoid(dot(theta, &e.phi));
        let w = p * (1.0 - p);
        for i in 0..d {
            let wi = w * e.phi[i];
            for j in 0..=i {
                h[i * d + j] += wi * e.phi[j];
            }
        }
    }
    for i in 0..d {
        for j in 0..i {
            h[j * d + i] = h[i * d + j];
        }
        h[i * d + i] += LAMBDA;
    }
    h
}

/// Cholesky factor of a symmetric positive-definite matrix (λ > 0 makes
/// the Hessian one), lower-triangular, row-major.
pub struct Cholesky {
    d: usize,
    l: Vec<f64>,
}

impl Cholesky {
    /// Factors `a`; `None` if it is not positive definite.
    pub fn new(a: &[f64], d: usize) -> Option<Self> {
        let mut l = vec![0.0; d * d];
        for i in 0..d {
            for j in 0..=i {
                let s = a[i * d + j] - dot(&l[i * d..i * d + j], &l[j * d..j * d + j]);
                if i == j {
                    if s <= 0.0 {
                        return None;
                    }
                    l[i * d + i] = s.sqrt();
                } else {
                    l[i * d + j] = s / l[j * d + j];
                }
            }
        }
        Some(Cholesky { d, l })
    }

    /// `A⁻¹ b`.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let (d, l) = (self.d, &self.l);
        let mut y = vec![0.0; d];
        for i in 0..d {
            y[i] = (b[i] - dot(&l[i * d..i * d + i], &y[..i])) / l[i * d + i];
        }
        let mut x = vec![0.0; d];
        for i in (0..d).rev() {
            let mut s = y[i];
            for k in i + 1..d {
                s -= l[k * d + i] * x[k];
            }
            x[i] = s / l[i * d + i];
        }
        x
    }
}

/// Trains to convergence; `None` if a Newton system is singular (it cannot
/// be for λ > 0 and finite data).
pub fn train(data: &[Example], dim: usize) -> Option<Vec<f64>> {
    let mut theta = vec![0.0; dim];
    for _ in 0..100 {
        let mut g = data_gradient(&theta, data);
        for (gi, t) in g.iter_mut().zip(&theta) {
            *gi += LAMBDA * t;
        }
        let step = Cholesky::new(&hessian(&theta, data), dim)?.solve(&g);
        for (t, s) in theta.iter_mut().zip(&step) {
            *t -= s;
        }
        if dot(&step, &step).sqrt() < 1e-10 * (1.0 + dot(&theta, &theta).sqrt()) {
            return Some(theta);
        }
    }
    Some(theta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newton_reaches_a_stationary_point() {
        let data: Vec<Example> = (0..200)
            .map(|i| {
                let x = (i as f64 / 20.0).sin() * 3.0;
                Example {
                    phi: vec![1.0, x],
                    y: f64::from(u8::from((i * 7919) % 13 < 4 + (x > 0.0) as usize * 6)),
                }
            })
            .collect();
        let theta = train(&data, 2).unwrap();
        let mut g = data_gradient(&theta, &data);
        for (gi, t) in g.iter_mut().zip(&theta) {
            *gi += LAMBDA * t;
        }
        assert!(dot(&g, &g).sqrt() < 1e-8, "{g:?}");
        assert!(theta[1] > 0.0);
    }

    #[test]
    fn cholesky_solves() {
        let a = [4.0, 2.0, 2.0, 3.0];
        let x = Cholesky::new(&a, 2).unwrap().solve(&[2.0, 1.0]);
        assert!((4.0 * x[0] + 2.0 * x[1] - 2.0).abs() < 1e-12);
        assert!((2.0 * x[0] + 3.0 * x[1] - 1.0).abs() < 1e-12);
        assert!(Cholesky::new(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
    }
}
