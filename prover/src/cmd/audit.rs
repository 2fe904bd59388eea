//! `poa audit [--backend groth16|plonky2]`: a contributor checks their share
//! with public data and their own secrets only. The checks after the slot's
//! path are the same for every backend (`poa_verifier::audit::conclude`).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use poa_circuits::field::{fr_to_decimal, parse_fr};
use poa_circuits::formats::{Claim, InclusionFile};
use poa_verifier::audit::{audit, Audit, AuditInputs};
use poa_verifier::groth16::{ProofFile, VerifyingKeyFile, VK_FILE};
use serde_json::json;

use super::dataset::{load_paths, parse_salt_hex};
use super::proof::{Backend, PublicFiles};
use crate::output::{Outcome, Ui};

#[derive(Args)]
pub struct AuditArgs {
    /// Proving backend of the proof (groth16 or plonky2).
    #[arg(long, value_enum, default_value = "groth16")]
    backend: Backend,
    #[command(flatten)]
    files: PublicFiles,
    /// The inclusion path of your slot (from `poa inclusion [--backend
    /// plonky2]`, by the trainer).
    #[arg(long)]
    inclusion: PathBuf,
    /// Your dataset commitment, if you have it (decimal or 0x hex) …
    #[arg(long, conflicts_with_all = ["data", "salt", "salt_file"])]
    commitment: Option<String>,
    /// … or your data files, to recompute it (with --salt or --salt-file).
    #[arg(long, num_args = 1..)]
    data: Vec<PathBuf>,
    /// Each data file is one record, instead of each line.
    #[arg(long)]
    whole_files: bool,
    /// Your dataset salt, hex.
    #[arg(long, conflicts_with = "salt_file")]
    salt: Option<String>,
    /// A file holding your dataset salt, hex.
    #[arg(long)]
    salt_file: Option<PathBuf>,
}

fn commitment(a: &AuditArgs) -> Result<poa_circuits::Fr> {
    if let Some(c) = &a.commitment {
        return Ok(parse_fr("--commitment", c)?);
    }
    if a.data.is_empty() {
        bail!("give --commitment, or --data with --salt or --salt-file");
    }
    let salt = match (&a.salt, &a.salt_file) {
        (Some(s), _) => parse_salt_hex(s)?,
        (None, Some(p)) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("{}", p.display()))?;
            parse_salt_hex(&text).with_context(|| format!("{}", p.display()))?
        }
        (None, None) => bail!("--data needs --salt or --salt-file"),
    };
    Ok(load_paths(&a.data, a.whole_files)?.commitment(salt))
}

pub fn run(ui: &Ui, a: &AuditArgs) -> Result<Outcome> {
    let dataset = commitment(a)?;
    let claim = Claim::read(&a.files.claim)?;
    let result = match a.backend {
        Backend::Groth16 => groth16(a, &claim, dataset)?,
        Backend::Plonky2 => super::plonky2::audit(ui, &a.files, &claim, &a.inclusion, dataset)?,
        Backend::Halo2 => bail!(
            "poa audit reads Groth16 and plonky2 proofs (--backend groth16 or plonky2); \
             a halo2 audit is not built yet"
        ),
    };
    report(ui, &claim, dataset, &result)
}

/// The Groth16 audit: the path under the BN254 `Q`, the verifying key.
fn groth16(a: &AuditArgs, claim: &Claim, dataset: poa_circuits::Fr) -> Result<Audit> {
    let vk_path = a.files.params.join(VK_FILE);
    let vk = VerifyingKeyFile::read(&vk_path)?;
    let (proof_file, proof) = ProofFile::read(&a.files.proof)?;
    let inclusion = InclusionFile::read(&a.inclusion)?;
    audit(AuditInputs {
        claim,
        vk: (Path::new(&vk_path), &vk),
        proof: (&proof_file, &proof),
        inclusion: &inclusion,
        dataset,
    })
    .map_err(|e| anyhow::anyhow!("{}: {e}", a.inclusion.display()))
}

/// Prints every check and the proven payout (exit 0), or the failed check
/// (exit 1); the same for every backend.
fn report(ui: &Ui, claim: &Claim, dataset: poa_circuits::Fr, result: &Audit) -> Result<Outcome> {
    ui.say(format!(
        "dataset {} at slot {}",
        fr_to_decimal(&dataset),
        result.slot
    ));
    ui.checks(&result.checks);
    let payout = result.payout.map(|p| p.to_string());
    if result.ok() {
        ui.say(format!(
            "your proven payout: {} of pool {} (dust {})",
            payout.clone().unwrap_or_default(),
            claim.public.pool,
            claim.dust
        ));
    } else if let Some(c) = result.checks.iter().find(|c| !c.ok) {
        ui.progress(format!("audit failed: {} check: {}", c.name, c.detail));
    }
    ui.emit(&json!({
        "ok": result.ok(),
        "slot": result.slot,
        "payout": payout,
        "checks": result.checks,
    }));
    Ok(if result.ok() {
        Outcome::Ok
    } else {
        Outcome::Rejected
    })
}
