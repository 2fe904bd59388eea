//! The statement with logUp range checks (the commit-and-prove Groth16
//! circuit, `docs/groth16-cp.md`): honest witnesses satisfy it and give the
//! native public inputs, every corrupted witness class does not (a limb
//! out of range, also with a multiplicity forced to balance it), counts
//! are pinned.

use std::sync::Arc;

use ark_ff::Field;
use ark_relations::r1cs::{ConstraintSystem, ConstraintSystemRef};
use poa_circuits::r1cs::circuit::{lookup_constraint_count, AttributionCircuit};
use poa_circuits::r1cs::Builder;
use poa_circuits::statement::{Epoch, Shape};
use poa_circuits::tamper::Tamper;
use poa_circuits::widths::LOOKUP_BITS;
use poa_circuits::Fr;

fn vector_epoch(name: &str) -> Epoch {
    poa_circuits::vectors::statement_epoch(name).unwrap()
}

/// A challenge that depends on every committed value (as the commitment's
/// hash does), so that a test cannot pass on a fixed α.
fn alpha(values: &[Fr]) -> Fr {
    values.iter().fold(Fr::from(0x5eed_u64), |acc, v| {
        acc * Fr::from(1_000_003u64) + v
    })
}

fn synthesize(
    circuit: AttributionCircuit,
    adjust: Option<(usize, Fr)>,
) -> (ConstraintSystemRef<Fr>, Vec<usize>) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let b = Builder::new(cs.clone()).with_logup(LOOKUP_BITS, Arc::new(alpha));
    if let Some((t, d)) = adjust {
        b.adjust_multiplicity(t, d);
    }
    circuit.synthesize(&b).unwrap();
    let committed = b.committed();
    (cs, committed)
}

#[test]
fn honest_witnesses_satisfy_and_match_native_public_inputs() {
    for name in ["hand", "no-positive-score", "extremes", "random-8x40"] {
        let epoch = vector_epoch(name);
        let native = epoch.attribute().unwrap().public_inputs();
        let (cs, committed) = synthesize(AttributionCircuit::new(epoch.clone()).unwrap(), None);
        assert!(
            cs.is_satisfied().unwrap(),
            "{name}: {:?}",
            cs.which_is_unsatisfied()
        );
        let inputs = cs.borrow().unwrap().instance_assignment[1..].to_vec();
        assert_eq!(inputs[..5], native[..], "{name}");
        assert_eq!(inputs.len(), 6, "{name}: [Q, V, pool, γ, h, α]");
        assert_eq!(
            cs.num_constraints(),
            lookup_constraint_count(epoch.shape),
            "{name}: count formula"
        );
        // Committed: every chunk and the 2^k multiplicities.
        assert!(committed.len() > (epoch.shape.slots + 1) * epoch.shape.dim * 2);
    }
}

#[test]
fn constraint_counts_are_pinned() {
    // Pinned: a change here is a change of the circuit (and of its keys).
    for (shape, expected) in [
        ((2, 16), 3_806usize),
        ((4, 5), 6_540),
        ((16, 256), 46_426),
        ((64, 1024), 448_006),
        ((256, 1024), 1_775_878),
    ] {
        let shape = Shape::new(shape.0, shape.1).unwrap();
        assert_eq!(lookup_constraint_count(shape), expected, "{shape}");
    }
    // 64x1024 fits a 2^19 domain (constraints + public inputs + 1).
    let big = lookup_constraint_count(Shape::new(64, 1024).unwrap());
    assert!(big + 7 <= 1 << 19);
    let shape = Shape::new(4, 5).unwrap();
    let (cs, _) = synthesize(AttributionCircuit::placeholder(shape).unwrap(), None);
    assert_eq!(cs.num_constraints(), lookup_constraint_count(shape));
    assert_eq!(cs.num_instance_variables(), 7, "one and six public inputs");
}

fn rejects(epoch: &Epoch, tamper: Tamper, adjust: Option<(usize, Fr)>) {
    let circuit = AttributionCircuit::new(epoch.clone())
        .unwrap()
        .with_tamper(tamper)
        .unwrap();
    let (cs, _) = synthesize(circuit, adjust);
    assert!(
        !cs.is_satisfied().unwrap(),
        "{tamper:?} with {adjust:?} was accepted"
    );
}

#[test]
fn every_corrupted_witness_class_is_rejected() {
    let epoch = vector_epoch("hand");
    for tamper in [
        Tamper::UpdateLimb { slot: 0, entry: 2 },
        Tamper::UpdateLimb { slot: 3, entry: 0 }, // padding slot
        Tamper::ValidationLimb { entry: 4 },
        Tamper::SignBit { slot: 0 },
        Tamper::SignBit { slot: 1 },
        Tamper::SignBit { slot: 3 },
        Tamper::Payout { slot: 0 },
        Tamper::Payout { slot: 1 },
        Tamper::Remainder { slot: 2 },
        Tamper::ActiveFlag { slot: 1 },
        Tamper::ActiveFlag { slot: 3 },
        Tamper::ZeroFlag,
        Tamper::Dataset { slot: 2 },
    ] {
        rejects(&epoch, tamper, None);
    }
    let zero = vector_epoch("no-positive-score");
    rejects(&zero, Tamper::ZeroFlag, None);
    rejects(&zero, Tamper::Payout { slot: 0 }, None);
}

#[test]
fn limb_out_of_range_with_a_balancing_multiplicity_is_rejected() {
    // Slot 0, entry 2 of `hand`: chunk 0 becomes c₀ + 256 (not in the
    // table), chunk 1 becomes c₁ − 1; the limb is unchanged, so only the
    // lookup stands. The prover also claims the missing value as c₀ (or
    // as any other entry): the logUp sum still does not balance.
    let epoch = vector_epoch("hand");
    let limb = poa_circuits::commit::limb(epoch.participants[0].update[2]) as usize;
    let c0 = limb & 0xff;
    for adjust in [
        None,
        Some((c0, Fr::ONE)),
        Some((0, Fr::ONE)),
        Some((255, Fr::ONE)),
        Some((c0, -Fr::ONE)),
    ] {
        rejects(&epoch, Tamper::UpdateLimb { slot: 0, entry: 2 }, adjust);
    }
    // And a wrong multiplicity alone is rejected.
    let (cs, _) = synthesize(AttributionCircuit::new(epoch).unwrap(), Some((c0, Fr::ONE)));
    assert!(!cs.is_satisfied().unwrap());
}
