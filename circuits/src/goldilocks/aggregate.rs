//! Recursive aggregation of shard proofs (plonky2): a node verifies two
//! proofs of the level below, checks that they cover consecutive slots and
//! used the same `V`, joins their subtree roots with `Node`, and passes the
//! per-slot outputs up. The final node ([`super::split`]) joins the top
//! level's two proofs the same way, so its root is `Q`.
//!
//! Public inputs of a node: as a shard's (first slot, `V`, subtree root,
//! then per slot `limbs(D_c)` and `s_c`), for twice the slots. The final
//! node ([`super::split`]) replaces the scores by the payouts `a_c` before
//! anything is published.

use anyhow::{ensure, Result};
use plonky2::field::types::Field;
use plonky2::hash::poseidon::PoseidonHash;
use plonky2::iop::target::Target;
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, CircuitData};
use plonky2::plonk::proof::ProofWithPublicInputsTarget;

use super::shard::{ShardCircuit, ShardProof};
use super::{Config, EXT, G};
use crate::statement::Epoch;

/// Verifies two proofs of `inner` (each covering `inner_slots`), checks
/// that they cover consecutive slots and carry the same `V`, and returns
/// their targets and the joined public inputs: first slot, `V`, the joined
/// subtree root, then both children's per-slot outputs.
pub(crate) fn join(
    b: &mut CircuitBuilder<G, EXT>,
    inner: &CircuitData<G, Config, EXT>,
    inner_slots: usize,
) -> ([ProofWithPublicInputsTarget<EXT>; 2], Vec<Target>) {
    let vd = b.constant_verifier_data(&inner.verifier_only);
    let left = b.add_virtual_proof_with_pis(&inner.common);
    let right = b.add_virtual_proof_with_pis(&inner.common);
    b.verify_proof::<Config>(&left, &vd, &inner.common);
    b.verify_proof::<Config>(&right, &vd, &inner.common);
    let (l, r) = (&left.public_inputs, &right.public_inputs);
    // Consecutive slots.
    let step = b.constant(G::from_canonical_u64(inner_slots as u64));
    let expected = b.add(l[0], step);
    b.connect(r[0], expected);
    // One validation commitment for the whole epoch.
    for i in 1..5 {
        b.connect(l[i], r[i]);
    }
    let mut children = l[5..9].to_vec();
    children.extend_from_slice(&r[5..9]);
    let root = b.hash_n_to_hash_no_pad::<PoseidonHash>(children);
    let mut joined = l[..5].to_vec();
    joined.extend(root.elements);
    joined.extend_from_slice(&l[9..]);
    joined.extend_from_slice(&r[9..]);
    ([left, right], joined)
}

/// One aggregation level's circuit.
pub struct AggregateCircuit {
    /// Prover and verifier data.
    pub data: CircuitData<G, Config, EXT>,
    left: ProofWithPublicInputsTarget<EXT>,
    right: ProofWithPublicInputsTarget<EXT>,
    /// Slots covered by one proof of this level.
    pub slots: usize,
}

impl AggregateCircuit {
    /// The node over two proofs of `inner`, each covering `inner_slots`.
    pub fn build(inner: &CircuitData<G, Config, EXT>, inner_slots: usize) -> Self {
        let mut b = CircuitBuilder::<G, EXT>::new(CircuitConfig::standard_recursion_config());
        let ([left, right], joined) = join(&mut b, inner, inner_slots);
        b.register_public_inputs(&joined);
        AggregateCircuit {
            data: b.build::<Config>(),
            left,
            right,
            slots: 2 * inner_slots,
        }
    }

    /// Joins two proofs of the level below.
    pub fn prove(&self, left: &ShardProof, right: &ShardProof) -> Result<ShardProof> {
        let mut w = PartialWitness::new();
        w.set_proof_with_pis_target(&self.left, left)?;
        w.set_proof_with_pis_target(&self.right, right)?;
        self.data.prove(w)
    }

    /// Whether a proof of this level verifies.
    pub fn verify(&self, proof: &ShardProof) -> bool {
        self.data.verify(proof.clone()).is_ok()
    }
}

/// The circuits of an epoch shape split into `shards` shards, up to the
/// level whose two proofs the final node ([`super::split`]) joins.
pub struct Tree {
    /// The shard circuit.
    pub shard: ShardCircuit,
    /// Aggregation levels, bottom up; two proofs of the last one (or two
    /// shards, without levels) cover every slot.
    pub levels: Vec<AggregateCircuit>,
}

impl Tree {
    /// Builds the shard circuit and `log2(shards) − 1` aggregation levels
    /// for `slots` slots of dimension `dim`.
    pub fn build(slots: usize, dim: usize, shards: usize) -> Result<Self> {
        // The shape bounds of SPEC §1 (`Shape::new`) carry the circuits'
        // no-wrap arguments: |s| ≤ D·2^30 < 2^51, column sums of N limbs.
        let shape = crate::statement::Shape::new(slots as u64, dim as u64)?;
        ensure!(
            shards >= 2 && shards.is_power_of_two() && shards <= shape.slots,
            "--shards must be a power of two in [2, N], not {shards}"
        );
        let shard = ShardCircuit::build(slots / shards, dim);
        let mut levels: Vec<AggregateCircuit> = Vec::new();
        let mut covered = slots / shards;
        while 2 * covered < slots {
            let inner = levels.last().map_or(&shard.data, |l| &l.data);
            let level = AggregateCircuit::build(inner, covered);
            covered = level.slots;
            levels.push(level);
        }
        Ok(Tree { shard, levels })
    }

    /// The circuit of the top level's proofs.
    pub fn top(&self) -> &CircuitData<G, Config, EXT> {
        self.levels.last().map_or(&self.shard.data, |l| &l.data)
    }

    /// Slots covered by one proof of the top level.
    pub fn top_slots(&self) -> usize {
        self.levels.last().map_or(self.shard.slots, |l| l.slots)
    }

    /// Proves `epoch` up to the top level: its shards in batches of at most
    /// `in_flight` at a time (bounding memory), then each level's pairs in
    /// parallel. Returns the two top proofs, in slot order. `progress` is
    /// told each finished proof.
    pub fn prove(
        &self,
        epoch: &Epoch,
        in_flight: usize,
        progress: impl Fn(&str) + Sync,
    ) -> Result<[ShardProof; 2]> {
        let m = self.shard.slots;
        let firsts: Vec<usize> = (0..epoch.shape.slots).step_by(m).collect();
        let mut proofs = Vec::with_capacity(firsts.len());
        for batch in firsts.chunks(in_flight.max(1)) {
            for p in crate::parallel::map(batch, |&first| {
                let proof = self.shard.prove(epoch, first);
                progress(&format!("shard at slot {first}"));
                proof
            }) {
                proofs.push(p?);
            }
        }
        for (depth, level) in self.levels.iter().enumerate() {
            let pairs: Vec<(ShardProof, ShardProof)> = proofs
                .chunks(2)
                .filter_map(|p| Some((p.first()?.clone(), p.get(1)?.clone())))
                .collect();
            proofs = Vec::with_capacity(pairs.len());
            for p in crate::parallel::map(&pairs, |(l, r)| {
                let proof = level.prove(l, r);
                progress(&format!("aggregation level {}", depth + 1));
                proof
            }) {
                proofs.push(p?);
            }
        }
        let n = proofs.len();
        <[ShardProof; 2]>::try_from(proofs)
            .map_err(|_| anyhow::anyhow!("{n} top proofs, not 2: the epoch's shape differs"))
    }

    /// Whether a proof of the top level verifies.
    pub fn verify(&self, proof: &ShardProof) -> bool {
        self.top().verify(proof.clone()).is_ok()
    }
}
