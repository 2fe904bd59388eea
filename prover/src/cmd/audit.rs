//! `poa audit [--backend B]`: a contributor checks their share with public
//! data and their own secrets only, the same way for every backend
//! (`poa_verifier::audit`).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use poa_circuits::field::{fr_to_decimal, parse_fr};
use poa_circuits::formats::Claim;
use poa_verifier::audit::{audit, Audit, AuditFiles};
use serde_json::json;

use super::dataset::{load_paths, parse_salt_hex};
use super::{BackendArg, PublicFiles};
use crate::output::{Outcome, Ui};

/// A contributor's audit: your dataset is under Q, listed in the claim,
/// and the proof verifies for the claim (exit 0), or which check failed (exit 1).
#[derive(clap::Args)]
#[command(after_help = "Needs only public files and your own secrets: \
poa audit --params P --claim claim.json --proof proof.json --inclusion slot2.json --data mydata.jsonl --salt-file salt.txt\n\
With --backend plonky2 the path is the one under the claim's Goldilocks Q (`poa inclusion --backend plonky2`).")]
pub struct Args {
    /// The proof's backend.
    #[command(flatten)]
    backend: BackendArg,
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

fn commitment(a: &Args) -> Result<poa_circuits::Fr> {
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

pub fn run(ui: &Ui, a: &Args) -> Result<Outcome> {
    let verifier = a.backend.open()?.verifier();
    let dataset = commitment(a)?;
    let claim = Claim::read(&a.files.claim)?;
    let files = AuditFiles {
        params: &a.files.params,
        claim_path: &a.files.claim,
        claim: &claim,
        proof: &a.files.proof,
        inclusion: &a.inclusion,
    };
    let result = audit(verifier, &files, dataset, ui)?;
    report(ui, &claim, dataset, &result)
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
