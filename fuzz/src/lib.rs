//! The fuzz harnesses of every input parser, one function per target.
//!
//! Each harness feeds arbitrary bytes to the production parsers (the
//! byte-level functions the `read(path)` functions call) and lets them
//! return an error or a value; a panic, a hang or an allocation sized by an
//! unchecked length is the bug the fuzzer looks for. The few assertions are
//! properties of values that did parse (a written file reads back, a
//! dataset's record path leads to its root).
//!
//! This file is also compiled into the stable test
//! `prover/tests/fuzz_parsers.rs` (`#[path]`), so CI runs the very same
//! harnesses on random and mutated inputs.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ark_bn254::Bn254;
use ark_groth16::Proof;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use halo2_proofs::halo2curves::bn256::{Fr as Fp, G1Affine};
use halo2_proofs::transcript::{TranscriptRead, TranscriptReadBuffer};
use poa_circuits::dataset::parse_files;
use poa_circuits::formats::goldilocks::GoldilocksInclusion;
use poa_circuits::formats::npy::{self, Encoding};
use poa_circuits::formats::{Claim, EpochFile, InclusionFile};
use poa_circuits::statement::Shape;
use poa_circuits::Fr;
use poa_prover::groth16::ProvingKeyFile;
use poa_verifier::container::{self, keccak};
use poa_verifier::proof_file::hex0x;
use poa_verifier::{check_claim, groth16, halo2, ProofFile};
use snark_verifier::system::halo2::transcript::evm::EvmTranscript;

/// The dimensions `D` of the vector files in [`vector_dir`].
pub const VECTOR_DIMS: [usize; 8] = [1, 2, 4, 5, 8, 16, 40, 300];

/// The entries of the vector files of dimension `dim` (fixed, in range).
pub fn vector_entries(dim: usize) -> Vec<i16> {
    (0..dim)
        .map(|i| ((i as i64 * 7919) % 4001 - 2000) as i16)
        .collect()
}

/// A folder (one per process, made once) holding the vector files an
/// epoch file may name: `v{D}.bin` (raw) and `v{D}.npy` for each `D` of
/// [`VECTOR_DIMS`], the same in `sub/`, an empty `empty.bin`, a folder
/// `dir.npy`, and a symlink `out.bin` to a file outside the folder.
pub fn vector_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = std::env::temp_dir().join(format!("poa-fuzz-{}", std::process::id()));
        let dir = base.join("epoch");
        let sub = dir.join("sub");
        // The harness's own set-up: failing here is no finding.
        std::fs::create_dir_all(&sub).expect("temp folder");
        for d in [&dir, &sub] {
            for dim in VECTOR_DIMS {
                let v = vector_entries(dim);
                let raw: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
                std::fs::write(d.join(format!("v{dim}.bin")), raw).expect("vector file");
                std::fs::write(d.join(format!("v{dim}.npy")), npy::npy_int16(&v))
                    .expect("vector file");
            }
        }
        std::fs::write(dir.join("empty.bin"), b"").expect("vector file");
        std::fs::create_dir_all(dir.join("dir.npy")).expect("folder");
        let outside = base.join("outside.bin");
        std::fs::write(&outside, [1u8, 0, 2, 0, 3, 0, 4, 0, 5, 0]).expect("vector file");
        #[cfg(unix)]
        {
            let _ = std::os::unix::fs::symlink(&outside, dir.join("out.bin"));
        }
        dir
    })
}

/// A file of this process's own, for parsers that read a path.
fn scratch(name: &str) -> PathBuf {
    let dir = vector_dir()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    dir.join(name)
}

/// `EpochFile::parse_bytes`, vector files confined to [`vector_dir`].
pub fn epoch(data: &[u8]) {
    let dir = vector_dir();
    if let Ok(epoch) = EpochFile::parse_bytes(data, dir, &dir.join("epoch.json")) {
        // What parses is a valid epoch: its file form reads back.
        let json = serde_json::to_vec(&EpochFile::from_epoch(&epoch)).expect("serialise");
        let again = EpochFile::parse_bytes(&json, dir, &dir.join("again.json"));
        assert!(
            again.is_ok(),
            "an epoch's own file form is refused: {again:?}"
        );
    }
}

/// `Claim::parse_bytes`, then `check_claim` on what parses.
pub fn claim(data: &[u8]) {
    let path = Path::new("claim.json");
    if let Ok(claim) = Claim::parse_bytes(data, path) {
        let _ = check_claim(&claim);
        let _ = claim.goldilocks();
        let again = Claim::parse_bytes(claim.to_json().as_bytes(), path);
        assert!(
            again.is_ok(),
            "a claim's own file form is refused: {again:?}"
        );
    }
}

/// `InclusionFile::parse_bytes`, `parse` and `parse_under` a few shapes.
pub fn inclusion(data: &[u8]) {
    let Ok(file) = InclusionFile::parse_bytes(data, Path::new("inclusion.json")) else {
        return;
    };
    if let Ok((path, leaf, _root)) = file.parse() {
        let _ = path.root_from(leaf);
    }
    for (n, d) in [(2, 1), (4, 5), (8, 40), (1 << 16, 1)] {
        if let Ok(shape) = Shape::new(n, d) {
            if let Ok((path, leaf, _)) = file.parse_under(&shape) {
                let _ = path.root_from(leaf);
            }
        }
    }
}

/// `GoldilocksInclusion::parse_bytes` (the parser needs no plonky2).
pub fn goldilocks_inclusion(data: &[u8]) {
    let path = Path::new("inclusion.json");
    if let Ok(inclusion) = GoldilocksInclusion::parse_bytes(data, path) {
        let json = serde_json::to_vec(&inclusion.to_file()).expect("serialise");
        let again = GoldilocksInclusion::parse_bytes(&json, path);
        assert_eq!(again.ok().as_ref(), Some(&inclusion), "round trip");
    }
}

/// The `.npy` and raw int16 parsers; the first two bytes choose `D`.
pub fn npy(data: &[u8]) {
    let path = Path::new("v.npy");
    let (dim, bytes) = match data {
        [a, b, rest @ ..] => (usize::from(u16::from_le_bytes([*a, *b])), rest),
        _ => (0, data),
    };
    let _ = npy::parse_npy(path, bytes);
    let _ = npy::parse_npy(path, data);
    for dim in [
        dim,
        dim << 4,
        bytes.len() / 2,
        usize::MAX / 2 + 1,
        usize::MAX,
    ] {
        let _ = npy::parse_i16(path, bytes, dim);
        let _ = npy::parse_raw_i16(path, bytes, dim);
        let _ = npy::parse_int16(path, bytes, Encoding::Npy, dim);
        let _ = Encoding::Npy.size_bounds(dim);
        let _ = Encoding::Raw.size_bounds(dim);
    }
}

/// Proof files of every backend, then the backends' decoding of proof
/// bytes (Groth16's compressed proof, the halo2 transcript's points and
/// scalars). plonky2's `ProofWithPublicInputs::from_bytes` needs the
/// circuits' common data, too slow to build here: not fuzzed.
pub fn proof_file(data: &[u8]) {
    for backend in ["groth16", "halo2", "plonky2"] {
        if let Ok((file, bytes)) = ProofFile::parse(data, backend) {
            let _ = file.shape();
            proof_bytes(&bytes);
        }
    }
    // The checksum made right, so that mutations reach past it.
    if let Ok(mut file) = serde_json::from_slice::<ProofFile>(data) {
        if let Some(bytes) = file
            .proof
            .strip_prefix("0x")
            .and_then(|h| hex::decode(h).ok())
        {
            file.checksum = hex0x(&keccak(&bytes));
            let json = serde_json::to_vec(&file).expect("serialise");
            if let Ok((_, again)) = ProofFile::parse(&json, &file.backend.clone()) {
                assert_eq!(again, bytes, "the proof bytes read back");
            }
        }
    }
    proof_bytes(data);
}

/// The backends' decoding of proof bytes.
pub fn proof_bytes(bytes: &[u8]) {
    if let Ok(proof) = Proof::<Bn254>::deserialize_compressed(bytes) {
        let mut out = Vec::new();
        proof.serialize_compressed(&mut out).expect("serialise");
    }
    // What halo2's verifier reads first: commitments, then evaluations.
    let mut transcript = EvmTranscript::<G1Affine, _, _, _>::init(bytes);
    for _ in 0..64 {
        let point: std::io::Result<G1Affine> = transcript.read_point();
        if point.is_err() {
            break;
        }
    }
    for _ in 0..64 {
        let scalar: std::io::Result<Fp> = transcript.read_scalar();
        if scalar.is_err() {
            break;
        }
    }
}

/// The same bytes with the container's length and checksum fields made
/// right (the checksum guards against corruption, not an adversary).
pub fn reseal(data: &[u8]) -> Option<Vec<u8>> {
    if data.len() < 64 {
        return None;
    }
    let mut out = data.to_vec();
    let len = (out.len() - 64) as u64;
    out[24..32].copy_from_slice(&len.to_le_bytes());
    let sum = keccak(&out[64..]);
    out[32..64].copy_from_slice(&sum);
    Some(out)
}

/// Key containers: `container::open`, the Groth16 verifying and proving
/// keys and the halo2 verifying key, as given and resealed.
pub fn keys(data: &[u8]) {
    let path = Path::new("key");
    let resealed = reseal(data);
    for bytes in std::iter::once(data).chain(resealed.as_deref()) {
        for magic in [groth16::VK_MAGIC, groth16::PK_MAGIC, halo2::VK_MAGIC] {
            let _ = container::open(path, bytes, magic, groth16::CIRCUIT_VERSION);
        }
        let _ = groth16::VerifyingKeyFile::from_bytes(path, bytes);
        let _ = ProvingKeyFile::from_bytes(path, bytes);
        // halo2's reader takes seconds (it builds the circuit's domain at
        // the key's k ≥ 17): the checks before it run on every input, the
        // reader on one in 16 of those that pass them.
        if halo2::check_vk_bytes(path, bytes).is_ok() && keccak(bytes)[0] % 16 == 0 {
            let _ = halo2::VerifyingKeyFile::from_bytes(path, bytes);
        }
    }
}

/// `read_srs` (it reads a path) on the bytes written to a file, `k = 4`.
pub fn srs(data: &[u8]) {
    let path = scratch("halo2.srs");
    std::fs::write(&path, data).expect("scratch file");
    let _ = halo2::read_srs(&path, 4);
}

/// Dataset records: the first byte says whole files (bit 0) and which
/// record's path to check; the rest is files separated by `\0\xff`.
pub fn dataset(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut files: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < rest.len() {
        if rest[i] == 0 && rest[i + 1] == 0xff {
            files.push(&rest[start..i]);
            start = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    files.push(&rest[start.min(rest.len())..]);
    let whole = flags & 1 == 1;
    let records = poa_circuits::dataset::file_records(&files, whole);
    match parse_files(&files, whole) {
        Ok(dataset) => {
            assert_eq!(dataset.record_hashes.len(), records.len());
            let _ = dataset.commitment(Fr::from(u64::from(flags)));
            let index = usize::from(flags >> 1) % records.len();
            let path = dataset
                .record_path(index)
                .expect("an index below the count");
            let leaf = dataset.record_hashes[index];
            assert_eq!(path.root_from(leaf), dataset.root, "record {index}");
            assert!(dataset.record_path(records.len()).is_err());
            let file = InclusionFile::new("record", leaf, &[], &path, dataset.root);
            let json = serde_json::to_vec(&file).expect("serialise");
            let again = InclusionFile::parse_bytes(&json, Path::new("record.json"));
            assert!(
                again.is_ok(),
                "a record path's own file is refused: {again:?}"
            );
        }
        Err(_) => assert!(records.is_empty(), "records refused"),
    }
}
