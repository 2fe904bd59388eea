//! `poa attribute`, `poa claim check`, `poa inclusion`.

use std::path::Path;

use anyhow::{Context, Result};
use poa_circuits::commit::leaf;
use poa_circuits::field::fr_to_decimal;
use poa_circuits::formats::{pretty, Claim, EpochFile, InclusionFile, ReportFile};
use poa_prover::files::write_atomic;
use serde_json::json;

use super::proof::Backend;
use crate::output::{Outcome, Ui};

/// `poa attribute`: the claim of an epoch; with `--backend plonky2` it also
/// carries the Goldilocks `Q` and `V` that a plonky2 proof publishes.
pub fn attribute(
    ui: &Ui,
    epoch_path: &Path,
    out: &Path,
    report: Option<&Path>,
    backend: Backend,
) -> Result<Outcome> {
    let epoch = EpochFile::read(epoch_path)?;
    let att = epoch.attribute().map_err(|e| e.in_file(epoch_path))?;
    let mut claim = Claim::new(&epoch, &att);
    if backend == Backend::Plonky2 {
        claim.goldilocks = Some(
            super::plonky2::commitments(&epoch, &att)
                .with_context(|| format!("{}", epoch_path.display()))?,
        );
    }
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
    if let Some(g) = &claim.goldilocks {
        ui.say(format!("Goldilocks Q = {:?}", g.q));
        ui.say(format!("Goldilocks V = {:?}", g.v));
    }
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

/// `poa inclusion`: the path of `slot` under `Q` (under the Goldilocks `Q`
/// with `--backend plonky2`).
pub fn inclusion(
    ui: &Ui,
    epoch_path: &Path,
    slot: usize,
    out: &Path,
    backend: Backend,
) -> Result<Outcome> {
    if backend == Backend::Plonky2 {
        return super::plonky2::inclusion(ui, epoch_path, slot, out);
    }
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
