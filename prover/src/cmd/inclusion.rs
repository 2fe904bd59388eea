//! `poa inclusion`: the Merkle path of one slot, for its contributor.

use std::path::PathBuf;

use anyhow::Result;

use super::BackendArg;
use crate::output::{Outcome, Ui};

/// Write the Merkle path of one slot under Q, for its contributor.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  poa inclusion --epoch epoch.json --slot 2 --out slot2.json\n  \
poa inclusion --backend plonky2 --epoch epoch.json --slot 2 --out slot2.json   (under the Goldilocks Q)"
)]
pub struct Args {
    /// plonky2: the path under the Goldilocks Q (leaves Hash(limbs(D_c) ‖ U_c)).
    #[command(flatten)]
    backend: BackendArg,
    /// The epoch file.
    #[arg(long)]
    epoch: PathBuf,
    /// The slot, 0 … n-1.
    #[arg(long)]
    slot: usize,
    /// Where to write the path.
    #[arg(long)]
    out: PathBuf,
}

pub fn run(ui: &Ui, a: &Args) -> Result<Outcome> {
    ui.finish(a.backend.open()?.inclusion(&a.epoch, a.slot, &a.out, ui)?)
}
