//! `poa prove`: prove an epoch.

use std::path::PathBuf;

use anyhow::Result;
use poa_prover::backend::ProveOptions;

use super::BackendArg;
use crate::output::{Outcome, Ui};

/// Prove an epoch.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  poa prove --params params/16x256 --epoch epoch.json --out proof.json --threads 2"
)]
pub struct Args {
    #[command(flatten)]
    backend: BackendArg,
    /// Folder with the keys from `poa setup`.
    #[arg(long)]
    params: PathBuf,
    /// The epoch file.
    #[arg(long)]
    epoch: PathBuf,
    /// Where to write the proof.
    #[arg(long)]
    out: PathBuf,
    /// plonky2: shards proven at once (bounds memory).
    #[arg(long, default_value_t = 2)]
    in_flight: usize,
    /// plonky2: the shard count, checked against the one set up.
    #[arg(long)]
    shards: Option<usize>,
}

pub fn run(ui: &Ui, a: &Args) -> Result<Outcome> {
    let opts = ProveOptions {
        in_flight: a.in_flight,
        shards: a.shards,
    };
    ui.finish(
        a.backend
            .open()?
            .prove(&a.params, &a.epoch, &a.out, &opts, ui)?,
    )
}
