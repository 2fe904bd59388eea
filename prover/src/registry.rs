//! The backends, named in one place: the only code that maps a
//! `--backend` name to an implementation. Adding a backend is one module
//! implementing [`Prover`] (and its [`poa_verifier::Verifier`]) and one
//! entry here (README, "Adding a backend").

use crate::backend::Prover;
use crate::Error;

/// A backend: its name (as `--backend` and proof files spell it), a line
/// for `--help`, and how to get it in this build.
pub struct Entry {
    /// The name.
    pub name: &'static str,
    /// What it is, for people.
    pub about: &'static str,
    /// The backend, or why this build lacks it.
    pub open: fn() -> Result<&'static dyn Prover, Error>,
}

/// Every backend, the default first.
pub const BACKENDS: &[Entry] = &[
    Entry {
        name: "groth16",
        about: "Groth16 over BN254 (arkworks): constant-size proofs, cheapest on chain",
        open: || Ok(&crate::groth16::Groth16),
    },
    Entry {
        name: "groth16-cp",
        about: "commit-and-prove Groth16 (one hiding commitment) with logUp range checks: \
                ~3x fewer constraints than groth16, two more G1 points per proof",
        open: || Ok(&crate::groth16_cp::Groth16Cp),
    },
    Entry {
        name: "halo2",
        about: "halo2 (halo2-axiom) with KZG on BN254: a universal SRS, lookup range checks",
        open: || Ok(&crate::halo2::Halo2),
    },
    Entry {
        name: "plonky2",
        about: "plonky2 (Goldilocks profile): no trusted setup, shards and recursion \
                (a `--features plonky2` build with `cargo +nightly`)",
        open: plonky2,
    },
];

#[cfg(feature = "plonky2")]
fn plonky2() -> Result<&'static dyn Prover, Error> {
    Ok(&crate::plonky2::Plonky2)
}

#[cfg(not(feature = "plonky2"))]
fn plonky2() -> Result<&'static dyn Prover, Error> {
    Err(Error::NotBuilt(
        "this poa was built without the plonky2 backend: build it with \
`cargo +nightly build --release -p poa-prover --features plonky2 --target-dir target/nightly` (README)"
            .into(),
    ))
}

/// The backend named `name`.
pub fn backend(name: &str) -> Result<&'static dyn Prover, Error> {
    let entry = BACKENDS.iter().find(|e| e.name == name).ok_or_else(|| {
        Error::Usage(format!(
            "no backend `{name}`; there are {}",
            BACKENDS
                .iter()
                .map(|e| e.name)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    (entry.open)()
}
