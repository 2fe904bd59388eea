//! A typed driver of `DatasetRegistry` and `AttributionSettlement` on the
//! in-process [`Chain`]: the one place that knows their calls' order and
//! arguments, for the demo, the tests and the gas report.

use std::collections::HashMap;

use alloy_sol_types::{SolCall, SolEvent, SolInterface};
use revm::primitives::{keccak256, Address, Bytes, FixedBytes, U256};

use crate::abi::IAttributionSettlement as S;
use crate::abi::IDatasetRegistry as R;
use crate::build::Artifact;
use crate::evm::{Chain, Receipt};
use crate::{claims, Error};

/// What `registerModel` fixes for a model's lifetime.
#[derive(Clone, Debug)]
pub struct ModelTerms {
    /// The verifier (its code hash is pinned at registration).
    pub verifier: Address,
    /// Participant slots `N` of the verifier's shape (`≤ 2^16`).
    pub slots: u32,
    /// The developer's share of revenue, in basis points.
    pub developer_bps: u16,
    /// The compute provider (zero: none).
    pub compute_provider: Address,
    /// The compute provider's share, in basis points.
    pub compute_bps: u16,
    /// The payment token (zero: ETH).
    pub token: Address,
    /// Seconds after a commit from which anyone may close the epoch.
    pub epoch_duration: u32,
    /// Seconds after a close within which the epoch must be settled.
    pub settle_window: u32,
}

impl ModelTerms {
    /// The `registerModel` call.
    pub fn call(&self) -> S::registerModelCall {
        S::registerModelCall {
            verifier: self.verifier,
            slots: self.slots,
            developerShareBps: self.developer_bps,
            computeProvider: self.compute_provider,
            computeShareBps: self.compute_bps,
            token: self.token,
            epochDuration: self.epoch_duration,
            settleWindow: self.settle_window,
        }
    }
}

/// An epoch's public data as committed, and its proven payouts.
#[derive(Clone, Debug, Default)]
pub struct Settlement {
    /// The model.
    pub model: U256,
    /// The epoch.
    pub epoch: U256,
    /// The update root `Q`.
    pub q: U256,
    /// The validation commitment `V`.
    pub v: U256,
    /// Dataset ids in slot order.
    pub ids: Vec<U256>,
    /// Each dataset's fee as recorded at commit.
    pub fees: Vec<U256>,
    /// The proven payouts.
    pub payouts: Vec<U256>,
    /// The proof, as the verifier takes it.
    pub proof: Vec<u8>,
}

/// `poolOf`: the pool a proof must bind and the shares taken before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pool {
    /// Whether the epoch can be settled (revenue covers fees and shares,
    /// pool below 2^96).
    pub ok: bool,
    /// The pool.
    pub pool: U256,
    /// The developer's share.
    pub developer: U256,
    /// The compute provider's share.
    pub compute: U256,
}

impl Settlement {
    /// The `claim` call of leaf `leaf` of `leaves` for `amount`, paid to
    /// `to` (zero: the beneficiary).
    pub fn claim_call(
        &self,
        leaves: &[FixedBytes<32>],
        leaf: usize,
        amount: U256,
        to: Address,
    ) -> S::claimCall {
        S::claimCall {
            model: self.model,
            epoch: self.epoch,
            leaf: U256::from(leaf),
            datasetId: self.ids.get(leaf).copied().unwrap_or(U256::ZERO),
            amount,
            path: claims::path(leaves, leaf),
            to,
        }
    }

    /// The claims tree's leaves once settled with `pool` (see [`claims`]).
    pub fn leaves(&self, pool: &Pool) -> Vec<FixedBytes<32>> {
        let paid: U256 = self.payouts.iter().copied().sum();
        let slots: Vec<(U256, U256)> = (0..self.ids.len())
            .map(|c| (self.ids[c], self.payouts[c] + self.fees[c]))
            .collect();
        claims::leaves(&slots, pool.developer + pool.pool - paid, pool.compute)
    }
}

/// The addresses of a deployment.
#[derive(Clone, Copy, Debug)]
pub struct Deployment {
    /// `DatasetRegistry`.
    pub registry: Address,
    /// `AttributionSettlement`.
    pub settlement: Address,
    /// The registry's challenge window, in blocks.
    pub challenge_blocks: u64,
}

/// The revert reason of a call to the registry or the settlement, decoded
/// to the contract's custom error with its arguments where it is one
/// (`InvalidProof()`, `NotTrainer(3, 0x…)`), else the data in hex.
pub fn revert_reason(data: &[u8]) -> String {
    if let Ok(e) = S::IAttributionSettlementErrors::abi_decode(data, true) {
        return solidity_style(&format!("{e:?}"));
    }
    if let Ok(e) = R::IDatasetRegistryErrors::abi_decode(data, true) {
        return solidity_style(&format!("{e:?}"));
    }
    if data.is_empty() {
        return "no revert data".into();
    }
    format!("0x{}", hex::encode(data))
}

/// A decoded error's `Debug` text (`Name(Name { a: 1, b: 0x… })`, or
/// `Name(Name)` without parameters) as Solidity writes a call: `Name(1, 0x…)`.
/// The parameters are numbers, addresses and words: no commas or braces.
fn solidity_style(debug: &str) -> String {
    let name = debug.split('(').next().unwrap_or(debug);
    let args = match (debug.find('{'), debug.rfind('}')) {
        (Some(a), Some(b)) if a < b => debug[a + 1..b]
            .split(',')
            .filter_map(|kv| kv.split_once(':').map(|(_, v)| v.trim().to_string()))
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    };
    format!("{name}({args})")
}

/// `r` if it succeeded, else [`Error::Reverted`] naming `call`.
pub fn require(r: Receipt, call: &str) -> Result<Receipt, Error> {
    if r.success {
        Ok(r)
    } else {
        Err(Error::Reverted {
            call: call.into(),
            reason: revert_reason(&r.output),
        })
    }
}

/// `EpochCommitted`'s datasets and fees in a `commitEpoch` receipt.
pub fn committed_fees(r: &Receipt) -> Option<Vec<U256>> {
    r.logs
        .iter()
        .find_map(|l| S::EpochCommitted::decode_log_data(&l.data, true).ok())
        .map(|e| e.fees)
}

fn word(a: Address) -> Vec<u8> {
    let mut w = vec![0u8; 12];
    w.extend_from_slice(a.as_slice());
    w
}

fn code<'a>(artifacts: &'a HashMap<String, Artifact>, name: &str) -> Result<&'a Artifact, Error> {
    artifacts
        .get(name)
        .ok_or_else(|| Error::Compile(format!("solc produced no {name}")))
}

impl Deployment {
    /// Deploys the registry (challenge window `challenge_blocks`) and the
    /// settlement from `artifacts`.
    pub fn deploy(
        chain: &mut Chain,
        artifacts: &HashMap<String, Artifact>,
        deployer: Address,
        challenge_blocks: u64,
    ) -> Result<Self, Error> {
        let mut registry = code(artifacts, "DatasetRegistry")?.bytecode.clone();
        registry.extend(U256::from(challenge_blocks).to_be_bytes::<32>());
        let registry = chain.deploy(deployer, "DatasetRegistry", registry)?;
        let mut settlement = code(artifacts, "AttributionSettlement")?.bytecode.clone();
        settlement.extend(word(registry));
        let settlement = chain.deploy(deployer, "AttributionSettlement", settlement)?;
        Ok(Deployment {
            registry,
            settlement,
            challenge_blocks,
        })
    }

    fn send(
        &self,
        chain: &mut Chain,
        from: Address,
        value: U256,
        data: Vec<u8>,
    ) -> Result<Receipt, Error> {
        chain.call(from, self.settlement, value, data)
    }

    /// Commits to `(id, owner, secret)`, then registers (the next block);
    /// the registration's receipt, reverted or not.
    pub fn register_dataset(
        &self,
        chain: &mut Chain,
        owner: Address,
        id: U256,
        allowed: bool,
        fee: u128,
        secret: [u8; 32],
    ) -> Result<Receipt, Error> {
        let commitment = keccak256(
            [
                id.to_be_bytes::<32>().as_slice(),
                &word(owner),
                secret.as_slice(),
            ]
            .concat(),
        );
        let data = R::commitRegistrationCall { commitment }.abi_encode();
        require(
            chain.call(owner, self.registry, U256::ZERO, data)?,
            "commitRegistration",
        )?;
        self.reveal(chain, owner, id, allowed, fee, secret)
    }

    /// `register(id, allowed, fee, secret)` alone (step 2).
    pub fn reveal(
        &self,
        chain: &mut Chain,
        owner: Address,
        id: U256,
        allowed: bool,
        fee: u128,
        secret: [u8; 32],
    ) -> Result<Receipt, Error> {
        let data = R::registerCall {
            id,
            trainingAllowed: allowed,
            feePerEpoch: fee,
            secret: secret.into(),
        }
        .abi_encode();
        chain.call(owner, self.registry, U256::ZERO, data)
    }

    /// Mines past the registry's challenge window (registrations made so
    /// far become usable).
    pub fn pass_challenge_window(&self, chain: &mut Chain) {
        chain.mine(self.challenge_blocks + 1);
    }

    /// Registers a model; its id.
    pub fn register_model(
        &self,
        chain: &mut Chain,
        trainer: Address,
        t: &ModelTerms,
    ) -> Result<U256, Error> {
        let data = t.call().abi_encode();
        let r = require(
            self.send(chain, trainer, U256::ZERO, data)?,
            "registerModel",
        )?;
        Ok(U256::from_be_slice(&r.output))
    }

    /// `commitEpoch`; the receipt, reverted or not ([`committed_fees`]
    /// reads the recorded fees from it).
    #[allow(clippy::too_many_arguments)]
    pub fn commit_epoch(
        &self,
        chain: &mut Chain,
        trainer: Address,
        model: U256,
        epoch: U256,
        q: U256,
        v: U256,
        ids: &[U256],
        max_fees: &[U256],
    ) -> Result<Receipt, Error> {
        let data = S::commitEpochCall {
            model,
            epoch,
            q,
            v,
            datasetIds: ids.to_vec(),
            maxFees: max_fees.to_vec(),
        }
        .abi_encode();
        self.send(chain, trainer, U256::ZERO, data)
    }

    /// `deposit(model, amount)` sending `value` wei.
    pub fn deposit(
        &self,
        chain: &mut Chain,
        from: Address,
        model: U256,
        amount: U256,
        value: U256,
    ) -> Result<Receipt, Error> {
        let data = S::depositCall { model, amount }.abi_encode();
        self.send(chain, from, value, data)
    }

    /// `close(model)`.
    pub fn close(&self, chain: &mut Chain, from: Address, model: U256) -> Result<Receipt, Error> {
        let data = S::closeCall { model }.abi_encode();
        self.send(chain, from, U256::ZERO, data)
    }

    /// `poolOf(model, epoch)`.
    pub fn pool(&self, chain: &mut Chain, model: U256, epoch: U256) -> Result<Pool, Error> {
        let data = S::poolOfCall { model, epoch }.abi_encode();
        let r = require(self.send(chain, Address::ZERO, U256::ZERO, data)?, "poolOf")?;
        let p = S::poolOfCall::abi_decode_returns(&r.output, true)
            .map_err(|e| Error::Transaction(format!("poolOf returned {e}")))?;
        Ok(Pool {
            ok: p.ok,
            pool: p.pool,
            developer: p.developerShare,
            compute: p.computeShare,
        })
    }

    /// `settle(…)` from `from`; the receipt, reverted or not.
    pub fn settle(
        &self,
        chain: &mut Chain,
        from: Address,
        s: &Settlement,
    ) -> Result<Receipt, Error> {
        let data = S::settleCall {
            model: s.model,
            epoch: s.epoch,
            q: s.q,
            v: s.v,
            datasetIds: s.ids.clone(),
            fees: s.fees.clone(),
            payouts: s.payouts.clone(),
            proof: Bytes::copy_from_slice(&s.proof),
        }
        .abi_encode();
        self.send(chain, from, U256::ZERO, data)
    }

    /// `claim(…)` of leaf `leaf` of `leaves`, sent by `from`, paid to `to`
    /// (zero: the beneficiary).
    #[allow(clippy::too_many_arguments)]
    pub fn claim(
        &self,
        chain: &mut Chain,
        from: Address,
        s: &Settlement,
        leaves: &[FixedBytes<32>],
        leaf: usize,
        amount: U256,
        to: Address,
    ) -> Result<Receipt, Error> {
        let data = s.claim_call(leaves, leaf, amount, to).abi_encode();
        self.send(chain, from, U256::ZERO, data)
    }

    /// `refund(model, epoch, to)` by `from`.
    pub fn refund(
        &self,
        chain: &mut Chain,
        from: Address,
        model: U256,
        epoch: U256,
        to: Address,
    ) -> Result<Receipt, Error> {
        let data = S::refundCall { model, epoch, to }.abi_encode();
        self.send(chain, from, U256::ZERO, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_sol_types::SolError;

    #[test]
    fn revert_reasons_read_like_solidity() {
        assert_eq!(
            revert_reason(&S::InvalidProof {}.abi_encode()),
            "InvalidProof()"
        );
        let caller = Address::with_last_byte(0xab);
        let e = S::NotTrainer {
            model: U256::from(3),
            caller,
        };
        assert_eq!(
            revert_reason(&e.abi_encode()),
            format!("NotTrainer(3, {caller:?})")
        );
        let e = R::NotUsableYet {
            id: U256::from(7),
            usableFrom: U256::from(12),
        };
        assert_eq!(revert_reason(&e.abi_encode()), "NotUsableYet(7, 12)");
        // Unknown data stays hex; none is said so.
        assert_eq!(revert_reason(&[1, 2, 3, 4]), "0x01020304");
        assert_eq!(revert_reason(&[]), "no revert data");
    }
}
