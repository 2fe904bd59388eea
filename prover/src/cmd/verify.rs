//! `poa verify`: a proof for a claim, exit 0 valid, 1 rejected.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use poa_circuits::formats::Claim;
use poa_verifier::Verdict;
use serde_json::json;

use super::{BackendArg, PublicFiles};
use crate::output::{Outcome, Ui};

/// Verify a proof for a claim: exit 0 valid, 1 rejected.
#[derive(clap::Args)]
#[command(
    after_help = "The public inputs are recomputed from the claim, never read from the proof file: [Q, V, pool, γ, h] (Groth16, halo2), or the Goldilocks Q and V, pool, datasets and payouts (plonky2).\n\nExample:\n  poa verify --params params/16x256 --claim claim.json --proof proof.json"
)]
pub struct Args {
    #[command(flatten)]
    backend: BackendArg,
    #[command(flatten)]
    files: PublicFiles,
}

pub fn run(ui: &Ui, a: &Args) -> Result<Outcome> {
    let verifier = a.backend.open()?.verifier();
    let claim = Claim::read(&a.files.claim)?;
    let t = Instant::now();
    let v = verifier.verify(&a.files.params, &claim, &a.files.claim, &a.files.proof, ui)?;
    report_verdict(ui, &a.files.claim, &v.verdict, t.elapsed(), v.extra)
}

/// Prints and emits a verdict, with a backend's `extra` fields in the
/// emitted report; exit 0 when valid, 1 when rejected.
pub fn report_verdict(
    ui: &Ui,
    claim_path: &Path,
    verdict: &Verdict,
    elapsed: Duration,
    extra: serde_json::Map<String, serde_json::Value>,
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
    if let Some(report) = report.as_object_mut() {
        report.extend(extra);
    }
    ui.emit(&report);
    Ok(if verdict.ok() {
        Outcome::Ok
    } else {
        Outcome::Rejected
    })
}
