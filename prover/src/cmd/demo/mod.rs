//! `poa demo`: the whole product on real data, no arguments, no network
//! (with `--rpc-url`, its chain half runs on that node: `rpc.rs`).
//!
//! Red-wine quality data (shipped by `linfa-datasets`) dealt to ten
//! contributors of different quality; a logistic-regression model trained
//! on all of them; each contributor's update fingerprint and the validation
//! direction quantized (SPEC §7); commitments, attribution, a Groth16 proof
//! verified natively; the registry, the settlement and the epoch's verifier
//! deployed on revm (or a node), settled and claimed. Attribution quality: Spearman's
//! rank correlation between the proven scores and leave-one-out retraining
//! measured on the validation rows `V` (fidelity) and on held-out rows `T`
//! (value), and between the two leave-one-outs (the ceiling).

mod chain;
mod rpc;

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context as _, Result};
use num_bigint::BigUint;
use poa_circuits::commit::leaf;
use poa_circuits::dataset::Dataset;
use poa_circuits::field::fr_to_decimal;
use poa_circuits::formats::{Claim, InclusionFile};
use poa_circuits::public::Context;
use poa_prover::demo::model::Lambda;
use poa_prover::demo::{spearman, Scenario};
use poa_verifier::audit::conclude;
use poa_verifier::groth16::proof_file;
use poa_verifier::inclusion::bn254_inclusion_of;
use poa_verifier::solidity::{proof_bytes, Groth16Template};
use serde_json::json;

use crate::cmd::chain::rpc::SignerArgs;
use crate::output::{Outcome, Ui};
use chain::{World, REVENUE};

/// `poa demo` options.
#[derive(clap::Args)]
pub struct Args {
    /// Run the chain half (deploy, register, commit, deposits, close,
    /// settle, claims) on this JSON-RPC node instead of in-process revm.
    /// It must be a dev node (anvil, hardhat: the demo moves time with
    /// evm_increaseTime) and the signer must hold about 101 ETH: it funds
    /// the roles, whose keys are derived from its own.
    #[arg(long)]
    pub rpc_url: Option<String>,
    #[command(flatten)]
    pub signer: SignerArgs,
}

/// Where the chain half runs.
enum Ledger {
    Revm(Box<World>),
    Node(Box<rpc::Node>),
}

/// The demo's seed: the shuffle, salts and label noise.
const SEED: u64 = 1;
/// Slots of the proven shape (ten contributors, padded to a power of two).
const SLOTS: u64 = 16;
/// License fee of each contributor's dataset per epoch, in wei (clean data
/// asks 0.01 ETH, the rest nothing).
fn fee(kind: &poa_prover::demo::data::Kind) -> u128 {
    match kind {
        poa_prover::demo::data::Kind::Clean => 10_000_000_000_000_000,
        _ => 0,
    }
}

fn eth(wei: u128) -> String {
    format!("{:.6}", wei as f64 / 1e18)
}

struct Steps {
    list: Vec<(&'static str, Duration)>,
    t: Instant,
}

impl Steps {
    fn done(&mut self, name: &'static str) {
        self.list.push((name, self.t.elapsed()));
        self.t = Instant::now();
    }
}

/// 1 = best.
fn rank_desc(x: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[b].total_cmp(&x[a]));
    let mut rank = vec![0; x.len()];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r + 1;
    }
    rank
}

pub fn run(ui: &Ui, args: &Args) -> Result<Outcome> {
    let total = Instant::now();
    // The node first: a wrong URL or signer fails before the work.
    let mut link = match &args.rpc_url {
        Some(url) => Some(rpc::Link::open(ui, url, &args.signer)?),
        None => None,
    };
    let mut steps = Steps {
        list: Vec::new(),
        t: Instant::now(),
    };

    let spin = ui.spinner("training on red-wine quality data");
    let s = Scenario::build(SEED, Lambda::OneSe)?;
    spin.finish_and_clear();
    steps.done("train + fingerprints");
    let n = s.contributors.len();
    ui.say(format!(
        "data: {} wines to {n} contributors, {} for validation (V), {} held out (T); \
         model: logistic regression, {} parameters, λ = {} (one-standard-error rule on the loss on V), loss {:.4} on V, \
         {:.4} on T; scales 2^{} (updates), 2^{} (validation)",
        s.contributors.iter().map(|c| c.rows.len()).sum::<usize>(),
        s.validation.len(),
        s.test.len(),
        s.theta.len(),
        s.fit.lambda,
        s.validation_loss,
        s.fit.test_loss,
        s.update_scale_exp,
        s.validation_scale_exp,
    ));

    let bar = ui.bar(n as u64, "leave-one-out");
    let loo = s.leave_one_out(|| bar.inc(1))?;
    bar.finish_and_clear();
    steps.done("leave-one-out");

    let shape_epoch = s.epoch(SLOTS, 0, Context::default())?;
    let shape = shape_epoch.shape;
    let spin = ui.spinner(&format!(
        "groth16 setup {shape} ({} constraints; insecure single-party, demo only)",
        poa_circuits::r1cs::circuit::constraint_count(shape)
    ));
    let keys = poa_prover::groth16::setup_insecure(shape, None)?;
    spin.finish_and_clear();
    steps.done("groth16 setup");

    let fees: Vec<u128> = s.contributors.iter().map(|c| fee(&c.kind)).collect();
    let registered: Vec<_> = s
        .contributors
        .iter()
        .map(|c| c.dataset)
        .zip(fees.iter().copied())
        .collect();
    // Q and V depend on neither pool nor context: commit them with the
    // datasets first, as a trainer does before revenue arrives; the revenue
    // comes in, and closing the epoch freezes the pool the proof binds.
    let committed = shape_epoch.attribute()?;
    let (mut ledger, frozen) = match link.take() {
        None => {
            let spin = ui.spinner("compiling contracts (solc 0.8.28)");
            let digest = format!("0x{}", hex::encode(keys.vk.digest()));
            let verifier_source =
                Groth16Template::new(&keys.vk.vk, shape.to_string(), digest).render();
            let artifacts = chain::build(&verifier_source)?;
            spin.finish_and_clear();
            steps.done("compile contracts");
            let mut world = World::deploy(&artifacts, &registered, SLOTS as u32)?;
            let ids: Vec<_> = registered.iter().map(|(d, _)| *d).collect();
            let frozen = world.open_and_close(
                &committed.root,
                &committed.validation_commitment,
                &ids,
                &fees,
            )?;
            (Ledger::Revm(Box::new(world)), frozen)
        }
        Some(link) => {
            let mut node = link.deploy(&keys.vk.to_bytes(), &registered, SLOTS as u32)?;
            let frozen = node.open_and_close(&Claim::new(&shape_epoch, &committed))?;
            (Ledger::Node(Box::new(node)), frozen)
        }
    };
    let share = frozen.developer.to::<u128>();
    let compute = frozen.compute.to::<u128>();
    let pool = frozen.pool.to::<u128>();
    steps.done("deploy, register, commit, close");

    let (chain_id, settlement, model) = match &mut ledger {
        Ledger::Revm(w) => (w.chain.chain_id(), w.d.settlement, w.model),
        Ledger::Node(n) => (n.chain_id(), n.d.settlement, n.model),
    };
    let ctx = Context {
        chain_id: BigUint::from(chain_id),
        verifier: BigUint::from_bytes_be(settlement.as_slice()),
        model_id: BigUint::from_bytes_be(&model.to_be_bytes::<32>()),
        epoch: BigUint::from(chain::EPOCH),
    };
    let epoch = s.epoch(SLOTS, pool, ctx)?;
    let att = epoch.attribute()?;
    let claim = Claim::new(&epoch, &att);
    let report = poa_verifier::check_claim(&claim)?;
    steps.done("attribute");

    let spin = ui.spinner("groth16 prove");
    let (proof, _, _) = poa_prover::groth16::prove(&keys.pk, epoch.clone())?;
    spin.finish_and_clear();
    steps.done("groth16 prove");

    let proof_file = proof_file(shape, keys.vk.digest(), &proof);
    let mem = Path::new("(in memory)");
    let verdict = poa_verifier::groth16::verify(mem, &keys.vk, &claim, &proof_file, &proof)?;
    // The same proof for a claim that moves one wei between two contributors
    // (γ and h recomputed, as a cheater would) must fail, here and on chain.
    let mut forged = claim.clone();
    forged.public.payouts[0] += 1;
    forged.public.payouts[1] -= 1;
    let forged_inputs = forged.public.public_inputs()?;
    let forged_rejected =
        !poa_verifier::groth16::verify_inputs(&keys.vk.vk, &proof, &forged_inputs);
    steps.done("groth16 verify");

    let bar = ui.bar(n as u64, "contributor audits");
    let mut audits = Vec::new();
    for (c, k) in s.contributors.iter().enumerate() {
        // A contributor recomputes D_c from their own rows and salt.
        let records: Vec<String> = k
            .rows
            .iter()
            .map(poa_prover::demo::data::Row::csv)
            .collect();
        let mine = Dataset::new(&records)?.commitment(k.dataset_salt);
        let path = epoch.inclusion(&att, c)?;
        let (d, u) = (epoch.participants[c].dataset, att.update_commitments[c]);
        let inclusion = InclusionFile::new("slot", leaf(d, u), &[d, u], &path, att.root);
        let (slot, check) = bn254_inclusion_of(&claim, &inclusion, mine)?;
        let a = conclude(&claim, slot, mine, check, &verdict);
        audits.push(a.ok() && a.payout == Some(att.split.payouts[c]));
        bar.inc(1);
    }
    bar.finish_and_clear();
    steps.done("contributor audits");

    let (forged_accepted, settle_gas) = match &mut ledger {
        Ledger::Revm(world) => {
            let proof_evm = proof_bytes(&proof);
            let forged_onchain = world.settle(&forged.public.payouts, &proof_evm)?;
            let settled = world.settle(&claim.public.payouts, &proof_evm)?;
            ensure!(
                settled.success,
                "settle reverted: {}",
                poa_contracts::settlement::revert_reason(&settled.output)
            );
            (forged_onchain.success, settled.gas)
        }
        Ledger::Node(node) => {
            let (forged_accepted, _) =
                node.settle("forged settle (1 wei moved)", &forged, &proof_file)?;
            let (ok, gas) = node.settle("settle", &claim, &proof_file)?;
            ensure!(ok, "settle reverted on the node");
            (forged_accepted, gas)
        }
    };
    steps.done("settle on chain");
    // Leaves: payout + fee per contributor, developer share + dust, compute share.
    let amounts: Vec<u128> = att
        .split
        .payouts
        .iter()
        .zip(&fees)
        .map(|(p, f)| p + f)
        .chain([share + att.split.dust, compute])
        .collect();
    let bar = ui.bar(n as u64 + 2, "claims on chain");
    let received = match &mut ledger {
        Ledger::Revm(world) => world.claim_all(&frozen, || bar.inc(1))?,
        Ledger::Node(node) => node.claim_all(|| bar.inc(1))?,
    };
    bar.finish_and_clear();
    steps.done("claims on chain");

    let scores: Vec<f64> = att.scores.iter().map(|&x| x as f64).collect();
    let rho = spearman(&scores, &loo.validation).context("leave-one-out gains are constant")?;
    let value = spearman(&scores, &loo.test).context("leave-one-out gains are constant")?;
    let ceiling =
        spearman(&loo.validation, &loo.test).context("leave-one-out gains are constant")?;
    let score_rank = rank_desc(&scores);
    let loo_rank = rank_desc(&loo.validation);
    let claimed_ok = received.len() == amounts.len()
        && received
            .iter()
            .zip(&amounts)
            .all(|((got, _), want)| *got == revm::primitives::U256::from(*want));

    ui.say(format!(
        "epoch: N = {}, D = {}, n = {n}, revenue {} ETH, developer share {} ETH, \
         compute share {} ETH, fees {} ETH, pool {} wei",
        shape.slots,
        shape.dim,
        eth(REVENUE),
        eth(share),
        eth(compute),
        eth(fees.iter().sum()),
        pool
    ));
    ui.say(format!(
        "{:>2}  {:<34}  {:>5}  {:>8}  {:>10}  {:>10}  {:>22}  {:>12}  {}",
        "#",
        "kind of data",
        "rank",
        "LOO rank",
        "LOO on V",
        "LOO on T",
        "payout (wei)",
        "claimed ETH",
        "audit"
    ));
    for c in 0..n {
        ui.say(format!(
            "{c:>2}  {:<34}  {:>5}  {:>8}  {:>+10.5}  {:>+10.5}  {:>22}  {:>12}  {}",
            s.contributors[c].kind.to_string(),
            score_rank[c],
            loo_rank[c],
            loo.validation[c],
            loo.test[c],
            att.split.payouts[c],
            eth(received[c].0.to::<u128>()),
            if audits[c] { "ok" } else { "FAIL" }
        ));
    }
    ui.say(format!(
        "trainer: developer share + dust {} wei claimed (dust {}); compute provider: {} wei claimed",
        received[n].0,
        att.split.dust,
        received[n + 1].0
    ));
    ui.say(format!(
        "attribution quality (Spearman): fidelity ρ(score, LOO on V) = {rho:.3}, \
         value ρ(score, LOO on T) = {value:.3}, ceiling ρ(LOO on V, LOO on T) = {ceiling:.3} \
         (10 contributors, one seed; `poa bench-quality` measures 50 over 50 seeds)"
    ));
    ui.say(format!(
        "groth16 proof: {}; forged claim (1 wei moved): {} natively, {} on chain; settle gas {}",
        if verdict.ok() { "valid" } else { "INVALID" },
        if forged_rejected {
            "rejected"
        } else {
            "ACCEPTED"
        },
        if forged_accepted {
            "ACCEPTED"
        } else {
            "reverted"
        },
        settle_gas
    ));
    if let Ledger::Node(node) = &ledger {
        if let Some((tx, block)) = &node.settled_at {
            ui.say(format!(
                "on chain {} ({}): settlement {}, model {}, epoch {}; settled in tx {tx}, block {block}",
                chain_id,
                args.rpc_url.as_deref().unwrap_or_default(),
                settlement,
                model,
                chain::EPOCH
            ));
        }
    }
    for (name, d) in &steps.list {
        ui.say(format!("{name:<28} {:>9.2} s", d.as_secs_f64()));
    }
    ui.say(format!(
        "{:<28} {:>9.2} s",
        "total",
        total.elapsed().as_secs_f64()
    ));

    let ok = report.ok()
        && audits.iter().all(|&a| a)
        && verdict.ok()
        && forged_rejected
        && !forged_accepted
        && claimed_ok;
    let contributors: Vec<_> = (0..n)
        .map(|c| {
            json!({
                "slot": c,
                "kind": s.contributors[c].kind.to_string(),
                "dataset": fr_to_decimal(&s.contributors[c].dataset),
                "score": att.scores[c].to_string(),
                "rank": score_rank[c],
                "looGain": loo.validation[c],
                "looGainTest": loo.test[c],
                "looRank": loo_rank[c],
                "payout": att.split.payouts[c].to_string(),
                "fee": fees[c].to_string(),
                "claimed": received[c].0.to_string(),
                "claimGas": received[c].1,
                "audit": audits[c],
            })
        })
        .collect();
    let mut out = json!({
        "ok": ok,
        "spearman": rho,
        "fidelity": rho,
        "value": value,
        "ceiling": ceiling,
        "lambda": s.fit.lambda,
        "contributors": contributors,
        "audits": audits,
        "proofValid": verdict.ok(),
        "forgedClaimRejected": forged_rejected,
        "forgedClaimRevertedOnChain": !forged_accepted,
        "claimedOnChain": claimed_ok,
        "settleGas": settle_gas,
        "developerShare": share.to_string(),
        "computeShare": compute.to_string(),
        "dust": att.split.dust.to_string(),
        "trainerClaimed": received[n].0.to_string(),
        "computeClaimed": received[n + 1].0.to_string(),
        "claim": claim.to_file(),
        "proof": proof_file,
        "steps": steps.list.iter().map(|(k, d)| json!({"step": k, "seconds": d.as_secs_f64()})).collect::<Vec<_>>(),
    });
    // With --rpc-url: the node, the addresses, the settle transaction.
    if let (Ledger::Node(n), Some(o)) = (&ledger, out.as_object_mut()) {
        o.insert("chain".into(), n.json());
    }
    ui.emit(&out);
    Ok(if ok { Outcome::Ok } else { Outcome::Rejected })
}
