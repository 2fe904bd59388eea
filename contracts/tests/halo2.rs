//! The halo2 backend on the EVM: snark-verifier's generated verifier, split
//! into contracts under EIP-170 and compiled by the pinned solc, behind the
//! `IPoaVerifier` adapter, checks real proofs on revm with the code-size
//! limit in force; the same settlement contract settles with it. The entry
//! pins its parts: one over an empty address, another contract or the parts
//! in another order is refused at deployment, and one whose last part
//! answers nothing (its pin forced to match an empty address) says `false`.

mod common;

use halo2_proofs::halo2curves::ff::PrimeField;
use poa_circuits::halo2::Fp;
use poa_contracts::build::{compile_named, compile_settlement, compile_with, has_push0};
use poa_contracts::evm::{Chain, BLOCK_GAS};
use poa_prover::halo2::{keygen, prove, srs_insecure};
use poa_verifier::halo2::evm::{single_contract, ENTRY};
use poa_verifier::halo2::{evm_verifier, VerifyingKeyFile, ADAPTER};
use poa_verifier::solidity::INTERFACE;
use revm::primitives::{Address, U256};

fn word(x: &Fp) -> U256 {
    let mut be = x.to_repr();
    be.as_mut().reverse();
    U256::from_be_bytes(<[u8; 32]>::try_from(be.as_ref()).unwrap())
}

#[test]
fn halo2_verifier_checks_real_proofs_and_settles_on_revm() {
    let dir = std::env::temp_dir().join(format!("poa-halo2-evm-{}", std::process::id()));
    let mut epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    let k = poa_circuits::halo2::AttributionCircuit::k(epoch.shape).unwrap();
    let params = srs_insecure(k, Some([9; 32])).unwrap();
    let pk = keygen(&params, epoch.shape).unwrap();
    // Pinned: the verifying key of 4x5 under the seeded SRS (a change is a
    // change of the circuit or of halo2's key format; the generated
    // verifier changes with it). Regenerate from this test's output.
    let digest = VerifyingKeyFile {
        shape: epoch.shape,
        vk: pk.get_vk().clone(),
    }
    .digest();
    println!(
        "halo2 verifying-key digest (4x5, SRS seed 9): {}",
        hex::encode(digest)
    );
    assert_eq!(
        hex::encode(digest),
        "fa4d79e8e7036780286211c553fc81f08a093af50ebdfb73d745cf9c54d9f5ad"
    );

    // The chain first: the proof binds the settlement's address and model.
    let verifier = evm_verifier(&params, pk.get_vk()).unwrap();
    // Two stages: the parts, then the entry pinned to their runtime code.
    let (parts_built, hashes) = compile_named(&dir.join("parts"), verifier.parts(), false).unwrap();
    let entry_src = verifier.entry(&hashes).unwrap();
    // As a user rebuilds them (all files in one solc run): the parts'
    // code is the code that was pinned.
    let mut together = verifier.parts().to_vec();
    together.push((ENTRY.to_string(), entry_src.clone()));
    let (legacy, _) = compile_named(&dir.join("legacy"), &together, false).unwrap();
    for (name, _) in verifier.parts() {
        assert_eq!(
            legacy[name].deployed, parts_built[name].deployed,
            "{name} compiles to other code together with the entry"
        );
    }
    let names: Vec<&str> = std::iter::once(ENTRY)
        .chain(verifier.parts().iter().map(|(n, _)| n.as_str()))
        .collect();
    // Every contract fits EIP-170 (the chain below enforces it too).
    for name in &names {
        let runtime = &legacy[*name].deployed;
        println!(
            "halo2 verifier {name}: {} bytes of runtime code",
            runtime.len()
        );
        assert!(runtime.len() <= 24_576, "{name}: {} bytes", runtime.len());
        assert!(!has_push0(runtime), "PUSH0 in a paris build of {name}");
    }
    assert!(
        (3..=6).contains(&names.len()),
        "{} contracts: update the README's halo2 EVM figures",
        names.len()
    );
    // Why the split: snark-verifier's single contract is over the limit,
    // and the chain refuses it.
    let single = single_contract(&params, pk.get_vk()).unwrap();
    let single = compile_with(&dir.join("single"), &[("Single.sol", &single)], false).unwrap();
    let single = &single[ENTRY];
    println!(
        "halo2 verifier as one contract: {} bytes",
        single.deployed.len()
    );
    assert!(single.deployed.len() > 24_576);
    assert!(Chain::new()
        .deploy(
            Address::with_last_byte(0xd0),
            "single",
            single.bytecode.clone()
        )
        .is_err());
    let built = compile_settlement(
        &dir.join("ir"),
        &[
            ("IPoaVerifier.sol", INTERFACE),
            ("PoaHalo2Verifier.sol", ADAPTER),
        ],
    )
    .unwrap();

    // Deployed with EIP-170 in force: the parts, the entry with their
    // addresses, the adapter with the entry's.
    let mut chain = Chain::new();
    let me = Address::with_last_byte(0xd0);
    let with_addresses = |code: &[u8], addresses: &[Address]| {
        let mut code = code.to_vec();
        for a in addresses {
            code.extend_from_slice(&[0u8; 12]);
            code.extend_from_slice(a.as_slice());
        }
        code
    };
    let parts: Vec<Address> = verifier
        .parts()
        .iter()
        .map(|(name, _)| {
            chain
                .deploy(me, name, legacy[name].bytecode.clone())
                .unwrap()
        })
        .collect();
    let last = *parts.last().unwrap();
    let halo2 = chain
        .deploy(me, ENTRY, with_addresses(&legacy[ENTRY].bytecode, &parts))
        .unwrap();
    let adapter_code =
        |verifier: Address| with_addresses(&built["PoaHalo2Verifier"].bytecode, &[verifier]);
    let adapter = chain
        .deploy(me, "PoaHalo2Verifier", adapter_code(halo2))
        .unwrap();
    // Twins: adapters over a part and over the last part (which compute,
    // never answer VERIFIED) and an adapter over an address without code
    // (refused at deployment).
    let over_part = chain
        .deploy(me, "over a part", adapter_code(parts[0]))
        .unwrap();
    let over_last = chain
        .deploy(me, "over the last part", adapter_code(last))
        .unwrap();
    let nobody = Address::with_last_byte(0xee);
    assert!(
        chain
            .deploy(me, "over nothing", adapter_code(nobody))
            .is_err(),
        "an adapter over an address without code was deployed"
    );
    // The entry pins its parts, in order: an empty address, a part with
    // another part's code, another contract as the last part, or the
    // parts swapped are refused at deployment (its honest twin is above).
    let registry_like = chain
        .deploy(
            me,
            "other code",
            [built["DatasetRegistry"].bytecode.clone(), vec![0; 32]].concat(),
        )
        .unwrap();
    let replaced = |i: usize, a: Address| {
        let mut p = parts.clone();
        p[i] = a;
        p
    };
    let end = parts.len() - 1;
    let mut swapped = parts.clone();
    swapped.reverse();
    let wrong_parts = [
        ("the last part at an empty address", replaced(end, nobody)),
        (
            "another contract as the last part",
            replaced(end, registry_like),
        ),
        ("the first part at an empty address", replaced(0, nobody)),
        ("the last part's code as the first", replaced(0, last)),
        ("the parts swapped", swapped),
    ];
    for (what, addresses) in &wrong_parts {
        let code = with_addresses(&legacy[ENTRY].bytecode, addresses);
        assert!(
            chain.deploy(me, what, code).is_err(),
            "an entry with {what} was deployed"
        );
    }
    // Beneath the pin, the last part's answer is checked: an entry pinned
    // to an empty address's hash (0) for its last part deploys over one,
    // and rejects every proof (`false` through the adapter), where an
    // unchecked call would let the proof through without its pairing.
    let mut unpinned = hashes.clone();
    *unpinned.last_mut().unwrap() = [0; 32];
    let blind_src = verifier.entry(&unpinned).unwrap();
    let (blind, _) =
        compile_named(&dir.join("blind"), &[(ENTRY.to_string(), blind_src)], false).unwrap();
    let blind = chain
        .deploy(
            me,
            "entry over an empty last part",
            with_addresses(&blind[ENTRY].bytecode, &replaced(end, nobody)),
        )
        .unwrap();
    let over_blind = chain
        .deploy(me, "adapter over it", adapter_code(blind))
        .unwrap();
    let market = common::open_market(&mut chain, &built, me, adapter, &mut epoch);
    let (proof, inputs) = prove(&params, &pk, &epoch).unwrap();
    assert!(poa_verifier::halo2::verify(
        &params,
        pk.get_vk(),
        &inputs,
        &proof
    ));

    // The adapter: true for the honest proof, false for a tampered one or
    // a changed input, never a revert.
    let words: [U256; 5] = inputs.map(|x| word(&x));
    let mut check = |adapter: Address, proof: &[u8], inputs: [U256; 5]| {
        let (ok, gas) = chain
            .verify_proof(me, adapter, proof, inputs, BLOCK_GAS)
            .unwrap();
        (ok.expect("verifyProof reverted"), gas)
    };
    let (ok, gas) = check(adapter, &proof, words);
    assert!(ok, "honest proof rejected on chain");
    assert!(
        !check(over_part, &proof, words).0,
        "an adapter over a part accepted a proof"
    );
    assert!(
        !check(over_last, &proof, words).0,
        "an adapter over the last part accepted a proof"
    );
    assert!(
        !check(over_blind, &proof, words).0,
        "an entry whose last part is an empty address accepted a proof"
    );
    println!("gas: halo2 verifyProof through the adapter: {gas}");
    let mut bad = proof.clone();
    bad[100] ^= 1;
    assert!(!check(adapter, &bad, words).0, "tampered proof accepted");
    for i in 0..5 {
        let mut w = words;
        w[i] += U256::from(1);
        assert!(!check(adapter, &proof, w).0, "input {i} + 1 accepted");
    }

    // The settlement settles with the halo2 proof, and refuses a tampered one.
    let gas = common::settle(&mut chain, &market, &epoch, words, proof, bad);
    println!("gas: settle n = 3 with halo2: {gas}");
}
