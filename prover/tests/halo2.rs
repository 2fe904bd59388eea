//! `poa setup|prove|verify|export-verifier --backend halo2` end to end: an
//! honest proof verifies (exit 0), the EVM verifier is written in parts
//! with its compiled bytecode; a claim moving one wei, a flipped proof byte,
//! a proof of the other backend and a corrupted key file are rejected or
//! refused with the file named. The params folder is not trusted: a key
//! that its SRS and shape do not give (another SRS, another shape) and an
//! SRS that is not the one setup recorded are refused by `verify` and
//! `export-verifier`; the SRS's digest is recorded and reported, with a
//! warning for an insecure one.

mod common;

use std::path::{Path, PathBuf};

use common::{
    arg, dir_with_vector_epoch, json_out, poa, setup_attribute_prove_with,
    verifies_and_rejects_forgeries, verify_with, Proven,
};
use poa_verifier::halo2::VerifyingKeyFile;

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

    // The EVM verifier: the entry, its parts and the adapter, written with
    // their bytecode; the entry names every part and pins its code hash
    // (contracts/tests/halo2.rs deploys and runs them).
    let sol = dir.join("sol").join("Halo2Verifier.sol");
    let o = export(&p.params, &sol);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let entry = std::fs::read_to_string(&sol).unwrap();
    let report = json_out(&o);
    let parts = report["parts"].as_array().unwrap();
    assert!(
        !parts.is_empty(),
        "the verifier fits one contract: {report}"
    );
    let artifacts: serde_json::Value =
        serde_json::from_slice(&std::fs::read(report["artifacts"].as_str().unwrap()).unwrap())
            .unwrap();
    for part in parts {
        let path = PathBuf::from(part.as_str().unwrap());
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        assert!(path.exists() && entry.contains(&name), "{name}");
        let hash = artifacts[&name]["codeHash"].as_str().unwrap();
        let runtime = artifacts[&name]["deployedBytecode"].as_str().unwrap();
        let runtime = hex::decode(runtime.trim_start_matches("0x")).unwrap();
        assert_eq!(
            hash,
            format!(
                "0x{}",
                hex::encode(poa_verifier::container::keccak(&runtime))
            )
        );
        assert!(
            entry.contains(hash.trim_start_matches("0x")),
            "{name}: {hash}"
        );
    }
    for name in ["Halo2Verifier", "PoaHalo2Verifier"] {
        assert!(
            artifacts[name]["bytecode"].as_str().unwrap().len() > 2,
            "{name}"
        );
    }
    assert!(sol.with_file_name("PoaHalo2Verifier.sol").exists());

    untrusted_params_folders_are_refused(&dir, &p);

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

/// `poa export-verifier --backend halo2 --json` of the keys in `params`.
fn export(params: &Path, out: &Path) -> std::process::Output {
    poa(&[
        "export-verifier",
        "--backend",
        "halo2",
        "--params",
        arg(params),
        "--out",
        arg(out),
        "--json",
    ])
}

/// A copy of the params folder `from` at `to`.
fn copy_params(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in ["halo2.srs", "halo2.vk", "halo2.json"] {
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    }
}

/// `verify` and `export-verifier` refuse (exit 2) the params folder at
/// `params`, with an error that contains `file` and `why`.
fn both_refuse(p: &Proven, params: &Path, file: &str, why: &str) {
    let q = Proven {
        params: params.to_path_buf(),
        claim: p.claim.clone(),
        proof: p.proof.clone(),
    };
    let out = params.join("sol").join("Halo2Verifier.sol");
    for (what, o) in [
        ("verify", verify_with("halo2", &q, &p.claim, &p.proof)),
        ("export-verifier", export(params, &out)),
    ] {
        assert_eq!(o.status.code(), Some(2), "{what} {}", params.display());
        let error = json_out(&o)["error"].as_str().unwrap().to_string();
        assert!(
            error.contains(file) && error.contains(why),
            "{what} {}: {error}",
            params.display()
        );
    }
    assert!(!out.exists(), "export-verifier wrote a verifier");
}

/// The params folder is re-derived, not trusted. Honest: the SRS's digest
/// is the setup record's, an insecure SRS is said to be one (and a
/// ceremony's file is not). Replaced: a key of another SRS or of another
/// shape, and a record of another SRS, are refused by verify and
/// export-verifier.
fn untrusted_params_folders_are_refused(dir: &Path, p: &Proven) {
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.params.join("halo2.json")).unwrap()).unwrap();
    let digest = record["srsDigest"].as_str().unwrap().to_string();
    assert_eq!(record["insecure"], true);
    // The digest is the Keccak of the raw file's tail (g2 ‖ s·g2), as a
    // ceremony's file of any k gives it.
    let srs = std::fs::read(p.params.join("halo2.srs")).unwrap();
    let tail = poa_verifier::container::keccak(&srs[srs.len() - 256..]);
    assert_eq!(digest, format!("0x{}", hex::encode(tail)));
    let o = verify_with("halo2", p, &p.claim, &p.proof);
    assert_eq!(o.status.code(), Some(0));
    let srs = &json_out(&o)["srs"];
    assert_eq!(
        (srs["digest"].as_str(), &srs["insecure"]),
        (Some(digest.as_str()), &true.into())
    );
    let warning = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(
        warning.contains("warning") && warning.contains("INSECURE"),
        "{warning}"
    );

    // The same SRS as a ceremony's file: same digest and key, no warning.
    let ceremony = dir.join("ceremony");
    let setup = |out: &Path, shape: &str, srs: &[&str]| {
        let mut args = vec![
            "setup",
            "--backend",
            "halo2",
            "--shape",
            shape,
            "--out",
            arg(out),
        ];
        args.extend_from_slice(srs);
        let o = poa(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let said = setup(
        &ceremony,
        "4x5",
        &["--srs", arg(&p.params.join("halo2.srs"))],
    );
    assert!(said.contains(&format!("SRS digest: {digest}")), "{said}");
    let q = Proven {
        params: ceremony.clone(),
        claim: p.claim.clone(),
        proof: p.proof.clone(),
    };
    let o = verify_with("halo2", &q, &p.claim, &p.proof);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let srs = &json_out(&o)["srs"];
    assert_eq!(
        (srs["digest"].as_str(), &srs["insecure"]),
        (Some(digest.as_str()), &false.into())
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("warning"));

    // halo2.vk replaced by the key of another SRS (same shape).
    let other_srs = dir.join("other-srs");
    setup(&other_srs, "4x5", &["--insecure-single-party"]);
    let swapped = dir.join("swapped-srs");
    copy_params(&p.params, &swapped);
    std::fs::copy(other_srs.join("halo2.vk"), swapped.join("halo2.vk")).unwrap();
    let why = "the verifying key is not the one this SRS and shape 4x5 give";
    both_refuse(p, &swapped, "halo2.vk", why);

    // halo2.vk replaced by the key of another shape under the same SRS,
    // sealed as a 4x5 key (the circuit's columns and gates are the same).
    let other_shape = dir.join("other-shape");
    setup(
        &other_shape,
        "4x6",
        &["--srs", arg(&p.params.join("halo2.srs"))],
    );
    let key = VerifyingKeyFile::read(&other_shape.join("halo2.vk")).unwrap();
    let sealed = VerifyingKeyFile {
        shape: poa_circuits::statement::Shape::new(4, 5).unwrap(),
        vk: key.vk,
    };
    let swapped = dir.join("swapped-shape");
    copy_params(&p.params, &swapped);
    std::fs::write(swapped.join("halo2.vk"), sealed.to_bytes()).unwrap();
    both_refuse(p, &swapped, "halo2.vk", why);

    // The SRS replaced by another (with its own key): not the one setup
    // recorded.
    let swapped = dir.join("swapped-whole-srs");
    copy_params(&p.params, &swapped);
    for f in ["halo2.srs", "halo2.vk"] {
        std::fs::copy(other_srs.join(f), swapped.join(f)).unwrap();
    }
    both_refuse(p, &swapped, "halo2.json", "is not the digest of");
}
