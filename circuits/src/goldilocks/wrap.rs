//! The published proof of the Goldilocks profile: a zero-knowledge circuit
//! that only verifies one proof of a fixed inner circuit (the split node)
//! and publishes that proof's public inputs.
//!
//! Why a wrapper and not the split node with `zero_knowledge` set: plonky2
//! 1.1 blinds wires and the permutation argument, but not the lookup
//! argument's polynomials (they are zero on the blinding rows, and their
//! openings at ζ and in every FRI query are functions of the looked-up
//! bytes alone). The split node range-checks scores, `S` and remainders
//! with byte lookups, so its proof would leak them. This circuit has no
//! lookup table (a test pins `luts` empty): its witness, the inner proof,
//! is hidden by the wire blinding. The inner circuit's verifier data is a
//! constant, so no other circuit's proof can be wrapped.
//!
//! Caveat of the library (documented in the README): plonky2 1.1 does not
//! randomize the quotient polynomial's chunks, a known gap of its
//! zero-knowledge treatment; no attack on it is known for this use.

use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, CircuitData};
use plonky2::plonk::proof::ProofWithPublicInputsTarget;

use super::{Config, EXT, G};

/// plonky2's recursion configuration with zero knowledge.
pub fn config() -> CircuitConfig {
    CircuitConfig {
        zero_knowledge: true,
        ..CircuitConfig::standard_recursion_config()
    }
}

/// The zero-knowledge wrapper of one inner circuit.
pub struct Wrap {
    /// Prover and verifier data (the published circuit).
    pub data: CircuitData<G, Config, EXT>,
    /// The inner proof's targets.
    pub(crate) inner: ProofWithPublicInputsTarget<EXT>,
}

impl Wrap {
    /// The wrapper of proofs of `inner`: same public inputs, in order.
    pub fn build(inner: &CircuitData<G, Config, EXT>) -> Self {
        let mut b = CircuitBuilder::<G, EXT>::new(config());
        let vd = b.constant_verifier_data(&inner.verifier_only);
        let proof = b.add_virtual_proof_with_pis(&inner.common);
        b.verify_proof::<Config>(&proof, &vd, &inner.common);
        b.register_public_inputs(&proof.public_inputs);
        Wrap {
            data: b.build::<Config>(),
            inner: proof,
        }
    }
}
