//! One module per command group.

pub mod attribute;
pub mod audit;
pub mod bench;
pub mod dataset;
pub mod demo;
pub mod fingerprint;
pub mod halo2;
#[cfg(feature = "plonky2")]
pub mod plonky2;
pub mod proof;

/// A build without the `plonky2` feature: every plonky2 command says how
/// to build a `poa` that has it, so the dispatch needs no feature switch.
#[cfg(not(feature = "plonky2"))]
pub mod plonky2 {
    use std::path::Path;

    use anyhow::{bail, Result};
    use poa_circuits::formats::goldilocks::GoldilocksCommitments;
    use poa_circuits::formats::Claim;
    use poa_circuits::statement::{Attribution, Epoch, Shape};
    use poa_circuits::Fr;
    use poa_verifier::audit::Audit;

    use super::proof::PublicFiles;
    use crate::output::{Outcome, Ui};

    fn missing<T>() -> Result<T> {
        bail!(
            "this poa was built without the plonky2 backend: build it with \
`cargo +nightly build --release -p poa-prover --features plonky2 --target-dir target/nightly` (README)"
        )
    }

    pub fn setup(_: &Ui, _: Shape, _: usize, _: &Path) -> Result<Outcome> {
        missing()
    }

    pub fn prove(
        _: &Ui,
        _: &Path,
        _: &Path,
        _: &Path,
        _: Option<usize>,
        _: usize,
    ) -> Result<Outcome> {
        missing()
    }

    pub fn verify(_: &Ui, _: &PublicFiles) -> Result<Outcome> {
        missing()
    }

    pub fn commitments(_: &Epoch, _: &Attribution) -> Result<GoldilocksCommitments> {
        missing()
    }

    pub fn inclusion(_: &Ui, _: &Path, _: usize, _: &Path) -> Result<Outcome> {
        missing()
    }

    pub fn audit(_: &Ui, _: &PublicFiles, _: &Claim, _: &Path, _: Fr) -> Result<Audit> {
        missing()
    }

    pub fn bench(_: &Ui, _: Shape, _: usize, _: usize) -> Result<Outcome> {
        missing()
    }
}
