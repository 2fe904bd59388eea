//! The statement with logUp range checks (the commit-and-prove Groth16
//! circuit, `docs/groth16-cp.md`): honest witnesses satisfy it and give the
//! native public inputs, every corrupted witness class does not (a limb
//! out of range, also with a multiplicity forced to balance it), counts
//! are pinned.

use std::sync::Arc;

use ark_ff::{AdditiveGroup, Field};
use ark_relations::r1cs::{ConstraintSystem, ConstraintSystemRef};
use poa_circuits::r1cs::circuit::{lookup_constraint_count, AttributionCircuit, ChunkTamper};
use poa_circuits::r1cs::logup::Challenge;
use poa_circuits::r1cs::{Builder, Recorded};
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

/// The unsatisfied constraints of a recorded circuit, and the value of the
/// last constraint's A row (for a lookup builder, the logUp residual
/// `Σ inv_j − Σ y_t`: the last constraint is `(Σ inv − Σ y) · 1 = 0`).
fn unsatisfied(r: &Recorded) -> (Vec<usize>, Fr) {
    let eval =
        |row: &Vec<(Fr, usize)>| -> Fr { row.iter().map(|(k, col)| *k * r.assignment[*col]).sum() };
    let m = &r.matrices;
    let bad = (0..m.num_constraints)
        .filter(|&i| eval(&m.a[i]) * eval(&m.b[i]) != eval(&m.c[i]))
        .collect();
    (bad, eval(&m.a[m.num_constraints - 1]))
}

fn record(
    circuit: AttributionCircuit,
    adjust: Option<(usize, Fr)>,
    challenge: Challenge,
) -> Recorded {
    let b = Builder::recording().with_logup(LOOKUP_BITS, challenge);
    if let Some((t, d)) = adjust {
        b.adjust_multiplicity(t, d);
    }
    circuit.synthesize(&b).unwrap();
    b.into_recorded().unwrap()
}

/// Chunks out of the table that recompose to the value every other
/// equation needs: only the logUp sum (the last constraint) fails, so the
/// lookups are what refuses them (a truncated chunk, as `Tamper`'s classes
/// make, would be refused by the recomposition whether looked up or not).
#[test]
fn recomposing_out_of_range_chunks_fail_only_the_logup_sum() {
    for name in ["hand", "random-8x40"] {
        let epoch = vector_epoch(name);
        let honest = AttributionCircuit::new(epoch.clone()).unwrap();
        let positive = honest.attribution().scores.iter().position(|&s| s > 0);
        let positive = positive.expect("a positive score");
        let mut tampers = vec![ChunkTamper::NegativeMagnitude { slot: positive }];
        for slot in [0, 1] {
            tampers.extend([
                ChunkTamper::NegativeRemainder { slot },
                ChunkTamper::ScoreTopChunk { slot },
                ChunkTamper::RemainderTopChunk { slot },
            ]);
        }
        let (ok, _) = unsatisfied(&record(honest.clone(), None, Arc::new(alpha)));
        assert!(ok.is_empty(), "{name}: honest {ok:?}");
        for tamper in tampers {
            let circuit = honest.clone().with_chunk_tamper(tamper).unwrap();
            let r = record(circuit, None, Arc::new(alpha));
            let (bad, residual) = unsatisfied(&r);
            let last = r.matrices.num_constraints - 1;
            assert_eq!(bad, vec![last], "{name}: {tamper:?}");
            assert_ne!(residual, Fr::ZERO);
        }
    }
    // The negative remainder really claims a larger payout: h changes.
    let epoch = vector_epoch("hand");
    let honest = AttributionCircuit::new(epoch).unwrap();
    let r = record(
        honest
            .clone()
            .with_chunk_tamper(ChunkTamper::NegativeRemainder { slot: 0 })
            .unwrap(),
        None,
        Arc::new(alpha),
    );
    assert_ne!(r.assignment[5], honest.public_inputs()[4], "h unchanged");
}

/// What protects the lookups is the order commit-then-challenge: with `α`
/// known before the multiplicities are fixed, one multiplicity moved by
/// `ρ · (α − t)` (`ρ` the residual) balances the sum and the negative
/// remainder is accepted; with `α` derived from the committed values
/// (multiplicities included), the same move changes `α` and fails.
#[test]
fn a_challenge_known_in_advance_would_let_a_multiplicity_balance_the_sum() {
    let epoch = vector_epoch("hand");
    let circuit = AttributionCircuit::new(epoch)
        .unwrap()
        .with_chunk_tamper(ChunkTamper::NegativeRemainder { slot: 0 })
        .unwrap();
    let fixed = Fr::from(987_654_321u64);
    let known: Challenge = Arc::new(move |_: &[Fr]| fixed);
    let (bad, residual) = unsatisfied(&record(circuit.clone(), None, known.clone()));
    assert_eq!(bad.len(), 1);
    let t = 7usize;
    let delta = residual * (fixed - Fr::from(t as u64));
    let (bad, _) = unsatisfied(&record(circuit.clone(), Some((t, delta)), known));
    assert!(bad.is_empty(), "balanced with a known α: {bad:?}");
    let (bad, _) = unsatisfied(&record(circuit, Some((t, delta)), Arc::new(alpha)));
    assert_eq!(bad.len(), 1, "α bound to the commitment");
}

/// The top chunk of a 51- or 67-bit value (3 bits) at 8, in the table:
/// only its second lookup (`c · 2^5`) refuses `2^n`; `2^n − 1` passes.
#[test]
fn a_top_chunk_in_the_table_but_above_its_bits_fails_the_logup_sum() {
    let k = LOOKUP_BITS;
    for n in [51usize, 67] {
        for (top, ok) in [(8u64, false), (7, true)] {
            let b = Builder::recording().with_logup(k, Arc::new(alpha));
            let chunks = n.div_ceil(k);
            let mut parts = vec![Fr::from(if ok { 255u64 } else { 0 }); chunks - 1];
            parts.push(Fr::from(top));
            let value = if ok {
                Fr::from(2u64).pow([n as u64]) - Fr::ONE
            } else {
                Fr::from(2u64).pow([n as u64])
            };
            let x = b.witness(value).unwrap();
            let composed = b.ranged(&parts, n).unwrap();
            b.enforce_equal(&x, &composed).unwrap();
            b.finish_lookups().unwrap();
            let r = b.into_recorded().unwrap();
            let (bad, _) = unsatisfied(&r);
            let expected = if ok {
                vec![]
            } else {
                vec![r.matrices.num_constraints - 1]
            };
            assert_eq!(bad, expected, "n = {n}, top chunk {top}");
        }
    }
}

/// Lookups cannot be dropped silently: a lookup or a commitment after
/// `finish_lookups`, a second `finish_lookups`, or none at all is reported
/// by `check_lookups` (which setup and proving consult).
#[test]
fn lookups_after_the_end_or_without_one_are_refused() {
    let k = LOOKUP_BITS;
    let parts = [Fr::from(3u64), Fr::from(1u64)];
    let fresh = || Builder::recording().with_logup(k, Arc::new(alpha));
    // Never finished.
    let b = fresh();
    b.ranged(&parts, 16).unwrap();
    assert!(b.check_lookups().unwrap_err().contains("never called"));
    // Finished once: fine.
    let b = fresh();
    b.ranged(&parts, 16).unwrap();
    assert!(b.finish_lookups().unwrap().is_some());
    assert_eq!(b.check_lookups(), Ok(()));
    // A lookup after the end.
    assert!(b.ranged(&parts, 16).is_err());
    assert!(b
        .check_lookups()
        .unwrap_err()
        .contains("after finish_lookups"));
    // A commitment after the end.
    let b = fresh();
    b.finish_lookups().unwrap();
    assert!(b.commit(Fr::ONE).is_err());
    assert!(b.check_lookups().unwrap_err().contains("committed after"));
    // Twice.
    let b = fresh();
    b.finish_lookups().unwrap();
    assert!(b.finish_lookups().is_err());
    assert!(b.check_lookups().unwrap_err().contains("twice"));
    // Without lookups, nothing to check; but a lookup there is refused
    // (nothing would enforce it), while the same lookup with logUp passes.
    let cs = ConstraintSystem::<Fr>::new_ref();
    let b = Builder::new(cs);
    assert_eq!(b.check_lookups(), Ok(()));
    let w = b.witness(Fr::from(5u64)).unwrap();
    assert!(
        b.lookup(&w).is_err(),
        "a lookup without logUp must be refused"
    );
    let b = fresh();
    let c = b.commit(Fr::from(5u64)).unwrap();
    assert!(b.lookup(&c).is_ok());
}

/// Only committed wires may be looked up: a plain witness (which the
/// prover could choose after seeing α) or a public input is refused, with
/// an error and in `check_lookups`; a committed one, alone or scaled and
/// shifted by a constant, is accepted.
#[test]
fn lookups_of_uncommitted_wires_are_refused() {
    let fresh = || Builder::recording().with_logup(LOOKUP_BITS, Arc::new(alpha));
    // A committed wire, a multiple of it plus a constant: accepted.
    let b = fresh();
    let c = b.commit(Fr::from(5u64)).unwrap();
    b.lookup(&c).unwrap();
    b.lookup(&c.scale(Fr::from(2u64)).add_const(Fr::ONE))
        .unwrap();
    assert!(b.finish_lookups().unwrap().is_some());
    assert_eq!(b.check_lookups(), Ok(()));
    let refused = |make: &dyn Fn(&Builder) -> poa_circuits::r1cs::Lc| {
        let b = fresh();
        let c = b.commit(Fr::from(5u64)).unwrap();
        let x = make(&b);
        assert!(b.lookup(&x).is_err());
        // The committed part does not make the sum committed.
        assert!(b.lookup(&c.add(&x)).is_err());
        b.finish_lookups().unwrap();
        let err = b.check_lookups().unwrap_err();
        assert!(err.contains("not committed"), "{err}");
    };
    refused(&|b| b.witness(Fr::from(5u64)).unwrap());
    refused(&|b| b.input(Fr::from(5u64)).unwrap());
    // In an ark builder (setup) too.
    let cs = ConstraintSystem::<Fr>::new_ref();
    let b = Builder::new(cs).with_logup(LOOKUP_BITS, Arc::new(alpha));
    let w = b.witness(Fr::from(5u64)).unwrap();
    assert!(b.lookup(&w).is_err());
    assert!(b.check_lookups().unwrap_err().contains("not committed"));
}
