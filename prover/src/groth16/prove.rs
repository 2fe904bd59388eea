//! Proving an epoch.

use std::time::{Duration, Instant};

use ark_bn254::{Bn254, Fr};
use ark_ff::UniformRand;
use ark_groth16::{Groth16, Proof};
use poa_circuits::r1cs::circuit::AttributionCircuit;
use poa_circuits::statement::Epoch;
use poa_verifier::groth16::verify_inputs;

use super::ceremony::qap::SnarkjsReduction;
use super::{rng, ProvingKeyFile, Qap};
use crate::Error;

/// Where the time went.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProveTimings {
    /// Native attribution (the witness).
    pub witness: Duration,
    /// Synthesis into matrices.
    pub synthesis: Duration,
    /// The Groth16 prover (QAP witness map, MSMs).
    pub prove: Duration,
    /// The prover's own check of its proof.
    pub self_check: Duration,
}

/// Proves `epoch` with `pk`. The proof is checked against the honest public
/// inputs before it is returned.
pub fn prove(
    pk: &ProvingKeyFile,
    epoch: Epoch,
) -> Result<(Proof<Bn254>, [ark_bn254::Fr; 5], ProveTimings), Error> {
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
    let t = Instant::now();
    let recorded = circuit
        .record()
        .map_err(|e| Error::Synthesis(e.to_string()))?;
    timings.synthesis = t.elapsed();
    let t = Instant::now();
    let mut rng = rng(None)?;
    let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
    let m = &recorded.matrices;
    let (inst, rows, w) = (
        m.num_instance_variables,
        m.num_constraints,
        &recorded.assignment,
    );
    let proof = match pk.qap {
        Qap::Libsnark => Groth16::<Bn254>::create_proof_with_reduction_and_matrices(
            &pk.pk, r, s, m, inst, rows, w,
        ),
        Qap::Snarkjs => {
            Groth16::<Bn254, SnarkjsReduction>::create_proof_with_reduction_and_matrices(
                &pk.pk, r, s, m, inst, rows, w,
            )
        }
    }
    .map_err(|e| Error::Synthesis(e.to_string()))?;
    drop(recorded);
    timings.prove = t.elapsed();
    let t = Instant::now();
    if !verify_inputs(&pk.pk.vk, &proof, &inputs) {
        return Err(Error::Synthesis(
            "the proof does not verify: the witness does not satisfy the circuit".into(),
        ));
    }
    timings.self_check = t.elapsed();
    Ok((proof, inputs, timings))
}
