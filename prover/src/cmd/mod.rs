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

/// What `--backend plonky2` says in a build without the feature.
#[cfg(not(feature = "plonky2"))]
pub fn no_plonky2() -> anyhow::Result<crate::output::Outcome> {
    anyhow::bail!(
        "this poa was built without the plonky2 backend: build it with \
`cargo +nightly build --release -p poa-prover --features plonky2 --target-dir target/nightly` (README)"
    )
}
