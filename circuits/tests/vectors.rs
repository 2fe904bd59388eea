//! Every vector of `vectors/` reproduced bit for bit.

use std::path::PathBuf;

use poa_circuits::commit::{pack, vec_hash};
use poa_circuits::dataset::{bytes_hash, Dataset};
use poa_circuits::field::{fr_to_decimal, parse_fr};
use poa_circuits::formats::{Claim, EpochFile};
use poa_circuits::poseidon::hash;
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn poseidon_all_widths() {
    let cases = load("poseidon.json");
    let mut widths = std::collections::BTreeSet::new();
    for case in cases["cases"].as_array().unwrap() {
        let inputs: Vec<_> = strs(&case["inputs"])
            .iter()
            .map(|s| parse_fr("input", s).unwrap())
            .collect();
        let out = hash(&inputs).unwrap();
        assert_eq!(
            fr_to_decimal(&out),
            case["output"].as_str().unwrap(),
            "k = {}",
            inputs.len()
        );
        widths.insert(inputs.len());
    }
    assert_eq!(widths.len(), 16, "vectors cover H_1 … H_16");
}

#[test]
fn poseidon_rejects_bad_arity() {
    assert!(matches!(
        hash(&[]),
        Err(poa_circuits::Error::PoseidonArity(0))
    ));
    let seventeen = vec![poa_circuits::Fr::from(1u64); 17];
    assert!(matches!(
        hash(&seventeen),
        Err(poa_circuits::Error::PoseidonArity(17))
    ));
}

#[test]
fn packing_and_vec_hash() {
    let cases = load("vechash.json");
    for case in cases["cases"].as_array().unwrap() {
        let x: Vec<i16> = case["vector"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap() as i16)
            .collect();
        let packed: Vec<String> = pack(&x).iter().map(fr_to_decimal).collect();
        assert_eq!(packed, strs(&case["packed"]), "D = {}", x.len());
        assert_eq!(
            fr_to_decimal(&vec_hash(&x)),
            case["vecHash"].as_str().unwrap()
        );
    }
}

#[test]
fn bytes_hash_and_dataset_commitments() {
    let v = load("dataset.json");
    for case in v["bytesHash"].as_array().unwrap() {
        let record = case["record"].as_str().unwrap();
        assert_eq!(
            fr_to_decimal(&bytes_hash(record.as_bytes())),
            case["hash"].as_str().unwrap(),
            "record of {} bytes",
            record.len()
        );
    }
    for case in v["datasets"].as_array().unwrap() {
        let records: Vec<String> = strs(&case["records"]);
        let salt = parse_fr("salt", case["salt"].as_str().unwrap()).unwrap();
        let dataset = Dataset::new(&records).unwrap();
        assert_eq!(
            fr_to_decimal(&dataset.commitment(salt)),
            case["commitment"].as_str().unwrap()
        );
    }
}

#[test]
fn statement_cases() {
    let v = load("statement.json");
    let dir = tempdir();
    for case in v["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, case["epoch"].to_string()).unwrap();
        let epoch = EpochFile::read(&path).unwrap();
        let att = epoch.attribute().unwrap();
        let e = &case["expected"];
        let dec = |xs: &[poa_circuits::Fr]| xs.iter().map(fr_to_decimal).collect::<Vec<_>>();
        assert_eq!(
            fr_to_decimal(&att.validation_commitment),
            e["V"].as_str().unwrap(),
            "{name}: V"
        );
        assert_eq!(dec(&att.update_commitments), strs(&e["U"]), "{name}: U");
        assert_eq!(dec(&att.leaves), strs(&e["leaves"]), "{name}: leaves");
        assert_eq!(
            fr_to_decimal(&att.root),
            e["Q"].as_str().unwrap(),
            "{name}: Q"
        );
        let scores: Vec<String> = att.scores.iter().map(|s| s.to_string()).collect();
        assert_eq!(scores, strs(&e["scores"]), "{name}: scores");
        assert_eq!(
            att.split.total.to_string(),
            e["S"].as_str().unwrap(),
            "{name}: S"
        );
        let payouts: Vec<String> = att.split.payouts.iter().map(|a| a.to_string()).collect();
        assert_eq!(payouts, strs(&e["payouts"]), "{name}: payouts");
        assert_eq!(
            att.split.dust.to_string(),
            e["dust"].as_str().unwrap(),
            "{name}: dust"
        );
        assert_eq!(
            fr_to_decimal(&att.gamma),
            e["gamma"].as_str().unwrap(),
            "{name}: gamma"
        );
        assert_eq!(fr_to_decimal(&att.h), e["h"].as_str().unwrap(), "{name}: h");
        assert_eq!(
            dec(&att.public_inputs()),
            strs(&e["publicInputs"]),
            "{name}: public inputs"
        );
        // The claim file round-trips.
        let claim = Claim::new(&epoch, &att);
        let claim_path = dir.join(format!("{name}.claim.json"));
        std::fs::write(&claim_path, claim.to_json()).unwrap();
        assert_eq!(Claim::read(&claim_path).unwrap(), claim);
    }
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("poa-vectors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
