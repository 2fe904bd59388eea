//! Reading an SRS file (halo2's raw `ParamsKZG`: `k`, then `g` and its
//! Lagrange form, 2^k G1 points of 64 bytes each, then `g2` and `s·g2`, 128
//! bytes each) and checking it is what a KZG verifier may rely on.
//!
//! Only `g2 ‖ s·g2` is compared with the ceremony (`srs_digest`); every
//! commitment of the verifying key is computed from the G1 points, so those
//! are checked against `s·g2` here: `g_0` is the generator, each point is on
//! the curve, `g_{i+1} = s·g_i` (one pairing equation over a random linear
//! combination) and the Lagrange points are the inverse DFT of `g` (one MSM
//! equation). Without this, a file with the ceremony's `g2 ‖ s·g2` and
//! crafted Lagrange points would give a verifying key of another circuit
//! (e.g. one that copies no public input) that still matches `halo2.vk`.
//! The challenges are Keccak-256 of every point (Fiat–Shamir), so a file
//! cannot be made for them.

use std::path::Path;

use halo2_proofs::arithmetic::best_multiexp;
use halo2_proofs::halo2curves::bn256::{Bn256, Fr, G1Affine};
use halo2_proofs::halo2curves::ff::{Field, FromUniformBytes, PrimeField};
use halo2_proofs::halo2curves::group::prime::PrimeCurveAffine;
use halo2_proofs::halo2curves::group::Curve;
use halo2_proofs::halo2curves::pairing::Engine;
use halo2_proofs::halo2curves::serde::SerdeObject;
use halo2_proofs::halo2curves::CurveAffine;
use halo2_proofs::poly::commitment::{Params, ParamsProver};
use halo2_proofs::poly::kzg::commitment::ParamsKZG;
use sha3::{Digest, Keccak256};

use super::{FORMAT, MAX_SRS_K};
use crate::Error;

const G1_BYTES: usize = 64;
const G2_BYTES: usize = 128;

fn bad(path: &Path, reason: String) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        reason,
    }
}

/// Reads an SRS file (as Axiom and PSE publish powers of tau for halo2),
/// checks it, and cuts it to `k`; an SRS smaller than `k` is an error.
/// For `poa setup --srs`.
pub fn read_srs(path: &Path, k: u32) -> Result<ParamsKZG<Bn256>, Error> {
    read(path, k, MAX_SRS_K)
}

/// [`read_srs`] of a params folder's SRS, which setup cut to exactly the
/// shape's `k`: a larger one is refused before anything is read.
pub fn read_srs_exact(path: &Path, k: u32) -> Result<ParamsKZG<Bn256>, Error> {
    read(path, k, k)
}

fn read(path: &Path, k: u32, max_k: u32) -> Result<ParamsKZG<Bn256>, Error> {
    let io = |cause| Error::Io {
        path: path.to_path_buf(),
        cause,
    };
    // halo2 allocates 2·2^k points from the `k` in the file: check it, and
    // the size it implies, on the open file before reading it.
    // Before opening: opening a FIFO would block.
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(bad(path, "not a regular file".into()));
    }
    let mut file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(bad(path, "not a regular file".into()));
    }
    let mut head = [0u8; 4];
    std::io::Read::read_exact(&mut file, &mut head).map_err(io)?;
    let file_k = u32::from_le_bytes(head);
    if !(k..=max_k).contains(&file_k) {
        return Err(bad(
            path,
            format!("the SRS has k = {file_k}, the shape needs {k} … {max_k}"),
        ));
    }
    let n = 1usize << file_k;
    let expected = 4 + 2 * G1_BYTES * n + 2 * G2_BYTES;
    if meta.len() != expected as u64 {
        return Err(bad(
            path,
            format!(
                "{} bytes: a raw ParamsKZG of k = {file_k} has {expected}",
                meta.len()
            ),
        ));
    }
    // One read of what was checked (no second open of the path).
    let mut bytes = head.to_vec();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(&mut file, (expected - 4) as u64),
        &mut bytes,
    )
    .map_err(io)?;
    if bytes.len() != expected {
        return Err(bad(path, "the file changed while it was read".into()));
    }
    let mut params = ParamsKZG::<Bn256>::read_custom(&mut bytes.as_slice(), FORMAT)
        .map_err(|e| bad(path, format!("not a halo2 KZG SRS (raw ParamsKZG): {e}")))?;
    let lagrange = (file_k == k).then(|| &bytes[4 + G1_BYTES * n..4 + 2 * G1_BYTES * n]);
    if file_k > k {
        // Cutting recomputes the Lagrange points from `g`.
        params.downsize(k);
    }
    check(&params, lagrange).map_err(|reason| bad(path, reason))?;
    Ok(params)
}

/// The checks of the module doc on an SRS made in memory (e.g. from a
/// `.ptau`'s powers, its Lagrange points computed by halo2): `g_0`, the
/// points on the curve and `g_{i+1} = s·g_i` against `s·g2`.
pub fn check_srs(params: &ParamsKZG<Bn256>) -> Result<(), String> {
    check(params, None)
}

/// The checks of the module doc on `params` (cut to its `k`); `lagrange`
/// is the raw Lagrange points that `params` holds, when they were read
/// from the file rather than computed.
fn check(params: &ParamsKZG<Bn256>, lagrange: Option<&[u8]>) -> Result<(), String> {
    let g = params.get_g();
    let n = g.len();
    if g.first() != Some(&G1Affine::generator()) {
        return Err("g_0 is not the generator of G1".into());
    }
    // The identity passes `is_on_curve` but no power of s is it (and the
    // batch MSM assumes no base is).
    let fine = |p: &G1Affine| bool::from(p.is_on_curve()) && !bool::from(p.is_identity());
    if let Some(i) = g.iter().position(|p| !fine(p)) {
        return Err(format!(
            "g_{i} is not a point of the curve other than the identity"
        ));
    }
    let (g2, s_g2) = (params.g2(), params.s_g2());
    for (name, p) in [("g2", g2), ("s·g2", s_g2)] {
        if !bool::from(p.is_on_curve()) || bool::from(p.is_identity()) {
            return Err(format!(
                "{name} is not a point of the curve other than the identity"
            ));
        }
    }
    let lagrange: Option<Vec<G1Affine>> = lagrange
        .map(|raw| {
            raw.chunks(G1_BYTES)
                .enumerate()
                .map(|(i, b)| {
                    G1Affine::from_raw_bytes(b)
                        .filter(fine)
                        .ok_or_else(|| {
                            format!("Lagrange point {i} is not a point of the curve other than the identity")
                        })
                })
                .collect()
        })
        .transpose()?;

    // Fiat–Shamir challenges over every point.
    let mut h = Keccak256::new();
    for p in g.iter().chain(lagrange.iter().flatten()) {
        h.update(p.to_raw_bytes());
    }
    h.update(g2.to_raw_bytes());
    h.update(s_g2.to_raw_bytes());
    let seed: [u8; 32] = h.finalize().into();
    let challenge = |tag: u8| {
        let mut wide = [0u8; 64];
        wide[..32].copy_from_slice(&Keccak256::digest([&seed[..], &[tag, 0]].concat()));
        wide[32..].copy_from_slice(&Keccak256::digest([&seed[..], &[tag, 1]].concat()));
        Fr::from_uniform_bytes(&wide)
    };
    let powers = |rho: Fr, len: usize| {
        let mut out = Vec::with_capacity(len);
        let mut x = Fr::ONE;
        for _ in 0..len {
            out.push(x);
            x *= rho;
        }
        out
    };

    // g_{i+1} = s·g_i for all i: e(Σ ρ^i g_{i+1}, g2) = e(Σ ρ^i g_i, s·g2).
    let r = powers(challenge(0), n - 1);
    let shifted = best_multiexp(&r, &g[1..]).to_affine();
    let base = best_multiexp(&r, &g[..n - 1]).to_affine();
    if Bn256::pairing(&shifted, &g2) != Bn256::pairing(&base, &s_g2) {
        return Err("the G1 points are not the powers of the s in s·g2".into());
    }

    // L_j = (1/n) Σ_i ω^{-ij} g_i, so Σ_j ρ^j L_j = Σ_i c_i g_i with
    // c_i = (ρ^n − 1) / (n (ρ ω^{-i} − 1)).
    if let Some(lagrange) = lagrange {
        let rho = challenge(1);
        let k = params.k();
        let mut omega_inv = Fr::ROOT_OF_UNITY_INV;
        for _ in k..Fr::S {
            omega_inv = omega_inv.square();
        }
        let n_fr = Fr::from(n as u64);
        let rho_n = rho.pow_vartime([n as u64]);
        let mut denominators = Vec::with_capacity(n);
        let mut w = Fr::ONE;
        for _ in 0..n {
            denominators.push(n_fr * (rho * w - Fr::ONE));
            w *= omega_inv;
        }
        let mut c = Vec::with_capacity(n);
        for d in &denominators {
            let inv = Option::<Fr>::from(d.invert()).ok_or("a degenerate challenge")?;
            c.push((rho_n - Fr::ONE) * inv);
        }
        let left = best_multiexp(&powers(rho, n), &lagrange);
        let right = best_multiexp(&c, g);
        if left != right {
            return Err("the Lagrange points are not the Lagrange basis of g".into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use halo2_proofs::halo2curves::bn256::{Bn256, G1Affine};
    use halo2_proofs::poly::commitment::Params;
    use halo2_proofs::poly::kzg::commitment::ParamsKZG;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    use super::*;

    fn file(params: &ParamsKZG<Bn256>) -> Vec<u8> {
        let mut out = Vec::new();
        params.write_custom(&mut out, FORMAT).unwrap_or_default();
        out
    }

    fn read_bytes(bytes: &[u8], k: u32) -> Result<ParamsKZG<Bn256>, Error> {
        let path = std::env::temp_dir().join(format!(
            "poa-srs-{}-{}",
            std::process::id(),
            Keccak256::digest(bytes)[0]
        ));
        std::fs::write(&path, bytes).map_err(|cause| Error::Io {
            path: path.clone(),
            cause,
        })?;
        let r = read_srs(&path, k);
        let _ = std::fs::remove_file(&path);
        r
    }

    #[test]
    fn an_honest_srs_passes_and_each_forgery_is_refused() {
        let params = ParamsKZG::<Bn256>::setup(4, ChaCha20Rng::seed_from_u64(4));
        let honest = file(&params);
        assert!(read_bytes(&honest, 4).is_ok());
        // Cut from a larger one: still the powers of s.
        let big = file(&ParamsKZG::<Bn256>::setup(5, ChaCha20Rng::seed_from_u64(5)));
        assert_eq!(read_bytes(&big, 4).map(|p| p.k()).ok(), Some(4));

        let n = 16;
        let point = |i: usize| 4 + 64 * i;
        let other = G1Affine::generator() * Fr::from(7);
        let other = other.to_affine().to_raw_bytes();
        for (what, at, why) in [
            ("a Lagrange point", point(n + 3), "Lagrange"),
            ("a power of s", point(5), "powers"),
            ("g_0", point(0), "generator"),
        ] {
            let mut forged = honest.clone();
            forged[at..at + 64].copy_from_slice(&other);
            let e = read_bytes(&forged, 4).err().map(|e| e.to_string());
            assert!(
                e.as_deref().is_some_and(|e| e.contains(why)),
                "{what}: {e:?}"
            );
        }
        // A point off the curve.
        let mut forged = honest.clone();
        forged[point(2) + 1] ^= 1;
        assert!(read_bytes(&forged, 4).is_err());
        // The identity (all zero) as a power or a Lagrange point.
        for at in [point(3), point(n + 5)] {
            let mut forged = honest.clone();
            forged[at..at + 64].fill(0);
            let e = read_bytes(&forged, 4).err().map(|e| e.to_string());
            assert!(
                e.as_deref().is_some_and(|e| e.contains("identity")),
                "{e:?}"
            );
        }
    }
}
