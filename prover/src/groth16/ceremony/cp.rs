//! Phase 2 of groth16-cp (`docs/groth16-cp.md` §6): the snarkjs-style
//! Groth16 phase 2 of the commit-and-prove circuit, plus its commitment
//! key, whose trapdoors σ and η every contribution updates.
//!
//! γ stays 1 (as in snarkjs's phase 2), so the commitment key
//! `ck_i = [K_i/γ]₁ = [K_i]₁` is phase-1 data: at init it is the committed
//! wires' L entries (δ = 1), which are then set to the identity; it never
//! changes. The rest starts at σ = η = 1 and a contribution with secrets
//! x (δ's), σ', η' does
//!
//! ```text
//! pok_ck ← σ'·pok_ck     [σγ]₂ ← σ'·[σγ]₂     pok_blind ← σ'η'·pok_blind
//! ck_blind ← η'·ck_blind  eta_delta ← (η'/x)·eta_delta
//! ```
//!
//! and publishes, for σ' and η' each, a proof of knowledge of snarkjs's
//! kind for δ (`s·G1`, `x·s·G1`, `x·H(t)` in G2, `t` the δ transcript of
//! the contribution hashed with a tag of its own and the two G1 points),
//! and `[σγ]₂`, `[η/γ]₁` after it, which the verifier checks against the
//! ones before by the ratios the proofs give ([`Chain`]). The final key's
//! other elements are tied to those two by pairings ([`check_key`]).

use std::path::Path;

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{UniformRand, Zero};
use ark_relations::r1cs::ConstraintMatrices;
use blake2::{Blake2b512, Digest};
use rand_chacha::rand_core::RngCore;

use super::binfile::Cursor;
use super::contribute::scale;
use super::points::{
    g1_from_lem, g1_lem, g1_u, g1s, g2_from_lem, g2_lem, g2_u, G1_BYTES, G2_BYTES,
};
use super::ptau::Check;
use super::snarkjs_rng::hash_to_g2;
use super::verify::{same_ratio, verify_against, verify_chain_with, Verified};
use super::zkey::{Contribution, Zkey};
use super::{files, init, Error};

/// The state file's section of the commitment key.
pub const SECTION_KEY: u32 = 11;
/// The state file's section of the contributions' commitment-key parts.
pub const SECTION_CONTRIBUTIONS: u32 = 12;

/// Domain tags of the proofs of knowledge of σ' and η' (ours): their
/// hash-to-G2 points differ from δ's and from each other's.
const SIGMA_TAG: &[u8] = b"poa groth16-cp phase 2: sigma";
const ETA_TAG: &[u8] = b"poa groth16-cp phase 2: eta";

/// A ceremony's commitment key (γ = 1).
#[derive(Clone, Debug, PartialEq)]
pub struct CpKey {
    /// The committed witnesses (indices among the witnesses), in
    /// commitment order.
    pub committed: Vec<u32>,
    /// `[K_i/γ]₁`, one per committed witness: phase-1 data.
    pub ck: Vec<G1Affine>,
    /// `[σ·K_i/γ]₁`.
    pub pok_ck: Vec<G1Affine>,
    /// `[η/γ]₁`.
    pub ck_blind: G1Affine,
    /// `[σ·η/γ]₁`.
    pub pok_blind: G1Affine,
    /// `[η/δ]₁`.
    pub eta_delta: G1Affine,
    /// `[σγ]₂`.
    pub sigma_gamma_g2: G2Affine,
}

/// A proof of knowledge of a secret x: `s·G1`, `x·s·G1`, `x·H(t)·G2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PubKey {
    /// A random point s·G1.
    pub g1_s: G1Affine,
    /// x·s·G1.
    pub g1_sx: G1Affine,
    /// x·H(t)·G2.
    pub g2_spx: G2Affine,
}

/// A contribution's part of the commitment key's update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CpContribution {
    /// `[σγ]₂` after it.
    pub sigma_gamma_after: G2Affine,
    /// `[η/γ]₁` after it.
    pub ck_blind_after: G1Affine,
    /// The proof of knowledge of σ'.
    pub sigma: PubKey,
    /// The proof of knowledge of η'.
    pub eta: PubKey,
}

/// Bytes of a [`CpContribution`] in the state file.
const CONTRIBUTION_BYTES: usize = G2_BYTES + G1_BYTES + 2 * (2 * G1_BYTES + G2_BYTES);

impl CpContribution {
    /// Its points, uncompressed (what the contribution hash covers).
    pub fn write_uncompressed(&self, out: &mut Vec<u8>) {
        g2_u(&self.sigma_gamma_after, out);
        g1_u(&self.ck_blind_after, out);
        for k in [&self.sigma, &self.eta] {
            g1_u(&k.g1_s, out);
            g1_u(&k.g1_sx, out);
            g2_u(&k.g2_spx, out);
        }
    }

    fn write_lem(&self, out: &mut Vec<u8>) {
        g2_lem(&self.sigma_gamma_after, out);
        g1_lem(&self.ck_blind_after, out);
        for k in [&self.sigma, &self.eta] {
            g1_lem(&k.g1_s, out);
            g1_lem(&k.g1_sx, out);
            g2_lem(&k.g2_spx, out);
        }
    }
}

/// A contribution's secrets for the commitment key.
#[derive(Clone, Copy)]
pub struct Secrets {
    /// σ'.
    pub sigma: Fr,
    /// The random point of σ''s proof of knowledge.
    pub g1_s_sigma: G1Affine,
    /// η'.
    pub eta: Fr,
    /// The random point of η''s proof of knowledge.
    pub g1_s_eta: G1Affine,
}

impl Secrets {
    /// Refuses zero secrets (they would zero the key) and identity points.
    pub fn check(&self) -> Result<(), Error> {
        if self.sigma.is_zero()
            || self.eta.is_zero()
            || self.g1_s_sigma.is_zero()
            || self.g1_s_eta.is_zero()
        {
            return Err(Error::Randomness("a zero secret".into()));
        }
        Ok(())
    }
}

/// The transcript hash a proof of knowledge's G2 point is derived from:
/// Blake2b-512 of `tag`, the contribution's δ transcript and the two G1
/// points.
fn pok_transcript(
    tag: &[u8],
    transcript: &[u8; 64],
    g1_s: &G1Affine,
    g1_sx: &G1Affine,
) -> [u8; 64] {
    let mut h = Blake2b512::new();
    h.update(tag);
    h.update(transcript);
    let mut b = Vec::with_capacity(2 * G1_BYTES);
    g1_u(g1_s, &mut b);
    g1_u(g1_sx, &mut b);
    h.update(&b);
    h.finalize().into()
}

fn pub_key(tag: &[u8], transcript: &[u8; 64], g1_s: G1Affine, x: Fr) -> PubKey {
    let g1_sx = (g1_s * x).into_affine();
    let t = pok_transcript(tag, transcript, &g1_s, &g1_sx);
    PubKey {
        g1_s,
        g1_sx,
        g2_spx: (hash_to_g2(&t) * x).into_affine(),
    }
}

/// Applies the secrets `s` ([`Secrets::check`]ed) to `key`, for the
/// contribution of δ transcript `transcript` and δ secret `1/x_inv`.
pub(super) fn apply(
    key: &mut CpKey,
    s: &Secrets,
    transcript: &[u8; 64],
    x_inv: Fr,
) -> CpContribution {
    let sigma = pub_key(SIGMA_TAG, transcript, s.g1_s_sigma, s.sigma);
    let eta = pub_key(ETA_TAG, transcript, s.g1_s_eta, s.eta);
    scale(&mut key.pok_ck, s.sigma);
    key.sigma_gamma_g2 = (key.sigma_gamma_g2 * s.sigma).into_affine();
    key.pok_blind = (key.pok_blind * (s.sigma * s.eta)).into_affine();
    key.ck_blind = (key.ck_blind * s.eta).into_affine();
    key.eta_delta = (key.eta_delta * (s.eta * x_inv)).into_affine();
    CpContribution {
        sigma_gamma_after: key.sigma_gamma_g2,
        ck_blind_after: key.ck_blind,
        sigma,
        eta,
    }
}

/// The commitment key's chain through the contributions: `[σγ]₂` and
/// `[η/γ]₁` after each (both start at the generators: σ = η = γ = 1).
pub struct Chain {
    sigma_gamma: G2Affine,
    ck_blind: G1Affine,
}

impl Default for Chain {
    fn default() -> Self {
        Self::new()
    }
}

impl Chain {
    /// At init.
    pub fn new() -> Self {
        Chain {
            sigma_gamma: G2Affine::generator(),
            ck_blind: G1Affine::generator(),
        }
    }

    /// Checks the commitment-key part `k` of contribution `c` (whose δ
    /// transcript is already checked): its proofs of knowledge, that
    /// `[σγ]₂` and `[η/γ]₁` moved by the secrets they prove, and for a
    /// beacon that its keys are those of `beacon` (the beacon value's
    /// secrets). Why not, if not.
    pub fn step(
        &mut self,
        c: &Contribution,
        k: &CpContribution,
        beacon: Option<&Secrets>,
    ) -> Result<(), String> {
        let mut h = [G2Affine::zero(); 2];
        for (i, (tag, pk, what)) in [(SIGMA_TAG, &k.sigma, "σ"), (ETA_TAG, &k.eta, "η")]
            .into_iter()
            .enumerate()
        {
            if pk.g1_s.is_zero() || pk.g1_sx.is_zero() {
                return Err(format!("its {what} public key is the identity"));
            }
            h[i] = hash_to_g2(&pok_transcript(tag, &c.transcript, &pk.g1_s, &pk.g1_sx));
            if !same_ratio(pk.g1_s, pk.g1_sx, h[i], pk.g2_spx) {
                return Err(format!(
                    "its proof of knowledge of {what} fails (G1 and G2 keys differ)"
                ));
            }
        }
        // [σγ]₂ after = σ'·[σγ]₂ before: e(s·G1, after) = e(σ's·G1, before).
        if !same_ratio(
            k.sigma.g1_s,
            k.sigma.g1_sx,
            self.sigma_gamma,
            k.sigma_gamma_after,
        ) {
            return Err("[σγ]₂ after it is not [σγ]₂ before it times its σ".into());
        }
        // [η/γ]₁ after = η'·[η/γ]₁ before, as δ's check.
        if k.ck_blind_after.is_zero()
            || !same_ratio(self.ck_blind, k.ck_blind_after, h[1], k.eta.g2_spx)
        {
            return Err("[η/γ]₁ after it is not [η/γ]₁ before it times its η".into());
        }
        if c.beacon.is_some() {
            let s = beacon.ok_or("a beacon's secrets were not given")?;
            let same = |pk: &PubKey, x: Fr, g1_s: G1Affine| {
                pk.g1_s == g1_s && pk.g1_sx == (g1_s * x).into_affine()
            };
            if !same(&k.sigma, s.sigma, s.g1_s_sigma) || !same(&k.eta, s.eta, s.g1_s_eta) {
                return Err(
                    "its commitment-key secrets are not the ones the beacon value gives".into(),
                );
            }
        }
        self.sigma_gamma = k.sigma_gamma_after;
        self.ck_blind = k.ck_blind_after;
        Ok(())
    }

    /// The key's `[σγ]₂` and `[η/γ]₁` must be the last contribution's.
    pub fn finish(&self, key: &CpKey) -> Result<(), String> {
        if key.sigma_gamma_g2 != self.sigma_gamma {
            return Err("[σγ]₂ is not the last contribution's".into());
        }
        if key.ck_blind != self.ck_blind {
            return Err("[η/γ]₁ (ck_blind) is not the last contribution's".into());
        }
        Ok(())
    }
}

/// The CP statement circuit of `shape`, recorded as groth16-cp's setup
/// synthesizes it (a logUp builder, challenge a placeholder: the matrices
/// do not depend on it), and its committed witnesses.
pub fn circuit(
    shape: poa_circuits::statement::Shape,
) -> Result<(ConstraintMatrices<Fr>, Vec<usize>), Error> {
    use poa_circuits::r1cs::circuit::AttributionCircuit;
    use poa_circuits::r1cs::Builder;
    use poa_circuits::widths::LOOKUP_BITS;
    let synth = |e: &dyn std::fmt::Display| Error::Synthesis(e.to_string());
    let c = AttributionCircuit::placeholder(shape).map_err(|e| synth(&e))?;
    let b = Builder::recording()
        .with_logup(LOOKUP_BITS, std::sync::Arc::new(|_: &[Fr]| Fr::from(1u64)));
    c.synthesize(&b).map_err(|e| synth(&e))?;
    b.check_lookups().map_err(Error::Synthesis)?;
    let r = b
        .into_recorded()
        .ok_or_else(|| synth(&"not a recording builder"))?;
    Ok((r.matrices, r.committed))
}

/// Moves the committed witnesses' L entries of the initial parameters `z`
/// into the commitment key: at init δ = γ = 1, so `L_i = [K_i]₁ = ck_i`;
/// `L_i` becomes the identity. σ = η = 1.
pub fn split(z: &mut Zkey, committed: &[usize]) -> Result<CpKey, Error> {
    let mut ck = Vec::with_capacity(committed.len());
    for &i in committed {
        let l = z.l.get_mut(i).ok_or_else(|| {
            Error::Synthesis(format!("committed witness {i} is not a private wire"))
        })?;
        ck.push(*l);
        *l = G1Affine::zero();
    }
    Ok(CpKey {
        committed: committed.iter().map(|&i| i as u32).collect(),
        pok_ck: ck.clone(),
        ck,
        ck_blind: G1Affine::generator(),
        pok_blind: G1Affine::generator(),
        eta_delta: G1Affine::generator(),
        sigma_gamma_g2: G2Affine::generator(),
    })
}

/// The initial parameters and commitment key of `shape` from `ptau`.
pub fn initial(
    ptau: &Path,
    shape: poa_circuits::statement::Shape,
    check: Option<Check>,
) -> Result<(Zkey, CpKey), Error> {
    let (m, committed) = circuit(shape)?;
    let p1 = files::phase1(ptau, &m, check)?;
    let mut z = init::initial(p1, m)?;
    let key = split(&mut z, &committed)?;
    Ok((z, key))
}

/// [`initial`] to verify the state `z` (read from `path`) against (A, B1,
/// B2 checked in random linear combinations and taken from it, as
/// [`init::initial_for`]).
pub fn initial_for(
    ptau: &Path,
    shape: poa_circuits::statement::Shape,
    check: Option<Check>,
    z: &Zkey,
    path: &Path,
) -> Result<(Zkey, CpKey), Error> {
    let (m, committed) = circuit(shape)?;
    let p1 = files::phase1(ptau, &m, check)?;
    let mut rng = crate::rng(None).map_err(|e| Error::Randomness(e.to_string()))?;
    let mut init = init::initial_for(p1, m, z, path, &mut rng)?;
    let key = split(&mut init, &committed)?;
    Ok((init, key))
}

/// The whole transcript of a groth16-cp ceremony: the contributions (δ's
/// chain and the commitment key's, [`verify_chain_with`]), the parameters
/// against `init` ([`verify_against`]: L and H the initial ones over δ, so
/// the committed L entries are the identity too), and the final commitment
/// key against `init_key` ([`check_key`]).
pub fn verify(
    z: &Zkey,
    key: &CpKey,
    init: &Zkey,
    init_key: &CpKey,
    path: &Path,
    rng: &mut impl RngCore,
) -> Result<Vec<Verified>, Error> {
    let list = verify_chain_with(z, Some(key), path)?;
    verify_against(z, init, path, &mut *rng)?;
    check_key(z, key, init_key, path, rng)?;
    Ok(list)
}

/// The final commitment key `key` of the parameters `z` (read from `path`),
/// `[σγ]₂` and `[η/γ]₁` already checked against the contributions:
/// - the committed wires and `ck` are the initial ones (`init_key`,
///   recomputed from phase 1) exactly, and their L entries the identity;
/// - `pok_ck = σ·ck`: `e(Σ r_i pok_ck_i, [γ]₂) = e(Σ r_i ck_i, [σγ]₂)`,
///   random `r` (two MSMs);
/// - `pok_blind = σ·ck_blind`: `e(pok_blind, [γ]₂) = e(ck_blind, [σγ]₂)`;
/// - `eta_delta = [η/δ]₁`: `e(eta_delta, [δ]₂) = e(ck_blind, [γ]₂)`.
pub fn check_key(
    z: &Zkey,
    key: &CpKey,
    init_key: &CpKey,
    path: &Path,
    rng: &mut impl RngCore,
) -> Result<(), Error> {
    let bad = |reason: &str| Error::Transcript {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    if key.committed != init_key.committed {
        return Err(Error::WrongCircuit {
            path: path.to_path_buf(),
            reason: "the committed witnesses are not the circuit's".into(),
        });
    }
    if key.ck != init_key.ck {
        return Err(bad(
            "the commitment key ck is not the committed wires' L entries phase 1 gives",
        ));
    }
    if key
        .committed
        .iter()
        .any(|&i| z.l.get(i as usize).is_none_or(|p| !p.is_zero()))
    {
        return Err(bad("a committed wire's L entry is not the identity"));
    }
    if key.pok_ck.len() != key.ck.len() {
        return Err(bad("pok_ck and ck differ in length"));
    }
    let r: Vec<Fr> = (0..key.ck.len()).map(|_| Fr::rand(rng)).collect();
    let ck = G1Projective::msm_unchecked(&key.ck, &r).into_affine();
    let pok = G1Projective::msm_unchecked(&key.pok_ck, &r).into_affine();
    if !same_ratio(ck, pok, z.gamma_g2, key.sigma_gamma_g2) {
        return Err(bad("the proof-of-knowledge key pok_ck is not σ·ck"));
    }
    if !same_ratio(key.ck_blind, key.pok_blind, z.gamma_g2, key.sigma_gamma_g2) {
        return Err(bad("pok_blind is not σ·[η/γ]₁"));
    }
    if !same_ratio(key.eta_delta, key.ck_blind, z.gamma_g2, z.delta_g2) {
        return Err(bad("eta_delta is not [η/δ]₁"));
    }
    Ok(())
}

/// The state file's sections 11 (the key) and 12 (the contributions'
/// parts, in order).
pub fn sections(z: &Zkey, key: &CpKey) -> (Vec<u8>, Vec<u8>) {
    let n = key.committed.len();
    let mut k = Vec::with_capacity(4 + n * (4 + 2 * G1_BYTES) + 3 * G1_BYTES + G2_BYTES);
    k.extend_from_slice(&(n as u32).to_le_bytes());
    for i in &key.committed {
        k.extend_from_slice(&i.to_le_bytes());
    }
    for p in key.ck.iter().chain(&key.pok_ck) {
        g1_lem(p, &mut k);
    }
    for p in [&key.ck_blind, &key.pok_blind, &key.eta_delta] {
        g1_lem(p, &mut k);
    }
    g2_lem(&key.sigma_gamma_g2, &mut k);
    let parts: Vec<&CpContribution> = z
        .contributions
        .iter()
        .filter_map(|c| c.cp.as_ref())
        .collect();
    let mut c = Vec::with_capacity(4 + parts.len() * CONTRIBUTION_BYTES);
    c.extend_from_slice(&(parts.len() as u32).to_le_bytes());
    for cp in parts {
        cp.write_lem(&mut c);
    }
    (k, c)
}

/// Reads sections 11 and 12 (`key`, `parts`) of the state `path` into the
/// key and `z`'s contributions; every point checked.
pub fn read_sections(z: &mut Zkey, key: &[u8], parts: &[u8], path: &Path) -> Result<CpKey, Error> {
    let section = "section 11 (commitment key)";
    let mut c = Cursor::new(key, path, section);
    let n = c.u32("count")? as usize;
    let want = n
        .checked_mul(4 + 2 * G1_BYTES)
        .and_then(|x| x.checked_add(3 * G1_BYTES + G2_BYTES));
    if want != Some(c.left()) {
        return Err(Error::format(
            path,
            section,
            format!("{} bytes for {n} committed wires", c.left()),
        ));
    }
    let committed: Vec<u32> = c
        .take(4 * n, "committed")?
        .chunks(4)
        .map(super::binfile::u32_le)
        .collect();
    let ck = g1s(c.take(n * G1_BYTES, "ck")?, path, "section 11 / ck")?;
    let pok_ck = g1s(c.take(n * G1_BYTES, "pok_ck")?, path, "section 11 / pok_ck")?;
    // `field` names the section and the field.
    let g1 = |c: &mut Cursor<'_>, field: String| -> Result<G1Affine, Error> {
        g1_from_lem(c.take(G1_BYTES, &field)?)
            .ok_or_else(|| Error::format(path, field, "not a point of G1"))
    };
    let g2 = |c: &mut Cursor<'_>, field: String| -> Result<G2Affine, Error> {
        g2_from_lem(c.take(G2_BYTES, &field)?)
            .ok_or_else(|| Error::format(path, field, "not a point of G2's group"))
    };
    let f11 = |what: &str| format!("{section} / {what}");
    let (ck_blind, pok_blind, eta_delta) = (
        g1(&mut c, f11("ck_blind"))?,
        g1(&mut c, f11("pok_blind"))?,
        g1(&mut c, f11("eta_delta"))?,
    );
    let sigma_gamma_g2 = g2(&mut c, f11("sigma_gamma_g2"))?;

    let section = "section 12 (commitment-key contributions)";
    let mut c = Cursor::new(parts, path, section);
    let m = c.u32("count")? as usize;
    if m != z.contributions.len() || c.left() != m * CONTRIBUTION_BYTES {
        return Err(Error::format(
            path,
            section,
            format!(
                "{m} parts in {} bytes for {} contributions",
                c.left(),
                z.contributions.len()
            ),
        ));
    }
    for (i, contribution) in z.contributions.iter_mut().enumerate() {
        // Numbered from 1, as `verify` names contributions.
        let f = |what: &str| format!("{section}[contribution #{}] / {what}", i + 1);
        let sigma_gamma_after = g2(&mut c, f("sigmaGammaAfter"))?;
        let ck_blind_after = g1(&mut c, f("ckBlindAfter"))?;
        let mut pk = |what: &str| -> Result<PubKey, Error> {
            Ok(PubKey {
                g1_s: g1(&mut c, f(&format!("{what}.g1_s")))?,
                g1_sx: g1(&mut c, f(&format!("{what}.g1_sx")))?,
                g2_spx: g2(&mut c, f(&format!("{what}.g2_spx")))?,
            })
        };
        let (sigma, eta) = (pk("sigma")?, pk("eta")?);
        contribution.cp = Some(CpContribution {
            sigma_gamma_after,
            ck_blind_after,
            sigma,
            eta,
        });
    }
    Ok(CpKey {
        committed,
        ck,
        pok_ck,
        ck_blind,
        pok_blind,
        eta_delta,
        sigma_gamma_g2,
    })
}

/// The groth16-cp proving key of the final parameters `z` and key `key`
/// (for snarkjs's QAP reduction).
pub fn proving_key(z: &Zkey, key: &CpKey) -> crate::groth16_cp::CpProvingKey {
    use crate::groth16_cp::{CpProvingKey, CpVerifyingKey};
    let pk = z.proving_key();
    let vk = CpVerifyingKey {
        vk: pk.vk.clone(),
        sigma_gamma_g2: key.sigma_gamma_g2,
    };
    CpProvingKey {
        pk,
        committed: key.committed.iter().map(|&i| u64::from(i)).collect(),
        ck: std::sync::Arc::new(key.ck.clone()),
        ck_blind: key.ck_blind,
        pok_ck: key.pok_ck.clone(),
        pok_blind: key.pok_blind,
        eta_delta: key.eta_delta,
        vk,
    }
}

/// Writes `groth16-cp.pk`, `groth16-cp.vk` and the setup record
/// `groth16-cp.json` of the final parameters into `out` (each file written
/// whole, then renamed); returns the record. A key failing
/// [`CpVerifyingKey::check`](crate::groth16_cp::CpVerifyingKey::check) is
/// refused.
pub fn write_keys(
    out: &Path,
    shape: poa_circuits::statement::Shape,
    z: &Zkey,
    key: &CpKey,
    from: &files::Provenance<'_>,
) -> Result<serde_json::Value, Error> {
    use crate::groth16::Qap;
    use crate::groth16_cp::ProvingKeyFile;
    use poa_verifier::groth16_cp::{NAME, PK_FILE, VK_FILE};
    use poa_verifier::proof_file::hex0x;
    let pk = ProvingKeyFile {
        shape,
        pk: proving_key(z, key),
        qap: Qap::Snarkjs,
    };
    let vk = pk.verifying_key();
    vk.vk.check().map_err(|reason| Error::Transcript {
        path: out.to_path_buf(),
        reason: format!("the final verifying key is refused: {reason}"),
    })?;
    std::fs::create_dir_all(out).map_err(|cause| Error::Io {
        path: out.to_path_buf(),
        cause,
    })?;
    let mut meta = serde_json::json!({
        "backend": NAME,
        "shape": shape.to_string(),
        "constraints": poa_circuits::r1cs::circuit::lookup_constraint_count(shape),
        "committed": key.committed.len(),
        "vkDigest": hex0x(&vk.digest()),
        "qap": "snarkjs",
        "ceremony": files::ceremony_record(z, from),
    });
    if let Some(w) = from.insecure {
        meta["insecure"] = serde_json::Value::from(w);
    }
    files::write(&out.join(PK_FILE), &pk.to_bytes())?;
    files::write(&out.join(VK_FILE), &vk.to_bytes())?;
    files::write(
        &out.join("groth16-cp.json"),
        poa_circuits::formats::pretty(&meta).as_bytes(),
    )?;
    Ok(meta)
}
