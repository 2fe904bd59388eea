//! The connection to a JSON-RPC node (alloy's HTTP provider with its
//! recommended fillers: nonce, gas and fees are alloy's), the signer, and
//! the failures a person can act on.

use std::future::Future;
use std::path::PathBuf;

use alloy::network::{EthereumWallet, TransactionBuilder};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::types::{Filter, Log, TransactionRequest};
use alloy::signers::local::PrivateKeySigner;
use alloy::transports::{RpcError, TransportError};
use alloy_sol_types::SolCall;
use anyhow::{bail, Context as _, Result};
use poa_contracts::settlement::revert_reason;
use revm::primitives::{Address, B256, U256};

/// A failure of a chain command; [`Failure::Reverted`] exits 1, the others 2.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The contract refused the call.
    #[error("{call} reverted: {reason}")]
    Reverted {
        /// What was called.
        call: String,
        /// The decoded custom error.
        reason: String,
    },
    /// The node could not be reached.
    #[error("cannot reach the RPC at {url} ({detail}): start the node or fix --rpc-url")]
    Unreachable { url: String, detail: String },
    /// The account cannot pay for the transaction.
    #[error(
        "account {account} has not enough ETH on chain {chain} for {call} (gas and value): \
         fund it and run the command again"
    )]
    NoFunds {
        account: Address,
        chain: u64,
        call: String,
    },
    /// Any other answer of the node.
    #[error("{call}: the node answered: {detail}")]
    Rpc { call: String, detail: String },
}

/// Where the signing key comes from; a key on the command line is refused.
#[derive(clap::Args, Clone, Default)]
pub struct SignerArgs {
    /// The environment variable holding the signer's private key (hex).
    #[arg(long, value_name = "VAR")]
    pub private_key_env: Option<String>,
    /// An encrypted JSON keystore (geth/foundry format) holding the key.
    #[arg(long, value_name = "FILE", conflicts_with = "private_key_env")]
    pub keystore: Option<PathBuf>,
    /// The environment variable holding the keystore's password (else it
    /// is asked for on the terminal).
    #[arg(long, value_name = "VAR", requires = "keystore")]
    pub password_env: Option<String>,
    /// Refused: a key on the command line ends up in shell history and
    /// process lists.
    #[arg(long, hide = true)]
    pub private_key: Option<String>,
}

impl SignerArgs {
    /// The signer, or `None` when no key source was given.
    pub fn load(&self) -> Result<Option<PrivateKeySigner>> {
        if self.private_key.is_some() {
            bail!(
                "a private key on the command line is refused (shell history, process lists): \
                 put it in an environment variable and pass --private-key-env VAR, or use --keystore FILE"
            );
        }
        if let Some(var) = &self.private_key_env {
            let key = std::env::var(var)
                .with_context(|| format!("--private-key-env {var}: the variable is not set"))?;
            // Not inherited by the children this process starts (node for
            // solc): the key stays in this process only.
            std::env::remove_var(var);
            let signer: PrivateKeySigner = key.trim().parse().map_err(|_| {
                anyhow::anyhow!("--private-key-env {var}: not a 32-byte hex private key")
            })?;
            return Ok(Some(signer));
        }
        if let Some(file) = &self.keystore {
            let password = match &self.password_env {
                Some(var) => {
                    let password = std::env::var(var).with_context(|| {
                        format!("--password-env {var}: the variable is not set")
                    })?;
                    std::env::remove_var(var);
                    password
                }
                None => rpassword::prompt_password(format!("password of {}: ", file.display()))
                    .context("no password: pass --password-env VAR or run on a terminal")?,
            };
            let signer = PrivateKeySigner::decrypt_keystore(file, password).map_err(|e| {
                anyhow::anyhow!("{}: cannot decrypt the keystore: {e}", file.display())
            })?;
            return Ok(Some(signer));
        }
        Ok(None)
    }
}

/// A mined transaction.
pub struct Sent {
    /// Its hash.
    pub hash: B256,
    /// Its block.
    pub block: u64,
    /// Gas used.
    pub gas: u64,
    /// The created contract, for a deployment.
    pub contract: Option<Address>,
    /// Its logs.
    pub logs: Vec<Log>,
    /// Only estimated and simulated (`--dry-run`): no hash, no block, `gas`
    /// is the estimate.
    pub dry_run: bool,
}

impl Sent {
    /// The line every command prints for a transaction.
    pub fn line(&self, what: &str) -> String {
        if self.dry_run {
            return format!("{what}: dry run: would succeed, gas estimate {}", self.gas);
        }
        format!(
            "{what}: tx {}, block {}, gas used {}",
            self.hash, self.block, self.gas
        )
    }

    /// The same as JSON.
    pub fn json(&self, what: &str) -> serde_json::Value {
        if self.dry_run {
            return serde_json::json!({ "call": what, "dryRun": true, "gasEstimate": self.gas });
        }
        serde_json::json!({ "call": what, "tx": self.hash, "block": self.block, "gasUsed": self.gas })
    }
}

/// `url` as printed: scheme, host and port only (user, password, path and
/// query may hold an API key).
pub fn redact(url: &str) -> String {
    match url.parse::<alloy::transports::http::reqwest::Url>() {
        Ok(u) => {
            let host = u.host_str().unwrap_or("");
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            let hidden = !u.username().is_empty()
                || u.password().is_some()
                || !matches!(u.path(), "" | "/")
                || u.query().is_some();
            format!(
                "{}://{host}{port}{}",
                u.scheme(),
                if hidden { "/…" } else { "" }
            )
        }
        Err(_) => "(not a URL)".into(),
    }
}

/// A node, its chain id, and the signer's address (if any).
pub struct Conn {
    rt: tokio::runtime::Runtime,
    provider: DynProvider,
    /// The node's URL, redacted ([`redact`]).
    url: String,
    /// The URL as given and as parsed, scrubbed from the node's messages.
    secret_urls: [String; 2],
    /// The node's chain id.
    pub chain_id: u64,
    /// The signer's address.
    pub from: Option<Address>,
    /// Estimate and simulate only.
    pub dry_run: bool,
}

impl Conn {
    /// Connects to `url` (a current-thread runtime, made here) and reads
    /// the chain id.
    pub fn open(url: &str, signer: Option<PrivateKeySigner>, dry_run: bool) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        let parsed: alloy::transports::http::reqwest::Url = url
            .parse()
            .map_err(|e| anyhow::anyhow!("--rpc-url {}: not a URL ({e})", redact(url)))?;
        let parsed_text = parsed.to_string();
        let from = signer.as_ref().map(|s| s.address());
        let provider = match signer {
            Some(s) => ProviderBuilder::new()
                .wallet(EthereumWallet::from(s))
                .on_http(parsed)
                .erased(),
            None => ProviderBuilder::new().on_http(parsed).erased(),
        };
        let mut conn = Conn {
            rt,
            provider,
            url: redact(url),
            secret_urls: [url.to_string(), parsed_text],
            chain_id: 0,
            from,
            dry_run,
        };
        conn.chain_id = conn.rpc("eth_chainId", |p| async move { p.get_chain_id().await })?;
        Ok(conn)
    }

    /// Runs `f` on the runtime.
    pub fn block_on<F: Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    /// The failure `e` of `call`, classified.
    pub fn failure(&self, call: &str, e: &TransportError) -> Failure {
        if let Some(data) = e.as_error_resp().and_then(|p| p.as_revert_data()) {
            return Failure::Reverted {
                call: call.into(),
                reason: revert_reason(&data),
            };
        }
        let detail = self.scrub(e.to_string());
        if detail.to_lowercase().contains("insufficient funds") {
            return Failure::NoFunds {
                account: self.from.unwrap_or_default(),
                chain: self.chain_id,
                call: call.into(),
            };
        }
        match e {
            RpcError::Transport(kind) => Failure::Unreachable {
                url: self.url.clone(),
                detail: self.scrub(kind.to_string()),
            },
            // A node that reverts without data (e.g. `execution reverted`).
            RpcError::ErrorResp(p) if p.message.contains("revert") => Failure::Reverted {
                call: call.into(),
                reason: p.message.to_string(),
            },
            _ => Failure::Rpc {
                call: call.into(),
                detail,
            },
        }
    }

    /// `text` without the URL as given (it may hold an API key).
    fn scrub(&self, mut text: String) -> String {
        for u in &self.secret_urls {
            if !u.is_empty() {
                text = text.replace(u.as_str(), &self.url);
            }
        }
        text
    }

    /// One provider call, its failure classified.
    pub fn rpc<T, F, Fut>(&self, call: &str, f: F) -> Result<T>
    where
        F: FnOnce(DynProvider) -> Fut,
        Fut: Future<Output = Result<T, TransportError>>,
    {
        let p = self.provider.clone();
        self.block_on(f(p))
            .map_err(|e| anyhow::Error::new(self.failure(call, &e)))
    }

    /// `eth_call` of `call` on `to`, decoded.
    pub fn view<C: SolCall>(&self, to: Address, call: &C) -> Result<C::Return> {
        let tx = TransactionRequest::default()
            .with_to(to)
            .with_input(call.abi_encode());
        let out = self.rpc(C::SIGNATURE, |p| async move { p.call(tx).await })?;
        C::abi_decode_returns(&out, true)
            .map_err(|e| anyhow::anyhow!("{}: unexpected return data: {e}", C::SIGNATURE))
    }

    /// The signer's address (an error naming the flags when none was given).
    pub fn signer(&self) -> Result<Address> {
        self.from.context(
            "this command sends a transaction: give a signer with --private-key-env VAR or --keystore FILE",
        )
    }

    /// Sends `data` to `to` (or creates a contract with `to = None`) with
    /// `value` wei and waits for the receipt; with `--dry-run`, estimates
    /// gas and simulates instead.
    pub fn send(
        &self,
        what: &str,
        to: Option<Address>,
        data: Vec<u8>,
        value: U256,
    ) -> Result<Sent> {
        let from = self.signer()?;
        let mut tx = TransactionRequest::default()
            .with_from(from)
            .with_value(value);
        tx = match to {
            Some(to) => tx.with_to(to).with_input(data),
            None => tx.with_deploy_code(data),
        };
        let balance = self.balance(from)?;
        if balance.is_zero() || balance < value {
            return Err(Failure::NoFunds {
                account: from,
                chain: self.chain_id,
                call: what.into(),
            }
            .into());
        }
        let t = tx.clone();
        let gas = self.rpc(what, |p| async move { p.estimate_gas(t).await })?;
        if self.dry_run {
            let t = tx.clone();
            self.rpc(what, |p| async move { p.call(t).await })?;
            return Ok(Sent {
                hash: B256::ZERO,
                block: 0,
                gas,
                contract: None,
                logs: Vec::new(),
                dry_run: true,
            });
        }
        let p = self.provider.clone();
        let pending = self
            .block_on(async move { p.send_transaction(tx).await })
            .map_err(|e| anyhow::Error::new(self.failure(what, &e)))?;
        let hash = *pending.tx_hash();
        // Said at once: if the receipt never comes, the person knows what
        // was sent before running the command again.
        eprintln!("{what}: sent tx {hash}, waiting for its receipt");
        let receipt = self
            .block_on(async move { pending.get_receipt().await })
            .map_err(|e| {
                anyhow::Error::new(Failure::Rpc {
                    call: what.into(),
                    detail: format!(
                        "tx {hash} was sent but its receipt did not come ({}): \
                         check it before running again",
                        self.scrub(e.to_string())
                    ),
                })
            })?;
        let sent = Sent {
            hash: receipt.transaction_hash,
            block: receipt.block_number.unwrap_or_default(),
            gas: receipt.gas_used,
            contract: receipt.contract_address,
            logs: receipt.inner.logs().to_vec(),
            dry_run: false,
        };
        if !receipt.status() {
            bail!(Failure::Reverted {
                call: what.into(),
                reason: format!(
                    "reverted on chain in tx {} (block {})",
                    sent.hash, sent.block
                ),
            });
        }
        Ok(sent)
    }

    /// The signer's next nonce.
    pub fn nonce(&self) -> Result<u64> {
        let from = self.signer()?;
        self.rpc("eth_getTransactionCount", |p| async move {
            p.get_transaction_count(from).await
        })
    }

    /// Logs matching `filter`.
    pub fn logs(&self, filter: Filter) -> Result<Vec<Log>> {
        self.rpc("eth_getLogs", |p| async move { p.get_logs(&filter).await })
    }

    /// The code at `a`.
    pub fn code(&self, a: Address) -> Result<Vec<u8>> {
        let c = self.rpc("eth_getCode", |p| async move { p.get_code_at(a).await })?;
        Ok(c.to_vec())
    }

    /// The balance of `a`.
    pub fn balance(&self, a: Address) -> Result<U256> {
        self.rpc("eth_getBalance", |p| async move { p.get_balance(a).await })
    }

    /// The gas used by mined transaction `hash`.
    pub fn gas_used(&self, hash: B256) -> Result<u64> {
        let r = self.rpc("eth_getTransactionReceipt", |p| async move {
            p.get_transaction_receipt(hash).await
        })?;
        Ok(
            r.with_context(|| format!("the node has no receipt of transaction {hash}"))?
                .gas_used,
        )
    }

    /// The input of transaction `hash`.
    pub fn tx_input(&self, hash: B256) -> Result<Vec<u8>> {
        use alloy::consensus::Transaction as _;
        let tx = self.rpc("eth_getTransactionByHash", |p| async move {
            p.get_transaction_by_hash(hash).await
        })?;
        let tx = tx.with_context(|| format!("the node does not know transaction {hash}"))?;
        Ok(tx.input().to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn rpc_urls_are_printed_without_keys() {
        assert_eq!(redact("http://127.0.0.1:8545"), "http://127.0.0.1:8545");
        assert_eq!(
            redact("https://user:pw@eth.example.com/v3/SECRET?key=K"),
            "https://eth.example.com/…"
        );
        assert!(!redact("https://eth.example.com/SECRET").contains("SECRET"));
        assert_eq!(redact("no url"), "(not a URL)");
    }
}
