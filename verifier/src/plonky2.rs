//! The plonky2 (Goldilocks profile) verifier, behind the `plonky2` feature
//! (`cargo +nightly`). plonky2 is transparent: the params folder only
//! records the shape, the shard count and the circuits' digest
//! (`plonky2.json`); the circuits are rebuilt here and their digest checked.

use std::path::Path;

use plonky2::field::types::{Field, PrimeField64};
use plonky2::plonk::proof::ProofWithPublicInputs;
use poa_circuits::formats::goldilocks::GoldilocksInclusion;
use poa_circuits::formats::Claim;
use poa_circuits::goldilocks::aggregate::Tree;
use poa_circuits::goldilocks::limbs::to_limbs;
use poa_circuits::goldilocks::split::SplitCircuit;
use poa_circuits::goldilocks::{fr_limbs, G};
use poa_circuits::goldilocks::{Config, EXT};
use poa_circuits::statement::Shape;
use poa_circuits::Fr;

use crate::backend::{Log, Verification, Verifier};
use crate::claim::Check;
use crate::inclusion::inclusion_check;
use crate::proof_file::{hex0x, ProofFile};
use crate::verdict::Verdict;
use crate::Error;

/// The registry name of the backend, as proof files record it.
pub const NAME: &str = "plonky2";
/// The setup record in a params folder.
pub const META: &str = "plonky2.json";

/// The published proof of a plonky2 epoch.
pub type Proof = ProofWithPublicInputs<G, Config, EXT>;

/// The circuits of a shape and shard count: the shard tree and the split
/// (whose published wrapper's digest names them all).
pub struct Circuits {
    /// Shards and aggregation levels.
    pub tree: Tree,
    /// The split node and its published zero-knowledge wrapper.
    pub split: SplitCircuit,
    /// The shard count.
    pub shards: usize,
}

fn format_err(path: &Path, reason: String) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        reason,
    }
}

impl Circuits {
    /// Builds the circuits (seconds to minutes, by shape).
    pub fn build(log: &dyn Log, shape: Shape, shards: usize) -> Result<Self, Error> {
        log.progress(&format!(
            "building the plonky2 circuits of {shape} in {shards} shards"
        ));
        let tree = Tree::build(shape.slots, shape.dim, shards)
            .map_err(|e| Error::Circuit(format!("{e:#}")))?;
        let split = SplitCircuit::build(&tree);
        Ok(Circuits {
            tree,
            split,
            shards,
        })
    }

    /// The published wrapper's circuit digest (4 Goldilocks words, LE).
    pub fn digest(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (chunk, e) in out
            .chunks_mut(8)
            .zip(self.split.data.verifier_only.circuit_digest.elements)
        {
            chunk.copy_from_slice(&e.to_canonical_u64().to_le_bytes());
        }
        out
    }

    /// The circuits that `params/plonky2.json` records for `shape`, rebuilt
    /// and checked against the recorded digest.
    pub fn load(log: &dyn Log, params: &Path, shape: Shape) -> Result<Self, Error> {
        let path = params.join(META);
        let bytes = crate::container::read(&path)?;
        let meta: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| format_err(&path, format!("malformed JSON: {e}")))?;
        let field = |name: &str| {
            meta.get(name)
                .ok_or_else(|| format_err(&path, format!("missing field `{name}`")))
        };
        let recorded: Shape = field("shape")?
            .as_str()
            .ok_or_else(|| format_err(&path, "field `shape` is not a string".into()))?
            .parse()
            .map_err(|e| format_err(&path, format!("field `shape`: {e}")))?;
        if recorded != shape {
            return Err(Error::ShapeMismatch {
                path,
                key: recorded,
                claim: shape,
            });
        }
        let shards = field("shards")?
            .as_u64()
            .filter(|&k| k >= 2 && k <= shape.slots as u64 && k.is_power_of_two())
            .ok_or_else(|| {
                format_err(&path, "field `shards`: not a power of two in 2 … N".into())
            })? as usize;
        let c = Circuits::build(log, shape, shards)?;
        let digest = field("circuitDigest")?.as_str().unwrap_or_default();
        if digest != hex0x(&c.digest()) {
            return Err(format_err(
                &path,
                format!(
                    "field `circuitDigest` is {digest}, this build's circuits are {}",
                    hex0x(&c.digest())
                ),
            ));
        }
        Ok(c)
    }

    /// The verdict on the proof in `file` (`bytes`) for `claim`: the claim's
    /// own checks, then the proof is refused unless it was made for these
    /// circuits, publishes as many public inputs as they have, verifies, and
    /// publishes exactly the claim's values, `Q` and `V` included (compared
    /// only once the proof verified).
    pub fn verdict(
        &self,
        claim: &Claim,
        claim_path: &Path,
        file: &ProofFile,
        bytes: Vec<u8>,
    ) -> Result<Verdict, Error> {
        let report = crate::check_claim(claim)?;
        let expected = published(claim, claim_path, &report)?;
        let digest = hex0x(&self.digest());
        let reason = if file.vk_digest.to_lowercase() != digest {
            Some(format!(
                "the proof was made for circuits {}, not {digest}",
                file.vk_digest
            ))
        } else {
            // Bytes that are no proof come from the prover, like a proof
            // that fails: a rejection, not an input error.
            // One encoding per proof: the bytes must be the canonical
            // serialization of what they decode to (no trailing bytes, no
            // `x + p` field elements).
            match Proof::from_bytes(bytes.clone(), &self.split.data.common) {
                Ok(proof) if proof.to_bytes() == bytes => self.refusal(&proof, &expected),
                Ok(_) => Some("the proof bytes are not the canonical encoding of a proof".into()),
                Err(e) => Some(format!("the proof bytes are not a plonky2 proof: {e}")),
            }
        };
        Ok(Verdict {
            claim: report,
            proof_ok: reason.is_none(),
            reason,
        })
    }

    /// Why `proof` does not prove `expected`, or `None` when it does.
    fn refusal(&self, proof: &Proof, expected: &[(String, Vec<G>)]) -> Option<String> {
        let wanted: usize = expected.iter().map(|(_, v)| v.len()).sum();
        let found = proof.public_inputs.len();
        if found != wanted || found != self.split.data.common.num_public_inputs {
            return Some(format!(
                "the proof publishes {found} public inputs; the circuits and the claim have {wanted}"
            ));
        }
        if !self.split.verify(proof) {
            return Some("the plonky2 proof does not verify for these circuits".into());
        }
        let mut at = 0;
        for (name, values) in expected {
            if proof.public_inputs.get(at..at + values.len()) != Some(values.as_slice()) {
                return Some(format!("the proof publishes another {name} than the claim"));
            }
            at += values.len();
        }
        None
    }
}

/// What the final proof must publish for `claim` (`circuits/GOLDILOCKS.md`),
/// in order and named for a rejection: the Goldilocks `Q` and `V`, `pool`
/// (6 limbs), per slot `limbs(D_c)` and the payout's 6 limbs (zero for
/// padding), then the limbs of the claim's `γ` (its context, SPEC §6, as
/// `report` recomputed it). A claim without Goldilocks commitments is an
/// input error.
fn published(
    claim: &Claim,
    claim_path: &Path,
    report: &crate::ClaimReport,
) -> Result<Vec<(String, Vec<G>)>, Error> {
    let commitments = claim.goldilocks().map_err(|e| e.in_file(claim_path))?;
    let g = |x: u64| G::from_canonical_u64(x);
    let limbs = |field: &str, x: u128| -> Result<Vec<G>, Error> {
        Ok(to_limbs(&x.into(), 6)
            .ok_or_else(|| format_err(claim_path, format!("field `{field}`: exceeds 96 bits")))?
            .into_iter()
            .map(g)
            .collect())
    };
    let mut out = vec![
        (
            "Goldilocks Q (claim field `goldilocks.Q`)".to_string(),
            commitments.q.map(g).to_vec(),
        ),
        (
            "Goldilocks V (claim field `goldilocks.V`)".to_string(),
            commitments.v.map(g).to_vec(),
        ),
        ("pool".to_string(), limbs("pool", claim.public.pool)?),
    ];
    for c in 0..claim.shape.slots {
        let dataset = claim.public.datasets.get(c).map_or([G::ZERO; 8], fr_limbs);
        let payout = claim.public.payouts.get(c).copied().unwrap_or(0);
        out.push((format!("dataset of slot {c}"), dataset.to_vec()));
        out.push((
            format!("payout of slot {c}"),
            limbs(&format!("payouts[{c}]"), payout)?,
        ));
    }
    out.push((
        "context (γ: chain, contract, model, epoch)".to_string(),
        fr_limbs(&report.public_inputs[3]).to_vec(),
    ));
    Ok(out)
}

/// The plonky2 verifier.
pub struct Plonky2;

impl Verifier for Plonky2 {
    fn name(&self) -> &'static str {
        NAME
    }

    fn verify(
        &self,
        params: &Path,
        claim: &Claim,
        claim_path: &Path,
        proof: &Path,
        log: &dyn Log,
    ) -> Result<Verification, Error> {
        let commitments = *claim.goldilocks().map_err(|e| e.in_file(claim_path))?;
        let (file, bytes) = ProofFile::read(proof, NAME)?;
        let c = Circuits::load(log, params, claim.shape)?;
        log.detail(&format!(
            "Goldilocks Q = {:?}, V = {:?} (the claim's, compared with the proof's)",
            commitments.q, commitments.v
        ));
        Ok(Verification {
            verdict: c.verdict(claim, claim_path, &file, bytes)?,
            extra: serde_json::Map::new(),
        })
    }

    /// The contributor's leaf `Hash(limbs(D_c) ‖ U_c)` under the claim's
    /// Goldilocks `Q`.
    fn inclusion(
        &self,
        claim: &Claim,
        claim_path: &Path,
        inclusion_path: &Path,
        dataset: Fr,
    ) -> Result<(usize, Check), Error> {
        let q = claim.goldilocks().map_err(|e| e.in_file(claim_path))?.q;
        let inclusion = GoldilocksInclusion::read(inclusion_path)?;
        let leaf = inclusion.leaf_of_preimage();
        let slots = claim.shape.slots;
        let under_q = inclusion.index < slots
            && inclusion.siblings.len() == slots.trailing_zeros() as usize
            && inclusion.root == q
            && inclusion.root_from(leaf) == q;
        let check = inclusion_check(
            "Hash(limbs(D_c) ‖ U_c)",
            "the claim's Goldilocks Q",
            inclusion.index,
            inclusion.dataset == dataset,
            leaf == inclusion.leaf,
            under_q,
        );
        Ok((inclusion.index, check))
    }
}
