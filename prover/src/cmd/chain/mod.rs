//! `poa chain …`: the registry and the settlement on a real chain over
//! JSON-RPC (alloy). Calldata is encoded and return data, events and
//! reverts decoded with `poa_contracts`' ABI, the same the revm tests use.

pub mod audit;
pub mod deploy;
mod onchain;
pub mod rpc;
mod status;

use std::path::PathBuf;

use alloy_sol_types::{SolCall, SolEvent};
use anyhow::{bail, Context as _, Result};
use poa_circuits::field::fr_to_be_bytes;
use poa_circuits::formats::Claim;
use poa_contracts::abi::IAttributionSettlement as S;
use poa_contracts::abi::IDatasetRegistry as R;
use revm::primitives::{Address, Bytes, U256};
use serde_json::json;

pub use deploy::DeploymentFile;
use onchain::phase_name;
use rpc::{Conn, Failure, Sent, SignerArgs};

use crate::output::{Outcome, Ui};

/// Options of every chain command.
#[derive(clap::Args, Clone)]
pub struct ChainArgs {
    /// The node's JSON-RPC URL.
    #[arg(long)]
    pub rpc_url: String,
    /// The deployment file (`deploy` writes it).
    #[arg(long, default_value = "deployment.json")]
    pub deployment: PathBuf,
    #[command(flatten)]
    pub signer: SignerArgs,
    /// Estimate gas and simulate; send nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Put an epoch on a chain: deploy, register, commit, deposit, close,
/// settle, claim, refund, and read its status.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Deploy the registry and the settlement (and, with --params, the verifier).
    Deploy {
        #[command(flatten)]
        c: ChainArgs,
        /// Blocks during which an older registration commitment can take a
        /// dataset over.
        #[arg(long, default_value_t = 7200)]
        challenge_blocks: u64,
        /// Folder with the verifying key whose verifier to deploy too.
        #[arg(long)]
        params: Option<PathBuf>,
        /// The backend of --params.
        #[arg(long, default_value = "groth16", requires = "params")]
        backend: String,
    },
    /// Register a dataset commitment (commit, then reveal in a later block).
    RegisterDataset {
        #[command(flatten)]
        c: ChainArgs,
        /// The commitment (decimal or 0x hex).
        #[arg(long, required_unless_present = "commitment_file")]
        commitment: Option<String>,
        /// A file from `poa dataset commit --json` holding it.
        #[arg(long, conflicts_with = "commitment")]
        commitment_file: Option<PathBuf>,
        /// Fee per settled epoch, in wei of the model's token.
        #[arg(long, default_value_t = 0)]
        fee: u128,
        /// The license forbids training (the dataset cannot be committed).
        #[arg(long)]
        no_training: bool,
    },
    /// Register a model; the signer is its trainer.
    RegisterModel {
        #[command(flatten)]
        c: ChainArgs,
        /// The verifier (default: the deployment's).
        #[arg(long)]
        verifier: Option<Address>,
        /// Participant slots N of the verifier's shape.
        #[arg(long)]
        slots: u32,
        /// The developer's share of revenue, basis points.
        #[arg(long, default_value_t = 0)]
        developer_bps: u16,
        /// The compute provider.
        #[arg(long)]
        compute_provider: Option<Address>,
        /// The compute provider's share, basis points.
        #[arg(long, default_value_t = 0)]
        compute_bps: u16,
        /// Seconds after a commit from which anyone may close the epoch.
        #[arg(long, default_value_t = 7 * 24 * 3600)]
        epoch_duration: u32,
        /// Seconds after a close within which the epoch must be settled.
        #[arg(long, default_value_t = 7 * 24 * 3600)]
        settle_window: u32,
    },
    /// Open the model's next epoch with the claim's Q, V and datasets.
    Commit {
        #[command(flatten)]
        c: ChainArgs,
        #[arg(long)]
        model: U256,
        /// A claim from `poa attribute` (Q, V and the datasets in slot order).
        #[arg(long)]
        claim: PathBuf,
        /// The highest fee accepted per dataset (default: their current fees).
        #[arg(long)]
        max_fee: Option<u128>,
    },
    /// Deposit revenue (ETH) to the model's accruing epoch.
    Deposit {
        #[command(flatten)]
        c: ChainArgs,
        #[arg(long)]
        model: U256,
        /// Wei.
        #[arg(long)]
        amount: U256,
    },
    /// Close the model's open epoch (freezes its pool).
    Close {
        #[command(flatten)]
        c: ChainArgs,
        #[arg(long)]
        model: U256,
    },
    /// Settle an epoch with a claim and its proof.
    Settle {
        #[command(flatten)]
        c: ChainArgs,
        #[arg(long)]
        claim: PathBuf,
        #[arg(long)]
        proof: PathBuf,
    },
    /// Claim a leaf of a settled epoch, rebuilt from the chain alone.
    Claim {
        #[command(flatten)]
        c: ChainArgs,
        #[arg(long)]
        model: U256,
        #[arg(long)]
        epoch: U256,
        /// The dataset's slot.
        #[arg(long, required_unless_present_any = ["trainer", "compute"])]
        dataset: Option<U256>,
        /// The trainer's leaf (developer share and dust).
        #[arg(long, conflicts_with_all = ["dataset", "compute"])]
        trainer: bool,
        /// The compute provider's leaf.
        #[arg(long, conflicts_with = "dataset")]
        compute: bool,
        /// Pay to (only the beneficiary may name another; default: the beneficiary).
        #[arg(long)]
        to: Option<Address>,
        /// Claim this amount instead of the settled one (it reverts: for tests of the contract).
        #[arg(long, hide = true)]
        amount: Option<U256>,
    },
    /// Refund the signer's deposit to a void (or expired) epoch.
    Refund {
        #[command(flatten)]
        c: ChainArgs,
        #[arg(long)]
        model: U256,
        #[arg(long)]
        epoch: U256,
        #[arg(long)]
        to: Option<Address>,
    },
    /// One model's epochs, or one epoch with each leaf's payout and claim.
    Status {
        #[command(flatten)]
        c: ChainArgs,
        #[arg(long)]
        model: U256,
        #[arg(long)]
        epoch: Option<U256>,
    },
}

/// A connection opened for one command, or one the caller holds (`poa
/// demo --rpc-url`, which runs these commands as several signers).
enum Held<'a> {
    Opened(Conn),
    Given(&'a Conn),
}

impl std::ops::Deref for Held<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        match self {
            Held::Opened(c) => c,
            Held::Given(c) => c,
        }
    }
}

/// Connects (unless `given`) and checks the deployment (all but `deploy`).
fn connect<'a>(c: &ChainArgs, given: Option<&'a Conn>) -> Result<(Held<'a>, DeploymentFile)> {
    let d = DeploymentFile::read(&c.deployment)?;
    let conn = match given {
        Some(g) => Held::Given(g),
        None => Held::Opened(Conn::open(&c.rpc_url, c.signer.load()?, c.dry_run)?),
    };
    d.check(&conn, &c.deployment)?;
    Ok((conn, d))
}

pub fn run(ui: &Ui, cmd: &Command) -> Result<Outcome> {
    match run_inner(ui, cmd) {
        Ok(o) => Ok(o),
        Err(e) => match e.downcast_ref::<Failure>() {
            Some(f @ Failure::Reverted { .. }) => {
                if ui.json {
                    ui.emit(&json!({ "ok": false, "reverted": true, "error": f.to_string() }));
                } else {
                    eprintln!("{f}");
                }
                Ok(Outcome::Rejected)
            }
            _ => Err(e),
        },
    }
}

fn report(ui: &Ui, what: &str, s: &Sent, extra: serde_json::Value) -> Outcome {
    ui.say(s.line(what));
    let mut j = s.json(what);
    if let (Some(o), Some(e)) = (j.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
        o.insert("ok".into(), true.into());
    }
    ui.emit(&j);
    Outcome::Ok
}

fn u256_of_fr(x: &poa_circuits::Fr) -> U256 {
    U256::from_be_bytes(fr_to_be_bytes(x))
}

fn parse_commitment(text: &str) -> Result<U256> {
    let fr = poa_circuits::field::parse_fr("--commitment", text.trim())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(u256_of_fr(&fr))
}

fn run_inner(ui: &Ui, cmd: &Command) -> Result<Outcome> {
    exec(ui, cmd, None)
}

/// Runs `cmd`, on `conn` (its signer sends) when given, else on the
/// connection its options name. A revert is an `Err` holding
/// [`Failure::Reverted`].
pub fn exec(ui: &Ui, cmd: &Command, conn: Option<&Conn>) -> Result<Outcome> {
    match cmd {
        Command::Deploy {
            c,
            challenge_blocks,
            params,
            backend,
        } => {
            let conn = Conn::open(&c.rpc_url, c.signer.load()?, c.dry_run)?;
            let (file, sent) = deploy::deploy(
                ui,
                &conn,
                &c.deployment,
                *challenge_blocks,
                params.as_ref(),
                backend,
            )?;
            let txs: Vec<_> = sent.iter().map(|(n, s)| s.json(n)).collect();
            ui.emit(&json!({ "ok": true, "deployment": file, "transactions": txs }));
            Ok(Outcome::Ok)
        }
        Command::RegisterDataset {
            c,
            commitment,
            commitment_file,
            fee,
            no_training,
        } => {
            let id = match (commitment, commitment_file) {
                (Some(t), _) => parse_commitment(t)?,
                (None, Some(f)) => {
                    let text = std::fs::read_to_string(f)
                        .with_context(|| format!("{}: cannot read", f.display()))?;
                    let v: serde_json::Value = serde_json::from_str(&text)
                        .with_context(|| format!("{}: not JSON", f.display()))?;
                    let t = v["dataset"]["commitment"]
                        .as_str()
                        .or(v["commitment"].as_str())
                        .with_context(|| {
                            format!("{}: no field `dataset.commitment`", f.display())
                        })?;
                    parse_commitment(t)?
                }
                (None, None) => bail!("give --commitment or --commitment-file"),
            };
            let (conn, d) = connect(c, conn)?;
            let me = conn.signer()?;
            let owner = conn.view(d.registry, &R::ownerOfCall { id })?._0;
            if owner != Address::ZERO {
                let usable = conn.view(d.registry, &R::usableFromCall { id })?._0;
                if owner == me {
                    ui.say(format!(
                        "dataset {id} is already registered to you ({owner}); usable from block {usable}"
                    ));
                    ui.emit(&json!({ "ok": true, "already": true, "owner": owner, "usableFrom": usable.to_string() }));
                    return Ok(Outcome::Ok);
                }
                bail!("dataset {id} is already registered to {owner}");
            }
            let mut secret = [0u8; 32];
            getrandom::getrandom(&mut secret)
                .context("no randomness for the registration secret")?;
            let commitment = conn
                .view(
                    d.registry,
                    &R::registrationCommitmentCall {
                        id,
                        registrant: me,
                        secret: secret.into(),
                    },
                )?
                ._0;
            let s1 = conn.send(
                "commitRegistration",
                Some(d.registry),
                R::commitRegistrationCall { commitment }.abi_encode(),
                U256::ZERO,
            )?;
            ui.say(s1.line("commitRegistration"));
            if conn.dry_run {
                ui.say("register: dry run stops here (the reveal needs the commitment mined)");
                ui.emit(&json!({ "ok": true, "dryRun": true, "gasEstimate": s1.gas }));
                return Ok(Outcome::Ok);
            }
            // The commitment is mined: the reveal, sent now, lands in a
            // later block, as the registry requires.
            let call = R::registerCall {
                id,
                trainingAllowed: !no_training,
                feePerEpoch: *fee,
                secret: secret.into(),
            };
            let s2 = conn.send("register", Some(d.registry), call.abi_encode(), U256::ZERO)?;
            let usable = conn.view(d.registry, &R::usableFromCall { id })?._0;
            ui.say(format!(
                "dataset {id} registered; usable from block {usable}"
            ));
            report(
                ui,
                "register",
                &s2,
                json!({ "dataset": id.to_string(), "usableFrom": usable.to_string(), "commitTx": s1.hash }),
            );
            Ok(Outcome::Ok)
        }
        Command::RegisterModel {
            c,
            verifier,
            slots,
            developer_bps,
            compute_provider,
            compute_bps,
            epoch_duration,
            settle_window,
        } => {
            let (conn, d) = connect(c, conn)?;
            let verifier = match verifier {
                Some(v) => *v,
                None => d
                    .verifier
                    .as_ref()
                    .map(|v| v.address)
                    .context("the deployment has no verifier: pass --verifier ADDRESS")?,
            };
            let terms = poa_contracts::settlement::ModelTerms {
                verifier,
                slots: *slots,
                developer_bps: *developer_bps,
                compute_provider: compute_provider.unwrap_or_default(),
                compute_bps: *compute_bps,
                token: Address::ZERO,
                epoch_duration: *epoch_duration,
                settle_window: *settle_window,
            };
            let s = conn.send(
                "registerModel",
                Some(d.settlement),
                terms.call().abi_encode(),
                U256::ZERO,
            )?;
            let model = s
                .logs
                .iter()
                .find_map(|l| {
                    S::ModelRegistered::decode_raw_log(l.topics(), &l.data().data, true).ok()
                })
                .map(|e| e.model);
            if let Some(m) = model {
                ui.say(format!("model {m} registered (trainer {})", conn.signer()?));
            }
            Ok(report(
                ui,
                "registerModel",
                &s,
                json!({ "model": model.map(|m| m.to_string()) }),
            ))
        }
        Command::Commit {
            c,
            model,
            claim,
            max_fee,
        } => {
            let (conn, d) = connect(c, conn)?;
            let claim = Claim::read(claim)?;
            let m = onchain::model(&conn, &d, *model)?;
            let next = U256::from(m.epochs) + U256::from(1);
            if m.open {
                let open = U256::from(m.epochs);
                let at = onchain::event::<S::EpochCommitted>(&conn, &d, *model, open)?
                    .map(|(_, b, _)| format!(" at block {b}"))
                    .unwrap_or_default();
                bail!("epoch {open} of model {model} is already committed{at} and still open: close and settle it first");
            }
            let ids: Vec<U256> = claim.public.datasets.iter().map(u256_of_fr).collect();
            let max: Vec<U256> = match max_fee {
                Some(f) => vec![U256::from(*f); ids.len()],
                None => {
                    conn.view(d.registry, &R::feesNowCall { ids: ids.clone() })?
                        .fees
                }
            };
            let call = S::commitEpochCall {
                model: *model,
                epoch: next,
                q: u256_of_fr(&claim.public.q),
                v: u256_of_fr(&claim.public.v),
                datasetIds: ids,
                maxFees: max,
            };
            let s = conn.send(
                "commitEpoch",
                Some(d.settlement),
                call.abi_encode(),
                U256::ZERO,
            )?;
            if !s.dry_run {
                ui.say(format!("epoch {next} of model {model} committed and open"));
            }
            Ok(report(
                ui,
                "commitEpoch",
                &s,
                json!({ "model": model.to_string(), "epoch": next.to_string() }),
            ))
        }
        Command::Deposit { c, model, amount } => {
            let (conn, d) = connect(c, conn)?;
            let m = onchain::model(&conn, &d, *model)?;
            if m.token != Address::ZERO {
                bail!(
                    "model {model} is paid in token {}: `poa chain deposit` sends ETH only",
                    m.token
                );
            }
            let call = S::depositCall {
                model: *model,
                amount: *amount,
            };
            let s = conn.send("deposit", Some(d.settlement), call.abi_encode(), *amount)?;
            let epoch = s
                .logs
                .iter()
                .find_map(|l| {
                    S::RevenueDeposited::decode_raw_log(l.topics(), &l.data().data, true).ok()
                })
                .map(|e| e.epoch);
            Ok(report(
                ui,
                "deposit",
                &s,
                json!({ "model": model.to_string(), "epoch": epoch.map(|e| e.to_string()), "amount": amount.to_string() }),
            ))
        }
        Command::Close { c, model } => {
            let (conn, d) = connect(c, conn)?;
            let m = onchain::model(&conn, &d, *model)?;
            if !m.open {
                let last = U256::from(m.epochs);
                if m.epochs == 0 {
                    bail!("model {model} has no epoch to close: commit one first");
                }
                let e = onchain::epoch(&conn, &d, *model, last)?;
                let at = onchain::event::<S::EpochClosed>(&conn, &d, *model, last)?
                    .map(|(_, b, _)| format!(" at block {b}"))
                    .unwrap_or_default();
                bail!(
                    "epoch {last} of model {model} is already closed{at} (now {})",
                    phase_name(e.phase)
                );
            }
            let call = S::closeCall { model: *model };
            let s = conn.send("close", Some(d.settlement), call.abi_encode(), U256::ZERO)?;
            let epoch = U256::from(m.epochs);
            let pool = conn.view(
                d.settlement,
                &S::poolOfCall {
                    model: *model,
                    epoch,
                },
            )?;
            if !s.dry_run {
                ui.say(format!(
                    "epoch {epoch} closed: pool {} wei{}",
                    pool.pool,
                    if pool.ok {
                        ""
                    } else {
                        " (void: revenue does not cover fees and shares)"
                    }
                ));
            }
            Ok(report(
                ui,
                "close",
                &s,
                json!({ "model": model.to_string(), "epoch": epoch.to_string(), "pool": pool.pool.to_string() }),
            ))
        }
        Command::Settle { c, claim, proof } => {
            let (conn, d) = connect(c, conn)?;
            let cl = Claim::read(claim)?;
            let ctx = &cl.public.ctx;
            let word = |x: &num_bigint::BigUint| U256::from_be_slice(&x.to_bytes_be());
            let (model, epoch) = (word(&ctx.model_id), word(&ctx.epoch));
            if word(&ctx.chain_id) != U256::from(conn.chain_id)
                || word(&ctx.verifier) != U256::from_be_slice(d.settlement.as_slice())
            {
                bail!(
                    "{}: the claim is for chain {} and settlement 0x{:040x}, not chain {} and {}: \
                     set the epoch file's ctx (chainId, verifier = the settlement) and attribute and prove again",
                    claim.display(),
                    ctx.chain_id,
                    ctx.verifier,
                    conn.chain_id,
                    d.settlement
                );
            }
            let e = onchain::epoch(&conn, &d, model, epoch)?;
            match phase_name(e.phase) {
                "closed" => {}
                "settled" => {
                    let at = onchain::event::<S::EpochSettled>(&conn, &d, model, epoch)?
                        .map(|(_, b, tx)| format!(" at block {b} (tx {tx})"))
                        .unwrap_or_default();
                    bail!("epoch {epoch} of model {model} is already settled{at}");
                }
                p => bail!(
                    "epoch {epoch} of model {model} is {p}: only a closed epoch can be settled"
                ),
            }
            let pool = conn.view(d.settlement, &S::poolOfCall { model, epoch })?;
            if pool.pool != U256::from(cl.public.pool) {
                bail!(
                    "{}: the claim binds pool {} but the closed epoch's pool is {}: set the epoch file's pool to {} and attribute and prove again",
                    claim.display(),
                    cl.public.pool,
                    pool.pool,
                    pool.pool
                );
            }
            let fees = onchain::event::<S::EpochCommitted>(&conn, &d, model, epoch)?
                .context("no EpochCommitted event for this epoch")?
                .0
                .fees;
            let call = S::settleCall {
                model,
                epoch,
                q: u256_of_fr(&cl.public.q),
                v: u256_of_fr(&cl.public.v),
                datasetIds: cl.public.datasets.iter().map(u256_of_fr).collect(),
                fees,
                payouts: cl.public.payouts.iter().map(|&p| U256::from(p)).collect(),
                proof: Bytes::from(evm_proof(proof)?),
            };
            let s = conn.send("settle", Some(d.settlement), call.abi_encode(), U256::ZERO)?;
            if !s.dry_run {
                ui.say(format!("epoch {epoch} of model {model} settled"));
            }
            Ok(report(
                ui,
                "settle",
                &s,
                json!({ "model": model.to_string(), "epoch": epoch.to_string() }),
            ))
        }
        Command::Claim {
            c,
            model,
            epoch,
            dataset,
            trainer,
            compute,
            to,
            amount,
        } => {
            let (conn, d) = connect(c, conn)?;
            let st = onchain::settled(&conn, &d, *model, *epoch)?.with_context(|| {
                format!("epoch {epoch} of model {model} is not settled: nothing to claim yet")
            })?;
            let n = st.leaves.len() - 2;
            let leaf = if *trainer {
                n
            } else if *compute {
                n + 1
            } else {
                let id = dataset.context("give --dataset, --trainer or --compute")?;
                st.leaves[..n]
                    .iter()
                    .position(|l| l.dataset == id)
                    .with_context(|| {
                        format!("dataset {id} has no slot in epoch {epoch} of model {model}")
                    })?
            };
            let l = &st.leaves[leaf];
            let done = conn
                .view(
                    d.settlement,
                    &S::claimedCall {
                        model: *model,
                        epoch: *epoch,
                        leaf: U256::from(leaf),
                    },
                )?
                ._0;
            if done {
                let at = claimed_at(&conn, &d, *model, *epoch, leaf)?;
                bail!(
                    "leaf {leaf} ({}) of epoch {epoch} is already claimed{at}",
                    l.kind
                );
            }
            let call = S::claimCall {
                model: *model,
                epoch: *epoch,
                leaf: U256::from(leaf),
                datasetId: l.dataset,
                amount: amount.unwrap_or(l.amount),
                path: poa_contracts::claims::path(&st.hashes, leaf),
                to: to.unwrap_or_default(),
            };
            let s = conn.send("claim", Some(d.settlement), call.abi_encode(), U256::ZERO)?;
            if !s.dry_run {
                ui.say(format!(
                    "leaf {leaf} ({}) claimed: {} wei",
                    l.kind, l.amount
                ));
            }
            Ok(report(
                ui,
                "claim",
                &s,
                json!({ "model": model.to_string(), "epoch": epoch.to_string(), "leaf": leaf, "kind": l.kind, "amount": l.amount.to_string() }),
            ))
        }
        Command::Refund {
            c,
            model,
            epoch,
            to,
        } => {
            let (conn, d) = connect(c, conn)?;
            let call = S::refundCall {
                model: *model,
                epoch: *epoch,
                to: to.unwrap_or_default(),
            };
            let s = conn.send("refund", Some(d.settlement), call.abi_encode(), U256::ZERO)?;
            Ok(report(
                ui,
                "refund",
                &s,
                json!({ "model": model.to_string(), "epoch": epoch.to_string() }),
            ))
        }
        Command::Status { c, model, epoch } => {
            let (conn, d) = connect(c, conn)?;
            status::run(ui, &conn, &d, *model, *epoch)
        }
    }
}

/// The transaction that claimed leaf `leaf`, from its event.
pub fn claim_tx(
    conn: &Conn,
    d: &DeploymentFile,
    model: U256,
    epoch: U256,
    leaf: usize,
) -> Result<Option<revm::primitives::B256>> {
    Ok(claimed_log(conn, d, model, epoch, leaf)?.and_then(|l| l.transaction_hash))
}

/// The `EpochSettled` event of `epoch`: the event, its block and transaction.
pub fn settled_event(
    conn: &Conn,
    d: &DeploymentFile,
    model: U256,
    epoch: U256,
) -> Result<Option<(S::EpochSettled, u64, revm::primitives::B256)>> {
    onchain::event::<S::EpochSettled>(conn, d, model, epoch)
}

fn claimed_log(
    conn: &Conn,
    d: &DeploymentFile,
    model: U256,
    epoch: U256,
    leaf: usize,
) -> Result<Option<alloy::rpc::types::Log>> {
    let filter = alloy::rpc::types::Filter::new()
        .address(d.settlement)
        .event_signature(S::Claimed::SIGNATURE_HASH)
        .topic1(revm::primitives::B256::from(model))
        .topic2(revm::primitives::B256::from(epoch))
        .topic3(revm::primitives::B256::from(U256::from(leaf)))
        .from_block(d.block);
    Ok(conn.logs(filter)?.into_iter().next())
}

/// Where leaf `leaf` was claimed (` at block B (tx …)`), from its event.
fn claimed_at(
    conn: &Conn,
    d: &DeploymentFile,
    model: U256,
    epoch: U256,
    leaf: usize,
) -> Result<String> {
    Ok(claimed_log(conn, d, model, epoch, leaf)?
        .map(|l| {
            format!(
                " at block {} (tx {})",
                l.block_number.unwrap_or_default(),
                l.transaction_hash.unwrap_or_default()
            )
        })
        .unwrap_or_default())
}

/// The proof bytes as the verifier contract takes them, from a proof file.
fn evm_proof(path: &std::path::Path) -> Result<Vec<u8>> {
    let text = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_slice(&text).with_context(|| format!("{}: not JSON", path.display()))?;
    match v["backend"].as_str() {
        Some("groth16") => {
            let (_, proof) = poa_verifier::groth16::read_proof(path)?;
            Ok(poa_verifier::solidity::proof_bytes(&proof))
        }
        // A halo2 proof file holds the proof as its verifier reads it.
        Some(b @ "halo2") => Ok(poa_verifier::ProofFile::read(path, b)?.1),
        Some(b) => bail!(
            "{}: field `backend`: {b} proofs have no EVM verifier",
            path.display()
        ),
        None => bail!("{}: field `backend` missing", path.display()),
    }
}
