//! Gas report: the verifier call, settle for n = 1, 16, 64, 256 and claim,
//! with real proofs (shapes `Nx1`: settle's cost does not depend on `D`).
//! Budgets (issue 4): settle ≤ 300k + 6k·n, claim ≤ 60k, execution gas
//! (the 21,000 base and calldata excluded).

use alloy_sol_types::SolCall;
use num_bigint::BigUint;
use poa_circuits::field::fr_to_be_bytes;
use poa_circuits::statement::{synthetic_epoch, Shape};
use poa_contracts::abi::{IAttributionSettlement as S, IDatasetRegistry as R};
use poa_contracts::build::{compile, source};
use poa_contracts::claims;
use poa_contracts::evm::Chain;
use poa_prover::groth16::{prove, setup_insecure};
use poa_verifier::solidity::{proof_bytes, Groth16Template, INTERFACE};
use revm::primitives::{Address, Bytes, FixedBytes, U256};

fn u(x: &poa_circuits::Fr) -> U256 {
    U256::from_be_bytes(fr_to_be_bytes(x))
}

#[test]
fn gas_report() {
    let ns = [1usize, 16, 64, 256];
    let shapes: Vec<Shape> = ns
        .iter()
        .map(|&n| Shape::new(n.max(2) as u64, 1).unwrap())
        .collect();
    let keys: Vec<_> = shapes
        .iter()
        .map(|&s| setup_insecure(s, Some([9; 32])).unwrap())
        .collect();
    let verifiers: Vec<String> = keys
        .iter()
        .zip(&ns)
        .map(|(k, n)| {
            Groth16Template::new(&k.vk.vk, String::new(), String::new())
                .render()
                .replace(
                    "contract PoaGroth16Verifier ",
                    &format!("contract PoaGroth16Verifier{n} "),
                )
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("poa-gas-{}", std::process::id()));
    let registry_src = source("DatasetRegistry.sol").unwrap();
    let settlement_src = source("AttributionSettlement.sol").unwrap();
    let mut sources = vec![
        ("IPoaVerifier.sol".to_string(), INTERFACE.to_string()),
        ("DatasetRegistry.sol".to_string(), registry_src),
        ("AttributionSettlement.sol".to_string(), settlement_src),
    ];
    for (n, v) in ns.iter().zip(&verifiers) {
        sources.push((format!("PoaGroth16Verifier{n}.sol"), v.clone()));
    }
    let refs: Vec<(&str, &str)> = sources
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let built = compile(&dir, &refs).unwrap();

    let mut rows = Vec::new();
    let mut over = Vec::new();
    for ((&n, shape), keys) in ns.iter().zip(&shapes).zip(&keys) {
        let mut chain = Chain::new();
        let deployer = Address::with_last_byte(0xd0);
        let trainer = Address::with_last_byte(0x70);
        let registry = chain
            .deploy(
                deployer,
                "registry",
                built["DatasetRegistry"].bytecode.clone(),
            )
            .unwrap();
        let verifier = chain
            .deploy(
                deployer,
                "verifier",
                built[&format!("PoaGroth16Verifier{n}")].bytecode.clone(),
            )
            .unwrap();
        let mut code = built["AttributionSettlement"].bytecode.clone();
        code.extend([vec![0u8; 12], registry.to_vec()].concat());
        let settlement = chain.deploy(deployer, "settlement", code).unwrap();
        chain.fund(trainer, U256::from(1));

        let mut epoch = synthetic_epoch(*shape, 5);
        epoch.participants.truncate(n);
        let ids: Vec<U256> = epoch.participants.iter().map(|p| u(&p.dataset)).collect();
        for (c, id) in ids.iter().enumerate() {
            let owner = Address::from_word(FixedBytes::from(U256::from(0x1000 + c)));
            chain.fund(owner, U256::from(1));
            let data = R::registerCall {
                id: *id,
                trainingAllowed: true,
                feePerEpoch: 1,
            }
            .abi_encode();
            assert!(
                chain
                    .call(owner, registry, U256::ZERO, data)
                    .unwrap()
                    .success
            );
        }
        let data = S::registerModelCall {
            verifier,
            slots: shape.slots as u32,
            developerShareBps: 1000,
            token: Address::ZERO,
        }
        .abi_encode();
        let model = U256::from_be_slice(
            &chain
                .call(trainer, settlement, U256::ZERO, data)
                .unwrap()
                .output,
        );
        let att = epoch.attribute().unwrap();
        let data = S::commitEpochCall {
            model,
            epoch: U256::from(1),
            q: u(&att.root),
            v: u(&att.validation_commitment),
        }
        .abi_encode();
        assert!(
            chain
                .call(trainer, settlement, U256::ZERO, data)
                .unwrap()
                .success
        );
        let revenue: u128 = 1_000_000_000_000_000_000;
        chain.fund(trainer, U256::from(revenue + 1));
        let data = S::depositCall {
            model,
            epoch: U256::from(1),
            amount: U256::from(revenue),
        }
        .abi_encode();
        assert!(
            chain
                .call(trainer, settlement, U256::from(revenue), data)
                .unwrap()
                .success
        );

        epoch.pool = revenue - revenue / 10 - n as u128;
        epoch.ctx.chain_id = BigUint::from(chain.chain_id());
        epoch.ctx.verifier = BigUint::from_bytes_be(settlement.as_slice());
        epoch.ctx.model_id = BigUint::from(1u32);
        epoch.ctx.epoch = BigUint::from(1u32);
        let att = epoch.attribute().unwrap();
        let (proof, inputs, _) = prove(&keys.pk, epoch).unwrap();
        let pb = proof_bytes(&proof);

        // The verifier alone.
        let inputs_u: [U256; 5] = inputs.map(|x| u(&x));
        let call = poa_contracts::abi::IPoaVerifier::verifyProofCall {
            proof: Bytes::from(pb.clone()),
            inputs: inputs_u,
        }
        .abi_encode();
        let verify_gas = chain.call(trainer, verifier, U256::ZERO, call).unwrap().gas;

        let payouts: Vec<U256> = att.split.payouts.iter().map(|&a| U256::from(a)).collect();
        let data = S::settleCall {
            model,
            epoch: U256::from(1),
            datasetIds: ids.clone(),
            payouts: payouts.clone(),
            proof: Bytes::from(pb),
        }
        .abi_encode();
        let calldata = data.len();
        let settle = chain.call(trainer, settlement, U256::ZERO, data).unwrap();
        assert!(settle.success, "n = {n}: settle reverted");

        // Claim slot 0 (the epoch's first claim: its bitmap word is cold and zero).
        let trainer_amount = U256::from(revenue / 10) + U256::from(att.split.dust);
        let slots: Vec<(U256, U256)> = ids
            .iter()
            .zip(&payouts)
            .map(|(d, a)| (*d, *a + U256::from(1)))
            .collect();
        let path = claims::path(&claims::leaves(&slots, trainer_amount), 0);
        let data = S::claimCall {
            model,
            epoch: U256::from(1),
            slot: U256::ZERO,
            datasetId: ids[0],
            amount: payouts[0] + U256::from(1),
            path,
        }
        .abi_encode();
        let claim = chain.call(trainer, settlement, U256::ZERO, data).unwrap();
        assert!(claim.success, "n = {n}: claim reverted");

        rows.push(format!(
            "| {n} | {verify_gas} | {} | {} | {calldata} | {} |",
            settle.gas,
            300_000 + 6_000 * n,
            claim.gas
        ));
        over.extend(
            (settle.gas as usize > 300_000 + 6_000 * n)
                .then(|| format!("n = {n}: settle {} gas", settle.gas)),
        );
        over.extend((claim.gas > 60_000).then(|| format!("n = {n}: claim {} gas", claim.gas)));
    }
    println!("| n | verifyProof | settle | settle budget | settle calldata bytes | first claim |");
    println!("|---|---|---|---|---|---|");
    for r in rows {
        println!("{r}");
    }
    assert!(over.is_empty(), "over budget: {over:?}");
}
