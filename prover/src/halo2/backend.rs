//! The halo2 backend behind [`crate::backend::Prover`]: `poa setup`,
//! `prove`, `export-verifier` and `bench` with `--backend halo2`. Every
//! command that reads a params folder checks it as
//! [`poa_verifier::halo2::params`] says.

use std::path::{Path, PathBuf};
use std::time::Instant;

use poa_circuits::formats::{pretty, EpochFile};
use poa_circuits::halo2::AttributionCircuit;
use poa_circuits::statement::{synthetic_epoch, Shape};
use poa_contracts::build::{compile, compile_named, Artifact};
use poa_verifier::container::keccak;
use poa_verifier::halo2::evm::ENTRY;
use poa_verifier::halo2::params::{load, load_checked, RECORD_FILE, SRS_DIGEST_IS};
use poa_verifier::halo2::{
    check_vk_is, read_srs, srs_digest, VerifyingKeyFile, NAME, SRS_FILE, VK_FILE,
};
use poa_verifier::proof_file::{hex0x, ProofFile};
use serde_json::json;

use crate::backend::{
    create_dir, peak_rss_mib, secs, BenchOptions, Log, ProveOptions, Prover, Report, SetupOptions,
    Verifier,
};
use crate::files::write_atomic;
use crate::Error;

/// halo2 (halo2-axiom) with KZG on BN254.
pub struct Halo2;

impl Prover for Halo2 {
    fn name(&self) -> &'static str {
        NAME
    }

    fn verifier(&self) -> &'static dyn Verifier {
        &poa_verifier::halo2::Halo2
    }

    fn setup(&self, opts: &SetupOptions<'_>, log: &dyn Log) -> Result<Report, Error> {
        let srs = match (opts.ptau, opts.srs, opts.insecure) {
            (Some(_), Some(_), _) | (Some(_), None, true) => {
                return Err(Error::Usage(
                    "--ptau goes with neither --srs nor --insecure-single-party".into(),
                ))
            }
            (Some(path), None, false) => Srs::Ptau(path),
            (None, Some(path), _) => Srs::File(path),
            (None, None, true) => Srs::Insecure(opts.seed),
            (None, None, false) => {
                return Err(Error::Usage(
                    "halo2 needs an SRS: --srs FILE (halo2 raw ParamsKZG, e.g. a published \
powers-of-tau file), --ptau FILE (snarkjs .ptau), or --insecure-single-party to make a \
development one here"
                        .into(),
                ))
            }
        };
        setup(log, opts.shape, opts.out, srs)
    }

    fn prove(
        &self,
        params: &Path,
        epoch: &Path,
        out: &Path,
        _opts: &ProveOptions,
        log: &dyn Log,
    ) -> Result<Report, Error> {
        prove(log, params, epoch, out)
    }

    fn export_verifier(&self, params: &Path, out: &Path, log: &dyn Log) -> Result<Report, Error> {
        export_verifier(log, params, out)
    }

    fn bench(&self, shape: Shape, _opts: &BenchOptions, log: &dyn Log) -> Result<Report, Error> {
        bench(log, shape)
    }
}

/// Where the SRS comes from.
enum Srs<'a> {
    /// A file of a ceremony, in halo2's raw `ParamsKZG` format.
    File(&'a Path),
    /// Phase 1 of a Groth16 ceremony, snarkjs `.ptau`.
    Ptau(&'a Path),
    /// Made here (insecure), optionally from a seed.
    Insecure(Option<[u8; 32]>),
}

fn setup(log: &dyn Log, shape: Shape, out: &Path, srs: Srs<'_>) -> Result<Report, Error> {
    let k = AttributionCircuit::k(shape)?;
    let rows = AttributionCircuit::rows(shape)?;
    create_dir(out)?;
    let t = Instant::now();
    let (params, insecure) = match srs {
        Srs::File(path) => {
            log.progress(&format!(
                "[1/2] loading SRS {} (cut to k = {k})",
                path.display()
            ));
            (read_srs(path, k)?, false)
        }
        Srs::Ptau(path) => {
            log.progress(&format!(
                "[1/2] SRS k = {k} from the powers of tau in {}",
                path.display()
            ));
            (super::srs_from_ptau(path, k)?, false)
        }
        Srs::Insecure(seed) => {
            log.progress(&format!(
                "[1/2] SRS k = {k} (INSECURE: made here, whoever ran it can forge proofs)"
            ));
            (super::srs_insecure(k, seed)?, true)
        }
    };
    let srs_time = t.elapsed();
    log.progress(&format!(
        "[2/2] keys for halo2 {shape}: {rows} rows, k = {k}"
    ));
    let t = Instant::now();
    let pk = super::keygen(&params, shape)?;
    let keygen_time = t.elapsed();
    let vk = VerifyingKeyFile {
        shape,
        vk: pk.get_vk().clone(),
    };
    let digest = hex0x(&vk.digest());
    let srs_digest = hex0x(&srs_digest(&params));
    super::write_srs(&out.join(SRS_FILE), &params)?;
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
    log.say(&format!(
        "setup halo2 {shape}: SRS {}, keys {}",
        secs(srs_time),
        secs(keygen_time)
    ));
    log.say(&format!("verifying-key digest: {digest}"));
    log.say(&format!("SRS digest: {srs_digest} ({SRS_DIGEST_IS})"));
    log.say(&format!(
        "SRS and verifying key written to {}",
        out.display()
    ));
    Ok(Report::done(json!({ "ok": true, "setup": meta })))
}

fn prove(log: &dyn Log, params_dir: &Path, epoch_path: &Path, out: &Path) -> Result<Report, Error> {
    let epoch = EpochFile::read(epoch_path)?;
    let shape = epoch.shape;
    let t = Instant::now();
    log.progress(&format!(
        "[1/3] loading {} and deriving the proving key",
        params_dir.display()
    ));
    let (vk, params) = load(params_dir, Some(shape))?;
    let pk = super::keygen(&params, shape)?;
    check_vk_is(&params_dir.join(VK_FILE), &vk, pk.get_vk())?;
    let load_time = t.elapsed();
    log.progress(&format!(
        "[2/3] proving {shape} ({} rows, k = {}, {} threads)",
        AttributionCircuit::rows(shape)?,
        AttributionCircuit::k(shape)?,
        poa_circuits::parallel::current_threads()
    ));
    let t = Instant::now();
    let (proof, _) = super::prove(&params, &pk, &epoch)?;
    let prove_time = t.elapsed();
    log.progress("[3/3] writing proof");
    let file = ProofFile::new(NAME, shape, vk.digest(), &proof);
    write_atomic(out, pretty(&file).as_bytes())?;
    log.say(&format!(
        "proof ({} bytes) written to {} (keys {}, prove {})",
        proof.len(),
        out.display(),
        secs(load_time),
        secs(prove_time)
    ));
    Ok(Report::done(json!({
        "ok": true,
        "proof": file,
        "seconds": { "keys": load_time.as_secs_f64(), "prove": prove_time.as_secs_f64() },
    })))
}

/// A fresh build folder that only this user can enter, under a random
/// name (the compiled code read back from it is what the entry pins, so
/// another local user must not be able to prepare or swap it), named
/// `{prefix}-{random hex}` in the temp folder.
pub fn private_dir(prefix: &str) -> Result<PathBuf, Error> {
    let mut name = [0u8; 16];
    getrandom::getrandom(&mut name).map_err(|e| Error::Randomness(e.to_string()))?;
    let dir = std::env::temp_dir().join(format!("{prefix}-{}", hex::encode(name)));
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir).map_err(|cause| Error::Io {
        path: dir.clone(),
        cause,
    })?;
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
fn export_verifier(log: &dyn Log, params_dir: &Path, out: &Path) -> Result<Report, Error> {
    let (vk, params, srs) = load_checked(log, params_dir, None)?;
    srs.announce(log);
    let verifier = poa_verifier::halo2::evm_verifier(&params, &vk.vk)?;
    let artifacts_path = out.with_extension("json");
    if artifacts_path == out {
        return Err(Error::Usage(format!(
            "{}: the verifier's --out must be a .sol file",
            out.display()
        )));
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_dir(dir)?;
    }
    let build = private_dir("poa-export-halo2")?;
    let built = compile_pinned(log, &verifier, &build);
    let _ = std::fs::remove_dir_all(&build);
    let (entry, built) = built?;
    // Every artifact before any file: a failure writes nothing.
    let names: Vec<&str> = verifier.parts().iter().map(|(n, _)| n.as_str()).collect();
    let mut artifacts = serde_json::Map::new();
    for name in names.iter().copied().chain([ENTRY, "PoaHalo2Verifier"]) {
        let artifact = built
            .get(name)
            .ok_or_else(|| poa_contracts::Error::Compile(format!("solc produced no {name}")))?;
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
    log.say(&format!(
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
    log.say(&format!(
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
    Ok(Report::done(json!({
        "ok": true,
        "out": out,
        "parts": parts,
        "adapter": adapter,
        "interface": interface,
        "artifacts": artifacts_path,
        "srs": srs.to_json(),
    })))
}

/// Compiles the parts, renders the entry pinned to their runtime code, and
/// compiles it and the adapter, in `build`; returns the entry's source and
/// every contract compiled.
fn compile_pinned(
    log: &dyn Log,
    verifier: &poa_verifier::halo2::EvmVerifier,
    build: &Path,
) -> Result<(String, std::collections::HashMap<String, Artifact>), Error> {
    let why = "the entry pins its parts' compiled code";
    log.progress(&format!(
        "compiling {} parts with the pinned solc ({why})",
        verifier.parts().len()
    ));
    let (mut built, hashes) = compile_named(&build.join("parts"), verifier.parts(), false)?;
    let entry = verifier.entry(&hashes)?;
    log.progress(&format!("compiling {ENTRY} and PoaHalo2Verifier"));
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

fn bench(log: &dyn Log, shape: Shape) -> Result<Report, Error> {
    let k = AttributionCircuit::k(shape)?;
    let rows = AttributionCircuit::rows(shape)?;
    let threads = poa_circuits::parallel::current_threads();
    let arithmetic = if cfg!(feature = "asm") {
        "asm"
    } else {
        "portable"
    };
    log.progress(&format!(
        "bench halo2 {shape}: {rows} rows, k = {k}, {threads} threads, {arithmetic} field arithmetic"
    ));
    let epoch = synthetic_epoch(shape, 42);
    let t = Instant::now();
    let params = super::srs_insecure(k, None)?;
    let srs = t.elapsed();
    let t = Instant::now();
    let pk = super::keygen(&params, shape)?;
    let keygen = t.elapsed();
    let t = Instant::now();
    let (proof, inputs) = super::prove(&params, &pk, &epoch)?;
    let prove = t.elapsed();
    let t = Instant::now();
    let ok = poa_verifier::halo2::verify(&params, pk.get_vk(), &inputs, &proof);
    let verify = t.elapsed();
    let rss = peak_rss_mib();
    log.say(&format!(
        "halo2 {shape}: k = {k}, {rows} rows, {threads} threads, {arithmetic} arithmetic: SRS {}, \
         keygen {}, prove {} (incl. self-check), verify {:.1} ms ({ok}), proof {} bytes, peak RSS {} MiB",
        secs(srs),
        secs(keygen),
        secs(prove),
        verify.as_secs_f64() * 1e3,
        proof.len(),
        rss.map_or("?".into(), |m| format!("{m:.0}"))
    ));
    Ok(Report {
        ok,
        json: json!({
        "ok": ok, "backend": NAME, "shape": shape.to_string(), "k": k, "rows": rows, "threads": threads, "arithmetic": arithmetic,
        "seconds": { "srs": srs.as_secs_f64(), "keygen": keygen.as_secs_f64(), "prove": prove.as_secs_f64(), "verify": verify.as_secs_f64() },
        "proofBytes": proof.len(), "peakRssMiB": rss,
        }),
    })
}
