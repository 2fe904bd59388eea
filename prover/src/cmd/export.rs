//! `poa export snarkjs`: Groth16 keys and proofs for snarkjs.

use std::path::PathBuf;

use anyhow::{bail, Result};
use poa_circuits::formats::{pretty, Claim};
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
}

pub fn run(ui: &Ui, c: &Command) -> Result<Outcome> {
    let Command::Snarkjs { files, out } = c;
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
