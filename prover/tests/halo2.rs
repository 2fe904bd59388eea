//! `poa setup|prove|verify --backend halo2` end to end: an honest proof
//! verifies (exit 0); a claim moving one wei, a flipped proof byte, a proof
//! of the other backend and a corrupted key file are rejected or refused
//! with the file named.

mod common;

use std::path::PathBuf;

use common::{poa, setup_attribute_prove_with};
use poa_circuits::formats::{Claim, EpochFile};

#[test]
fn halo2_cli_setup_prove_verify_and_rejections() {
    let dir = std::env::temp_dir().join(format!("poa-h2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();
    let epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    let epoch_path = dir.join("epoch.json");
    std::fs::write(
        &epoch_path,
        poa_circuits::formats::pretty(&EpochFile::from_epoch(&epoch)),
    )
    .unwrap();

    let o = poa(&[
        "setup",
        "--backend",
        "halo2",
        "--shape",
        "4x5",
        "--out",
        &s(&dir.join("x")),
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "halo2 setup without an SRS is refused"
    );
    let o = poa(&[
        "setup",
        "--backend",
        "halo2",
        "--shape",
        "4x5",
        "--out",
        &s(&dir.join("x")),
        "--srs",
        &s(&dir.join("missing.srs")),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.srs"));

    let p = setup_attribute_prove_with(&dir, "halo2", "4x5", &epoch_path);
    let verify = |claim: &PathBuf, proof: &PathBuf| {
        poa(&[
            "verify",
            "--backend",
            "halo2",
            "--params",
            &s(&p.params),
            "--claim",
            &s(claim),
            "--proof",
            &s(proof),
            "--json",
        ])
    };
    let o = verify(&p.claim, &p.proof);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // A claim that moves one wei (γ and h recomputed by the verifier).
    let mut claim = Claim::read(&p.claim).unwrap();
    let rich = claim.public.payouts.iter().position(|&a| a > 0).unwrap();
    claim.public.payouts[rich] -= 1;
    let n = claim.public.payouts.len();
    claim.public.payouts[(rich + 1) % n] += 1;
    let forged = dir.join("forged.json");
    std::fs::write(&forged, poa_circuits::formats::pretty(&claim.to_file())).unwrap();
    let o = verify(&forged, &p.proof);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // A flipped proof byte with its checksum fixed: a rejection, not an error.
    let mut file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&p.proof).unwrap()).unwrap();
    let mut bytes = hex::decode(file["proof"].as_str().unwrap().trim_start_matches("0x")).unwrap();
    bytes[200] ^= 1;
    file["proof"] = format!("0x{}", hex::encode(&bytes)).into();
    file["checksum"] = format!("0x{}", hex::encode(poa_verifier::container::keccak(&bytes))).into();
    let tampered = dir.join("tampered.json");
    std::fs::write(&tampered, serde_json::to_string(&file).unwrap()).unwrap();
    assert_eq!(verify(&p.claim, &tampered).status.code(), Some(1));

    // A Groth16 proof file is refused by name.
    file["backend"] = "groth16".into();
    let other = dir.join("other.json");
    std::fs::write(&other, serde_json::to_string(&file).unwrap()).unwrap();
    let o = verify(&p.claim, &other);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("other.json"));

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
