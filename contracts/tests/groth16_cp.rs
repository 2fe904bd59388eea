//! The generated groth16-cp verifier (`docs/groth16-cp.md`) on revm with
//! real proofs: an honest proof verifies (gas reported); tampered inputs,
//! another proof's commitment or proof of knowledge, and non-canonical
//! coordinates return false (never revert).

use alloy_sol_types::SolCall;
use poa_contracts::abi::IPoaVerifier;
use poa_contracts::build::{compile, has_push0};
use poa_contracts::evm::Chain;
use poa_prover::groth16_cp::{prove_statement, setup_insecure};
use poa_verifier::solidity::{cp_proof_bytes, Groth16CpTemplate, INTERFACE};
use revm::primitives::{Address, Bytes, U256};

#[test]
fn generated_cp_verifier_checks_real_proofs_on_revm() {
    let dir = std::env::temp_dir().join(format!("poa-evm-cp-{}", std::process::id()));
    let epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    let pk = setup_insecure(epoch.shape, Some([5; 32])).unwrap();
    let (proof, inputs, _) = prove_statement(&pk, epoch.clone()).unwrap();
    let (other, _, _) = prove_statement(&pk, epoch).unwrap();
    let source = Groth16CpTemplate::new(&pk.pk.vk, "4x5".into(), "0x".into()).render();
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
    let mut check = |proof: &[u8], inputs: [U256; 5]| {
        let data = IPoaVerifier::verifyProofCall {
            proof: Bytes::copy_from_slice(proof),
            inputs,
        }
        .abi_encode();
        let r = chain.call(me, verifier, U256::ZERO, data).unwrap();
        assert!(r.success, "verifyProof reverted");
        (
            IPoaVerifier::verifyProofCall::abi_decode_returns(&r.output, true)
                .unwrap()
                ._0,
            r.gas,
        )
    };

    let (ok, gas) = check(&pb, words);
    assert!(ok, "honest proof rejected on chain");
    println!("gas: groth16-cp verifyProof {gas} inside the call (plain Groth16: 214,571)");
    assert!(gas <= 310_000, "verifyProof used {gas} gas");
    assert!(check(&ob, words).0, "the second honest proof");

    for i in 0..5 {
        let mut bad = words;
        bad[i] ^= U256::from(1);
        assert!(!check(&pb, bad).0, "input {i} tampered");
    }
    let r = U256::from_be_slice(&poa_circuits::field::modulus().to_bytes_be());
    let mut unreduced = words;
    unreduced[2] += r;
    assert!(!check(&pb, unreduced).0, "input >= r accepted");
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
    let q: U256 = "21888242871839275222246405745257275088696311157297823662689037894645226208583"
        .parse()
        .unwrap();
    for i in 0..12 {
        let mut bad = pb.clone();
        let v = U256::from_be_slice(&pb[32 * i..32 * i + 32]) + q;
        bad[32 * i..32 * i + 32].copy_from_slice(&v.to_be_bytes::<32>());
        assert!(!check(&bad, words).0, "coordinate {i} + q accepted");
    }
}

/// The settlement contract settles an epoch with a groth16-cp proof
/// through the generated verifier, and refuses a tampered one.
#[test]
fn settlement_settles_with_a_groth16_cp_proof() {
    use poa_contracts::build::compile_settlement;
    use poa_contracts::settlement::{revert_reason, Deployment, ModelTerms, Settlement};
    let dir = std::env::temp_dir().join(format!("poa-settle-cp-{}", std::process::id()));
    let mut epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    let pk = setup_insecure(epoch.shape, Some([6; 32])).unwrap();
    let source = Groth16CpTemplate::new(&pk.pk.vk, "4x5".into(), "0x".into()).render();
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
    let d = Deployment::deploy(&mut chain, &built, me, 0).unwrap();
    let owner = Address::with_last_byte(0xa1);
    for id in [11u64, 22, 33] {
        let r = d
            .register_dataset(&mut chain, owner, U256::from(id), true, 0, [id as u8; 32])
            .unwrap();
        assert!(r.success);
    }
    d.pass_challenge_window(&mut chain);
    let trainer = Address::with_last_byte(0x70);
    let terms = ModelTerms {
        verifier,
        slots: 4,
        developer_bps: 0,
        compute_provider: Address::ZERO,
        compute_bps: 0,
        token: Address::ZERO,
        epoch_duration: 3600,
        settle_window: 3600,
    };
    let model = d.register_model(&mut chain, trainer, &terms).unwrap();
    epoch.pool = 1_000_000_007;
    epoch.ctx.chain_id = chain.chain_id().into();
    epoch.ctx.verifier = num_bigint::BigUint::from_bytes_be(d.settlement.as_slice());
    epoch.ctx.model_id = num_bigint::BigUint::from_bytes_be(&model.to_be_bytes::<32>());
    epoch.ctx.epoch = 1u32.into();
    let att = epoch.attribute().unwrap();
    let (proof, inputs, _) = prove_statement(&pk, epoch.clone()).unwrap();
    let word = |x: &poa_circuits::Fr| U256::from_be_bytes(poa_circuits::field::fr_to_be_bytes(x));
    let ids = [11u64, 22, 33].map(U256::from).to_vec();
    let (q, v) = (word(&inputs[0]), word(&inputs[1]));
    let r = d
        .commit_epoch(
            &mut chain,
            trainer,
            model,
            U256::from(1),
            q,
            v,
            &ids,
            &[U256::ZERO; 3],
        )
        .unwrap();
    assert!(r.success);
    let payer = Address::with_last_byte(0x90);
    chain.fund(payer, U256::from(1u128 << 70));
    let pool = U256::from(epoch.pool);
    assert!(
        d.deposit(&mut chain, payer, model, pool, pool)
            .unwrap()
            .success
    );
    chain.warp(3600); // AttributionSettlement.MIN_OPEN
    assert!(d.close(&mut chain, trainer, model).unwrap().success);
    let good = cp_proof_bytes(&proof);
    let mut bad = good.clone();
    bad[300] ^= 1; // inside D
    let mut s = Settlement {
        model,
        epoch: U256::from(1),
        q,
        v,
        ids,
        fees: vec![U256::ZERO; 3],
        payouts: att.split.payouts.iter().map(|&a| U256::from(a)).collect(),
        proof: bad,
    };
    let r = d.settle(&mut chain, trainer, &s).unwrap();
    assert!(!r.success, "settled with a tampered groth16-cp proof");
    s.proof = good;
    let r = d.settle(&mut chain, trainer, &s).unwrap();
    assert!(r.success, "settle reverted: {}", revert_reason(&r.output));
    println!("gas: settle n = 3 with groth16-cp: {}", r.gas);
}
