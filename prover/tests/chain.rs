//! `poa chain` against a real node: anvil (the npm package pinned in
//! contracts/package.json) on a free loopback port, driven only through the
//! `poa` binary. One node for the whole flow: deploy with a Groth16
//! verifier, register three datasets and a model, commit, deposit from two
//! accounts, close, settle with a real proof, claim every leaf (balances to
//! the wei), status; and the failures: a forged settle and a forged claim
//! revert with their decoded errors and change nothing, a second settle and
//! a second claim say they were done, a node restarted from its state dump
//! between settle and claim still pays, wrong chain / no funds / a key on
//! the command line / the node down exit 2 with one line.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use alloy::signers::local::PrivateKeySigner;
use common::{arg, dir_with_vector_epoch, forge_one_wei, poa};
use revm::primitives::{Address, U256};
use serde_json::{json, Value};

/// anvil, killed on drop.
struct Anvil {
    child: Child,
    port: u16,
}

impl Anvil {
    fn start(extra: &[&str]) -> Anvil {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let script = poa_contracts::build::contracts_dir().join("scripts/anvil");
        let child = Command::new(script)
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--silent",
            ])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("anvil (npm ci --prefix contracts)");
        let a = Anvil { child, port };
        let t = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(t.elapsed() < Duration::from_secs(30), "anvil did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        a
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A raw JSON-RPC call (time travel, balances).
    fn rpc(&self, method: &str, params: Value) -> Value {
        let body =
            json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            s,
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let (a, b) = (out.find('{').unwrap(), out.rfind('}').unwrap());
        let v: Value = serde_json::from_str(&out[a..=b]).unwrap();
        assert!(v.get("error").is_none(), "{method}: {v}");
        v["result"].clone()
    }

    fn balance(&self, a: Address) -> U256 {
        let v = self.rpc("eth_getBalance", json!([a, "latest"]));
        v.as_str().unwrap().parse().unwrap()
    }

    /// Stops it with SIGINT, so that `--dump-state` writes its file.
    fn stop_gracefully(mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let t = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            assert!(t.elapsed() < Duration::from_secs(30), "anvil did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A party: its key (in an environment variable for `poa`) and address.
struct Party {
    var: String,
    key: String,
    address: Address,
}

fn party(i: u8) -> Party {
    let key = format!("0x{}", hex::encode([0x40 + i; 32]));
    let signer: PrivateKeySigner = key.parse().unwrap();
    Party {
        var: format!("POA_TEST_KEY_{i}"),
        key,
        address: signer.address(),
    }
}

/// `poa chain CMD --rpc-url URL --deployment DEP [--private-key-env …] ARGS`.
fn chain(cmd: &str, url: &str, dep: &Path, who: Option<&Party>, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_poa"));
    c.args(["chain", cmd, "--rpc-url", url, "--deployment", arg(dep)]);
    if let Some(p) = who {
        c.args(["--private-key-env", &p.var]).env(&p.var, &p.key);
    }
    c.args(args).output().unwrap()
}

fn ok(o: &Output) -> String {
    let text = common::printed(o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    text
}

fn json_of(o: &Output) -> Value {
    ok(o);
    common::json_out(o)
}

fn dec(v: &Value) -> U256 {
    v.as_str().unwrap().parse().unwrap()
}

fn rewrite_epoch(epoch: &Path, pool: U256, settlement: Address) {
    let mut e: Value = serde_json::from_slice(&std::fs::read(epoch).unwrap()).unwrap();
    e["pool"] = json!(pool.to_string());
    e["ctx"] = json!({
        "chainId": "31337",
        "verifier": U256::from_be_slice(settlement.as_slice()).to_string(),
        "modelId": "1",
        "epoch": "1",
    });
    std::fs::write(epoch, serde_json::to_string_pretty(&e).unwrap()).unwrap();
}

#[test]
fn an_epoch_on_anvil_through_the_cli() {
    let (dir, epoch) = dir_with_vector_epoch("chain", "hand");
    let dep = dir.join("deployment.json");
    let params = dir.join("params");
    let o = poa(&[
        "setup",
        "--shape",
        "4x5",
        "--out",
        arg(&params),
        "--insecure-single-party",
    ]);
    ok(&o);
    let state = dir.join("anvil-state.json");
    let node = Anvil::start(&["--dump-state", arg(&state)]);
    let url = node.url();
    let [trainer, o0, o1, o2, payer0, payer1, compute, broke] = [1, 2, 3, 4, 5, 6, 7, 8].map(party);
    let owners = [&o0, &o1, &o2];
    for p in [&trainer, &o0, &o1, &o2, &payer0, &payer1, &compute] {
        node.rpc(
            "anvil_setBalance",
            json!([p.address, "0x3635C9ADC5DEA00000"]),
        ); // 1000 ETH
    }

    // A key on the command line is refused; a wrong node is refused.
    let o = chain("deploy", &url, &dep, None, &["--private-key", &trainer.key]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        common::printed(&o).contains("--private-key-env"),
        "{}",
        common::printed(&o)
    );

    // 1. Deploy with the Groth16 verifier of the setup.
    let o = chain(
        "deploy",
        &url,
        &dep,
        Some(&trainer),
        &[
            "--params",
            arg(&params),
            "--challenge-blocks",
            "2",
            "--json",
        ],
    );
    let d = json_of(&o);
    let settlement: Address = d["deployment"]["settlement"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(d["deployment"]["chainId"], json!(31337));
    assert_eq!(d["transactions"].as_array().unwrap().len(), 3);

    // 2. Three datasets (the epoch's commitments), then the model.
    let e: Value = serde_json::from_slice(&std::fs::read(&epoch).unwrap()).unwrap();
    let ids: Vec<String> = e["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p["D"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| p["D"].to_string())
        })
        .collect();
    let fees = [1_000_000_000_000_000u128, 2_000_000_000_000_000, 0];
    for c in 0..3 {
        let o = chain(
            "register-dataset",
            &url,
            &dep,
            Some(owners[c]),
            &["--commitment", &ids[c], "--fee", &fees[c].to_string()],
        );
        let text = ok(&o);
        assert!(
            text.contains("tx 0x") && text.contains("gas used"),
            "{text}"
        );
    }
    // Re-registering says so.
    let o = chain(
        "register-dataset",
        &url,
        &dep,
        Some(&o0),
        &["--commitment", &ids[0]],
    );
    assert!(ok(&o).contains("already registered"));
    node.rpc("anvil_mine", json!(["0x3"]));
    let o = chain(
        "register-model",
        &url,
        &dep,
        Some(&trainer),
        &[
            "--slots",
            "4",
            "--developer-bps",
            "1000",
            "--compute-bps",
            "500",
            "--compute-provider",
            &compute.address.to_string(),
            "--json",
        ],
    );
    assert_eq!(json_of(&o)["model"], json!("1"));

    // 3. Commit Q, V and the datasets; two deposits; close an hour later.
    let claim0 = dir.join("claim0.json");
    ok(&poa(&[
        "attribute",
        "--epoch",
        arg(&epoch),
        "--out",
        arg(&claim0),
    ]));
    ok(&chain(
        "commit",
        &url,
        &dep,
        Some(&trainer),
        &["--model", "1", "--claim", arg(&claim0)],
    ));
    let deposits = [
        U256::from(25u128 * 10u128.pow(18)),
        U256::from(75u128 * 10u128.pow(18)),
    ];
    for (p, a) in [(&payer0, deposits[0]), (&payer1, deposits[1])] {
        ok(&chain(
            "deposit",
            &url,
            &dep,
            Some(p),
            &["--model", "1", "--amount", &a.to_string()],
        ));
    }
    // An account without ETH: exit 2, one line.
    let o = chain(
        "deposit",
        &url,
        &dep,
        Some(&broke),
        &["--model", "1", "--amount", "1"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        common::printed(&o).contains("not enough ETH"),
        "{}",
        common::printed(&o)
    );
    // Too early: the contract's error, decoded (exit 1).
    let o = chain("close", &url, &dep, Some(&trainer), &["--model", "1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::printed(&o).contains("close reverted: TooEarlyToClose(1, 1, "),
        "{}",
        common::printed(&o)
    );
    node.rpc("evm_increaseTime", json!([3601]));
    node.rpc("evm_mine", json!([]));
    // --dry-run sends nothing.
    let o = chain(
        "close",
        &url,
        &dep,
        Some(&trainer),
        &["--model", "1", "--dry-run"],
    );
    assert!(ok(&o).contains("dry run"));
    ok(&chain(
        "close",
        &url,
        &dep,
        Some(&trainer),
        &["--model", "1"],
    ));
    let o = chain("close", &url, &dep, Some(&trainer), &["--model", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(common::printed(&o).contains("already closed"));

    // 4. Prove for the frozen pool and this chain; settle.
    let st = json_of(&chain(
        "status",
        &url,
        &dep,
        None,
        &["--model", "1", "--epoch", "1", "--json"],
    ));
    let revenue = deposits[0] + deposits[1];
    assert_eq!(dec(&st["epochs"][0]["revenue"]), revenue);
    let pool = dec(&st["epochs"][0]["pool"]);
    let dev = revenue * U256::from(1000) / U256::from(10_000);
    let comp = revenue * U256::from(500) / U256::from(10_000);
    let fee_sum: u128 = fees.iter().sum();
    assert_eq!(pool, revenue - dev - comp - U256::from(fee_sum));
    rewrite_epoch(&epoch, pool, settlement);
    let p = common::setup_attribute_prove_existing(&dir, &params, &epoch);
    let forged = forge_one_wei(&dir, &p.claim);
    let o = chain(
        "settle",
        &url,
        &dep,
        Some(&trainer),
        &["--claim", arg(&forged), "--proof", arg(&p.proof)],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::printed(&o).contains("settle reverted: InvalidProof()"),
        "{}",
        common::printed(&o)
    );
    let o = chain(
        "settle",
        &url,
        &dep,
        Some(&trainer),
        &["--claim", arg(&p.claim), "--proof", arg(&p.proof)],
    );
    assert!(ok(&o).contains("gas used"));
    let o = chain(
        "settle",
        &url,
        &dep,
        Some(&trainer),
        &["--claim", arg(&p.claim), "--proof", arg(&p.proof)],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        common::printed(&o).contains("epoch 1 of model 1 is already settled at block"),
        "{}",
        common::printed(&o)
    );

    // The node restarts from its state dump between settle and claim.
    node.stop_gracefully();
    let node = Anvil::start(&["--load-state", arg(&state)]);
    let url = node.url();

    // 5. A forged claim reverts, decoded, and changes nothing.
    let claim: Value = serde_json::from_slice(&std::fs::read(&p.claim).unwrap()).unwrap();
    let payouts: Vec<U256> = claim["public"]["payouts"]
        .as_array()
        .or(claim["payouts"].as_array())
        .expect("payouts in the claim")
        .iter()
        .map(|v| {
            v.as_str()
                .map(|s| s.parse().unwrap())
                .unwrap_or_else(|| U256::from(v.as_u64().unwrap()))
        })
        .collect();
    let amount0 = payouts[0] + U256::from(fees[0]);
    let before = json_of(&chain(
        "status",
        &url,
        &dep,
        None,
        &["--model", "1", "--epoch", "1", "--json"],
    ));
    let o = chain(
        "claim",
        &url,
        &dep,
        Some(&o0),
        &[
            "--model",
            "1",
            "--epoch",
            "1",
            "--dataset",
            &ids[0],
            "--amount",
            &(amount0 + U256::from(1)).to_string(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        common::printed(&o).contains("claim reverted: InvalidClaim(1, 1, 0)"),
        "{}",
        common::printed(&o)
    );
    let after = json_of(&chain(
        "status",
        &url,
        &dep,
        None,
        &["--model", "1", "--epoch", "1", "--json"],
    ));
    assert_eq!(before, after);

    // 6. Every party claims its leaf, paid to a fresh address: to the wei.
    let paid: U256 = payouts.iter().copied().sum();
    let dust = pool - paid;
    let mut expected = Vec::new();
    for c in 0..3 {
        expected.push((
            owners[c],
            vec!["--dataset", ids[c].as_str()],
            payouts[c] + U256::from(fees[c]),
        ));
    }
    expected.push((&trainer, vec!["--trainer"], dev + dust));
    expected.push((&compute, vec!["--compute"], comp));
    for (i, (who, which, amount)) in expected.iter().enumerate() {
        let to = Address::from_word(U256::from(0xfeed_0000u64 + i as u64).into());
        let to_s = to.to_string();
        let mut args = vec!["--model", "1", "--epoch", "1", "--to", to_s.as_str()];
        args.extend(which.iter().copied());
        ok(&chain("claim", &url, &dep, Some(who), &args));
        assert_eq!(node.balance(to), *amount, "leaf {i}");
    }
    let total: U256 = expected.iter().map(|e| e.2).sum();
    assert_eq!(total, revenue, "every wei of the revenue is paid out");
    let o = chain(
        "claim",
        &url,
        &dep,
        Some(&o1),
        &["--model", "1", "--epoch", "1", "--dataset", &ids[1]],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        common::printed(&o).contains("already claimed at block"),
        "{}",
        common::printed(&o)
    );

    // The contributor of slot 0 audits against the chain: their commitment
    // and the trainer's inclusion path, no claim or proof file.
    let slot0 = dir.join("slot0.json");
    common::inclusion("groth16", &epoch, 0, &slot0);
    let audit_with = |params: &Path, commitment: &str| {
        poa(&[
            "audit",
            "--params",
            arg(params),
            "--rpc-url",
            &url,
            "--deployment",
            arg(&dep),
            "--model",
            "1",
            "--epoch",
            "1",
            "--inclusion",
            arg(&slot0),
            "--commitment",
            commitment,
            "--json",
        ])
    };
    let audit = |commitment: &str| audit_with(&params, commitment);
    let a = json_of(&audit(&ids[0]));
    let names: Vec<&str> = a["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(
        ["claim", "proof", "settled"]
            .iter()
            .all(|n| names.contains(n)),
        "{names:?}"
    );
    assert_eq!(a["payout"], json!(payouts[0].to_string()));
    assert_eq!(a["slot"], json!(0));
    // Someone else's commitment with that path: rejected (exit 1).
    let o = audit(&ids[1]);
    assert_eq!(o.status.code(), Some(1), "{}", common::printed(&o));
    assert!(common::failed_checks(&o).contains(&"inclusion".to_string()));
    // The settle's proof does not verify under another setup's key (the
    // contributor's key is not the one the trainer proved with): rejected.
    let other_params = dir.join("other-params");
    ok(&poa(&[
        "setup",
        "--shape",
        "4x5",
        "--out",
        arg(&other_params),
        "--insecure-single-party",
    ]));
    let o = audit_with(&other_params, &ids[0]);
    assert_eq!(o.status.code(), Some(1), "{}", common::printed(&o));
    assert_eq!(common::failed_checks(&o), vec!["proof".to_string()]);

    // Status: table and JSON.
    let st = json_of(&chain(
        "status",
        &url,
        &dep,
        None,
        &["--model", "1", "--epoch", "1", "--json"],
    ));
    assert_eq!(st["epochs"][0]["phase"], json!("settled"));
    let leaves = st["epochs"][0]["leaves"].as_array().unwrap();
    assert_eq!(leaves.len(), 5);
    assert!(leaves.iter().all(|l| l["claimed"] == json!(true)));
    let table = ok(&chain("status", &url, &dep, None, &["--model", "1"]));
    assert!(
        table.contains("settled") && table.contains("pending"),
        "{table}"
    );

    // A deployment file of another chain; then the node goes away.
    let mut other: Value = serde_json::from_slice(&std::fs::read(&dep).unwrap()).unwrap();
    other["chainId"] = json!(1);
    let other_dep = dir.join("other.json");
    std::fs::write(&other_dep, other.to_string()).unwrap();
    let o = chain("status", &url, &other_dep, None, &["--model", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(common::printed(&o).contains("is for chain 1 but the RPC serves chain 31337"));
    drop(node);
    let o = chain("status", &url, &dep, None, &["--model", "1"]);
    assert_eq!(o.status.code(), Some(2));
    let text = common::printed(&o);
    assert!(
        text.contains("cannot reach the RPC at") && text.lines().count() == 1,
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The halo2 verifier (parts, entry, adapter) deployed by `poa chain
/// deploy --backend halo2` settles an epoch on anvil; a tampered proof is
/// refused with the decoded error first.
#[test]
#[ignore = "about 3 CPU-minutes (halo2 setup, the verifier's solc builds, prove); \
            cargo test --release -p poa-prover --test chain -- --ignored"]
fn a_halo2_epoch_on_anvil() {
    let (dir, epoch) = dir_with_vector_epoch("chain-halo2", "hand");
    let dep = dir.join("deployment.json");
    let params = dir.join("params");
    ok(&poa(&[
        "setup",
        "--backend",
        "halo2",
        "--shape",
        "4x5",
        "--out",
        arg(&params),
        "--insecure-single-party",
    ]));
    let node = Anvil::start(&[]);
    let url = node.url();
    let [trainer, owner, payer] = [11, 12, 13].map(party);
    for p in [&trainer, &owner, &payer] {
        node.rpc(
            "anvil_setBalance",
            json!([p.address, "0x3635C9ADC5DEA00000"]),
        );
    }
    let d = json_of(&chain(
        "deploy",
        &url,
        &dep,
        Some(&trainer),
        &[
            "--params",
            arg(&params),
            "--backend",
            "halo2",
            "--challenge-blocks",
            "0",
            "--json",
        ],
    ));
    let settlement: Address = d["deployment"]["settlement"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(d["deployment"]["verifier"]["backend"], json!("halo2"));
    // Registry, settlement, the parts, the entry, the adapter.
    assert!(d["transactions"].as_array().unwrap().len() >= 5, "{d}");
    for id in ["11", "22", "33"] {
        ok(&chain(
            "register-dataset",
            &url,
            &dep,
            Some(&owner),
            &["--commitment", id],
        ));
    }
    node.rpc("anvil_mine", json!(["0x1"]));
    ok(&chain(
        "register-model",
        &url,
        &dep,
        Some(&trainer),
        &["--slots", "4"],
    ));
    let claim0 = dir.join("claim0.json");
    ok(&poa(&[
        "attribute",
        "--epoch",
        arg(&epoch),
        "--out",
        arg(&claim0),
    ]));
    ok(&chain(
        "commit",
        &url,
        &dep,
        Some(&trainer),
        &["--model", "1", "--claim", arg(&claim0)],
    ));
    ok(&chain(
        "deposit",
        &url,
        &dep,
        Some(&payer),
        &["--model", "1", "--amount", "1000000000000000000"],
    ));
    node.rpc("evm_increaseTime", json!([3601]));
    ok(&chain(
        "close",
        &url,
        &dep,
        Some(&trainer),
        &["--model", "1"],
    ));
    let st = json_of(&chain(
        "status",
        &url,
        &dep,
        None,
        &["--model", "1", "--epoch", "1", "--json"],
    ));
    rewrite_epoch(&epoch, dec(&st["epochs"][0]["pool"]), settlement);
    let p = common::setup_attribute_prove_with_params(&dir, "halo2", &params, &epoch);
    let (tampered, _) = common::flip_proof_byte(&dir, &p.proof, 100);
    let settle = |proof: &Path| {
        chain(
            "settle",
            &url,
            &dep,
            Some(&trainer),
            &["--claim", arg(&p.claim), "--proof", arg(proof)],
        )
    };
    let o = settle(&tampered);
    assert_eq!(o.status.code(), Some(1), "{}", common::printed(&o));
    assert!(
        common::printed(&o).contains("settle reverted: InvalidProof()"),
        "{}",
        common::printed(&o)
    );
    ok(&settle(&p.proof));
    let st = json_of(&chain(
        "status",
        &url,
        &dep,
        None,
        &["--model", "1", "--epoch", "1", "--json"],
    ));
    assert_eq!(st["epochs"][0]["phase"], json!("settled"));
    ok(&chain(
        "claim",
        &url,
        &dep,
        Some(&owner),
        &["--model", "1", "--epoch", "1", "--dataset", "11"],
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

/// anvil's first dev account's key (`anvil` prints it; funded with 10 000 ETH).
const ANVIL_KEY_0: &str = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/// `poa demo --rpc-url`: the demo's chain half on anvil with one funded
/// key. The report is ok, and the chain agrees to the wei: every leaf's
/// payee holds what the report says it claimed, together the revenue, and
/// the settlement keeps nothing. Its twin: nothing listening at the URL
/// exits 2 with one line, before any work.
#[test]
fn the_demo_on_anvil() {
    let node = Anvil::start(&[]);
    let o = Command::new(env!("CARGO_BIN_EXE_poa"))
        .args(["demo", "--json", "--rpc-url", &node.url()])
        .args(["--private-key-env", "POA_DEMO_KEY"])
        .env("POA_DEMO_KEY", ANVIL_KEY_0)
        .output()
        .unwrap();
    let r = json_of(&o);
    assert_eq!(r["ok"], json!(true), "{r}");
    assert_eq!(r["forgedClaimRevertedOnChain"], json!(true));
    let c = &r["chain"];
    assert_eq!(c["chainId"], json!(31337));
    assert!(c["settleTx"].as_str().unwrap().starts_with("0x"), "{c}");
    let payees: Vec<Address> = serde_json::from_value(c["payees"].clone()).unwrap();
    let mut claimed: Vec<U256> = r["contributors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| dec(&k["claimed"]))
        .collect();
    claimed.extend([dec(&r["trainerClaimed"]), dec(&r["computeClaimed"])]);
    assert_eq!(payees.len(), claimed.len());
    for (p, want) in payees.iter().zip(&claimed) {
        assert_eq!(node.balance(*p), *want, "payee {p}");
    }
    let revenue = U256::from(100u128) * U256::from(10u128).pow(U256::from(18u8));
    assert_eq!(claimed.iter().copied().sum::<U256>(), revenue);
    let settlement: Address = serde_json::from_value(c["settlement"].clone()).unwrap();
    assert_eq!(node.balance(settlement), U256::ZERO);

    // Nothing listening: exit 2, one line, no work done.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let o = Command::new(env!("CARGO_BIN_EXE_poa"))
        .args(["demo", "--rpc-url", &format!("http://127.0.0.1:{port}")])
        .args(["--private-key-env", "POA_DEMO_KEY"])
        .env("POA_DEMO_KEY", ANVIL_KEY_0)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let text = common::printed(&o);
    assert!(
        text.contains("cannot reach the RPC at") && text.lines().count() == 1,
        "{text}"
    );
}
