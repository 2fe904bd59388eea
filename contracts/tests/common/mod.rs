//! Scaffolding shared by the backend tests on revm (`groth16_cp.rs`,
//! `halo2.rs`): the `hand` vector's market (its datasets 11, 22, 33
//! registered, a model over the verifier under test) and epoch 1 settled
//! through it.

use std::collections::HashMap;

use poa_circuits::statement::Epoch;
use poa_contracts::build::Artifact;
use poa_contracts::evm::Chain;
use poa_contracts::settlement::{revert_reason, Deployment, ModelTerms, Settlement};
use revm::primitives::{Address, U256};

/// A deployment with the `hand` vector's datasets and one model.
pub struct Market {
    /// The registry and settlement.
    pub d: Deployment,
    /// The model's id.
    pub model: U256,
    /// Its trainer.
    pub trainer: Address,
}

/// Deploys the registry and settlement of `built` from `me`, registers the
/// `hand` vector's datasets 11, 22, 33 (free to train on) and a model of
/// 4 slots over `verifier`, and binds `epoch` to it (pool, chain,
/// settlement, model, epoch 1): the proof must be made after this.
pub fn open_market(
    chain: &mut Chain,
    built: &HashMap<String, Artifact>,
    me: Address,
    verifier: Address,
    epoch: &mut Epoch,
) -> Market {
    let d = Deployment::deploy(chain, built, me, 0).unwrap();
    let owner = Address::with_last_byte(0xa1);
    for id in [11u64, 22, 33] {
        let r = d
            .register_dataset(chain, owner, U256::from(id), true, 0, [id as u8; 32])
            .unwrap();
        assert!(r.success);
    }
    d.pass_challenge_window(chain);
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
    let model = d.register_model(chain, trainer, &terms).unwrap();
    epoch.pool = 1_000_000_007;
    epoch.ctx.chain_id = chain.chain_id().into();
    epoch.ctx.verifier = num_bigint::BigUint::from_bytes_be(d.settlement.as_slice());
    epoch.ctx.model_id = num_bigint::BigUint::from_bytes_be(&model.to_be_bytes::<32>());
    epoch.ctx.epoch = 1u32.into();
    Market { d, model, trainer }
}

/// Commits epoch 1 with the proof's `Q, V` (`inputs[0..2]`), funds its
/// pool and closes it; settling it with `bad` is refused, with `good` it
/// succeeds. The gas of the settlement with `good`.
pub fn settle(
    chain: &mut Chain,
    m: &Market,
    epoch: &Epoch,
    inputs: [U256; 5],
    good: Vec<u8>,
    bad: Vec<u8>,
) -> u64 {
    let (d, model, trainer) = (&m.d, m.model, m.trainer);
    let att = epoch.attribute().unwrap();
    let ids = [11u64, 22, 33].map(U256::from).to_vec();
    let (q, v) = (inputs[0], inputs[1]);
    let r = d
        .commit_epoch(
            chain,
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
    assert!(d.deposit(chain, payer, model, pool, pool).unwrap().success);
    chain.warp(3600); // AttributionSettlement.MIN_OPEN
    assert!(d.close(chain, trainer, model).unwrap().success);
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
    let r = d.settle(chain, trainer, &s).unwrap();
    assert!(!r.success, "settled with a tampered proof");
    s.proof = good;
    let r = d.settle(chain, trainer, &s).unwrap();
    assert!(r.success, "settle reverted: {}", revert_reason(&r.output));
    r.gas
}
