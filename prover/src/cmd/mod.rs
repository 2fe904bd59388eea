//! One module per command, each owning its arguments; what several share
//! (the backend, the public files, a seed) is here.

pub mod attribute;
pub mod audit;
pub mod bench;
pub mod bench_quality;
pub mod ceremony;
pub mod chain;
pub mod claim;
pub mod dataset;
pub mod demo;
pub mod export;
pub mod export_verifier;
pub mod fingerprint;
pub mod import;
pub mod inclusion;
pub mod prove;
pub mod setup;
pub mod verify;

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::builder::{PossibleValue, PossibleValuesParser};
use poa_prover::backend::Prover;
use poa_prover::registry::{self, BACKENDS};

/// `--backend`: one of the registry's names.
#[derive(clap::Args, Clone)]
pub struct BackendArg {
    /// Proving backend.
    #[arg(long, default_value = "groth16", value_parser = backend_names())]
    pub backend: String,
}

fn backend_names() -> PossibleValuesParser {
    PossibleValuesParser::new(
        BACKENDS
            .iter()
            .map(|e| PossibleValue::new(e.name).help(e.about)),
    )
}

impl BackendArg {
    /// The backend (an error when this build lacks it).
    pub fn open(&self) -> Result<&'static dyn Prover> {
        Ok(registry::backend(&self.backend)?)
    }
}

/// The public files every verifier-side command reads.
#[derive(clap::Args)]
pub struct PublicFiles {
    /// Folder with the verifying key.
    #[arg(long)]
    pub params: PathBuf,
    /// The claim file.
    #[arg(long)]
    pub claim: PathBuf,
    /// The proof file.
    #[arg(long)]
    pub proof: PathBuf,
}

/// `--seed` as 32 bytes.
pub fn parse_seed(seed: Option<&str>) -> Result<Option<[u8; 32]>> {
    seed.map(|s| -> Result<[u8; 32]> {
        let bytes = hex::decode(s.trim_start_matches("0x")).context("--seed is not hex")?;
        bytes
            .try_into()
            .map_err(|_| anyhow::anyhow!("--seed must be 32 bytes of hex"))
    })
    .transpose()
}
