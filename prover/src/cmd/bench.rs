//! `poa bench`: setup, synthesis, prove and verify times of one shape, with
//! peak memory, on a synthetic epoch.

use std::time::{Duration, Instant};

use anyhow::Result;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem, OptimizationGoal};
use poa_circuits::formats::Claim;
use poa_circuits::r1cs::circuit::{constraint_count, AttributionCircuit};
use poa_circuits::statement::{synthetic_epoch, Shape};
use poa_prover::groth16;
use poa_verifier::groth16::verify_inputs;
use serde_json::json;

use crate::output::{Outcome, Ui};

/// Peak resident memory of this process (Linux `VmHWM`), in MiB.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn s(d: Duration) -> f64 {
    d.as_secs_f64()
}

pub fn run(ui: &Ui, shape: Shape) -> Result<Outcome> {
    let constraints = constraint_count(shape);
    let threads = poa_circuits::parallel::current_threads();
    ui.progress(format!(
        "bench groth16 {shape}: {constraints} constraints, {threads} threads"
    ));
    let epoch = synthetic_epoch(shape, 42);

    ui.progress("[1/4] setup (insecure, single-party)");
    let t = Instant::now();
    let keys = groth16::setup_insecure(shape, None)?;
    let setup = t.elapsed();

    ui.progress("[2/4] synthesis through ark-relations (as setup does)");
    let t = Instant::now();
    let cs = ConstraintSystem::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    AttributionCircuit::new(epoch.clone())?.generate_constraints(cs.clone())?;
    cs.finalize();
    let ark_synthesis = t.elapsed();
    drop(cs);

    ui.progress("[3/4] prove (witness, synthesis into matrices, Groth16)");
    let t = Instant::now();
    let (proof, inputs, timings) = groth16::prove(&keys.pk, epoch.clone())?;
    let prove = t.elapsed() - timings.self_check;

    ui.progress("[4/4] verify");
    let claim = Claim::new(&epoch, &epoch.attribute()?);
    let runs = 20;
    let t = Instant::now();
    let mut ok = true;
    for _ in 0..runs {
        ok &=
            poa_verifier::check_claim(&claim)?.ok() && verify_inputs(&keys.vk.vk, &proof, &inputs);
    }
    let verify = t.elapsed() / runs;
    let peak = peak_rss_mib();
    let rate = constraints as f64 / s(prove);
    ui.say(format!("shape               {shape}"));
    ui.say(format!("constraints         {constraints}"));
    ui.say(format!("threads             {threads}"));
    ui.say(format!("setup               {:.2} s", s(setup)));
    ui.say(format!("synthesis (ark)     {:.2} s", s(ark_synthesis)));
    ui.say(format!(
        "prove               {:.2} s  ({:.0} constraints/s, {:.0} per thread)",
        s(prove),
        rate,
        rate / threads as f64
    ));
    ui.say(format!(
        "  of which         witness {:.2} s, synthesis {:.2} s, Groth16 {:.2} s",
        s(timings.witness),
        s(timings.synthesis),
        s(timings.prove)
    ));
    ui.say(format!(
        "verify              {:.2} ms (claim check and pairing)",
        s(verify) * 1e3
    ));
    ui.say(format!(
        "peak RSS            {} MiB",
        peak.map_or("?".into(), |p| format!("{p:.0}"))
    ));
    ui.emit(&json!({
        "ok": ok, "backend": "groth16", "shape": shape.to_string(), "constraints": constraints,
        "threads": threads, "setupSeconds": s(setup), "arkSynthesisSeconds": s(ark_synthesis),
        "proveSeconds": s(prove), "witnessSeconds": s(timings.witness),
        "synthesisSeconds": s(timings.synthesis), "groth16Seconds": s(timings.prove), "constraintsPerSecond": rate, "verifyMilliseconds": s(verify) * 1e3,
        "peakRssMiB": peak,
    }));
    Ok(if ok { Outcome::Ok } else { Outcome::Rejected })
}
