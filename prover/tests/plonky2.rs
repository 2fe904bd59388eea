//! `poa setup|prove|verify --backend plonky2` end to end (a nightly build
//! with `--features plonky2`): an honest proof verifies (exit 0); a claim
//! moving one wei and a flipped proof byte are rejected (exit 1); circuits
//! of another shape are refused (exit 2, file named).

mod common;

use std::path::PathBuf;

use common::{poa, setup_attribute_prove_with};
use poa_circuits::formats::{Claim, EpochFile};

#[test]
fn plonky2_cli_setup_prove_verify_and_rejections() {
    let dir = std::env::temp_dir().join(format!("poa-p2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();
    let epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    let epoch_path = dir.join("epoch.json");
    std::fs::write(
        &epoch_path,
        poa_circuits::formats::pretty(&EpochFile::from_epoch(&epoch)),
    )
    .unwrap();
    let p = setup_attribute_prove_with(&dir, "plonky2", "4x5", &epoch_path);
    let verify = |claim: &PathBuf, proof: &PathBuf| {
        poa(&[
            "verify",
            "--backend",
            "plonky2",
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

    let mut claim = Claim::read(&p.claim).unwrap();
    let rich = claim.public.payouts.iter().position(|&a| a > 0).unwrap();
    let n = claim.public.payouts.len();
    claim.public.payouts[rich] -= 1;
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
    assert!(String::from_utf8_lossy(&o.stderr).contains("another pool, dataset or payout"));

    // The last bytes are the public inputs: flip one, fix the checksum.
    let mut file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&p.proof).unwrap()).unwrap();
    let mut bytes = hex::decode(file["proof"].as_str().unwrap().trim_start_matches("0x")).unwrap();
    let last = bytes.len() - 1;
    bytes[last - 40] ^= 1;
    file["proof"] = format!("0x{}", hex::encode(&bytes)).into();
    file["checksum"] = format!("0x{}", hex::encode(poa_verifier::container::keccak(&bytes))).into();
    let tampered = dir.join("tampered.json");
    std::fs::write(&tampered, serde_json::to_string(&file).unwrap()).unwrap();
    assert_eq!(verify(&p.claim, &tampered).status.code(), Some(1));

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
