//! The published proof of the Goldilocks profile: a zero-knowledge circuit
//! that only verifies one proof of a fixed inner circuit (the split node)
//! and publishes that proof's public inputs, then the context: the 8
//! 32-bit limbs of the claim's `γ` (SPEC §6), which holds the context words
//! (chain, contract, model, epoch). The circuit constrains nothing about
//! them; plonky2 hashes every public input into the proof's transcript, so
//! a proof is one for this context and no other, as a BN254 proof is by
//! its public `γ`: it cannot be replayed in another chain, contract, model
//! or epoch.
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

use plonky2::iop::target::Target;
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

/// Limbs of the context the wrapper publishes last: `γ` as 8 32-bit
/// limbs, least significant first ([`super::fr_limbs`]).
pub const CONTEXT_LIMBS: usize = 8;

/// The zero-knowledge wrapper of one inner circuit.
pub struct Wrap {
    /// Prover and verifier data (the published circuit).
    pub data: CircuitData<G, Config, EXT>,
    /// The inner proof's targets.
    pub(crate) inner: ProofWithPublicInputsTarget<EXT>,
    /// The context's targets.
    pub(crate) context: [Target; CONTEXT_LIMBS],
}

impl Wrap {
    /// The wrapper of proofs of `inner`: its public inputs, in order, then
    /// the [`CONTEXT_LIMBS`] context limbs.
    pub fn build(inner: &CircuitData<G, Config, EXT>) -> Self {
        let mut b = CircuitBuilder::<G, EXT>::new(config());
        let vd = b.constant_verifier_data(&inner.verifier_only);
        let proof = b.add_virtual_proof_with_pis(&inner.common);
        b.verify_proof::<Config>(&proof, &vd, &inner.common);
        b.register_public_inputs(&proof.public_inputs);
        let context = b.add_virtual_target_arr::<CONTEXT_LIMBS>();
        b.register_public_inputs(&context);
        Wrap {
            data: b.build::<Config>(),
            inner: proof,
            context,
        }
    }
}
