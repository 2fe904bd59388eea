//! `poa chain status`: a model's epochs, or one epoch and its leaves, as
//! the chain records them.

use anyhow::{Context as _, Result};
use poa_contracts::abi::IAttributionSettlement as S;
use revm::primitives::U256;
use serde_json::{json, Value};

use super::deploy::DeploymentFile;
use super::onchain::{self, phase_name};
use super::rpc::Conn;
use crate::output::{Outcome, Ui};

fn epoch_json(
    conn: &Conn,
    d: &DeploymentFile,
    model: U256,
    epoch: U256,
    leaves: bool,
) -> Result<Value> {
    let e = onchain::epoch(conn, d, model, epoch)?;
    let pool = conn.view(d.settlement, &S::poolOfCall { model, epoch })?;
    let mut j = json!({
        "epoch": epoch.to_string(),
        "phase": phase_name(e.phase),
        "revenue": e.revenue.to_string(),
        "pool": pool.pool.to_string(),
        "developerShare": pool.developerShare.to_string(),
        "computeShare": pool.computeShare.to_string(),
        "fees": e.totalFees.to_string(),
        "n": e.n,
        "openedAt": e.openedAt,
        "closedAt": e.closedAt,
    });
    if leaves && phase_name(e.phase) == "settled" {
        if let Some(st) = onchain::settled(conn, d, model, epoch)? {
            let mut ls = Vec::new();
            for l in &st.leaves {
                let claimed = conn
                    .view(
                        d.settlement,
                        &S::claimedCall {
                            model,
                            epoch,
                            leaf: U256::from(l.index),
                        },
                    )?
                    ._0;
                ls.push(json!({
                    "leaf": l.index,
                    "kind": l.kind,
                    "dataset": l.dataset.to_string(),
                    "amount": l.amount.to_string(),
                    "claimed": claimed,
                }));
            }
            j["settledAt"] = json!({ "block": st.block, "tx": st.tx });
            j["dust"] = json!(st.event.dust.to_string());
            j["leaves"] = Value::Array(ls);
        }
    }
    Ok(j)
}

/// The most epochs listed without `--epoch`.
const MAX_EPOCHS: u64 = 10_000;

pub fn run(
    ui: &Ui,
    conn: &Conn,
    d: &DeploymentFile,
    model: U256,
    epoch: Option<U256>,
) -> Result<Outcome> {
    let m = onchain::model(conn, d, model)?;
    let epochs: Vec<U256> = match epoch {
        Some(e) => vec![e],
        None => {
            // Every epoch and the pending next one; an RPC claiming more
            // than a person can read is refused, not looped over.
            let last = m
                .epochs
                .checked_add(1)
                .filter(|&n| n <= MAX_EPOCHS)
                .with_context(|| {
                    format!(
                        "model {model} reports {} epochs (more than {MAX_EPOCHS}): give --epoch",
                        m.epochs
                    )
                })?;
            (1..=last).map(U256::from).collect()
        }
    };
    let mut rows = Vec::new();
    for e in &epochs {
        rows.push(epoch_json(conn, d, model, *e, epoch.is_some())?);
    }
    let out = json!({
        "ok": true,
        "chainId": conn.chain_id,
        "settlement": d.settlement,
        "model": model.to_string(),
        "trainer": m.trainer,
        "verifier": m.verifier,
        "slots": m.slots,
        "epochs": rows,
    });
    if ui.json {
        ui.emit(&out);
        return Ok(Outcome::Ok);
    }
    ui.say(format!(
        "model {model} on chain {} (settlement {}), trainer {}, {} slots",
        conn.chain_id, d.settlement, m.trainer, m.slots
    ));
    ui.say(format!(
        "{:>6}  {:<8} {:>26} {:>26} {:>4}",
        "epoch", "phase", "revenue (wei)", "pool (wei)", "n"
    ));
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    for r in &rows {
        ui.say(format!(
            "{:>6}  {:<8} {:>26} {:>26} {:>4}",
            r["epoch"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| r["epoch"].to_string()),
            s(&r["phase"]),
            s(&r["revenue"]),
            s(&r["pool"]),
            r["n"].to_string()
        ));
        if let Some(ls) = r["leaves"].as_array() {
            ui.say(format!(
                "  settled at block {}; leaves:",
                r["settledAt"]["block"]
            ));
            ui.say(format!(
                "  {:>4}  {:<8} {:>26}  {:<7} dataset",
                "leaf", "kind", "amount (wei)", "claimed"
            ));
            for l in ls {
                ui.say(format!(
                    "  {:>4}  {:<8} {:>26}  {:<7} {}",
                    l["leaf"].to_string(),
                    s(&l["kind"]),
                    s(&l["amount"]),
                    if l["claimed"] == json!(true) {
                        "yes"
                    } else {
                        "no"
                    },
                    s(&l["dataset"])
                ));
            }
        }
    }
    Ok(Outcome::Ok)
}
