//! `poa demo --rpc-url URL`: the demo's chain half on a JSON-RPC node
//! instead of revm. Every step is the `poa chain` command's own code
//! ([`chain::exec`], [`deploy::deploy`]) run as the role that sends it.
//! The roles (trainer, compute provider, two payers, the contributors)
//! get keys derived from the signer's key and are funded by it, so one
//! funded key suffices; each leaf is paid to a separate derived address,
//! so what it receives is its balance change, to the wei.
//!
//! Time must pass twice (the registry's challenge window, in blocks; an
//! hour before the trainer may close, `MIN_OPEN`): the demo asks the node
//! with `evm_mine` / `evm_increaseTime`, so it needs a dev node (anvil,
//! hardhat); on any other node it stops before sending anything.

use std::path::PathBuf;

use alloy::providers::Provider as _;
use alloy::signers::local::PrivateKeySigner;
use anyhow::{bail, Context as _, Result};
use poa_circuits::field::fr_to_decimal;
use poa_circuits::formats::{pretty, Claim};
use poa_contracts::abi::IAttributionSettlement as S;
use poa_contracts::settlement::Pool;
use poa_verifier::groth16::VK_FILE;
use revm::primitives::{keccak256, Address, U256};

use super::chain::{COMPUTE_BPS, DEV_BPS, EPOCH, REVENUE};
use crate::cmd::chain::deploy::{self, DeploymentFile};
use crate::cmd::chain::rpc::{Conn, Failure, SignerArgs};
use crate::cmd::chain::{self, ChainArgs, Command};
use crate::output::Ui;

/// Blocks of the registry's challenge window (as the revm demo's).
const CHALLENGE_BLOCKS: u64 = 4;
/// ETH each role gets for gas (anvil's 1-gwei-scale fees: ample).
const GAS_ALLOWANCE: u128 = 50_000_000_000_000_000;
/// The model's epoch duration and settle window, as the revm demo's.
const WEEK: u32 = 7 * 24 * 3600;

/// A role: its connection (its key signs) and address.
struct Role {
    name: String,
    conn: Conn,
}

/// The deployment on the node, the roles, and where each leaf is paid.
pub struct Node {
    ui: Ui,
    dir: PathBuf,
    args: ChainArgs,
    funder: Conn,
    trainer: Role,
    compute: Role,
    payers: Vec<Role>,
    owners: Vec<Role>,
    payees: Vec<Address>,
    datasets: Vec<U256>,
    /// The deployment (as `poa chain deploy` writes it).
    pub d: DeploymentFile,
    /// The model registered.
    pub model: U256,
    /// The settle transaction, its block.
    pub settled_at: Option<(String, u64)>,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A dev node's method (`evm_mine`, `evm_increaseTime`), or an error saying
/// that the demo needs one.
fn dev(conn: &Conn, method: &'static str, params: Vec<u64>) -> Result<()> {
    conn.rpc(method, |p| async move {
        p.raw_request::<_, serde_json::Value>(method.into(), params)
            .await
    })
    .map(|_| ())
    .map_err(|e| match e.downcast_ref::<Failure>() {
        Some(Failure::Unreachable { .. }) => e,
        _ => anyhow::anyhow!(
            "the node does not support {method}: `poa demo --rpc-url` moves time forward \
             (the registry's challenge window, the hour before an epoch may close), so it needs \
             a dev node such as anvil or hardhat"
        ),
    })
}

/// The node, connected and checked before the demo's work starts.
pub struct Link {
    ui: Ui,
    url: String,
    key: PrivateKeySigner,
    funder: Conn,
}

impl Link {
    /// Loads the signer, connects and checks that the node is a dev node.
    pub fn open(outer: &Ui, url: &str, signer: &SignerArgs) -> Result<Link> {
        // The demo's JSON report is one document: the commands' lines only
        // in text mode.
        let ui = Ui::new(false, outer.json || outer.quiet, outer.verbose);
        let key = signer.load()?.context(
            "poa demo --rpc-url needs a funded signer: --private-key-env VAR or --keystore FILE",
        )?;
        let funder = Conn::open(url, Some(key.clone()), false)?;
        dev(&funder, "evm_increaseTime", vec![0])?;
        Ok(Link {
            ui,
            url: url.into(),
            key,
            funder,
        })
    }

    /// Derives and funds the roles, deploys (the verifier of `vk`, the
    /// Groth16 verifying key file's bytes), registers the datasets
    /// (`(id, fee)`) and the model.
    pub fn deploy(
        self,
        vk: &[u8],
        datasets: &[(poa_circuits::Fr, u128)],
        slots: u32,
    ) -> Result<Node> {
        let Link {
            ui,
            url,
            key,
            funder,
        } = self;
        let url = url.as_str();
        let dir = std::env::temp_dir().join(format!("poa-demo-rpc-{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("{}: cannot create", dir.display()))?;
        // Keys derived from the signer's: the same roles on every run, so
        // a rerun on the same node finds its datasets registered to them.
        let derive = |label: &str| -> Result<PrivateKeySigner> {
            let mut seed = key.to_bytes().to_vec();
            seed.extend(b"poa demo ");
            seed.extend(label.as_bytes());
            PrivateKeySigner::from_bytes(&keccak256(&seed))
                .map_err(|e| anyhow::anyhow!("derived key {label}: {e}"))
        };
        let n = datasets.len();
        let role = |name: String| -> Result<Role> {
            let conn = Conn::open(url, Some(derive(&name)?), false)?;
            Ok(Role { name, conn })
        };
        let trainer = role("trainer".into())?;
        let compute = role("compute provider".into())?;
        let payers = (0..2)
            .map(|i| role(format!("payer {i}")))
            .collect::<Result<Vec<_>>>()?;
        let owners = (0..n)
            .map(|c| role(format!("contributor {c}")))
            .collect::<Result<Vec<_>>>()?;
        let payees = (0..n + 2)
            .map(|l| Ok(derive(&format!("payee {l}"))?.address()))
            .collect::<Result<Vec<_>>>()?;
        let deposits = [REVENUE / 4, REVENUE - REVENUE / 4];
        let mut needs: Vec<(&Role, u128)> = vec![(&trainer, 0), (&compute, 0)];
        needs.extend(payers.iter().zip(deposits));
        needs.extend(owners.iter().map(|o| (o, 0)));
        let funded_by = funder.signer()?;
        ui.say(format!(
            "node: chain {}, signer {funded_by} funds the roles",
            funder.chain_id
        ));
        for (r, extra) in needs {
            let a = r.conn.signer()?;
            let want = U256::from(extra + GAS_ALLOWANCE);
            let has = funder.balance(a)?;
            if has < want {
                let s =
                    funder.send(&format!("fund {}", r.name), Some(a), Vec::new(), want - has)?;
                ui.say(s.line(&format!("fund {} {a}", r.name)));
            } else {
                ui.say(format!("{} {a}: funded", r.name));
            }
        }

        std::fs::write(dir.join(VK_FILE), vk)
            .with_context(|| format!("{}: cannot write", dir.display()))?;
        let dep = dir.join("deployment.json");
        let (d, _) = deploy::deploy(&ui, &funder, &dep, CHALLENGE_BLOCKS, Some(&dir), "groth16")?;
        let args = ChainArgs {
            rpc_url: url.into(),
            deployment: dep,
            signer: SignerArgs::default(),
            dry_run: false,
        };
        let mut node = Node {
            ui,
            dir,
            args,
            funder,
            trainer,
            compute,
            payers,
            owners,
            payees,
            datasets: Vec::new(),
            d,
            model: U256::ZERO,
            settled_at: None,
        };
        for (c, (id, fee)) in datasets.iter().enumerate() {
            node.datasets.push(super::chain::u256(id));
            let cmd = Command::RegisterDataset {
                c: node.args.clone(),
                commitment: Some(fr_to_decimal(id)),
                commitment_file: None,
                fee: *fee,
                no_training: false,
            };
            chain::exec(&node.ui, &cmd, Some(&node.owners[c].conn))?;
        }
        // The challenge window, in blocks.
        for _ in 0..CHALLENGE_BLOCKS {
            dev(&node.funder, "evm_mine", Vec::new())?;
        }
        let trainer = node.trainer.conn.signer()?;
        let cmd = Command::RegisterModel {
            c: node.args.clone(),
            verifier: None,
            slots,
            developer_bps: DEV_BPS,
            compute_provider: Some(node.compute.conn.signer()?),
            compute_bps: COMPUTE_BPS,
            epoch_duration: WEEK,
            settle_window: WEEK,
        };
        chain::exec(&node.ui, &cmd, Some(&node.trainer.conn))?;
        let model = node
            .funder
            .view(node.d.settlement, &S::modelCountCall {})?
            ._0;
        let m = node
            .funder
            .view(node.d.settlement, &S::modelsCall { model })?;
        if m.trainer != trainer {
            bail!("model {model} is not the demo's (another registration came in between)");
        }
        node.model = model;
        Ok(node)
    }
}

impl Node {
    fn write(&self, name: &str, text: &str) -> Result<PathBuf> {
        let p = self.dir.join(name);
        std::fs::write(&p, text).with_context(|| format!("{}: cannot write", p.display()))?;
        Ok(p)
    }

    /// The trainer commits `committed`'s Q, V and datasets (at their
    /// current fees); the two payers deposit the revenue; an hour passes;
    /// the trainer closes. The frozen pool.
    pub fn open_and_close(&mut self, committed: &Claim) -> Result<Pool> {
        let claim = self.write("commit-claim.json", &pretty(&committed.to_file()))?;
        let cmd = Command::Commit {
            c: self.args.clone(),
            model: self.model,
            claim,
            max_fee: None,
        };
        chain::exec(&self.ui, &cmd, Some(&self.trainer.conn))?;
        for (p, amount) in self.payers.iter().zip([REVENUE / 4, REVENUE - REVENUE / 4]) {
            let cmd = Command::Deposit {
                c: self.args.clone(),
                model: self.model,
                amount: U256::from(amount),
            };
            chain::exec(&self.ui, &cmd, Some(&p.conn))?;
        }
        // The trainer may close an hour (`MIN_OPEN`) after the commit.
        dev(&self.funder, "evm_increaseTime", vec![3600])?;
        dev(&self.funder, "evm_mine", Vec::new())?;
        let cmd = Command::Close {
            c: self.args.clone(),
            model: self.model,
        };
        chain::exec(&self.ui, &cmd, Some(&self.trainer.conn))?;
        let p = self.funder.view(
            self.d.settlement,
            &S::poolOfCall {
                model: self.model,
                epoch: U256::from(EPOCH),
            },
        )?;
        anyhow::ensure!(
            p.ok,
            "the closed epoch's revenue does not cover its fees and shares"
        );
        Ok(Pool {
            ok: p.ok,
            pool: p.pool,
            developer: p.developerShare,
            compute: p.computeShare,
        })
    }

    /// `poa chain settle` as the trainer (`what` names it in the report):
    /// whether it succeeded (a revert is `false`) and its gas.
    pub fn settle(
        &mut self,
        what: &str,
        claim: &Claim,
        proof: &impl serde::Serialize,
    ) -> Result<(bool, u64)> {
        let c = self.write("claim.json", &pretty(&claim.to_file()))?;
        let p = self.write("proof.json", &pretty(proof))?;
        let cmd = Command::Settle {
            c: self.args.clone(),
            claim: c,
            proof: p,
        };
        match chain::exec(&self.ui, &cmd, Some(&self.trainer.conn)) {
            Ok(_) => {}
            Err(e) => {
                if let Some(f @ Failure::Reverted { .. }) = e.downcast_ref::<Failure>() {
                    self.ui.say(format!("{what}: {f}"));
                    return Ok((false, 0));
                }
                return Err(e);
            }
        }
        let (_, block, tx) =
            chain::settled_event(&self.funder, &self.d, self.model, U256::from(EPOCH))?
                .context("settle succeeded but the node has no EpochSettled event")?;
        let gas = self.funder.gas_used(tx)?;
        self.settled_at = Some((tx.to_string(), block));
        Ok((true, gas))
    }

    /// `poa chain claim` of every leaf, each sent by its beneficiary and
    /// paid to its payee: what each payee received and each claim's gas.
    /// The settlement's balance must fall by their sum.
    pub fn claim_all(&mut self, mut each: impl FnMut()) -> Result<Vec<(U256, u64)>> {
        let n = self.owners.len();
        let epoch = U256::from(EPOCH);
        let held = |node: &Node| node.funder.balance(node.d.settlement);
        let start = held(self)?;
        let mut out = Vec::new();
        for leaf in 0..n + 2 {
            let (who, dataset) = match leaf {
                c if c < n => (&self.owners[c], Some(self.datasets[c])),
                c if c == n => (&self.trainer, None),
                _ => (&self.compute, None),
            };
            let to = self.payees[leaf];
            let before = self.funder.balance(to)?;
            let cmd = Command::Claim {
                c: self.args.clone(),
                model: self.model,
                epoch,
                dataset,
                trainer: leaf == n,
                compute: leaf == n + 1,
                to: Some(to),
                amount: None,
            };
            chain::exec(&self.ui, &cmd, Some(&who.conn))?;
            let got = self.funder.balance(to)? - before;
            let tx = chain::claim_tx(&self.funder, &self.d, self.model, epoch, leaf)?
                .context("claimed but the node has no Claimed event")?;
            out.push((got, self.funder.gas_used(tx)?));
            each();
        }
        let paid: U256 = out.iter().map(|(g, _)| *g).sum();
        let end = held(self)?;
        anyhow::ensure!(
            start - end == paid,
            "the settlement paid out {} wei but the payees received {paid}",
            start - end
        );
        Ok(out)
    }

    /// The node's chain id.
    pub fn chain_id(&self) -> u64 {
        self.funder.chain_id
    }

    /// The report's chain part.
    pub fn json(&self) -> serde_json::Value {
        let addr = |r: &Role| r.conn.from.unwrap_or_default();
        serde_json::json!({
            "rpcUrl": self.args.rpc_url,
            "chainId": self.funder.chain_id,
            "registry": self.d.registry,
            "settlement": self.d.settlement,
            "verifier": self.d.verifier.as_ref().map(|v| v.address),
            "model": self.model.to_string(),
            "epoch": EPOCH,
            "settleTx": self.settled_at.as_ref().map(|s| s.0.clone()),
            "settleBlock": self.settled_at.as_ref().map(|s| s.1),
            "trainer": addr(&self.trainer),
            "computeProvider": addr(&self.compute),
            "payers": self.payers.iter().map(addr).collect::<Vec<_>>(),
            "contributors": self.owners.iter().map(addr).collect::<Vec<_>>(),
            "payees": self.payees,
        })
    }
}
