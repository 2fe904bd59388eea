//! `poa attribute`, `poa claim check`, `poa inclusion`.

use std::path::Path;

use anyhow::Result;
use poa_circuits::commit::leaf;
use poa_circuits::field::fr_to_decimal;
use poa_circuits::formats::{pretty, Claim, EpochFile, InclusionFile, ReportFile};
use poa_prover::files::write_atomic;
use serde_json::json;

use crate::output::{Outcome, Ui};

pub fn attribute(ui: &Ui, epoch_path: &Path, out: &Path, report: Option<&Path>) -> Result<Outcome> {
    let epoch = EpochFile::read(epoch_path)?;
    let att = epoch.attribute().map_err(|e| e.in_file(epoch_path))?;
    let claim = Claim::new(&epoch, &att);
    write_atomic(out, claim.to_json().as_bytes())?;
    if let Some(report) = report {
        write_atomic(report, pretty(&ReportFile::new(&att)).as_bytes())?;
    }
    ui.say(format!(
        "epoch {} ({} of {} slots, D = {}): S = {}, dust = {}",
        epoch_path.display(),
        epoch.active(),
        epoch.shape.slots,
        epoch.shape.dim,
        att.split.total,
        att.split.dust
    ));
    ui.say(format!("Q = {}", fr_to_decimal(&att.root)));
    ui.say(format!("V = {}", fr_to_decimal(&att.validation_commitment)));
    for (c, a) in att.split.payouts.iter().enumerate() {
        ui.detail(format!("slot {c}: score {}, payout {a}", att.scores[c]));
    }
    ui.say(format!("claim written to {}", out.display()));
    ui.emit(&json!({ "ok": true, "claim": claim.to_file() }));
    Ok(Outcome::Ok)
}

pub fn check(ui: &Ui, claim_path: &Path) -> Result<Outcome> {
    let claim = Claim::read(claim_path)?;
    let report = poa_verifier::check_claim(&claim).map_err(anyhow::Error::from)?;
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

pub fn inclusion(ui: &Ui, epoch_path: &Path, slot: usize, out: &Path) -> Result<Outcome> {
    let epoch = EpochFile::read(epoch_path)?;
    let att = epoch.attribute().map_err(|e| e.in_file(epoch_path))?;
    let path = epoch
        .inclusion(&att, slot)
        .map_err(|e| e.in_file(epoch_path))?;
    let dataset = epoch.participants[slot].dataset;
    let update = att.update_commitments[slot];
    let file = InclusionFile::new(
        "slot",
        leaf(dataset, update),
        &[dataset, update],
        &path,
        att.root,
    );
    write_atomic(out, pretty(&file).as_bytes())?;
    ui.say(format!(
        "path of slot {slot} ({} siblings) under Q = {} written to {}",
        path.siblings.len(),
        fr_to_decimal(&att.root),
        out.display()
    ));
    ui.emit(&json!({ "ok": true, "inclusion": file }));
    Ok(Outcome::Ok)
}
