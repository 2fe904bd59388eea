//! `poa export-verifier`: the Solidity verifier of a verifying key.

use std::path::PathBuf;

use anyhow::Result;

use super::BackendArg;
use crate::output::{Outcome, Ui};

/// Write the Solidity verifier of a verifying key (and IPoaVerifier.sol beside it).
#[derive(clap::Args)]
#[command(
    after_help = "Compile with contracts/compile.js (solc 0.8.28 pinned, EVM version paris).\n\nExample:\n  poa export-verifier --params params/16x256 --out build/PoaGroth16Verifier.sol"
)]
pub struct Args {
    #[command(flatten)]
    backend: BackendArg,
    /// Folder with the verifying key.
    #[arg(long)]
    params: PathBuf,
    /// The Solidity file to write.
    #[arg(long)]
    out: PathBuf,
}

pub fn run(ui: &Ui, a: &Args) -> Result<Outcome> {
    ui.finish(a.backend.open()?.export_verifier(&a.params, &a.out, ui)?)
}
