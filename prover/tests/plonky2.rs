//! `poa setup|attribute|prove|verify|inclusion|audit --backend plonky2` end
//! to end (a nightly build with `--features plonky2`): an honest proof
//! verifies (exit 0) for a claim made with `poa attribute --backend plonky2`;
//! a proof of the same epoch with another validation vector, a claim with
//! another Goldilocks `Q`, a claim moving one wei and a flipped proof byte
//! are rejected (exit 1); a proof with its public inputs cut short is
//! rejected without a panic; a claim without Goldilocks commitments, a v1
//! claim, circuits of another shape and another shard count are refused
//! (exit 2, file named); a contributor audits their slot under the
//! Goldilocks `Q`, and each failed check is named; `poa bench --backend
//! plonky2` proves a synthetic epoch.

mod common;

use std::path::{Path, PathBuf};

use common::{
    dir_with_vector_epoch, epoch_with_contributor, failed_checks, inclusion, json_out, poa,
    printed, rewrite_proof, setup_attribute_prove_with, verifies_and_rejects_forgeries,
    verify_with, Proven,
};
use poa_circuits::formats::{Claim, EpochFile};
use serde_json::{json, Value};

fn s(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

/// A copy of `claim` with `edit` applied, γ and h recomputed (so that only
/// the proof can refuse it), written to `dir/NAME`.
fn edited_claim(dir: &Path, claim: &Path, name: &str, edit: impl FnOnce(&mut Claim)) -> PathBuf {
    let mut c = Claim::read(claim).unwrap();
    edit(&mut c);
    let pi = c.public.public_inputs().unwrap();
    (c.gamma, c.h, c.public_inputs) = (pi[3], pi[4], pi.to_vec());
    let path = dir.join(name);
    std::fs::write(&path, c.to_json()).unwrap();
    path
}

/// A copy of the claim JSON with `edit` applied, written to `dir/NAME`.
fn edited_json(dir: &Path, claim: &Path, name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let mut v: Value = serde_json::from_slice(&std::fs::read(claim).unwrap()).unwrap();
    edit(&mut v);
    let path = dir.join(name);
    std::fs::write(&path, v.to_string()).unwrap();
    path
}

#[test]
fn plonky2_cli_setup_prove_verify_and_rejections() {
    let (dir, epoch_path) = dir_with_vector_epoch("p2", "hand");
    let p = setup_attribute_prove_with(&dir, "plonky2", "4x5", &epoch_path);
    // A claim moving one wei with stale γ, h fails the claim's own checks;
    // the last bytes are the public inputs: the flipped byte is one of them.
    let (forged, _) = verifies_and_rejects_forgeries("plonky2", &dir, &p, -41);
    assert!(printed(&forged).contains("claim check `gamma` failed"));
    let verify = |claim: &PathBuf, proof: &PathBuf| verify_with("plonky2", &p, claim, proof);
    let o = verify(&p.claim, &dir.join("tampered.json"));
    assert!(printed(&o).contains("does not verify"), "{}", printed(&o));
    // With γ and h recomputed only the proof refuses it, naming the slot.
    let moved = edited_claim(&dir, &p.claim, "moved.json", |c| {
        c.public.payouts[0] -= 1;
        c.public.payouts[1] += 1;
    });
    let o = verify(&moved, &p.proof);
    assert_eq!(o.status.code(), Some(1), "{}", printed(&o));
    let reason = json_out(&o)["reason"].as_str().unwrap().to_string();
    assert!(reason.contains("another payout of slot 0"), "{reason}");

    // The shard count is fixed by the setup: another one is refused, and
    // the matching one is accepted.
    let prove_in = |k: &str| {
        poa(&[
            "prove",
            "--backend=plonky2",
            "--params",
            p.params.to_str().unwrap(),
            "--epoch",
            epoch_path.to_str().unwrap(),
            "--out",
            dir.join("again.json").to_str().unwrap(),
            "--shards",
            k,
        ])
    };
    let o = prove_in("4");
    assert_eq!(o.status.code(), Some(2));
    let err = printed(&o);
    assert!(
        err.contains("plonky2.json") && err.contains("2 shards, not 4"),
        "{err}"
    );
    assert!(!dir.join("again.json").exists(), "no partial output");
    assert!(prove_in("2").status.success());

    // `poa bench --backend plonky2` proves and verifies a synthetic epoch.
    let o = poa(&["bench", "--backend=plonky2", "--shape=4x5", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = json_out(&o);
    assert_eq!(report["ok"], true);
    assert_eq!(report["backend"], "plonky2");
    assert!(report["proofBytes"].as_u64().unwrap() > 0);

    // Circuits recorded for another shape.
    let meta = p.params.join("plonky2.json");
    let text = std::fs::read_to_string(&meta)
        .unwrap()
        .replace("4x5", "4x6");
    std::fs::write(&meta, text).unwrap();
    let o = verify(&p.claim, &p.proof);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("plonky2.json"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The proof publishes the Goldilocks `Q` and `V` and `verify` compares them
/// with the claim's: a trainer who changes the validation vector's salt
/// after the claim (new `V`, every score, payout and dataset unchanged) has
/// an honest proof of the new epoch, which the original claim refuses.
#[test]
fn plonky2_verify_binds_goldilocks_q_and_v() {
    let (dir, epoch_path) = dir_with_vector_epoch("p2-bind", "hand");
    let p = setup_attribute_prove_with(&dir, "plonky2", "4x5", &epoch_path);
    let verify = |claim: &PathBuf, proof: &PathBuf| verify_with("plonky2", &p, claim, proof);
    let o = verify(&p.claim, &p.proof);
    assert_eq!(o.status.code(), Some(0), "{}", printed(&o));

    // The twin epoch: only σ_v differs.
    let mut twin = EpochFile::read(&epoch_path).unwrap();
    twin.validation_salt += poa_circuits::Fr::from(1u64);
    let twin_epoch = dir.join("twin-epoch.json");
    std::fs::write(
        &twin_epoch,
        poa_circuits::formats::pretty(&EpochFile::from_epoch(&twin)),
    )
    .unwrap();
    let (twin_claim, twin_proof) = (dir.join("twin-claim.json"), dir.join("twin-proof.json"));
    for args in [
        vec![
            "attribute",
            "--backend=plonky2",
            "--epoch",
            &s(&twin_epoch),
            "--out",
            &s(&twin_claim),
        ],
        vec![
            "prove",
            "--backend=plonky2",
            "--params",
            &s(&p.params),
            "--epoch",
            &s(&twin_epoch),
            "--out",
            &s(&twin_proof),
        ],
    ] {
        let o = poa(&args);
        assert!(o.status.success(), "{args:?}: {}", printed(&o));
    }
    let (honest, other) = (
        Claim::read(&p.claim).unwrap(),
        Claim::read(&twin_claim).unwrap(),
    );
    assert_eq!(other.public.pool, honest.public.pool);
    assert_eq!(other.public.datasets, honest.public.datasets);
    assert_eq!(other.public.payouts, honest.public.payouts);
    let (g, h) = (honest.goldilocks.unwrap(), other.goldilocks.unwrap());
    assert_eq!(g.q, h.q, "same updates, same Q");
    assert_ne!(g.v, h.v, "another salt, another V");
    // The twin proof verifies for its own claim, not for the original one.
    let o = verify(&twin_claim, &twin_proof);
    assert_eq!(o.status.code(), Some(0), "{}", printed(&o));
    let o = verify(&p.claim, &twin_proof);
    assert_eq!(o.status.code(), Some(1), "{}", printed(&o));
    let reason = json_out(&o)["reason"].as_str().unwrap().to_string();
    assert!(reason.contains("another Goldilocks V"), "{reason}");
    assert!(printed(&o).contains("goldilocks.V"));

    // A claim with another Goldilocks Q.
    let q = edited_json(&dir, &p.claim, "q.json", |v| {
        let x: u64 = v["goldilocks"]["Q"][0].as_str().unwrap().parse().unwrap();
        v["goldilocks"]["Q"][0] = json!(((x + 1) % 0xffff_ffff_0000_0001).to_string());
    });
    let o = verify(&q, &p.proof);
    assert_eq!(o.status.code(), Some(1), "{}", printed(&o));
    assert!(json_out(&o)["reason"]
        .as_str()
        .unwrap()
        .contains("another Goldilocks Q"));

    // A claim without Goldilocks commitments (made for Groth16) is an input
    // error naming the file and the field, before any proof is read.
    let bn254 = edited_json(&dir, &p.claim, "bn254.json", |v| {
        v.as_object_mut().unwrap().remove("goldilocks");
    });
    let o = verify(&bn254, &p.proof);
    assert_eq!(o.status.code(), Some(2));
    let text = printed(&o);
    assert!(
        text.contains("bn254.json")
            && text.contains("field `goldilocks`")
            && text.contains("poa attribute --backend plonky2"),
        "{text}"
    );
    // A v1 claim.
    let v1 = edited_json(&dir, &p.claim, "v1.json", |v| v["version"] = json!(1));
    let o = verify(&v1, &p.proof);
    assert_eq!(o.status.code(), Some(2));
    let text = printed(&o);
    assert!(
        text.contains("v1.json") && text.contains("poa-claim v1") && text.contains("re-run"),
        "{text}"
    );

    // Proofs cut short: the public inputs end with their count (8 bytes)
    // then 4 + 4 + 6 + 14 N + 8 (the context) elements of 8 bytes. Three
    // public inputs left (a well-formed proof of the wrong circuit shape)
    // and half the bytes (no proof at all) are rejected (bytes that are no
    // proof come from the prover, like a proof that fails); neither panics.
    let published = 8 + 6 + 14 * 4 + 8;
    let three = dir.join("three.json");
    rewrite_proof(&p.proof, &three, |bytes| {
        let at = bytes.len() - 8 * published - 8;
        assert_eq!(bytes[at..at + 8], (published as u64).to_le_bytes());
        let mut out = bytes[..at].to_vec();
        out.extend(3u64.to_le_bytes());
        out.extend(&bytes[at + 8..at + 8 + 24]);
        out
    });
    let o = verify(&p.claim, &three);
    assert_eq!(o.status.code(), Some(1), "{}", printed(&o));
    assert!(
        json_out(&o)["reason"]
            .as_str()
            .unwrap()
            .contains("publishes 3 public inputs"),
        "{}",
        printed(&o)
    );
    let half = dir.join("half.json");
    rewrite_proof(&p.proof, &half, |bytes| bytes[..bytes.len() / 2].to_vec());
    let o = verify(&p.claim, &half);
    assert_eq!(o.status.code(), Some(1), "{}", printed(&o));
    assert!(
        json_out(&o)["reason"]
            .as_str()
            .unwrap()
            .contains("not a plonky2 proof"),
        "{}",
        printed(&o)
    );
    for o in [verify(&p.claim, &three), verify(&p.claim, &half)] {
        assert!(!printed(&o).contains("panicked"), "{}", printed(&o));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A contributor audits their slot under the claim's Goldilocks `Q` with
/// their data and salt: exit 0 and the proven payout; a wrong salt, another
/// slot's path, a path with a changed sibling, a claim moving one wei (γ, h
/// recomputed) each fail their named check (exit 1); a BN254 path and a
/// claim without Goldilocks commitments are input errors (exit 2).
#[test]
fn plonky2_audit_checks_the_slot_under_goldilocks_q() {
    let dir = std::env::temp_dir().join(format!("poa-p2-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (epoch_path, data, commitment) = epoch_with_contributor(&dir, 0);
    let Proven {
        params,
        claim,
        proof,
    } = setup_attribute_prove_with(&dir, "plonky2", "4x5", &epoch_path);
    let (slot0, slot1, bn254) = (
        dir.join("slot0.json"),
        dir.join("slot1.json"),
        dir.join("bn254-slot0.json"),
    );
    inclusion("plonky2", &epoch_path, 0, &slot0);
    inclusion("plonky2", &epoch_path, 1, &slot1);
    inclusion("groth16", &epoch_path, 0, &bn254);
    let audit = |claim: &PathBuf, inclusion: &PathBuf, secret: &[&str]| {
        let (p, c, pr, inc) = (s(&params), s(claim), s(&proof), s(inclusion));
        let mut args = vec!["audit", "--backend", "plonky2", "--params", &p];
        args.extend(["--claim", &c, "--proof", &pr, "--inclusion", &inc, "--json"]);
        args.extend(secret);
        poa(&args)
    };
    let data_s = s(&data);
    let with_data: [&str; 4] = ["--data", &data_s, "--salt", "0xb0b"];

    // Honest: exit 0, and the proven payout is the claim's slot 0.
    let o = audit(&claim, &slot0, &with_data);
    assert_eq!(o.status.code(), Some(0), "{}", printed(&o));
    let honest = Claim::read(&claim).unwrap();
    assert!(honest.public.payouts[0] > 0);
    assert_eq!(
        json_out(&o)["payout"],
        json!(honest.public.payouts[0].to_string())
    );
    let o = audit(&claim, &slot0, &["--commitment", &commitment]);
    assert_eq!(o.status.code(), Some(0), "{}", printed(&o));

    // Wrong salt: the recomputed commitment is not in the tree nor the claim.
    let o = audit(&claim, &slot0, &["--data", &data_s, "--salt", "0xb0c"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(failed_checks(&o), vec!["inclusion", "dataset"]);
    // Another contributor's path.
    let o = audit(&claim, &slot1, &with_data);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(failed_checks(&o), vec!["inclusion", "dataset"]);
    // A sibling changed: the path no longer leads to the Goldilocks Q.
    let mut path: Value = serde_json::from_slice(&std::fs::read(&slot0).unwrap()).unwrap();
    let x: u64 = path["siblings"][1][2].as_str().unwrap().parse().unwrap();
    path["siblings"][1][2] = json!((x ^ 1).to_string());
    let wrong_path = dir.join("wrong-path.json");
    std::fs::write(&wrong_path, path.to_string()).unwrap();
    let o = audit(&claim, &wrong_path, &with_data);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(failed_checks(&o), vec!["inclusion"]);
    assert!(printed(&o).contains("does NOT lead to the claim's Goldilocks Q"));
    // A claim that moves one wei away from the contributor: the proof fails.
    let moved = edited_claim(&dir, &claim, "moved.json", |c| {
        c.public.payouts[0] -= 1;
        c.public.payouts[1] += 1;
    });
    let o = audit(&moved, &slot0, &with_data);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(failed_checks(&o), vec!["proof"]);
    // The BN254 path of the same slot is an input error naming the file.
    let o = audit(&claim, &bn254, &with_data);
    assert_eq!(o.status.code(), Some(2));
    let text = printed(&o);
    assert!(
        text.contains("bn254-slot0.json") && text.contains("poa inclusion --backend plonky2"),
        "{text}"
    );
    // So is a claim without the Goldilocks commitments.
    let plain = edited_json(&dir, &claim, "plain.json", |v| {
        v.as_object_mut().unwrap().remove("goldilocks");
    });
    let o = audit(&plain, &slot0, &with_data);
    assert_eq!(o.status.code(), Some(2));
    assert!(printed(&o).contains("field `goldilocks`"));
    let _ = std::fs::remove_dir_all(&dir);
}
