//! The initial phase-2 parameters (snarkjs's `zkey new`): the circuit's
//! QAP evaluated at τ from phase 1, in Lagrange form over its domain, with
//! γ = δ = 1. The result is byte for byte what `snarkjs zkey new` writes
//! for the same `.r1cs` (see [`super::r1cs_export`]) and `.ptau`, circuit
//! hash included, so `snarkjs zkey verify` can audit what follows.

use std::collections::HashMap;
use std::path::Path;

use ark_bn254::{g1::Config as G1Config, g2::Config as G2Config};
use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::scalar_mul::glv::GLVConfig;
use ark_ec::short_weierstrass::{Affine, Projective};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{One, UniformRand, Zero};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use ark_relations::r1cs::ConstraintMatrices;
use blake2::{Blake2b512, Digest};
use rand_chacha::rand_core::RngCore;
use rayon::prelude::*;

use super::points::{g1_u, g2_u, Multiplier};
use super::ptau::{domain_size, Phase1};
use super::zkey::{Coef, Zkey};
use super::Error;

/// The Lagrange basis over `n` points at τ, from the monomial powers
/// `τ^i·G`, `i < n` (an inverse FFT in the group).
fn lagrange<P>(powers: &[P::Affine], n: usize) -> Result<Vec<P::Affine>, Error>
where
    P: CurveGroup<ScalarField = Fr>,
{
    let domain = Radix2EvaluationDomain::<Fr>::new(n)
        .ok_or_else(|| Error::Usage(format!("no FFT domain of {n} points")))?;
    let mut v: Vec<P> = powers.par_iter().map(|p| p.into_group()).collect();
    v.resize(n, P::zero());
    domain.ifft_in_place(&mut v);
    Ok(P::normalize_batch(&v))
}

/// Wires per batch of results: each batch is summed in projective form and
/// normalised at once (one inversion), so no projective copy of a whole
/// section is ever held.
const WIRES: usize = 1 << 12;

/// One matrix by columns: a wire's terms `(row, coefficient index)`, 8
/// bytes a term (the matrices' `(Fr, usize)` take 40).
struct Columns {
    start: Vec<usize>,
    terms: Vec<(u32, u32)>,
}

impl Columns {
    /// The columns of `rows` (and of the `extra` terms `(row, wire)` of
    /// coefficient one), each column's rows in increasing order; the
    /// coefficients interned in `coefs`.
    fn new(
        rows: &[Vec<(Fr, usize)>],
        extra: &[(usize, usize)],
        n_vars: usize,
        coefs: &mut Interned,
    ) -> Self {
        let mut start = vec![0usize; n_vars + 1];
        let wires = rows.iter().flatten().map(|t| t.1);
        for w in wires.chain(extra.iter().map(|t| t.1)) {
            start[w + 1] += 1;
        }
        for w in 0..n_vars {
            start[w + 1] += start[w];
        }
        let mut next = start.clone();
        let mut terms = vec![(0u32, 0u32); start[n_vars]];
        let one = coefs.id(Fr::one());
        let all = rows
            .iter()
            .enumerate()
            .flat_map(|(r, lc)| lc.iter().map(move |&(v, w)| (r, w, Some(v))));
        for (r, w, v) in all.chain(extra.iter().map(|&(r, w)| (r, w, None))) {
            let c = v.map_or(one, |v| coefs.id(v));
            terms[next[w]] = (r as u32, c);
            next[w] += 1;
        }
        Columns { start, terms }
    }

    /// `Σ_j rho_j·c_rj` for each row `r < n` (the coefficients `values`).
    fn row_sums(&self, rho: &[Fr], values: &[Fr], n: usize) -> Vec<Fr> {
        let mut s = vec![Fr::zero(); n];
        for (w, r) in rho.iter().enumerate() {
            for &(row, c) in &self.terms[self.start[w]..self.start[w + 1]] {
                s[row as usize] += *r * values[c as usize];
            }
        }
        s
    }

    /// The terms `(coefficient, base)` of `wire`: `c·bases[row]` each.
    fn terms<'a, P: GLVConfig<ScalarField = Fr>>(
        &'a self,
        wire: usize,
        bases: &'a [Affine<P>],
        plans: &'a [Multiplier],
    ) -> impl Iterator<Item = (&'a Multiplier, &'a Affine<P>)> + 'a {
        self.terms[self.start[wire]..self.start[wire + 1]]
            .iter()
            .map(move |&(row, c)| (&plans[c as usize], &bases[row as usize]))
    }
}

/// The distinct coefficients of the matrices (a few thousand at most: the
/// R1CS repeats ±1, ±2^i and its constants), each prepared once per curve.
#[derive(Default)]
struct Interned {
    index: HashMap<Fr, u32>,
    values: Vec<Fr>,
}

impl Interned {
    fn id(&mut self, v: Fr) -> u32 {
        let next = self.values.len() as u32;
        *self.index.entry(v).or_insert_with(|| {
            self.values.push(v);
            next
        })
    }

    fn plans<P: GLVConfig<ScalarField = Fr>>(&self) -> Vec<Multiplier> {
        self.values
            .par_iter()
            .map(|&c| Multiplier::new::<P>(c))
            .collect()
    }
}

/// `Σ c·base` over `terms` ([`Multiplier::sum_into`]).
fn sum<'a, P: GLVConfig<ScalarField = Fr>>(
    terms: impl Iterator<Item = (&'a Multiplier, &'a Affine<P>)>,
) -> Projective<P> {
    let mut acc = Projective::<P>::zero();
    Multiplier::sum_into(&mut acc, terms);
    acc
}

/// `f(wire)` for every wire, in parallel batches of [`WIRES`], each batch
/// normalised on its own.
fn per_wire<P, F>(n_vars: usize, f: F) -> Vec<Affine<P>>
where
    P: GLVConfig<ScalarField = Fr>,
    F: Fn(usize) -> Projective<P> + Sync,
{
    let mut out = vec![Affine::<P>::zero(); n_vars];
    out.par_chunks_mut(WIRES)
        .enumerate()
        .for_each(|(i, chunk)| {
            let sums: Vec<Projective<P>> = (0..chunk.len()).map(|j| f(i * WIRES + j)).collect();
            chunk.copy_from_slice(&Projective::normalize_batch(&sums));
        });
    out
}

/// Section 4: the A and B coefficients in the order snarkjs lists them
/// (row by row, A then B, as the `.r1cs` has them), then A's rows of the
/// public wires and the one.
pub fn coefficients(m: &ConstraintMatrices<Fr>) -> Vec<Coef> {
    let mut coefs = Vec::new();
    for row in 0..m.num_constraints {
        for (matrix, lc) in [(0, &m.a[row]), (1, &m.b[row])] {
            for &(value, w) in lc {
                coefs.push(Coef {
                    matrix,
                    row: row as u32,
                    wire: w as u32,
                    value,
                });
            }
        }
    }
    for s in 0..m.num_instance_variables {
        coefs.push(Coef {
            matrix: 0,
            row: (m.num_constraints + s) as u32,
            wire: s as u32,
            value: Fr::one(),
        });
    }
    coefs
}

/// The initial parameters of the circuit whose matrices are `m`, from
/// `phase1` (read for at least this circuit's domain). Both are taken, so
/// that each is freed once used: the matrices go once their columns are
/// built, before any point is computed.
pub fn initial(phase1: Phase1, m: ConstraintMatrices<Fr>) -> Result<Zkey, Error> {
    initial_with::<rand_chacha::ChaCha20Rng>(phase1, m, None)
}

/// [`initial`] to verify `z` (read from `path`) against: its coefficients,
/// A, B1 and B2 are checked here (in random linear combinations,
/// `Σ ρ_j·A_j = Σ_r (Σ_j ρ_j·a_rj)·L_r(τ)`: two MSMs instead of a scalar
/// multiplication per nonzero) and taken from it, only IC, L and H being
/// recomputed (the circuit hash needs them exactly). A mismatch is an
/// error naming the section.
pub fn initial_for<R: RngCore>(
    phase1: Phase1,
    m: ConstraintMatrices<Fr>,
    z: &Zkey,
    path: &Path,
    rng: &mut R,
) -> Result<Zkey, Error> {
    initial_with(phase1, m, Some((z, path, rng)))
}

fn initial_with<R: RngCore>(
    mut phase1: Phase1,
    m: ConstraintMatrices<Fr>,
    given: Option<(&Zkey, &Path, &mut R)>,
) -> Result<Zkey, Error> {
    let n_public = m.num_instance_variables - 1;
    let n_vars = m.num_instance_variables + m.num_witness_variables;
    let n_rows = m.num_constraints;
    let n = domain_size(n_rows, n_public);
    // Sizes and coefficients first (what `finalize` and `import` check
    // too, with the same messages), against the one copy of the
    // coefficients that the result keeps.
    let coefs = coefficients(&m);
    if let Some((z, path, _)) = &given {
        super::files::check_coefficients(z, (n_vars, n_public, n), &coefs, path)?;
    }
    if phase1.tau_g2.len() < n {
        return Err(Error::Usage(format!(
            "phase 1 was read for {} points, the circuit needs {n}",
            phase1.tau_g2.len()
        )));
    }
    // Columns: for each wire, its terms in A, B and C; one row per public
    // wire and the one, where A = that wire.
    let mut interned = Interned::default();
    let public: Vec<(usize, usize)> = (0..=n_public).map(|s| (n_rows + s, s)).collect();
    let col_a = Columns::new(&m.a[..n_rows], &public, n_vars, &mut interned);
    let col_b = Columns::new(&m.b[..n_rows], &[], n_vars, &mut interned);
    let col_c = Columns::new(&m.c[..n_rows], &[], n_vars, &mut interned);
    // The matrices (40 bytes a term) are no longer needed: the columns (8)
    // and the coefficients hold what follows.
    drop(m);
    let (lt1, lt2, la, lb, l2) = match phase1.lagrange.take() {
        Some(l) if l.tau_g1.len() == n => (
            l.tau_g1,
            l.tau_g2,
            l.alpha_tau_g1,
            l.beta_tau_g1,
            l.tau_g1_2n,
        ),
        _ => (
            lagrange::<G1Projective>(&phase1.tau_g1[..n], n)?,
            lagrange::<G2Projective>(&phase1.tau_g2[..n], n)?,
            lagrange::<G1Projective>(&phase1.alpha_tau_g1[..n], n)?,
            lagrange::<G1Projective>(&phase1.beta_tau_g1[..n], n)?,
            // H: the 2n-domain's Lagrange basis at its odd points. As
            // snarkjs's `prepare phase2`, τ^(2n−1) is taken as zero when the
            // file has no such power (a file of exactly the circuit's
            // power): the H combination never reaches degree 2n − 1, so
            // either is correct.
            lagrange::<G1Projective>(&phase1.tau_g1[..(2 * n).min(phase1.tau_g1.len())], 2 * n)?,
        ),
    };
    let h: Vec<G1Affine> = (0..n).map(|i| l2[2 * i + 1]).collect();
    drop(l2);
    // Of the monomial powers, only τ^i·G1 (the circuit hash) and the first
    // α and β points are still needed.
    let (alpha_g1, beta_g1, beta_g2) = (
        phase1.alpha_tau_g1.first().copied().unwrap_or_default(),
        phase1.beta_tau_g1.first().copied().unwrap_or_default(),
        phase1.beta_g2,
    );
    phase1.tau_g2 = Vec::new();
    phase1.alpha_tau_g1 = Vec::new();
    phase1.beta_tau_g1 = Vec::new();

    let p1 = interned.plans::<G1Config>();

    let (a, b_g1, b_g2) = match given {
        Some((z, path, rng)) => {
            let rho: Vec<Fr> = (0..n_vars).map(|_| Fr::rand(rng)).collect();
            let (sa, sb) = (
                col_a.row_sums(&rho, &interned.values, n),
                col_b.row_sums(&rho, &interned.values, n),
            );
            let same1 = |given: &[G1Affine], bases: &[G1Affine], s: &[Fr]| {
                given.len() == n_vars
                    && G1Projective::msm_unchecked(given, &rho)
                        == G1Projective::msm_unchecked(bases, s)
            };
            let same2 = z.b_g2.len() == n_vars
                && G2Projective::msm_unchecked(&z.b_g2, &rho)
                    == G2Projective::msm_unchecked(&lt2, &sb);
            for (ok, what) in [
                (same1(&z.a, &lt1, &sa), "A (section 5)"),
                (same1(&z.b_g1, &lt1, &sb), "B1 (section 6)"),
                (same2, "B2 (section 7)"),
            ] {
                if !ok {
                    return Err(Error::Transcript {
                        path: path.to_path_buf(),
                        reason: format!("{what} is not the one phase 1 gives for this circuit"),
                    });
                }
            }
            (z.a.clone(), z.b_g1.clone(), z.b_g2.clone())
        }
        None => {
            let p2 = interned.plans::<G2Config>();
            let a = per_wire(n_vars, |w| sum(col_a.terms(w, &lt1, &p1)));
            let b_g1 = per_wire(n_vars, |w| sum(col_b.terms(w, &lt1, &p1)));
            let b_g2 = per_wire(n_vars, |w| sum(col_b.terms(w, &lt2, &p2)));
            (a, b_g1, b_g2)
        }
    };
    drop(interned);
    drop(lt2);
    // K = β·A + α·B + C, one doubling chain per wire for all three.
    let mut l = per_wire(n_vars, |w| {
        sum(col_a
            .terms(w, &lb, &p1)
            .chain(col_b.terms(w, &la, &p1))
            .chain(col_c.terms(w, &lt1, &p1)))
    });
    drop((col_a, col_b, col_c, lt1, la, lb));
    let ic: Vec<G1Affine> = l.drain(..=n_public).collect();

    let (g1, g2) = (G1Affine::generator(), G2Affine::generator());
    let mut zkey = Zkey {
        n_vars,
        n_public,
        domain_size: n,
        alpha_g1,
        beta_g1,
        beta_g2,
        gamma_g2: g2,
        delta_g1: g1,
        delta_g2: g2,
        ic,
        coefs,
        a,
        b_g1,
        b_g2,
        l,
        h,
        cs_hash: [0; 64],
        contributions: Vec::new(),
    };
    zkey.cs_hash = circuit_hash(&zkey, &phase1.tau_g1);
    Ok(zkey)
}

/// snarkjs's circuit hash: Blake2b-512 over the initial parameters
/// (uncompressed), H given as `τ^(i+n)·G1 − τ^i·G1` (`t(τ)·τ^i`).
pub fn circuit_hash(z: &Zkey, tau_g1: &[G1Affine]) -> [u8; 64] {
    let mut h = Blake2b512::new();
    let mut b = Vec::new();
    g1_u(&z.alpha_g1, &mut b);
    g1_u(&z.beta_g1, &mut b);
    g2_u(&z.beta_g2, &mut b);
    g2_u(&z.gamma_g2, &mut b);
    g1_u(&G1Affine::generator(), &mut b);
    g2_u(&G2Affine::generator(), &mut b);
    h.update(&b);
    let g1_list = |h: &mut Blake2b512, points: &[G1Affine]| {
        h.update((points.len() as u32).to_be_bytes());
        let mut b = Vec::with_capacity(points.len() * 64);
        for p in points {
            g1_u(p, &mut b);
        }
        h.update(&b);
    };
    g1_list(&mut h, &z.ic);
    let n = z.domain_size;
    // snarkjs hashes n − 1 points, in chunks of 2^14 that are not cut at the
    // end: n points when n − 1 > 2^14 (then τ^(2n−1) is needed).
    let count = if n - 1 <= 1 << 14 { n - 1 } else { n };
    h.update(((n - 1) as u32).to_be_bytes());
    let t: Vec<G1Projective> = (0..count)
        .into_par_iter()
        .map(|i| {
            let hi = tau_g1.get(i + n).copied().unwrap_or_default();
            hi.into_group() - tau_g1[i]
        })
        .collect();
    let mut b = Vec::with_capacity(count * 64);
    for p in G1Projective::normalize_batch(&t) {
        g1_u(&p, &mut b);
    }
    h.update(&b);
    g1_list(&mut h, &z.l);
    g1_list(&mut h, &z.a);
    g1_list(&mut h, &z.b_g1);
    h.update((z.b_g2.len() as u32).to_be_bytes());
    let mut b = Vec::with_capacity(z.b_g2.len() * 128);
    for p in &z.b_g2 {
        g2_u(p, &mut b);
    }
    h.update(&b);
    h.finalize().into()
}
