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
    use poa_circuits::statement::Shape;

    use crate::output::{Outcome, Ui};

    fn missing() -> Result<Outcome> {
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

    pub fn verify(_: &Ui, _: &super::proof::PublicFiles) -> Result<Outcome> {
        missing()
    }

    pub fn bench(_: &Ui, _: Shape, _: usize, _: usize) -> Result<Outcome> {
        missing()
    }
}
