//! Claim checks: an honest claim passes; each inconsistency fails its check.

use std::path::PathBuf;

use poa_circuits::formats::{Claim, EpochFile};
use poa_circuits::Fr;
use poa_verifier::check_claim;

fn hand_claim() -> Claim {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../circuits/vectors/statement.json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let file: EpochFile = serde_json::from_value(v["cases"][0]["epoch"].clone()).unwrap();
    let epoch = file.parse(None).unwrap();
    Claim::new(&epoch, &epoch.attribute().unwrap())
}

fn failed(claim: &Claim) -> Vec<&'static str> {
    check_claim(claim)
        .unwrap()
        .checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| c.name)
        .collect()
}

fn consistent(mut c: Claim) -> Claim {
    let pi = c.public.public_inputs().unwrap();
    c.gamma = pi[3];
    c.h = pi[4];
    c.public_inputs = pi.to_vec();
    c
}

#[test]
fn honest_claim_passes() {
    assert!(failed(&hand_claim()).is_empty());
}

#[test]
fn each_inconsistency_fails_its_check() {
    let mut c = hand_claim();
    c.gamma += Fr::from(1u64);
    assert_eq!(failed(&c), vec!["gamma"]);

    let mut c = hand_claim();
    c.h += Fr::from(1u64);
    assert_eq!(failed(&c), vec!["h"]);

    let mut c = hand_claim();
    c.public_inputs[1] += Fr::from(1u64);
    assert_eq!(failed(&c), vec!["publicInputs"]);

    let mut c = hand_claim();
    c.dust += 1;
    assert_eq!(failed(&c), vec!["sum"]);

    let mut c = hand_claim();
    c.public.datasets[1] = Fr::from(0u64);
    assert_eq!(failed(&consistent(c)), vec!["datasets"]);

    // Dust of n or more while someone is paid.
    let mut c = hand_claim();
    c.public.payouts[0] -= 3;
    c.dust += 3;
    assert_eq!(failed(&consistent(c)), vec!["dust"]);
}
