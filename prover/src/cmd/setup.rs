//! `poa setup`: the keys (or circuits) of a shape.

use std::path::PathBuf;

use anyhow::Result;
use poa_circuits::statement::Shape;
use poa_prover::backend::SetupOptions;

use super::{parse_seed, BackendArg};
use crate::output::{Outcome, Ui};

/// Make the proving and verifying keys of a shape.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  poa setup --shape 16x256 --out params/16x256 --insecure-single-party\n\nThe setup is single-party: whoever ran it can forge proofs. Use it for development only."
)]
pub struct Args {
    #[command(flatten)]
    backend: BackendArg,
    /// The shape NxD (slots x dimension), e.g. 64x1024.
    #[arg(long)]
    shape: Shape,
    /// Folder for the keys.
    #[arg(long)]
    out: PathBuf,
    /// Acknowledge that a single-party setup lets whoever runs it forge proofs.
    #[arg(long)]
    insecure_single_party: bool,
    /// 32-byte hex seed for a reproducible (insecure) setup.
    #[arg(long, requires = "insecure_single_party", conflicts_with = "ptau")]
    seed: Option<String>,
    /// halo2: an SRS file (halo2's raw ParamsKZG format, as Axiom and PSE
    /// publish powers of tau), cut to the shape's k.
    #[arg(long, conflicts_with = "insecure_single_party")]
    srs: Option<PathBuf>,
    /// A phase-1 powers of tau in snarkjs's `.ptau` format (e.g. the Hermez
    /// `powersOfTau28_hez_final_NN.ptau`), of a power at least the
    /// shape's. Groth16: phase 2 has one contribution, so it still needs
    /// --insecure-single-party (production keys: `poa ceremony`).
    #[arg(long, conflicts_with = "srs")]
    ptau: Option<PathBuf>,
    /// plonky2: shards (a power of two, 2 … N).
    #[arg(long, default_value_t = 2)]
    shards: usize,
}

pub fn run(ui: &Ui, a: &Args) -> Result<Outcome> {
    let backend = a.backend.open()?;
    let opts = SetupOptions {
        shape: a.shape,
        out: &a.out,
        insecure: a.insecure_single_party,
        seed: parse_seed(a.seed.as_deref())?,
        srs: a.srs.as_deref(),
        ptau: a.ptau.as_deref(),
        shards: a.shards,
    };
    ui.finish(backend.setup(&opts, ui)?)
}
