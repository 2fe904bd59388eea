//! The shard circuit of the Goldilocks profile (plonky2): for a slice of
//! `m` consecutive slots it proves their leaves' Merkle subtree root, the
//! validation commitment `V`, and each slot's score, from the private
//! updates, salts and validation direction. An aggregation layer (not built
//! yet) verifies shard proofs recursively, joins the subtrees into `Q`,
//! checks that every shard used the same `V`, and performs the split with
//! the limb equations of [`super::limbs`].
//!
//! Public inputs, in order: the first slot's index, `V` (4), the subtree
//! root (4), then per slot its dataset commitment as 8 × 32-bit limbs and
//! its score `s_c` (a signed integer embedded in the field; 0 for padding).
//!
//! Per entry: one 16-bit range check (a `BaseSumGate` row) and a share of
//! an arithmetic row for the packing and the dot product; per 24 entries
//! one Poseidon permutation.

use anyhow::Result;
use plonky2::field::types::Field;
use plonky2::hash::hash_types::HashOutTarget;
use plonky2::hash::poseidon::PoseidonHash;
use plonky2::iop::target::{BoolTarget, Target};
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, CircuitData};
use plonky2::plonk::config::PoseidonGoldilocksConfig;
use plonky2::plonk::proof::ProofWithPublicInputs;

use super::{fr_limbs, G, LIMBS_PER_ELEMENT};
use crate::commit::{limb, LIMB_OFFSET};
use crate::statement::Epoch;

/// plonky2's configuration: Poseidon over Goldilocks, quadratic extension.
pub type Config = PoseidonGoldilocksConfig;
/// Extension degree.
pub const EXT: usize = 2;
/// A shard proof.
pub type ShardProof = ProofWithPublicInputs<G, Config, EXT>;

struct Targets {
    updates: Vec<Vec<Target>>,
    salts: Vec<[Target; 8]>,
    datasets: Vec<[Target; 8]>,
    validation: Vec<Target>,
    validation_salt: [Target; 8],
    first: Target,
}

/// The circuit of a shard of `slots` slots and dimension `dim`.
pub struct ShardCircuit {
    /// Prover and verifier data.
    pub data: CircuitData<G, Config, EXT>,
    targets: Targets,
    /// Slots per shard (a power of two).
    pub slots: usize,
    /// `D`.
    pub dim: usize,
}

/// `VecHash_G` of range-checked limbs: `Poseidon([D, P_0, …])`.
fn vec_hash(b: &mut CircuitBuilder<G, EXT>, limbs: &[Target]) -> HashOutTarget {
    let mut input = vec![b.constant(G::from_canonical_u64(limbs.len() as u64))];
    for chunk in limbs.chunks(LIMBS_PER_ELEMENT) {
        let mut acc = b.zero();
        for (i, &u) in chunk.iter().enumerate() {
            let k = b.constant(G::from_canonical_u64(1 << (16 * i)));
            acc = b.mul_add(u, k, acc);
        }
        input.push(acc);
    }
    b.hash_n_to_hash_no_pad::<PoseidonHash>(input)
}

/// `n` private targets, each range-checked to `bits`.
pub(crate) fn checked(b: &mut CircuitBuilder<G, EXT>, n: usize, bits: usize) -> Vec<Target> {
    (0..n)
        .map(|_| {
            let t = b.add_virtual_target();
            b.range_check(t, bits);
            t
        })
        .collect()
}

fn limbs8(b: &mut CircuitBuilder<G, EXT>) -> [Target; 8] {
    let t = checked(b, 8, 32);
    std::array::from_fn(|i| t[i])
}

impl ShardCircuit {
    /// Builds the circuit.
    pub fn build(slots: usize, dim: usize) -> Self {
        let mut b = CircuitBuilder::<G, EXT>::new(CircuitConfig::standard_recursion_config());
        let first = b.add_virtual_target();
        let off = b.constant(G::from_canonical_u64(LIMB_OFFSET as u64));
        let validation = checked(&mut b, dim, 16);
        let validation_salt = limbs8(&mut b);
        let v_hash = vec_hash(&mut b, &validation);
        let mut input = v_hash.elements.to_vec();
        input.extend(validation_salt);
        let v = b.hash_n_to_hash_no_pad::<PoseidonHash>(input);
        let centred_v: Vec<Target> = validation.iter().map(|&w| b.sub(w, off)).collect();

        let mut updates = Vec::new();
        let mut salts = Vec::new();
        let mut datasets = Vec::new();
        let mut leaves = Vec::new();
        let mut outputs = Vec::new();
        for _ in 0..slots {
            let u = checked(&mut b, dim, 16);
            let salt = limbs8(&mut b);
            let dataset = limbs8(&mut b);
            let h = vec_hash(&mut b, &u);
            let mut input = h.elements.to_vec();
            input.extend(salt);
            let commitment = b.hash_n_to_hash_no_pad::<PoseidonHash>(input);
            let mut input = dataset.to_vec();
            input.extend(commitment.elements);
            let leaf = b.hash_n_to_hash_no_pad::<PoseidonHash>(input);
            // Active ⇔ D_c ≠ 0 (eight limbs below 2^32 sum to 0 only if all are 0).
            let sum = b.add_many(dataset);
            let zero = b.zero();
            let padding = b.is_equal(sum, zero);
            let active = BoolTarget::new_unsafe(b.not(padding).target);
            let leaf_elements = leaf.elements.map(|x| b.mul(active.target, x));
            leaves.push(HashOutTarget::from(leaf_elements));
            let mut dot = b.zero();
            for (&ui, &wi) in u.iter().zip(&centred_v) {
                let c = b.sub(ui, off);
                dot = b.mul_add(c, wi, dot);
            }
            let score = b.mul(active.target, dot);
            outputs.push((dataset, score));
            updates.push(u);
            salts.push(salt);
            datasets.push(dataset);
        }
        let mut level = leaves;
        while level.len() > 1 {
            level = level
                .chunks(2)
                .map(|p| {
                    let mut input = p[0].elements.to_vec();
                    input.extend(p[1].elements);
                    b.hash_n_to_hash_no_pad::<PoseidonHash>(input)
                })
                .collect();
        }
        b.register_public_input(first);
        b.register_public_inputs(&v.elements);
        if let Some(root) = level.first() {
            b.register_public_inputs(&root.elements);
        }
        for (dataset, score) in outputs {
            b.register_public_inputs(&dataset);
            b.register_public_input(score);
        }
        ShardCircuit {
            data: b.build::<Config>(),
            targets: Targets {
                updates,
                salts,
                datasets,
                validation,
                validation_salt,
                first,
            },
            slots,
            dim,
        }
    }

    /// Proves slots `first … first + slots − 1` of `epoch` (slots past the
    /// active ones are padding).
    pub fn prove(&self, epoch: &Epoch, first: usize) -> Result<ShardProof> {
        anyhow::ensure!(
            epoch.shape.dim == self.dim,
            "dimension {} ≠ {}",
            epoch.shape.dim,
            self.dim
        );
        let t = &self.targets;
        let mut w = PartialWitness::new();
        let g = |x: u64| G::from_canonical_u64(x);
        w.set_target(t.first, g(first as u64))?;
        for (target, &x) in t.validation.iter().zip(&epoch.validation) {
            w.set_target(*target, g(u64::from(limb(x))))?;
        }
        w.set_target_arr(&t.validation_salt, &fr_limbs(&epoch.validation_salt))?;
        for s in 0..self.slots {
            match epoch.participants.get(first + s) {
                Some(p) => {
                    for (target, &x) in t.updates[s].iter().zip(&p.update) {
                        w.set_target(*target, g(u64::from(limb(x))))?;
                    }
                    w.set_target_arr(&t.salts[s], &fr_limbs(&p.salt))?;
                    w.set_target_arr(&t.datasets[s], &fr_limbs(&p.dataset))?;
                }
                None => {
                    for target in &t.updates[s] {
                        w.set_target(*target, g(u64::from(limb(0))))?;
                    }
                    w.set_target_arr(&t.salts[s], &[G::ZERO; 8])?;
                    w.set_target_arr(&t.datasets[s], &[G::ZERO; 8])?;
                }
            }
        }
        self.data.prove(w)
    }

    /// Whether a shard proof verifies.
    pub fn verify(&self, proof: &ShardProof) -> bool {
        self.data.verify(proof.clone()).is_ok()
    }
}
