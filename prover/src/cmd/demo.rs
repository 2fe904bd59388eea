//! `poa demo`: the pipeline on an embedded epoch, no arguments, no network:
//! attribute, check the claim, Groth16 setup, prove, verify, audit.

use std::time::Instant;

use anyhow::Result;
use poa_circuits::commit::leaf;
use poa_circuits::field::fr_to_decimal;
use poa_circuits::formats::Claim;
use serde_json::json;

use crate::output::{Outcome, Ui};

/// The shared statement vector the demo runs: 16 slots, D = 300.
const CASE: &str = "random-16x300";

fn short(s: &str) -> String {
    if s.len() > 14 {
        format!("{}…{}", &s[..6], &s[s.len() - 6..])
    } else {
        s.to_string()
    }
}

pub fn run(ui: &Ui) -> Result<Outcome> {
    let total = Instant::now();
    let mut steps = Vec::new();
    let t = Instant::now();
    let epoch = poa_circuits::vectors::statement_epoch(CASE)?;
    steps.push(("load epoch", t.elapsed()));

    let t = Instant::now();
    let att = epoch.attribute()?;
    let claim = Claim::new(&epoch, &att);
    steps.push(("commit + attribute", t.elapsed()));

    let t = Instant::now();
    let report = poa_verifier::check_claim(&claim)?;
    steps.push(("check claim", t.elapsed()));

    ui.progress(format!(
        "groth16: setup and prove {} ({} constraints; insecure single-party setup, demo only)",
        epoch.shape,
        poa_circuits::r1cs::circuit::constraint_count(epoch.shape)
    ));
    let t = Instant::now();
    let keys = poa_prover::groth16::setup_insecure(epoch.shape, None)?;
    steps.push(("groth16 setup", t.elapsed()));
    let t = Instant::now();
    let (proof, _, _) = poa_prover::groth16::prove(&keys.pk, epoch.clone())?;
    steps.push(("groth16 prove", t.elapsed()));
    let t = Instant::now();
    let proof_file = poa_verifier::groth16::ProofFile::new(epoch.shape, keys.vk.digest(), &proof);
    let verdict = poa_verifier::groth16::verify(
        std::path::Path::new("(in memory)"),
        &keys.vk,
        &claim,
        &proof_file,
        &proof,
    )?;
    steps.push(("groth16 verify", t.elapsed()));
    // The same proof against a claim that moves one wei between two
    // contributors (γ and h recomputed, as a cheater would) must fail.
    let mut forged = claim.clone();
    forged.public.payouts[0] += 1;
    forged.public.payouts[1] -= 1;
    let inputs = forged.public.public_inputs()?;
    let forged_rejected = !poa_verifier::groth16::verify_inputs(&keys.vk.vk, &proof, &inputs);

    // Each contributor's audit: their leaf is under Q and their payout is in the claim.
    let t = Instant::now();
    let mut audits = Vec::new();
    for (c, p) in epoch.participants.iter().enumerate() {
        let path = epoch.inclusion(&att, c)?;
        let in_tree = path.root_from(leaf(p.dataset, att.update_commitments[c])) == claim.public.q;
        audits.push(in_tree && claim.public.datasets[c] == p.dataset);
    }
    steps.push(("contributor audits", t.elapsed()));

    let mut order: Vec<usize> = (0..att.scores.len()).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(att.scores[c]));
    let mut rank = vec![0; order.len()];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r + 1;
    }

    ui.say(format!(
        "epoch: N = {}, D = {}, n = {}, pool = {}",
        epoch.shape.slots,
        epoch.shape.dim,
        epoch.active(),
        epoch.pool
    ));
    ui.say(format!(
        "{:>4}  {:<15}  {:>4}  {:>24}  {}",
        "slot", "dataset D_c", "rank", "payout", "audit"
    ));
    for c in 0..epoch.active() {
        ui.say(format!(
            "{c:>4}  {:<15}  {:>4}  {:>24}  {}",
            short(&fr_to_decimal(&epoch.participants[c].dataset)),
            rank[c],
            att.split.payouts[c],
            if audits[c] { "ok" } else { "FAIL" }
        ));
    }
    ui.say(format!("dust: {}", att.split.dust));
    ui.say(format!(
        "groth16 proof: {}; forged claim (1 wei moved): {}",
        if verdict.ok() { "valid" } else { "INVALID" },
        if forged_rejected {
            "rejected"
        } else {
            "ACCEPTED"
        }
    ));
    for check in &report.checks {
        ui.say(format!(
            "claim check {:<13} {}",
            check.name,
            if check.ok { "ok" } else { "FAIL" }
        ));
    }
    for (name, d) in &steps {
        ui.say(format!("{name:<20} {:>10.1} ms", d.as_secs_f64() * 1e3));
    }
    ui.say(format!(
        "{:<20} {:>10.1} ms",
        "total",
        total.elapsed().as_secs_f64() * 1e3
    ));
    let ok = report.ok() && audits.iter().all(|&a| a) && verdict.ok() && forged_rejected;
    ui.emit(&json!({
        "ok": ok,
        "claim": claim.to_file(),
        "checks": report.checks,
        "audits": audits,
        "proofValid": verdict.ok(),
        "forgedClaimRejected": forged_rejected,
        "proof": proof_file,
    }));
    Ok(if ok { Outcome::Ok } else { Outcome::Rejected })
}
