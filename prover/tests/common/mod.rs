//! Helpers shared by the `poa` end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `poa` binary.
pub fn poa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_poa"))
        .args(args)
        .output()
        .unwrap()
}

/// A path as a `&str` argument.
pub fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The JSON a `--json` command printed.
pub fn json_out(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("no JSON on stdout: {}", String::from_utf8_lossy(&o.stderr)))
}

/// The files of a proven epoch, all in one folder.
pub struct Proven {
    /// Keys from `poa setup`.
    pub params: PathBuf,
    /// `poa attribute`'s claim.
    pub claim: PathBuf,
    /// `poa prove`'s proof.
    pub proof: PathBuf,
}

/// `poa setup --insecure-single-party`, `poa attribute`, `poa prove` for
/// `epoch` of `shape`, into `dir`; each must succeed.
pub fn setup_attribute_prove(dir: &Path, shape: &str, epoch: &Path) -> Proven {
    setup_attribute_prove_with(dir, "groth16", shape, epoch)
}

/// [`setup_attribute_prove`] with a backend.
pub fn setup_attribute_prove_with(dir: &Path, backend: &str, shape: &str, epoch: &Path) -> Proven {
    let p = Proven {
        params: dir.join("params"),
        claim: dir.join("claim.json"),
        proof: dir.join("proof.json"),
    };
    for args in [
        vec![
            "setup",
            "--backend",
            backend,
            "--shape",
            shape,
            "--out",
            arg(&p.params),
            // plonky2 is transparent: its setup only fixes the circuits.
            if backend == "plonky2" {
                "--shards=2"
            } else {
                "--insecure-single-party"
            },
        ],
        vec!["attribute", "--epoch", arg(epoch), "--out", arg(&p.claim)],
        vec![
            "prove",
            "--backend",
            backend,
            "--params",
            arg(&p.params),
            "--epoch",
            arg(epoch),
            "--out",
            arg(&p.proof),
        ],
    ] {
        let o = poa(&args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    p
}
