//! What the chain says about a model and its epochs: the settlement's
//! getters, its events, and the claims tree rebuilt from the `settle`
//! settlement's own events and, for the payouts only, the `settle`
//! transaction's calldata checked against the settled root (nothing from
//! the trainer).

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
/// indexed topics, decoded, with its block and transaction. Logs a reorg
/// removed are skipped; a log from another address is refused (the node
/// answered for a filter it was not given).
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
    let Some(log) = conn.logs(filter)?.into_iter().find(|l| !l.removed) else {
        return Ok(None);
    };
    if log.address() != d.settlement {
        bail!(
            "{}: the node returned a log of {} for the settlement {}: use a node you trust",
            E::SIGNATURE,
            log.address(),
            d.settlement
        );
    }
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
    /// The settle call: model, epoch, Q, V, datasets and fees from the
    /// settlement's `EpochCommitted` event, the payouts from the calldata
    /// (checked against the settled root), the proof as sent (unchecked:
    /// verify it before trusting it).
    pub call: S::settleCall,
    /// The leaves, in order.
    pub leaves: Vec<Leaf>,
    /// Their hashes (what paths are made of).
    pub hashes: Vec<FixedBytes<32>>,
}

/// The settled epoch: its `EpochSettled` event, and the claims tree from
/// the datasets and fees of the settlement's `EpochCommitted` event and
/// the payouts of the settle transaction's calldata, accepted only when the
/// tree has the event's root. `None` when not settled.
pub fn settled(
    conn: &Conn,
    d: &DeploymentFile,
    model: U256,
    epoch: U256,
) -> Result<Option<Settled>> {
    let Some((ev, block, tx)) = event::<S::EpochSettled>(conn, d, model, epoch)? else {
        return Ok(None);
    };
    let (committed, _, _) =
        event::<S::EpochCommitted>(conn, d, model, epoch)?.with_context(|| {
            format!("epoch {epoch} of model {model} is settled but has no EpochCommitted event")
        })?;
    let n = committed.datasetIds.len();
    if committed.fees.len() != n {
        bail!(
            "the EpochCommitted event of epoch {epoch} has {n} datasets but {} fees",
            committed.fees.len()
        );
    }
    let input = conn.tx_input(tx)?;
    let mut call = S::settleCall::abi_decode(&input, true).with_context(|| {
        format!("epoch {epoch} was settled by transaction {tx}, which is not a direct call of settle \
                 (a settle made through a contract, e.g. a Safe or a multicall, cannot be read: \
                 reading it from traces is not supported): its payouts cannot be read from its calldata")
    })?;
    if call.payouts.len() != n {
        bail!(
            "transaction {tx} has {} payouts for the {n} committed datasets of epoch {epoch}",
            call.payouts.len()
        );
    }
    let overflow = || format!("transaction {tx}: a payout plus its fee overflows 256 bits");
    let mut leaves = Vec::with_capacity(n + 2);
    for c in 0..n {
        leaves.push(Leaf {
            index: c,
            kind: format!("slot {c}"),
            dataset: committed.datasetIds[c],
            amount: call.payouts[c]
                .checked_add(committed.fees[c])
                .with_context(overflow)?,
        });
    }
    leaves.push(Leaf {
        index: n,
        kind: "trainer".into(),
        dataset: U256::ZERO,
        amount: ev
            .developerShare
            .checked_add(ev.dust)
            .context("EpochSettled: developer share plus dust overflows 256 bits")?,
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
            "the claims tree rebuilt from the committed datasets and fees and the payouts of transaction {tx} \
             does not have the settled root {}",
            ev.claimsRoot
        );
    }
    // Only now are the calldata's payouts the settled ones; everything
    // else the contract checked comes from its own event.
    call.model = model;
    call.epoch = epoch;
    call.q = committed.q;
    call.v = committed.v;
    call.datasetIds = committed.datasetIds;
    call.fees = committed.fees;
    Ok(Some(Settled {
        event: ev,
        block,
        tx,
        call,
        leaves,
        hashes,
    }))
}
