//! What every proving backend does, so that each command is written once:
//! setup, prove, export an on-chain verifier, bench, and the backend's part
//! of a claim and of an inclusion path. Each backend is one module with a
//! unit struct implementing [`Prover`]; [`crate::registry`] names them.

use std::path::Path;
use std::time::Duration;

use poa_circuits::commit::leaf;
use poa_circuits::field::fr_to_decimal;
use poa_circuits::formats::{pretty, Claim, EpochFile, InclusionFile};
use poa_circuits::statement::{Attribution, Epoch, Shape};
pub use poa_verifier::backend::{Log, Silent, Verifier};
use serde_json::{json, Value};

use crate::files::write_atomic;
use crate::Error;

/// What `poa setup` asks for.
pub struct SetupOptions<'a> {
    /// The shape.
    pub shape: Shape,
    /// The params folder to write.
    pub out: &'a Path,
    /// The user acknowledged a single-party (insecure) setup.
    pub insecure: bool,
    /// A seed for a reproducible insecure setup.
    pub seed: Option<[u8; 32]>,
    /// A ceremony's SRS (universal-setup backends).
    pub srs: Option<&'a Path>,
    /// A phase-1 powers-of-tau file in snarkjs's `.ptau` format.
    pub ptau: Option<&'a Path>,
    /// Shards (backends that shard the statement).
    pub shards: usize,
}

/// What `poa prove` asks for beyond the files.
pub struct ProveOptions {
    /// Shards proven at once (bounds memory), where a backend shards.
    pub in_flight: usize,
    /// The shard count the user expects, checked against the setup's.
    pub shards: Option<usize>,
}

/// What `poa bench` asks for beyond the shape.
pub struct BenchOptions {
    /// Shards, where a backend shards.
    pub shards: usize,
    /// Shards proven at once.
    pub in_flight: usize,
}

/// A command's result: whether its checks held, and its JSON report.
pub struct Report {
    /// Whether everything held (exit 0) or a check failed (exit 1).
    pub ok: bool,
    /// The machine-readable report (`--json`).
    pub json: Value,
}

impl Report {
    /// A report of a command without checks.
    pub fn done(json: Value) -> Self {
        Report { ok: true, json }
    }
}

/// A proving backend.
pub trait Prover: Sync {
    /// The registry name, as proof files and `--backend` spell it.
    fn name(&self) -> &'static str;

    /// The verifier of this backend's proofs.
    fn verifier(&self) -> &'static dyn Verifier;

    /// Makes the keys (or records the circuits) of a shape in `opts.out`.
    fn setup(&self, opts: &SetupOptions<'_>, log: &dyn Log) -> Result<Report, Error>;

    /// Proves the epoch at `epoch` with the keys in `params`; writes the
    /// proof file to `out`.
    fn prove(
        &self,
        params: &Path,
        epoch: &Path,
        out: &Path,
        opts: &ProveOptions,
        log: &dyn Log,
    ) -> Result<Report, Error>;

    /// Writes the Solidity verifier of the keys in `params` to `out`.
    fn export_verifier(
        &self,
        _params: &Path,
        _out: &Path,
        _log: &dyn Log,
    ) -> Result<Report, Error> {
        Err(Error::Unsupported(format!(
            "{} has no EVM verifier: its proofs are verified off chain (poa verify --backend {})",
            self.name(),
            self.name()
        )))
    }

    /// Setup, prove and verify on a synthetic epoch of `shape`, timed.
    fn bench(&self, shape: Shape, opts: &BenchOptions, log: &dyn Log) -> Result<Report, Error>;

    /// Adds what this backend's proofs publish beyond the BN254 claim
    /// (e.g. plonky2's Goldilocks `Q` and `V`). Nothing by default.
    fn extend_claim(
        &self,
        _epoch: &Epoch,
        _att: &Attribution,
        _claim: &mut Claim,
    ) -> Result<(), Error> {
        Ok(())
    }

    /// Writes the inclusion path of `slot` under the root this backend's
    /// proofs publish; by default the BN254 `Q` (SPEC §5).
    fn inclusion(
        &self,
        epoch_path: &Path,
        slot: usize,
        out: &Path,
        log: &dyn Log,
    ) -> Result<Report, Error> {
        let epoch = EpochFile::read(epoch_path)?;
        let att = epoch.attribute().map_err(|e| e.in_file(epoch_path))?;
        let path = epoch
            .inclusion(&att, slot)
            .map_err(|e| e.in_file(epoch_path))?;
        let dataset = epoch.participants[slot].dataset;
        let update = att.update_commitments[slot];
        let file = InclusionFile::new(
            "slot",
            leaf(dataset, update),
            &[dataset, update],
            &path,
            att.root,
        );
        write_atomic(out, pretty(&file).as_bytes())?;
        log.say(&format!(
            "path of slot {slot} ({} siblings) under Q = {} written to {}",
            path.siblings.len(),
            fr_to_decimal(&att.root),
            out.display()
        ));
        Ok(Report::done(json!({ "ok": true, "inclusion": file })))
    }
}

/// Seconds for people.
pub fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// Peak resident memory of this process (Linux `VmHWM`), in MiB.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Starts a new peak for [`peak_rss_mib`]: writing 5 to
/// `/proc/self/clear_refs` resets `VmHWM` to the current resident set
/// (Linux ≥ 4.0, `proc(5)`). False where the kernel refuses.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// A bench's peak memory in two phases: the setup, and then proving and
/// verifying with the keys in memory (what `poa prove` needs), measured
/// apart by resetting the peak between them.
pub(crate) struct BenchPeaks {
    setup: Option<f64>,
    reset: bool,
}

impl BenchPeaks {
    /// Ends the setup phase: records its peak and starts a new one.
    pub(crate) fn after_setup() -> Self {
        let setup = peak_rss_mib();
        BenchPeaks {
            setup,
            reset: reset_peak_rss(),
        }
    }

    /// The rows and JSON fields of both peaks (the second `None` where the
    /// peak could not be reset).
    pub(crate) fn finish(self) -> (Option<f64>, Option<f64>) {
        let prove = if self.reset { peak_rss_mib() } else { None };
        (self.setup, prove)
    }
}

/// Creates a params or output folder, naming it on error.
pub fn create_dir(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|cause| Error::Io {
        path: dir.to_path_buf(),
        cause,
    })
}

/// The end of an insecure single-party setup, shared by the backends that
/// have one: writes the key files and the setup record `record` (with
/// `vkDigest` and the `insecure` warning added to `meta`), and reports.
pub(crate) fn write_insecure_setup(
    out: &Path,
    keys: &[(&str, Vec<u8>)],
    record: &str,
    mut meta: Value,
    vk_digest: &str,
    elapsed: Duration,
    log: &dyn Log,
) -> Result<Report, Error> {
    for (name, bytes) in keys {
        write_atomic(&out.join(name), bytes)?;
    }
    meta["vkDigest"] = vk_digest.into();
    meta["insecure"] = "single-party setup: whoever ran it can forge proofs".into();
    write_atomic(&out.join(record), pretty(&meta).as_bytes())?;
    log.say(&format!(
        "setup {} in {}",
        meta["shape"].as_str().unwrap_or("?"),
        secs(elapsed)
    ));
    log.say(&format!("verifying-key digest: {vk_digest}"));
    log.say(&format!("keys written to {}", out.display()));
    Ok(Report::done(
        json!({ "ok": true, "setup": meta, "seconds": elapsed.as_secs_f64() }),
    ))
}

/// `poa prove`'s warning on keys whose setup record (`record` in `params`)
/// says anyone who ran the setup can forge proofs.
pub(crate) fn warn_if_insecure(params: &Path, record: &str, log: &dyn Log) {
    let record = params.join(record);
    let Ok(text) = std::fs::read_to_string(&record) else {
        return;
    };
    let Ok(meta) = serde_json::from_str::<serde_json::Value>(&text) else {
        return;
    };
    if let Some(why) = meta.get("insecure").and_then(|v| v.as_str()) {
        log.progress(&format!(
            "WARNING: these keys come from an insecure setup ({why}; {}). Proofs made with them \
prove nothing to anyone but whoever ran it: use keys from `poa ceremony` in production.",
            record.display()
        ));
    }
}

/// A proving key's shape must be the epoch's.
pub(crate) fn key_fits_epoch(pk_path: &Path, key: Shape, epoch: Shape) -> Result<(), Error> {
    if key == epoch {
        return Ok(());
    }
    Err(poa_verifier::Error::ShapeMismatch {
        path: pk_path.to_path_buf(),
        key,
        claim: epoch,
    }
    .into())
}

/// Writes a single-contract Solidity verifier and `IPoaVerifier.sol` beside
/// it, and reports.
pub(crate) fn write_solidity_verifier(
    out: &Path,
    source: &str,
    shape: Shape,
    vk_digest: &str,
    log: &dyn Log,
) -> Result<Report, Error> {
    let interface = out.with_file_name("IPoaVerifier.sol");
    write_atomic(&interface, poa_verifier::solidity::INTERFACE.as_bytes())?;
    write_atomic(out, source.as_bytes())?;
    log.say(&format!(
        "verifier for {shape} (vk digest {vk_digest}) written to {} with {}",
        out.display(),
        interface.display()
    ));
    Ok(Report::done(
        json!({ "ok": true, "out": out, "interface": interface, "vkDigest": vk_digest }),
    ))
}

/// `poa bench`'s verify step: the claim check and `verify`, `runs` times;
/// whether every run accepted and the mean time.
pub(crate) fn time_verify(
    claim: &Claim,
    runs: u32,
    mut verify: impl FnMut() -> bool,
) -> Result<(bool, Duration), Error> {
    let t = std::time::Instant::now();
    let mut ok = true;
    for _ in 0..runs {
        ok &= poa_verifier::check_claim(claim)?.ok() && verify();
    }
    Ok((ok, t.elapsed() / runs.max(1)))
}

/// `poa bench`'s closing lines: the peaks of RSS (setup; proving and
/// verifying) last.
pub(crate) fn say_bench(log: &dyn Log, rows: &[(&str, String)], peaks: (Option<f64>, Option<f64>)) {
    for (name, value) in rows {
        log.say(&format!("{name:<20}{value}"));
    }
    let mib = |p: Option<f64>| p.map_or("?".into(), |p| format!("{p:.0}"));
    log.say(&format!("{:<20}{} MiB", "peak RSS, setup", mib(peaks.0)));
    log.say(&format!(
        "{:<20}{} MiB (keys in memory)",
        "peak RSS, prove",
        mib(peaks.1)
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A phase's peak is measured apart from the one before: after a
    /// 128 MiB buffer is freed, the reset peak is well below it (and
    /// without the reset it is not).
    #[test]
    fn peak_rss_resets_between_phases() {
        let big = vec![1u8; 128 << 20];
        std::hint::black_box(&big);
        drop(big);
        let before = peak_rss_mib().expect("VmHWM on Linux");
        assert!(
            peak_rss_mib().expect("VmHWM") >= before,
            "the peak does not fall by itself"
        );
        assert!(reset_peak_rss(), "/proc/self/clear_refs refused");
        let after = peak_rss_mib().expect("VmHWM");
        assert!(
            after + 64.0 < before,
            "peak {after:.0} MiB after the reset, {before:.0} MiB before"
        );
    }
}
