//! Interoperability: `snarkjs groth16 verify` (npm, pinned in
//! `contracts/package.json`) accepts our exported proof and rejects a
//! tampered `public.json`. `scripts/test.sh` installs snarkjs first; set
//! `POA_SKIP_SNARKJS=1` to run the other tests without Node.js.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{poa, setup_attribute_prove, snarkjs, Proven};

fn verify(snarkjs: &Path, dir: &Path, public: &str) -> bool {
    Command::new(snarkjs)
        .args(["groth16", "verify"])
        .arg(dir.join("verification_key.json"))
        .arg(dir.join(public))
        .arg(dir.join("proof.json"))
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn snarkjs_accepts_exported_proofs_and_rejects_tampered_inputs() {
    let Some(snarkjs) = snarkjs() else { return };
    let dir = std::env::temp_dir().join(format!("poa-snarkjs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();
    let vectors =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../circuits/vectors/statement.json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(vectors).unwrap()).unwrap();
    // The extremes case: n = N, all entries at int16 bounds, 2^256 − 1 model id.
    let epoch = dir.join("epoch.json");
    std::fs::write(&epoch, v["cases"][2]["epoch"].to_string()).unwrap();
    let Proven {
        params,
        claim,
        proof,
    } = setup_attribute_prove(&dir, "2x16", &epoch);
    let out = dir.join("sj");
    let o = poa(&[
        "export",
        "snarkjs",
        "--params",
        &s(&params),
        "--claim",
        &s(&claim),
        "--proof",
        &s(&proof),
        "--out",
        &s(&out),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        verify(&snarkjs, &out, "public.json"),
        "snarkjs rejected an honest proof"
    );

    let public: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(out.join("public.json")).unwrap()).unwrap();
    assert_eq!(public.len(), 5);
    for i in 0..5 {
        let mut bad = public.clone();
        let x: num_bigint::BigUint = bad[i].parse().unwrap();
        bad[i] = (x + 1u32).to_string();
        std::fs::write(out.join("bad.json"), serde_json::to_string(&bad).unwrap()).unwrap();
        assert!(
            !verify(&snarkjs, &out, "bad.json"),
            "snarkjs accepted public input {i} + 1"
        );
    }
}
