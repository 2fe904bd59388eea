//! The `poa` binary end to end: outputs equal the shared vectors, bad input
//! exits 2 naming file and field and writes nothing, rejections exit 1.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::poa;

use poa_circuits::field::parse_fr;
use poa_circuits::formats::InclusionFile;
use serde_json::{json, Value};

fn vectors(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../circuits/vectors")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("poa-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn read_json(p: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn attribute_reproduces_every_statement_vector() {
    let dir = tmp("attribute");
    for case in vectors("statement.json")["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let epoch = dir.join(format!("{name}.epoch.json"));
        std::fs::write(&epoch, case["epoch"].to_string()).unwrap();
        let claim = dir.join(format!("{name}.claim.json"));
        let report = dir.join(format!("{name}.report.json"));
        let o = poa(&[
            "attribute",
            "--epoch",
            s(&epoch),
            "--out",
            s(&claim),
            "--report",
            s(&report),
        ]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let c = read_json(&claim);
        let e = &case["expected"];
        for key in ["Q", "V", "payouts", "dust", "gamma", "h", "publicInputs"] {
            assert_eq!(c[key], e[key], "{name}: {key}");
        }
        assert!(c.get("scores").is_none(), "scores never go in a claim");
        assert_eq!(
            read_json(&report)["scores"],
            e["scores"],
            "{name}: report scores"
        );
        assert_eq!(
            c["n"],
            json!(case["epoch"]["participants"].as_array().unwrap().len())
        );

        let o = poa(&["claim", "check", "--claim", s(&claim)]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
    }
}

fn hand_claim(dir: &Path) -> (PathBuf, PathBuf) {
    let case = &vectors("statement.json")["cases"][0];
    let epoch = dir.join("hand.epoch.json");
    std::fs::write(&epoch, case["epoch"].to_string()).unwrap();
    let claim = dir.join("hand.claim.json");
    let o = poa(&["attribute", "--epoch", s(&epoch), "--out", s(&claim)]);
    assert!(o.status.success(), "{}", stderr(&o));
    (epoch, claim)
}

#[test]
fn tampered_claims_are_rejected_with_the_failed_check() {
    let dir = tmp("tamper");
    let (_, claim) = hand_claim(&dir);
    let honest = read_json(&claim);
    let bump = |v: &Value, d: i64| {
        let x: num_bigint::BigInt = v.as_str().unwrap().parse().unwrap();
        json!((x + d).to_string())
    };
    type Tamper = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Tamper, &str)> = vec![
        (
            "payout+1 dust-1",
            Box::new(move |c: &mut Value| {
                c["payouts"][0] = bump(&c["payouts"][0], 1);
                c["dust"] = bump(&c["dust"], -1);
            }),
            "gamma",
        ),
        (
            "datasets swapped",
            Box::new(|c: &mut Value| {
                let d0 = c["datasets"][0].clone();
                c["datasets"][0] = c["datasets"][1].clone();
                c["datasets"][1] = d0;
            }),
            "gamma",
        ),
        (
            "dust",
            Box::new(move |c: &mut Value| c["dust"] = bump(&c["dust"], 1)),
            "sum",
        ),
        (
            "h",
            Box::new(move |c: &mut Value| c["h"] = bump(&c["h"], 1)),
            "h",
        ),
        (
            "publicInputs",
            Box::new(move |c: &mut Value| c["publicInputs"][4] = bump(&c["publicInputs"][4], 1)),
            "publicInputs",
        ),
        (
            "epoch word",
            Box::new(|c: &mut Value| c["epoch"] = json!("4")),
            "gamma",
        ),
    ];
    for (what, tamper, check) in cases {
        let mut c = honest.clone();
        tamper(&mut c);
        let path = dir.join("tampered.json");
        std::fs::write(&path, c.to_string()).unwrap();
        let o = poa(&["claim", "check", "--claim", s(&path), "--json"]);
        assert_eq!(o.status.code(), Some(1), "{what}");
        let out: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(out["ok"], json!(false));
        let failed: Vec<&str> = out["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["ok"] == json!(false))
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(failed.first(), Some(&check), "{what}: {failed:?}");
    }
}

#[test]
fn bad_input_exits_2_names_file_and_field_and_writes_nothing() {
    let dir = tmp("bad");
    let mut e = vectors("statement.json")["cases"][0]["epoch"].clone();
    e["participants"][2]["update"][1] = json!(70000);
    let epoch = dir.join("bad.epoch.json");
    std::fs::write(&epoch, e.to_string()).unwrap();
    let out = dir.join("never.json");
    let o = poa(&["attribute", "--epoch", s(&epoch), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("bad.epoch.json") && err.contains("participants[2].update[1]"),
        "{err}"
    );
    assert!(!out.exists(), "no partial output");

    let o = poa(&[
        "attribute",
        "--epoch",
        "/nonexistent.json",
        "--out",
        s(&out),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent.json"));

    let o = poa(&["attribute", "--epoch"]);
    assert_eq!(o.status.code(), Some(2), "usage error");

    // The output folder does not exist: an error naming it, not a panic.
    let good = dir.join("good.epoch.json");
    std::fs::write(
        &good,
        vectors("statement.json")["cases"][0]["epoch"].to_string(),
    )
    .unwrap();
    let o = poa(&[
        "attribute",
        "--epoch",
        s(&good),
        "--out",
        "/nonexistent/dir/claim.json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/dir/claim.json"));
}

#[test]
fn inclusion_path_leads_to_q() {
    let dir = tmp("inclusion");
    let (epoch, claim) = hand_claim(&dir);
    let q = read_json(&claim)["Q"].as_str().unwrap().to_string();
    for slot in 0..3 {
        let out = dir.join(format!("slot{slot}.json"));
        let o = poa(&[
            "inclusion",
            "--epoch",
            s(&epoch),
            "--slot",
            &slot.to_string(),
            "--out",
            s(&out),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let file = InclusionFile::read(&out).unwrap();
        let (path, leaf, root) = file.parse().unwrap();
        assert_eq!(root, parse_fr("Q", &q).unwrap());
        assert_eq!(path.root_from(leaf), root);
        // A wrong leaf does not lead to Q.
        assert_ne!(path.root_from(leaf + poa_circuits::Fr::from(1u64)), root);
    }
    let o = poa(&[
        "inclusion",
        "--epoch",
        s(&epoch),
        "--slot",
        "3",
        "--out",
        s(&dir.join("x.json")),
    ]);
    assert_eq!(o.status.code(), Some(2), "slot 3 is padding");
}

#[test]
fn dataset_commit_matches_vectors() {
    let dir = tmp("dataset");
    for (i, case) in vectors("dataset.json")["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let records: Vec<&str> = case["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        // CRLF endings and blank lines must not change the records.
        let file = dir.join(format!("d{i}.jsonl"));
        std::fs::write(&file, records.join("\r\n\n") + "\n").unwrap();
        let salt: u128 = case["salt"].as_str().unwrap().parse().unwrap();
        let o = poa(&[
            "dataset",
            "commit",
            s(&file),
            "--salt",
            &format!("0x{salt:x}"),
            "--json",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let out: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(out["dataset"]["commitment"], case["commitment"]);
        assert_eq!(out["dataset"]["records"], json!(records.len()));

        // A different salt gives a different commitment.
        let o = poa(&[
            "dataset",
            "commit",
            s(&file),
            "--salt",
            &format!("0x{:x}", salt + 1),
            "--json",
        ]);
        let other: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_ne!(other["dataset"]["commitment"], case["commitment"]);

        let path_file = dir.join(format!("r{i}.json"));
        let last = records.len() - 1;
        let o = poa(&[
            "dataset",
            "prove-record",
            s(&file),
            "--index",
            &last.to_string(),
            "--out",
            s(&path_file),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let (path, leaf, root) = InclusionFile::read(&path_file).unwrap().parse().unwrap();
        assert_eq!(
            leaf,
            poa_circuits::dataset::bytes_hash(records[last].as_bytes())
        );
        assert_eq!(path.root_from(leaf), root);
        let o = poa(&[
            "dataset",
            "prove-record",
            s(&file),
            "--index",
            &records.len().to_string(),
            "--out",
            s(&path_file),
        ]);
        assert_eq!(o.status.code(), Some(2), "index past the end");
    }
    // Whole files as records; a salt that is not hex; no salt at all.
    let whole = dir.join("whole.txt");
    std::fs::write(&whole, "only one record").unwrap();
    let o = poa(&[
        "dataset",
        "commit",
        s(&whole),
        "--whole-files",
        "--salt",
        "5",
        "--json",
    ]);
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        out["dataset"]["commitment"],
        vectors("dataset.json")["datasets"][0]["commitment"]
    );
    let o = poa(&["dataset", "commit", s(&whole), "--salt", "xyz"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not hex"));
    let o = poa(&["dataset", "commit", s(&whole)]);
    assert_eq!(o.status.code(), Some(2), "a salt is required");
    // A fresh salt is written once and never overwritten.
    let salt_file = dir.join("salt.txt");
    let _ = std::fs::remove_file(&salt_file);
    assert!(
        poa(&["dataset", "commit", s(&whole), "--new-salt", s(&salt_file)])
            .status
            .success()
    );
    let o = poa(&["dataset", "commit", s(&whole), "--new-salt", s(&salt_file)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        poa(&["dataset", "commit", s(&whole), "--salt-file", s(&salt_file)])
            .status
            .success()
    );
}

#[test]
fn quantize_rounds_half_away_from_zero_and_counts_clipping() {
    let dir = tmp("quantize");
    let input = dir.join("f.json");
    std::fs::write(&input, "[0.5, -0.5, 1.49, -2.5, 100000.0, -100000.0, 0.0]").unwrap();
    let out = dir.join("q.json");
    let o = poa(&[
        "fingerprint",
        "quantize",
        "--scale-exp",
        "0",
        s(&input),
        s(&out),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read_json(&out), json!([1, -1, 1, -3, 32767, -32768, 0]));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["clipped"], json!(2));
    // Scale 2^2, .npy out, read back as an update file.
    let npy = dir.join("q.npy");
    assert!(poa(&[
        "fingerprint",
        "quantize",
        "--scale-exp",
        "2",
        s(&input),
        s(&npy)
    ])
    .status
    .success());
    let back = poa_circuits::formats::read_int16_file(&npy).unwrap();
    assert_eq!(back, vec![2, -2, 6, -10, 32767, -32768, 0]);
    // Not finite (NaN in a .npy of <f8): input error naming the entry, no output.
    let mut header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }".to_string();
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut npy_f8 = b"\x93NUMPY\x01\x00".to_vec();
    npy_f8.extend_from_slice(&(header.len() as u16).to_le_bytes());
    npy_f8.extend_from_slice(header.as_bytes());
    npy_f8.extend_from_slice(&1.0f64.to_le_bytes());
    npy_f8.extend_from_slice(&f64::NAN.to_le_bytes());
    let nan = dir.join("nan.npy");
    std::fs::write(&nan, npy_f8).unwrap();
    let bad_out = dir.join("never.json");
    let o = poa(&[
        "fingerprint",
        "quantize",
        "--scale-exp",
        "0",
        s(&nan),
        s(&bad_out),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nan.npy: entry [1]"), "{}", stderr(&o));
    assert!(!bad_out.exists());
    // Malformed JSON input names the file.
    std::fs::write(&input, "[1.0, ").unwrap();
    let o = poa(&[
        "fingerprint",
        "quantize",
        "--scale-exp",
        "0",
        s(&input),
        s(&bad_out),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("f.json"), "{}", stderr(&o));
}

#[test]
fn demo_runs_and_json_is_machine_readable() {
    let o = poa(&["demo", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(out["ok"], json!(true));
    assert!(out["audits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a == &json!(true)));
    assert_eq!(out["proofValid"], json!(true));
    assert_eq!(out["forgedClaimRejected"], json!(true));
    assert_eq!(out["forgedClaimRevertedOnChain"], json!(true));
    assert_eq!(out["claimedOnChain"], json!(true));
    assert!(
        out["spearman"].as_f64().unwrap() >= 0.8,
        "{}",
        out["spearman"]
    );
    let contributors = out["contributors"].as_array().unwrap();
    assert_eq!(contributors.len(), 10);
    for c in contributors {
        // Claimed on chain: the proven payout plus the dataset's license fee.
        let claimed: u128 = c["claimed"].as_str().unwrap().parse().unwrap();
        let payout: u128 = c["payout"].as_str().unwrap().parse().unwrap();
        let fee: u128 = c["fee"].as_str().unwrap().parse().unwrap();
        assert_eq!(claimed, payout + fee, "{c}");
    }
    // The trainer: the developer share and dust below n, nothing more; the
    // compute provider its share.
    let int = |k: &str| -> u128 { out[k].as_str().unwrap().parse().unwrap() };
    assert!(int("dust") < 10);
    assert_eq!(int("trainerClaimed"), int("developerShare") + int("dust"));
    assert_eq!(int("computeClaimed"), int("computeShare"));
    assert!(int("computeShare") > 0);
}

/// A `poa` built without the `plonky2` feature (the stable build) answers
/// every plonky2 command with how to build one that has it: exit 2, no
/// output file. Its twin with the feature is `tests/plonky2.rs`.
#[cfg(not(feature = "plonky2"))]
#[test]
fn plonky2_commands_say_how_to_build_the_backend() {
    let dir = tmp("no-plonky2");
    let out = dir.join("p2");
    for args in [
        vec![
            "setup",
            "--backend=plonky2",
            "--shape=4x5",
            "--out",
            s(&out),
        ],
        vec!["bench", "--backend=plonky2", "--shape=4x5"],
    ] {
        let o = poa(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let text = String::from_utf8_lossy(&o.stdout).to_string() + &stderr(&o);
        assert!(text.contains("--features plonky2"), "{args:?}: {text}");
    }
    assert!(!out.exists(), "no output without the backend");
}

/// A small `poa bench-quality`: every section of the report is there, the
/// goals are judged, and the figures are PNG files under 100 KB.
#[test]
fn bench_quality_reports_goals_and_writes_small_figures() {
    let dir = tmp("bench-quality");
    let fig = dir.join("fig");
    let o = poa(&[
        "bench-quality",
        "--seeds=2",
        "--contributors=14",
        "--lds-subsets=20",
        "--banzhaf-samples=20",
        "--curve-seeds=1",
        "--sybil-seeds=1",
        "--sybil-max=1",
        "--shapley-seeds=1",
        "--shapley-contributors=5",
        "--threads=2",
        "--json",
        "--figures",
        s(&fig),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    let r = &out["report"];
    assert_eq!(r["seeds"].as_array().unwrap().len(), 2);
    assert_eq!(r["roster"].as_array().unwrap().len(), 14);
    assert_eq!(r["curve"].as_array().unwrap().len(), 14);
    assert!(r["goals"].as_array().unwrap().len() >= 5);
    assert!(r["lines"][0]["summary"]["median"]["value"]
        .as_f64()
        .is_some());
    for name in ["lambda.png", "scatter.png", "sybil.png"] {
        let bytes = std::fs::read(fig.join(name)).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{name}");
        assert!(bytes.len() < 100_000, "{name}: {} bytes", bytes.len());
    }
}

/// The twin: nothing to measure is a usage error (exit 2), and no figure
/// is written.
#[test]
fn bench_quality_without_seeds_is_an_error() {
    let dir = tmp("bench-quality-none");
    let fig = dir.join("fig");
    let o = poa(&["bench-quality", "--seeds=0", "--figures", s(&fig)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no seeds"), "{}", stderr(&o));
    assert!(!fig.exists());
}
