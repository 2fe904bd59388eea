//! CP-Groth16 setup: ark-groth16's generator with trapdoors we hold, then
//! the committed witnesses' L-query terms moved to the commitment key.
//! Single-party: whoever runs it can forge proofs (development only).

use std::sync::{Arc, Mutex};

use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup};
use ark_ff::{Field, UniformRand};
use ark_groth16::Groth16;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use poa_circuits::r1cs::Builder;
use rand_chacha::ChaCha20Rng;

use super::{CpProvingKey, CpVerifyingKey};
use crate::Error;

/// The circuit for `ark-groth16`'s generator: a lookup builder whose
/// committed witnesses are reported back.
struct Synth<F> {
    synth: F,
    table_bits: usize,
    committed: Arc<Mutex<Vec<usize>>>,
    /// What [`Builder::check_lookups`] found wrong, if anything.
    problem: Arc<Mutex<Option<String>>>,
}

impl<F: FnOnce(&Builder) -> Result<(), SynthesisError>> ConstraintSynthesizer<Fr> for Synth<F> {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        // The challenge is a placeholder: setup does not evaluate witnesses.
        let b = Builder::new(cs).with_logup(self.table_bits, Arc::new(|_: &[Fr]| Fr::ONE));
        let res = (self.synth)(&b);
        let problem = b.check_lookups().err();
        let refused = problem.is_some();
        *self
            .problem
            .lock()
            .map_err(|_| SynthesisError::AssignmentMissing)? = problem;
        res?;
        if refused {
            return Err(SynthesisError::Unsatisfiable);
        }
        let mut committed = self
            .committed
            .lock()
            .map_err(|_| SynthesisError::AssignmentMissing)?;
        *committed = b.committed();
        Ok(())
    }
}

/// Keys for the circuit `synth` builds (with lookups against `[0, 2^k)`,
/// `k = table_bits`; it must end with `finish_lookups`: a circuit that
/// does not, or looks up or commits after it, is refused).
pub fn setup_with(
    synth: impl FnOnce(&Builder) -> Result<(), SynthesisError>,
    table_bits: usize,
    rng: &mut ChaCha20Rng,
) -> Result<CpProvingKey, Error> {
    let nonzero = |rng: &mut ChaCha20Rng| loop {
        let x = Fr::rand(rng);
        if x != Fr::from(0u64) {
            return x;
        }
    };
    let (alpha, beta, gamma, delta) = (nonzero(rng), nonzero(rng), nonzero(rng), nonzero(rng));
    let (eta, sigma) = (nonzero(rng), nonzero(rng));
    let g1 = G1Projective::generator();
    let g2 = G2Projective::generator();
    let committed = Arc::new(Mutex::new(Vec::new()));
    let problem = Arc::new(Mutex::new(None));
    let circuit = Synth {
        synth,
        table_bits,
        committed: committed.clone(),
        problem: problem.clone(),
    };
    let generated = Groth16::<Bn254>::generate_parameters_with_qap(
        circuit, alpha, beta, gamma, delta, g1, g2, rng,
    );
    if let Some(p) = problem.lock().ok().and_then(|mut p| p.take()) {
        return Err(Error::Synthesis(format!("setup refused: {p}")));
    }
    let mut pk = generated.map_err(|e| Error::Synthesis(e.to_string()))?;
    let committed = committed
        .lock()
        .map_err(|_| Error::Synthesis("setup: poisoned lock".into()))?
        .clone();
    let gamma_inv = gamma
        .inverse()
        .ok_or_else(|| Error::Synthesis("γ = 0".into()))?;
    let delta_inv = delta
        .inverse()
        .ok_or_else(|| Error::Synthesis("δ = 0".into()))?;
    // l_query[i] = [K_i/δ]₁, so [K_i/γ]₁ = (δ/γ) · l_query[i].
    let to_gamma = delta * gamma_inv;
    let mut ck = Vec::with_capacity(committed.len());
    for &i in &committed {
        let l = pk
            .l_query
            .get_mut(i)
            .ok_or_else(|| Error::Synthesis(format!("committed witness {i} out of range")))?;
        ck.push((*l * to_gamma).into_affine());
        *l = G1Affine::zero();
    }
    let pok_ck = G1Projective::normalize_batch(&ck.iter().map(|p| *p * sigma).collect::<Vec<_>>());
    // [σγ]₂, not [σ]₂: the verifier checks π = σ·D as
    // e(D, [σγ]₂) = e(π, [γ]₂), which shares [γ]₂ with the Groth16 check.
    let vk = CpVerifyingKey {
        vk: pk.vk.clone(),
        sigma_gamma_g2: (g2 * (sigma * gamma)).into_affine(),
    };
    Ok(CpProvingKey {
        pk,
        committed: committed.iter().map(|&i| i as u64).collect(),
        ck: Arc::new(ck),
        ck_blind: (g1 * (eta * gamma_inv)).into_affine(),
        pok_ck,
        pok_blind: (g1 * (sigma * eta * gamma_inv)).into_affine(),
        eta_delta: (g1 * (eta * delta_inv)).into_affine(),
        vk,
    })
}
