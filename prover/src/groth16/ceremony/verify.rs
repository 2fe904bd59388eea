//! Verifying a phase-2 transcript (snarkjs's `zkey verify`): the
//! parameters must be the initial ones recomputed from phase 1 and the
//! circuit, changed only by the listed contributions, each proving
//! knowledge of its secret and chained to the ones before by hash.

use std::path::Path;

use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{One, UniformRand};
use blake2::Digest;
use rand_chacha::rand_core::RngCore;

use super::contribute::beacon_keys;
use super::cp::{self, CpKey};
use super::points::g1_u;
use super::snarkjs_rng::hash_to_g2;
use super::zkey::Zkey;
use super::Error;

/// A verified contribution.
#[derive(Clone, Debug)]
pub struct Verified {
    /// 1 = first.
    pub index: usize,
    /// Its name.
    pub name: Option<String>,
    /// Its hash (what its contributor was shown).
    pub hash: [u8; 64],
    /// The beacon's value and iterations exponent, if a beacon.
    pub beacon: Option<(u8, Vec<u8>)>,
}

/// `e(a, d) == e(b, c)`: `b/a == d/c` ("same ratio").
pub fn same_ratio(a: G1Affine, b: G1Affine, c: G2Affine, d: G2Affine) -> bool {
    Bn254::multi_pairing([a, (-b.into_group()).into_affine()], [d, c]).0
        == <Bn254 as Pairing>::TargetField::one()
}

/// Checks the contributions of `z` (read from `path`): each one's
/// transcript hash follows the ones before it, proves knowledge of its
/// secret, and moves δ by that secret; δ is the last one's. Cheap (a few
/// pairings per contribution): run it before [`verify_against`].
pub fn verify_chain(z: &Zkey, path: &Path) -> Result<Vec<Verified>, Error> {
    verify_chain_with(z, None, path)
}

/// [`verify_chain`] of a ceremony's parameters `z` and, for groth16-cp,
/// its commitment key `cp`: each contribution's commitment-key part is
/// checked right after its δ ([`cp::Chain`]), so a failure names the
/// first contribution at fault.
pub fn verify_chain_with(
    z: &Zkey,
    cp: Option<&CpKey>,
    path: &Path,
) -> Result<Vec<Verified>, Error> {
    let bad = |reason: String| Error::Transcript {
        path: path.to_path_buf(),
        reason,
    };
    let mut out = Vec::new();
    let mut delta = G1Affine::generator();
    let mut chain = cp.map(|_| cp::Chain::new());
    for (i, c) in z.contributions.iter().enumerate() {
        let fail = |reason: &str| Error::Contribution {
            path: path.to_path_buf(),
            index: i + 1,
            name: c.name.clone(),
            reason: reason.to_string(),
        };
        if let Some((exp, _)) = &c.beacon {
            if !(10..=63).contains(exp) {
                return Err(fail(&format!(
                    "its beacon iterations exponent is {exp}, not 10 to 63"
                )));
            }
        }
        let mut h = z.transcript_hasher(i);
        let mut b = Vec::with_capacity(128);
        g1_u(&c.g1_s, &mut b);
        g1_u(&c.g1_sx, &mut b);
        h.update(&b);
        let transcript: [u8; 64] = h.finalize().into();
        if transcript != c.transcript {
            return Err(fail("its transcript hash does not follow the contributions before it (broken hash chain)"));
        }
        if c.g1_s.is_zero() || c.g1_sx.is_zero() {
            return Err(fail("its public key is the identity"));
        }
        let g2_sp = hash_to_g2(&c.transcript);
        if !same_ratio(c.g1_s, c.g1_sx, g2_sp, c.g2_spx) {
            return Err(fail("its proof of knowledge fails (G1 and G2 keys differ)"));
        }
        if !same_ratio(delta, c.delta_after, g2_sp, c.g2_spx) {
            return Err(fail("δ after it is not δ before it times its secret"));
        }
        // The beacon's keys, derived once (2^exp hashes) for δ and the
        // commitment key.
        let mut beacon_secrets = None;
        if let Some((exp, value)) = &c.beacon {
            let (x, g1_s, s) = beacon_keys(value, *exp);
            if g1_s != c.g1_s || (g1_s * x).into_affine() != c.g1_sx {
                return Err(fail("its key is not the one the beacon value gives"));
            }
            beacon_secrets = Some(s);
        }
        match (&mut chain, &c.cp) {
            (Some(chain), Some(k)) => chain
                .step(c, k, beacon_secrets.as_ref())
                .map_err(|r| fail(&r))?,
            (None, None) => {}
            (Some(_), None) => {
                return Err(fail(
                    "it has no commitment-key part (this is a groth16-cp ceremony)",
                ))
            }
            (None, Some(_)) => {
                return Err(fail(
                    "it has a commitment-key part in a plain Groth16 ceremony",
                ))
            }
        }
        out.push(Verified {
            index: i + 1,
            name: c.name.clone(),
            hash: c.hash(),
            beacon: c.beacon.clone(),
        });
        delta = c.delta_after;
    }
    if z.delta_g1 != delta {
        return Err(bad("δ·G1 is not the last contribution's".into()));
    }
    if !same_ratio(
        G1Affine::generator(),
        z.delta_g1,
        G2Affine::generator(),
        z.delta_g2,
    ) {
        return Err(bad("δ·G2 is not the δ of δ·G1".into()));
    }
    if let (Some(chain), Some(key)) = (chain, cp) {
        chain.finish(key).map_err(bad)?;
    }
    Ok(out)
}

/// Why a verified transcript still gives keys someone may know: no
/// contribution, or only beacons (whose secrets are public).
pub fn weakness(list: &[Verified]) -> Option<&'static str> {
    if list.is_empty() {
        Some("no phase-2 contribution: δ = 1, anyone can forge proofs")
    } else if list.iter().all(|v| v.beacon.is_some()) {
        Some("only beacon contributions: δ follows from public values, anyone can forge proofs")
    } else {
        None
    }
}

/// The whole transcript: [`verify_chain`], then [`verify_against`] `init`
/// (the initial parameters recomputed from phase 1 and the circuit).
pub fn verify(
    z: &Zkey,
    init: &Zkey,
    path: &Path,
    rng: &mut impl RngCore,
) -> Result<Vec<Verified>, Error> {
    let list = verify_chain(z, path)?;
    verify_against(z, init, path, rng)?;
    Ok(list)
}

/// Checks `z` (read from `path`) against `init`, the initial parameters
/// recomputed from phase 1 and the circuit: everything but δ, L and H must
/// be the same, and L and H the initial ones over δ.
pub fn verify_against(
    z: &Zkey,
    init: &Zkey,
    path: &Path,
    rng: &mut impl RngCore,
) -> Result<(), Error> {
    let bad = |reason: String| Error::Transcript {
        path: path.to_path_buf(),
        reason,
    };
    if (z.n_vars, z.n_public, z.domain_size) != (init.n_vars, init.n_public, init.domain_size) {
        return Err(Error::WrongCircuit {
            path: path.to_path_buf(),
            reason: format!(
                "{} wires, {} public, domain {}; the circuit has {}, {}, {}",
                z.n_vars, z.n_public, z.domain_size, init.n_vars, init.n_public, init.domain_size
            ),
        });
    }
    if z.coefs != init.coefs {
        return Err(Error::WrongCircuit {
            path: path.to_path_buf(),
            reason: "the coefficients (section 4) are not the circuit's".into(),
        });
    }
    for (ok, what) in [
        (z.alpha_g1 == init.alpha_g1, "α·G1"),
        (z.beta_g1 == init.beta_g1, "β·G1"),
        (z.beta_g2 == init.beta_g2, "β·G2"),
        (z.gamma_g2 == init.gamma_g2, "γ·G2"),
        (z.ic == init.ic, "IC (section 3)"),
        (z.a == init.a, "A (section 5)"),
        (z.b_g1 == init.b_g1, "B1 (section 6)"),
        (z.b_g2 == init.b_g2, "B2 (section 7)"),
        (z.cs_hash == init.cs_hash, "the circuit hash"),
    ] {
        if !ok {
            return Err(bad(format!(
                "{what} is not the one phase 1 gives for this circuit"
            )));
        }
    }
    // L and H: the initial ones over δ, in a random linear combination.
    for (now, then, what) in [
        (&z.l, &init.l, "L (section 8)"),
        (&z.h, &init.h, "H (section 9)"),
    ] {
        if now.len() != then.len() {
            return Err(bad(format!(
                "{what} has {} points, not {}",
                now.len(),
                then.len()
            )));
        }
        let r: Vec<Fr> = (0..now.len()).map(|_| Fr::rand(rng)).collect();
        let a = G1Projective::msm_unchecked(now, &r).into_affine();
        let b = G1Projective::msm_unchecked(then, &r).into_affine();
        if !same_ratio(a, b, G2Affine::generator(), z.delta_g2) {
            return Err(bad(format!("{what} is not the initial one divided by δ")));
        }
    }
    Ok(())
}
