//! A phase 1 of a *known* τ, α, β in snarkjs's `.ptau` format: whoever
//! holds the secrets can forge proofs, so it is for tests and benchmarks
//! only (where no public file may be downloaded, and where snarkjs's
//! `powersoftau prepare phase2` would take hours at 2^21).

use ark_bn254::{Fq, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup, ScalarMul};
use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use blake2::{Blake2b512, Digest};

use super::binfile::Writer;
use super::points::{g1_lem, g1_u, g1s_lem, g2_lem, g2_u, g2s_lem};
use super::snarkjs_rng::hash_to_g2;

/// The secrets of phase 1.
#[derive(Clone, Copy, Debug)]
pub struct Secrets {
    /// τ.
    pub tau: Fr,
    /// α.
    pub alpha: Fr,
    /// β.
    pub beta: Fr,
}

/// The inverse FFT of `v` (one level of a prepared file's Lagrange sections).
fn ifft(v: &[Fr]) -> Vec<Fr> {
    match Radix2EvaluationDomain::<Fr>::new(v.len()) {
        Some(d) => d.ifft(v),
        None => Vec::new(),
    }
}

/// The bytes of a `.ptau` of `2^power` for `s`: sections 1–7 (one
/// contribution recorded, see [`contribution`]) and, when `prepared`, the Lagrange sections
/// 12–15 of `powersoftau prepare phase2` (its top G1 level taking
/// τ^(2^(power+1)−1) as zero, as snarkjs does).
pub fn ptau_bytes(power: u32, s: &Secrets, prepared: bool) -> Vec<u8> {
    let n = 1usize << power;
    let powers: Vec<Fr> = std::iter::successors(Some(Fr::ONE), |x| Some(*x * s.tau))
        .take(2 * n)
        .collect();
    let scale = |v: &[Fr], k: Fr| v.iter().map(|x| *x * k).collect::<Vec<_>>();
    let g1_points = |v: &[Fr]| G1Projective::generator().batch_mul(v);
    let g2_points = |v: &[Fr]| G2Projective::generator().batch_mul(v);
    let g1 = |v: &[Fr]| g1s_lem(&g1_points(v));
    let g2 = |v: &[Fr]| g2s_lem(&g2_points(v));
    let mut header = Vec::new();
    header.extend_from_slice(&32u32.to_le_bytes());
    header.extend_from_slice(&Fq::MODULUS.to_bytes_le());
    header.extend_from_slice(&power.to_le_bytes());
    header.extend_from_slice(&power.to_le_bytes());
    let mut w = Writer::new(b"ptau", 1, if prepared { 11 } else { 7 });
    w.section(1, &header);
    let (tau_g1, tau_g2) = (g1_points(&powers[..2 * n - 1]), g2_points(&powers[..n]));
    let alpha_g1 = g1_points(&scale(&powers[..n], s.alpha));
    let beta_g1 = g1_points(&scale(&powers[..n], s.beta));
    let beta_g2 = g2_points(&[s.beta]);
    // What the contribution's next challenge hashes: sections 2–6, uncompressed.
    let mut hashed = Vec::new();
    tau_g1.iter().for_each(|p| g1_u(p, &mut hashed));
    tau_g2.iter().for_each(|p| g2_u(p, &mut hashed));
    alpha_g1
        .iter()
        .chain(&beta_g1)
        .for_each(|p| g1_u(p, &mut hashed));
    beta_g2.iter().for_each(|p| g2_u(p, &mut hashed));
    w.section(2, &g1s_lem(&tau_g1));
    w.section(3, &g2s_lem(&tau_g2));
    w.section(4, &g1s_lem(&alpha_g1));
    w.section(5, &g1s_lem(&beta_g1));
    w.section(6, &g2s_lem(&beta_g2));
    w.section(7, &contribution(power, s, &hashed));
    if !prepared {
        return w.finish();
    }
    let levels = |top: u32, zero_last: bool, k: Fr| -> Vec<Fr> {
        let mut out = Vec::new();
        for p in 0..=top {
            let mut v = powers[..1 << p].to_vec();
            if zero_last && p == top {
                v[(1 << p) - 1] = Fr::ZERO;
            }
            out.extend(ifft(&v).into_iter().map(|x| x * k));
        }
        out
    };
    w.section(12, &g1(&levels(power + 1, true, Fr::ONE)));
    w.section(13, &g2(&levels(power, false, Fr::ONE)));
    w.section(14, &g1(&levels(power, false, s.alpha)));
    w.section(15, &g1(&levels(power, false, s.beta)));
    w.finish()
}

/// Blake2b-512 of the concatenation of `parts`.
fn blake2b(parts: &[&[u8]]) -> [u8; 64] {
    let mut h = Blake2b512::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// snarkjs's `calculateFirstChallengeHash`: the hash of a fresh ceremony's
/// powers (all generators).
fn first_challenge(power: u32) -> [u8; 64] {
    let n = 1usize << power;
    let (mut g1, mut g2) = (Vec::new(), Vec::new());
    g1_u(&G1Affine::generator(), &mut g1);
    g2_u(&G2Affine::generator(), &mut g2);
    let mut h = Blake2b512::new();
    h.update(blake2b(&[]));
    for (p, count) in [(&g1, 2 * n - 1), (&g2, n), (&g1, n), (&g1, n), (&g2, 1)] {
        for _ in 0..count {
            h.update(p);
        }
    }
    h.finalize().into()
}

/// A fresh Blake2b-512 state as snarkjs stores it in a contribution's
/// "partial hash" (`misc.toPartialHash` of `@noble/hashes`' state: the
/// 128-byte buffer, then h0…h7 as low and high 32-bit little-endian words,
/// then the length and position, all zero here).
fn fresh_partial_hash() -> [u8; 216] {
    // RFC 7693's IV; h0 also takes the parameter block of a 64-byte digest
    // without key (0x0101_0040).
    const IV: [u64; 8] = [
        0x6a09_e667_f3bc_c908,
        0xbb67_ae85_84ca_a73b,
        0x3c6e_f372_fe94_f82b,
        0xa54f_f53a_5f1d_36f1,
        0x510e_527f_ade6_82d1,
        0x9b05_688c_2b3e_6c1f,
        0x1f83_d9ab_fb41_bd6b,
        0x5be0_cd19_137e_2179,
    ];
    let mut out = [0u8; 216];
    for (i, h) in IV.iter().enumerate() {
        let h = if i == 0 { h ^ 0x0101_0040 } else { *h };
        out[128 + 8 * i..136 + 8 * i].copy_from_slice(&h.to_le_bytes());
    }
    out
}

/// Section 7: one contribution of secrets `s` to a fresh ceremony, as
/// `snarkjs powersoftau contribute` records it (its public key: `s·G1`,
/// `x·s·G1` and `x·H(challenge, …)·G2` for each of τ, α, β; the response
/// hash, here of the key alone; the next challenge, the hash of the response
/// hash and `hashed`, sections 2–6 uncompressed), so that `snarkjs
/// powersoftau verify` accepts the file.
fn contribution(power: u32, s: &Secrets, hashed: &[u8]) -> Vec<u8> {
    let challenge = first_challenge(power);
    let (g1, g2) = (G1Affine::generator(), G2Affine::generator());
    let mut key_g1 = Vec::new();
    let mut key_g1_u = Vec::new();
    let mut key_g2 = Vec::new();
    let mut key_g2_u = Vec::new();
    for (i, x) in [s.tau, s.alpha, s.beta].into_iter().enumerate() {
        // Any point not at infinity: the pairing checks hold for every one.
        let g1_s = (g1 * Fr::from(i as u64 + 2)).into_affine();
        let g1_sx = (g1_s * x).into_affine();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        g1_u(&g1_s, &mut a);
        g1_u(&g1_sx, &mut b);
        let g2_sp = hash_to_g2(&blake2b(&[&[i as u8], &challenge, &a, &b]));
        let g2_spx = (g2_sp * x).into_affine();
        key_g1_u.extend_from_slice(&a);
        key_g1_u.extend_from_slice(&b);
        g1_lem(&g1_s, &mut key_g1);
        g1_lem(&g1_sx, &mut key_g1);
        g2_u(&g2_spx, &mut key_g2_u);
        g2_lem(&g2_spx, &mut key_g2);
    }
    let response = blake2b(&[&key_g1_u, &key_g2_u]);
    let next = blake2b(&[&response, hashed]);
    let mut out = 1u32.to_le_bytes().to_vec();
    g1_lem(&(g1 * s.tau).into_affine(), &mut out);
    g2_lem(&(g2 * s.tau).into_affine(), &mut out);
    g1_lem(&(g1 * s.alpha).into_affine(), &mut out);
    g1_lem(&(g1 * s.beta).into_affine(), &mut out);
    g2_lem(&(g2 * s.beta).into_affine(), &mut out);
    out.extend_from_slice(&key_g1);
    out.extend_from_slice(&key_g2);
    out.extend_from_slice(&fresh_partial_hash());
    out.extend_from_slice(&next);
    out.extend_from_slice(&0u32.to_le_bytes()); // type: a contribution, not a beacon
    out.extend_from_slice(&0u32.to_le_bytes()); // no parameters (no name)
    out
}
