//! What the chain says about a model and its epochs: the settlement's
//! getters, its events, and the claims tree rebuilt from the `settle`
//! transaction's calldata (nothing from the trainer).

use alloy::rpc::types::Filter;
use alloy_sol_types::{SolCall, SolEvent};
use anyhow::{bail, Context as _, Result};
use poa_contracts::abi::IAttributionSettlement as S;
use poa_contracts::claims;
use revm::primitives::{Address, FixedBytes, B256, U256};

use super::deploy::DeploymentFile;
use super::rpc::Conn;

/// The settlement's phase names, in its enum's order.
pub const PHASES: [&str; 5] = ["pending", "open", "closed", "settled", "void"];

/// A phase's name.
pub fn phase_name(p: u8) -> &'static str {
    PHASES.get(p as usize).copied().unwrap_or("unknown")
}

/// `models(model)`, with an error naming the model when it is unknown.
pub fn model(conn: &Conn, d: &DeploymentFile, model: U256) -> Result<S::modelsReturn> {
    let m = conn.view(d.settlement, &S::modelsCall { model })?;
    if m.trainer == Address::ZERO {
        bail!("model {model} is not registered on this settlement");
    }
    Ok(m)
}

/// `epochs(model, epoch)`.
pub fn epoch(conn: &Conn, d: &DeploymentFile, model: U256, epoch: U256) -> Result<S::epochsReturn> {
    conn.view(d.settlement, &S::epochsCall { model, epoch })
}

/// The first log of event `E` with `model` and `epoch` as its first two
/// indexed topics, decoded, with its block and transaction.
pub fn event<E: SolEvent>(
    conn: &Conn,
    d: &DeploymentFile,
    model: U256,
    epoch: U256,
) -> Result<Option<(E, u64, B256)>> {
    let filter = Filter::new()
        .address(d.settlement)
        .event_signature(E::SIGNATURE_HASH)
        .topic1(B256::from(model))
        .topic2(B256::from(epoch))
        .from_block(d.block);
    let Some(log) = conn.logs(filter)?.into_iter().next() else {
        return Ok(None);
    };
    let e = E::decode_raw_log(log.topics(), &log.data().data, true)
        .map_err(|e| anyhow::anyhow!("{}: undecodable log: {e}", E::SIGNATURE))?;
    Ok(Some((
        e,
        log.block_number.unwrap_or_default(),
        log.transaction_hash.unwrap_or_default(),
    )))
}

/// One leaf of a settled epoch's claims tree.
#[derive(Clone, Debug)]
pub struct Leaf {
    /// Its index.
    pub index: usize,
    /// `slot c`, `trainer` or `compute`.
    pub kind: String,
    /// The dataset (0 for the trainer's and the compute provider's).
    pub dataset: U256,
    /// What it pays.
    pub amount: U256,
}

/// A settled epoch as the chain records it.
pub struct Settled {
    /// The `EpochSettled` event.
    pub event: S::EpochSettled,
    /// Its block.
    pub block: u64,
    /// The settle transaction.
    pub tx: B256,
    /// The leaves, in order.
    pub leaves: Vec<Leaf>,
    /// Their hashes (what paths are made of).
    pub hashes: Vec<FixedBytes<32>>,
}

/// The settled epoch: its `EpochSettled` event, and the claims tree from
/// the datasets, fees and payouts of the settle transaction's calldata,
/// checked against the event's root. `None` when not settled.
pub fn settled(
    conn: &Conn,
    d: &DeploymentFile,
    model: U256,
    epoch: U256,
) -> Result<Option<Settled>> {
    let Some((ev, block, tx)) = event::<S::EpochSettled>(conn, d, model, epoch)? else {
        return Ok(None);
    };
    let input = conn.tx_input(tx)?;
    let call = S::settleCall::abi_decode(&input, true).with_context(|| {
        format!("epoch {epoch} was settled by transaction {tx}, which is not a direct call of settle: its claims tree cannot be read from its calldata")
    })?;
    let n = call.datasetIds.len();
    let mut leaves: Vec<Leaf> = (0..n)
        .map(|c| Leaf {
            index: c,
            kind: format!("slot {c}"),
            dataset: call.datasetIds[c],
            amount: call.payouts[c] + call.fees[c],
        })
        .collect();
    leaves.push(Leaf {
        index: n,
        kind: "trainer".into(),
        dataset: U256::ZERO,
        amount: ev.developerShare + ev.dust,
    });
    leaves.push(Leaf {
        index: n + 1,
        kind: "compute".into(),
        dataset: U256::ZERO,
        amount: ev.computeShare,
    });
    let slots: Vec<(U256, U256)> = leaves[..n].iter().map(|l| (l.dataset, l.amount)).collect();
    let hashes = claims::leaves(&slots, leaves[n].amount, leaves[n + 1].amount);
    if claims::root(&hashes) != ev.claimsRoot {
        bail!(
            "the claims tree rebuilt from transaction {tx} does not have the settled root {}",
            ev.claimsRoot
        );
    }
    Ok(Some(Settled {
        event: ev,
        block,
        tx,
        leaves,
        hashes,
    }))
}
