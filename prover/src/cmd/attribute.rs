//! `poa attribute`: the claim of an epoch, and the private report.

use std::path::PathBuf;

use anyhow::Result;
use poa_circuits::field::fr_to_decimal;
use poa_circuits::formats::{pretty, Claim, EpochFile, ReportFile};
use poa_prover::files::write_atomic;
use serde_json::json;

use super::BackendArg;
use crate::output::{Outcome, Ui};

/// Compute commitments, scores and payouts of an epoch; write the claim.
#[derive(clap::Args)]
#[command(
    after_help = "The claim holds only public values; scores go to --report, which stays private.\n\
With --backend plonky2 the claim also carries the Goldilocks Q and V, which a plonky2 proof \
must publish (publish them before revenue, like Q and V)."
)]
pub struct Args {
    /// The backend the claim is for: plonky2 adds the Goldilocks Q and V
    /// (groth16 and halo2 share the BN254 ones, always in the claim).
    #[command(flatten)]
    backend: BackendArg,
    /// The epoch file (the trainer's private witness).
    #[arg(long)]
    epoch: PathBuf,
    /// Where to write the claim.
    #[arg(long)]
    out: PathBuf,
    /// Where to write the private report (scores, update commitments).
    #[arg(long)]
    report: Option<PathBuf>,
}

pub fn run(ui: &Ui, a: &Args) -> Result<Outcome> {
    let backend = a.backend.open()?;
    let epoch = EpochFile::read(&a.epoch)?;
    let att = epoch.attribute().map_err(|e| e.in_file(&a.epoch))?;
    let mut claim = Claim::new(&epoch, &att);
    backend
        .extend_claim(&epoch, &att, &mut claim)
        .map_err(|e| anyhow::anyhow!("{}: {e}", a.epoch.display()))?;
    let claim_text = claim.to_json();
    let report = a
        .report
        .as_ref()
        .map(|r| (r, pretty(&ReportFile::new(&att))));
    write_atomic(&a.out, claim_text.as_bytes())?;
    if let Some((path, text)) = report {
        write_atomic(path, text.as_bytes())?;
    }
    ui.say(format!(
        "epoch {} ({} of {} slots, D = {}): S = {}, dust = {}",
        a.epoch.display(),
        epoch.active(),
        epoch.shape.slots,
        epoch.shape.dim,
        att.split.total,
        att.split.dust
    ));
    ui.say(format!("Q = {}", fr_to_decimal(&att.root)));
    ui.say(format!("V = {}", fr_to_decimal(&att.validation_commitment)));
    if let Some(g) = &claim.goldilocks {
        ui.say(format!("Goldilocks Q = {:?}", g.q));
        ui.say(format!("Goldilocks V = {:?}", g.v));
    }
    for (c, p) in att.split.payouts.iter().enumerate() {
        ui.detail(format!("slot {c}: score {}, payout {p}", att.scores[c]));
    }
    ui.say(format!("claim written to {}", a.out.display()));
    ui.emit(&json!({ "ok": true, "claim": claim.to_file() }));
    Ok(Outcome::Ok)
}
