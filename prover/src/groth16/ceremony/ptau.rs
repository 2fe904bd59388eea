//! Phase 1: snarkjs `.ptau` files (the format of the Hermez
//! `powersOfTau28_hez_final_NN.ptau` and of the Perpetual Powers of Tau),
//! prepared for phase 2 or not, of any power at least the circuit's.
//!
//! ```text
//! section 1  header: n8 (u32) · q (n8 bytes LE) · power (u32) · ceremony power (u32)
//! section 2  τ^i·G1,     i < 2^(power+1) − 1
//! section 3  τ^i·G2,     i < 2^power
//! section 4  ατ^i·G1,    i < 2^power
//! section 5  βτ^i·G1,    i < 2^power
//! section 6  β·G2
//! section 7  the contributions (not needed here)
//! 12–15      the same in Lagrange form (prepared files; recomputed here)
//! ```
//!
//! Only the prefixes a circuit needs are read ("cut to size"); each point
//! read is checked on the curve (and in the group for G2). The pairing
//! checks ([`Ptau::verify`]) are on request.

use std::path::Path;

use ark_bn254::{Bn254, Fq, Fr, G1Affine, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{BigInteger, PrimeField, UniformRand};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use rand_chacha::rand_core::RngCore;

use super::binfile::{BinFile, Cursor};
use super::points::{g1s, g2s, G1_BYTES, G2_BYTES};
use super::Error;

/// The largest power this build reads (BN254's two-adicity is 28).
pub const MAX_POWER: u32 = 28;

/// An open `.ptau` file.
pub struct Ptau {
    file: BinFile,
    /// Its power: 2^power powers of τ in G2.
    pub power: u32,
    /// The power of the ceremony it was cut from.
    pub ceremony_power: u32,
    /// Whether it carries the Lagrange sections (12–15) of `prepare phase2`.
    pub prepared: bool,
}

/// The powers of τ a circuit's phase 2 needs, checked on the curve.
pub struct Phase1 {
    /// The power of the file they were read from.
    pub source_power: u32,
    /// τ^i·G1 for i < min(2n, 2^(power+1) − 1), n the circuit's domain.
    pub tau_g1: Vec<G1Affine>,
    /// τ^i·G2, i < n.
    pub tau_g2: Vec<G2Affine>,
    /// ατ^i·G1, i < n.
    pub alpha_tau_g1: Vec<G1Affine>,
    /// βτ^i·G1, i < n.
    pub beta_tau_g1: Vec<G1Affine>,
    /// β·G2.
    pub beta_g2: G2Affine,
    /// The same in Lagrange form, from a prepared file (checked against the
    /// powers above); `None` for a file that is not prepared.
    pub lagrange: Option<Lagrange>,
}

/// Phase 1 in Lagrange form over the circuit's domain of n points (and,
/// for τ·G1, the domain of 2n), as `snarkjs powersoftau prepare phase2`
/// writes it.
pub struct Lagrange {
    /// L_i(τ)·G1.
    pub tau_g1: Vec<G1Affine>,
    /// L_i(τ)·G2.
    pub tau_g2: Vec<G2Affine>,
    /// α·L_i(τ)·G1.
    pub alpha_tau_g1: Vec<G1Affine>,
    /// β·L_i(τ)·G1.
    pub beta_tau_g1: Vec<G1Affine>,
    /// L_i(τ)·G1 over the domain of 2n.
    pub tau_g1_2n: Vec<G1Affine>,
}

/// How much of phase 1 [`Ptau::verify`] checks with pairings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Random positions (a fixed number of them, whatever the size).
    Sampled,
    /// Every power read, in random linear combinations.
    Full,
}

const SAMPLES: usize = 64;

impl Ptau {
    /// Opens `path`: the header, the curve, and the sizes of the sections
    /// against the power.
    pub fn open(path: &Path) -> Result<Self, Error> {
        let mut file = BinFile::open(path, b"ptau", 1)?;
        let header = file.section(1, "header")?;
        let mut c = Cursor::new(&header, path, "section 1 (header)");
        let n8 = c.u32("n8")?;
        let q_bytes = c.take(n8 as usize, "q")?;
        let q = Fq::MODULUS.to_bytes_le();
        if n8 != 32 || q_bytes != q.as_slice() {
            let found = num_bigint::BigUint::from_bytes_le(q_bytes);
            return Err(Error::WrongCurve {
                path: path.to_path_buf(),
                what: "the base field's prime q",
                found: format!("{n8}-byte prime {found}"),
            });
        }
        let power = c.u32("power")?;
        let ceremony_power = c.u32("ceremonyPower")?;
        if power == 0 || power > MAX_POWER {
            return Err(Error::format(
                path,
                "section 1 (header) / power",
                format!("{power}: not 1 to {MAX_POWER}"),
            ));
        }
        let n = 1u64 << power;
        for (id, name, want) in [
            (2, "tauG1", (2 * n - 1) * G1_BYTES as u64),
            (3, "tauG2", n * G2_BYTES as u64),
            (4, "alphaTauG1", n * G1_BYTES as u64),
            (5, "betaTauG1", n * G1_BYTES as u64),
            (6, "betaG2", G2_BYTES as u64),
        ] {
            let size = file.size(id, name)?;
            if size != want {
                return Err(Error::format(
                    path,
                    format!("section {id} ({name})"),
                    format!("{size} bytes, a file of power {power} has {want}"),
                ));
            }
        }
        let prepared = (12..=15).all(|id| file.has(id));
        Ok(Ptau {
            file,
            power,
            ceremony_power,
            prepared,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// The powers for a QAP domain of `n` points (a power of two), read from
    /// the start of each section and checked on the curve.
    pub fn phase1(&mut self, n: usize) -> Result<Phase1, Error> {
        let needed = n.trailing_zeros();
        if !n.is_power_of_two() || needed > self.power {
            return Err(Error::TooSmall {
                path: self.path().to_path_buf(),
                power: self.power,
                needed,
            });
        }
        let path = self.path().to_path_buf();
        let total_g1 = (1usize << (self.power + 1)) - 1;
        let n_g1 = (2 * n).min(total_g1);
        let read1 = |f: &mut BinFile, id, name: &str, k: usize| -> Result<Vec<G1Affine>, Error> {
            let bytes = f.read(id, name, 0, (k * G1_BYTES) as u64)?;
            g1s(&bytes, &path, &format!("section {id} ({name})"))
        };
        let tau_g1 = read1(&mut self.file, 2, "tauG1", n_g1)?;
        let alpha_tau_g1 = read1(&mut self.file, 4, "alphaTauG1", n)?;
        let beta_tau_g1 = read1(&mut self.file, 5, "betaTauG1", n)?;
        let bytes = self.file.read(3, "tauG2", 0, (n * G2_BYTES) as u64)?;
        let tau_g2 = g2s(&bytes, &path, "section 3 (tauG2)")?;
        let bytes = self.file.read(6, "betaG2", 0, G2_BYTES as u64)?;
        let beta_g2 = g2s(&bytes, &path, "section 6 (betaG2)")?[0];
        if tau_g1[0] != G1Affine::generator() {
            return Err(Error::format(
                &path,
                "section 2 (tauG1)[0]",
                "not the generator of G1",
            ));
        }
        if tau_g2[0] != G2Affine::generator() {
            return Err(Error::format(
                &path,
                "section 3 (tauG2)[0]",
                "not the generator of G2",
            ));
        }
        let mut p1 = Phase1 {
            source_power: self.power,
            tau_g1,
            tau_g2,
            alpha_tau_g1,
            beta_tau_g1,
            beta_g2,
            lagrange: None,
        };
        if self.prepared {
            p1.lagrange = Some(self.lagrange(&p1, n)?);
        }
        Ok(p1)
    }

    /// `τ^i·G1` for `i < n` and `τ·G2`: a KZG SRS of n points (halo2's),
    /// from the same phase 1.
    pub fn kzg_powers(&mut self, n: usize) -> Result<(Vec<G1Affine>, G2Affine), Error> {
        if !n.is_power_of_two() || n.trailing_zeros() > self.power {
            return Err(Error::TooSmall {
                path: self.path().to_path_buf(),
                power: self.power,
                needed: n.trailing_zeros(),
            });
        }
        let path = self.path().to_path_buf();
        let bytes = self.file.read(2, "tauG1", 0, (n * G1_BYTES) as u64)?;
        let g = g1s(&bytes, &path, "section 2 (tauG1)")?;
        let bytes = self.file.read(3, "tauG2", 0, (2 * G2_BYTES) as u64)?;
        let t2 = g2s(&bytes, &path, "section 3 (tauG2)")?;
        if g[0] != G1Affine::generator() || t2[0] != G2Affine::generator() {
            return Err(Error::format(
                &path,
                "sections 2 and 3",
                "τ^0 is not the generator",
            ));
        }
        Ok((g, t2[1]))
    }

    /// The Lagrange sections' levels for n and 2n points, each checked
    /// against the monomial powers in a random linear combination.
    fn lagrange(&mut self, p1: &Phase1, n: usize) -> Result<Lagrange, Error> {
        let path = self.path().to_path_buf();
        let levels = |top: u32| (1u64 << (top + 1)) - 1;
        for (id, name, points, size) in [
            (12, "lagrange tauG1", levels(self.power + 1), G1_BYTES),
            (13, "lagrange tauG2", levels(self.power), G2_BYTES),
            (14, "lagrange alphaTauG1", levels(self.power), G1_BYTES),
            (15, "lagrange betaTauG1", levels(self.power), G1_BYTES),
        ] {
            let got = self.file.size(id, name)?;
            if got != points * size as u64 {
                return Err(Error::format(
                    &path,
                    format!("section {id} ({name})"),
                    format!(
                        "{got} bytes, a prepared file of power {} has {}",
                        self.power,
                        points * size as u64
                    ),
                ));
            }
        }
        // Level k (2^k points) starts after 2^k − 1 points.
        let g1 = |f: &mut BinFile, id: u32, name: &str, k: usize| -> Result<Vec<G1Affine>, Error> {
            let bytes = f.read(id, name, ((k - 1) * G1_BYTES) as u64, (k * G1_BYTES) as u64)?;
            g1s(&bytes, &path, &format!("section {id} ({name})"))
        };
        let tau_g1 = g1(&mut self.file, 12, "lagrange tauG1", n)?;
        let tau_g1_2n = g1(&mut self.file, 12, "lagrange tauG1", 2 * n)?;
        let alpha_tau_g1 = g1(&mut self.file, 14, "lagrange alphaTauG1", n)?;
        let beta_tau_g1 = g1(&mut self.file, 15, "lagrange betaTauG1", n)?;
        let bytes = self.file.read(
            13,
            "lagrange tauG2",
            ((n - 1) * G2_BYTES) as u64,
            (n * G2_BYTES) as u64,
        )?;
        let tau_g2 = g2s(&bytes, &path, "section 13 (lagrange tauG2)")?;
        let mut rng = crate::rng(None).map_err(|e| Error::Randomness(e.to_string()))?;
        let mut t2n = p1.tau_g1.clone();
        t2n.resize(2 * n, G1Affine::zero());
        for (ok, name) in [
            (
                same_sum(&tau_g1, &p1.tau_g1[..n], &mut rng),
                "12 (lagrange tauG1)",
            ),
            (
                same_sum(&tau_g1_2n, &t2n, &mut rng),
                "12 (lagrange tauG1, 2n)",
            ),
            (
                same_sum(&tau_g2, &p1.tau_g2, &mut rng),
                "13 (lagrange tauG2)",
            ),
            (
                same_sum(&alpha_tau_g1, &p1.alpha_tau_g1, &mut rng),
                "14 (lagrange alphaTauG1)",
            ),
            (
                same_sum(&beta_tau_g1, &p1.beta_tau_g1, &mut rng),
                "15 (lagrange betaTauG1)",
            ),
        ] {
            if !ok {
                return Err(Error::format(
                    &path,
                    format!("section {name}"),
                    "not the Lagrange form of the powers of τ",
                ));
            }
        }
        Ok(Lagrange {
            tau_g1,
            tau_g2,
            alpha_tau_g1,
            beta_tau_g1,
            tau_g1_2n,
        })
    }
}

/// Whether `lagrange` is the inverse FFT of `powers`: `Σ r_j·L_j` equals
/// `Σ ifft(r)_i·T_i` for random `r`.
fn same_sum<G: AffineRepr<ScalarField = Fr>>(
    lagrange: &[G],
    powers: &[G],
    rng: &mut impl RngCore,
) -> bool
where
    G::Group: VariableBaseMSM<MulBase = G>,
{
    let n = lagrange.len();
    let Some(domain) = Radix2EvaluationDomain::<Fr>::new(n) else {
        return false;
    };
    let r: Vec<Fr> = (0..n).map(|_| Fr::rand(rng)).collect();
    let c = domain.ifft(&r);
    powers.len() == n
        && <G::Group as VariableBaseMSM>::msm_unchecked(lagrange, &r)
            == <G::Group as VariableBaseMSM>::msm_unchecked(powers, &c)
}

/// `e(a, b) == e(c, d)`.
fn same_ratio(a: G1Affine, b: G2Affine, c: G1Affine, d: G2Affine) -> bool {
    Bn254::multi_pairing([a, (-c.into_group()).into_affine()], [b, d]).0
        == <Bn254 as Pairing>::TargetField::from(1u64)
}

/// Random weights for the positions `0..len-1` to check (`len − 1` pairs
/// `i, i+1`): all of them ([`Check::Full`]) or [`SAMPLES`] random ones
/// (the others weighted zero).
fn weights(len: usize, check: Check, rng: &mut impl RngCore) -> Vec<(usize, Fr)> {
    let pairs = len.saturating_sub(1);
    match check {
        Check::Full => (0..pairs).map(|i| (i, Fr::rand(rng))).collect(),
        Check::Sampled => {
            let mut out: Vec<(usize, Fr)> = (0..SAMPLES.min(pairs))
                .map(|_| ((rng.next_u64() % pairs as u64) as usize, Fr::rand(rng)))
                .collect();
            // The first pair and the last are always checked.
            if pairs > 0 {
                out.push((0, Fr::rand(rng)));
                out.push((pairs - 1, Fr::rand(rng)));
            }
            out
        }
    }
}

/// `(Σ w_i·p_i, Σ w_i·p_{i+1})` over the weighted positions.
fn combine<G: AffineRepr>(p: &[G], w: &[(usize, Fr)]) -> (G, G)
where
    G::Group: VariableBaseMSM<MulBase = G, ScalarField = Fr>,
{
    let (idx, s): (Vec<usize>, Vec<Fr>) = w.iter().copied().unzip();
    let lo: Vec<G> = idx.iter().map(|&i| p[i]).collect();
    let hi: Vec<G> = idx.iter().map(|&i| p[i + 1]).collect();
    let a = <G::Group as VariableBaseMSM>::msm_unchecked(&lo, &s);
    let b = <G::Group as VariableBaseMSM>::msm_unchecked(&hi, &s);
    (a.into_affine(), b.into_affine())
}

impl Phase1 {
    /// Refuses a degenerate phase 1 (cheap, no pairings): a power of τ or
    /// α·G1, β·G1, β·G2 at infinity (τ, α or β zero), τ = ±1, or τ in the
    /// circuit's FFT domain of `n` points (τ^n = 1, so t(τ) = 0). Any of
    /// these makes the toxic waste public or the keys forgeable.
    pub fn check_degenerate(&self, path: &Path, n: usize) -> Result<(), Error> {
        let fail = |what: &str| Error::Phase1 {
            path: path.to_path_buf(),
            check: what.to_string(),
        };
        let g1 = G1Affine::generator();
        if let Some(i) = self.tau_g1.iter().position(|p| p.is_zero()) {
            return Err(fail(&format!(
                "tauG1[{i}] is the point at infinity (τ = 0)"
            )));
        }
        if let Some(i) = self.tau_g2.iter().position(|p| p.is_zero()) {
            return Err(fail(&format!(
                "tauG2[{i}] is the point at infinity (τ = 0)"
            )));
        }
        if self.alpha_tau_g1.first().is_none_or(|p| p.is_zero()) {
            return Err(fail("α·G1 is the point at infinity (α = 0)"));
        }
        if self.beta_tau_g1.first().is_none_or(|p| p.is_zero()) || self.beta_g2.is_zero() {
            return Err(fail("β·G1 or β·G2 is the point at infinity (β = 0)"));
        }
        let t1 = self.tau_g1[1];
        if t1 == g1 || t1 == -g1 {
            return Err(fail("τ·G1 is ±G1 (τ = ±1): τ is public"));
        }
        if self.tau_g1.get(n).is_some_and(|p| *p == g1) {
            return Err(fail(&format!(
                "τ^{n}·G1 is G1: τ is in the circuit's FFT domain (t(τ) = 0)"
            )));
        }
        Ok(())
    }

    /// Checks with pairings that the powers read are powers of one τ, and
    /// that the α and β powers follow the same τ and β·G2 the same β.
    pub fn verify(&self, path: &Path, check: Check, rng: &mut impl RngCore) -> Result<(), Error> {
        let fail = |what: &str| Error::Phase1 {
            path: path.to_path_buf(),
            check: what.to_string(),
        };
        let (g1, g2) = (G1Affine::generator(), G2Affine::generator());
        let (t1, t2) = (self.tau_g1[1], self.tau_g2[1]);
        if !same_ratio(t1, g2, g1, t2) {
            return Err(fail("τ·G1 and τ·G2 are not the same τ"));
        }
        let (a, b) = combine(&self.tau_g1, &weights(self.tau_g1.len(), check, rng));
        if !same_ratio(a, t2, b, g2) {
            return Err(fail("tauG1: the points are not successive powers of τ"));
        }
        let (a, b) = combine(&self.tau_g2, &weights(self.tau_g2.len(), check, rng));
        if !same_ratio(t1, a, g1, b) {
            return Err(fail("tauG2: the points are not successive powers of τ"));
        }
        let (a, b) = combine(
            &self.alpha_tau_g1,
            &weights(self.alpha_tau_g1.len(), check, rng),
        );
        if !same_ratio(a, t2, b, g2) {
            return Err(fail(
                "alphaTauG1: the points are not α times successive powers of τ",
            ));
        }
        let (a, b) = combine(
            &self.beta_tau_g1,
            &weights(self.beta_tau_g1.len(), check, rng),
        );
        if !same_ratio(a, t2, b, g2) {
            return Err(fail(
                "betaTauG1: the points are not β times successive powers of τ",
            ));
        }
        if !same_ratio(self.beta_tau_g1[0], g2, g1, self.beta_g2) {
            return Err(fail("betaG2 is not the β of betaTauG1"));
        }
        Ok(())
    }
}

/// The smallest power of two above `constraints + public` (snarkjs's
/// `cirPower`: the R1CS rows and one row per public input and the one).
pub fn domain_size(constraints: usize, public: usize) -> usize {
    (constraints + public + 1).next_power_of_two()
}
