//! `poa setup|prove|verify|export-verifier --backend halo2` end to end: an
//! honest proof verifies (exit 0), the EVM verifier is written in parts; a claim moving one wei, a flipped proof byte, a proof
//! of the other backend and a corrupted key file are rejected or refused
//! with the file named.

mod common;

use std::path::PathBuf;

use common::{
    dir_with_vector_epoch, poa, setup_attribute_prove_with, verifies_and_rejects_forgeries,
    verify_with,
};

#[test]
fn halo2_cli_setup_prove_verify_and_rejections() {
    let (dir, epoch_path) = dir_with_vector_epoch("h2", "hand");
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();

    let out = s(&dir.join("x"));
    let setup = |extra: &[&str]| {
        let mut args = vec![
            "setup",
            "--backend",
            "halo2",
            "--shape",
            "4x5",
            "--out",
            &out,
        ];
        args.extend_from_slice(extra);
        poa(&args)
    };
    let o = setup(&[]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "halo2 setup without an SRS is refused"
    );
    let missing = s(&dir.join("missing.srs"));
    let o = setup(&["--srs", &missing]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.srs"));

    let p = setup_attribute_prove_with(&dir, "halo2", "4x5", &epoch_path);
    // A claim moving one wei (γ and h recomputed by the verifier) and a
    // flipped proof byte (checksum fixed) are rejections, not errors.
    let (_, mut file) = verifies_and_rejects_forgeries("halo2", &dir, &p, 200);
    let verify = |claim: &PathBuf, proof: &PathBuf| verify_with("halo2", &p, claim, proof);

    // A Groth16 proof file is refused by name.
    file["backend"] = "groth16".into();
    let other = dir.join("other.json");
    std::fs::write(&other, serde_json::to_string(&file).unwrap()).unwrap();
    let o = verify(&p.claim, &other);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("other.json"));

    // The EVM verifier: the entry, its parts and the adapter, written; the
    // entry names every part (contracts/tests/halo2.rs compiles and runs them).
    let sol = dir.join("sol").join("Halo2Verifier.sol");
    let o = poa(&[
        "export-verifier",
        "--backend",
        "halo2",
        "--params",
        &s(&p.params),
        "--out",
        &s(&sol),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let entry = std::fs::read_to_string(&sol).unwrap();
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let parts = report["parts"].as_array().unwrap();
    assert!(
        !parts.is_empty(),
        "the verifier fits one contract: {report}"
    );
    for part in parts {
        let path = PathBuf::from(part.as_str().unwrap());
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        assert!(path.exists() && entry.contains(&name), "{name}");
    }
    assert!(sol.with_file_name("PoaHalo2Verifier.sol").exists());

    // A corrupted verifying key is an error naming the file.
    let vk = p.params.join("halo2.vk");
    let mut key = std::fs::read(&vk).unwrap();
    let last = key.len() - 1;
    key[last] ^= 1;
    std::fs::write(&vk, key).unwrap();
    let o = verify(&p.claim, &p.proof);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("halo2.vk"));
    let _ = std::fs::remove_dir_all(&dir);
}
