//! Gas report of settlement v2 (issue 14): the verifier call, commitEpoch,
//! close, settle and the first claim for n = 1, 16, 64, 256 with real
//! Groth16 proofs (shapes `Nx1`: the contracts' cost does not depend on
//! `D`), and the largest n whose commitEpoch and settle each fit a 30M-gas
//! block. Budgets: verifyProof ≤ 214.7k, commitEpoch ≤ 100k + 6k·n,
//! settle ≤ 250k + 6k·n, first claim ≤ 60k, in execution gas (the 21,000
//! base and calldata excluded); the block fit counts them.
//!
//! `cargo test --release -p poa-contracts --test gas -- --nocapture` prints
//! the table the README shows.

use alloy_sol_types::SolCall;
use num_bigint::BigUint;
use poa_circuits::field::fr_to_be_bytes;
use poa_circuits::statement::{synthetic_epoch, Shape};
use poa_contracts::build::{compile_settlement, Artifact};
use poa_contracts::evm::{Chain, Receipt};
use poa_contracts::settlement::{
    committed_fees, revert_reason, Deployment, ModelTerms, Settlement,
};
use poa_prover::groth16::{prove, setup_insecure};
use poa_verifier::solidity::{proof_bytes, Groth16Template, INTERFACE};
use revm::primitives::{Address, FixedBytes, U256};

fn u(x: &poa_circuits::Fr) -> U256 {
    U256::from_be_bytes(fr_to_be_bytes(x))
}

const REVENUE: u128 = 1_000_000_000_000_000_000;
const BLOCK: u64 = 30_000_000;

#[track_caller]
fn ok(r: Receipt, what: &str) -> Receipt {
    assert!(r.success, "{what}: {}", revert_reason(&r.output));
    r
}

/// `(chain, settlement, model, pool)` → `(Q, V, payouts, proof)`.
type ProveFor<'a> = dyn Fn(&Chain, Address, U256, U256) -> (U256, U256, Vec<U256>, Vec<u8>) + 'a;

/// Gas of one epoch's transactions.
struct Row {
    n: usize,
    verify: u64,
    commit: u64,
    commit_total: u64,
    close: u64,
    settle: u64,
    settle_total: u64,
    claim: u64,
}

/// Deploys everything, registers n datasets and one model over `verifier`
/// (creation code), runs one epoch with what `prove_for(chain, settlement,
/// model, pool)` returns (`Q`, `V`, payouts, proof; pool 0: before the
/// commit, only `Q` and `V`) and measures it.
fn epoch_gas(
    built: &std::collections::HashMap<String, Artifact>,
    n: usize,
    verifier_code: Vec<u8>,
    ids: &[U256],
    prove_for: &ProveFor<'_>,
) -> Option<Row> {
    let mut chain = Chain::new();
    let deployer = Address::with_last_byte(0xd0);
    let trainer = Address::with_last_byte(0x70);
    let d = Deployment::deploy(&mut chain, built, deployer, 0).unwrap();
    let verifier = chain.deploy(deployer, "verifier", verifier_code).unwrap();
    chain.fund(trainer, U256::from(REVENUE + 1));
    for (c, id) in ids.iter().enumerate() {
        let owner = Address::from_word(FixedBytes::from(U256::from(0x1000 + c)));
        chain.fund(owner, U256::from(1));
        ok(
            d.register_dataset(&mut chain, owner, *id, true, 1, [1; 32])
                .unwrap(),
            "register",
        );
    }
    d.pass_challenge_window(&mut chain);
    let terms = ModelTerms {
        verifier,
        slots: n.max(2).next_power_of_two() as u32,
        developer_bps: 1000,
        compute_provider: Address::with_last_byte(0x7c),
        compute_bps: 500,
        token: Address::ZERO,
        epoch_duration: 3600,
        settle_window: 3600,
    };
    chain.fund(terms.compute_provider, U256::from(1));
    let model = d.register_model(&mut chain, trainer, &terms).unwrap();
    let (q, v, _, _) = prove_for(&chain, d.settlement, model, U256::ZERO);
    let max = vec![U256::from(1); n];
    let r = d
        .commit_epoch(&mut chain, trainer, model, U256::from(1), q, v, ids, &max)
        .unwrap();
    let commit_calldata = 4 + 32 * (6 + 2 + 2 * n);
    if !r.success {
        return None;
    }
    let fees = committed_fees(&r).unwrap();
    let commit = r.gas;
    let commit_total = commit + 21_000 + 16 * commit_calldata as u64;
    ok(
        d.deposit(
            &mut chain,
            trainer,
            model,
            U256::from(REVENUE),
            U256::from(REVENUE),
        )
        .unwrap(),
        "deposit",
    );
    chain.warp(3600); // AttributionSettlement.MIN_OPEN
    let close = ok(d.close(&mut chain, trainer, model).unwrap(), "close").gas;
    let pool = d.pool(&mut chain, model, U256::from(1)).unwrap();
    let (q, v, payouts, proof) = prove_for(&chain, d.settlement, model, pool.pool);

    let s = Settlement {
        model,
        epoch: U256::from(1),
        q,
        v,
        ids: ids.to_vec(),
        fees,
        payouts,
        proof,
    };
    let settle_calldata = 4 + 32 * (8 + 4 + 3 * n) + 32 + s.proof.len().div_ceil(32) * 32;
    let r = d.settle(&mut chain, trainer, &s).unwrap();
    if !r.success {
        return None;
    }
    let settle = r.gas;
    let settle_total = settle + 21_000 + 16 * settle_calldata as u64;
    let leaves = s.leaves(&pool);
    let amount = s.payouts[0] + s.fees[0];
    let claim = ok(
        d.claim(&mut chain, trainer, &s, &leaves, 0, amount, Address::ZERO)
            .unwrap(),
        "claim",
    )
    .gas;
    Some(Row {
        n,
        verify: 0,
        commit,
        commit_total,
        close,
        settle,
        settle_total,
        claim,
    })
}

fn sources(extra: &[(String, String)]) -> std::collections::HashMap<String, Artifact> {
    let dir = std::env::temp_dir().join(format!("poa-gas-{}-{}", std::process::id(), extra.len()));
    let mut all = vec![("IPoaVerifier.sol".to_string(), INTERFACE.to_string())];
    all.extend(extra.iter().cloned());
    let refs: Vec<(&str, &str)> = all.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    compile_settlement(&dir, &refs).unwrap()
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
    let verifiers: Vec<(String, String)> = keys
        .iter()
        .zip(&ns)
        .map(|(k, n)| {
            let src = Groth16Template::new(&k.vk.vk, String::new(), String::new())
                .render()
                .replace(
                    "contract PoaGroth16Verifier ",
                    &format!("contract PoaGroth16Verifier{n} "),
                );
            (format!("PoaGroth16Verifier{n}.sol"), src)
        })
        .collect();
    let built = sources(&verifiers);

    let mut rows = Vec::new();
    for ((&n, shape), keys) in ns.iter().zip(&shapes).zip(&keys) {
        // A synthetic epoch with a positive score (S = 0 voids it).
        let epoch = (5u64..)
            .map(|seed| {
                let mut e = synthetic_epoch(*shape, seed);
                e.participants.truncate(n);
                e
            })
            .find(|e| e.attribute().is_ok_and(|a| a.scores.iter().any(|&x| x > 0)))
            .unwrap();
        let ids: Vec<U256> = epoch.participants.iter().map(|p| u(&p.dataset)).collect();
        let prove_for = |chain: &Chain, settlement: Address, model: U256, pool: U256| {
            let mut e = epoch.clone();
            e.pool = pool.to::<u128>();
            e.ctx.chain_id = BigUint::from(chain.chain_id());
            e.ctx.verifier = BigUint::from_bytes_be(settlement.as_slice());
            e.ctx.model_id = BigUint::from_bytes_be(&model.to_be_bytes::<32>());
            e.ctx.epoch = BigUint::from(1u32);
            let att = e.attribute().unwrap();
            let (q, v) = (u(&att.root), u(&att.validation_commitment));
            if pool.is_zero() {
                return (q, v, vec![], vec![]);
            }
            let (proof, _, _) = prove(&keys.pk, e).unwrap();
            let payouts = att.split.payouts.iter().map(|&a| U256::from(a)).collect();
            (q, v, payouts, proof_bytes(&proof))
        };
        let code = built[&format!("PoaGroth16Verifier{n}")].bytecode.clone();
        let mut row = epoch_gas(&built, n, code, &ids, &prove_for).expect("commitEpoch and settle");

        // The verifier alone, on the same proof.
        let mut chain = Chain::new();
        let me = Address::with_last_byte(1);
        let verifier = chain
            .deploy(
                me,
                "verifier",
                built[&format!("PoaGroth16Verifier{n}")].bytecode.clone(),
            )
            .unwrap();
        let mut e = epoch.clone();
        e.pool = 1000;
        e.ctx.chain_id = BigUint::from(chain.chain_id());
        e.ctx.verifier = BigUint::ZERO;
        e.ctx.model_id = BigUint::from(1u32);
        e.ctx.epoch = BigUint::from(1u32);
        let (proof, inputs, _) = prove(&keys.pk, e).unwrap();
        let call = poa_contracts::abi::IPoaVerifier::verifyProofCall {
            proof: proof_bytes(&proof).into(),
            inputs: inputs.map(|x| u(&x)),
        };
        let r = chain
            .call(me, verifier, U256::ZERO, call.abi_encode())
            .unwrap();
        assert!(r.success);
        row.verify = r.gas;
        rows.push(row);
    }

    println!(
        "| n | verifyProof | commitEpoch (budget 100k + 6k·n) | close | settle (budget 250k + 6k·n) | settle incl. base and calldata | first claim |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut over = Vec::new();
    for r in &rows {
        println!(
            "| {} | {} | {} ({}) | {} | {} ({}) | {} | {} |",
            r.n,
            r.verify,
            r.commit,
            100_000 + 6_000 * r.n,
            r.close,
            r.settle,
            250_000 + 6_000 * r.n,
            r.settle_total,
            r.claim
        );
        let n = r.n as u64;
        if r.verify > 214_700 {
            over.push(format!("n = {n}: verifyProof {}", r.verify));
        }
        if r.commit > 100_000 + 6_000 * n {
            over.push(format!("n = {n}: commitEpoch {}", r.commit));
        }
        if r.settle > 250_000 + 6_000 * n {
            over.push(format!("n = {n}: settle {}", r.settle));
        }
        if r.claim > 60_000 {
            over.push(format!("n = {n}: claim {}", r.claim));
        }
    }
    assert!(over.is_empty(), "over budget: {over:?}");
}

/// The largest n whose commitEpoch and settle each fit a 30M-gas block,
/// base and calldata included: measured with a verifier that accepts
/// everything (its cost is the constant verifyProof above, added back),
/// stepping n up by powers of two and then bisecting.
#[test]
fn largest_epoch_that_fits_a_block() {
    // Runtime `PUSH1 1 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`: "true" for
    // any call; creation code `CODECOPY(0, 12, 10) RETURN(0, 10)` before it.
    let runtime = [0x60u8, 0x01, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];
    let mut code = vec![
        0x60, 10, 0x80, 0x60, 12, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00,
    ];
    code.extend(runtime);
    let built = sources(&[]);
    const VERIFY: u64 = 214_692;
    // Whether both fit (the EVM's own 30M limit: out of gas otherwise).
    let fits = |n: usize| -> Option<Row> {
        let ids: Vec<U256> = (1..=n as u64).map(U256::from).collect();
        let prove_for = |_: &Chain, _: Address, _: U256, pool: U256| {
            // Payouts that satisfy the contract's own checks (dust < n).
            let mut payouts = vec![U256::ZERO; n];
            payouts[0] = pool;
            (U256::from(1), U256::from(2), payouts, vec![0u8; 256])
        };
        let r = epoch_gas(&built, n, code.clone(), &ids, &prove_for)?;
        (r.commit_total <= BLOCK && r.settle_total + VERIFY <= BLOCK).then_some(r)
    };
    let mut lo = 256;
    let mut hi = lo;
    while hi < 1 << 16 && fits(hi * 2).is_some() {
        hi *= 2;
        lo = hi;
    }
    hi *= 2;
    while hi - lo > 64 {
        let mid = (lo + hi) / 2;
        if fits(mid).is_some() {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let r = fits(lo).expect("the lower bound fits");
    println!(
        "largest n within {BLOCK} gas (to 64): {lo}: commitEpoch {} and settle {} incl. base, calldata and a 214,692-gas verifier",
        r.commit_total,
        r.settle_total + VERIFY
    );
    assert!(
        lo >= 1024,
        "fewer than 1,024 contributors fit a block: {lo}"
    );
}
