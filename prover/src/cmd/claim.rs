//! `poa claim check`: recompute γ, h and the public inputs of a claim.

use std::path::PathBuf;

use anyhow::Result;
use poa_circuits::formats::Claim;
use serde_json::json;

use crate::output::{Outcome, Ui};

/// Claim files.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Recompute γ, h and the public inputs of a claim and check its sums.
    #[command(after_help = "Example:\n  poa claim check --claim claim.json --json")]
    Check {
        /// The claim file.
        #[arg(long)]
        claim: PathBuf,
    },
}

pub fn run(ui: &Ui, c: &Command) -> Result<Outcome> {
    let Command::Check { claim: claim_path } = c;
    let claim = Claim::read(claim_path)?;
    let report = poa_verifier::check_claim(&claim)?;
    ui.checks(&report.checks);
    ui.emit(&json!({ "ok": report.ok(), "checks": report.checks }));
    Ok(if report.ok() {
        Outcome::Ok
    } else {
        if let Some(failed) = report.first_failure() {
            ui.progress(format!(
                "{}: claim rejected: {} check failed",
                claim_path.display(),
                failed.name
            ));
        }
        Outcome::Rejected
    })
}
