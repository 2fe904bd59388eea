//! Groth16 end to end: honest proofs verify for several shapes; each
//! tampering of claim, public input, proof or key is rejected.

use std::path::PathBuf;

mod common;

use ark_bn254::{Bn254, Fr};
use ark_groth16::Proof;
use common::{poa, setup_attribute_prove};
use poa_circuits::formats::{Claim, EpochFile};
use poa_circuits::statement::{Epoch, Shape};
use poa_prover::groth16::{prove, setup_insecure, SetupOutput};
use poa_verifier::groth16::{proof_file, verify, verify_inputs, VerifyingKeyFile};
use poa_verifier::ProofFile;

fn vector_epoch(name: &str) -> Epoch {
    poa_circuits::vectors::statement_epoch(name).unwrap()
}

fn setup_keys(shape: Shape, seed: u8) -> SetupOutput {
    setup_insecure(shape, Some([seed; 32])).unwrap()
}

/// A claim edited by `f` with γ, h and the public inputs recomputed, as a
/// cheating trainer would publish it.
fn reclaim(claim: &Claim, f: impl FnOnce(&mut Claim)) -> Claim {
    let mut c = claim.clone();
    f(&mut c);
    let pi = c.public.public_inputs().unwrap();
    c.gamma = pi[3];
    c.h = pi[4];
    c.public_inputs = pi.to_vec();
    c
}

struct Proven {
    claim: Claim,
    file: ProofFile,
    proof: Proof<Bn254>,
    inputs: [Fr; 5],
}

fn prove_epoch(keys: &SetupOutput, epoch: Epoch) -> Proven {
    let att = epoch.attribute().unwrap();
    let claim = Claim::new(&epoch, &att);
    let (proof, inputs, _) = prove(&keys.pk, epoch).unwrap();
    let file = proof_file(claim.shape, keys.vk.digest(), &proof);
    Proven {
        claim,
        file,
        proof,
        inputs,
    }
}

fn accepts(vk: &VerifyingKeyFile, claim: &Claim, p: &Proven) -> bool {
    let v = verify(&PathBuf::from("vk"), vk, claim, &p.file, &p.proof).unwrap();
    v.ok()
}

#[test]
fn honest_proofs_verify_for_several_shapes() {
    // hand: n = 3 < N = 4; no-positive-score: S = 0; extremes: n = N = 2 with
    // every entry at an int16 bound and pool = 2^96 − 1; random-8x40.
    for (name, seed) in [
        ("hand", 1u8),
        ("no-positive-score", 1),
        ("extremes", 2),
        ("random-8x40", 3),
    ] {
        let epoch = vector_epoch(name);
        let keys = setup_keys(epoch.shape, seed);
        let p = prove_epoch(&keys, epoch);
        assert!(accepts(&keys.vk, &p.claim, &p), "{name}");
        assert_eq!(p.inputs.to_vec(), p.claim.public_inputs, "{name}");
    }
    // n = 1: a single contributor takes the whole pool.
    let mut one = vector_epoch("hand");
    one.participants.truncate(1);
    let keys = setup_keys(one.shape, 1);
    let p = prove_epoch(&keys, one);
    assert_eq!(p.claim.public.payouts, vec![p.claim.public.pool]);
    assert!(accepts(&keys.vk, &p.claim, &p), "n = 1");
}

#[test]
fn tampered_claims_public_inputs_proofs_and_keys_are_rejected() {
    let epoch = vector_epoch("hand");
    let keys = setup_keys(epoch.shape, 1);
    let p = prove_epoch(&keys, epoch.clone());
    assert!(accepts(&keys.vk, &p.claim, &p));

    type Edit = Box<dyn Fn(&mut Claim)>;
    let edits: Vec<(&str, Edit)> = vec![
        (
            "payout +1, dust −1",
            Box::new(|c: &mut Claim| {
                c.public.payouts[2] += 1;
                c.dust -= 1;
            }),
        ),
        (
            "two datasets swapped",
            Box::new(|c: &mut Claim| c.public.datasets.swap(0, 1)),
        ),
        ("Q", Box::new(|c: &mut Claim| c.public.q += Fr::from(1u64))),
        ("V", Box::new(|c: &mut Claim| c.public.v += Fr::from(1u64))),
        (
            "pool",
            Box::new(|c: &mut Claim| {
                c.public.pool += 1;
                c.dust += 1;
            }),
        ),
        (
            "another epoch",
            Box::new(|c: &mut Claim| c.public.ctx.epoch += 1u32),
        ),
        (
            "another chain",
            Box::new(|c: &mut Claim| c.public.ctx.chain_id += 1u32),
        ),
        (
            "another contract",
            Box::new(|c: &mut Claim| c.public.ctx.verifier += 1u32),
        ),
        (
            "another model",
            Box::new(|c: &mut Claim| c.public.ctx.model_id += 1u32),
        ),
        (
            "a slot dropped",
            Box::new(|c: &mut Claim| {
                let a = c.public.payouts.pop().unwrap();
                c.public.datasets.pop();
                c.dust += a;
            }),
        ),
    ];
    for (what, edit) in edits {
        let bad = reclaim(&p.claim, edit);
        assert!(
            poa_verifier::check_claim(&bad).unwrap().ok() || what == "a slot dropped",
            "{what}: claim itself is consistent"
        );
        assert!(!accepts(&keys.vk, &bad, &p), "{what} accepted");
    }

    // γ and h as public inputs, bypassing the claim.
    for i in 0..5 {
        let mut inputs = p.inputs;
        inputs[i] += Fr::from(1u64);
        assert!(
            !verify_inputs(&keys.vk.vk, &p.proof, &inputs),
            "public input {i}"
        );
    }
    assert!(verify_inputs(&keys.vk.vk, &p.proof, &p.inputs));

    // Proof bytes: A and C swapped, or A negated.
    let mut swapped = p.proof.clone();
    std::mem::swap(&mut swapped.a, &mut swapped.c);
    assert!(!verify_inputs(&keys.vk.vk, &swapped, &p.inputs));
    let mut negated = p.proof.clone();
    negated.a = -negated.a;
    assert!(!verify_inputs(&keys.vk.vk, &negated, &p.inputs));

    // A verifying key of another setup: refused by digest, and by pairing.
    let other = keys_for_other_setup(epoch.shape);
    let v = verify(&PathBuf::from("vk"), &other.vk, &p.claim, &p.file, &p.proof).unwrap();
    assert!(!v.ok());
    assert!(v.reason.unwrap().contains("made for verifying key"));
    assert!(!verify_inputs(&other.vk.vk, &p.proof, &p.inputs));

    // A key of another shape is an error, not a rejection.
    let wrong_shape = setup_keys(Shape::new(2, 16).unwrap(), 1);
    let e = verify(
        &PathBuf::from("vk"),
        &wrong_shape.vk,
        &p.claim,
        &p.file,
        &p.proof,
    );
    assert!(matches!(e, Err(poa_verifier::Error::ShapeMismatch { .. })));
    assert!(matches!(
        prove(&wrong_shape.pk, epoch),
        Err(poa_prover::Error::ShapeMismatch { .. })
    ));
}

fn keys_for_other_setup(shape: Shape) -> SetupOutput {
    setup_keys(shape, 99)
}

#[test]
fn verifying_key_digest_is_pinned() {
    // Seeded setup of 2x16: the digest changes when the circuit, the key
    // encoding or arkworks' setup changes. Regenerate with
    // `poa setup --shape 2x16 --insecure-single-party --seed 0707…07`.
    let k = setup_keys(Shape::new(2, 16).unwrap(), 7);
    assert_eq!(
        format!("0x{}", hex::encode(k.vk.digest())),
        "0x67cd9ecf04d6473f13a8b2e1eea2341f98b60e34ff35575d79a7bc53a3ea03f7"
    );
}

#[test]
fn cli_setup_prove_verify_and_bad_files() {
    let dir = std::env::temp_dir().join(format!("poa-g16-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();
    let epoch = vector_epoch("hand");
    let epoch_path = dir.join("epoch.json");
    std::fs::write(
        &epoch_path,
        poa_circuits::formats::pretty(&EpochFile::from_epoch(&epoch)),
    )
    .unwrap();
    let params = dir.join("params");

    let o = poa(&["setup", "--shape", "4x5", "--out", &s(&params)]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "setup without --insecure-single-party is refused"
    );
    let proven = setup_attribute_prove(&dir, "4x5", &epoch_path);
    let (params, claim, proof) = (proven.params, proven.claim, proven.proof);
    let verify_args = |claim: &PathBuf, proof: &PathBuf| {
        poa(&[
            "verify",
            "--params",
            &s(&params),
            "--claim",
            &s(claim),
            "--proof",
            &s(proof),
        ])
    };
    assert_eq!(verify_args(&claim, &proof).status.code(), Some(0));

    // The Solidity verifier of these keys, with the interface beside it.
    let sol = dir.join("sol").join("PoaGroth16Verifier.sol");
    std::fs::create_dir_all(sol.parent().unwrap()).unwrap();
    let o = poa(&[
        "export-verifier",
        "--params",
        &s(&params),
        "--out",
        &s(&sol),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = std::fs::read_to_string(&sol).unwrap();
    assert!(text.contains("contract PoaGroth16Verifier is IPoaVerifier"));
    assert!(
        text.contains(out["vkDigest"].as_str().unwrap()),
        "the header names the key"
    );
    assert!(dir.join("sol/IPoaVerifier.sol").exists());
    let o = poa(&[
        "export-verifier",
        "--params",
        "/nonexistent",
        "--out",
        &s(&sol),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/groth16.vk"));

    // A consistent but false claim: exit 1.
    let honest = Claim::read(&claim).unwrap();
    let bad = reclaim(&honest, |c: &mut Claim| {
        c.public.payouts[0] -= 1;
        c.public.payouts[2] += 1;
    });
    let bad_claim = dir.join("bad-claim.json");
    std::fs::write(&bad_claim, bad.to_json()).unwrap();
    let o = verify_args(&bad_claim, &proof);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("pairing check failed"));

    // A proof file whose bytes were edited: checksum error, exit 2.
    let text = std::fs::read_to_string(&proof).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let hexs = v["proof"].as_str().unwrap().to_string();
    let flipped = format!(
        "{}{}",
        &hexs[..hexs.len() - 1],
        if hexs.ends_with('0') { "1" } else { "0" }
    );
    v["proof"] = serde_json::json!(flipped);
    let bad_proof = dir.join("bad-proof.json");
    std::fs::write(&bad_proof, v.to_string()).unwrap();
    let o = verify_args(&claim, &bad_proof);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("checksum"));

    // A truncated verifying key: exit 2 naming the file.
    let vk = params.join("groth16.vk");
    let bytes = std::fs::read(&vk).unwrap();
    std::fs::write(&vk, &bytes[..bytes.len() - 10]).unwrap();
    let o = verify_args(&claim, &proof);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("groth16.vk") && err.contains("truncated"),
        "{err}"
    );
    // One flipped payload byte: checksum mismatch.
    let mut corrupt = bytes.clone();
    let last = corrupt.len() - 1;
    corrupt[last] ^= 1;
    std::fs::write(&vk, &corrupt).unwrap();
    assert!(String::from_utf8_lossy(&verify_args(&claim, &proof).stderr).contains("checksum"));
    // A proving key given as verifying key: wrong magic.
    std::fs::copy(params.join("groth16.pk"), &vk).unwrap();
    assert!(String::from_utf8_lossy(&verify_args(&claim, &proof).stderr).contains("not a POAG16VK"));
}
