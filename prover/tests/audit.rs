//! `poa audit` end to end: a contributor with their data, salt, the public
//! claim, proof and key, and the trainer's inclusion path; each failure is
//! named and exits 1.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{json_out, poa, setup_attribute_prove, Proven};

use poa_circuits::formats::{Claim, EpochFile};
use serde_json::json;

fn s(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

fn failed(o: &Output) -> Vec<String> {
    json_out(o)["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == json!(false))
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn contributor_audit_and_its_failures() {
    let dir = std::env::temp_dir().join(format!("poa-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Bob's data and salt give his dataset commitment.
    let data = dir.join("bob.jsonl");
    std::fs::write(
        &data,
        "{\"q\":\"1+1\",\"a\":\"2\"}\n{\"q\":\"sky\",\"a\":\"blue\"}\n",
    )
    .unwrap();
    let o = poa(&["dataset", "commit", &s(&data), "--salt", "0xb0b", "--json"]);
    let commitment = json_out(&o)["dataset"]["commitment"]
        .as_str()
        .unwrap()
        .to_string();

    // The trainer's epoch has Bob in slot 1.
    let mut epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    epoch.participants[1].dataset = poa_circuits::field::parse_fr("D", &commitment).unwrap();
    let epoch_path = dir.join("epoch.json");
    std::fs::write(
        &epoch_path,
        poa_circuits::formats::pretty(&EpochFile::from_epoch(&epoch)),
    )
    .unwrap();
    let Proven {
        params,
        claim,
        proof,
    } = setup_attribute_prove(&dir, "4x5", &epoch_path);
    let (slot1, slot0) = (dir.join("slot1.json"), dir.join("slot0.json"));
    for args in [
        vec![
            "inclusion",
            "--epoch",
            &s(&epoch_path),
            "--slot",
            "1",
            "--out",
            &s(&slot1),
        ],
        vec![
            "inclusion",
            "--epoch",
            &s(&epoch_path),
            "--slot",
            "0",
            "--out",
            &s(&slot0),
        ],
    ] {
        let o = poa(&args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
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
