//! CP-Groth16 proving: the commitment `D` (and so the challenge) is made
//! from the committed witnesses while the circuit is recorded, before any
//! witness that depends on the challenge; then ark-groth16's prover with
//! the committed terms left out of `C`, and `C` corrected for the blind.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ark_bn254::{Bn254, Fr, G1Affine, G1Projective};
use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_ff::UniformRand;
use ark_groth16::Groth16;
use ark_relations::r1cs::SynthesisError;
use poa_circuits::r1cs::logup::Challenge;
use poa_circuits::r1cs::{Builder, Recorded};
use rand_chacha::ChaCha20Rng;

use super::{CpProof, CpProvingKey};
use crate::groth16::ceremony::qap::SnarkjsReduction;
use crate::groth16::Qap;
use crate::Error;

/// Where the time went.
#[derive(Clone, Copy, Debug, Default)]
pub struct CpTimings {
    /// Recording the circuit, the commitment MSM included.
    pub synthesis: Duration,
    /// Of which the commitment `D`.
    pub commitment: Duration,
    /// The proof of knowledge `π`.
    pub pok: Duration,
    /// ark-groth16's prover (QAP witness map, FFTs, MSMs of A, B, C).
    pub groth16: Duration,
}

/// The challenge function of a prover: `D = Σ v_i·ck_i + ν·ck_blind` and
/// its hash, with `D` kept for the proof. `derive` maps `D` to the
/// challenge (the verifier's `challenge`; anything else only in tests).
pub fn commitment_challenge(
    ck: Arc<Vec<G1Affine>>,
    ck_blind: G1Affine,
    nu: Fr,
    derive: fn(&G1Affine) -> Fr,
    out: Arc<Mutex<Option<(G1Affine, Duration)>>>,
) -> Challenge {
    Arc::new(move |values: &[Fr]| {
        let t = Instant::now();
        let n = values.len().min(ck.len());
        let d = (G1Projective::msm_unchecked(&ck[..n], &values[..n]) + ck_blind * nu).into_affine();
        if let Ok(mut slot) = out.lock() {
            *slot = Some((d, t.elapsed()));
        }
        derive(&d)
    })
}

/// Proves the circuit `synth` builds (the one the key was made for, with
/// its witness) with challenge derivation `derive`, for a key of arkworks'
/// QAP reduction (the single-party setup's). Returns the proof and the
/// recorded public inputs (the challenge last).
pub fn prove_with(
    pk: &CpProvingKey,
    synth: impl FnOnce(&Builder) -> Result<(), SynthesisError>,
    table_bits: usize,
    derive: fn(&G1Affine) -> Fr,
    rng: &mut ChaCha20Rng,
) -> Result<(CpProof, Vec<Fr>, CpTimings), Error> {
    prove_with_qap(pk, Qap::Libsnark, synth, table_bits, derive, rng)
}

/// [`prove_with`] for a key whose H query is for the reduction `qap`
/// (snarkjs's for a key from `poa ceremony`).
pub fn prove_with_qap(
    pk: &CpProvingKey,
    qap: Qap,
    synth: impl FnOnce(&Builder) -> Result<(), SynthesisError>,
    table_bits: usize,
    derive: fn(&G1Affine) -> Fr,
    rng: &mut ChaCha20Rng,
) -> Result<(CpProof, Vec<Fr>, CpTimings), Error> {
    let mut timings = CpTimings::default();
    let nu = Fr::rand(rng);
    let out = Arc::new(Mutex::new(None));
    let challenge = commitment_challenge(pk.ck.clone(), pk.ck_blind, nu, derive, out.clone());
    let t = Instant::now();
    let b = Builder::recording().with_logup(table_bits, challenge);
    let res = synth(&b);
    b.check_lookups().map_err(Error::Synthesis)?;
    res.map_err(|e| Error::Synthesis(e.to_string()))?;
    let Recorded {
        matrices,
        assignment,
        committed,
    } = b
        .into_recorded()
        .ok_or_else(|| Error::Synthesis("not a recording builder".into()))?;
    timings.synthesis = t.elapsed();
    let (d, commit_time) = out
        .lock()
        .map_err(|_| Error::Synthesis("poisoned lock".into()))?
        .take()
        .ok_or_else(|| Error::Synthesis("the circuit made no commitment".into()))?;
    timings.commitment = commit_time;
    if committed.len() != pk.committed.len()
        || committed
            .iter()
            .zip(&pk.committed)
            .any(|(&a, &b)| a as u64 != b)
    {
        return Err(Error::Synthesis(
            "the circuit commits other witnesses than the key's".into(),
        ));
    }
    let inst = matrices.num_instance_variables;
    let values: Vec<Fr> = committed.iter().map(|&i| assignment[inst + i]).collect();

    let t = Instant::now();
    let pok = (G1Projective::msm_unchecked(&pk.pok_ck, &values) + pk.pok_blind * nu).into_affine();
    timings.pok = t.elapsed();

    let t = Instant::now();
    let (r, s) = (Fr::rand(rng), Fr::rand(rng));
    let rows = matrices.num_constraints;
    let proof = match qap {
        Qap::Libsnark => Groth16::<Bn254>::create_proof_with_reduction_and_matrices(
            &pk.pk,
            r,
            s,
            &matrices,
            inst,
            rows,
            &assignment,
        ),
        Qap::Snarkjs => {
            Groth16::<Bn254, SnarkjsReduction>::create_proof_with_reduction_and_matrices(
                &pk.pk,
                r,
                s,
                &matrices,
                inst,
                rows,
                &assignment,
            )
        }
    }
    .map_err(|e| Error::Synthesis(e.to_string()))?;
    let mut proof = proof;
    // D carries ν·[η/γ]₁ into the γ pairing; C pays it back over δ.
    proof.c = (proof.c - pk.eta_delta * nu).into_affine();
    timings.groth16 = t.elapsed();
    let inputs = assignment[1..inst].to_vec();
    Ok((CpProof { proof, d, pok }, inputs, timings))
}

/// The committed values of the circuit `synth` builds, in commitment order
/// (tests: the unblinded commitment).
pub fn committed_values(
    pk: &CpProvingKey,
    synth: impl FnOnce(&Builder) -> Result<(), SynthesisError>,
    table_bits: usize,
) -> Result<Vec<Fr>, Error> {
    let b = Builder::recording().with_logup(table_bits, Arc::new(|_: &[Fr]| Fr::from(0u64)));
    synth(&b).map_err(|e| Error::Synthesis(e.to_string()))?;
    let r = b
        .into_recorded()
        .ok_or_else(|| Error::Synthesis("not a recording builder".into()))?;
    let inst = r.matrices.num_instance_variables;
    let _ = pk;
    Ok(r.committed
        .iter()
        .map(|&i| r.assignment[inst + i])
        .collect())
}
