//! `poa chain deploy` and the deployment file it writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use poa_contracts::build::{compile_settlement, contracts_dir};
use poa_verifier::groth16::{VerifyingKeyFile, VK_FILE};
use poa_verifier::halo2::evm::ENTRY;
use poa_verifier::solidity::{Groth16Template, INTERFACE};
use revm::primitives::{keccak256, Address, B256, U256};
use serde::{Deserialize, Serialize};

use super::rpc::{Conn, Sent};
use crate::output::Ui;

/// `format` of a deployment file.
const FORMAT: &str = "poa-deployment";
/// Its version.
const VERSION: u32 = 1;

/// The verifier deployed beside the settlement.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifierEntry {
    /// The backend whose proofs it verifies.
    pub backend: String,
    /// Its address (what a model registers).
    pub address: Address,
    /// The circuit shape `NxD`.
    pub shape: String,
    /// The verifying key's digest.
    pub vk_digest: String,
}

/// What `deploy` writes: where the contracts are and what they are.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentFile {
    /// Always `poa-deployment`.
    pub format: String,
    /// Format version.
    pub version: u32,
    /// The chain id.
    pub chain_id: u64,
    /// `DatasetRegistry`.
    pub registry: Address,
    /// `AttributionSettlement`.
    pub settlement: Address,
    /// The registry's challenge window, in blocks.
    pub challenge_blocks: u64,
    /// The verifier, when deployed with `--params`.
    pub verifier: Option<VerifierEntry>,
    /// keccak256 of each contract's runtime code as deployed, by name.
    pub code_hashes: BTreeMap<String, B256>,
    /// The block of the first deployment transaction (logs are read from it).
    pub block: u64,
    /// The solc version that compiled them.
    pub solc: String,
}

impl DeploymentFile {
    /// Reads and checks a deployment file.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the deployment file", path.display()))?;
        let d: DeploymentFile = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a deployment file", path.display()))?;
        if d.format != FORMAT || d.version != VERSION {
            bail!(
                "{}: field `format`/`version`: expected {FORMAT} version {VERSION}, found {} version {}",
                path.display(),
                d.format,
                d.version
            );
        }
        Ok(d)
    }

    /// Checks that `conn` serves this deployment: the chain id, and the
    /// settlement's and registry's code as deployed.
    pub fn check(&self, conn: &Conn, path: &Path) -> Result<()> {
        if conn.chain_id != self.chain_id {
            bail!(
                "{} is for chain {} but the RPC serves chain {}: use that chain's RPC URL, or the deployment file of chain {}",
                path.display(),
                self.chain_id,
                conn.chain_id,
                conn.chain_id
            );
        }
        for (name, address) in [
            ("AttributionSettlement", self.settlement),
            ("DatasetRegistry", self.registry),
        ] {
            let code = conn.code(address)?;
            let expected = self.code_hashes.get(name);
            if expected != Some(&keccak256(&code)) {
                bail!(
                    "chain {} has no {name} at {address} as {} recorded (the node's state was reset, or the file is wrong): \
                     deploy again with `poa chain deploy`",
                    self.chain_id,
                    path.display()
                );
            }
        }
        Ok(())
    }
}

/// The pinned solc's version (from its npm package).
fn solc_version() -> String {
    let p = contracts_dir().join("node_modules/solc/package.json");
    std::fs::read_to_string(p)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v["version"].as_str().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

fn word(a: Address) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[12..].copy_from_slice(a.as_slice());
    w
}

/// A halo2 verifier's creation code: the parts in order, the entry and the
/// adapter (without their constructor arguments).
struct Halo2Contracts {
    parts: Vec<(String, Vec<u8>)>,
    entry: Vec<u8>,
    adapter: Vec<u8>,
    shape: String,
    vk_digest: String,
}

/// Compiles the halo2 verifier of the key in `params` as `poa
/// export-verifier` does (the same code, in a private folder).
fn halo2_contracts(params: &Path) -> Result<Halo2Contracts> {
    let dir = poa_prover::halo2::private_dir("poa-chain-halo2")?;
    let out = dir.join(format!("{ENTRY}.sol"));
    let built = (|| -> Result<Halo2Contracts> {
        let backend = poa_prover::registry::backend("halo2")?;
        let report = backend.export_verifier(params, &out, &poa_prover::backend::Silent)?;
        let text = std::fs::read_to_string(out.with_extension("json"))?;
        let artifacts: serde_json::Value = serde_json::from_str(&text)?;
        let code = |name: &str| -> Result<Vec<u8>> {
            let h = artifacts[name]["bytecode"]
                .as_str()
                .with_context(|| format!("no bytecode of {name} in the halo2 artifacts"))?;
            Ok(hex::decode(h.trim_start_matches("0x"))?)
        };
        let mut parts = Vec::new();
        for p in report.json["parts"].as_array().into_iter().flatten() {
            let name = p
                .as_str()
                .and_then(|p| Path::new(p).file_stem())
                .and_then(|s| s.to_str())
                .context("a halo2 part without a name")?
                .to_string();
            let init = code(&name)?;
            parts.push((name, init));
        }
        let vk = poa_verifier::halo2::VerifyingKeyFile::read(
            &params.join(poa_verifier::halo2::VK_FILE),
        )?;
        Ok(Halo2Contracts {
            parts,
            entry: code(ENTRY)?,
            adapter: code("PoaHalo2Verifier")?,
            shape: vk.shape.to_string(),
            vk_digest: format!("0x{}", hex::encode(vk.digest())),
        })
    })();
    let _ = std::fs::remove_dir_all(&dir);
    built
}

/// Deploys the registry and the settlement (and the verifier of the
/// Groth16 key in `params`), then writes `out`.
pub fn deploy(
    ui: &Ui,
    conn: &Conn,
    out: &Path,
    challenge_blocks: u64,
    params: Option<&PathBuf>,
    backend: &str,
) -> Result<(DeploymentFile, Vec<(String, Sent)>)> {
    let from = conn.signer()?;
    let mut extra: Vec<(String, String)> = Vec::new();
    let mut vk_info = None;
    let mut halo2 = None;
    if let (Some(params), "halo2") = (params, backend) {
        halo2 = Some(halo2_contracts(params)?);
    } else if let Some(params) = params {
        if backend != "groth16" {
            bail!("--backend {backend}: it has no EVM verifier (groth16 or halo2)");
        }
        let vk = VerifyingKeyFile::read(&params.join(VK_FILE))?;
        let digest = format!("0x{}", hex::encode(vk.digest()));
        let source = Groth16Template::new(&vk.vk, vk.shape.to_string(), digest.clone()).render();
        extra.push(("IPoaVerifier.sol".into(), INTERFACE.into()));
        extra.push(("PoaGroth16Verifier.sol".into(), source));
        vk_info = Some((vk.shape.to_string(), digest));
    }
    let dir = poa_prover::halo2::private_dir("poa-chain")?;
    let extra_ref: Vec<(&str, &str)> = extra
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let built = compile_settlement(&dir, &extra_ref);
    let _ = std::fs::remove_dir_all(&dir);
    let built = built?;
    let code = |name: &str| -> Result<Vec<u8>> {
        Ok(built
            .get(name)
            .with_context(|| format!("solc produced no {name}"))?
            .bytecode
            .clone())
    };
    // With --dry-run nothing is created: later creations are estimated
    // against the addresses the earlier ones would get.
    let nonce = conn.nonce()?;
    let mut sent = Vec::new();
    let mut create = |name: &str, init: Vec<u8>, i: u64| -> Result<Address> {
        let s = conn.send(&format!("deploy {name}"), None, init, U256::ZERO)?;
        ui.say(s.line(&format!("deploy {name}")));
        let a = match s.contract {
            Some(a) => a,
            None if s.dry_run => from.create(nonce + i),
            None => bail!("deploy {name}: the receipt names no contract"),
        };
        sent.push((name.to_string(), s));
        Ok(a)
    };
    let mut registry_init = code("DatasetRegistry")?;
    registry_init.extend(U256::from(challenge_blocks).to_be_bytes::<32>());
    let registry = create("DatasetRegistry", registry_init, 0)?;
    let mut settlement_init = code("AttributionSettlement")?;
    settlement_init.extend(word(registry));
    let settlement = create("AttributionSettlement", settlement_init, 1)?;
    let mut verifier = match vk_info {
        Some((shape, vk_digest)) => Some(VerifierEntry {
            backend: backend.into(),
            address: create("PoaGroth16Verifier", code("PoaGroth16Verifier")?, 2)?,
            shape,
            vk_digest,
        }),
        None => None,
    };
    // halo2: the parts, the entry with their addresses, the adapter with
    // the entry's (the entry refuses parts whose code is not the pinned one).
    let mut halo2_names = Vec::new();
    if let Some(h) = halo2 {
        let mut i = 2;
        let mut parts = Vec::new();
        for (name, init) in &h.parts {
            parts.push(create(name, init.clone(), i)?);
            halo2_names.push((name.clone(), *parts.last().unwrap_or(&Address::ZERO)));
            i += 1;
        }
        let mut entry = h.entry.clone();
        for a in &parts {
            entry.extend(word(*a));
        }
        let entry = create(ENTRY, entry, i)?;
        halo2_names.push((ENTRY.to_string(), entry));
        let mut adapter = h.adapter.clone();
        adapter.extend(word(entry));
        let address = create("PoaHalo2Verifier", adapter, i + 1)?;
        halo2_names.push(("PoaHalo2Verifier".to_string(), address));
        verifier = Some(VerifierEntry {
            backend: backend.into(),
            address,
            shape: h.shape,
            vk_digest: h.vk_digest,
        });
    }
    let mut code_hashes = BTreeMap::new();
    let block = sent.first().map(|(_, s)| s.block).unwrap_or_default();
    let mut names = vec![
        ("DatasetRegistry", registry),
        ("AttributionSettlement", settlement),
    ];
    if let (Some(v), "groth16") = (&verifier, backend) {
        names.push(("PoaGroth16Verifier", v.address));
    }
    names.extend(halo2_names.iter().map(|(n, a)| (n.as_str(), *a)));
    if !conn.dry_run {
        for (name, a) in names {
            code_hashes.insert(name.to_string(), keccak256(conn.code(a)?));
        }
    }
    let file = DeploymentFile {
        format: FORMAT.into(),
        version: VERSION,
        chain_id: conn.chain_id,
        registry,
        settlement,
        challenge_blocks,
        verifier,
        code_hashes,
        block,
        solc: solc_version(),
    };
    if !conn.dry_run {
        let text = poa_circuits::formats::pretty(&file);
        poa_prover::files::write_atomic(out, text.as_bytes())?;
        ui.say(format!(
            "registry {registry}, settlement {settlement}{}; deployment written to {}",
            file.verifier
                .as_ref()
                .map(|v| format!(", verifier {}", v.address))
                .unwrap_or_default(),
            out.display()
        ));
    }
    Ok((file, sent))
}
