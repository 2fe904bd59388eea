//! The shard circuit of the Goldilocks profile (plonky2): for a slice of
//! `m` consecutive slots it proves their leaves' Merkle subtree root, the
//! validation commitment `V`, and each slot's score, from the private
//! updates, salts and validation direction. The aggregation tree
//! ([`super::aggregate`]) verifies shard proofs recursively, joins the
//! subtrees into `Q` and checks that every shard used the same `V`; the
//! final node ([`super::split`]) performs the split.
//!
//! Public inputs, in order: the first slot's index, `V` (4), the subtree
//! root (4), then per slot its dataset commitment as 8 × 32-bit limbs and
//! its score `s_c` (a signed integer embedded in the field; 0 for padding).
//!
//! Per entry: two byte lookups (1/20 of a lookup row) and 2⅔ arithmetic
//! ops (1/20 of a row each: the limb from its bytes, the dot product, the
//! packing); per 24 entries one Poseidon permutation: ≈ 0.23 rows.

use anyhow::{ensure, Result};
use plonky2::field::types::{Field, PrimeField64};
use plonky2::hash::hash_types::HashOutTarget;
use plonky2::hash::poseidon::PoseidonHash;
use plonky2::iop::target::{BoolTarget, Target};
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, CircuitData};
use plonky2::plonk::proof::ProofWithPublicInputs;

use super::range::{set_all, values, Bytes, Checked};
use super::{fr_limbs, Config, EXT, G, LIMBS_PER_ELEMENT};
use crate::commit::{limb, LIMB_OFFSET};
use crate::statement::Epoch;
use crate::tamper::Tamper;
use crate::widths::LIMB_BITS;
use crate::Fr;

/// A shard proof.
pub type ShardProof = ProofWithPublicInputs<G, Config, EXT>;

struct Targets {
    updates: Vec<Vec<Checked>>,
    salts: Vec<Vec<Checked>>,
    datasets: Vec<Vec<Checked>>,
    validation: Vec<Checked>,
    validation_salt: Vec<Checked>,
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
        let mut acc = chunk[0];
        for (i, &u) in chunk.iter().enumerate().skip(1) {
            acc = b.mul_const_add(G::from_canonical_u64(1 << (LIMB_BITS * i)), u, acc);
        }
        input.push(acc);
    }
    b.hash_n_to_hash_no_pad::<PoseidonHash>(input)
}

impl ShardCircuit {
    /// Builds the circuit.
    pub fn build(slots: usize, dim: usize) -> Self {
        let mut b = CircuitBuilder::<G, EXT>::new(CircuitConfig::standard_recursion_config());
        let bytes = Bytes::new(&mut b);
        let first = b.add_virtual_target();
        let validation = bytes.many(&mut b, dim, LIMB_BITS);
        let validation_salt = bytes.many(&mut b, 8, 32);
        let v_hash = vec_hash(&mut b, &values(&validation));
        let mut input = v_hash.elements.to_vec();
        input.extend(values(&validation_salt));
        let v = b.hash_n_to_hash_no_pad::<PoseidonHash>(input);
        // s = Σ (u − o)(w − o) = Σ u·(w − o) − o·Σ (w − o): one op per entry.
        let off = G::from_canonical_u64(LIMB_OFFSET as u64);
        let centred_v: Vec<Target> = validation
            .iter()
            .map(|w| b.add_const(w.value, -off))
            .collect();
        let centred_sum = b.add_many(&centred_v);

        let mut updates = Vec::new();
        let mut salts = Vec::new();
        let mut datasets = Vec::new();
        let mut leaves = Vec::new();
        let mut outputs = Vec::new();
        for _ in 0..slots {
            let u = bytes.many(&mut b, dim, LIMB_BITS);
            let salt = bytes.many(&mut b, 8, 32);
            let dataset = bytes.many(&mut b, 8, 32);
            let h = vec_hash(&mut b, &values(&u));
            let mut input = h.elements.to_vec();
            input.extend(values(&salt));
            let commitment = b.hash_n_to_hash_no_pad::<PoseidonHash>(input);
            let mut input = values(&dataset);
            input.extend(commitment.elements);
            let leaf = b.hash_n_to_hash_no_pad::<PoseidonHash>(input);
            // Active ⇔ D_c ≠ 0 (eight limbs below 2^32 sum to 0 only if all are 0).
            let sum = b.add_many(values(&dataset));
            let zero = b.zero();
            let padding = b.is_equal(sum, zero);
            let active = BoolTarget::new_unsafe(b.not(padding).target);
            let leaf_elements = leaf.elements.map(|x| b.mul(active.target, x));
            leaves.push(HashOutTarget::from(leaf_elements));
            let mut dot = b.zero();
            for (ui, &wi) in u.iter().zip(&centred_v) {
                dot = b.mul_add(ui.value, wi, dot);
            }
            let dot = b.mul_const_add(-off, centred_sum, dot);
            let score = b.mul(active.target, dot);
            outputs.push((values(&dataset), score));
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
        self.prove_tampered(epoch, first, None)
    }

    /// [`Self::prove`] with one limb witnessed as `tamper` says (256
    /// borrowed from its second byte into its first, so that only the byte
    /// lookups stand between it and a proof; [`crate::tamper`]); the honest
    /// prover must refuse (a byte outside the table has no lookup). The
    /// classes of this circuit are [`Tamper::UpdateLimb`] (`slot` within the
    /// shard), [`Tamper::ValidationLimb`] and [`Tamper::DatasetLimb`]; any
    /// other is an error before proving.
    pub fn prove_tampered(
        &self,
        epoch: &Epoch,
        first: usize,
        tamper: Option<Tamper>,
    ) -> Result<ShardProof> {
        self.data.prove(self.witness(epoch, first, tamper)?)
    }

    /// The prover's inputs for slots `first …` of `epoch` (the bytes of
    /// every limb; plonky2's generators derive the rest).
    pub fn witness(
        &self,
        epoch: &Epoch,
        first: usize,
        tamper: Option<Tamper>,
    ) -> Result<PartialWitness<G>> {
        anyhow::ensure!(
            epoch.shape.dim == self.dim,
            "dimension {} ≠ {}",
            epoch.shape.dim,
            self.dim
        );
        if let Some(tamper) = tamper {
            ensure!(
                matches!(
                    tamper,
                    Tamper::UpdateLimb { .. }
                        | Tamper::ValidationLimb { .. }
                        | Tamper::DatasetLimb { .. }
                ),
                "{tamper:?} is not a witness class of the shard circuit"
            );
        }
        let t = &self.targets;
        let mut w = PartialWitness::new();
        let set = |w: &mut PartialWitness<G>, c: &Checked, v: u64, hit: bool| {
            if hit {
                c.set_borrowing(w, v)
            } else {
                c.set(w, v)
            }
        };
        let fr = |x: &Fr| fr_limbs(x).map(|g| g.to_canonical_u64());
        w.set_target(t.first, G::from_canonical_u64(first as u64))?;
        for (j, (c, &x)) in t.validation.iter().zip(&epoch.validation).enumerate() {
            let hit = tamper == Some(Tamper::ValidationLimb { entry: j });
            set(&mut w, c, u64::from(limb(x)), hit)?;
        }
        set_all(&mut w, &t.validation_salt, &fr(&epoch.validation_salt))?;
        for s in 0..self.slots {
            let p = epoch.participants.get(first + s);
            for (j, c) in t.updates[s].iter().enumerate() {
                let x = p.and_then(|p| p.update.get(j)).copied().unwrap_or(0);
                let hit = tamper == Some(Tamper::UpdateLimb { slot: s, entry: j });
                set(&mut w, c, u64::from(limb(x)), hit)?;
            }
            let zero = Fr::from(0u64);
            set_all(&mut w, &t.salts[s], &fr(p.map_or(&zero, |p| &p.salt)))?;
            let dataset = fr(p.map_or(&zero, |p| &p.dataset));
            for (k, (c, &v)) in t.datasets[s].iter().zip(&dataset).enumerate() {
                let hit = tamper == Some(Tamper::DatasetLimb { slot: s, limb: k });
                set(&mut w, c, v, hit)?;
            }
        }
        Ok(w)
    }

    /// The number of byte lookups (pinned by a test: every limb of the
    /// witness is range-checked).
    pub fn lookups(&self) -> usize {
        self.data
            .prover_only
            .lut_to_lookups
            .iter()
            .map(Vec::len)
            .sum()
    }

    /// Whether a shard proof verifies.
    pub fn verify(&self, proof: &ShardProof) -> bool {
        self.data.verify(proof.clone()).is_ok()
    }
}
