//! groth16-cp keys from a multi-party phase 2 (`poa ceremony init
//! --backend groth16-cp`, `docs/groth16-cp.md` §6): two contributions and a
//! beacon, verified against phase 1, finalized into keys that `poa prove`,
//! `poa verify` and `poa export-verifier --backend groth16-cp` use. Each
//! accepted case has its refused twin: `[σγ]₂` moved without a proof of
//! knowledge, or `[η/γ]₁` (the contribution is named), a tampered `pok_ck`, `ck` or
//! `eta_delta` (the final key's checks), a proof checked under another
//! key, the key's QAP reduction forgotten, and `export-zkey` of a CP state.
//!
//! Phase 1 is a 2^13 `.ptau` of known τ (`common::write_ptau_tau`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use ark_bn254::Fr;
use ark_ec::CurveGroup;
use common::{
    arg, ceremony_verify, contribute_then_beacon, lists_contributions_then_a_beacon, poa, printed,
    write_ptau_tau,
};
use poa_prover::groth16::ceremony::cp::{self, CpKey};
use poa_prover::groth16::ceremony::zkey::Zkey;
use poa_prover::groth16::ceremony::{files, Error};
use poa_prover::groth16::Qap;
use poa_prover::groth16_cp::{prove_statement, setup_insecure, ProvingKeyFile, PK_MAGIC_SNARKJS};
use poa_verifier::groth16_cp::{verify, VerifyingKeyFile, PK_MAGIC};
use rand_chacha::rand_core::SeedableRng;

const SHAPE: &str = "4x5";

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\n{}",
        o.status.code(),
        printed(o)
    );
}

fn dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("poa-ceremony-cp-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The library's verification of a groth16-cp state against `init`.
fn check(z: &Zkey, key: &CpKey, init: &(Zkey, CpKey), path: &Path) -> Result<usize, Error> {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
    cp::verify(z, key, &init.0, &init.1, path, &mut rng).map(|l| l.len())
}

#[test]
fn cp_ceremony_with_beacon_finalizes_proves_verifies_and_refuses_tampering() {
    let d = dir("mpc");
    let ptau = d.join("pot13.ptau");
    write_ptau_tau(&ptau, 13, 3, true, None);
    let c = |i: usize| d.join(format!("c{i}.ceremony"));
    ok(&poa(&[
        "ceremony",
        "init",
        "--backend",
        "groth16-cp",
        "--ptau",
        arg(&ptau),
        "--shape",
        SHAPE,
        "--out",
        arg(&c(0)),
        "--verify-ptau",
        "sampled",
    ]));
    // snarkjs cannot prove this circuit: no `.zkey` of it.
    let zkey = d.join("c0.zkey");
    let o = poa(&[
        "ceremony",
        "export-zkey",
        "--in",
        arg(&c(0)),
        "--out",
        arg(&zkey),
    ]);
    assert!(!o.status.success(), "export-zkey of a CP state succeeded");
    assert!(
        printed(&o).contains("groth16-cp ceremony"),
        "{}",
        printed(&o)
    );
    assert!(!zkey.exists());
    // Nor is a CP state read as a plain one.
    let e = files::read_state(&c(0)).unwrap_err();
    assert!(e.to_string().contains("groth16-cp"), "{e}");

    let hashes = contribute_then_beacon(
        &c,
        &["alice", "bob"],
        "0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",
    );
    let (o, j) = ceremony_verify(&ptau, &c(3));
    let code = o.status.code();
    assert_eq!(code, Some(0), "{j}");
    lists_contributions_then_a_beacon(&j, &hashes);

    // Finalize: groth16-cp key files, the record naming the ceremony.
    let params = d.join("params");
    ok(&poa(&[
        "ceremony",
        "finalize",
        "--ptau",
        arg(&ptau),
        "--in",
        arg(&c(3)),
        "--out",
        arg(&params),
    ]));
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(params.join("groth16-cp.json")).unwrap())
            .unwrap();
    assert_eq!(record["backend"], "groth16-cp");
    assert_eq!(record["qap"], "snarkjs");
    assert_eq!(record["ceremony"]["contributions"], 3);
    assert_eq!(record["ceremony"]["transcriptHash"], j["transcriptHash"]);
    assert!(record.get("insecure").is_none());
    let pk_bytes = std::fs::read(params.join("groth16-cp.pk")).unwrap();
    assert!(pk_bytes.starts_with(PK_MAGIC_SNARKJS));

    // `poa attribute`, `prove`, `verify` with them; no insecure-key warning.
    let epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    assert_eq!(epoch.shape.to_string(), SHAPE);
    let epoch_path = d.join("epoch.json");
    let file = poa_circuits::formats::EpochFile::from_epoch(&epoch);
    std::fs::write(&epoch_path, poa_circuits::formats::pretty(&file)).unwrap();
    let (claim, proof) = (d.join("claim.json"), d.join("proof.json"));
    ok(&poa(&[
        "attribute",
        "--epoch",
        arg(&epoch_path),
        "--out",
        arg(&claim),
    ]));
    let o = poa(&[
        "prove",
        "--backend",
        "groth16-cp",
        "--params",
        arg(&params),
        "--epoch",
        arg(&epoch_path),
        "--out",
        arg(&proof),
    ]);
    ok(&o);
    assert!(!printed(&o).contains("WARNING"), "{}", printed(&o));
    // A single-party key is warned about even without its setup record.
    let single = d.join("single");
    ok(&poa(&[
        "setup",
        "--backend",
        "groth16-cp",
        "--shape",
        SHAPE,
        "--out",
        arg(&single),
        "--insecure-single-party",
    ]));
    std::fs::remove_file(single.join("groth16-cp.json")).unwrap();
    let o = poa(&[
        "prove",
        "--backend",
        "groth16-cp",
        "--params",
        arg(&single),
        "--epoch",
        arg(&epoch_path),
        "--out",
        arg(&d.join("single-proof.json")),
    ]);
    ok(&o);
    assert!(printed(&o).contains("WARNING"), "{}", printed(&o));
    let verify_cli = |params: &Path| {
        poa(&[
            "verify",
            "--backend",
            "groth16-cp",
            "--params",
            arg(params),
            "--claim",
            arg(&claim),
            "--proof",
            arg(&proof),
        ])
        .status
        .code()
    };
    assert_eq!(verify_cli(&params), Some(0));
    // The verifier contract renders from the ceremony's key.
    let vk = VerifyingKeyFile::read(&params.join("groth16-cp.vk")).unwrap();
    poa_verifier::solidity::Groth16CpTemplate::new(&vk.vk, SHAPE.into(), "0x00".into()).unwrap();
    ok(&poa(&[
        "export-verifier",
        "--backend",
        "groth16-cp",
        "--params",
        arg(&params),
        "--out",
        arg(&d.join("PoaGroth16CpVerifier.sol")),
    ]));

    // Under another key (an insecure single-party setup), the same proof
    // is refused, and that key's proofs under the ceremony's.
    let shape = SHAPE.parse().unwrap();
    let other = setup_insecure(shape, Some([9; 32])).unwrap();
    assert_eq!(other.qap, Qap::Libsnark);
    assert!(other.to_bytes().starts_with(PK_MAGIC));
    let other_params = d.join("other");
    std::fs::create_dir_all(&other_params).unwrap();
    std::fs::write(
        other_params.join("groth16-cp.vk"),
        other.verifying_key().to_bytes(),
    )
    .unwrap();
    assert_eq!(verify_cli(&other_params), Some(1));
    let pk = ProvingKeyFile::read(&params.join("groth16-cp.pk")).unwrap();
    assert_eq!(pk.qap, Qap::Snarkjs);
    let (mine, inputs, _) = prove_statement(&pk, epoch.clone()).unwrap();
    assert!(verify(&pk.pk.vk, &mine, &inputs));
    assert!(!verify(&other.pk.vk, &mine, &inputs));
    let (theirs, _, _) = prove_statement(&other, epoch.clone()).unwrap();
    assert!(!verify(&pk.pk.vk, &theirs, &inputs));
    // The key's H query is for snarkjs's reduction: proving with arkworks'
    // gives a proof that does not verify (the prover's own check says so).
    let forgetful = ProvingKeyFile {
        shape,
        pk: pk.pk.clone(),
        qap: Qap::Libsnark,
    };
    let e = prove_statement(&forgetful, epoch).unwrap_err();
    assert!(e.to_string().contains("does not verify"), "{e}");

    // Tampered transcripts, at the library level against one recomputed
    // initial state.
    let (_, last, key) = files::read_any_with(&c(3), true).unwrap();
    let key = key.unwrap();
    let init = cp::initial_for(&ptau, shape, None, &last, &c(3)).unwrap();
    assert_eq!(check(&last, &key, &init, &c(3)).unwrap(), 3);
    let two = Fr::from(2u64);
    // [σγ]₂ moved by bob without a proof of knowledge: his [σγ]₂ doubled,
    // and everything after it rescaled as a forger who knew σ would.
    let (mut forged, mut fkey) = (last.clone(), key.clone());
    for contribution in &mut forged.contributions[1..] {
        let p = contribution.cp.as_mut().unwrap();
        p.sigma_gamma_after = (p.sigma_gamma_after * two).into_affine();
    }
    fkey.sigma_gamma_g2 = (fkey.sigma_gamma_g2 * two).into_affine();
    fkey.pok_blind = (fkey.pok_blind * two).into_affine();
    for p in fkey.pok_ck.iter_mut() {
        *p = (*p * two).into_affine();
    }
    let e = check(&forged, &fkey, &init, &c(3)).unwrap_err();
    assert!(
        matches!(&e, Error::Contribution { index: 2, name: Some(n), .. } if n == "bob"),
        "{e}"
    );
    assert!(e.to_string().contains("[σγ]₂"), "{e}");
    // [η/γ]₁ moved by alice without a proof of knowledge, the rest rescaled.
    let (mut moved, mut mkey) = (last.clone(), key.clone());
    for contribution in &mut moved.contributions {
        let p = contribution.cp.as_mut().unwrap();
        p.ck_blind_after = (p.ck_blind_after * two).into_affine();
    }
    for p in [&mut mkey.ck_blind, &mut mkey.pok_blind, &mut mkey.eta_delta] {
        *p = (*p * two).into_affine();
    }
    let e = check(&moved, &mkey, &init, &c(3)).unwrap_err();
    assert!(
        matches!(&e, Error::Contribution { index: 1, name: Some(n), .. } if n == "alice"),
        "{e}"
    );
    assert!(e.to_string().contains("[η/γ]₁"), "{e}");
    // Through the CLI: refused (exit 1) naming bob; finalize writes nothing.
    let bad = d.join("forged.ceremony");
    files::write_any(&bad, shape, &forged, Some(&fkey)).unwrap();
    let (o, j) = ceremony_verify(&ptau, &bad);
    let code = o.status.code();
    assert_eq!(code, Some(1), "{j}");
    assert!(
        j["reason"]
            .as_str()
            .unwrap()
            .contains("contribution #2 (bob)"),
        "{j}"
    );
    let none = d.join("no-params");
    let o = poa(&[
        "ceremony",
        "finalize",
        "--ptau",
        arg(&ptau),
        "--in",
        arg(&bad),
        "--out",
        arg(&none),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", printed(&o));
    assert!(!none.join("groth16-cp.pk").exists());

    // The final key's checks, each naming what is wrong.
    type Change = fn(&mut CpKey);
    for (what, change) in [
        // One proof-of-knowledge base not σ times its commitment base.
        (
            "pok_ck",
            (|k: &mut CpKey| k.pok_ck[5] = (k.pok_ck[5] * Fr::from(2u64)).into_affine()) as Change,
        ),
        // A commitment base changed, its twin with it (so pok_ck = σ·ck
        // still holds): not the phase-1 one.
        ("commitment key ck", |k| {
            k.ck[5] = (k.ck[5] * Fr::from(2u64)).into_affine();
            k.pok_ck[5] = (k.pok_ck[5] * Fr::from(2u64)).into_affine();
        }),
        ("eta_delta", |k| {
            k.eta_delta = (k.eta_delta * Fr::from(2u64)).into_affine()
        }),
        // The blind's proof-of-knowledge base not σ times the blind.
        ("pok_blind", |k| {
            k.pok_blind = (k.pok_blind * Fr::from(2u64)).into_affine()
        }),
    ] {
        let mut k = key.clone();
        change(&mut k);
        let e = check(&last, &k, &init, &c(3)).unwrap_err();
        assert!(matches!(&e, Error::Transcript { .. }), "{what}: {e}");
        assert!(e.to_string().contains(what), "{what}: {e}");
    }
    // Another committed-wire list (two entries swapped, with their bases):
    // not the circuit's.
    let mut k = key.clone();
    k.committed.swap(0, 1);
    k.ck.swap(0, 1);
    k.pok_ck.swap(0, 1);
    let e = check(&last, &k, &init, &c(3)).unwrap_err();
    assert!(
        matches!(&e, Error::WrongCircuit { .. }),
        "committed list: {e}"
    );
    // A committed wire's L entry put back (not the identity).
    let mut z = last.clone();
    let w = key.committed[0] as usize;
    z.l[w] = key.ck[0];
    let e = check(&z, &key, &init, &c(3)).unwrap_err();
    assert!(
        e.to_string().contains("not the identity") || e.to_string().contains("L"),
        "L entry: {e}"
    );
    // The final [σγ]₂ not the last contribution's (the whole key scaled
    // consistently, so only the chain's end can tell).
    let mut k = key.clone();
    k.sigma_gamma_g2 = (k.sigma_gamma_g2 * Fr::from(2u64)).into_affine();
    k.pok_blind = (k.pok_blind * Fr::from(2u64)).into_affine();
    for p in k.pok_ck.iter_mut() {
        *p = (*p * Fr::from(2u64)).into_affine();
    }
    assert!(
        check(&last, &k, &init, &c(3)).is_err(),
        "final [σγ]₂ off the chain"
    );
    let _ = std::fs::remove_dir_all(&d);
}
