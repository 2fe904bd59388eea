//! `poa setup`, `poa prove`, `poa verify` (Groth16 backend).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use poa_circuits::formats::{pretty, Claim, EpochFile};
use poa_circuits::r1cs::circuit::constraint_count;
use poa_circuits::statement::Shape;
use poa_prover::files::write_atomic;
use poa_prover::groth16::{self, ProvingKeyFile};
use poa_verifier::groth16::{ProofFile, VerifyingKeyFile, PK_FILE, VK_FILE};
use serde_json::json;

use crate::output::{Outcome, Ui};

/// The public files every verifier-side command reads.
#[derive(clap::Args)]
pub struct PublicFiles {
    /// Folder with the verifying key.
    #[arg(long)]
    pub params: PathBuf,
    /// The claim file.
    #[arg(long)]
    pub claim: PathBuf,
    /// The proof file.
    #[arg(long)]
    pub proof: PathBuf,
}

/// Proving backends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    /// Groth16 over BN254 (arkworks): constant-size proofs, cheapest on chain.
    Groth16,
    /// halo2 (halo2-axiom) with KZG on BN254: a universal SRS, lookup range checks.
    Halo2,
    /// plonky2 (Goldilocks profile): no trusted setup, shards and recursion
    /// (a `--features plonky2` build with `cargo +nightly`).
    Plonky2,
}

pub(crate) fn hex0x(b: &[u8]) -> String {
    format!("0x{}", hex::encode(b))
}

pub(crate) fn secs(d: std::time::Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// `--seed` as 32 bytes.
pub fn parse_seed(seed: Option<String>) -> Result<Option<[u8; 32]>> {
    seed.map(|s| -> Result<[u8; 32]> {
        let bytes = hex::decode(s.trim_start_matches("0x")).context("--seed is not hex")?;
        bytes
            .try_into()
            .map_err(|_| anyhow::anyhow!("--seed must be 32 bytes of hex"))
    })
    .transpose()
}

pub fn setup(
    ui: &Ui,
    backend: Backend,
    shape: Shape,
    out: &Path,
    insecure: bool,
    seed: Option<String>,
    srs: Option<&Path>,
) -> Result<Outcome> {
    if backend == Backend::Halo2 {
        let srs = match (srs, insecure) {
            (Some(path), _) => super::halo2::Srs::File(path),
            (None, true) => super::halo2::Srs::Insecure(parse_seed(seed)?),
            (None, false) => bail!(
                "halo2 needs an SRS: --srs FILE (halo2 raw ParamsKZG, e.g. a published \
powers-of-tau file), or --insecure-single-party to make a development one here"
            ),
        };
        return super::halo2::setup(ui, shape, out, srs);
    }
    if srs.is_some() {
        bail!("--srs is for --backend halo2; Groth16 needs a circuit-specific setup");
    }
    if !insecure {
        bail!(
            "Groth16 needs a circuit-specific setup; this build only has a single-party one, \
which lets whoever runs it forge proofs. Pass --insecure-single-party to run it for development."
        );
    }
    let seed = parse_seed(seed)?;
    std::fs::create_dir_all(out).with_context(|| format!("{}", out.display()))?;
    ui.progress(format!(
        "setup: groth16 {shape}, {} constraints (INSECURE single-party setup: development only)",
        constraint_count(shape)
    ));
    let t = Instant::now();
    let keys = groth16::setup_insecure(shape, seed)?;
    let elapsed = t.elapsed();
    let digest = hex0x(&keys.vk.digest());
    write_atomic(&out.join(PK_FILE), &keys.pk.to_bytes())?;
    write_atomic(&out.join(VK_FILE), &keys.vk.to_bytes())?;
    let meta = json!({
        "backend": "groth16",
        "shape": shape.to_string(),
        "constraints": constraint_count(shape),
        "vkDigest": digest,
        "insecure": "single-party setup: whoever ran it can forge proofs",
    });
    write_atomic(&out.join("groth16.json"), pretty(&meta).as_bytes())?;
    ui.say(format!("setup {shape} in {}", secs(elapsed)));
    ui.say(format!("verifying-key digest: {digest}"));
    ui.say(format!("keys written to {}", out.display()));
    ui.emit(&json!({ "ok": true, "setup": meta, "seconds": elapsed.as_secs_f64() }));
    Ok(Outcome::Ok)
}

pub fn prove(ui: &Ui, params: &Path, epoch_path: &Path, out: &Path) -> Result<Outcome> {
    let t = Instant::now();
    let epoch = EpochFile::read(epoch_path)?;
    let pk_path = params.join(PK_FILE);
    ui.progress(format!("[1/3] loading {}", pk_path.display()));
    let pk = ProvingKeyFile::read(&pk_path)?;
    if pk.shape != epoch.shape {
        bail!(
            "{}: the key is for shape {}, {} has shape {}",
            pk_path.display(),
            pk.shape,
            epoch_path.display(),
            epoch.shape
        );
    }
    let load = t.elapsed();
    ui.progress(format!(
        "[2/3] proving {} ({} constraints, {} threads)",
        epoch.shape,
        constraint_count(epoch.shape),
        poa_circuits::parallel::current_threads()
    ));
    let shape = epoch.shape;
    let (proof, _, timings) = groth16::prove(&pk, epoch)?;
    ui.progress("[3/3] writing proof");
    let file = ProofFile::new(
        shape,
        poa_verifier::container::keccak(&vk_bytes(&pk)),
        &proof,
    );
    write_atomic(out, pretty(&file).as_bytes())?;
    ui.say(format!(
        "proof written to {} (load {}, witness {}, synthesis {}, prove {}, check {})",
        out.display(),
        secs(load),
        secs(timings.witness),
        secs(timings.synthesis),
        secs(timings.prove),
        secs(timings.self_check)
    ));
    ui.emit(&json!({
        "ok": true,
        "proof": file,
        "seconds": { "load": load.as_secs_f64(), "witness": timings.witness.as_secs_f64(), "synthesis": timings.synthesis.as_secs_f64(),
                     "prove": timings.prove.as_secs_f64(), "check": timings.self_check.as_secs_f64() },
    }));
    Ok(Outcome::Ok)
}

fn vk_bytes(pk: &ProvingKeyFile) -> Vec<u8> {
    use ark_serialize::{CanonicalSerialize, Compress};
    let mut out = Vec::new();
    let _ = pk.pk.vk.serialize_with_mode(&mut out, Compress::No);
    out
}

pub fn verify(ui: &Ui, files: &PublicFiles) -> Result<Outcome> {
    let (claim_path, proof_path) = (files.claim.as_path(), files.proof.as_path());
    let vk_path: PathBuf = files.params.join(VK_FILE);
    let vk = VerifyingKeyFile::read(&vk_path)?;
    let claim = Claim::read(claim_path)?;
    let (file, proof) = ProofFile::read(proof_path)?;
    // A Groth16 key cannot be re-derived from public data: the verdict is
    // only as good as this file, so its digest is shown for comparison with
    // the setup's published one.
    ui.progress(format!(
        "verifying key {} (trusted as given): digest {}",
        vk_path.display(),
        hex0x(&vk.digest())
    ));
    let t = Instant::now();
    let verdict = poa_verifier::groth16::verify(&vk_path, &vk, &claim, &file, &proof)?;
    let elapsed = t.elapsed();
    report_verdict(ui, claim_path, &verdict, elapsed, json!({}))
}

/// Prints and emits a verdict, with a backend's `extra` fields (a JSON
/// object) in the emitted report; exit 0 when valid, 1 when rejected.
pub fn report_verdict(
    ui: &Ui,
    claim_path: &Path,
    verdict: &poa_verifier::groth16::Verdict,
    elapsed: std::time::Duration,
    extra: serde_json::Value,
) -> Result<Outcome> {
    for c in &verdict.claim.checks {
        ui.detail(format!(
            "{} claim {}: {}",
            if c.ok { "ok  " } else { "FAIL" },
            c.name,
            c.detail
        ));
    }
    let failed_check = verdict.claim.first_failure().map(|c| c.name);
    if verdict.ok() {
        ui.say(format!(
            "proof valid for {} ({:.1} ms)",
            claim_path.display(),
            elapsed.as_secs_f64() * 1e3
        ));
    } else if let Some(name) = failed_check {
        ui.progress(format!("rejected: claim check `{name}` failed"));
    } else if let Some(reason) = &verdict.reason {
        ui.progress(format!("rejected: {reason}"));
    }
    let mut report = json!({
        "ok": verdict.ok(),
        "claimChecks": verdict.claim.checks,
        "proofValid": verdict.proof_ok,
        "reason": verdict.reason,
        "milliseconds": elapsed.as_secs_f64() * 1e3,
    });
    if let (Some(report), serde_json::Value::Object(extra)) = (report.as_object_mut(), extra) {
        report.extend(extra);
    }
    ui.emit(&report);
    Ok(if verdict.ok() {
        Outcome::Ok
    } else {
        Outcome::Rejected
    })
}

pub fn export_snarkjs(ui: &Ui, files: &PublicFiles, out: &Path) -> Result<Outcome> {
    let (claim_path, proof_path) = (files.claim.as_path(), files.proof.as_path());
    let vk_path = files.params.join(VK_FILE);
    let vk = VerifyingKeyFile::read(&vk_path)?;
    let claim = Claim::read(claim_path)?;
    let (_, proof) = ProofFile::read(proof_path)?;
    if vk.shape != claim.shape {
        bail!(
            "{}: the key is for shape {}, the claim for {}",
            vk_path.display(),
            vk.shape,
            claim.shape
        );
    }
    let report = poa_verifier::check_claim(&claim)?;
    if let Some(failed) = report.first_failure() {
        ui.progress(format!(
            "{}: claim check `{}` failed",
            claim_path.display(),
            failed.name
        ));
        return Ok(Outcome::Rejected);
    }
    std::fs::create_dir_all(out).with_context(|| format!("{}", out.display()))?;
    use poa_verifier::snarkjs;
    for (name, value) in [
        ("verification_key.json", snarkjs::verification_key(&vk.vk)),
        ("proof.json", snarkjs::proof(&proof)),
        ("public.json", snarkjs::public(&report.public_inputs)),
    ] {
        write_atomic(&out.join(name), pretty(&value).as_bytes())?;
    }
    ui.say(format!("snarkjs files written to {}", out.display()));
    ui.emit(&json!({ "ok": true, "out": out }));
    Ok(Outcome::Ok)
}

pub fn export_verifier(ui: &Ui, params: &Path, out: &Path) -> Result<Outcome> {
    use poa_verifier::solidity::{Groth16Template, INTERFACE};
    let vk = VerifyingKeyFile::read(&params.join(VK_FILE))?;
    let digest = hex0x(&vk.digest());
    let source = Groth16Template::new(&vk.vk, vk.shape.to_string(), digest.clone()).render();
    let interface = out.with_file_name("IPoaVerifier.sol");
    write_atomic(&interface, INTERFACE.as_bytes())?;
    write_atomic(out, source.as_bytes())?;
    ui.say(format!(
        "verifier for {} (vk digest {digest}) written to {} with {}",
        vk.shape,
        out.display(),
        interface.display()
    ));
    ui.emit(&json!({ "ok": true, "out": out, "interface": interface, "vkDigest": digest }));
    Ok(Outcome::Ok)
}
