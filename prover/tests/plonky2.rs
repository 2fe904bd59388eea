//! `poa setup|prove|verify --backend plonky2` end to end (a nightly build
//! with `--features plonky2`): an honest proof verifies (exit 0); a claim
//! moving one wei and a flipped proof byte are rejected (exit 1); circuits
//! of another shape and another shard count are refused (exit 2, file
//! named); `poa bench --backend plonky2` proves a synthetic epoch.

mod common;

use std::path::PathBuf;

use common::{
    dir_with_vector_epoch, json_out, poa, setup_attribute_prove_with,
    verifies_and_rejects_forgeries, verify_with,
};

#[test]
fn plonky2_cli_setup_prove_verify_and_rejections() {
    let (dir, epoch_path) = dir_with_vector_epoch("p2", "hand");
    let p = setup_attribute_prove_with(&dir, "plonky2", "4x5", &epoch_path);
    // The last bytes are the public inputs: the flipped byte is one of them.
    let (forged, _) = verifies_and_rejects_forgeries("plonky2", &dir, &p, -41);
    assert!(String::from_utf8_lossy(&forged.stderr).contains("another pool, dataset or payout"));
    let verify = |claim: &PathBuf, proof: &PathBuf| verify_with("plonky2", &p, claim, proof);

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
    let err = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
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
