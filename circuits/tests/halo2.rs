//! The halo2 circuit under MockProver: honest epochs satisfy it with the
//! native public inputs, and each corrupted witness class or public input
//! fails with the constraint that guards it named.

use halo2_proofs::dev::{MockProver, VerifyFailure};
use poa_circuits::halo2::witness::public_inputs;
use poa_circuits::halo2::{AttributionCircuit, Fp, Witness};
use poa_circuits::statement::{Epoch, Shape};
use poa_circuits::tamper::Tamper;
use poa_circuits::vectors::statement_epoch;

fn run(epoch: &Epoch, tamper: Option<Tamper>, instances: Option<Vec<Fp>>) -> Result<(), String> {
    let mut w = Witness::new(epoch).unwrap();
    if let Some(tamper) = tamper {
        w = w.with_tamper(tamper).unwrap();
    }
    let k = AttributionCircuit::k(epoch.shape).unwrap();
    let instances = instances.unwrap_or_else(|| public_inputs(epoch).unwrap().to_vec());
    let prover = MockProver::run(k, &AttributionCircuit::new(w), vec![instances]).unwrap();
    // halo2-axiom's MockProver does not record advice assignments, so it
    // reports every queried advice cell as unassigned: those reports carry
    // no information and are dropped.
    let failures: Vec<String> = match prover.verify_par() {
        Ok(()) => return Ok(()),
        Err(f) => f
            .iter()
            .filter(|f| !matches!(f, VerifyFailure::CellNotAssigned { .. }))
            .map(|f| format!("{f}"))
            .collect(),
    };
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

#[track_caller]
fn fails_with(epoch: &Epoch, tamper: Tamper, expected: &str) {
    match run(epoch, Some(tamper), None) {
        Ok(()) => panic!("{tamper:?} was accepted"),
        Err(failures) => assert!(
            failures.contains(expected),
            "{tamper:?}: expected a failure of `{expected}`, got:\n{failures}"
        ),
    }
}

#[test]
fn honest_epochs_satisfy_the_circuit() {
    for name in ["hand", "no-positive-score", "extremes", "random-8x40"] {
        let epoch = statement_epoch(name).unwrap();
        run(&epoch, None, None).unwrap_or_else(|f| panic!("{name}:\n{f}"));
    }
}

#[test]
fn each_public_input_is_bound() {
    let epoch = statement_epoch("hand").unwrap();
    let honest = public_inputs(&epoch).unwrap();
    for i in 0..5 {
        let mut inputs = honest.to_vec();
        inputs[i] += Fp::from(1);
        let err = run(&epoch, None, Some(inputs)).expect_err("a wrong public input was accepted");
        assert!(
            err.contains("nstance") || err.contains("ermutation"),
            "input {i}: {err}"
        );
    }
}

#[test]
fn corrupted_witnesses_fail_their_constraint() {
    let epoch = statement_epoch("hand").unwrap();
    let limb = |slot| Tamper::UpdateLimb { slot, entry: 0 };
    fails_with(&epoch, limb(1), "u is a 16-bit limb");
    fails_with(
        &epoch,
        Tamper::ValidationLimb { entry: 0 },
        "u is a 16-bit limb",
    );
    fails_with(&epoch, Tamper::SignBit { slot: 0 }, "u is a 16-bit limb");
    fails_with(&epoch, Tamper::Payout { slot: 0 }, "u is a 16-bit limb");
    fails_with(&epoch, Tamper::Remainder { slot: 0 }, "u is a 16-bit limb");
    // `hand` has 3 active slots of 4: slot 3 is padding.
    fails_with(&epoch, Tamper::ActiveFlag { slot: 3 }, "a·b + c = d");
    fails_with(&epoch, Tamper::ZeroFlag, "a·b + c = d");
    fails_with(&epoch, Tamper::SboxOutput, "S-box 0: y = (s + rc)·a²");
    fails_with(
        &epoch,
        Tamper::PartialSquare,
        "partial square: a0 = (s0 + rc0)²",
    );
}

#[test]
fn a_zero_total_pays_nobody_and_its_flag_is_guarded() {
    let epoch = statement_epoch("no-positive-score").unwrap();
    run(&epoch, None, None).unwrap();
    fails_with(&epoch, Tamper::ZeroFlag, "a·b + c = d");
    fails_with(&epoch, Tamper::Payout { slot: 0 }, "a·b + c = d");
}

#[test]
fn classes_of_other_backends_are_refused() {
    // A class halo2 does not have, a slot it does not have, or a limb with
    // no next limb in its packed element to give the borrow back is an
    // error, never an honest witness that a negative test would take for a
    // rejection.
    let epoch = statement_epoch("hand").unwrap();
    let d = epoch.shape.dim;
    for tamper in [
        Tamper::Dataset { slot: 0 },
        Tamper::DatasetLimb { slot: 0, limb: 0 },
        Tamper::PositiveWrap { slot: 1 },
        Tamper::UpdateLimb {
            slot: 0,
            entry: d - 1,
        },
        Tamper::ValidationLimb { entry: d - 1 },
        Tamper::UpdateLimb { slot: 4, entry: 0 },
    ] {
        let w = Witness::new(&epoch).unwrap();
        assert!(w.with_tamper(tamper).is_err(), "{tamper:?}");
    }
}

/// Pinned layout: a change of these is a change of the circuit (and of its
/// verifying key).
#[test]
fn rows_and_k_per_shape() {
    let rows = |n, d| AttributionCircuit::rows(Shape::new(n, d).unwrap()).unwrap();
    let k = |n, d| AttributionCircuit::k(Shape::new(n, d).unwrap()).unwrap();
    assert_eq!((rows(4, 5), k(4, 5)), (1613, 17));
    assert_eq!((rows(16, 256), k(16, 256)), (11994, 17));
    assert_eq!((rows(64, 1024), k(64, 1024)), (114420, 17));
    assert_eq!((rows(256, 1024), k(256, 1024)), (453129, 19));
}

/// Pinned constraint system (columns, queries, gates with their constants,
/// lookups, permutation): Keccak-256 of halo2's `pinned()` debug form, the
/// part of the verifying key that does not depend on the SRS. Regenerate by
/// running this test and copying the digest it prints.
#[test]
fn constraint_system_is_pinned() {
    use halo2_proofs::plonk::{Circuit, ConstraintSystem};
    use sha3::{Digest, Keccak256};
    let mut meta = ConstraintSystem::<Fp>::default();
    AttributionCircuit::configure(&mut meta);
    let shape = (
        meta.num_advice_columns(),
        meta.num_fixed_columns(),
        meta.num_selectors(),
        meta.permutation().get_columns().len(),
        meta.lookups().len(),
        meta.degree(),
    );
    assert_eq!(shape, (18, 19, 11, 20, 1, 5));
    let digest: String = Keccak256::digest(format!("{:?}", meta.pinned()))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    println!("constraint system digest: {digest}");
    assert_eq!(
        digest,
        "7906a2aa54692cf247a97201fa4bd76f68d39caf9c1b4ae337bb9b238854ab9b"
    );
}

/// `k_within` agrees with `k` when the shape fits, and stops counting at
/// the bound otherwise: a key file's header may name the largest shape,
/// whose full count takes hours (found by the `keys` fuzzer).
#[test]
fn k_within_stops_at_the_bound() {
    for (n, d) in [(2, 1), (4, 5), (8, 40), (16, 300)] {
        let shape = Shape::new(n, d).unwrap();
        let k = AttributionCircuit::k(shape).unwrap();
        assert_eq!(
            AttributionCircuit::k_within(shape, k).unwrap(),
            Some(k),
            "{shape}"
        );
        assert_eq!(
            AttributionCircuit::k_within(shape, 28).unwrap(),
            Some(k),
            "{shape}"
        );
        if k > poa_circuits::halo2::MIN_K {
            assert_eq!(AttributionCircuit::k_within(shape, k - 1).unwrap(), None);
        }
    }
    let largest = Shape::new(1 << 16, 1 << 20).unwrap();
    let t = std::time::Instant::now();
    let k = poa_circuits::halo2::MIN_K;
    assert_eq!(AttributionCircuit::k_within(largest, k).unwrap(), None);
    assert!(
        t.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        t.elapsed()
    );
}

/// The count is refused before any layout when the vectors alone need more
/// rows than the bound: a shape of 4 × 327680 under k = 17 took 10 s in
/// the fuzzer (`fuzz/regressions/keys/slow-unit-…`), counting the whole
/// validation vector before the first check.
#[test]
fn k_within_refuses_long_vectors_at_once() {
    for (n, d) in [(4, 327_680), (2, 1 << 20), (1 << 16, 3)] {
        let shape = Shape::new(n, d).unwrap();
        let t = std::time::Instant::now();
        assert_eq!(
            AttributionCircuit::k_within(shape, 17).unwrap(),
            None,
            "{shape}"
        );
        assert!(
            t.elapsed() < std::time::Duration::from_millis(500),
            "{shape}: {:?}",
            t.elapsed()
        );
    }
}
