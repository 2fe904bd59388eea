//! Each bad input is refused with its specific error, naming file and field.

use std::path::PathBuf;

use poa_circuits::formats::{Claim, EpochFile};
use poa_circuits::{Error, Problem};
use serde_json::{json, Value};

fn hand_epoch() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors/statement.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["cases"][0]["epoch"].clone()
}

fn write(name: &str, body: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("poa-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path
}

fn read_epoch(
    name: &str,
    epoch: &Value,
) -> (PathBuf, Result<poa_circuits::statement::Epoch, Error>) {
    let path = write(name, &epoch.to_string());
    let r = EpochFile::read(&path);
    (path, r)
}

fn field_error(r: Result<impl std::fmt::Debug, Error>, path: &PathBuf, field: &str) -> Problem {
    match r {
        Err(Error::Field {
            file,
            field: f,
            problem,
        }) => {
            assert_eq!(file.as_ref(), Some(path), "error names the file");
            assert_eq!(f, field, "error names the field");
            problem
        }
        other => panic!("expected a field error on {field}, got {other:?}"),
    }
}

#[test]
fn the_unmodified_epoch_is_accepted() {
    let (_, r) = read_epoch("ok.json", &hand_epoch());
    assert_eq!(r.unwrap().active(), 3);
}

#[test]
fn entry_outside_int16() {
    for (bad, name) in [(32768, "hi.json"), (-32769, "lo.json")] {
        let mut e = hand_epoch();
        e["participants"][1]["update"][3] = json!(bad);
        let (path, r) = read_epoch(name, &e);
        let p = field_error(r, &path, "participants[1].update[3]");
        assert!(matches!(p, Problem::OutOfRange { .. }), "{p:?}");
    }
    let mut e = hand_epoch();
    e["validation"]["vector"][0] = json!(40000);
    let (path, r) = read_epoch("v.json", &e);
    assert!(matches!(
        field_error(r, &path, "validation.vector[0]"),
        Problem::OutOfRange { .. }
    ));
}

#[test]
fn more_participants_than_slots() {
    let mut e = hand_epoch();
    e["N"] = json!(2);
    let (path, r) = read_epoch("n.json", &e);
    assert_eq!(
        field_error(r, &path, "participants"),
        Problem::TooManyParticipants { n: 3, slots: 2 }
    );
}

#[test]
fn slot_count_not_a_power_of_two() {
    for (n, name) in [(6, "n6.json"), (1, "n1.json"), (1 << 17, "n17.json")] {
        let mut e = hand_epoch();
        e["N"] = json!(n);
        let (path, r) = read_epoch(name, &e);
        assert_eq!(field_error(r, &path, "N"), Problem::SlotCount(n));
    }
}

#[test]
fn dimension_mismatch() {
    let mut e = hand_epoch();
    e["participants"][2]["update"].as_array_mut().unwrap().pop();
    let (path, r) = read_epoch("d.json", &e);
    assert_eq!(
        field_error(r, &path, "participants[2].update"),
        Problem::Length {
            expected: 5,
            found: 4
        }
    );
    let mut e = hand_epoch();
    e["D"] = json!(0);
    let (path, r) = read_epoch("d0.json", &e);
    assert!(matches!(
        field_error(r, &path, "D"),
        Problem::OutOfRange { .. }
    ));
}

#[test]
fn field_element_not_below_r() {
    let r_str = "21888242871839275222246405745257275088548364400416034343698204186575808495617";
    let mut e = hand_epoch();
    e["participants"][0]["salt"] = json!(r_str);
    let (path, r) = read_epoch("r.json", &e);
    assert_eq!(
        field_error(r, &path, "participants[0].salt"),
        Problem::NotInField(r_str.into())
    );
    let mut e = hand_epoch();
    e["participants"][1]["D"] = json!("0xzz");
    let (path, r) = read_epoch("hex.json", &e);
    assert_eq!(
        field_error(r, &path, "participants[1].D"),
        Problem::NotANumber("0xzz".into())
    );
}

#[test]
fn zero_dataset_commitment_for_an_active_slot() {
    let mut e = hand_epoch();
    e["participants"][1]["D"] = json!("0");
    let (path, r) = read_epoch("zero.json", &e);
    assert_eq!(
        field_error(r, &path, "participants[1].D"),
        Problem::ZeroDataset
    );
}

#[test]
fn pool_too_large() {
    let mut e = hand_epoch();
    e["pool"] = json!("79228162514264337593543950336"); // 2^96
    let (path, r) = read_epoch("pool.json", &e);
    assert!(matches!(
        field_error(r, &path, "pool"),
        Problem::OutOfRange { .. }
    ));
    e["pool"] = json!("79228162514264337593543950335");
    assert!(read_epoch("pool-ok.json", &e).1.is_ok());
}

#[test]
fn context_word_beyond_256_bits() {
    let mut e = hand_epoch();
    e["ctx"]["modelId"] = json!(format!("0x1{}", "0".repeat(64)));
    let (path, r) = read_epoch("ctx.json", &e);
    assert!(matches!(
        field_error(r, &path, "ctx.modelId"),
        Problem::OutOfRange { .. }
    ));
}

#[test]
fn malformed_json() {
    let path = write("bad.json", "{\"N\": 4, ");
    match EpochFile::read(&path) {
        Err(Error::Json { path: p, .. }) => assert_eq!(p, path),
        other => panic!("expected a JSON error, got {other:?}"),
    }
    let mut e = hand_epoch();
    e.as_object_mut().unwrap().remove("validation");
    let path = write("missing-key.json", &e.to_string());
    assert!(matches!(EpochFile::read(&path), Err(Error::Json { .. })));
}

#[test]
fn missing_file() {
    let path = PathBuf::from("/nonexistent/epoch.json");
    match EpochFile::read(&path) {
        Err(Error::Io { path: p, cause }) => {
            assert_eq!(p, path);
            assert_eq!(cause.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected an I/O error, got {other:?}"),
    }
    let mut e = hand_epoch();
    e["participants"][0]["update"] = json!("no-such-update.npy");
    let (path, r) = read_epoch("vecfile.json", &e);
    match field_error(r, &path, "participants[0].update") {
        Problem::VectorFile { path: p, .. } => {
            assert_eq!(p, path.parent().unwrap().join("no-such-update.npy"))
        }
        other => panic!("expected a vector file problem, got {other:?}"),
    }
}

#[test]
fn binary_update_files() {
    let e = hand_epoch();
    let update: Vec<i16> = e["participants"][0]["update"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap() as i16)
        .collect();
    let npy = poa_circuits::formats::npy_int16(&update);
    write("u0.npy", "");
    let dir = write("u0.npy", "").parent().unwrap().to_path_buf();
    std::fs::write(dir.join("u0.npy"), npy).unwrap();
    std::fs::write(
        dir.join("u0.bin"),
        update
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let inline = read_epoch("inline.json", &e)
        .1
        .unwrap()
        .attribute()
        .unwrap();
    for name in ["u0.npy", "u0.bin"] {
        let mut f = e.clone();
        f["participants"][0]["update"] = json!(name);
        let from_file = read_epoch("file.json", &f).1.unwrap().attribute().unwrap();
        assert_eq!(from_file.root, inline.root, "{name}");
    }
    // A truncated binary file has the wrong size.
    std::fs::write(dir.join("short.bin"), [1u8, 0, 2, 0]).unwrap();
    let mut f = e.clone();
    f["participants"][0]["update"] = json!("short.bin");
    let (path, r) = read_epoch("short.json", &f);
    assert_eq!(
        field_error(r, &path, "participants[0].update"),
        Problem::VectorFile {
            path: dir.join("short.bin"),
            reason: "4 bytes, expected 10 (D = 5 little-endian int16 entries)".into()
        }
    );
}

#[test]
fn claim_with_wrong_lengths_or_version() {
    let (path, r) = read_epoch("c.json", &hand_epoch());
    let _ = path;
    let epoch = r.unwrap();
    let att = epoch.attribute().unwrap();
    let claim = Claim::new(&epoch, &att);
    let mut v: Value = serde_json::from_str(&claim.to_json()).unwrap();
    v["payouts"].as_array_mut().unwrap().pop();
    let path = write("claim-len.json", &v.to_string());
    assert_eq!(
        field_error(Claim::read(&path), &path, "payouts"),
        Problem::Length {
            expected: 3,
            found: 2
        }
    );
    let mut v: Value = serde_json::from_str(&claim.to_json()).unwrap();
    v["version"] = json!(99);
    let path = write("claim-ver.json", &v.to_string());
    assert!(matches!(
        field_error(Claim::read(&path), &path, "format"),
        Problem::Mismatch { .. }
    ));
}

/// An error as anyhow's `{:#}` prints it: its text, then each `source()`
/// joined with ": ".
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    parts.join(": ")
}

#[test]
fn each_cause_is_printed_once() {
    // A missing file: the OS error once.
    let missing = EpochFile::read(&PathBuf::from("/nonexistent")).unwrap_err();
    let text = chain(&missing);
    let os = std::io::Error::from(std::io::ErrorKind::NotFound).to_string();
    assert!(text.starts_with("/nonexistent: "), "{text}");
    assert_eq!(text.matches("os error").count(), 1, "{text}");
    assert!(!text.contains(&format!("{os}: {os}")), "{text}");
    assert!(Claim::read(&PathBuf::from("/nonexistent")).is_err());
    let claim = chain(&Claim::read(&PathBuf::from("/nonexistent/c.json")).unwrap_err());
    assert_eq!(claim.matches("os error").count(), 1, "{claim}");

    // Malformed JSON: serde's message once, after the file.
    let mut e = hand_epoch();
    e.as_object_mut().unwrap().remove("D");
    let path = write("chain-missing-d.json", &e.to_string());
    let text = chain(&EpochFile::read(&path).unwrap_err());
    assert_eq!(
        text,
        format!("{}: malformed JSON: missing field `D`", path.display())
    );
    let path = write("chain-syntax.json", "{\"N\": 4, ");
    let text = chain(&EpochFile::read(&path).unwrap_err());
    assert_eq!(text.matches("EOF while parsing").count(), 1, "{text}");

    // A missing vector file: the OS error once, with file, field and vector.
    let mut e = hand_epoch();
    e["participants"][1]["update"] = json!("gone.bin");
    let (path, r) = read_epoch("chain-vector.json", &e);
    let text = chain(&r.unwrap_err());
    assert!(
        text.starts_with(&format!(
            "{}: field `participants[1].update`: vector file ",
            path.display()
        )) && text.contains("gone.bin"),
        "{text}"
    );
    assert_eq!(text.matches("os error").count(), 1, "{text}");

    // No error of the library exposes a source.
    assert!(std::error::Error::source(&missing).is_none());
}
