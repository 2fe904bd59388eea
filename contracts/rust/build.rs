//! Compiling Solidity with the pinned solc.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Error;

/// One compiled contract.
#[derive(Clone, Debug)]
pub struct Artifact {
    /// ABI (JSON).
    pub abi: serde_json::Value,
    /// Creation code.
    pub bytecode: Vec<u8>,
    /// Runtime code.
    pub deployed: Vec<u8>,
}

/// `contracts/`.
pub fn contracts_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of `contracts/src/NAME`.
pub fn source(name: &str) -> Result<String, Error> {
    let path = contracts_dir().join("src").join(name);
    std::fs::read_to_string(&path).map_err(|cause| Error::Io { path, cause })
}

/// `DatasetRegistry.sol`, `AttributionSettlement.sol` and the interface
/// the settlement imports (`verifier/IPoaVerifier.sol`), as [`compile`]
/// takes them; a verifier compiled beside them brings its own
/// `IPoaVerifier.sol`.
pub fn settlement_sources() -> Result<Vec<(String, String)>, Error> {
    [
        "DatasetRegistry.sol",
        "AttributionSettlement.sol",
        "verifier/IPoaVerifier.sol",
    ]
    .into_iter()
    .map(|name| Ok((name.to_string(), source(name)?)))
    .collect()
}

/// [`compile`] of [`settlement_sources`] and `extra` together.
pub fn compile_settlement(
    dir: &Path,
    extra: &[(&str, &str)],
) -> Result<HashMap<String, Artifact>, Error> {
    let own = settlement_sources()?;
    let mut all: Vec<(&str, &str)> = own.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    all.extend_from_slice(extra);
    compile(dir, &all)
}

fn hex_field(v: &serde_json::Value, name: &str) -> Result<Vec<u8>, Error> {
    v[name]
        .as_str()
        .and_then(|s| hex::decode(s.trim_start_matches("0x")).ok())
        .ok_or_else(|| Error::Compile(format!("no {name} in solc output")))
}

/// Writes `sources` (file name, text) to `dir` and compiles them together
/// (imports resolve within `dir`, then `contracts/node_modules`).
pub fn compile(dir: &Path, sources: &[(&str, &str)]) -> Result<HashMap<String, Artifact>, Error> {
    compile_with(dir, sources, true)
}

/// [`compile`], choosing the pipeline: `via_ir = false` is the legacy one,
/// for generated assembly-only verifiers written for it (snark-verifier's).
pub fn compile_with(
    dir: &Path,
    sources: &[(&str, &str)],
    via_ir: bool,
) -> Result<HashMap<String, Artifact>, Error> {
    if !contracts_dir().join("node_modules/solc").exists() {
        return Err(Error::Compile(
            "solc is not installed: run `npm ci --prefix contracts` (scripts/test.sh does)".into(),
        ));
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |cause| Error::Io { path, cause }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut files = Vec::new();
    for (name, text) in sources {
        let p = dir.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&p, text).map_err(io(&p))?;
        files.push(p);
    }
    let out = dir.join("solc-output.json");
    let o = Command::new("node")
        .arg(contracts_dir().join("compile.js"))
        .args(if via_ir { None } else { Some("--no-via-ir") })
        .arg(&out)
        .args(&files)
        .output()
        .map_err(|e| Error::Compile(format!("cannot run node: {e}")))?;
    if !o.status.success() {
        return Err(Error::Compile(
            String::from_utf8_lossy(&o.stderr).into_owned(),
        ));
    }
    let text = std::fs::read_to_string(&out).map_err(io(&out))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Error::Compile(format!("bad output: {e}")))?;
    let mut result = HashMap::new();
    if let Some(map) = json.as_object() {
        for (name, c) in map {
            result.insert(
                name.clone(),
                Artifact {
                    abi: c["abi"].clone(),
                    bytecode: hex_field(c, "bytecode")?,
                    deployed: hex_field(c, "deployedBytecode")?,
                },
            );
        }
    }
    Ok(result)
}

/// Contracts compiled together, by contract name.
pub type Compiled = HashMap<String, Artifact>;

/// Compiles `contracts` (`(contract name, source)`, each written as
/// `NAME.sol`) together, and returns them with the `keccak256` of each one's
/// runtime code, in their order: the code hashes a split verifier's entry
/// pins for its parts.
pub fn compile_named(
    dir: &Path,
    contracts: &[(String, String)],
    via_ir: bool,
) -> Result<(Compiled, Vec<[u8; 32]>), Error> {
    if contracts.is_empty() {
        return Ok(Default::default());
    }
    let files: Vec<(String, &str)> = contracts
        .iter()
        .map(|(name, src)| (format!("{name}.sol"), src.as_str()))
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(f, s)| (f.as_str(), *s)).collect();
    let built = compile_with(dir, &files, via_ir)?;
    let hashes = contracts
        .iter()
        .map(|(name, _)| {
            built
                .get(name)
                .map(|a| revm::primitives::keccak256(&a.deployed).0)
                .ok_or_else(|| Error::Compile(format!("solc produced no {name}")))
        })
        .collect::<Result<_, _>>()?;
    Ok((built, hashes))
}

/// Whether `PUSH0` (Shanghai) occurs as an opcode: not inside PUSH data nor
/// in the CBOR metadata solc appends (its length is in the last two bytes).
pub fn has_push0(runtime: &[u8]) -> bool {
    let n = runtime.len();
    let meta = if n >= 2 {
        u16::from_be_bytes([runtime[n - 2], runtime[n - 1]]) as usize + 2
    } else {
        0
    };
    let code = &runtime[..n.saturating_sub(meta)];
    let mut i = 0;
    while i < code.len() {
        let op = code[i];
        if op == 0x5f {
            return true;
        }
        i += 1 + if (0x60..=0x7f).contains(&op) {
            (op - 0x5f) as usize
        } else {
            0
        };
    }
    false
}
