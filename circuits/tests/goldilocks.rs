//! The Goldilocks profile gives exactly the BN254 profile's scores and
//! payouts on the same integer inputs (its own field arithmetic and limb
//! equations, not the BN254 code), and its commitments bind what they
//! should.

use poa_circuits::goldilocks::{self, limbs};
use poa_circuits::statement::{synthetic_epoch, Shape};
use poa_circuits::vectors::statement_epoch;

#[test]
fn scores_and_payouts_equal_the_bn254_profile() {
    let mut epochs: Vec<_> = [
        "hand",
        "no-positive-score",
        "extremes",
        "random-8x40",
        "random-16x300",
    ]
    .iter()
    .map(|n| statement_epoch(n).unwrap())
    .collect();
    for seed in 0..20 {
        let mut e = synthetic_epoch(Shape::new(8, 33).unwrap(), seed);
        e.pool = (1u128 << 96) - 1 - u128::from(seed);
        epochs.push(e);
    }
    for e in &epochs {
        let bn = e.attribute().unwrap();
        let gl = goldilocks::attribute(e).unwrap();
        assert_eq!(gl.scores, bn.scores);
        assert_eq!(gl.split, bn.split);
        assert_eq!(gl.leaves.len(), e.shape.slots);
    }
}

#[test]
fn commitments_bind_updates_salts_and_datasets() {
    let e = statement_epoch("hand").unwrap();
    let base = goldilocks::attribute(&e).unwrap();
    let mut changed = e.clone();
    changed.participants[0].update[0] += 1;
    assert_ne!(
        goldilocks::attribute(&changed).unwrap().root,
        base.root,
        "update"
    );
    let mut changed = e.clone();
    changed.participants[1].salt += poa_circuits::Fr::from(1u64);
    assert_ne!(
        goldilocks::attribute(&changed).unwrap().root,
        base.root,
        "salt"
    );
    let mut changed = e.clone();
    changed.participants.swap(0, 1);
    assert_ne!(
        goldilocks::attribute(&changed).unwrap().root,
        base.root,
        "order"
    );
    let mut changed = e.clone();
    changed.validation[0] += 1;
    let other = goldilocks::attribute(&changed).unwrap();
    assert_ne!(
        other.validation_commitment, base.validation_commitment,
        "validation"
    );
    // The packing keeps the length: a trailing zero entry changes VecHash.
    let mut longer = e.validation.clone();
    longer.push(0);
    assert_ne!(
        goldilocks::vec_hash(&longer),
        goldilocks::vec_hash(&e.validation)
    );
}

#[test]
fn a_wrong_limb_hint_is_caught() {
    // The limb equation the circuit enforces rejects a payout off by one.
    let pool = limbs::to_limbs(&1_000_003u64.into(), 6).unwrap();
    let s = limbs::to_limbs(&7u64.into(), 4).unwrap();
    let (lhs, _) = limbs::mul(&pool, &s);
    let total = limbs::to_limbs(&10u64.into(), 5).unwrap();
    let honest = limbs::to_limbs(&700_002u64.into(), 6).unwrap(); // ⌊7,000,021 / 10⌋
    let (prod, _) = limbs::mul(&honest, &total);
    let rhs = limbs::add(&prod, &limbs::to_limbs(&1u64.into(), 5).unwrap(), 11);
    let mut lhs11 = lhs.clone();
    lhs11.resize(11, 0);
    assert_eq!(rhs, lhs11);
    let cheat = limbs::to_limbs(&700_003u64.into(), 6).unwrap();
    let (prod, _) = limbs::mul(&cheat, &total);
    assert_ne!(
        limbs::add(&prod, &limbs::to_limbs(&1u64.into(), 5).unwrap(), 11),
        lhs11
    );
}

mod shard {
    use plonky2::field::types::Field;
    use poa_circuits::goldilocks::shard::ShardCircuit;
    use poa_circuits::goldilocks::{self, signed, G};
    use poa_circuits::tamper::Tamper;
    use poa_circuits::vectors::statement_epoch;

    /// Two shards of two slots prove the `hand` epoch (3 active of 4): their
    /// public outputs are the native profile's, and they join into `Q`.
    #[test]
    fn shards_prove_the_native_profile_and_tampering_is_rejected() {
        let epoch = statement_epoch("hand").unwrap();
        let native = goldilocks::attribute(&epoch).unwrap();
        let circuit = ShardCircuit::build(2, epoch.shape.dim);
        let mut roots = Vec::new();
        for (i, first) in [0usize, 2].into_iter().enumerate() {
            let proof = circuit.prove(&epoch, first).unwrap();
            assert!(circuit.verify(&proof), "shard {i}");
            let pi = &proof.public_inputs;
            assert_eq!(pi[0], G::from_canonical_u64(first as u64));
            assert_eq!(&pi[1..5], &native.validation_commitment.elements);
            roots.push(plonky2::hash::hash_types::HashOut::<G> {
                elements: [pi[5], pi[6], pi[7], pi[8]],
            });
            for s in 0..2 {
                let c = first + s;
                let score = signed(pi[9 + 9 * s + 8]);
                assert_eq!(
                    score,
                    native.scores.get(c).copied().unwrap_or(0),
                    "slot {c}"
                );
            }
            // A changed public output or a flipped proof element is rejected.
            let mut bad = proof.clone();
            bad.public_inputs[9 + 8] += G::ONE;
            assert!(!circuit.verify(&bad), "score + 1 accepted");
            let mut bad = proof.clone();
            bad.proof.opening_proof.final_poly.coeffs[0].0[0] += G::ONE;
            assert!(!circuit.verify(&bad), "tampered proof accepted");
        }
        assert_eq!(
            goldilocks::root(&roots),
            native.root,
            "subtrees join into Q"
        );
    }

    /// Every limb class is range-checked by the byte lookups: a limb
    /// witnessed with 256 borrowed from its high byte (the same value, so
    /// every other constraint holds) finds no row in the table.
    #[test]
    fn a_limb_with_a_byte_out_of_range_is_refused() {
        let epoch = statement_epoch("hand").unwrap();
        let circuit = ShardCircuit::build(2, epoch.shape.dim);
        for tamper in [
            Tamper::UpdateLimb { slot: 1, entry: 2 },
            Tamper::ValidationLimb { entry: 0 },
            Tamper::DatasetLimb { slot: 0, limb: 3 },
        ] {
            let Err(err) = circuit.prove_tampered(&epoch, 0, Some(tamper)) else {
                panic!("{tamper:?} proved");
            };
            // plonky2's lookup generator finds no table row for the byte and
            // stays unrun.
            assert!(
                format!("{err:#}").contains("generators weren't run"),
                "{tamper:?}: {err:#}"
            );
        }
        // Its twin: the same borrow-free witness proves.
        assert!(circuit.verify(&circuit.prove_tampered(&epoch, 0, None).unwrap()));
        // A class the shard does not have is refused before proving.
        for tamper in [Tamper::SignBit { slot: 0 }, Tamper::Dataset { slot: 0 }] {
            let Err(err) = circuit.witness(&epoch, 0, Some(tamper)) else {
                panic!("{tamper:?} accepted");
            };
            assert!(
                format!("{err:#}").contains("not a witness class"),
                "{tamper:?}: {err:#}"
            );
        }
    }

    /// Pinned layout: two lookups per int16 limb, four per 32-bit limb
    /// (validation, its salt; per slot the update, salt and dataset), and
    /// the degree of the shard shapes the benches use.
    #[test]
    fn shard_layout_is_pinned() {
        for (slots, dim, degree_bits) in [(2, 5, 6), (16, 1024, 13)] {
            let circuit = ShardCircuit::build(slots, dim);
            assert_eq!(
                circuit.lookups(),
                2 * dim + 4 * 8 + slots * (2 * dim + 4 * 16),
                "{slots}x{dim} lookups"
            );
            assert_eq!(
                circuit.data.common.degree_bits(),
                degree_bits,
                "{slots}x{dim} degree"
            );
        }
    }
}

mod aggregate {
    use plonky2::field::types::Field;
    use plonky2::hash::hash_types::HashOut;
    use poa_circuits::goldilocks::aggregate::Tree;
    use poa_circuits::goldilocks::{self, signed, G};
    use poa_circuits::statement::{synthetic_epoch, Shape};

    /// 8 slots in 4 shards, one level: the two top proofs' roots join into
    /// the native `Q`, their scores are the native scores; a shard of
    /// another epoch (another validation salt) cannot be aggregated.
    #[test]
    fn shards_aggregate_into_q_and_foreign_shards_are_refused() {
        let epoch = synthetic_epoch(Shape::new(8, 7).unwrap(), 3);
        let native = goldilocks::attribute(&epoch).unwrap();
        let tree = Tree::build(8, 7, 4).unwrap();
        assert_eq!(tree.levels.len(), 1);
        let halves = tree.prove(&epoch, 2, |_| {}).unwrap();
        let mut roots = Vec::new();
        for (h, half) in halves.iter().enumerate() {
            assert!(tree.verify(half));
            let pi = &half.public_inputs;
            assert_eq!(pi[0], G::from_canonical_u64(4 * h as u64));
            assert_eq!(&pi[1..5], &native.validation_commitment.elements);
            roots.push(HashOut {
                elements: [pi[5], pi[6], pi[7], pi[8]],
            });
            for c in 0..4 {
                let slot = 4 * h + c;
                assert_eq!(
                    signed(pi[9 + 9 * c + 8]),
                    native.scores[slot],
                    "slot {slot}"
                );
            }
        }
        assert_eq!(goldilocks::root(&roots), native.root, "halves join into Q");
        let mut bad = halves[0].clone();
        bad.public_inputs[5] += G::ONE;
        assert!(!tree.verify(&bad), "a changed subtree root accepted");

        // The aggregator refuses to join a shard of another epoch.
        let mut other = epoch.clone();
        other.validation_salt += poa_circuits::Fr::from(1u64);
        let mine = tree.shard.prove(&epoch, 0).unwrap();
        let foreign = tree.shard.prove(&other, 2).unwrap();
        assert!(
            tree.shard.verify(&foreign),
            "the foreign shard is valid on its own"
        );
        assert!(
            tree.levels[0].prove(&mine, &foreign).is_err(),
            "different V joined"
        );
        // … and shards out of order.
        let third = tree.shard.prove(&epoch, 4).unwrap();
        assert!(
            tree.levels[0].prove(&mine, &third).is_err(),
            "non-consecutive shards joined"
        );
    }
}

mod split {
    use plonky2::field::types::{Field, PrimeField64};
    use poa_circuits::goldilocks::aggregate::Tree;
    use poa_circuits::goldilocks::split::SplitCircuit;
    use poa_circuits::goldilocks::wrap::CONTEXT_LIMBS;
    use poa_circuits::goldilocks::{self, G};
    use poa_circuits::statement::{synthetic_epoch, Shape};
    use poa_circuits::tamper::Tamper;
    use poa_circuits::vectors::statement_epoch;

    fn payouts(pi: &[G], slots: usize) -> Vec<u128> {
        (0..slots)
            .map(|c| {
                let base = 14 + 14 * c + 8;
                (0..6).rev().fold(0u128, |acc, k| {
                    (acc << 16) + u128::from(pi[base + k].to_canonical_u64())
                })
            })
            .collect()
    }

    /// The final node publishes `Q`, `V`, the pool and exactly the native
    /// payouts; a payout +1 in its public inputs is rejected, and a payout,
    /// remainder or sign hint changed in the witness leaves no proof.
    #[test]
    fn the_final_node_publishes_the_native_payouts() {
        for (epoch, shards) in [
            (synthetic_epoch(Shape::new(4, 6).unwrap(), 5), 4),
            (statement_epoch("no-positive-score").unwrap(), 2),
        ] {
            let mut epoch = epoch;
            epoch.pool = (1u128 << 96) - 12_345;
            let n = epoch.shape.slots;
            let native = goldilocks::attribute(&epoch).unwrap();
            let tree = Tree::build(n, epoch.shape.dim, shards).unwrap();
            let halves = tree.prove(&epoch, 2, |_| {}).unwrap();
            let split = SplitCircuit::build(&tree);
            let context = [G::from_canonical_u64(7); CONTEXT_LIMBS];
            let proof = split.prove(&halves, epoch.pool, &context).unwrap();
            assert!(split.verify(&proof));
            let pi = &proof.public_inputs;
            // The context closes the public inputs and is bound: another
            // one (a replay in another chain, contract, model or epoch)
            // does not verify.
            assert_eq!(&pi[pi.len() - CONTEXT_LIMBS..], &context);
            let mut replayed = proof.clone();
            let last = replayed.public_inputs.len() - 1;
            replayed.public_inputs[last] += G::ONE;
            assert!(!split.verify(&replayed), "another context accepted");
            assert_eq!(&pi[0..4], &native.root.elements);
            assert_eq!(&pi[4..8], &native.validation_commitment.elements);
            let mut want = native.split.payouts.clone();
            want.resize(n, 0);
            assert_eq!(payouts(pi, n), want);
            let mut bad = proof.clone();
            bad.public_inputs[14 + 8] += G::ONE;
            assert!(!split.verify(&bad), "payout + 1 accepted");

            // Hints a cheating prover might try, every limb in range: the
            // limb equations leave no witness (conflicting copies).
            if let Some(slot) = native.split.payouts.iter().position(|&a| a > 0) {
                for tamper in [
                    Tamper::Payout { slot },
                    Tamper::Remainder { slot },
                    Tamper::SignBit { slot },
                ] {
                    let Err(err) = split.prove_tampered(&halves, epoch.pool, Some(tamper)) else {
                        panic!("{tamper:?} proved");
                    };
                    assert!(
                        format!("{err:#}").contains("set twice with different values"),
                        "{tamper:?}: {err:#}"
                    );
                }
            }
            // A class the final node does not have is refused before proving.
            for tamper in [Tamper::ZeroFlag, Tamper::ActiveFlag { slot: 0 }] {
                let Err(err) = split.prove_tampered(&halves, epoch.pool, Some(tamper)) else {
                    panic!("{tamper:?} proved");
                };
                assert!(
                    format!("{err:#}").contains("not a witness class"),
                    "{tamper:?}: {err:#}"
                );
            }
        }
    }

    /// SPEC §8: a value rebuilt from limbs is bounded below `p`. A slot whose
    /// score is ≤ 0 witnesses `s⁺ + p` (equal to `g·s = 0` in the field),
    /// and `S`, the products, payouts and remainders follow from it as
    /// integers, so without the bound that slot takes almost the whole
    /// pool with a valid proof. `s⁺`'s 3-bit top limb finds no byte for
    /// `0xffff`; the twin, the honest witness of the same slot, proves.
    #[test]
    fn a_positive_score_wrapped_by_p_leaves_no_proof() {
        for epoch in [
            statement_epoch("no-positive-score").unwrap(),
            statement_epoch("hand").unwrap(),
        ] {
            let mut epoch = epoch;
            epoch.pool = 10u128.pow(24);
            let n = epoch.shape.slots;
            let native = goldilocks::attribute(&epoch).unwrap();
            // A slot with s ≤ 0: a negative score, or padding.
            let slot = (0..n)
                .find(|&c| native.scores.get(c).copied().unwrap_or(0) <= 0)
                .expect("a slot with a score ≤ 0");
            let tree = Tree::build(n, epoch.shape.dim, 2).unwrap();
            let halves = tree.prove(&epoch, 2, |_| {}).unwrap();
            let split = SplitCircuit::build(&tree);
            let tamper = Tamper::PositiveWrap { slot };
            let Err(err) = split.prove_tampered(&halves, epoch.pool, Some(tamper)) else {
                panic!("{tamper:?} proved: s⁺ + p passed as s⁺");
            };
            assert!(
                format!("{err:#}").contains("generators weren't run"),
                "{tamper:?}: {err:#}"
            );
            let proof = split.prove_tampered(&halves, epoch.pool, None).unwrap();
            assert!(split.verify(&proof));
        }
    }

    /// The published (final) proof is zero-knowledge and has no lookup
    /// argument (plonky2 does not blind lookup polynomials): it wraps the
    /// split node's proof, which has byte lookups over scores and
    /// remainders and is never published.
    #[test]
    fn the_published_proof_is_zero_knowledge_without_lookups() {
        let epoch = statement_epoch("hand").unwrap();
        let tree = Tree::build(epoch.shape.slots, epoch.shape.dim, 2).unwrap();
        let split = SplitCircuit::build(&tree);
        let published = &split.data.common;
        assert!(published.config.zero_knowledge, "not zero-knowledge");
        assert!(
            published.luts.is_empty(),
            "the published circuit has lookups"
        );
        assert!(
            !split.inner.common.luts.is_empty(),
            "the split node has no lookups"
        );
        assert_eq!(
            published.num_public_inputs,
            split.inner.common.num_public_inputs + CONTEXT_LIMBS
        );
        // Blinding makes two proofs of one witness differ; both verify.
        let halves = tree.prove(&epoch, 2, |_| {}).unwrap();
        let inner = split.prove_inner(&halves, epoch.pool).unwrap();
        let context = [G::ONE; CONTEXT_LIMBS];
        let (a, b) = (
            split.wrap(&inner, &context).unwrap(),
            split.wrap(&inner, &context).unwrap(),
        );
        assert!(split.verify(&a) && split.verify(&b));
        assert_eq!(
            a.public_inputs[..inner.public_inputs.len()],
            inner.public_inputs
        );
        assert_ne!(
            a.proof.wires_cap, b.proof.wires_cap,
            "two proofs of one witness commit to the same wires"
        );
        // The inner proof is not a published proof.
        assert!(!split.verify(&inner), "the split node's own proof accepted");
    }
}
