//! `poa setup|prove|verify|export-verifier|bench --backend halo2`.

use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Result};
use poa_circuits::formats::{pretty, Claim, EpochFile};
use poa_circuits::halo2::AttributionCircuit;
use poa_circuits::statement::{synthetic_epoch, Shape};
use poa_prover::files::write_atomic;
use poa_prover::halo2;
use poa_verifier::groth16::ProofFile;
use poa_verifier::halo2::{read_srs, VerifyingKeyFile, SRS_FILE, VK_FILE};
use serde_json::json;

use super::proof::{hex0x, secs};
use crate::output::{Outcome, Ui};

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
    halo2::write_srs(&out.join(SRS_FILE), &params)?;
    write_atomic(&out.join(VK_FILE), &vk.to_bytes())?;
    let meta = json!({
        "backend": "halo2",
        "shape": shape.to_string(),
        "rows": rows,
        "k": k,
        "vkDigest": digest,
        "srs": if insecure { "made here: INSECURE, development only" } else { "loaded from a file" },
    });
    write_atomic(&out.join("halo2.json"), pretty(&meta).as_bytes())?;
    ui.say(format!(
        "setup halo2 {shape}: SRS {}, keys {}",
        secs(srs_time),
        secs(keygen_time)
    ));
    ui.say(format!("verifying-key digest: {digest}"));
    ui.say(format!(
        "SRS and verifying key written to {}",
        out.display()
    ));
    ui.emit(&json!({ "ok": true, "setup": meta }));
    Ok(Outcome::Ok)
}

fn load(params_dir: &Path, shape: Shape) -> Result<(VerifyingKeyFile, poa_verifier::halo2::Srs)> {
    let vk_path = params_dir.join(VK_FILE);
    let vk = VerifyingKeyFile::read(&vk_path)?;
    if vk.shape != shape {
        bail!(
            "{}: the key is for shape {}, not {shape}",
            vk_path.display(),
            vk.shape
        );
    }
    let k = AttributionCircuit::k(shape)?;
    let params = read_srs(&params_dir.join(SRS_FILE), k)?;
    Ok((vk, params))
}

pub fn prove(ui: &Ui, params_dir: &Path, epoch_path: &Path, out: &Path) -> Result<Outcome> {
    let epoch = EpochFile::read(epoch_path)?;
    let shape = epoch.shape;
    let t = Instant::now();
    ui.progress(format!(
        "[1/3] loading {} and deriving the proving key",
        params_dir.display()
    ));
    let (vk, params) = load(params_dir, shape)?;
    let pk = halo2::keygen(&params, shape)?;
    if pk.get_vk().to_bytes(halo2_proofs::SerdeFormat::RawBytes)
        != vk.vk.to_bytes(halo2_proofs::SerdeFormat::RawBytes)
    {
        bail!(
            "{}: the verifying key does not match the SRS beside it",
            params_dir.join(VK_FILE).display()
        );
    }
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
    let (vk, params) = load(&files.params, claim.shape)?;
    let t = Instant::now();
    let verdict = poa_verifier::halo2::verify_claim(
        &files.params.join(VK_FILE),
        &vk,
        &params,
        &claim,
        &file,
        &proof,
    )?;
    super::proof::report_verdict(ui, &files.claim, &verdict, t.elapsed())
}

pub fn export_verifier(ui: &Ui, params_dir: &Path, out: &Path) -> Result<Outcome> {
    let vk_path = params_dir.join(VK_FILE);
    let vk = VerifyingKeyFile::read(&vk_path)?;
    let (_, params) = load(params_dir, vk.shape)?;
    let verifier = poa_verifier::halo2::evm_verifier(&params, &vk.vk)?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
    }
    let adapter = out.with_file_name("PoaHalo2Verifier.sol");
    let interface = out.with_file_name("IPoaVerifier.sol");
    let parts: Vec<std::path::PathBuf> = verifier
        .parts()
        .iter()
        .map(|(name, _)| out.with_file_name(format!("{name}.sol")))
        .collect();
    write_atomic(&interface, poa_verifier::solidity::INTERFACE.as_bytes())?;
    write_atomic(&adapter, poa_verifier::halo2::ADAPTER.as_bytes())?;
    for (path, (_, source)) in parts.iter().zip(verifier.parts()) {
        write_atomic(path, source.as_bytes())?;
    }
    write_atomic(out, verifier.entry().as_bytes())?;
    let names: Vec<&str> = verifier.parts().iter().map(|(n, _)| n.as_str()).collect();
    ui.say(format!(
        "halo2 verifier for {} written to {} ({} parts beside it: {}) with {} and {}",
        vk.shape,
        out.display(),
        parts.len(),
        names.join(", "),
        adapter.display(),
        interface.display()
    ));
    ui.say(
        "compile with `node contracts/compile.js --no-via-ir OUT.json <the verifier files>` \
         (legacy pipeline, EVM paris); deploy the parts, then Halo2Verifier with their \
         addresses in order, then PoaHalo2Verifier with Halo2Verifier's address",
    );
    ui.emit(&json!({ "ok": true, "out": out, "parts": parts, "adapter": adapter, "interface": interface }));
    Ok(Outcome::Ok)
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
