//! `poa setup|prove|verify|attribute|inclusion|audit --backend plonky2`
//! (built with `cargo +nightly … --features plonky2`): the Goldilocks
//! profile, shards and recursion.
//!
//! plonky2 is transparent: `setup` only fixes the circuits (shape and shard
//! count) and records their digest in `DIR/plonky2.json`; there is no secret.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use plonky2::field::types::{Field, PrimeField64};
use plonky2::plonk::proof::ProofWithPublicInputs;
use poa_circuits::formats::goldilocks::{GoldilocksCommitments, GoldilocksInclusion};
use poa_circuits::formats::{pretty, Claim, EpochFile};
use poa_circuits::goldilocks::aggregate::Tree;
use poa_circuits::goldilocks::limbs::to_limbs;
use poa_circuits::goldilocks::split::SplitCircuit;
use poa_circuits::goldilocks::{self, fr_limbs, Config, EXT, G};
use poa_circuits::statement::{synthetic_epoch, Attribution, Epoch, Shape};
use poa_circuits::Fr;
use poa_prover::files::write_atomic;
use poa_verifier::audit::{conclude, inclusion_check, Audit};
use poa_verifier::groth16::{ProofFile, Verdict};
use serde_json::json;

use super::proof::{hex0x, secs, PublicFiles};
use crate::output::{Outcome, Ui};

const META: &str = "plonky2.json";

struct Circuits {
    tree: Tree,
    split: SplitCircuit,
    shards: usize,
}

impl Circuits {
    fn build(ui: &Ui, shape: Shape, shards: usize) -> Result<Self> {
        ui.progress(format!(
            "building the plonky2 circuits of {shape} in {shards} shards"
        ));
        let tree = Tree::build(shape.slots, shape.dim, shards)?;
        let split = SplitCircuit::build(&tree);
        Ok(Circuits {
            tree,
            split,
            shards,
        })
    }

    /// The final proof of `epoch`, and the time its shards and levels took.
    fn prove(
        &self,
        ui: &Ui,
        epoch: &Epoch,
        in_flight: usize,
    ) -> Result<(ProofWithPublicInputs<G, Config, EXT>, Duration)> {
        let t = Instant::now();
        let halves = self.tree.prove(epoch, in_flight, |what| {
            ui.progress(format!(
                "{:>7.1} s  proved {what}",
                t.elapsed().as_secs_f64()
            ))
        })?;
        let tree = t.elapsed();
        let proof = self.split.prove(&halves, epoch.pool)?;
        ui.progress(format!(
            "{:>7.1} s  proved the split",
            t.elapsed().as_secs_f64()
        ));
        Ok((proof, tree))
    }

    fn digest(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (chunk, e) in out
            .chunks_mut(8)
            .zip(self.split.data.verifier_only.circuit_digest.elements)
        {
            chunk.copy_from_slice(&e.to_canonical_u64().to_le_bytes());
        }
        out
    }
}

pub fn setup(ui: &Ui, shape: Shape, shards: usize, out: &Path) -> Result<Outcome> {
    let t = Instant::now();
    let c = Circuits::build(ui, shape, shards)?;
    let meta = json!({
        "backend": "plonky2",
        "shape": shape.to_string(),
        "shards": shards,
        "shardDegreeBits": c.tree.shard.data.common.degree_bits(),
        "levels": c.tree.levels.len(),
        "circuitDigest": hex0x(&c.digest()),
        "transparent": "no trusted setup: this file only fixes the circuits",
    });
    std::fs::create_dir_all(out).with_context(|| format!("{}", out.display()))?;
    write_atomic(&out.join(META), pretty(&meta).as_bytes())?;
    ui.say(format!(
        "plonky2 {shape} in {shards} shards: circuits built in {:.1} s, digest {}",
        t.elapsed().as_secs_f64(),
        hex0x(&c.digest())
    ));
    ui.emit(&json!({ "ok": true, "setup": meta }));
    Ok(Outcome::Ok)
}

fn load(ui: &Ui, params: &Path, shape: Shape) -> Result<Circuits> {
    let path = params.join(META);
    let text = std::fs::read_to_string(&path).with_context(|| format!("{}", path.display()))?;
    let meta: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: malformed JSON", path.display()))?;
    let field = |name: &str| {
        meta.get(name)
            .with_context(|| format!("{}: missing field `{name}`", path.display()))
    };
    let recorded: Shape = field("shape")?
        .as_str()
        .with_context(|| format!("{}: field `shape` is not a string", path.display()))?
        .parse()?;
    ensure!(
        recorded == shape,
        "{}: the circuits are for shape {recorded}, not {shape}",
        path.display()
    );
    let shards = field("shards")?
        .as_u64()
        .with_context(|| format!("{}: field `shards` is not a number", path.display()))?
        as usize;
    let c = Circuits::build(ui, shape, shards)?;
    let digest = field("circuitDigest")?.as_str().unwrap_or_default();
    if digest != hex0x(&c.digest()) {
        bail!(
            "{}: field `circuitDigest` is {digest}, this build's circuits are {}",
            path.display(),
            hex0x(&c.digest())
        );
    }
    Ok(c)
}

pub fn prove(
    ui: &Ui,
    params: &Path,
    epoch_path: &Path,
    out: &Path,
    shards: Option<usize>,
    in_flight: usize,
) -> Result<Outcome> {
    let epoch = EpochFile::read(epoch_path)?;
    let c = load(ui, params, epoch.shape)?;
    if let Some(k) = shards {
        ensure!(
            k == c.shards,
            "{}: the circuits were set up for {} shards, not {k} (the shard count changes the circuits: run `poa setup --backend plonky2 --shards {k}`)",
            params.join(META).display(),
            c.shards
        );
    }
    let t = Instant::now();
    let (proof, _) = c.prove(ui, &epoch, in_flight)?;
    let file = ProofFile::from_bytes("plonky2", epoch.shape, c.digest(), &proof.to_bytes());
    write_atomic(out, pretty(&file).as_bytes())?;
    ui.say(format!(
        "proof written to {} ({:.1} s)",
        out.display(),
        t.elapsed().as_secs_f64()
    ));
    ui.emit(&json!({ "ok": true, "proof": file, "seconds": t.elapsed().as_secs_f64() }));
    Ok(Outcome::Ok)
}

/// `poa bench --backend plonky2`: circuits, proof (shards, levels, split),
/// verification, proof size and peak RSS on a synthetic epoch.
pub fn bench(ui: &Ui, shape: Shape, shards: usize, in_flight: usize) -> Result<Outcome> {
    let threads = poa_circuits::parallel::current_threads();
    let t = Instant::now();
    let c = Circuits::build(ui, shape, shards)?;
    let build = t.elapsed();
    let epoch = synthetic_epoch(shape, 42);
    let t = Instant::now();
    let (proof, tree) = c.prove(ui, &epoch, in_flight)?;
    let prove = t.elapsed();
    let bytes = proof.to_bytes().len();
    let t = Instant::now();
    let ok = c.split.verify(&proof);
    let verify = t.elapsed();
    let rss = super::bench::peak_rss_mib();
    let degrees: Vec<usize> = std::iter::once(&c.tree.shard.data)
        .chain(c.tree.levels.iter().map(|l| &l.data))
        .chain([&c.split.inner, &c.split.data])
        .map(|d| d.common.degree_bits())
        .collect();
    ui.say(format!(
        "plonky2 {shape}: {shards} shards ({in_flight} in flight), degrees {} (shard, levels, \
         final node, published wrapper), {threads} threads: circuits {}, prove {} (shards and levels {}, final node and wrapper {}), \
         verify {:.1} ms ({ok}), proof {bytes} bytes, peak RSS {} MiB",
        degrees
            .iter()
            .map(|d| format!("2^{d}"))
            .collect::<Vec<_>>()
            .join(" / "),
        secs(build),
        secs(prove),
        secs(tree),
        secs(prove.saturating_sub(tree)),
        verify.as_secs_f64() * 1e3,
        rss.map_or("?".into(), |m| format!("{m:.0}"))
    ));
    ui.emit(&json!({
        "ok": ok, "backend": "plonky2", "shape": shape.to_string(), "shards": shards,
        "inFlight": in_flight, "degreeBits": degrees, "threads": threads,
        "seconds": { "circuits": build.as_secs_f64(), "prove": prove.as_secs_f64(),
                     "shardsAndLevels": tree.as_secs_f64(), "verify": verify.as_secs_f64() },
        "proofBytes": bytes, "peakRssMiB": rss,
    }));
    Ok(if ok { Outcome::Ok } else { Outcome::Rejected })
}

/// What the final proof must publish for `claim` (`circuits/GOLDILOCKS.md`),
/// in order and named for a rejection: the Goldilocks `Q` and `V`, `pool`
/// (6 limbs), then per slot `limbs(D_c)` and the payout's 6 limbs (zero for
/// padding). A claim without Goldilocks commitments is an input error.
fn published(claim: &Claim, claim_path: &Path) -> Result<Vec<(String, Vec<G>)>> {
    let commitments = claim.goldilocks().map_err(|e| e.in_file(claim_path))?;
    let g = |x: u64| G::from_canonical_u64(x);
    let limbs = |field: &str, x: u128| -> Result<Vec<G>> {
        Ok(to_limbs(&x.into(), 6)
            .with_context(|| format!("{}: field `{field}`: exceeds 96 bits", claim_path.display()))?
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
    Ok(out)
}

impl Circuits {
    /// The verdict on the proof in `file` (`bytes`) for `claim`: the claim's
    /// own checks, then the proof is refused unless it was made for these
    /// circuits, publishes as many public inputs as they have, verifies, and
    /// publishes exactly the claim's values, `Q` and `V` included (compared
    /// only once the proof verified). A malformed proof is an input error.
    fn verdict(
        &self,
        claim: &Claim,
        claim_path: &Path,
        file: &ProofFile,
        bytes: Vec<u8>,
        proof_path: &Path,
    ) -> Result<Verdict> {
        let expected = published(claim, claim_path)?;
        let report = poa_verifier::check_claim(claim)?;
        let digest = hex0x(&self.digest());
        let reason = if file.vk_digest.to_lowercase() != digest {
            Some(format!(
                "the proof was made for circuits {}, not {digest}",
                file.vk_digest
            ))
        } else {
            let proof = ProofWithPublicInputs::from_bytes(bytes, &self.split.data.common)
                .map_err(|e| anyhow::anyhow!("{}: field `proof`: {e}", proof_path.display()))?;
            self.refusal(&proof, &expected)
        };
        Ok(Verdict {
            claim: report,
            proof_ok: reason.is_none(),
            reason,
        })
    }

    /// Why `proof` does not prove `expected`, or `None` when it does.
    fn refusal(
        &self,
        proof: &ProofWithPublicInputs<G, Config, EXT>,
        expected: &[(String, Vec<G>)],
    ) -> Option<String> {
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

pub fn verify(ui: &Ui, files: &PublicFiles) -> Result<Outcome> {
    let claim = Claim::read(&files.claim)?;
    let commitments = *claim.goldilocks().map_err(|e| e.in_file(&files.claim))?;
    let (file, bytes) = ProofFile::read_bytes(&files.proof, "plonky2")?;
    let c = load(ui, &files.params, claim.shape)?;
    let t = Instant::now();
    let verdict = c.verdict(&claim, &files.claim, &file, bytes, &files.proof)?;
    ui.detail(format!(
        "Goldilocks Q = {:?}, V = {:?} (the claim's, compared with the proof's)",
        commitments.q, commitments.v
    ));
    super::proof::report_verdict(ui, &files.claim, &verdict, t.elapsed(), json!({}))
}

/// The Goldilocks `Q` and `V` of `epoch` (for `poa attribute --backend
/// plonky2`), after checking that the Goldilocks profile splits the pool as
/// the BN254 attribution `att` does.
pub fn commitments(epoch: &Epoch, att: &Attribution) -> Result<GoldilocksCommitments> {
    let g = goldilocks::attribute(epoch)?;
    ensure!(
        g.split == att.split,
        "the Goldilocks profile splits the pool otherwise than the BN254 one ({:?} against {:?})",
        g.split,
        att.split
    );
    Ok(GoldilocksCommitments::of(&g))
}

/// `poa inclusion --backend plonky2`: the path of `slot` under the
/// Goldilocks `Q`, with `D_c` and `U_c`.
pub fn inclusion(ui: &Ui, epoch_path: &Path, slot: usize, out: &Path) -> Result<Outcome> {
    let epoch = EpochFile::read(epoch_path)?;
    let att = goldilocks::attribute(&epoch).map_err(|e| e.in_file(epoch_path))?;
    let path = GoldilocksInclusion::new(&epoch, &att, slot).map_err(|e| e.in_file(epoch_path))?;
    let file = path.to_file();
    write_atomic(out, pretty(&file).as_bytes())?;
    ui.say(format!(
        "path of slot {slot} ({} siblings) under the Goldilocks Q = {:?} written to {}",
        path.siblings.len(),
        path.root,
        out.display()
    ));
    ui.emit(&json!({ "ok": true, "inclusion": file }));
    Ok(Outcome::Ok)
}

/// `poa audit --backend plonky2`: the contributor's leaf under the claim's
/// Goldilocks `Q`, then the checks every audit makes (their dataset in slot
/// `c` of the claim, the claim adds up, the plonky2 proof proves it).
pub fn audit(
    ui: &Ui,
    files: &PublicFiles,
    claim: &Claim,
    inclusion_path: &Path,
    dataset: Fr,
) -> Result<Audit> {
    let q = claim.goldilocks().map_err(|e| e.in_file(&files.claim))?.q;
    let inclusion = GoldilocksInclusion::read(inclusion_path)?;
    let (file, bytes) = ProofFile::read_bytes(&files.proof, "plonky2")?;
    let c = load(ui, &files.params, claim.shape)?;
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
    let verdict = c.verdict(claim, &files.claim, &file, bytes, &files.proof)?;
    Ok(conclude(claim, inclusion.index, dataset, check, &verdict))
}
