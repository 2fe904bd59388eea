//! The statement circuit (`poa_circuits::r1cs::circuit`, logUp range
//! checks against `[0, 2^LOOKUP_BITS)`) on CP-Groth16.

use std::time::{Duration, Instant};

use ark_bn254::Fr;
use poa_circuits::r1cs::circuit::AttributionCircuit;
use poa_circuits::statement::{Epoch, Shape};
use poa_circuits::widths::LOOKUP_BITS;
use poa_verifier::groth16_cp::{challenge, verify, CpProof};

use super::{prove_with_qap, setup_with, CpTimings, ProvingKeyFile};
use crate::groth16::Qap;
use crate::{rng, Error};

/// An insecure single-party setup for `shape` (a fixed `seed` makes it
/// reproducible, for tests only).
pub fn setup_insecure(shape: Shape, seed: Option<[u8; 32]>) -> Result<ProvingKeyFile, Error> {
    let placeholder = AttributionCircuit::placeholder(shape)?;
    let pk = setup_with(|b| placeholder.synthesize(b), LOOKUP_BITS, &mut rng(seed)?)?;
    Ok(ProvingKeyFile {
        shape,
        pk,
        qap: Qap::Libsnark,
    })
}

/// Where the time of [`prove`] went.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProveTimings {
    /// Native attribution (the witness).
    pub witness: Duration,
    /// The prover's parts.
    pub cp: CpTimings,
    /// The prover's own check of its proof.
    pub self_check: Duration,
}

/// Proves `epoch`; the proof is checked against the honest public inputs
/// before it is returned.
pub fn prove(pk: &ProvingKeyFile, epoch: Epoch) -> Result<(CpProof, [Fr; 5], ProveTimings), Error> {
    if pk.shape != epoch.shape {
        return Err(Error::ShapeMismatch {
            key: pk.shape,
            epoch: epoch.shape,
        });
    }
    let mut timings = ProveTimings::default();
    let t = Instant::now();
    let circuit = AttributionCircuit::new(epoch)?;
    let inputs = circuit.public_inputs();
    timings.witness = t.elapsed();
    let (proof, _, cp) = prove_with_qap(
        &pk.pk,
        pk.qap,
        |b| circuit.synthesize(b),
        LOOKUP_BITS,
        challenge,
        &mut rng(None)?,
    )?;
    timings.cp = cp;
    let t = Instant::now();
    if !verify(&pk.pk.vk, &proof, &inputs) {
        return Err(Error::Synthesis(
            "the proof does not verify: the witness does not satisfy the circuit".into(),
        ));
    }
    timings.self_check = t.elapsed();
    Ok((proof, inputs, timings))
}
