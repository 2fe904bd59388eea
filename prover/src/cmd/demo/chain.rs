//! The demo's chain: the contracts of `contracts/src/` and the Groth16
//! verifier of this epoch's key, compiled by the pinned solc and run on an
//! in-process EVM (revm).

use alloy_sol_types::SolCall;
use anyhow::{bail, Context as _, Result};
use poa_circuits::field::fr_to_be_bytes;
use poa_circuits::Fr;
use poa_contracts::abi::{IAttributionSettlement as ISettlement, IDatasetRegistry as IRegistry};
use poa_contracts::build::{compile, source, Artifact};
use poa_contracts::claims;
use poa_contracts::evm::{Chain, Receipt};
use poa_verifier::solidity::INTERFACE;
use revm::primitives::{Address, Bytes, FixedBytes, U256};

/// The model's developer share, in basis points.
pub const DEV_BPS: u16 = 1_000;
/// Revenue deposited into the epoch: 100 ETH.
pub const REVENUE: u128 = 100_000_000_000_000_000_000;
/// The epoch number.
pub const EPOCH: u64 = 1;

pub fn u256(x: &Fr) -> U256 {
    U256::from_be_bytes(fr_to_be_bytes(x))
}

fn addr_word(a: Address) -> Vec<u8> {
    let mut w = vec![0u8; 12];
    w.extend_from_slice(a.as_slice());
    w
}

/// Compiles the registry, the settlement and `verifier_source` together.
pub fn build(verifier_source: &str) -> Result<std::collections::HashMap<String, Artifact>> {
    let dir = std::env::temp_dir().join(format!("poa-demo-{}", std::process::id()));
    let registry = source("DatasetRegistry.sol")?;
    let settlement = source("AttributionSettlement.sol")?;
    let out = compile(
        &dir,
        &[
            ("IPoaVerifier.sol", INTERFACE),
            ("DatasetRegistry.sol", &registry),
            ("AttributionSettlement.sol", &settlement),
            ("PoaGroth16Verifier.sol", verifier_source),
        ],
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(out?)
}

pub struct World {
    pub chain: Chain,
    pub settlement: Address,
    pub trainer: Address,
    pub payer: Address,
    pub owners: Vec<Address>,
    pub model: U256,
}

fn ok(r: Receipt, what: &str) -> Result<Receipt> {
    if !r.success {
        bail!("{what} reverted: 0x{}", hex::encode(&r.output));
    }
    Ok(r)
}

fn artifact<'a>(
    a: &'a std::collections::HashMap<String, Artifact>,
    name: &str,
) -> Result<&'a Artifact> {
    a.get(name)
        .with_context(|| format!("solc produced no {name}"))
}

impl World {
    /// Deploys the contracts, registers each dataset (training allowed, with
    /// its fee) and the model.
    pub fn deploy(
        artifacts: &std::collections::HashMap<String, Artifact>,
        datasets: &[(Fr, u128)],
        slots: u32,
    ) -> Result<Self> {
        let mut chain = Chain::new();
        let deployer = Address::with_last_byte(0xd0);
        let registry = chain.deploy(
            deployer,
            "DatasetRegistry",
            artifact(artifacts, "DatasetRegistry")?.bytecode.clone(),
        )?;
        let verifier = chain.deploy(
            deployer,
            "PoaGroth16Verifier",
            artifact(artifacts, "PoaGroth16Verifier")?.bytecode.clone(),
        )?;
        let mut code = artifact(artifacts, "AttributionSettlement")?
            .bytecode
            .clone();
        code.extend(addr_word(registry));
        let settlement = chain.deploy(deployer, "AttributionSettlement", code)?;
        let trainer = Address::with_last_byte(0x70);
        let payer = Address::with_last_byte(0x90);
        chain.fund(payer, U256::from(REVENUE) * U256::from(2));
        let owners: Vec<Address> = (0..datasets.len())
            .map(|c| Address::from_word(FixedBytes::from(U256::from(0xc000 + c))))
            .collect();
        let mut w = World {
            chain,

            settlement,
            trainer,
            payer,
            owners,
            model: U256::ZERO,
        };
        for (c, (d, fee)) in datasets.iter().enumerate() {
            let call = IRegistry::registerCall {
                id: u256(d),
                trainingAllowed: true,
                feePerEpoch: *fee,
            };
            let owner = w.owners[c];
            ok(
                w.chain
                    .call(owner, registry, U256::ZERO, call.abi_encode())?,
                "register",
            )?;
        }
        let call = ISettlement::registerModelCall {
            verifier,
            slots,
            developerShareBps: DEV_BPS,
            token: Address::ZERO,
        };
        let r = ok(w.send(trainer, call.abi_encode())?, "registerModel")?;
        w.model = U256::from_be_slice(&r.output);
        Ok(w)
    }

    fn send(&mut self, from: Address, data: Vec<u8>) -> Result<Receipt> {
        Ok(self.chain.call(from, self.settlement, U256::ZERO, data)?)
    }

    /// The trainer commits `Q` and `V`; the payer deposits the revenue.
    pub fn open(&mut self, q: &Fr, v: &Fr) -> Result<()> {
        let call = ISettlement::commitEpochCall {
            model: self.model,
            epoch: U256::from(EPOCH),
            q: u256(q),
            v: u256(v),
        };
        ok(self.send(self.trainer, call.abi_encode())?, "commitEpoch")?;
        let call = ISettlement::depositCall {
            model: self.model,
            epoch: U256::from(EPOCH),
            amount: U256::from(REVENUE),
        };
        let r = self.chain.call(
            self.payer,
            self.settlement,
            U256::from(REVENUE),
            call.abi_encode(),
        )?;
        ok(r, "deposit")?;
        Ok(())
    }

    /// `settle(datasets, payouts, proof)`; the receipt, reverted or not.
    pub fn settle(&mut self, datasets: &[Fr], payouts: &[u128], proof: &[u8]) -> Result<Receipt> {
        let call = ISettlement::settleCall {
            model: self.model,
            epoch: U256::from(EPOCH),
            datasetIds: datasets.iter().map(u256).collect(),
            payouts: payouts.iter().map(|&p| U256::from(p)).collect(),
            proof: Bytes::copy_from_slice(proof),
        };
        self.send(self.trainer, call.abi_encode())
    }

    /// Claims every slot (contributors, then the trainer's leaf) as the
    /// settlement's claims tree lays them out; returns what each account
    /// received and each claim's gas.
    pub fn claim_all(
        &mut self,
        datasets: &[Fr],
        amounts: &[u128],
        trainer_amount: u128,
        mut each: impl FnMut(),
    ) -> Result<Vec<(U256, u64)>> {
        let slots: Vec<(U256, U256)> = datasets
            .iter()
            .zip(amounts)
            .map(|(d, a)| (u256(d), U256::from(*a)))
            .collect();
        let leaves = claims::leaves(&slots, U256::from(trainer_amount));
        let mut out = Vec::new();
        for slot in 0..=datasets.len() {
            let (id, amount, to) = match slots.get(slot) {
                Some((d, a)) => (*d, *a, self.owners[slot]),
                None => (U256::ZERO, U256::from(trainer_amount), self.trainer),
            };
            let before = self.chain.balance(to);
            let call = ISettlement::claimCall {
                model: self.model,
                epoch: U256::from(EPOCH),
                slot: U256::from(slot),
                datasetId: id,
                amount,
                path: claims::path(&leaves, slot),
            };
            // Anyone may send the claim; the money goes to the owner.
            let r = ok(self.send(self.payer, call.abi_encode())?, "claim")?;
            out.push((self.chain.balance(to) - before, r.gas));
            each();
        }
        Ok(out)
    }
}
