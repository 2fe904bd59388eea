//! `poa audit` end to end: a contributor with their data, salt, the public
//! claim, proof and key, and the trainer's inclusion path; each failure is
//! named and exits 1.

mod common;

use std::path::{Path, PathBuf};

use common::{
    epoch_with_contributor, failed_checks as failed, inclusion, json_out, poa,
    setup_attribute_prove, Proven,
};

use poa_circuits::formats::Claim;
use serde_json::json;

fn s(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

#[test]
fn contributor_audit_and_its_failures() {
    let dir = std::env::temp_dir().join(format!("poa-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Bob's data and salt give his dataset commitment; the trainer's epoch
    // has Bob in slot 1.
    let (epoch_path, data, commitment) = epoch_with_contributor(&dir, 1);
    let Proven {
        params,
        claim,
        proof,
    } = setup_attribute_prove(&dir, "4x5", &epoch_path);
    let (slot1, slot0) = (dir.join("slot1.json"), dir.join("slot0.json"));
    inclusion("groth16", &epoch_path, 1, &slot1);
    inclusion("groth16", &epoch_path, 0, &slot0);
    let audit = |claim: &PathBuf, inclusion: &PathBuf, secret: &[&str]| {
        let (p, c, pr, inc) = (s(&params), s(claim), s(&proof), s(inclusion));
        let mut args = vec!["audit", "--params", &p, "--claim", &c, "--proof", &pr];
        args.extend(["--inclusion", &inc, "--json"]);
        args.extend(secret);
        poa(&args)
    };
    let data_s = s(&data);
    let with_data: [&str; 4] = ["--data", &data_s, "--salt", "0xb0b"];

    // Honest: exit 0, and the proven payout is the claim's slot 1.
    let o = audit(&claim, &slot1, &with_data);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let honest = Claim::read(&claim).unwrap();
    assert_eq!(
        json_out(&o)["payout"],
        json!(honest.public.payouts[1].to_string())
    );
    let o = audit(&claim, &slot1, &["--commitment", &commitment]);
    assert_eq!(o.status.code(), Some(0));

    // Wrong salt: the recomputed commitment is not in the tree nor the claim.
    let o = audit(&claim, &slot1, &["--data", &data_s, "--salt", "0xb0c"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(failed(&o), vec!["inclusion", "dataset"]);
    // Another contributor's path.
    let o = audit(&claim, &slot0, &with_data);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(failed(&o), vec!["inclusion", "dataset"]);
    // A claim that moves one wei away from Bob, γ and h recomputed: the proof fails.
    let mut moved = honest.clone();
    moved.public.payouts[0] += 1;
    moved.public.payouts[2] -= 1;
    let pi = moved.public.public_inputs().unwrap();
    (moved.gamma, moved.h, moved.public_inputs) = (pi[3], pi[4], pi.to_vec());
    let moved_path = dir.join("moved.json");
    std::fs::write(&moved_path, moved.to_json()).unwrap();
    let o = audit(&moved_path, &slot1, &with_data);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(failed(&o), vec!["proof"]);
    // A claim whose published γ is stale: the claim check fails.
    let mut stale = honest.clone();
    stale.dust += 1;
    let stale_path = dir.join("stale.json");
    std::fs::write(&stale_path, stale.to_json()).unwrap();
    let o = audit(&stale_path, &slot1, &with_data);
    assert_eq!(o.status.code(), Some(1));
    assert!(failed(&o).contains(&"claim".to_string()));
    // A malformed inclusion file is an input error naming it.
    let bad = dir.join("bad-inclusion.json");
    std::fs::write(&bad, "{\"format\": \"poa-inclusion\"").unwrap();
    let o = audit(&claim, &bad, &with_data);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("bad-inclusion.json"));
}

/// A `poa` built without the plonky2 backend answers the plonky2 claim,
/// path and audit with how to build one that has it (exit 2, no output);
/// with the backend these commands are `tests/plonky2.rs`'s. A halo2 audit
/// is refused by name.
#[cfg(not(feature = "plonky2"))]
#[test]
fn plonky2_claim_path_and_audit_need_the_backend() {
    let dir = std::env::temp_dir().join(format!("poa-audit-nop2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (epoch, _, commitment) = epoch_with_contributor(&dir, 0);
    let (claim, slot) = (dir.join("claim.json"), dir.join("slot0.json"));
    let (e, c, sl) = (s(&epoch), s(&claim), s(&slot));
    let p = s(&dir);
    let audit = |backend: &'static str| {
        vec![
            "audit",
            "--backend",
            backend,
            "--params",
            &p,
            "--claim",
            &c,
            "--proof",
            &c,
            "--inclusion",
            &sl,
            "--commitment",
            &commitment,
        ]
    };
    // The BN254 claim of the same epoch is written (so the audit reads a
    // claim), then each plonky2 command is refused.
    let o = poa(&["attribute", "--epoch", &e, "--out", &c]);
    assert!(o.status.success());
    let plonky2 = [
        vec![
            "attribute",
            "--backend=plonky2",
            "--epoch",
            &e,
            "--out",
            &sl,
        ],
        vec![
            "inclusion",
            "--backend=plonky2",
            "--epoch",
            &e,
            "--slot",
            "0",
            "--out",
            &sl,
        ],
        audit("plonky2"),
    ];
    for args in plonky2 {
        let o = poa(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let text = common::printed(&o);
        assert!(text.contains("--features plonky2"), "{args:?}: {text}");
        assert!(!slot.exists(), "{args:?}: no output without the backend");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
