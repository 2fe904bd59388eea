//! The plonky2 backend (Goldilocks profile: shards and recursion) behind
//! [`crate::backend::Prover`], with the `plonky2` feature (`cargo
//! +nightly`). plonky2 is transparent: `setup` only fixes the circuits
//! (shape and shard count) and records their digest in `DIR/plonky2.json`;
//! there is no secret.

use std::path::Path;
use std::time::{Duration, Instant};

use poa_circuits::formats::goldilocks::{GoldilocksCommitments, GoldilocksInclusion};
use poa_circuits::formats::{pretty, Claim, EpochFile};
use poa_circuits::goldilocks;
use poa_circuits::statement::{synthetic_epoch, Attribution, Epoch, Shape};
use poa_verifier::plonky2::{Circuits, Proof, META, NAME};
use poa_verifier::proof_file::{hex0x, ProofFile};
use serde_json::json;

use crate::backend::{
    create_dir, peak_rss_mib, secs, BenchOptions, Log, ProveOptions, Prover, Report, SetupOptions,
    Verifier,
};
use crate::files::write_atomic;
use crate::Error;

/// plonky2 over Goldilocks.
pub struct Plonky2;

/// The final (published) proof of `epoch`, and the time its shards and
/// levels took.
fn prove_epoch(
    c: &Circuits,
    log: &dyn Log,
    epoch: &Epoch,
    in_flight: usize,
) -> Result<(Proof, Duration), Error> {
    let t = Instant::now();
    let halves = c
        .tree
        .prove(epoch, in_flight, |what| {
            log.progress(&format!(
                "{:>7.1} s  proved {what}",
                t.elapsed().as_secs_f64()
            ))
        })
        .map_err(|e| Error::Synthesis(format!("{e:#}")))?;
    let tree = t.elapsed();
    // The context the proof is bound to: the limbs of the claim's γ.
    let gamma = epoch.attribute()?.public_inputs()[3];
    let proof = c
        .split
        .prove(&halves, epoch.pool, &goldilocks::fr_limbs(&gamma))
        .map_err(|e| Error::Synthesis(format!("{e:#}")))?;
    log.progress(&format!(
        "{:>7.1} s  proved the split",
        t.elapsed().as_secs_f64()
    ));
    Ok((proof, tree))
}

impl Prover for Plonky2 {
    fn name(&self) -> &'static str {
        NAME
    }

    fn verifier(&self) -> &'static dyn Verifier {
        &poa_verifier::plonky2::Plonky2
    }

    fn setup(&self, opts: &SetupOptions<'_>, log: &dyn Log) -> Result<Report, Error> {
        if opts.srs.is_some() || opts.ptau.is_some() {
            return Err(Error::Usage(
                "--srs and --ptau are for --backend halo2 and groth16; plonky2 has no trusted setup"
                    .into(),
            ));
        }
        let (shape, shards, out) = (opts.shape, opts.shards, opts.out);
        let t = Instant::now();
        let c = Circuits::build(log, shape, shards)?;
        let meta = json!({
            "backend": NAME,
            "shape": shape.to_string(),
            "shards": shards,
            "shardDegreeBits": c.tree.shard.data.common.degree_bits(),
            "levels": c.tree.levels.len(),
            "circuitDigest": hex0x(&c.digest()),
            "transparent": "no trusted setup: this file only fixes the circuits",
        });
        create_dir(out)?;
        write_atomic(&out.join(META), pretty(&meta).as_bytes())?;
        log.say(&format!(
            "plonky2 {shape} in {shards} shards: circuits built in {:.1} s, digest {}",
            t.elapsed().as_secs_f64(),
            hex0x(&c.digest())
        ));
        Ok(Report::done(json!({ "ok": true, "setup": meta })))
    }

    fn prove(
        &self,
        params: &Path,
        epoch_path: &Path,
        out: &Path,
        opts: &ProveOptions,
        log: &dyn Log,
    ) -> Result<Report, Error> {
        let epoch = EpochFile::read(epoch_path)?;
        let c = Circuits::load(log, params, epoch.shape)?;
        if let Some(k) = opts.shards.filter(|&k| k != c.shards) {
            return Err(Error::Usage(format!(
                "{}: the circuits were set up for {} shards, not {k} (the shard count changes \
                 the circuits: run `poa setup --backend plonky2 --shards {k}`)",
                params.join(META).display(),
                c.shards
            )));
        }
        let t = Instant::now();
        let (proof, _) = prove_epoch(&c, log, &epoch, opts.in_flight)?;
        // As the other backends do: never write a proof that does not verify.
        if !c.split.verify(&proof) {
            return Err(Error::Synthesis(
                "the proof does not verify (a bug: please report it)".into(),
            ));
        }
        let file = ProofFile::new(NAME, epoch.shape, c.digest(), &proof.to_bytes());
        write_atomic(out, pretty(&file).as_bytes())?;
        log.say(&format!(
            "proof written to {} ({:.1} s)",
            out.display(),
            t.elapsed().as_secs_f64()
        ));
        Ok(Report::done(
            json!({ "ok": true, "proof": file, "seconds": t.elapsed().as_secs_f64() }),
        ))
    }

    /// Circuits, proof (shards, levels, split), verification, proof size
    /// and peak RSS on a synthetic epoch.
    fn bench(&self, shape: Shape, opts: &BenchOptions, log: &dyn Log) -> Result<Report, Error> {
        let (shards, in_flight) = (opts.shards, opts.in_flight);
        let threads = poa_circuits::parallel::current_threads();
        let t = Instant::now();
        let c = Circuits::build(log, shape, shards)?;
        let build = t.elapsed();
        let epoch = synthetic_epoch(shape, 42);
        let t = Instant::now();
        let (proof, tree) = prove_epoch(&c, log, &epoch, in_flight)?;
        let prove = t.elapsed();
        let bytes = proof.to_bytes().len();
        let t = Instant::now();
        let ok = c.split.verify(&proof);
        let verify = t.elapsed();
        let rss = peak_rss_mib();
        let degrees: Vec<usize> = std::iter::once(&c.tree.shard.data)
            .chain(c.tree.levels.iter().map(|l| &l.data))
            .chain([&c.split.inner, &c.split.data])
            .map(|d| d.common.degree_bits())
            .collect();
        log.say(&format!(
            "plonky2 {shape}: {shards} shards ({in_flight} in flight), degrees {} (shard, levels, \
             final node, published wrapper), {threads} threads: circuits {}, prove {} (shards and levels {}, final node and wrapper {}), \
             verify {:.1} ms ({ok}), proof {bytes} bytes, peak RSS {} MiB",
            degrees
                .iter()
                .map(|d| format!("2^{d}"))
                .collect::<Vec<_>>()
                .join(" / "),
            secs(build),
            secs(prove),
            secs(tree),
            secs(prove.saturating_sub(tree)),
            verify.as_secs_f64() * 1e3,
            rss.map_or("?".into(), |m| format!("{m:.0}"))
        ));
        Ok(Report {
            ok,
            json: json!({
                "ok": ok, "backend": NAME, "shape": shape.to_string(), "shards": shards,
                "inFlight": in_flight, "degreeBits": degrees, "threads": threads,
                "seconds": { "circuits": build.as_secs_f64(), "prove": prove.as_secs_f64(),
                             "shardsAndLevels": tree.as_secs_f64(), "verify": verify.as_secs_f64() },
                "proofBytes": bytes, "peakRssMiB": rss,
            }),
        })
    }

    /// The Goldilocks `Q` and `V`, after checking that the Goldilocks
    /// profile splits the pool as the BN254 attribution `att` does.
    fn extend_claim(
        &self,
        epoch: &Epoch,
        att: &Attribution,
        claim: &mut Claim,
    ) -> Result<(), Error> {
        let g = goldilocks::attribute(epoch)?;
        if g.split != att.split {
            return Err(Error::Synthesis(format!(
                "the Goldilocks profile splits the pool otherwise than the BN254 one ({:?} against {:?})",
                g.split, att.split
            )));
        }
        claim.goldilocks = Some(GoldilocksCommitments::of(&g));
        Ok(())
    }

    /// The path of `slot` under the Goldilocks `Q`, with `D_c` and `U_c`.
    fn inclusion(
        &self,
        epoch_path: &Path,
        slot: usize,
        out: &Path,
        log: &dyn Log,
    ) -> Result<Report, Error> {
        let epoch = EpochFile::read(epoch_path)?;
        let att = goldilocks::attribute(&epoch).map_err(|e| e.in_file(epoch_path))?;
        let path =
            GoldilocksInclusion::new(&epoch, &att, slot).map_err(|e| e.in_file(epoch_path))?;
        let file = path.to_file();
        write_atomic(out, pretty(&file).as_bytes())?;
        log.say(&format!(
            "path of slot {slot} ({} siblings) under the Goldilocks Q = {:?} written to {}",
            path.siblings.len(),
            path.root,
            out.display()
        ));
        Ok(Report::done(json!({ "ok": true, "inclusion": file })))
    }
}
