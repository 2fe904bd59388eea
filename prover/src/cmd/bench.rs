//! `poa bench`: setup, prove and verify of one shape, timed, with peak
//! memory, on a synthetic epoch.

use anyhow::Result;
use poa_circuits::statement::Shape;
use poa_prover::backend::BenchOptions;

use super::BackendArg;
use crate::output::{Outcome, Ui};

/// Measure setup, synthesis, prove and verify of one shape (synthetic epoch).
#[derive(clap::Args)]
#[command(after_help = "Example:\n  poa bench --shape 64x1024 --threads 2 --json")]
pub struct Args {
    #[command(flatten)]
    backend: BackendArg,
    /// The shape NxD.
    #[arg(long)]
    shape: Shape,
    /// plonky2: shards (a power of two, 2 … N).
    #[arg(long, default_value_t = 2)]
    shards: usize,
    /// plonky2: shards proven at once (bounds memory).
    #[arg(long, default_value_t = 2)]
    in_flight: usize,
}

pub fn run(ui: &Ui, a: &Args) -> Result<Outcome> {
    let opts = BenchOptions {
        shards: a.shards,
        in_flight: a.in_flight,
    };
    ui.finish(a.backend.open()?.bench(a.shape, &opts, ui)?)
}
