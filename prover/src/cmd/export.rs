//! `poa export snarkjs`: Groth16 keys and proofs for snarkjs.

use std::path::PathBuf;

use anyhow::{bail, Result};
use poa_circuits::formats::{pretty, Claim};
use poa_circuits::statement::Shape;
use poa_prover::backend::create_dir;
use poa_prover::files::write_atomic;
use poa_verifier::groth16::{read_proof, VerifyingKeyFile, VK_FILE};
use poa_verifier::snarkjs;
use serde_json::json;

use super::PublicFiles;
use crate::output::{Outcome, Ui};

/// Export keys and proofs for other tools.
#[derive(clap::Subcommand)]
pub enum Command {
    /// snarkjs's verification_key.json, proof.json and public.json (public
    /// inputs recomputed from the claim).
    #[command(
        after_help = "Then: snarkjs groth16 verify DIR2/verification_key.json DIR2/public.json DIR2/proof.json"
    )]
    Snarkjs {
        #[command(flatten)]
        files: PublicFiles,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// The Groth16 circuit in iden3's `.r1cs` format (for `snarkjs zkey new`).
    #[command(after_help = "Then: snarkjs r1cs info circuit.r1cs
      snarkjs zkey new circuit.r1cs pot.ptau c0.zkey")]
    R1cs {
        /// The shape NxD.
        #[arg(long)]
        shape: Shape,
        /// The `.r1cs` file.
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(ui: &Ui, c: &Command) -> Result<Outcome> {
    let (files, out) = match c {
        Command::Snarkjs { files, out } => (files, out),
        Command::R1cs { shape, out } => {
            let m = poa_prover::groth16::ceremony::files::circuit(*shape)?;
            write_atomic(
                out,
                &poa_prover::groth16::ceremony::r1cs_export::r1cs_bytes(&m),
            )?;
            ui.say(format!(
                "{shape}: {} constraints, {} wires, 5 public inputs written to {}",
                m.num_constraints,
                m.num_instance_variables + m.num_witness_variables,
                out.display()
            ));
            ui.emit(&json!({"ok": true, "out": out, "constraints": m.num_constraints}));
            return Ok(Outcome::Ok);
        }
    };
    let vk_path = files.params.join(VK_FILE);
    let vk = VerifyingKeyFile::read(&vk_path)?;
    let claim = Claim::read(&files.claim)?;
    let (_, proof) = read_proof(&files.proof)?;
    if vk.shape != claim.shape {
        bail!(
            "{}: the key is for shape {}, the claim for {}",
            vk_path.display(),
            vk.shape,
            claim.shape
        );
    }
    let report = poa_verifier::check_claim(&claim)?;
    if let Some(failed) = report.first_failure() {
        ui.progress(format!(
            "{}: claim check `{}` failed",
            files.claim.display(),
            failed.name
        ));
        return Ok(Outcome::Rejected);
    }
    let outputs = [
        ("verification_key.json", snarkjs::verification_key(&vk.vk)),
        ("proof.json", snarkjs::proof(&proof)),
        ("public.json", snarkjs::public(&report.public_inputs)),
    ];
    create_dir(out)?;
    for (name, value) in outputs {
        write_atomic(&out.join(name), pretty(&value).as_bytes())?;
    }
    ui.say(format!("snarkjs files written to {}", out.display()));
    ui.emit(&json!({ "ok": true, "out": out }));
    Ok(Outcome::Ok)
}
