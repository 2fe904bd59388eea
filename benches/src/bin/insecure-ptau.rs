//! `insecure-ptau POWER OUT [--unprepared]`: a prepared `.ptau` of 2^POWER
//! for a fixed, public τ, α, β, to measure `poa ceremony` (and snarkjs's
//! phase 2) at large shapes without downloading a public phase 1 or
//! waiting hours for `snarkjs powersoftau prepare phase2`. INSECURE: the
//! secrets are in this file; never use its keys for anything but timing.

use poa_circuits::Fr;
use poa_prover::groth16::ceremony::insecure_ptau::{ptau_bytes, Secrets};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: insecure-ptau POWER OUT [--unprepared]";
    let (power, out) = match args.as_slice() {
        [p, o] | [p, o, _] => (p.parse::<u32>().map_err(|e| format!("{usage}: {e}"))?, o),
        _ => return Err(usage.into()),
    };
    if !(1..=27).contains(&power) {
        return Err(format!("{usage}: POWER is 1 to 27"));
    }
    let prepared = args.get(2).map(String::as_str) != Some("--unprepared");
    // Fixed odd constants (the golden ratio's bits): public by design.
    let k = Fr::from(0x9e37_79b9_7f4a_7c15u64);
    let secrets = Secrets {
        tau: k * k * k,
        alpha: k + Fr::from(1u64),
        beta: k + Fr::from(2u64),
    };
    let bytes = ptau_bytes(power, &secrets, prepared);
    std::fs::write(out, bytes).map_err(|e| format!("{out}: {e}"))?;
    eprintln!("{out}: 2^{power} (INSECURE: τ is public)");
    Ok(())
}
