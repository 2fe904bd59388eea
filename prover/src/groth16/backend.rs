//! The Groth16 backend behind [`crate::backend::Prover`]: `poa setup`,
//! `prove`, `export-verifier` and `bench` with `--backend groth16`.

use std::path::Path;
use std::time::Instant;

use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystem, OptimizationGoal};
use poa_circuits::formats::{pretty, Claim, EpochFile};
use poa_circuits::r1cs::circuit::{constraint_count, AttributionCircuit};
use poa_circuits::statement::{synthetic_epoch, Shape};
use poa_verifier::groth16::{proof_file, verify_inputs, VerifyingKeyFile, NAME, PK_FILE, VK_FILE};
use poa_verifier::proof_file::hex0x;
use serde_json::json;

use super::{prove, setup_insecure, ProvingKeyFile};
use crate::backend::{
    create_dir, key_fits_epoch, say_bench, secs, time_verify, warn_if_insecure,
    write_insecure_setup, write_solidity_verifier, BenchOptions, BenchPeaks, Log, ProveOptions,
    Prover, Report, SetupOptions, Verifier,
};
use crate::files::write_atomic;
use crate::Error;

/// Groth16 over BN254 (arkworks).
pub struct Groth16;

impl Prover for Groth16 {
    fn name(&self) -> &'static str {
        NAME
    }

    fn verifier(&self) -> &'static dyn Verifier {
        &poa_verifier::groth16::Groth16
    }

    fn setup(&self, opts: &SetupOptions<'_>, log: &dyn Log) -> Result<Report, Error> {
        if let Some(ptau) = opts.ptau {
            return setup_from_ptau(opts, ptau, log);
        }
        if opts.srs.is_some() {
            return Err(Error::Usage(
                "--srs is for --backend halo2; Groth16 needs a circuit-specific setup".into(),
            ));
        }
        if !opts.insecure {
            return Err(Error::Usage(
                "Groth16 needs a circuit-specific setup; this build only has a single-party one, \
which lets whoever runs it forge proofs. Pass --insecure-single-party to run it for development."
                    .into(),
            ));
        }
        let (shape, out) = (opts.shape, opts.out);
        create_dir(out)?;
        log.progress(&format!(
            "setup: groth16 {shape}, {} constraints (INSECURE single-party setup: development only)",
            constraint_count(shape)
        ));
        let t = Instant::now();
        let keys = setup_insecure(shape, opts.seed)?;
        let elapsed = t.elapsed();
        let meta = json!({
            "backend": NAME,
            "shape": shape.to_string(),
            "constraints": constraint_count(shape),
        });
        write_insecure_setup(
            out,
            &[(PK_FILE, keys.pk.to_bytes()), (VK_FILE, keys.vk.to_bytes())],
            "groth16.json",
            meta,
            &hex0x(&keys.vk.digest()),
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
        warn_if_insecure(params, "groth16.json", log);
        key_fits_epoch(&pk_path, pk.shape, epoch.shape)?;
        let load = t.elapsed();
        log.progress(&format!(
            "[2/3] proving {} ({} constraints, {} threads)",
            epoch.shape,
            constraint_count(epoch.shape),
            poa_circuits::parallel::current_threads()
        ));
        let shape = epoch.shape;
        let (proof, _, timings) = prove(&pk, epoch)?;
        log.progress("[3/3] writing proof");
        let vk = VerifyingKeyFile {
            shape,
            vk: pk.pk.vk.clone(),
        };
        let file = proof_file(shape, vk.digest(), &proof);
        write_atomic(out, pretty(&file).as_bytes())?;
        log.say(&format!(
            "proof written to {} (load {}, witness {}, synthesis {}, prove {}, check {})",
            out.display(),
            secs(load),
            secs(timings.witness),
            secs(timings.synthesis),
            secs(timings.prove),
            secs(timings.self_check)
        ));
        Ok(Report::done(json!({
            "ok": true,
            "proof": file,
            "seconds": { "load": load.as_secs_f64(), "witness": timings.witness.as_secs_f64(), "synthesis": timings.synthesis.as_secs_f64(),
                         "prove": timings.prove.as_secs_f64(), "check": timings.self_check.as_secs_f64() },
        })))
    }

    fn export_verifier(&self, params: &Path, out: &Path, log: &dyn Log) -> Result<Report, Error> {
        use poa_verifier::solidity::Groth16Template;
        let vk = VerifyingKeyFile::read(&params.join(VK_FILE))?;
        let digest = hex0x(&vk.digest());
        let source = Groth16Template::new(&vk.vk, vk.shape.to_string(), digest.clone()).render();
        write_solidity_verifier(out, &source, vk.shape, &digest, log)
    }

    fn bench(&self, shape: Shape, _opts: &BenchOptions, log: &dyn Log) -> Result<Report, Error> {
        bench(shape, log)
    }
}

/// `poa setup --ptau F`: phase 1 from the file, phase 2 with one
/// contribution from this machine.
fn setup_from_ptau(opts: &SetupOptions<'_>, ptau: &Path, log: &dyn Log) -> Result<Report, Error> {
    use super::ceremony::{contribute, files, ptau::Check};
    if opts.srs.is_some() {
        return Err(Error::Usage("--srs and --ptau do not go together".into()));
    }
    if !opts.insecure {
        return Err(Error::Usage(
            "with --ptau, phase 1 is public but phase 2 would have one contributor: whoever runs \
this setup could forge proofs. For production keys run a ceremony (`poa ceremony init --ptau F …`, \
see README \"Production setup\"); for development add --insecure-single-party."
                .into(),
        ));
    }
    let shape = opts.shape;
    log.progress(&format!(
        "setup: groth16 {shape} from {} (phase 1 checked with sampled pairings), one phase-2 contribution (INSECURE: development only)",
        ptau.display()
    ));
    let t = Instant::now();
    let mut z = files::initial(ptau, shape, Some(Check::Sampled))?;
    let hash = contribute::contribute(&mut z, "poa setup --ptau", Some("poa setup".into()))?;
    let meta = files::write_keys(
        opts.out,
        shape,
        &z,
        &files::Provenance {
            how: "poa setup --ptau (one phase-2 contribution)",
            ptau: Some(ptau),
            ptau_hash: files::file_hash(ptau).ok(),
            verified: true,
            insecure: Some(
                "phase 2 had a single contributor: whoever ran the setup can forge proofs",
            ),
        },
    )?;
    let elapsed = t.elapsed();
    log.say(&format!("setup {shape} in {}", secs(elapsed)));
    log.say(&format!(
        "contribution hash:\n{}",
        contribute::format_hash(&hash)
    ));
    log.say(&format!("keys written to {}", opts.out.display()));
    Ok(Report::done(
        json!({ "ok": true, "setup": meta, "seconds": elapsed.as_secs_f64() }),
    ))
}

fn bench(shape: Shape, log: &dyn Log) -> Result<Report, Error> {
    let s = |d: std::time::Duration| d.as_secs_f64();
    let constraints = constraint_count(shape);
    let threads = poa_circuits::parallel::current_threads();
    log.progress(&format!(
        "bench groth16 {shape}: {constraints} constraints, {threads} threads"
    ));
    let epoch = synthetic_epoch(shape, 42);

    log.progress("[1/4] setup (insecure, single-party)");
    let t = Instant::now();
    let keys = setup_insecure(shape, None)?;
    let setup = t.elapsed();

    log.progress("[2/4] synthesis through ark-relations (as setup does)");
    let t = Instant::now();
    let cs = ConstraintSystem::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    AttributionCircuit::new(epoch.clone())?
        .generate_constraints(cs.clone())
        .map_err(|e| Error::Synthesis(e.to_string()))?;
    cs.finalize();
    let ark_synthesis = t.elapsed();
    drop(cs);
    // The peaks so far (setup and the synthesis above) apart from proving's.
    let peaks = BenchPeaks::after_setup();

    log.progress("[3/4] prove (witness, synthesis into matrices, Groth16)");
    let t = Instant::now();
    let (proof, inputs, timings) = prove(&keys.pk, epoch.clone())?;
    let prove_time = t.elapsed() - timings.self_check;

    log.progress("[4/4] verify");
    let claim = Claim::new(&epoch, &epoch.attribute()?);
    let (ok, verify) = time_verify(&claim, 20, || verify_inputs(&keys.vk.vk, &proof, &inputs))?;
    let peaks = peaks.finish();
    let rate = constraints as f64 / s(prove_time);
    say_bench(
        log,
        &[
            ("shape", shape.to_string()),
            ("constraints", constraints.to_string()),
            ("threads", threads.to_string()),
            ("setup", format!("{:.2} s", s(setup))),
            ("synthesis (ark)", format!("{:.2} s", s(ark_synthesis))),
            (
                "prove",
                format!(
                    "{:.2} s  ({:.0} constraints/s, {:.0} per thread)",
                    s(prove_time),
                    rate,
                    rate / threads as f64
                ),
            ),
            (
                "  of which",
                format!(
                    "witness {:.2} s, synthesis {:.2} s, Groth16 {:.2} s",
                    s(timings.witness),
                    s(timings.synthesis),
                    s(timings.prove)
                ),
            ),
            (
                "verify",
                format!("{:.2} ms (claim check and pairing)", s(verify) * 1e3),
            ),
        ],
        peaks,
    );
    Ok(Report {
        ok,
        json: json!({
            "ok": ok, "backend": NAME, "shape": shape.to_string(), "constraints": constraints,
            "threads": threads, "setupSeconds": s(setup), "arkSynthesisSeconds": s(ark_synthesis),
            "proveSeconds": s(prove_time), "witnessSeconds": s(timings.witness),
            "synthesisSeconds": s(timings.synthesis), "groth16Seconds": s(timings.prove), "constraintsPerSecond": rate, "verifyMilliseconds": s(verify) * 1e3,
            "setupPeakRssMiB": peaks.0, "provePeakRssMiB": peaks.1,
        }),
    })
}
