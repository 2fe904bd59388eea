//! `poa setup|prove|verify|export-verifier|bench --backend halo2`.
//!
//! Every command that reads a params folder re-derives the verifying key
//! from the SRS and the shape and refuses a `halo2.vk` that differs (the
//! digest in a proof file is the prover's own, so it proves nothing), and
//! checks the SRS against the setup record `halo2.json`, which holds its
//! digest and whether it was made here (insecure).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use poa_circuits::formats::{pretty, Claim, EpochFile};
use poa_circuits::halo2::AttributionCircuit;
use poa_circuits::statement::{synthetic_epoch, Shape};
use poa_contracts::build::{compile, compile_named, Artifact};
use poa_prover::files::write_atomic;
use poa_prover::halo2;
use poa_verifier::container::keccak;
use poa_verifier::groth16::ProofFile;
use poa_verifier::halo2::evm::ENTRY;
use poa_verifier::halo2::{
    check_vk, check_vk_is, read_srs, srs_digest, VerifyingKeyFile, SRS_FILE, VK_FILE,
};
use serde_json::json;

use super::proof::{hex0x, secs};
use crate::output::{Outcome, Ui};

/// The setup record in a params folder.
const RECORD_FILE: &str = "halo2.json";
/// What the SRS digest is, for people.
const SRS_DIGEST_IS: &str = "Keccak-256 of g2 ‖ s·g2: compare it with the ceremony's";

/// Where the SRS comes from.
pub enum Srs<'a> {
    /// A file of a ceremony, in halo2's raw `ParamsKZG` format.
    File(&'a Path),
    /// Made here (insecure), optionally from a seed.
    Insecure(Option<[u8; 32]>),
}

pub fn setup(ui: &Ui, shape: Shape, out: &Path, srs: Srs<'_>) -> Result<Outcome> {
    let k = AttributionCircuit::k(shape)?;
    let rows = AttributionCircuit::rows(shape)?;
    std::fs::create_dir_all(out).map_err(|e| anyhow::anyhow!("{}: {e}", out.display()))?;
    let t = Instant::now();
    let (params, insecure) = match srs {
        Srs::File(path) => {
            ui.progress(format!(
                "[1/2] loading SRS {} (cut to k = {k})",
                path.display()
            ));
            (read_srs(path, k)?, false)
        }
        Srs::Insecure(seed) => {
            ui.progress(format!(
                "[1/2] SRS k = {k} (INSECURE: made here, whoever ran it can forge proofs)"
            ));
            (halo2::srs_insecure(k, seed)?, true)
        }
    };
    let srs_time = t.elapsed();
    ui.progress(format!(
        "[2/2] keys for halo2 {shape}: {rows} rows, k = {k}"
    ));
    let t = Instant::now();
    let pk = halo2::keygen(&params, shape)?;
    let keygen_time = t.elapsed();
    let vk = VerifyingKeyFile {
        shape,
        vk: pk.get_vk().clone(),
    };
    let digest = hex0x(&vk.digest());
    let srs_digest = hex0x(&srs_digest(&params));
    halo2::write_srs(&out.join(SRS_FILE), &params)?;
    write_atomic(&out.join(VK_FILE), &vk.to_bytes())?;
    let meta = json!({
        "backend": "halo2",
        "shape": shape.to_string(),
        "rows": rows,
        "k": k,
        "vkDigest": digest,
        "srsDigest": srs_digest,
        "insecure": insecure,
        "srs": if insecure { "made here: INSECURE, development only" } else { "loaded from a file" },
    });
    write_atomic(&out.join(RECORD_FILE), pretty(&meta).as_bytes())?;
    ui.say(format!(
        "setup halo2 {shape}: SRS {}, keys {}",
        secs(srs_time),
        secs(keygen_time)
    ));
    ui.say(format!("verifying-key digest: {digest}"));
    ui.say(format!("SRS digest: {srs_digest} ({SRS_DIGEST_IS})"));
    ui.say(format!(
        "SRS and verifying key written to {}",
        out.display()
    ));
    ui.emit(&json!({ "ok": true, "setup": meta }));
    Ok(Outcome::Ok)
}

/// The SRS of a params folder as its setup record describes it.
struct SrsInfo {
    file: PathBuf,
    digest: [u8; 32],
    /// Whether setup made it here (`None`: no record says).
    insecure: Option<bool>,
}

impl SrsInfo {
    fn to_json(&self) -> serde_json::Value {
        json!({ "file": self.file, "digest": hex0x(&self.digest), "insecure": self.insecure })
    }

    /// Prints the digest; warns on stderr (even with `--json` or `-q`) when
    /// the SRS is insecure or its origin unrecorded.
    fn announce(&self, ui: &Ui) {
        ui.say(format!(
            "SRS {}: digest {} ({SRS_DIGEST_IS})",
            self.file.display(),
            hex0x(&self.digest)
        ));
        match self.insecure {
            Some(true) => eprintln!(
                "warning: {} is an INSECURE single-party SRS (setup --insecure-single-party): \
                 whoever made it can forge proofs; for development only",
                self.file.display()
            ),
            Some(false) => {}
            None => eprintln!(
                "warning: {} has no setup record saying where it comes from: compare its \
                 digest {} with the ceremony's",
                self.file.display(),
                hex0x(&self.digest)
            ),
        }
    }
}

/// The SRS's digest, checked against the setup record when there is one.
fn srs_info(params_dir: &Path, params: &poa_verifier::halo2::Srs) -> Result<SrsInfo> {
    let file = params_dir.join(SRS_FILE);
    let digest = srs_digest(params);
    let record_path = params_dir.join(RECORD_FILE);
    let record: serde_json::Value = match std::fs::read(&record_path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .with_context(|| format!("{}: not JSON", record_path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => serde_json::Value::Null,
        Err(e) => bail!("{}: {e}", record_path.display()),
    };
    if let Some(recorded) = record.get("srsDigest") {
        let recorded = recorded.as_str().unwrap_or_default();
        if !recorded.eq_ignore_ascii_case(&hex0x(&digest)) {
            bail!(
                "{}: srsDigest {recorded} is not the digest of {} ({}): the SRS is not the one setup used",
                record_path.display(),
                file.display(),
                hex0x(&digest)
            );
        }
    }
    // An insecure flag without the digest it was recorded for says nothing.
    let insecure = record
        .get("srsDigest")
        .and(record.get("insecure"))
        .and_then(|v| v.as_bool());
    Ok(SrsInfo {
        file,
        digest,
        insecure,
    })
}

/// The key and the SRS of `params_dir`, the key of `shape` (or of its own
/// shape), unchecked.
fn load(
    params_dir: &Path,
    shape: Option<Shape>,
) -> Result<(VerifyingKeyFile, poa_verifier::halo2::Srs)> {
    let vk_path = params_dir.join(VK_FILE);
    let vk = VerifyingKeyFile::read(&vk_path)?;
    if let Some(shape) = shape.filter(|&s| s != vk.shape) {
        bail!(
            "{}: the key is for shape {}, not {shape}",
            vk_path.display(),
            vk.shape
        );
    }
    let k = AttributionCircuit::k(vk.shape)?;
    let params = read_srs(&params_dir.join(SRS_FILE), k)?;
    Ok((vk, params))
}

/// [`load`], then the SRS against the setup record and the key against the
/// one the SRS and the shape give: what `verify` and `export-verifier` use.
fn load_checked(
    ui: &Ui,
    params_dir: &Path,
    shape: Option<Shape>,
) -> Result<(VerifyingKeyFile, poa_verifier::halo2::Srs, SrsInfo)> {
    let (vk, params) = load(params_dir, shape)?;
    let srs = srs_info(params_dir, &params)?;
    ui.progress(format!(
        "deriving the {} verifying key from {} to check {}",
        vk.shape,
        srs.file.display(),
        VK_FILE
    ));
    check_vk(&params_dir.join(VK_FILE), &vk, &params)?;
    Ok((vk, params, srs))
}

pub fn prove(ui: &Ui, params_dir: &Path, epoch_path: &Path, out: &Path) -> Result<Outcome> {
    let epoch = EpochFile::read(epoch_path)?;
    let shape = epoch.shape;
    let t = Instant::now();
    ui.progress(format!(
        "[1/3] loading {} and deriving the proving key",
        params_dir.display()
    ));
    let (vk, params) = load(params_dir, Some(shape))?;
    let pk = halo2::keygen(&params, shape)?;
    check_vk_is(&params_dir.join(VK_FILE), &vk, pk.get_vk())?;
    let load_time = t.elapsed();
    ui.progress(format!(
        "[2/3] proving {shape} ({} rows, k = {}, {} threads)",
        AttributionCircuit::rows(shape)?,
        AttributionCircuit::k(shape)?,
        poa_circuits::parallel::current_threads()
    ));
    let t = Instant::now();
    let (proof, _) = halo2::prove(&params, &pk, &epoch)?;
    let prove_time = t.elapsed();
    ui.progress("[3/3] writing proof");
    let file = ProofFile::from_bytes("halo2", shape, vk.digest(), &proof);
    write_atomic(out, pretty(&file).as_bytes())?;
    ui.say(format!(
        "proof ({} bytes) written to {} (keys {}, prove {})",
        proof.len(),
        out.display(),
        secs(load_time),
        secs(prove_time)
    ));
    ui.emit(&json!({
        "ok": true,
        "proof": file,
        "seconds": { "keys": load_time.as_secs_f64(), "prove": prove_time.as_secs_f64() },
    }));
    Ok(Outcome::Ok)
}

pub fn verify(ui: &Ui, files: &super::proof::PublicFiles) -> Result<Outcome> {
    let claim = Claim::read(&files.claim)?;
    let (file, proof) = ProofFile::read_bytes(&files.proof, "halo2")?;
    let (vk, params, srs) = load_checked(ui, &files.params, Some(claim.shape))?;
    srs.announce(ui);
    let t = Instant::now();
    let verdict = poa_verifier::halo2::verify_claim(
        &files.params.join(VK_FILE),
        &vk,
        &params,
        &claim,
        &file,
        &proof,
    )?;
    let elapsed = t.elapsed();
    let extra = json!({ "srs": srs.to_json() });
    super::proof::report_verdict(ui, &files.claim, &verdict, elapsed, extra)
}

/// A fresh build folder that only this user can enter, under a random
/// name (the compiled code read back from it is what the entry pins, so
/// another local user must not be able to prepare or swap it).
fn private_dir() -> Result<PathBuf> {
    let mut name = [0u8; 16];
    getrandom::getrandom(&mut name).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    let dir = std::env::temp_dir().join(format!("poa-export-halo2-{}", hex::encode(name)));
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(&dir)
        .with_context(|| format!("{}: cannot create the build folder", dir.display()))?;
    Ok(dir)
}

/// `compile.js`'s format, and each part's code hash, which the entry pins.
fn artifact_json(artifact: &Artifact, pinned: bool) -> serde_json::Value {
    let mut v = json!({
        "abi": artifact.abi,
        "bytecode": hex0x(&artifact.bytecode),
        "deployedBytecode": hex0x(&artifact.deployed),
    });
    if pinned {
        v["codeHash"] = hex0x(&keccak(&artifact.deployed)).into();
    }
    v
}

/// Writes the verifier's sources and its compiled bytecode. The entry pins
/// its parts' code hashes, which exist only once solc has compiled them, so
/// the parts are compiled first (with the pinned solc, as the instructions
/// say), then the entry rendered with their hashes.
pub fn export_verifier(ui: &Ui, params_dir: &Path, out: &Path) -> Result<Outcome> {
    let (vk, params, srs) = load_checked(ui, params_dir, None)?;
    srs.announce(ui);
    let verifier = poa_verifier::halo2::evm_verifier(&params, &vk.vk)?;
    let artifacts_path = out.with_extension("json");
    if artifacts_path == out {
        bail!(
            "{}: the verifier's --out must be a .sol file",
            out.display()
        );
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    }
    let build = private_dir()?;
    let built = compile_pinned(ui, &verifier, &build);
    let _ = std::fs::remove_dir_all(&build);
    let (entry, built) = built?;
    // Every artifact before any file: a failure writes nothing.
    let names: Vec<&str> = verifier.parts().iter().map(|(n, _)| n.as_str()).collect();
    let mut artifacts = serde_json::Map::new();
    for name in names.iter().copied().chain([ENTRY, "PoaHalo2Verifier"]) {
        let artifact = built
            .get(name)
            .with_context(|| format!("solc produced no {name}"))?;
        artifacts.insert(name.into(), artifact_json(artifact, names.contains(&name)));
    }

    let adapter = out.with_file_name("PoaHalo2Verifier.sol");
    let interface = out.with_file_name("IPoaVerifier.sol");
    let parts: Vec<PathBuf> = verifier
        .parts()
        .iter()
        .map(|(name, _)| out.with_file_name(format!("{name}.sol")))
        .collect();
    write_atomic(&interface, poa_verifier::solidity::INTERFACE.as_bytes())?;
    write_atomic(&adapter, poa_verifier::halo2::ADAPTER.as_bytes())?;
    for (path, (_, source)) in parts.iter().zip(verifier.parts()) {
        write_atomic(path, source.as_bytes())?;
    }
    write_atomic(out, entry.as_bytes())?;
    write_atomic(&artifacts_path, pretty(&artifacts).as_bytes())?;
    ui.say(format!(
        "halo2 verifier for {} written to {} ({} parts beside it: {}) with {} and {}; \
         compiled bytecode in {}",
        vk.shape,
        out.display(),
        parts.len(),
        names.join(", "),
        adapter.display(),
        interface.display(),
        artifacts_path.display()
    ));
    let constructor: Vec<String> = names.iter().map(|n| format!("{n}'s address")).collect();
    ui.say(format!(
        "deploy from {}: {}, then {ENTRY}({}) (its constructor refuses a part whose code hash \
         is not the pinned one), then PoaHalo2Verifier({ENTRY}'s address). To rebuild, compile \
         the .sol files with `node contracts/compile.js --no-via-ir OUT.json <the verifier files>` \
         (pinned solc, legacy pipeline, EVM paris: the same parts' bytecode) and PoaHalo2Verifier.sol \
         with IPoaVerifier.sol without --no-via-ir",
        artifacts_path.display(),
        if names.is_empty() {
            "nothing".to_string()
        } else {
            names.join(", ")
        },
        constructor.join(", ")
    ));
    ui.emit(&json!({
        "ok": true,
        "out": out,
        "parts": parts,
        "adapter": adapter,
        "interface": interface,
        "artifacts": artifacts_path,
        "srs": srs.to_json(),
    }));
    Ok(Outcome::Ok)
}

/// Compiles the parts, renders the entry pinned to their runtime code, and
/// compiles it and the adapter, in `build`; returns the entry's source and
/// every contract compiled.
fn compile_pinned(
    ui: &Ui,
    verifier: &poa_verifier::halo2::EvmVerifier,
    build: &Path,
) -> Result<(String, std::collections::HashMap<String, Artifact>)> {
    let why = "the entry pins its parts' compiled code";
    ui.progress(format!(
        "compiling {} parts with the pinned solc ({why})",
        verifier.parts().len()
    ));
    let (mut built, hashes) =
        compile_named(&build.join("parts"), verifier.parts(), false).context(why)?;
    let entry = verifier.entry(&hashes)?;
    ui.progress(format!("compiling {ENTRY} and PoaHalo2Verifier"));
    let (entry_built, _) = compile_named(
        &build.join("entry"),
        &[(ENTRY.to_string(), entry.clone())],
        false,
    )?;
    built.extend(entry_built);
    built.extend(compile(
        &build.join("adapter"),
        &[
            ("IPoaVerifier.sol", poa_verifier::solidity::INTERFACE),
            ("PoaHalo2Verifier.sol", poa_verifier::halo2::ADAPTER),
        ],
    )?);
    Ok((entry, built))
}

pub fn bench(ui: &Ui, shape: Shape) -> Result<Outcome> {
    let k = AttributionCircuit::k(shape)?;
    let rows = AttributionCircuit::rows(shape)?;
    let threads = poa_circuits::parallel::current_threads();
    let arithmetic = if cfg!(feature = "asm") {
        "asm"
    } else {
        "portable"
    };
    ui.progress(format!(
        "bench halo2 {shape}: {rows} rows, k = {k}, {threads} threads, {arithmetic} field arithmetic"
    ));
    let epoch = synthetic_epoch(shape, 42);
    let t = Instant::now();
    let params = halo2::srs_insecure(k, None)?;
    let srs = t.elapsed();
    let t = Instant::now();
    let pk = halo2::keygen(&params, shape)?;
    let keygen = t.elapsed();
    let t = Instant::now();
    let (proof, inputs) = halo2::prove(&params, &pk, &epoch)?;
    let prove = t.elapsed();
    let t = Instant::now();
    let ok = poa_verifier::halo2::verify(&params, pk.get_vk(), &inputs, &proof);
    let verify = t.elapsed();
    let rss = super::bench::peak_rss_mib();
    ui.say(format!(
        "halo2 {shape}: k = {k}, {rows} rows, {threads} threads, {arithmetic} arithmetic: SRS {}, \
         keygen {}, prove {} (incl. self-check), verify {:.1} ms ({ok}), proof {} bytes, peak RSS {} MiB",
        secs(srs),
        secs(keygen),
        secs(prove),
        verify.as_secs_f64() * 1e3,
        proof.len(),
        rss.map_or("?".into(), |m| format!("{m:.0}"))
    ));
    ui.emit(&json!({
        "ok": ok, "backend": "halo2", "shape": shape.to_string(), "k": k, "rows": rows, "threads": threads, "arithmetic": arithmetic,
        "seconds": { "srs": srs.as_secs_f64(), "keygen": keygen.as_secs_f64(), "prove": prove.as_secs_f64(), "verify": verify.as_secs_f64() },
        "proofBytes": proof.len(), "peakRssMiB": rss,
    }));
    Ok(if ok { Outcome::Ok } else { Outcome::Rejected })
}
