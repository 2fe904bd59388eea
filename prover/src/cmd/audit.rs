//! `poa audit [--backend B]`: a contributor checks their share with public
//! data and their own secrets only, the same way for every backend
//! (`poa_verifier::audit`).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use poa_circuits::field::{fr_to_decimal, parse_fr};
use poa_circuits::formats::Claim;
use poa_verifier::audit::{audit, conclude, Audit, AuditFiles};
use serde_json::json;

use super::dataset::{load_paths, parse_salt_hex};
use super::BackendArg;
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
    /// Folder with the verifying key (with --rpc-url too: the settle's
    /// proof is verified under it).
    #[arg(long)]
    params: PathBuf,
    /// The claim file (not with --rpc-url: the chain's settlement is the claim).
    #[arg(long, required_unless_present = "rpc_url", conflicts_with = "rpc_url")]
    claim: Option<PathBuf>,
    /// The proof file (not with --rpc-url: the contract verified it).
    #[arg(long, required_unless_present = "rpc_url", conflicts_with = "rpc_url")]
    proof: Option<PathBuf>,
    /// Audit against what this node's chain settled instead of a claim file.
    #[arg(long, requires_all = ["model", "epoch"])]
    rpc_url: Option<String>,
    /// The deployment file (with --rpc-url).
    #[arg(long, default_value = "deployment.json")]
    deployment: PathBuf,
    /// The model (with --rpc-url).
    #[arg(long)]
    model: Option<revm::primitives::U256>,
    /// The epoch (with --rpc-url).
    #[arg(long)]
    epoch: Option<revm::primitives::U256>,
    /// The shape NxD (with --rpc-url; by default the key's).
    #[arg(long)]
    shape: Option<poa_circuits::statement::Shape>,
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
    if let (Some(url), Some(model), Some(epoch)) = (&a.rpc_url, a.model, a.epoch) {
        let at = super::chain::audit::OnChain {
            rpc_url: url,
            deployment: &a.deployment,
            model,
            epoch,
            params: &a.params,
            shape: a.shape,
        };
        let (claim, verdict, chain_checks) = super::chain::audit::settled_claim(&at, verifier, ui)?;
        let (slot, inclusion) = verifier.inclusion(&claim, &a.deployment, &a.inclusion, dataset)?;
        let mut result = conclude(&claim, slot, dataset, inclusion, &verdict);
        result.checks.extend(chain_checks);
        return report(ui, &claim, dataset, &result);
    }
    let params = &a.params;
    let (Some(claim_path), Some(proof)) = (&a.claim, &a.proof) else {
        bail!("give --claim and --proof, or --rpc-url with --model and --epoch");
    };
    let claim = Claim::read(claim_path)?;
    let files = AuditFiles {
        params,
        claim_path,
        claim: &claim,
        proof,
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
