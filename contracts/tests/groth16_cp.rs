//! The generated groth16-cp verifier (`docs/groth16-cp.md`) on revm with
//! real proofs: an honest proof verifies (gas reported); tampered inputs,
//! another proof's commitment or proof of knowledge, non-canonical
//! coordinates and proofs of the wrong length return false (no revert,
//! given the gas); with too little gas a call reverts or returns false,
//! never true.

mod common;

#[path = "common/tamper.rs"]
mod tamper;

use poa_contracts::build::{compile, has_push0};
use poa_contracts::evm::{Chain, BLOCK_GAS};
use poa_prover::groth16_cp::{prove_statement, setup_insecure};
use poa_verifier::solidity::{cp_proof_bytes, Groth16CpTemplate, INTERFACE};
use revm::primitives::{Address, U256};

#[test]
fn generated_cp_verifier_checks_real_proofs_on_revm() {
    let dir = std::env::temp_dir().join(format!("poa-evm-cp-{}", std::process::id()));
    let epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    let pk = setup_insecure(epoch.shape, Some([5; 32])).unwrap();
    let (proof, inputs, _) = prove_statement(&pk, epoch.clone()).unwrap();
    let (other, _, _) = prove_statement(&pk, epoch).unwrap();
    let source = Groth16CpTemplate::new(&pk.pk.vk, "4x5".into(), "0x".into())
        .unwrap()
        .render();
    let built = compile(
        &dir,
        &[
            ("IPoaVerifier.sol", INTERFACE),
            ("PoaGroth16CpVerifier.sol", &source),
        ],
    )
    .unwrap();
    let artifact = &built["PoaGroth16CpVerifier"];
    assert!(artifact.deployed.len() <= 24_576, "EIP-170");
    assert!(!has_push0(&artifact.deployed), "PUSH0 in a paris build");

    let mut chain = Chain::new();
    let me = Address::with_last_byte(0xaa);
    let verifier = chain
        .deploy(me, "verifier", artifact.bytecode.clone())
        .unwrap();
    let words: [U256; 5] =
        inputs.map(|x| U256::from_be_bytes(poa_circuits::field::fr_to_be_bytes(&x)));
    let pb = cp_proof_bytes(&proof);
    let ob = cp_proof_bytes(&other);
    assert_eq!(pb.len(), 384);
    // The verdict with `gas` for the call: None if it reverted.
    let mut call = |proof: &[u8], inputs: [U256; 5], gas: u64| {
        chain
            .verify_proof(me, verifier, proof, inputs, gas)
            .unwrap()
    };
    let mut check = |proof: &[u8], inputs: [U256; 5]| {
        let (ok, gas) = call(proof, inputs, BLOCK_GAS);
        (ok.expect("verifyProof reverted"), gas)
    };

    let (ok, gas) = check(&pb, words);
    assert!(ok, "honest proof rejected on chain");
    println!("gas: groth16-cp verifyProof {gas} inside the call (plain Groth16: 214,692)");
    assert!(gas <= 290_000, "verifyProof used {gas} gas");
    assert!(check(&ob, words).0, "the second honest proof");

    tamper::rejects_tampering(&mut |p, w| check(p, w).0, &pb, words, 12);
    // Another proof's D (with its π, or alone), another proof's π.
    let mut bad = pb.clone();
    bad[256..].copy_from_slice(&ob[256..]);
    assert!(!check(&bad, words).0, "foreign (D, pi)");
    let mut bad = pb.clone();
    bad[256..320].copy_from_slice(&ob[256..320]);
    assert!(!check(&bad, words).0, "foreign D");
    let mut bad = pb.clone();
    bad[320..].copy_from_slice(&ob[320..]);
    assert!(!check(&bad, words).0, "foreign pi");
    // D = pi = 0.
    let mut bad = pb.clone();
    bad[256..].fill(0);
    assert!(!check(&bad, words).0, "D = pi = 0");
    assert!(!check(&pb[..352], words).0, "short proof");
    assert!(!check(&pb[..383], words).0, "one byte short");
    let mut longer = pb.clone();
    longer.push(0);
    assert!(!check(&longer, words).0, "385 bytes (a trailing zero)");
    // Little gas: the honest proof is not accepted below what it uses (a
    // revert, or false from a starved precompile), and is with twice that.
    for little in [30_000, 150_000, gas - 1] {
        assert_ne!(
            call(&pb, words, little).0,
            Some(true),
            "accepted with {little} gas"
        );
    }
    assert_eq!(
        call(&pb, words, 2 * gas).0,
        Some(true),
        "rejected with {} gas",
        2 * gas
    );
    // A point off the curve burns what the precompile is given: with little
    // gas never true either.
    let mut bad = pb.clone();
    bad[256 + 63] ^= 1; // D.y
    for little in [150_000, gas] {
        assert_ne!(
            call(&bad, words, little).0,
            Some(true),
            "D off the curve, {little} gas"
        );
    }

    tamper::refused_without_precompiles(&artifact.bytecode, &pb, words);
}

/// The settlement contract settles an epoch with a groth16-cp proof
/// through the generated verifier, and refuses a tampered one.
#[test]
fn settlement_settles_with_a_groth16_cp_proof() {
    use poa_contracts::build::compile_settlement;
    let dir = std::env::temp_dir().join(format!("poa-settle-cp-{}", std::process::id()));
    let mut epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    let pk = setup_insecure(epoch.shape, Some([6; 32])).unwrap();
    let source = Groth16CpTemplate::new(&pk.pk.vk, "4x5".into(), "0x".into())
        .unwrap()
        .render();
    let built = compile_settlement(
        &dir,
        &[
            ("IPoaVerifier.sol", INTERFACE),
            ("PoaGroth16CpVerifier.sol", &source),
        ],
    )
    .unwrap();
    let mut chain = Chain::new();
    let me = Address::with_last_byte(0xaa);
    let verifier = chain
        .deploy(
            me,
            "verifier",
            built["PoaGroth16CpVerifier"].bytecode.clone(),
        )
        .unwrap();
    let market = common::open_market(&mut chain, &built, me, verifier, &mut epoch);
    let (proof, inputs, _) = prove_statement(&pk, epoch.clone()).unwrap();
    let words = inputs.map(|x| U256::from_be_bytes(poa_circuits::field::fr_to_be_bytes(&x)));
    let good = cp_proof_bytes(&proof);
    let mut bad = good.clone();
    bad[300] ^= 1; // inside D
    let gas = common::settle(&mut chain, &market, &epoch, words, good, bad);
    println!("gas: settle n = 3 with groth16-cp: {gas}");
}
