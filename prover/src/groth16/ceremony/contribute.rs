//! A phase-2 contribution (snarkjs's `zkey contribute`) and the random
//! beacon that ends a ceremony (`zkey beacon`).
//!
//! A contribution with secret x multiplies δ by x and divides the L and H
//! queries by it; it publishes `s·G1`, `x·s·G1` and `x·H(transcript)·G2`,
//! which prove knowledge of x and chain the transcript. The secret is
//! dropped when the function returns.

use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{Field, UniformRand};
use blake2::{Blake2b512, Digest};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;

use super::points::{g1_u, mul};
use super::snarkjs_rng::{beacon_rng, g1_from_rng, hash_to_g2};
use super::zkey::{Contribution, Zkey};
use super::Error;

/// Points per chunk when applying a key (bounds the projective copies).
const CHUNK: usize = 1 << 16;

/// `points · k`, in parallel chunks.
pub fn scale(points: &mut [G1Affine], k: Fr) {
    points.par_chunks_mut(CHUNK).for_each(|chunk| {
        let p: Vec<G1Projective> = chunk.iter().map(|p| mul(p, k)).collect();
        chunk.copy_from_slice(&G1Projective::normalize_batch(&p));
    });
}

/// Applies the secret `x` with the random point `g1_s` to `z`: the new
/// parameters' contribution is appended. Returns its hash.
fn apply(
    z: &mut Zkey,
    x: Fr,
    g1_s: G1Affine,
    name: Option<String>,
    beacon: Option<(u8, Vec<u8>)>,
) -> Result<[u8; 64], Error> {
    let inv = x
        .inverse()
        .ok_or_else(|| Error::Randomness("a zero secret".into()))?;
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
    let c = Contribution {
        delta_after: z.delta_g1,
        g1_s,
        g1_sx,
        g2_spx,
        transcript,
        name,
        beacon,
    };
    let hash = c.hash();
    z.contributions.push(c);
    Ok(hash)
}

/// A contribution with entropy from the operating system and `text`
/// (hashed together with Blake2b-512). Returns the contribution hash.
pub fn contribute(z: &mut Zkey, text: &str, name: Option<String>) -> Result<[u8; 64], Error> {
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
    apply(z, x, g1_s, name, None)
}

/// The random beacon: the secret and point follow from a public value
/// `hash` through 2^`exp` SHA-256 iterations, as `snarkjs zkey beacon`
/// derives them, so anyone can recompute them.
pub fn beacon(z: &mut Zkey, hash: &[u8], exp: u8, name: Option<String>) -> Result<[u8; 64], Error> {
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
    let (x, g1_s) = beacon_key(hash, exp);
    apply(z, x, g1_s, name, Some((exp, hash.to_vec())))
}

/// The beacon's secret and point.
pub fn beacon_key(hash: &[u8], exp: u8) -> (Fr, G1Affine) {
    let mut rng = beacon_rng(hash, exp);
    let x = rng.fr();
    let g1_s = g1_from_rng(&mut rng);
    (x, g1_s)
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
