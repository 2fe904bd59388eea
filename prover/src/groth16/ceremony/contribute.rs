//! A phase-2 contribution (snarkjs's `zkey contribute`) and the random
//! beacon that ends a ceremony (`zkey beacon`).
//!
//! A contribution with secret x multiplies δ by x and divides the L and H
//! queries by it; it publishes `s·G1`, `x·s·G1` and `x·H(transcript)·G2`,
//! which prove knowledge of x and chain the transcript. The secret is
//! dropped when the function returns.
//!
//! In a groth16-cp ceremony a contribution also updates the commitment
//! key with two more secrets σ' and η' ([`super::cp`]), drawn from the
//! same random stream after x.

use ark_bn254::{g1::Config as G1Config, Fr, G1Affine, G1Projective};
use ark_ec::scalar_mul::glv::GLVConfig;
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup};
use ark_ff::{Field, UniformRand, Zero};
use blake2::{Blake2b512, Digest};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;

use super::cp::{self, CpKey};
use super::points::{g1_u, glv_wnaf};
use super::snarkjs_rng::{beacon_rng, g1_from_rng, hash_to_g2};
use super::zkey::{Contribution, Zkey};
use super::Error;

/// Points per chunk when applying a key: each chunk's tables and results
/// are normalised in one batch (one inversion), and a chunk's working set
/// (about 1.5 KiB a point) stays in cache.
const CHUNK: usize = 1 << 10;

/// The wNAF window of the scalar's GLV halves: digits odd in ±[1, 15], a
/// table of 8 multiples a point; measured best of 4, 5 and 6 on 16x256.
const WINDOW: usize = 5;

/// `points · k` for one scalar and many points, in place, in parallel
/// chunks. The scalar is split once into its GLV halves `k = k1 + λ·k2`
/// (~128 bits each) in wNAF form; each point gets a table of its odd
/// multiples, its endomorphism's table costing one multiplication an entry;
/// tables and results are normalised a chunk at a time, so that the ~128
/// doublings take mixed (projective + affine) additions, about one in six
/// bits per half. (arkworks' `glv_mul` decomposes the scalar with big
/// integers for each point and adds in projective form, a pair of bits at a
/// time: ~2.5× slower here.)
pub fn scale(points: &mut [G1Affine], k: Fr) {
    let ((pos1, pos2), d1, d2) = glv_wnaf::<G1Config>(k, WINDOW);
    let entries = 1 << (WINDOW - 2);
    points.par_chunks_mut(CHUNK).for_each(|chunk| {
        // P, 3P, 5P, … for each point, then the whole chunk normalised.
        let mut table = Vec::with_capacity(chunk.len() * entries);
        for p in chunk.iter() {
            let double = p.into_group().double();
            let mut t = p.into_group();
            for _ in 0..entries {
                table.push(t);
                t += double;
            }
        }
        let table = G1Projective::normalize_batch(&table);
        let out: Vec<G1Projective> = table
            .chunks(entries)
            .map(|t| {
                let mut acc = G1Projective::zero();
                for (&a, &b) in d1.iter().zip(&d2).rev() {
                    acc.double_in_place();
                    if a != 0 {
                        let e = t[(a.unsigned_abs() / 2) as usize];
                        acc += if (a > 0) == pos1 { e } else { -e };
                    }
                    if b != 0 {
                        let e = G1Config::endomorphism_affine(&t[(b.unsigned_abs() / 2) as usize]);
                        acc += if (b > 0) == pos2 { e } else { -e };
                    }
                }
                acc
            })
            .collect();
        chunk.copy_from_slice(&G1Projective::normalize_batch(&out));
    });
}

/// Applies the secret `x` with the random point `g1_s` to `z` (and the
/// commitment key's secrets to its key, in a groth16-cp ceremony): the new
/// parameters' contribution is appended. Returns its hash.
fn apply(
    z: &mut Zkey,
    x: Fr,
    g1_s: G1Affine,
    name: Option<String>,
    beacon: Option<(u8, Vec<u8>)>,
    cp: Option<(&mut CpKey, cp::Secrets)>,
) -> Result<[u8; 64], Error> {
    let inv = x
        .inverse()
        .ok_or_else(|| Error::Randomness("a zero secret".into()))?;
    if let Some((_, s)) = &cp {
        s.check()?;
    }
    let mut h = z.transcript_hasher(z.contributions.len());
    let g1_sx = (g1_s * x).into_affine();
    let mut b = Vec::with_capacity(128);
    g1_u(&g1_s, &mut b);
    g1_u(&g1_sx, &mut b);
    h.update(&b);
    let transcript: [u8; 64] = h.finalize().into();
    let g2_spx = (hash_to_g2(&transcript) * x).into_affine();
    z.delta_g1 = (z.delta_g1 * x).into_affine();
    z.delta_g2 = (z.delta_g2 * x).into_affine();
    scale(&mut z.l, inv);
    scale(&mut z.h, inv);
    let cp = cp.map(|(key, s)| cp::apply(key, &s, &transcript, inv));
    let c = Contribution {
        delta_after: z.delta_g1,
        g1_s,
        g1_sx,
        g2_spx,
        transcript,
        name,
        beacon,
        cp,
    };
    let hash = c.hash();
    z.contributions.push(c);
    Ok(hash)
}

/// A contribution with entropy from the operating system and `text`
/// (hashed together with Blake2b-512). Returns the contribution hash.
pub fn contribute(z: &mut Zkey, text: &str, name: Option<String>) -> Result<[u8; 64], Error> {
    contribute_to(z, None, text, name)
}

/// [`contribute`] to a ceremony's parameters `z` and, for groth16-cp, its
/// commitment key `cp`.
pub fn contribute_to(
    z: &mut Zkey,
    cp: Option<&mut CpKey>,
    text: &str,
    name: Option<String>,
) -> Result<[u8; 64], Error> {
    let mut os = [0u8; 64];
    getrandom::getrandom(&mut os).map_err(|e| Error::Randomness(e.to_string()))?;
    let mut h = Blake2b512::new();
    h.update(os);
    h.update(text.as_bytes());
    let seed: [u8; 64] = h.finalize().into();
    let mut s = [0u8; 32];
    s.copy_from_slice(&seed[..32]);
    let mut rng = ChaCha20Rng::from_seed(s);
    let x = Fr::rand(&mut rng);
    let g1_s = (G1Affine::generator() * Fr::rand(&mut rng)).into_affine();
    let cp = cp.map(|key| {
        let mut point = || (G1Affine::generator() * Fr::rand(&mut rng)).into_affine();
        let (g1_s_sigma, g1_s_eta) = (point(), point());
        let (sigma, eta) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
        let s = cp::Secrets {
            sigma,
            g1_s_sigma,
            eta,
            g1_s_eta,
        };
        (key, s)
    });
    apply(z, x, g1_s, name, None, cp)
}

/// The random beacon: the secret and point follow from a public value
/// `hash` through 2^`exp` SHA-256 iterations, as `snarkjs zkey beacon`
/// derives them, so anyone can recompute them.
pub fn beacon(z: &mut Zkey, hash: &[u8], exp: u8, name: Option<String>) -> Result<[u8; 64], Error> {
    beacon_to(z, None, hash, exp, name)
}

/// [`beacon`] to a ceremony's parameters `z` and, for groth16-cp, its
/// commitment key `cp` (σ' and η' follow from the beacon too).
pub fn beacon_to(
    z: &mut Zkey,
    cp: Option<&mut CpKey>,
    hash: &[u8],
    exp: u8,
    name: Option<String>,
) -> Result<[u8; 64], Error> {
    if hash.is_empty() || hash.len() > 255 {
        return Err(Error::Usage(
            "the beacon value must be 1 to 255 bytes".into(),
        ));
    }
    if !(10..=63).contains(&exp) {
        return Err(Error::Usage(
            "the beacon's iterations exponent must be 10 to 63".into(),
        ));
    }
    let (x, g1_s, s) = beacon_keys(hash, exp);
    apply(
        z,
        x,
        g1_s,
        name,
        Some((exp, hash.to_vec())),
        cp.map(|key| (key, s)),
    )
}

/// The beacon's secret and point.
pub fn beacon_key(hash: &[u8], exp: u8) -> (Fr, G1Affine) {
    let (x, g1_s, _) = beacon_keys(hash, exp);
    (x, g1_s)
}

/// The beacon's secret and point, then the commitment key's secrets and
/// points (a groth16-cp ceremony), drawn from the same stream after them
/// (so the first two are snarkjs's).
pub fn beacon_keys(hash: &[u8], exp: u8) -> (Fr, G1Affine, cp::Secrets) {
    let mut rng = beacon_rng(hash, exp);
    let x = rng.fr();
    let g1_s = g1_from_rng(&mut rng);
    let sigma = rng.fr();
    let g1_s_sigma = g1_from_rng(&mut rng);
    let eta = rng.fr();
    let g1_s_eta = g1_from_rng(&mut rng);
    let s = cp::Secrets {
        sigma,
        g1_s_sigma,
        eta,
        g1_s_eta,
    };
    (x, g1_s, s)
}

/// snarkjs's way of printing a 64-byte hash: four lines of four words.
pub fn format_hash(h: &[u8; 64]) -> String {
    h.chunks(16)
        .map(|line| {
            line.chunks(4)
                .map(hex::encode)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .map(|l| format!("\t\t{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::PrimeGroup;
    use rand_chacha::rand_core::SeedableRng;

    /// [`scale`] is `p · k` for every point (the point at infinity among
    /// them), for scalars whose GLV halves take each sign, and small ones.
    #[test]
    fn scale_is_scalar_multiplication() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let mut points: Vec<G1Affine> = (0..CHUNK + 37)
            .map(|_| (G1Projective::generator() * Fr::rand(&mut rng)).into_affine())
            .collect();
        points[5] = G1Affine::zero();
        let mut scalars = vec![Fr::zero(), Fr::from(1u64), -Fr::from(1u64), Fr::from(17u64)];
        scalars.extend((0..40).map(|_| Fr::rand(&mut rng)));
        let mut signs = std::collections::HashSet::new();
        for (j, k) in scalars.into_iter().enumerate() {
            let ((a, _), (b, _)) = G1Config::scalar_decomposition(k);
            signs.insert((a, b));
            // Past a chunk's end for the first scalar; a few points for the rest.
            let n = if j == 0 { points.len() } else { 64 };
            let mut got = points[..n].to_vec();
            scale(&mut got, k);
            for (i, (g, p)) in got.iter().zip(&points).enumerate() {
                assert_eq!(*g, (*p * k).into_affine(), "point {i}, k = {k}");
            }
        }
        for half in [|s: &(bool, bool)| s.0, |s: &(bool, bool)| s.1] {
            let seen: std::collections::HashSet<bool> = signs.iter().map(half).collect();
            assert_eq!(
                seen.len(),
                2,
                "a sign of a GLV half was not tested: {signs:?}"
            );
        }
    }
}
