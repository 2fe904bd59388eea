//! `poa import zkey`: Groth16 keys from a snarkjs phase 2 (`zkey new /
//! contribute / beacon`, or a p0tion ceremony) run on `poa export r1cs`'s
//! circuit.

use std::path::PathBuf;

use anyhow::{bail, Result};
use poa_circuits::statement::Shape;
use poa_prover::groth16::ceremony::files::{self, Provenance};
use poa_prover::groth16::ceremony::ptau::Check;
use poa_prover::groth16::ceremony::verify;
use poa_prover::groth16::ceremony::zkey::Zkey;
use serde_json::json;

use crate::output::{Outcome, Ui};

/// Import keys from other tools.
#[derive(clap::Subcommand)]
pub enum Command {
    /// A snarkjs `.zkey` (Groth16, BN254) for this circuit.
    #[command(
        after_help = "Example:\n  poa export r1cs --shape 16x256 --out circuit.r1cs\n  snarkjs zkey new circuit.r1cs pot.ptau c0.zkey   (then contribute, beacon)\n  poa import zkey final.zkey --shape 16x256 --ptau pot.ptau --out params/16x256\n\nThe key's coefficients must be the circuit's, byte for byte. With --ptau the whole transcript is verified too (as `snarkjs zkey verify`)."
    )]
    Zkey {
        /// The `.zkey` file.
        file: PathBuf,
        /// The shape NxD it was made for.
        #[arg(long)]
        shape: Shape,
        /// The params folder to write.
        #[arg(long)]
        out: PathBuf,
        /// The phase-1 file it was made from: verify the transcript
        /// (required unless --insecure-unverified).
        #[arg(long)]
        ptau: Option<PathBuf>,
        /// Import without --ptau (or with no non-beacon contribution): the
        /// keys are marked insecure and `poa prove` warns. Development only.
        #[arg(long)]
        insecure_unverified: bool,
    },
}

pub fn run(ui: &Ui, c: &Command) -> Result<Outcome> {
    let Command::Zkey {
        file,
        shape,
        out,
        ptau,
        insecure_unverified,
    } = c;
    if ptau.is_none() && !insecure_unverified {
        bail!(
            "{}: no --ptau: the transcript cannot be verified against phase 1, so the key \
may come from anyone (a known δ forges proofs); pass --ptau FILE (the phase-1 file it was \
made from), or --insecure-unverified for development keys marked insecure",
            file.display()
        );
    }
    let z = Zkey::read(file)?;
    let m = files::circuit(*shape)?;
    files::check_circuit(&z, &m, file)?;
    let list = match verify::verify_chain(&z, file) {
        Ok(list) => list,
        Err(e) if e.is_rejection() => {
            ui.say(format!("INVALID: {e}"));
            return Ok(Outcome::Rejected);
        }
        Err(e) => return Err(e.into()),
    };
    let weak = verify::weakness(&list);
    if let (Some(why), false) = (weak, insecure_unverified) {
        bail!(
            "{}: {why}; refused (--insecure-unverified imports it marked insecure)",
            file.display()
        );
    }
    let mut verified = false;
    let mut ptau_hash = None;
    if let Some(ptau) = ptau {
        ptau_hash = Some(crate::cmd::ceremony::say_ptau_hash(ui, ptau)?);
        let checked = (|| {
            let p1 = files::phase1(ptau, &m, Some(Check::Full))?;
            let mut rng = poa_prover::rng(None)
                .map_err(|e| poa_prover::groth16::ceremony::Error::Randomness(e.to_string()))?;
            let init = poa_prover::groth16::ceremony::init::initial_for(p1, m, &z, file, &mut rng)?;
            verify::verify(&z, &init, file, &mut rng)
        })();
        match checked {
            Ok(list) => ui.say(format!(
                "transcript verified against {}: {} contributions",
                ptau.display(),
                list.len()
            )),
            Err(e) if e.is_rejection() => {
                ui.say(format!("INVALID: {e}"));
                return Ok(Outcome::Rejected);
            }
            Err(e) => return Err(e.into()),
        }
        verified = true;
    }
    let insecure = weak.or((!verified).then_some(
        "imported with --insecure-unverified: the transcript was not verified against phase 1 \
(its δ may be known: anyone could forge proofs)",
    ));
    let meta = files::write_keys(
        out,
        *shape,
        &z,
        &Provenance {
            how: "snarkjs .zkey (poa import zkey)",
            ptau: ptau.as_deref(),
            ptau_hash,
            verified,
            insecure,
        },
    )?;
    ui.say(format!(
        "{} imported for {shape} ({} contributions) into {}",
        file.display(),
        z.contributions.len(),
        out.display()
    ));
    ui.emit(&json!({"ok": true, "setup": meta}));
    Ok(Outcome::Ok)
}
