//! One conformance test, table-driven over every backend this build has
//! (`poa_prover::registry::BACKENDS`): the same commands, the same files,
//! the same verdicts and exit codes, through `poa verify` and `poa audit`.
//!
//! For each backend: honest files prove and verify (exit 0); a claim moved
//! by one wei, a flipped proof byte and a claim for another epoch context
//! are rejected (exit 1); another backend's proof and keys of another shape
//! are refused (exit 2, naming the file). The stable build has groth16 and
//! halo2; the nightly `--features plonky2` build adds plonky2.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{
    arg, epoch_with_contributor, flip_proof_byte, forge_one_wei, inclusion, poa, printed,
    setup_attribute_prove_with, Proven,
};
use poa_prover::registry::BACKENDS;

/// The shape of the hand vector, and another one for the wrong-shape keys.
const SHAPE: &str = "4x5";
const OTHER_SHAPE: &str = "2x5";
/// The contributor's slot.
const SLOT: usize = 2;

/// Every backend built into this `poa`; or, when `POA_BACKENDS` is set
/// (comma-separated names), those, each of which must be built. CI's
/// nightly run sets `groth16,plonky2`: the stable run covered halo2, and
/// Groth16's cheap proof is plonky2's foreign one.
fn built() -> Vec<&'static str> {
    let every: Vec<&'static str> = BACKENDS
        .iter()
        .filter(|e| (e.open)().is_ok())
        .map(|e| e.name)
        .collect();
    match std::env::var("POA_BACKENDS") {
        Ok(names) => names
            .split(',')
            .map(|n| {
                *every
                    .iter()
                    .find(|&&b| b == n.trim())
                    .unwrap_or_else(|| panic!("POA_BACKENDS names {n}, not built: {every:?}"))
            })
            .collect(),
        Err(_) => every,
    }
}

/// `poa COMMAND --backend B --params P --claim C --proof F --json`, then
/// `extra`.
fn public(command: &str, backend: &str, files: [&Path; 3], extra: &[&str]) -> Output {
    let [params, claim, proof] = files;
    let mut args = vec![
        command,
        "--backend",
        backend,
        "--params",
        arg(params),
        "--claim",
        arg(claim),
        "--proof",
        arg(proof),
        "--json",
    ];
    args.extend_from_slice(extra);
    poa(&args)
}

fn verify(backend: &str, params: &Path, claim: &Path, proof: &Path) -> Output {
    public("verify", backend, [params, claim, proof], &[])
}

fn audit(
    backend: &str,
    params: &Path,
    claim: &Path,
    proof: &Path,
    slot: &Path,
    commitment: &str,
) -> Output {
    let extra = ["--inclusion", arg(slot), "--commitment", commitment];
    public("audit", backend, [params, claim, proof], &extra)
}

/// A copy of the epoch file for another epoch (context word `epoch` + 1).
fn other_context(dir: &Path, epoch: &Path) -> PathBuf {
    let mut file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(epoch).unwrap()).unwrap();
    let ctx = file.get_mut("ctx").expect("epoch files have `ctx`");
    let next = ctx["epoch"]
        .as_str()
        .map(|e| e.parse::<u64>().unwrap())
        .or_else(|| ctx["epoch"].as_u64())
        .unwrap()
        + 1;
    ctx["epoch"] = next.to_string().into();
    let out = dir.join("epoch-next.json");
    std::fs::write(&out, serde_json::to_string_pretty(&file).unwrap()).unwrap();
    out
}

/// One backend's files.
struct Case {
    name: &'static str,
    dir: PathBuf,
    proven: Proven,
    /// The claim of the same epoch in another context.
    other_claim: PathBuf,
    /// Keys of another shape.
    other_params: PathBuf,
    /// The contributor's inclusion path.
    slot: PathBuf,
}

fn prepare(root: &Path, name: &'static str, epoch: &Path, epoch_next: &Path) -> Case {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let proven = setup_attribute_prove_with(&dir, name, SHAPE, epoch);
    let other_claim = dir.join("claim-next.json");
    let o = poa(&[
        "attribute",
        "--backend",
        name,
        "--epoch",
        arg(epoch_next),
        "--out",
        arg(&other_claim),
    ]);
    assert!(o.status.success(), "{name}: {}", printed(&o));
    let other_params = dir.join("params-other");
    let o = poa(&[
        "setup",
        "--backend",
        name,
        "--shape",
        OTHER_SHAPE,
        "--out",
        arg(&other_params),
        if name == "plonky2" {
            "--shards=2"
        } else {
            "--insecure-single-party"
        },
    ]);
    assert!(o.status.success(), "{name}: {}", printed(&o));
    let slot = dir.join("slot.json");
    inclusion(name, epoch, SLOT, &slot);
    Case {
        name,
        dir,
        proven,
        other_claim,
        other_params,
        slot,
    }
}

/// Exit code `code`, and for an input error (2) the file named.
fn expect(what: &str, o: &Output, code: i32, names: Option<&Path>) {
    assert_eq!(o.status.code(), Some(code), "{what}: {}", printed(o));
    if let Some(file) = names {
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(
            printed(o).contains(name),
            "{what}: names {name}: {}",
            printed(o)
        );
    }
}

#[test]
fn every_backend_built_conforms() {
    let backends = built();
    assert!(
        backends.len() >= 2,
        "another backend's proof needs two backends: {backends:?}"
    );
    let root = std::env::temp_dir().join(format!("poa-conformance-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    let (epoch, _, commitment) = epoch_with_contributor(&root, SLOT);
    let epoch_next = other_context(&root, &epoch);
    let cases: Vec<Case> = backends
        .iter()
        .map(|&b| prepare(&root, b, &epoch, &epoch_next))
        .collect();

    for (i, c) in cases.iter().enumerate() {
        let b = c.name;
        let p = &c.proven;
        let forged = forge_one_wei(&c.dir, &p.claim);
        let (flipped, _) = flip_proof_byte(&c.dir, &p.proof, 40);
        let foreign = &cases[(i + 1) % cases.len()].proven.proof;
        let both = |what: &str, params: &Path, claim: &Path, proof: &Path, code, names| {
            let o = verify(b, params, claim, proof);
            expect(&format!("{b} verify: {what}"), &o, code, names);
            let o = audit(b, params, claim, proof, &c.slot, &commitment);
            expect(&format!("{b} audit: {what}"), &o, code, names);
            o
        };
        both("honest", &p.params, &p.claim, &p.proof, 0, None);
        both("one wei moved", &p.params, &forged, &p.proof, 1, None);
        both(
            "a flipped proof byte",
            &p.params,
            &p.claim,
            &flipped,
            1,
            None,
        );
        let o = both(
            "another epoch context",
            &p.params,
            &c.other_claim,
            &p.proof,
            1,
            None,
        );
        assert!(
            common::failed_checks(&o) == ["proof"],
            "{b}: only the proof check fails for another context: {}",
            printed(&o)
        );
        both(
            "another backend's proof",
            &p.params,
            &p.claim,
            foreign,
            2,
            Some(foreign),
        );
        // The key (or circuit record) file of the other shape is named.
        let o = verify(b, &c.other_params, &p.claim, &p.proof);
        expect(&format!("{b} verify: keys of another shape"), &o, 2, None);
        let o2 = audit(b, &c.other_params, &p.claim, &p.proof, &c.slot, &commitment);
        expect(&format!("{b} audit: keys of another shape"), &o2, 2, None);
        for o in [&o, &o2] {
            assert!(
                printed(o).contains("params-other"),
                "{b}: the other shape's key file is named: {}",
                printed(o)
            );
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}
