//! The demo's chain: the contracts of `contracts/src/` and the Groth16
//! verifier of this epoch's key, compiled by the pinned solc and run on an
//! in-process EVM (revm) through `poa_contracts::settlement`'s driver.

use anyhow::{Context as _, Result};
use poa_circuits::field::fr_to_be_bytes;
use poa_circuits::Fr;
use poa_contracts::build::{compile_settlement, Artifact};
use poa_contracts::evm::{Chain, Receipt};
use poa_contracts::settlement::{
    committed_fees, require, Deployment, ModelTerms, Pool, Settlement,
};
use poa_verifier::solidity::INTERFACE;
use revm::primitives::{Address, FixedBytes, U256};

/// The model's developer share, in basis points.
pub const DEV_BPS: u16 = 1_000;
/// The compute provider's share, in basis points.
pub const COMPUTE_BPS: u16 = 500;
/// Revenue deposited into the epoch: 100 ETH, from two payers.
pub const REVENUE: u128 = 100_000_000_000_000_000_000;
/// The epoch number (the model's first).
pub const EPOCH: u64 = 1;

pub fn u256(x: &Fr) -> U256 {
    U256::from_be_bytes(fr_to_be_bytes(x))
}

/// Compiles the registry, the settlement and `verifier_source` together.
pub fn build(verifier_source: &str) -> Result<std::collections::HashMap<String, Artifact>> {
    let dir = std::env::temp_dir().join(format!("poa-demo-{}", std::process::id()));
    let out = compile_settlement(
        &dir,
        &[
            ("IPoaVerifier.sol", INTERFACE),
            ("PoaGroth16Verifier.sol", verifier_source),
        ],
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(out?)
}

pub struct World {
    pub chain: Chain,
    pub d: Deployment,
    pub trainer: Address,
    pub compute: Address,
    pub payers: [Address; 2],
    pub owners: Vec<Address>,
    pub model: U256,
    /// The epoch's public part as committed (payouts and proof at settle).
    pub epoch: Settlement,
}

impl World {
    /// Deploys the contracts, registers each dataset (commit, reveal, its
    /// challenge window passed; training allowed, with its fee) and the model.
    pub fn deploy(
        artifacts: &std::collections::HashMap<String, Artifact>,
        datasets: &[(Fr, u128)],
        slots: u32,
    ) -> Result<Self> {
        let mut chain = Chain::new();
        let deployer = Address::with_last_byte(0xd0);
        let d = Deployment::deploy(&mut chain, artifacts, deployer, 4)?;
        let verifier = chain.deploy(
            deployer,
            "PoaGroth16Verifier",
            artifacts
                .get("PoaGroth16Verifier")
                .context("solc produced no PoaGroth16Verifier")?
                .bytecode
                .clone(),
        )?;
        let trainer = Address::with_last_byte(0x70);
        let compute = Address::with_last_byte(0x7c);
        let payers = [Address::with_last_byte(0x90), Address::with_last_byte(0x91)];
        for p in payers {
            chain.fund(p, U256::from(REVENUE));
        }
        let owners: Vec<Address> = (0..datasets.len())
            .map(|c| Address::from_word(FixedBytes::from(U256::from(0xc000 + c))))
            .collect();
        for (c, (id, fee)) in datasets.iter().enumerate() {
            let secret = [c as u8 + 1; 32];
            let r = d.register_dataset(&mut chain, owners[c], u256(id), true, *fee, secret)?;
            require(r, "register")?;
        }
        d.pass_challenge_window(&mut chain);
        let terms = ModelTerms {
            verifier,
            slots,
            developer_bps: DEV_BPS,
            compute_provider: compute,
            compute_bps: COMPUTE_BPS,
            token: Address::ZERO,
            epoch_duration: 7 * 24 * 3600,
            settle_window: 7 * 24 * 3600,
        };
        let model = d.register_model(&mut chain, trainer, &terms)?;
        Ok(World {
            chain,
            d,
            trainer,
            compute,
            payers,
            owners,
            model,
            epoch: Settlement::default(),
        })
    }

    /// The trainer commits `Q`, `V` and the datasets in slot order (each
    /// fee at most `max_fees`); two payers deposit the revenue; the trainer
    /// closes the epoch. The frozen pool the proof must bind.
    pub fn open_and_close(
        &mut self,
        q: &Fr,
        v: &Fr,
        datasets: &[Fr],
        max_fees: &[u128],
    ) -> Result<Pool> {
        let (model, epoch) = (self.model, U256::from(EPOCH));
        let ids: Vec<U256> = datasets.iter().map(u256).collect();
        let max: Vec<U256> = max_fees.iter().map(|&f| U256::from(f)).collect();
        let r = self.d.commit_epoch(
            &mut self.chain,
            self.trainer,
            model,
            epoch,
            u256(q),
            u256(v),
            &ids,
            &max,
        )?;
        let r = require(r, "commitEpoch")?;
        let fees = committed_fees(&r).context("commitEpoch emitted no EpochCommitted")?;
        self.epoch = Settlement {
            model,
            epoch,
            q: u256(q),
            v: u256(v),
            ids,
            fees,
            ..Settlement::default()
        };
        for (p, amount) in self
            .payers
            .into_iter()
            .zip([REVENUE / 4, REVENUE - REVENUE / 4])
        {
            let a = U256::from(amount);
            require(self.d.deposit(&mut self.chain, p, model, a, a)?, "deposit")?;
        }
        // The trainer may close an hour (`MIN_OPEN`) after the commit.
        self.chain.warp(3600);
        require(self.d.close(&mut self.chain, self.trainer, model)?, "close")?;
        let pool = self.d.pool(&mut self.chain, model, epoch)?;
        anyhow::ensure!(
            pool.ok,
            "the closed epoch's revenue does not cover its fees and shares"
        );
        Ok(pool)
    }

    /// `settle` with `payouts` and `proof`; the receipt, reverted or not.
    pub fn settle(&mut self, payouts: &[u128], proof: &[u8]) -> Result<Receipt> {
        let mut s = self.epoch.clone();
        s.payouts = payouts.iter().map(|&p| U256::from(p)).collect();
        s.proof = proof.to_vec();
        let r = self.d.settle(&mut self.chain, self.trainer, &s)?;
        if r.success {
            self.epoch = s;
        }
        Ok(r)
    }

    /// Claims every leaf (contributors, the trainer's, the compute
    /// provider's) as the settlement's claims tree lays them out, each sent
    /// by its beneficiary; what each received and each claim's gas.
    pub fn claim_all(&mut self, pool: &Pool, mut each: impl FnMut()) -> Result<Vec<(U256, u64)>> {
        let s = self.epoch.clone();
        let leaves = s.leaves(pool);
        let paid: U256 = s.payouts.iter().copied().sum();
        let n = s.ids.len();
        let mut out = Vec::new();
        for leaf in 0..n + 2 {
            let (amount, to) = match leaf {
                c if c < n => (s.payouts[c] + s.fees[c], self.owners[c]),
                c if c == n => (pool.developer + pool.pool - paid, self.trainer),
                _ => (pool.compute, self.compute),
            };
            let before = self.chain.balance(to);
            let r = self.d.claim(
                &mut self.chain,
                to,
                &s,
                &leaves,
                leaf,
                amount,
                Address::ZERO,
            )?;
            let r = require(r, "claim")?;
            out.push((self.chain.balance(to) - before, r.gas));
            each();
        }
        Ok(out)
    }
}
