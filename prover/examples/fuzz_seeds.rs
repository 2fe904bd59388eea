//! Writes the fuzzers' seed inputs (see `fuzz/README.md`) from the shared
//! statement vectors and real keys of shape 4x5:
//!
//! ```text
//! cargo run --release -p poa-prover --example fuzz_seeds -- OUT [--halo2] [--pk]
//! ```
//!
//! `OUT/<target>/<name>` for each fuzz target. `--halo2` adds a halo2
//! verifying key and proof of 4x5 (small, but minutes to make at the
//! shape's `k`); `--pk` the real Groth16 proving key of 4x5 (megabytes:
//! for the working corpus, not to commit).

use std::path::Path;

use anyhow::{Context, Result};
use ark_bn254::Bn254;
use ark_groth16::ProvingKey;
use poa_circuits::dataset::Dataset;
use poa_circuits::formats::npy::npy_int16;
use poa_circuits::formats::{pretty, Claim, EpochFile, InclusionFile, VectorSource};
use poa_circuits::statement::Shape;
use poa_circuits::vectors::statement_epoch;
use poa_prover::groth16::{self, ProvingKeyFile};
use serde_json::{json, Value};

const CASES: [&str; 5] = [
    "hand",
    "no-positive-score",
    "extremes",
    "random-8x40",
    "random-16x300",
];
const SEED: [u8; 32] = [0; 32];

fn write(out: &Path, target: &str, name: &str, bytes: &[u8]) -> Result<()> {
    let dir = out.join(target);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(name), bytes).with_context(|| format!("{target}/{name}"))
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(
        args.next()
            .context("usage: fuzz_seeds OUT [--halo2] [--pk]")?,
    );
    let flags: Vec<String> = args.collect();
    let with_halo2 = flags.iter().any(|a| a == "--halo2");
    let with_pk = flags.iter().any(|a| a == "--pk");

    // Epochs, claims, slot paths.
    for name in CASES {
        let epoch = statement_epoch(name)?;
        let att = epoch.attribute()?;
        let file = EpochFile::from_epoch(&epoch);
        write(
            &out,
            "epoch",
            &format!("{name}.json"),
            pretty(&file).as_bytes(),
        )?;
        let claim = Claim::new(&epoch, &att);
        write(
            &out,
            "claim",
            &format!("{name}.json"),
            claim.to_json().as_bytes(),
        )?;
        let slot = epoch.participants.len() - 1;
        let path = epoch.inclusion(&att, slot)?;
        let d = epoch.participants[slot].dataset;
        let u = att.update_commitments[slot];
        let inclusion = InclusionFile::new("slot", att.leaves[slot], &[d, u], &path, att.root);
        write(
            &out,
            "inclusion",
            &format!("{name}.json"),
            pretty(&inclusion).as_bytes(),
        )?;
    }
    // An epoch with vector files (the harness's folder holds v5.npy,
    // sub/v5.bin, v5.bin), one wrapped as a test-vector case.
    let mut hand = EpochFile::from_epoch(&statement_epoch("hand")?);
    hand.participants[0].update = VectorSource::File("v5.npy".into());
    hand.participants[1].update = VectorSource::File("sub/v5.bin".into());
    hand.validation.vector = VectorSource::File("./v5.bin".into());
    write(&out, "epoch", "hand-files.json", pretty(&hand).as_bytes())?;
    let wrapped = json!({ "name": "hand", "epoch": hand });
    write(
        &out,
        "epoch",
        "hand-wrapped.json",
        pretty(&wrapped).as_bytes(),
    )?;
    // A claim with Goldilocks commitments.
    let epoch = statement_epoch("hand")?;
    let mut claim: Value =
        serde_json::from_str(&Claim::new(&epoch, &epoch.attribute()?).to_json())?;
    claim["goldilocks"] =
        json!({ "Q": ["1", "2", "0x3", 4], "V": ["18446744069414584320", "0", "0", "7"] });
    write(
        &out,
        "claim",
        "hand-goldilocks.json",
        pretty(&claim).as_bytes(),
    )?;

    // Goldilocks slot paths (written by hand: making one needs plonky2).
    let gl = json!({
        "format": "poa-inclusion", "version": 1, "kind": "goldilocksSlot", "index": 2,
        "D": "12345", "U": ["1", "2", "3", "4"], "leaf": ["5", "6", "7", "8"],
        "siblings": [["9", "10", "11", "12"], ["0x10", 17, "18", "18446744069414584320"]],
        "root": ["1", "1", "1", "1"]
    });
    write(
        &out,
        "goldilocks_inclusion",
        "slot2.json",
        pretty(&gl).as_bytes(),
    )?;

    // Record paths and dataset inputs from the dataset vectors.
    let vectors: Value = serde_json::from_str(include_str!("../../circuits/vectors/dataset.json"))?;
    let records: Vec<String> = vectors["bytesHash"]
        .as_array()
        .context("dataset.json: bytesHash")?
        .iter()
        .filter_map(|c| c["record"].as_str().map(str::to_owned))
        .collect();
    let dataset = Dataset::new(&records)?;
    let path = dataset.record_path(1)?;
    let record = InclusionFile::new("record", dataset.record_hashes[1], &[], &path, dataset.root);
    write(
        &out,
        "inclusion",
        "record1.json",
        pretty(&record).as_bytes(),
    )?;
    let mut lines = vec![2u8];
    lines.extend_from_slice(records.join("\n").as_bytes());
    write(&out, "dataset", "lines", &lines)?;
    let mut crlf = vec![6u8];
    crlf.extend_from_slice(records.join("\r\n").as_bytes());
    crlf.extend_from_slice(b"\0\xffsecond,file\r\n\r\nthird");
    write(&out, "dataset", "crlf-two-files", &crlf)?;
    let mut whole = vec![1u8];
    whole.extend_from_slice(records.join("\0\u{ff}").as_bytes());
    write(&out, "dataset", "whole-files", &whole)?;

    // int16 vectors: the harness reads D from the first two bytes.
    let v: Vec<i16> = (0..5).map(|i| i * 1000 - 2000).collect();
    let mut npy = 5u16.to_le_bytes().to_vec();
    npy.extend_from_slice(&npy_int16(&v));
    write(&out, "npy", "i2-5.npy", &npy)?;
    let mut raw = 5u16.to_le_bytes().to_vec();
    raw.extend(v.iter().flat_map(|x| x.to_le_bytes()));
    write(&out, "npy", "raw-5.bin", &raw)?;
    for (descr, width, version) in [("<f4", 4usize, 1u8), ("<f8", 8, 2), ("<i2", 2, 3)] {
        let header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': (3,), }}\n");
        let mut f = 3u16.to_le_bytes().to_vec();
        f.extend_from_slice(b"\x93NUMPY");
        f.extend_from_slice(&[version, 0]);
        if version == 1 {
            f.extend_from_slice(&(header.len() as u16).to_le_bytes());
        } else {
            f.extend_from_slice(&(header.len() as u32).to_le_bytes());
        }
        f.extend_from_slice(header.as_bytes());
        f.extend(std::iter::repeat_n(0x3fu8, 3 * width));
        write(&out, "npy", &format!("v{version}{}.npy", &descr[1..]), &f)?;
    }

    // Groth16 keys of 4x5 and a proof.
    let shape = Shape::new(4, 5)?;
    let keys = groth16::setup_insecure(shape, Some(SEED))?;
    write(&out, "keys", "groth16.vk", &keys.vk.to_bytes())?;
    // A proving key of the real verifying key and a few points per query:
    // the layout of a real one, small enough to commit.
    let g1 = keys.vk.vk.alpha_g1;
    let g2 = keys.vk.vk.beta_g2;
    let small = ProvingKeyFile {
        shape,
        pk: ProvingKey::<Bn254> {
            vk: keys.vk.vk.clone(),
            beta_g1: g1,
            delta_g1: g1,
            a_query: vec![g1; 3],
            b_g1_query: vec![g1; 2],
            b_g2_query: vec![g2; 2],
            h_query: vec![g1; 2],
            l_query: vec![g1; 1],
        },
        qap: groth16::Qap::Libsnark,
    };
    write(&out, "keys", "groth16-small.pk", &small.to_bytes())?;
    let epoch = statement_epoch("hand")?;
    let (proof, _, _) = groth16::prove(&keys.pk, epoch.clone())?;
    let file = poa_verifier::groth16::proof_file(shape, keys.vk.digest(), &proof);
    write(&out, "proof_file", "groth16.json", pretty(&file).as_bytes())?;
    let plonky2 = poa_verifier::ProofFile::new("plonky2", shape, [7; 32], &[1, 2, 3, 4]);
    write(
        &out,
        "proof_file",
        "plonky2.json",
        pretty(&plonky2).as_bytes(),
    )?;

    // Tiny SRS (k = 4, 5): what `read_srs(path, 4)` reads.
    for k in [4, 5] {
        let srs = poa_prover::halo2::srs_insecure(k, Some(SEED))?;
        let mut bytes = Vec::new();
        srs.write_custom(&mut bytes, halo2_proofs::SerdeFormat::RawBytes)?;
        write(&out, "srs", &format!("k{k}.srs"), &bytes)?;
    }

    if with_pk {
        write(&out, "keys", "groth16.pk", &keys.pk.to_bytes())?;
    }
    if with_halo2 {
        let k = poa_circuits::halo2::AttributionCircuit::k(shape)?;
        eprintln!("halo2: SRS, keys and a proof at k = {k} (minutes)");
        let srs = poa_prover::halo2::srs_insecure(k, Some(SEED))?;
        let pk = poa_prover::halo2::keygen(&srs, shape)?;
        let vk = poa_verifier::halo2::VerifyingKeyFile {
            shape,
            vk: pk.get_vk().clone(),
        };
        write(&out, "keys", "halo2.vk", &vk.to_bytes())?;
        let (proof, _) = poa_prover::halo2::prove(&srs, &pk, &epoch)?;
        let file = poa_verifier::ProofFile::new("halo2", shape, vk.digest(), &proof);
        write(&out, "proof_file", "halo2.json", pretty(&file).as_bytes())?;
    }
    eprintln!("seeds written to {}", out.display());
    Ok(())
}
