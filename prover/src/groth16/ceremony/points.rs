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
use ark_ec::AffineRepr;
use ark_ff::{BigInt, BigInteger, PrimeField};
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

/// `p·k`: double-and-add for scalars of at most 64 bits (or their
/// negatives: the R1CS is full of −1 and −2^i), GLV for the others.
pub fn mul<P: GLVConfig<ScalarField = Fr>>(p: &Affine<P>, k: Fr) -> Projective<P> {
    let small = |x: &Fr| x.into_bigint().num_bits() <= 64;
    if small(&k) {
        *p * k
    } else if small(&-k) {
        -(*p * -k)
    } else {
        P::glv_mul_projective(p.into_group(), k)
    }
}
