//! Field elements and points as snarkjs writes them.
//!
//! - In `.ptau` and `.zkey` files, "LEM": little-endian Montgomery form,
//!   a G1 point `x ‖ y`, an `Fq2` element `c0 ‖ c1`, the point at infinity
//!   all zeros (`(0, 0)` is not on the curve, so this is unambiguous).
//! - In hashes, "uncompressed": big-endian plain form, `Fq2` as `c1 ‖ c0`,
//!   infinity all zeros.

use std::path::Path;

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::scalar_mul::glv::GLVConfig;
use ark_ec::short_weierstrass::{Affine, Projective};
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup};
use ark_ff::{BigInt, BigInteger, PrimeField, Zero};
use rayon::prelude::*;

use super::Error;

/// Bytes of a G1 point.
pub const G1_BYTES: usize = 64;
/// Bytes of a G2 point.
pub const G2_BYTES: usize = 128;

fn bigint(b: &[u8]) -> BigInt<4> {
    let mut limbs = [0u64; 4];
    for (i, l) in limbs.iter_mut().enumerate() {
        let mut x = [0u8; 8];
        x.copy_from_slice(&b[8 * i..8 * i + 8]);
        *l = u64::from_le_bytes(x);
    }
    BigInt::new(limbs)
}

/// An `Fq` in LEM form (`None` when not below the modulus).
pub fn fq_from_lem(b: &[u8]) -> Option<Fq> {
    let x = bigint(b);
    (x < Fq::MODULUS).then(|| Fq::new_unchecked(x))
}

/// An `Fr` in LEM form (`None` when not below the modulus).
pub fn fr_from_lem(b: &[u8]) -> Option<Fr> {
    let x = bigint(b);
    (x < Fr::MODULUS).then(|| Fr::new_unchecked(x))
}

/// An `Fr` in plain little-endian form (`None` when not below the modulus).
pub fn fr_from_le(b: &[u8]) -> Option<Fr> {
    let x = bigint(b);
    (x < Fr::MODULUS).then(|| Fr::from_bigint(x)).flatten()
}

/// An `Fr` in plain little-endian form.
pub fn fr_le(x: &Fr) -> Vec<u8> {
    x.into_bigint().to_bytes_le()
}

/// An `Fr` in LEM form.
pub fn fr_lem(x: &Fr) -> Vec<u8> {
    x.0.to_bytes_le()
}

fn fq_lem(x: &Fq, out: &mut Vec<u8>) {
    out.extend_from_slice(&x.0.to_bytes_le());
}

fn fq_be(x: &Fq, out: &mut Vec<u8>) {
    out.extend_from_slice(&x.into_bigint().to_bytes_be());
}

/// A G1 point in LEM form.
pub fn g1_lem(p: &G1Affine, out: &mut Vec<u8>) {
    match p.xy() {
        Some((x, y)) => {
            fq_lem(&x, out);
            fq_lem(&y, out);
        }
        None => out.extend_from_slice(&[0u8; G1_BYTES]),
    }
}

/// A G2 point in LEM form.
pub fn g2_lem(p: &G2Affine, out: &mut Vec<u8>) {
    match p.xy() {
        Some((x, y)) => {
            for c in [x.c0, x.c1, y.c0, y.c1] {
                fq_lem(&c, out);
            }
        }
        None => out.extend_from_slice(&[0u8; G2_BYTES]),
    }
}

/// A G1 point uncompressed (hashes).
pub fn g1_u(p: &G1Affine, out: &mut Vec<u8>) {
    match p.xy() {
        Some((x, y)) => {
            fq_be(&x, out);
            fq_be(&y, out);
        }
        None => out.extend_from_slice(&[0u8; G1_BYTES]),
    }
}

/// A G2 point uncompressed (hashes).
pub fn g2_u(p: &G2Affine, out: &mut Vec<u8>) {
    match p.xy() {
        Some((x, y)) => {
            for c in [x.c1, x.c0, y.c1, y.c0] {
                fq_be(&c, out);
            }
        }
        None => out.extend_from_slice(&[0u8; G2_BYTES]),
    }
}

/// A G1 point from LEM bytes, checked on the curve; `None` when not.
pub fn g1_from_lem(b: &[u8]) -> Option<G1Affine> {
    if b[..G1_BYTES].iter().all(|&x| x == 0) {
        return Some(G1Affine::zero());
    }
    let p = G1Affine::new_unchecked(fq_from_lem(&b[..32])?, fq_from_lem(&b[32..64])?);
    // G1's cofactor is 1: on the curve is in the group.
    p.is_on_curve().then_some(p)
}

/// A G2 point from LEM bytes, checked on the curve and in the group.
pub fn g2_from_lem(b: &[u8]) -> Option<G2Affine> {
    g2_from_lem_with(b, true)
}

/// A G2 point from LEM bytes, checked on the curve, and in the group when
/// `subgroup` (the costly check).
pub fn g2_from_lem_with(b: &[u8], subgroup: bool) -> Option<G2Affine> {
    if b[..G2_BYTES].iter().all(|&x| x == 0) {
        return Some(G2Affine::zero());
    }
    let f = |i: usize| fq_from_lem(&b[32 * i..32 * i + 32]);
    let p = G2Affine::new_unchecked(Fq2::new(f(0)?, f(1)?), Fq2::new(f(2)?, f(3)?));
    (p.is_on_curve() && (!subgroup || p.is_in_correct_subgroup_assuming_on_curve())).then_some(p)
}

/// G1 points from LEM bytes (in parallel); errors name the file, the
/// section and the index.
pub fn g1s(bytes: &[u8], path: &Path, section: &str) -> Result<Vec<G1Affine>, Error> {
    if bytes.len() % G1_BYTES != 0 {
        return Err(Error::format(
            path,
            section,
            "not a whole number of G1 points",
        ));
    }
    bytes
        .par_chunks(G1_BYTES)
        .enumerate()
        .map(|(i, c)| {
            g1_from_lem(c).ok_or_else(|| {
                Error::format(path, format!("{section}[{i}]"), "not a point of BN254's G1")
            })
        })
        .collect()
}

/// G2 points from LEM bytes (in parallel), checked in the group.
pub fn g2s(bytes: &[u8], path: &Path, section: &str) -> Result<Vec<G2Affine>, Error> {
    g2s_with(bytes, path, section, true)
}

/// [`g2s`], the group check only when `subgroup`.
pub fn g2s_with(
    bytes: &[u8],
    path: &Path,
    section: &str,
    subgroup: bool,
) -> Result<Vec<G2Affine>, Error> {
    if bytes.len() % G2_BYTES != 0 {
        return Err(Error::format(
            path,
            section,
            "not a whole number of G2 points",
        ));
    }
    bytes
        .par_chunks(G2_BYTES)
        .enumerate()
        .map(|(i, c)| {
            g2_from_lem_with(c, subgroup).ok_or_else(|| {
                Error::format(
                    path,
                    format!("{section}[{i}]"),
                    "not a point of BN254's G2 group",
                )
            })
        })
        .collect()
}

/// G1 points in LEM form.
pub fn g1s_lem(points: &[G1Affine]) -> Vec<u8> {
    let mut out = Vec::with_capacity(points.len() * G1_BYTES);
    for p in points {
        g1_lem(p, &mut out);
    }
    out
}

/// G2 points in LEM form.
pub fn g2s_lem(points: &[G2Affine]) -> Vec<u8> {
    let mut out = Vec::with_capacity(points.len() * G2_BYTES);
    for p in points {
        g2_lem(p, &mut out);
    }
    out
}

/// The wNAF window of [`Multiplier`]'s GLV halves: digits odd in ±[1, 7],
/// a table of 4 multiples a point (built per point, so a small table: at
/// ~128 doublings, window 5 would save ~6 additions and cost 4 more).
const WINDOW: usize = 4;

/// A scalar prepared once to multiply many points by it: the R1CS repeats
/// a few coefficients (±1, ±2^i, constants) over many rows.
#[derive(Clone, Debug)]
pub enum Multiplier {
    /// `±k` with `k < 2^64`: double-and-add over k's bits, mixed additions
    /// (the R1CS is full of −1 and ±2^i: their cost is the bit length).
    Small {
        /// Whether the scalar is `−k`.
        neg: bool,
        /// `|k|`.
        k: u64,
    },
    /// Any other: its GLV halves `k = ±k1 ± λ·k2` (~128 bits each) in wNAF
    /// form, for the curve it was made for (λ differs between G1 and G2).
    Glv {
        /// The signs of the halves.
        pos: (bool, bool),
        /// wNAF digits of k1, least significant first.
        d1: Vec<i64>,
        /// wNAF digits of k2, as long as `d1`.
        d2: Vec<i64>,
    },
}

/// `k = ±k1 + λ·(±k2)` on the curve `P` (GLV halves of ~128 bits), each
/// half in wNAF form of window `window`, padded to the same length: the
/// signs (true: positive) and the two digit lists, lowest first.
pub fn glv_wnaf<P: GLVConfig<ScalarField = Fr>>(
    k: Fr,
    window: usize,
) -> ((bool, bool), Vec<i64>, Vec<i64>) {
    let ((pos1, k1), (pos2, k2)) = P::scalar_decomposition(k);
    let digits = |k: Fr| k.into_bigint().find_wnaf(window).unwrap_or_default();
    let (mut d1, mut d2) = (digits(k1), digits(k2));
    let len = d1.len().max(d2.len());
    d1.resize(len, 0);
    d2.resize(len, 0);
    ((pos1, pos2), d1, d2)
}

impl Multiplier {
    /// `k` prepared for the curve `P`.
    pub fn new<P: GLVConfig<ScalarField = Fr>>(k: Fr) -> Self {
        let small = |x: Fr| {
            let b = x.into_bigint();
            (b.num_bits() <= 64).then_some(b.0[0])
        };
        if let Some(k) = small(k) {
            return Multiplier::Small { neg: false, k };
        }
        if let Some(k) = small(-k) {
            return Multiplier::Small { neg: true, k };
        }
        let (pos, d1, d2) = glv_wnaf::<P>(k, WINDOW);
        Multiplier::Glv { pos, d1, d2 }
    }

    /// `acc + p·k`.
    pub fn mul_add<P: GLVConfig<ScalarField = Fr>>(&self, acc: &mut Projective<P>, p: &Affine<P>) {
        Self::sum_into(acc, std::iter::once((self, p)));
    }

    /// `acc + Σ k·p` over `terms`. The small scalars are added one by one
    /// (double-and-add over their bits). The others share one chain of
    /// ~128 doublings (Straus's interleaving): each point adds its odd
    /// multiples `P, 3P, 5P, 7P` (or their images under the endomorphism)
    /// at its digits, the tables of all points normalised in one batch so
    /// that every addition is mixed. A wire's terms (about 20 dense
    /// Poseidon coefficients) then cost about a third of what a doubling
    /// chain per term does.
    pub fn sum_into<'a, P: GLVConfig<ScalarField = Fr>>(
        acc: &mut Projective<P>,
        terms: impl Iterator<Item = (&'a Multiplier, &'a Affine<P>)>,
    ) {
        const ENTRIES: usize = 1 << (WINDOW - 2);
        let mut digits = Vec::new();
        let mut table = Vec::new();
        for (m, p) in terms {
            match m {
                Multiplier::Small { neg, k } => {
                    let mut r = Projective::<P>::zero();
                    if *k == 1 {
                        r += p;
                    } else {
                        for i in (0..64 - k.leading_zeros()).rev() {
                            r.double_in_place();
                            if (k >> i) & 1 == 1 {
                                r += p;
                            }
                        }
                    }
                    if *neg {
                        *acc -= r;
                    } else {
                        *acc += r;
                    }
                }
                Multiplier::Glv { pos, d1, d2 } => {
                    let double = p.into_group().double();
                    let mut t = p.into_group();
                    for _ in 0..ENTRIES {
                        table.push(t);
                        t += double;
                    }
                    digits.push((pos, d1, d2));
                }
            }
        }
        if digits.is_empty() {
            return;
        }
        let table = Projective::normalize_batch(&table);
        let len = digits.iter().map(|d| d.1.len()).max().unwrap_or(0);
        let mut r = Projective::<P>::zero();
        for i in (0..len).rev() {
            r.double_in_place();
            for (&(pos, d1, d2), t) in digits.iter().zip(table.chunks(ENTRIES)) {
                // A digit past a half's length is zero.
                let (a, b) = (
                    d1.get(i).copied().unwrap_or(0),
                    d2.get(i).copied().unwrap_or(0),
                );
                if a != 0 {
                    let e = t[(a.unsigned_abs() / 2) as usize];
                    if (a > 0) == pos.0 {
                        r += e;
                    } else {
                        r -= e;
                    }
                }
                if b != 0 {
                    let e = P::endomorphism_affine(&t[(b.unsigned_abs() / 2) as usize]);
                    if (b > 0) == pos.1 {
                        r += e;
                    } else {
                        r -= e;
                    }
                }
            }
        }
        *acc += r;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{g1, g2, G1Projective, G2Projective};
    use ark_ec::{CurveGroup, PrimeGroup};
    use ark_ff::UniformRand;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn scalars(rng: &mut ChaCha20Rng) -> Vec<Fr> {
        let mut v: Vec<Fr> = [0u64, 1, 2, 3, 1 << 20, u64::MAX]
            .iter()
            .flat_map(|&k| [Fr::from(k), -Fr::from(k)])
            .collect();
        v.extend((0..40).map(|_| Fr::rand(rng)));
        v
    }

    /// [`Multiplier::mul_add`] adds `p·k` on both curves, for small scalars
    /// (±1 and ±(2^64 − 1) among them) and random ones.
    #[test]
    fn multiplier_adds_the_product() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        for k in scalars(&mut rng) {
            let p = (G1Projective::generator() * Fr::rand(&mut rng)).into_affine();
            let q = (G2Projective::generator() * Fr::rand(&mut rng)).into_affine();
            let (mut a, mut b) = (p.into_group(), q.into_group());
            Multiplier::new::<g1::Config>(k).mul_add(&mut a, &p);
            Multiplier::new::<g2::Config>(k).mul_add(&mut b, &q);
            assert_eq!(a, p + p * k, "G1, k = {k}");
            assert_eq!(b, q + q * k, "G2, k = {k}");
        }
    }

    /// [`Multiplier::sum_into`] of many terms (small and large scalars,
    /// the identity among the points) is the sum of the products, on both
    /// curves; and the twin: one wrong digit changes it.
    #[test]
    fn interleaved_sum_is_the_sum_of_products() {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let ks = scalars(&mut rng);
        // The last scalar is a random (GLV) one: its point is the identity,
        // through the tables, normalisation and endomorphism.
        let last = ks.len() - 1;
        let p: Vec<G1Affine> = (0..ks.len())
            .map(|i| match i {
                i if i == last => G1Affine::zero(),
                _ => (G1Projective::generator() * Fr::rand(&mut rng)).into_affine(),
            })
            .collect();
        let q: Vec<G2Affine> = (0..ks.len())
            .map(|i| match i {
                i if i == last => G2Affine::zero(),
                _ => (G2Projective::generator() * Fr::rand(&mut rng)).into_affine(),
            })
            .collect();
        let m1: Vec<Multiplier> = ks
            .iter()
            .map(|&k| Multiplier::new::<g1::Config>(k))
            .collect();
        let m2: Vec<Multiplier> = ks
            .iter()
            .map(|&k| Multiplier::new::<g2::Config>(k))
            .collect();
        let (mut a, mut b) = (p[0].into_group(), q[0].into_group());
        Multiplier::sum_into(&mut a, m1.iter().zip(&p));
        Multiplier::sum_into(&mut b, m2.iter().zip(&q));
        let want_a = ks
            .iter()
            .zip(&p)
            .fold(p[0].into_group(), |s, (&k, &x)| s + x * k);
        let want_b = ks
            .iter()
            .zip(&q)
            .fold(q[0].into_group(), |s, (&k, &x)| s + x * k);
        assert_eq!(a, want_a);
        assert_eq!(b, want_b);
        let mut m1 = m1;
        let Some(Multiplier::Glv { d1, .. }) = m1.iter_mut().rev().nth(1) else {
            panic!("a random scalar is prepared as GLV halves");
        };
        let i = d1.iter().position(|&d| d != 0).unwrap();
        d1[i] = -d1[i];
        let mut a = p[0].into_group();
        Multiplier::sum_into(&mut a, m1.iter().zip(&p));
        assert_ne!(a, want_a, "a flipped digit must change the sum");
    }

    /// The twin: a large scalar prepared for G1 gives a wrong product in G2
    /// (the curves' λ differ), so plans are made per curve.
    #[test]
    fn multiplier_of_the_other_curve_is_wrong() {
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        let k = Fr::rand(&mut rng);
        let q = (G2Projective::generator() * Fr::rand(&mut rng)).into_affine();
        let mut b = G2Projective::zero();
        Multiplier::new::<g1::Config>(k).mul_add(&mut b, &q);
        assert_ne!(b, q * k);
    }
}
