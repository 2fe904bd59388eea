//! The groth16-cp backend behind [`crate::backend::Prover`]: `poa setup`,
//! `prove` and `bench` with `--backend groth16-cp`.

use std::path::Path;
use std::time::Instant;

use poa_circuits::formats::{pretty, Claim, EpochFile};
use poa_circuits::r1cs::circuit::lookup_constraint_count;
use poa_circuits::statement::{synthetic_epoch, Shape};
use poa_verifier::groth16_cp::{proof_file, verify, NAME, PK_FILE, PROOF_BYTES, VK_FILE};
use poa_verifier::proof_file::hex0x;
use serde_json::json;

use super::statement::{prove, setup_insecure};
use super::ProvingKeyFile;
use crate::backend::{
    create_dir, key_fits_epoch, say_bench, secs, time_verify, warn_if_insecure,
    write_insecure_setup, write_solidity_verifier, BenchOptions, BenchPeaks, Log, ProveOptions,
    Prover, Report, SetupOptions, Verifier,
};
use crate::files::write_atomic;
use crate::Error;

/// Commit-and-prove Groth16 over BN254 with logUp range checks.
pub struct Groth16Cp;

impl Prover for Groth16Cp {
    fn name(&self) -> &'static str {
        NAME
    }

    fn verifier(&self) -> &'static dyn Verifier {
        &poa_verifier::groth16_cp::Groth16Cp
    }

    fn setup(&self, opts: &SetupOptions<'_>, log: &dyn Log) -> Result<Report, Error> {
        if opts.srs.is_some() || opts.ptau.is_some() {
            return Err(Error::Usage(
                "groth16-cp's setup here is single-party (--insecure-single-party); production \
keys come from `poa ceremony init --backend groth16-cp --ptau F …`; --srs and --ptau are for \
other backends"
                    .into(),
            ));
        }
        if !opts.insecure {
            return Err(Error::Usage(
                "groth16-cp needs a circuit-specific setup: run a ceremony (`poa ceremony init \
--backend groth16-cp --ptau F …`, README \"Production setup\"), or pass \
--insecure-single-party for a single-party one (development: whoever runs it can forge proofs)."
                    .into(),
            ));
        }
        let (shape, out) = (opts.shape, opts.out);
        create_dir(out)?;
        log.progress(&format!(
            "setup: groth16-cp {shape}, {} constraints (INSECURE single-party setup: development only)",
            lookup_constraint_count(shape)
        ));
        let t = Instant::now();
        let pk = setup_insecure(shape, opts.seed)?;
        let elapsed = t.elapsed();
        let vk = pk.verifying_key();
        let meta = json!({
            "backend": NAME,
            "shape": shape.to_string(),
            "constraints": lookup_constraint_count(shape),
            "committed": pk.pk.committed.len(),
        });
        write_insecure_setup(
            out,
            &[(PK_FILE, pk.to_bytes()), (VK_FILE, vk.to_bytes())],
            "groth16-cp.json",
            meta,
            &hex0x(&vk.digest()),
            elapsed,
            log,
        )
    }

    fn prove(
        &self,
        params: &Path,
        epoch_path: &Path,
        out: &Path,
        _opts: &ProveOptions,
        log: &dyn Log,
    ) -> Result<Report, Error> {
        let t = Instant::now();
        let epoch = EpochFile::read(epoch_path)?;
        let pk_path = params.join(PK_FILE);
        log.progress(&format!("[1/3] loading {}", pk_path.display()));
        let pk = ProvingKeyFile::read(&pk_path)?;
        key_fits_epoch(&pk_path, pk.shape, epoch.shape)?;
        if pk.qap == crate::groth16::Qap::Libsnark {
            // Only `setup --insecure-single-party` makes keys for arkworks'
            // reduction: warn whatever the setup record says, or without one.
            log.progress(
                "WARNING: these keys come from `poa setup --insecure-single-party`: proofs made \
with them prove nothing to anyone but whoever ran it: use keys from `poa ceremony` in production.",
            );
        } else {
            warn_if_insecure(params, "groth16-cp.json", log);
        }
        let load = t.elapsed();
        let shape = epoch.shape;
        log.progress(&format!(
            "[2/3] proving {shape} ({} constraints, {} threads)",
            lookup_constraint_count(shape),
            poa_circuits::parallel::current_threads()
        ));
        let (proof, _, tm) = prove(&pk, epoch)?;
        log.progress("[3/3] writing proof");
        let file = proof_file(shape, pk.verifying_key().digest(), &proof);
        write_atomic(out, pretty(&file).as_bytes())?;
        log.say(&format!(
            "proof written to {} (load {}, witness {}, synthesis+commitment {}, PoK {}, Groth16 {}, check {})",
            out.display(),
            secs(load),
            secs(tm.witness),
            secs(tm.cp.synthesis),
            secs(tm.cp.pok),
            secs(tm.cp.groth16),
            secs(tm.self_check)
        ));
        Ok(Report::done(json!({
            "ok": true,
            "proof": file,
            "seconds": { "load": load.as_secs_f64(), "witness": tm.witness.as_secs_f64(),
                         "synthesis": tm.cp.synthesis.as_secs_f64(), "commitment": tm.cp.commitment.as_secs_f64(),
                         "pok": tm.cp.pok.as_secs_f64(), "groth16": tm.cp.groth16.as_secs_f64(),
                         "check": tm.self_check.as_secs_f64() },
        })))
    }

    fn export_verifier(&self, params: &Path, out: &Path, log: &dyn Log) -> Result<Report, Error> {
        use poa_verifier::groth16_cp::VerifyingKeyFile;
        use poa_verifier::solidity::Groth16CpTemplate;
        let vk = VerifyingKeyFile::read(&params.join(VK_FILE))?;
        let digest = hex0x(&vk.digest());
        let source = Groth16CpTemplate::new(&vk.vk, vk.shape.to_string(), digest.clone())?.render();
        write_solidity_verifier(out, &source, vk.shape, &digest, log)
    }

    fn bench(&self, shape: Shape, _opts: &BenchOptions, log: &dyn Log) -> Result<Report, Error> {
        let s = |d: std::time::Duration| d.as_secs_f64();
        let constraints = lookup_constraint_count(shape);
        let threads = poa_circuits::parallel::current_threads();
        log.progress(&format!(
            "bench groth16-cp {shape}: {constraints} constraints, {threads} threads"
        ));
        let epoch = synthetic_epoch(shape, 42);
        log.progress("[1/3] setup (insecure, single-party)");
        let t = Instant::now();
        let pk = setup_insecure(shape, None)?;
        let setup = t.elapsed();
        let peaks = BenchPeaks::after_setup();
        log.progress("[2/3] prove");
        let t = Instant::now();
        let (proof, inputs, tm) = prove(&pk, epoch.clone())?;
        let prove_time = t.elapsed() - tm.self_check;
        log.progress("[3/3] verify");
        let claim = Claim::new(&epoch, &epoch.attribute()?);
        let (ok, verify_time) = time_verify(&claim, 20, || verify(&pk.pk.vk, &proof, &inputs))?;
        let peaks = peaks.finish();
        say_bench(
            log,
            &[
                ("shape", shape.to_string()),
                ("constraints", constraints.to_string()),
                ("committed wires", pk.pk.committed.len().to_string()),
                ("threads", threads.to_string()),
                ("setup", format!("{:.2} s", s(setup))),
                ("prove", format!("{:.2} s", s(prove_time))),
                (
                    "  of which",
                    format!(
                        "witness {:.2} s, synthesis {:.2} s (commitment MSM {:.2} s), PoK MSM {:.2} s, Groth16 {:.2} s",
                        s(tm.witness),
                        s(tm.cp.synthesis) - s(tm.cp.commitment),
                        s(tm.cp.commitment),
                        s(tm.cp.pok),
                        s(tm.cp.groth16)
                    ),
                ),
                ("proof size", format!("{PROOF_BYTES} bytes")),
                (
                    "verify",
                    format!("{:.2} ms (claim check and pairings)", s(verify_time) * 1e3),
                ),
            ],
            peaks,
        );
        Ok(Report {
            ok,
            json: json!({
                "ok": ok, "backend": NAME, "shape": shape.to_string(), "constraints": constraints,
                "committed": pk.pk.committed.len(), "threads": threads, "setupSeconds": s(setup),
                "proveSeconds": s(prove_time), "witnessSeconds": s(tm.witness),
                "synthesisSeconds": s(tm.cp.synthesis) - s(tm.cp.commitment),
                "commitmentSeconds": s(tm.cp.commitment), "pokSeconds": s(tm.cp.pok),
                "groth16Seconds": s(tm.cp.groth16), "proofBytes": PROOF_BYTES,
                "verifyMilliseconds": s(verify_time) * 1e3, "setupPeakRssMiB": peaks.0,
                "provePeakRssMiB": peaks.1,
            }),
        })
    }
}
