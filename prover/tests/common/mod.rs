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

/// `poa attribute` and `poa prove` (Groth16) of `epoch` with the keys in
/// `params`, into `dir`; each must succeed.
pub fn setup_attribute_prove_existing(dir: &Path, params: &Path, epoch: &Path) -> Proven {
    setup_attribute_prove_with_params(dir, "groth16", params, epoch)
}

/// [`setup_attribute_prove_existing`] with a backend.
pub fn setup_attribute_prove_with_params(
    dir: &Path,
    backend: &str,
    params: &Path,
    epoch: &Path,
) -> Proven {
    let p = Proven {
        params: params.to_path_buf(),
        claim: dir.join("claim.json"),
        proof: dir.join("proof.json"),
    };
    for args in [
        vec!["attribute", "--epoch", arg(epoch), "--out", arg(&p.claim)],
        vec![
            "prove",
            "--backend",
            backend,
            "--params",
            arg(params),
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
        // The claim is made for the backend: a plonky2 one carries the
        // Goldilocks Q and V.
        vec![
            "attribute",
            "--backend",
            backend,
            "--epoch",
            arg(epoch),
            "--out",
            arg(&p.claim),
        ],
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

/// `poa verify --backend BACKEND --json` of a claim and proof with the
/// keys of `p`.
pub fn verify_with(backend: &str, p: &Proven, claim: &Path, proof: &Path) -> Output {
    poa(&[
        "verify",
        "--backend",
        backend,
        "--params",
        arg(&p.params),
        "--claim",
        arg(claim),
        "--proof",
        arg(proof),
        "--json",
    ])
}

/// A copy of the claim at `claim` that moves one wei from a paid slot to
/// the next, written to `dir/forged.json`.
pub fn forge_one_wei(dir: &Path, claim: &Path) -> PathBuf {
    use poa_circuits::formats::Claim;
    let mut claim = Claim::read(claim).unwrap();
    let rich = claim.public.payouts.iter().position(|&a| a > 0).unwrap();
    let n = claim.public.payouts.len();
    claim.public.payouts[rich] -= 1;
    claim.public.payouts[(rich + 1) % n] += 1;
    let forged = dir.join("forged.json");
    std::fs::write(&forged, poa_circuits::formats::pretty(&claim.to_file())).unwrap();
    forged
}

/// A copy of the proof file with byte `index` of the proof flipped (a
/// negative index counts from the end) and the checksum fixed, written to
/// `dir/tampered.json`; also returns the edited JSON.
pub fn flip_proof_byte(dir: &Path, proof: &Path, index: isize) -> (PathBuf, serde_json::Value) {
    let tampered = dir.join("tampered.json");
    let file = rewrite_proof(proof, &tampered, |mut bytes| {
        let i = if index < 0 {
            bytes.len() - index.unsigned_abs()
        } else {
            index as usize
        };
        bytes[i] ^= 1;
        bytes
    });
    (tampered, file)
}

/// A copy of the proof file at `proof` with its proof bytes replaced by
/// `edit` of them and the checksum fixed (so that only the proof itself can
/// be refused), written to `out`; returns the edited JSON.
pub fn rewrite_proof(
    proof: &Path,
    out: &Path,
    edit: impl FnOnce(Vec<u8>) -> Vec<u8>,
) -> serde_json::Value {
    let mut file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(proof).unwrap()).unwrap();
    let bytes = hex::decode(file["proof"].as_str().unwrap().trim_start_matches("0x")).unwrap();
    let bytes = edit(bytes);
    file["proof"] = format!("0x{}", hex::encode(&bytes)).into();
    file["checksum"] = format!("0x{}", hex::encode(poa_verifier::container::keccak(&bytes))).into();
    std::fs::write(out, serde_json::to_string(&file).unwrap()).unwrap();
    file
}

/// The proof of `p` verifies with `backend` (exit 0); a claim moving one wei
/// and a proof with byte `flip` flipped are rejected (exit 1). Returns the
/// forged claim's output and the tampered proof file's JSON.
pub fn verifies_and_rejects_forgeries(
    backend: &str,
    dir: &Path,
    p: &Proven,
    flip: isize,
) -> (Output, serde_json::Value) {
    let o = verify_with(backend, p, &p.claim, &p.proof);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let forged = forge_one_wei(dir, &p.claim);
    let o = verify_with(backend, p, &forged, &p.proof);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let (tampered, file) = flip_proof_byte(dir, &p.proof, flip);
    let t = verify_with(backend, p, &p.claim, &tampered);
    assert_eq!(
        t.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&t.stderr)
    );
    (o, file)
}

/// A fresh folder `poa-TAG-PID` in the temp dir with the shared vector
/// `name` written to `epoch.json` in it; returns both paths.
pub fn dir_with_vector_epoch(tag: &str, name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("poa-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let epoch = poa_circuits::vectors::statement_epoch(name).unwrap();
    let path = dir.join("epoch.json");
    let file = poa_circuits::formats::EpochFile::from_epoch(&epoch);
    std::fs::write(&path, poa_circuits::formats::pretty(&file)).unwrap();
    (dir, path)
}

/// A contributor's data file and salt (`0xb0b`) in `dir`, and their dataset
/// commitment from `poa dataset commit`; the hand vector's epoch with that
/// commitment in slot `slot`, written to `dir/epoch.json`. Returns the
/// epoch's and the data's paths and the commitment.
pub fn epoch_with_contributor(dir: &Path, slot: usize) -> (PathBuf, PathBuf, String) {
    let data = dir.join("bob.jsonl");
    std::fs::write(
        &data,
        "{\"q\":\"1+1\",\"a\":\"2\"}\n{\"q\":\"sky\",\"a\":\"blue\"}\n",
    )
    .unwrap();
    let o = poa(&["dataset", "commit", arg(&data), "--salt", "0xb0b", "--json"]);
    let commitment = json_out(&o)["dataset"]["commitment"]
        .as_str()
        .unwrap()
        .to_string();
    let mut epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    epoch.participants[slot].dataset = poa_circuits::field::parse_fr("D", &commitment).unwrap();
    let epoch_path = dir.join("epoch.json");
    std::fs::write(
        &epoch_path,
        poa_circuits::formats::pretty(&poa_circuits::formats::EpochFile::from_epoch(&epoch)),
    )
    .unwrap();
    (epoch_path, data, commitment)
}

/// The names of the failed checks in a `--json` audit's output.
pub fn failed_checks(o: &Output) -> Vec<String> {
    json_out(o)["checks"]
        .as_array()
        .unwrap_or_else(|| panic!("no checks: {}", String::from_utf8_lossy(&o.stdout)))
        .iter()
        .filter(|c| c["ok"] == serde_json::json!(false))
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

/// Everything a command printed, stdout then stderr.
pub fn printed(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr)
}

/// `poa inclusion [--backend BACKEND]` of `slot` of `epoch` into `out`; must succeed.
pub fn inclusion(backend: &str, epoch: &Path, slot: usize, out: &Path) {
    let slot = slot.to_string();
    let args = [
        "inclusion",
        "--backend",
        backend,
        "--epoch",
        arg(epoch),
        "--slot",
        &slot,
        "--out",
        arg(out),
    ];
    let o = poa(&args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The pinned snarkjs (`contracts/node_modules`); `None` only when
/// `POA_SKIP_SNARKJS=1` says to skip, a failure otherwise.
pub fn snarkjs() -> Option<PathBuf> {
    let bin =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../contracts/node_modules/.bin/snarkjs");
    if bin.exists() {
        return Some(bin);
    }
    assert!(
        std::env::var("POA_SKIP_SNARKJS").is_ok_and(|v| v == "1"),
        "snarkjs is not installed: run `npm ci --prefix contracts` (scripts/test.sh does), \
or set POA_SKIP_SNARKJS=1 to skip this test"
    );
    None
}

/// A `.ptau` of `power` (snarkjs's format, prepared or not) for τ, α, β
/// drawn from `seed` (τ replaced by `tau` when given): a phase 1 of known
/// secrets (`poa_prover::groth16::ceremony::insecure_ptau`), for tests.
pub fn write_ptau_tau(
    path: &Path,
    power: u32,
    seed: u64,
    prepared: bool,
    tau: Option<ark_bn254::Fr>,
) {
    use ark_ff::UniformRand;
    use poa_prover::groth16::ceremony::insecure_ptau;
    use rand_chacha::rand_core::SeedableRng;
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
    let (tau0, alpha, beta) = (
        ark_bn254::Fr::rand(&mut rng),
        ark_bn254::Fr::rand(&mut rng),
        ark_bn254::Fr::rand(&mut rng),
    );
    let secrets = insecure_ptau::Secrets {
        tau: tau.unwrap_or(tau0),
        alpha,
        beta,
    };
    std::fs::write(path, insecure_ptau::ptau_bytes(power, &secrets, prepared)).unwrap();
}

/// Contributions named `names` to the ceremony whose states are
/// `state(0)`, `state(1)`, …, then a beacon of value `beacon` (hex): the
/// contribution hashes `contribute --json` printed, in order.
pub fn contribute_then_beacon(
    state: &dyn Fn(usize) -> PathBuf,
    names: &[&str],
    beacon: &str,
) -> Vec<String> {
    let mut hashes = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let o = poa(&[
            "ceremony",
            "contribute",
            "--json",
            "--in",
            arg(&state(i)),
            "--out",
            arg(&state(i + 1)),
            "--name",
            name,
            "--entropy",
            "some words",
        ]);
        assert!(o.status.success(), "contribute: {}", printed(&o));
        hashes.push(json_out(&o)["hash"].as_str().unwrap().to_string());
    }
    let n = names.len();
    let o = poa(&[
        "ceremony",
        "beacon",
        "--in",
        arg(&state(n)),
        "--out",
        arg(&state(n + 1)),
        "--beacon",
        beacon,
        "--iterations-exp",
        "10",
    ]);
    assert!(o.status.success(), "beacon: {}", printed(&o));
    hashes
}

/// `poa ceremony verify --json`'s list `j` has the contribution hashes
/// `hashes` in order, and one more entry after them, the beacon.
pub fn lists_contributions_then_a_beacon(j: &serde_json::Value, hashes: &[String]) {
    let list = j["contributions"].as_array().unwrap();
    assert_eq!(list.len(), hashes.len() + 1);
    for (i, h) in hashes.iter().enumerate() {
        assert_eq!(
            list[i]["hash"].as_str().unwrap(),
            h,
            "contribution {}",
            i + 1
        );
    }
    assert!(list[hashes.len()]["beacon"].is_object());
}

/// `poa ceremony verify --json` of `state` against `ptau`: the output and
/// its JSON.
pub fn ceremony_verify(ptau: &Path, state: &Path) -> (Output, serde_json::Value) {
    let o = poa(&[
        "ceremony",
        "verify",
        "--json",
        "--ptau",
        arg(ptau),
        "--in",
        arg(state),
    ]);
    let j = json_out(&o);
    (o, j)
}
