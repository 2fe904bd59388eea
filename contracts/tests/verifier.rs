//! The generated Groth16 verifier on revm with real proofs: honest proofs
//! verify within the gas budget; tampered inputs, inputs ≥ r and tampered
//! proofs return false (never revert).

#[path = "common/tamper.rs"]
mod tamper;

use poa_contracts::build::{compile, has_push0};
use poa_contracts::evm::{Chain, BLOCK_GAS};
use poa_prover::groth16::{prove, setup_insecure};
use poa_verifier::solidity::{proof_bytes, Groth16Template, INTERFACE};
use revm::primitives::{Address, U256};

#[test]
fn generated_verifier_checks_real_proofs_on_revm() {
    let dir = std::env::temp_dir().join(format!("poa-evm-{}", std::process::id()));
    let epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    let keys = setup_insecure(epoch.shape, Some([5; 32])).unwrap();
    let (proof, inputs, _) = prove(&keys.pk, epoch).unwrap();
    let source = Groth16Template::new(&keys.vk.vk, "4x5".into(), "0x".into()).render();
    let built = compile(
        &dir,
        &[
            ("IPoaVerifier.sol", INTERFACE),
            ("PoaGroth16Verifier.sol", &source),
        ],
    )
    .unwrap();
    let artifact = &built["PoaGroth16Verifier"];
    assert!(
        artifact.deployed.len() <= 24_576,
        "runtime code {} bytes exceeds EIP-170",
        artifact.deployed.len()
    );
    assert!(!has_push0(&artifact.deployed), "PUSH0 in a paris build");

    let mut chain = Chain::new();
    let me = Address::with_last_byte(0xaa);
    let verifier = chain
        .deploy(me, "verifier", artifact.bytecode.clone())
        .unwrap();
    let words: [U256; 5] =
        inputs.map(|x| U256::from_be_bytes(poa_circuits::field::fr_to_be_bytes(&x)));
    let pb = proof_bytes(&proof);
    let mut check = |proof: &[u8], inputs: [U256; 5]| {
        let (ok, gas) = chain
            .verify_proof(me, verifier, proof, inputs, BLOCK_GAS)
            .unwrap();
        (ok.expect("verifyProof reverted"), gas)
    };

    let (ok, gas) = check(&pb, words);
    assert!(ok, "honest proof rejected on chain");
    println!("gas: verifyProof {gas} inside the call (precompiles alone 211,750)");
    assert!(gas <= 215_000, "verifyProof used {gas} gas");

    tamper::rejects_tampering(&mut |p, w| check(p, w).0, &pb, words, 8);
    // B in real-first order (the classic EVM mistake), A and C swapped, short.
    let mut real_first = pb.clone();
    for (im, re) in [(64, 96), (128, 160)] {
        real_first[im..im + 32].copy_from_slice(&pb[re..re + 32]);
        real_first[re..re + 32].copy_from_slice(&pb[im..im + 32]);
    }
    assert!(!check(&real_first, words).0, "G2 order");
    let mut swapped = pb.clone();
    swapped[..64].copy_from_slice(&pb[192..]);
    swapped[192..].copy_from_slice(&pb[..64]);
    assert!(!check(&swapped, words).0, "A and C swapped");
    assert!(!check(&pb[..224], words).0, "short proof");

    tamper::refused_without_precompiles(&artifact.bytecode, &pb, words);
}
