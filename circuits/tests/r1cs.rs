//! The R1CS statement against the native one: honest witnesses satisfy it,
//! every corrupted witness class does not, constraint counts are pinned.

use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef};
use poa_circuits::poseidon;
use poa_circuits::r1cs::circuit::{constraint_count, AttributionCircuit};
use poa_circuits::r1cs::{Builder, Lc};
use poa_circuits::statement::{Epoch, Shape};
use poa_circuits::tamper::Tamper;
use poa_circuits::Fr;

fn vector_epoch(name: &str) -> Epoch {
    poa_circuits::vectors::statement_epoch(name).unwrap()
}

fn synthesize(circuit: AttributionCircuit) -> ConstraintSystemRef<Fr> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    circuit.generate_constraints(cs.clone()).unwrap();
    cs
}

fn public_inputs_of(cs: &ConstraintSystemRef<Fr>) -> Vec<Fr> {
    // Instance assignment: [1, Q, V, pool, γ, h].
    cs.borrow().unwrap().instance_assignment[1..].to_vec()
}

#[test]
fn poseidon_gadget_equals_native() {
    for k in [1usize, 2, 3, 15, 16] {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let b = Builder::new(cs.clone());
        let xs: Vec<Fr> = (0..k).map(|i| Fr::from(i as u64 * 7919 + 3)).collect();
        let lcs: Vec<Lc> = xs.iter().map(|x| b.witness(*x).unwrap()).collect();
        let out = poseidon::constraints::hash(&b, &lcs).unwrap();
        let expected = poseidon::hash(&xs).unwrap();
        assert_eq!(out.value, expected, "k = {k}");
        // Pin the output as a public input and check satisfaction.
        let pinned = b.input(expected).unwrap();
        b.enforce_equal(&out, &pinned).unwrap();
        assert!(cs.is_satisfied().unwrap(), "k = {k}");
        let t = k + 1;
        assert_eq!(
            cs.num_constraints(),
            3 * (8 * t + poseidon::PARTIAL_ROUNDS[k - 1]) + 1
        );
        // A wrong output is rejected.
        let cs2 = ConstraintSystem::<Fr>::new_ref();
        let b2 = Builder::new(cs2.clone());
        let lcs: Vec<Lc> = xs.iter().map(|x| b2.witness(*x).unwrap()).collect();
        let out = poseidon::constraints::hash(&b2, &lcs).unwrap();
        let wrong = b2.input(expected + Fr::from(1u64)).unwrap();
        b2.enforce_equal(&out, &wrong).unwrap();
        assert!(!cs2.is_satisfied().unwrap());
    }
}

#[test]
fn honest_witnesses_satisfy_and_match_native_public_inputs() {
    for name in ["hand", "no-positive-score", "extremes", "random-8x40"] {
        let epoch = vector_epoch(name);
        let circuit = AttributionCircuit::new(epoch.clone()).unwrap();
        let native = epoch.attribute().unwrap().public_inputs();
        let cs = synthesize(circuit);
        assert!(
            cs.is_satisfied().unwrap(),
            "{name}: {:?}",
            cs.which_is_unsatisfied()
        );
        assert_eq!(public_inputs_of(&cs), native.to_vec(), "{name}");
        assert_eq!(
            cs.num_constraints(),
            constraint_count(epoch.shape),
            "{name}: count formula"
        );
    }
}

#[test]
fn full_epoch_n_equals_n_slots() {
    // n = N with every slot active.
    let mut epoch = vector_epoch("random-8x40");
    let extra = epoch.participants[0].clone();
    while epoch.participants.len() < epoch.shape.slots {
        let mut p = extra.clone();
        p.dataset += Fr::from(epoch.participants.len() as u64);
        epoch.participants.push(p);
    }
    let cs = synthesize(AttributionCircuit::new(epoch).unwrap());
    assert!(cs.is_satisfied().unwrap());
}

#[test]
fn constraint_counts_are_pinned() {
    // Pinned: a change here is a change of the circuit (and of its keys).
    for (shape, expected) in [
        ((2, 16), 4_787usize),
        ((4, 5), 7_681),
        ((16, 256), 111_037),
        ((64, 1024), 1_395_097),
    ] {
        let shape = Shape::new(shape.0, shape.1).unwrap();
        assert_eq!(constraint_count(shape), expected, "{shape}");
    }
    let shape = Shape::new(4, 5).unwrap();
    let cs = synthesize(AttributionCircuit::placeholder(shape).unwrap());
    assert_eq!(cs.num_constraints(), 7_681);
    assert_eq!(cs.num_instance_variables(), 6, "one and five public inputs");
}

fn rejects(epoch: &Epoch, tamper: Tamper) {
    let circuit = AttributionCircuit::new(epoch.clone())
        .unwrap()
        .with_tamper(tamper)
        .unwrap();
    let cs = synthesize(circuit);
    assert!(!cs.is_satisfied().unwrap(), "{tamper:?} was accepted");
}

#[test]
fn every_corrupted_witness_class_is_rejected() {
    // hand: 3 of 4 slots, scores 25, -12, 5, payouts 833…, 0, 166…
    let epoch = vector_epoch("hand");
    for tamper in [
        Tamper::UpdateLimb { slot: 0, entry: 2 },
        Tamper::UpdateLimb { slot: 3, entry: 0 }, // padding slot
        Tamper::ValidationLimb { entry: 4 },
        Tamper::SignBit { slot: 0 },
        Tamper::SignBit { slot: 1 }, // negative score claimed positive
        Tamper::SignBit { slot: 3 }, // padding slot claims a positive sign
        Tamper::Payout { slot: 0 },
        Tamper::Payout { slot: 1 },
        Tamper::Remainder { slot: 2 },
        Tamper::ActiveFlag { slot: 1 },
        Tamper::ActiveFlag { slot: 3 },
        Tamper::ZeroFlag,
        Tamper::Dataset { slot: 2 },
    ] {
        rejects(&epoch, tamper);
    }
    // S = 0: the zero flag and payouts.
    let zero = vector_epoch("no-positive-score");
    rejects(&zero, Tamper::ZeroFlag);
    rejects(&zero, Tamper::Payout { slot: 0 });
}

#[test]
fn classes_of_other_backends_are_refused() {
    // A class the R1CS does not have is an error, never an honest witness
    // that a negative test would take for a rejection.
    let epoch = vector_epoch("hand");
    for tamper in [
        Tamper::DatasetLimb { slot: 0, limb: 0 },
        Tamper::PositiveWrap { slot: 1 },
        Tamper::SboxOutput,
        Tamper::PartialSquare,
    ] {
        let circuit = AttributionCircuit::new(epoch.clone()).unwrap();
        assert!(circuit.with_tamper(tamper).is_err(), "{tamper:?}");
    }
}

#[test]
fn recorded_matrices_equal_ark_relations_matrices() {
    // The prover records matrices itself; setup goes through ark-relations.
    // Both must describe the same system, column for column.
    use ark_relations::r1cs::OptimizationGoal;
    type Row = Vec<(Fr, usize)>;
    fn normal(m: &[Row]) -> Vec<Row> {
        m.iter()
            .map(|row| {
                let mut r: Row = row
                    .iter()
                    .filter(|(c, _)| *c != Fr::from(0u64))
                    .cloned()
                    .collect();
                r.sort_by_key(|(_, col)| *col);
                r
            })
            .collect()
    }
    let epoch = vector_epoch("hand");
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    AttributionCircuit::new(epoch.clone())
        .unwrap()
        .generate_constraints(cs.clone())
        .unwrap();
    cs.finalize();
    let ark = cs.to_matrices().unwrap();
    let ours = AttributionCircuit::new(epoch).unwrap().record().unwrap();
    let m = &ours.matrices;
    assert_eq!(m.num_constraints, ark.num_constraints);
    assert_eq!(m.num_instance_variables, ark.num_instance_variables);
    assert_eq!(m.num_witness_variables, ark.num_witness_variables);
    assert!(normal(&m.a) == normal(&ark.a), "A differs");
    assert!(normal(&m.b) == normal(&ark.b), "B differs");
    assert!(normal(&m.c) == normal(&ark.c), "C differs");
    let cs = cs.borrow().unwrap();
    let mut full = cs.instance_assignment.clone();
    full.extend_from_slice(&cs.witness_assignment);
    assert!(ours.assignment == full, "assignments differ");
}
