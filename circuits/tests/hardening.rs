//! Hostile inputs to the file parsers (issue 13): vector files outside the
//! epoch file's folder, devices, FIFOs, huge or truncated files, absurd
//! `.npy` headers, inclusion paths of the wrong depth. Each is refused with
//! an error naming the file and the field, never a panic, a hang or a huge
//! read.

use std::path::{Path, PathBuf};

use poa_circuits::formats::goldilocks::GoldilocksInclusion;
use poa_circuits::formats::npy::{self, Encoding, MAX_HEADER_BYTES};
use poa_circuits::formats::{npy_int16, parse_npy, pretty, Claim, EpochFile, InclusionFile};
use poa_circuits::merkle;
use poa_circuits::statement::{Epoch, Shape};
use poa_circuits::{Error, Fr, Problem};
use serde_json::{json, Value};

fn hand_epoch() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors/statement.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["cases"][0]["epoch"].clone()
}

/// A fresh folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("poa-hardening-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn update0() -> Vec<i16> {
    hand_epoch()["participants"][0]["update"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap() as i16)
        .collect()
}

fn raw(values: &[i16]) -> Vec<u8> {
    values.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// Writes an epoch file in `dir` whose participant 2 names `vector`, and
/// reads it.
fn epoch_naming(dir: &Path, vector: &str) -> (PathBuf, Result<Epoch, Error>) {
    let mut e = hand_epoch();
    e["participants"][2]["update"] = json!(vector);
    let path = dir.join("epoch.json");
    std::fs::write(&path, e.to_string()).unwrap();
    let r = EpochFile::read(&path);
    (path, r)
}

/// The vector-file problem of a field error on `field` of `file`, after
/// checking that its text names the epoch file, the field and the vector
/// file.
fn vector_problem(r: Result<Epoch, Error>, file: &Path, field: &str) -> (PathBuf, String) {
    let e = r.expect_err("refused");
    let text = e.to_string();
    match e {
        Error::Field {
            file: Some(f),
            field: name,
            problem: Problem::VectorFile { path, reason },
        } => {
            assert_eq!(f, file, "{text}");
            assert_eq!(name, field, "{text}");
            assert!(text.contains(&file.display().to_string()), "{text}");
            assert!(text.contains(&format!("`{field}`")), "{text}");
            assert!(text.contains(&path.display().to_string()), "{text}");
            (path, reason)
        }
        other => panic!("expected a vector file error on {field}, got {other:?}"),
    }
}

#[test]
fn honest_vector_files_load() {
    let dir = folder("honest");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("u.npy"), npy_int16(&update0())).unwrap();
    std::fs::write(dir.join("sub/u.bin"), raw(&update0())).unwrap();
    let mut e = hand_epoch();
    e["participants"][2]["update"] = e["participants"][0]["update"].clone();
    let inline = EpochFile::parse_bytes(e.to_string().as_bytes(), &dir, Path::new("x.json"))
        .unwrap()
        .attribute()
        .unwrap();
    for name in ["u.npy", "sub/u.bin", "./sub/u.bin"] {
        let (_, r) = epoch_naming(&dir, name);
        assert_eq!(r.unwrap().attribute().unwrap().root, inline.root, "{name}");
    }
    #[cfg(unix)]
    {
        // A symlink inside the folder to a file inside it is fine.
        std::os::unix::fs::symlink(dir.join("sub/u.bin"), dir.join("link.bin")).unwrap();
        let (_, r) = epoch_naming(&dir, "link.bin");
        assert_eq!(r.unwrap().attribute().unwrap().root, inline.root);
    }
}

#[test]
fn absolute_path_is_refused() {
    let dir = folder("absolute");
    let target = dir.join("u.bin");
    std::fs::write(&target, raw(&update0())).unwrap();
    let (path, r) = epoch_naming(&dir, &target.display().to_string());
    let (named, reason) = vector_problem(r, &path, "participants[2].update");
    assert_eq!(named, target);
    assert!(reason.contains("absolute path"), "{reason}");
}

#[test]
fn parent_component_is_refused() {
    let dir = folder("dotdot");
    std::fs::write(dir.join("u.bin"), raw(&update0())).unwrap();
    let inner = dir.join("inner");
    std::fs::create_dir_all(&inner).unwrap();
    for name in ["../u.bin", "x/../../u.bin", "./../u.bin"] {
        let (path, r) = epoch_naming(&inner, name);
        let (_, reason) = vector_problem(r, &path, "participants[2].update");
        assert!(reason.contains("`..`"), "{name}: {reason}");
    }
    // Even `..` that would stay inside.
    std::fs::write(inner.join("u.bin"), raw(&update0())).unwrap();
    let (path, r) = epoch_naming(&inner, "x/../u.bin");
    assert!(vector_problem(r, &path, "participants[2].update")
        .1
        .contains("`..`"));
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_folder_is_refused() {
    let dir = folder("symlink");
    let outside = folder("symlink-outside").join("u.bin");
    std::fs::write(&outside, raw(&update0())).unwrap();
    let inner = dir.join("epoch");
    std::fs::create_dir_all(&inner).unwrap();
    std::os::unix::fs::symlink(&outside, inner.join("u.bin")).unwrap();
    let (path, r) = epoch_naming(&inner, "u.bin");
    let (named, reason) = vector_problem(r, &path, "participants[2].update");
    assert_eq!(named, inner.join("u.bin"));
    assert!(
        reason.contains("outside the epoch file's folder"),
        "{reason}"
    );
    // A symlinked folder out of it too.
    std::os::unix::fs::symlink(outside.parent().unwrap(), inner.join("d")).unwrap();
    let (path, r) = epoch_naming(&inner, "d/u.bin");
    assert!(vector_problem(r, &path, "participants[2].update")
        .1
        .contains("outside"));
}

#[cfg(unix)]
#[test]
fn dev_zero_through_a_symlink_is_refused() {
    let dir = folder("devzero");
    for name in ["zero.bin", "zero.npy"] {
        std::os::unix::fs::symlink("/dev/zero", dir.join(name)).unwrap();
        let (path, r) = epoch_naming(&dir, name);
        let (_, reason) = vector_problem(r, &path, "participants[2].update");
        assert!(reason.contains("/dev/zero"), "{reason}");
    }
    // Read directly (no folder to escape), a device is not a regular file.
    for encoding in [Encoding::Raw, Encoding::Npy] {
        let e = npy::read_int16_vector(Path::new("/dev/zero"), encoding, 5).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
    }
    let e = poa_circuits::formats::read_int16_file(Path::new("/dev/zero")).unwrap_err();
    assert!(e.to_string().contains("not a regular file"), "{e}");
}

#[cfg(unix)]
#[test]
fn fifo_inside_the_folder_is_refused_without_blocking() {
    let dir = folder("fifo");
    let fifo = dir.join("pipe.bin");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("no mkfifo here: skipped");
        return;
    }
    // Opening a FIFO with no writer would block: it is refused before.
    let (path, r) = epoch_naming(&dir, "pipe.bin");
    let (_, reason) = vector_problem(r, &path, "participants[2].update");
    assert!(reason.contains("not a regular file"), "{reason}");
}

#[test]
fn a_folder_is_not_a_vector_file() {
    let dir = folder("folder");
    std::fs::create_dir_all(dir.join("u.npy")).unwrap();
    let (path, r) = epoch_naming(&dir, "u.npy");
    let (_, reason) = vector_problem(r, &path, "participants[2].update");
    assert!(reason.contains("not a regular file"), "{reason}");
}

#[test]
fn wrong_size_is_refused_before_reading() {
    let dir = folder("size");
    let mut long = raw(&update0());
    long.extend_from_slice(&[0, 0]);
    std::fs::write(dir.join("long.bin"), long).unwrap();
    let (path, r) = epoch_naming(&dir, "long.bin");
    let (_, reason) = vector_problem(r, &path, "participants[2].update");
    assert_eq!(
        reason,
        "12 bytes, expected 10 (D = 5 little-endian int16 entries)"
    );
    std::fs::write(dir.join("odd.bin"), [1u8, 2, 3]).unwrap();
    let (path, r) = epoch_naming(&dir, "odd.bin");
    assert!(vector_problem(r, &path, "participants[2].update")
        .1
        .starts_with("3 bytes, expected 10"));
    // A 10 GiB (sparse) file is refused from its size alone, at once.
    let big = dir.join("big.npy");
    let f = std::fs::File::create(&big).unwrap();
    if f.set_len(10 << 30).is_ok() {
        let start = std::time::Instant::now();
        let (path, r) = epoch_naming(&dir, "big.npy");
        let (_, reason) = vector_problem(r, &path, "participants[2].update");
        assert!(
            reason.starts_with("10737418240 bytes, expected 20 to"),
            "{reason}"
        );
        assert!(start.elapsed().as_secs() < 5, "read only the metadata");
    }
    drop(f);
    let _ = std::fs::remove_file(&big);
    // The validation vector's field is named too.
    let mut e = hand_epoch();
    e["validation"]["vector"] = json!("long.bin");
    let path = dir.join("v.json");
    std::fs::write(&path, e.to_string()).unwrap();
    vector_problem(EpochFile::read(&path), &path, "validation.vector");
}

#[test]
fn truncated_npy_is_refused() {
    let dir = folder("truncated");
    let good = npy_int16(&update0());
    // Cut in the data or in the header (138 bytes: a 128-byte preamble and
    // header, 10 data bytes); each passes the size check (20 bytes or more).
    for (cut, expect) in [
        (good.len() - 3, "7 data bytes for 5 entries"),
        (100, "truncated .npy header"),
        (30, "truncated .npy header"),
    ] {
        std::fs::write(dir.join("t.npy"), &good[..cut]).unwrap();
        let (path, r) = epoch_naming(&dir, "t.npy");
        let (named, reason) = vector_problem(r, &path, "participants[2].update");
        assert_eq!(named, dir.join("t.npy"));
        assert!(reason.contains(expect), "cut {cut}: {reason}");
    }
    // Shorter than any .npy of D entries: refused by size.
    std::fs::write(dir.join("t.npy"), &good[..12]).unwrap();
    let (path, r) = epoch_naming(&dir, "t.npy");
    assert!(vector_problem(r, &path, "participants[2].update")
        .1
        .starts_with("12 bytes, expected 20 to"));
    // Every prefix of a good file is refused by the byte parser, no panic.
    let p = Path::new("prefix.npy");
    for cut in 0..good.len() {
        assert!(npy::parse_i16(p, &good[..cut], 5).is_err(), "{cut}");
        assert!(parse_npy(p, &good[..cut]).is_err(), "{cut}");
    }
    assert_eq!(npy::parse_i16(p, &good, 5).unwrap(), update0());
}

/// A `.npy` of version 2 whose header length field says `len`.
fn npy_v2_with_header_len(len: u32, header: &str, data: &[u8]) -> Vec<u8> {
    let mut out = b"\x93NUMPY\x02\x00".to_vec();
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(data);
    out
}

#[test]
fn absurd_npy_header_length_is_refused() {
    let dir = folder("header");
    let header = "{'descr': '<i2', 'fortran_order': False, 'shape': (5,), }\n";
    let data = raw(&update0());
    let p = Path::new("h.npy");
    // The honest v2 file parses.
    let ok = npy_v2_with_header_len(header.len() as u32, header, &data);
    assert_eq!(npy::parse_i16(p, &ok, 5).unwrap(), update0());
    // 4 GiB, or just past the bound: refused without slicing past the end.
    for len in [u32::MAX, u32::MAX - 11, (MAX_HEADER_BYTES + 1) as u32] {
        let bytes = npy_v2_with_header_len(len, header, &data);
        let e = npy::parse_i16(p, &bytes, 5).unwrap_err().to_string();
        assert!(e.contains(&format!(".npy header of {len} bytes")), "{e}");
        let e = parse_npy(p, &bytes).unwrap_err().to_string();
        assert!(e.contains("truncated .npy header"), "{e}");
        std::fs::write(dir.join("h.npy"), &bytes).unwrap();
        let (path, r) = epoch_naming(&dir, "h.npy");
        let (_, reason) = vector_problem(r, &path, "participants[2].update");
        assert!(reason.contains(".npy header of"), "{reason}");
    }
    // A shape whose byte count overflows, a wrong count, floats, 2-D.
    for (header, expect) in [
        (
            "{'descr': '<i2', 'fortran_order': False, 'shape': (18446744073709551615,), }",
            "data bytes for 18446744073709551615 entries",
        ),
        (
            "{'descr': '<i2', 'fortran_order': False, 'shape': (99999999999999999999,), }",
            "bad shape",
        ),
        (
            "{'descr': '<i2', 'fortran_order': False, 'shape': (4,), }",
            "10 data bytes for 4 entries",
        ),
        (
            "{'descr': '<f2', 'fortran_order': False, 'shape': (5,), }",
            "dtype <f2 is not supported",
        ),
        (
            "{'descr': '<i2', 'fortran_order': False, 'shape': (5,1), }",
            "one-dimensional",
        ),
    ] {
        let bytes = npy_v2_with_header_len(header.len() as u32, header, &data);
        let e = npy::parse_i16(p, &bytes, 5).unwrap_err().to_string();
        assert!(e.contains(expect), "{header}: {e}");
    }
    let floats = npy_v2_with_header_len(
        60,
        "{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }  ",
        &[0, 0],
    );
    assert!(npy::parse_i16(p, &floats, 1).is_err());
    // Entries other than D: named with D.
    let e = npy::parse_i16(p, &npy_int16(&[1, 2, 3]), 5)
        .unwrap_err()
        .to_string();
    assert!(e.contains("has 3 entries, expected D = 5"), "{e}");
    // Version 1 and no version.
    assert!(npy::parse_i16(p, b"\x93NUMPY\x01\x00\xff", 5).is_err());
    assert!(npy::parse_i16(p, b"\x93NUMPY", 5).is_err());
    assert!(npy::parse_i16(p, b"\x93NUMPY\x09\x00\x00\x00\x00\x00", 5).is_err());
    // The raw parser wants exactly 2·D bytes.
    assert!(npy::parse_raw_i16(p, &data, usize::MAX).is_err());
    assert_eq!(npy::parse_raw_i16(p, &data, 5).unwrap(), update0());
    assert!(Encoding::Npy.size_bounds(usize::MAX).is_none());
}

#[test]
fn vector_file_needs_a_folder() {
    let mut e = hand_epoch();
    e["participants"][2]["update"] = json!("u.bin");
    let file: EpochFile = serde_json::from_value(e).unwrap();
    match file.parse(None) {
        Err(Error::Field {
            field,
            problem: Problem::VectorFile { .. },
            ..
        }) => assert_eq!(field, "participants[2].update"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn no_vector_file_is_read_for_more_participants_than_slots() {
    let dir = folder("many");
    let mut e = hand_epoch();
    let p = e["participants"][0].clone();
    let list = e["participants"].as_array_mut().unwrap();
    for _ in 0..5 {
        let mut q = p.clone();
        q["update"] = json!("/dev/zero");
        list.push(q);
    }
    let path = dir.join("epoch.json");
    std::fs::write(&path, e.to_string()).unwrap();
    match EpochFile::read(&path) {
        Err(Error::Field { field, problem, .. }) => {
            assert_eq!(field, "participants");
            assert_eq!(problem, Problem::TooManyParticipants { n: 8, slots: 4 });
        }
        other => panic!("{other:?}"),
    }
}

/// A slot path of the hand epoch (N = 4, 2 siblings), as JSON.
fn slot_path(slot: usize) -> (Value, Shape) {
    let epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    let att = epoch.attribute().unwrap();
    let path = merkle::path(&att.leaves, slot).unwrap();
    let d = epoch.participants[slot].dataset;
    let u = att.update_commitments[slot];
    let file = InclusionFile::new("slot", att.leaves[slot], &[d, u], &path, att.root);
    (serde_json::from_str(&pretty(&file)).unwrap(), epoch.shape)
}

/// The field error of reading inclusion file `v`, its text checked to name
/// the file and the field.
fn inclusion_error(name: &str, v: &Value, field: &str) -> Problem {
    let dir = folder("inclusion");
    let path = dir.join(name);
    std::fs::write(&path, v.to_string()).unwrap();
    let e = InclusionFile::read(&path).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains(name) && text.contains(&format!("`{field}`")),
        "{text}"
    );
    // The byte-level parser says the same.
    let again = InclusionFile::parse_bytes(v.to_string().as_bytes(), &path).unwrap_err();
    assert_eq!(again.to_string(), text);
    match e {
        Error::Field {
            file: Some(f),
            field: got,
            problem,
        } => {
            assert_eq!(f, path);
            assert_eq!(got, field);
            problem
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn inclusion_depth_and_index_are_checked() {
    let (good, shape) = slot_path(1);
    let path = Path::new("good.json");
    let file = InclusionFile::parse_bytes(good.to_string().as_bytes(), path).unwrap();
    let (p, leaf, root) = file.parse_under(&shape).unwrap();
    assert_eq!(p.root_from(leaf), root);

    // One sibling too many: read (N unknown) accepts 3, the claim's shape
    // (N = 4) wants exactly 2.
    let mut three = good.clone();
    three["siblings"].as_array_mut().unwrap().push(json!("5"));
    let f = InclusionFile::parse_bytes(three.to_string().as_bytes(), path).unwrap();
    let e = f.parse_under(&shape).unwrap_err().to_string();
    assert!(e.contains("`siblings`") && e.contains("log2 N"), "{e}");
    let mut one = good.clone();
    one["siblings"].as_array_mut().unwrap().pop();
    let f = InclusionFile::parse_bytes(one.to_string().as_bytes(), path).unwrap();
    assert!(f.parse_under(&shape).is_err());

    // 17 and 70 siblings: more than any N ≤ 2^16 (70 would overflow a
    // 64-bit shift).
    for count in [17usize, 70] {
        let mut many = good.clone();
        many["siblings"] = json!(vec!["1"; count]);
        let p = inclusion_error(&format!("s{count}.json"), &many, "siblings");
        assert!(
            p.to_string().contains(&format!("has {count} entries")),
            "{p}"
        );
        // A record path is bounded too.
        many["kind"] = json!("record");
        many["preimage"] = json!([]);
        if count > 32 {
            inclusion_error(&format!("r{count}.json"), &many, "siblings");
        }
    }
    // No siblings: not a slot path (N ≥ 2).
    let mut none = good.clone();
    none["siblings"] = json!([]);
    inclusion_error("s0.json", &none, "siblings");

    // index ≥ N = 2^siblings.
    for index in [4u64, 1 << 40, u64::MAX] {
        let mut far = good.clone();
        far["index"] = json!(index);
        let p = inclusion_error(&format!("i{index}.json"), &far, "index");
        assert!(matches!(p, Problem::OutOfRange { .. }), "{p}");
        assert!(p.to_string().contains("4 leaves"), "{p}");
    }

    // A hand-made path of 70 siblings and a huge index: no shift overflow.
    let long = merkle::MerklePath {
        index: usize::MAX,
        siblings: vec![Fr::from(1u64); 70],
    };
    let _ = long.root_from(Fr::from(2u64));
    assert_eq!(merkle::bit(usize::MAX, 70), 0);
    assert_eq!(merkle::bit(5, 2), 1);
}

#[test]
fn goldilocks_inclusion_depth_and_index_are_checked() {
    let digest = |x: u64| json!([x.to_string(), "0", "0", "0"]);
    let good = json!({
        "format": "poa-inclusion", "version": 1, "kind": "goldilocksSlot",
        "index": 1, "D": "77", "U": digest(1), "leaf": digest(2),
        "siblings": [digest(3), digest(4)], "root": digest(5),
    });
    let path = Path::new("gl.json");
    let ok = GoldilocksInclusion::parse_bytes(good.to_string().as_bytes(), path).unwrap();
    assert_eq!(ok.siblings.len(), 2);
    for (name, field, edit) in [
        (
            "gl70.json",
            "siblings",
            json!({"siblings": vec![digest(3); 70]}),
        ),
        (
            "gl17.json",
            "siblings",
            json!({"siblings": vec![digest(3); 17]}),
        ),
        ("gl0.json", "siblings", json!({"siblings": []})),
        ("gli.json", "index", json!({"index": 4})),
        ("glmax.json", "index", json!({"index": u64::MAX})),
    ] {
        let mut v = good.clone();
        for (k, x) in edit.as_object().unwrap() {
            v[k] = x.clone();
        }
        let e = GoldilocksInclusion::parse_bytes(v.to_string().as_bytes(), Path::new(name))
            .unwrap_err()
            .to_string();
        assert!(e.contains(name) && e.contains(&format!("`{field}`")), "{e}");
    }
}

#[test]
fn byte_level_parsers_never_panic_on_garbage() {
    let p = Path::new("garbage");
    let dir = folder("garbage");
    let inputs: Vec<Vec<u8>> = vec![
        vec![],
        b"{".to_vec(),
        b"null".to_vec(),
        b"[]".to_vec(),
        vec![0xff, 0xfe, 0x00],
        b"{\"epoch\": 5}".to_vec(),
        b"{\"format\": \"poa-inclusion\", \"version\": 1, \"kind\": \"slot\"}".to_vec(),
        b"\x93NUMPY\x03\x00\xff\xff\xff\xff".to_vec(),
    ];
    for bytes in &inputs {
        assert!(EpochFile::parse_bytes(bytes, &dir, p).is_err());
        assert!(Claim::parse_bytes(bytes, p).is_err());
        assert!(InclusionFile::parse_bytes(bytes, p).is_err());
        assert!(GoldilocksInclusion::parse_bytes(bytes, p).is_err());
        assert!(npy::parse_i16(p, bytes, 5).is_err());
        assert!(parse_npy(p, bytes).is_err());
    }
}

#[test]
fn claim_parse_bytes_round_trips() {
    let epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    let claim = Claim::new(&epoch, &epoch.attribute().unwrap());
    let back = Claim::parse_bytes(claim.to_json().as_bytes(), Path::new("c.json")).unwrap();
    assert_eq!(back, claim);
}
