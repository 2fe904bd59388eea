//! The files of a ceremony and what it ends in: the state after each step
//! (a `.zkey` sealed in our container, so a corrupted or truncated file is
//! refused by its checksum), and the key files `poa prove` reads.

use std::path::Path;

use ark_bn254::Fr;
use ark_relations::r1cs::ConstraintMatrices;
use poa_circuits::r1cs::circuit::AttributionCircuit;
use poa_circuits::statement::Shape;
use poa_verifier::container;
use poa_verifier::groth16::{VerifyingKeyFile, CIRCUIT_VERSION};

use super::binfile::BinFile;
use super::cp::{self, CpKey};
use super::ptau::{domain_size, Check, Phase1, Ptau};
use super::zkey::{Coef, Zkey};
use super::{init, Error};
use crate::groth16::{ProvingKeyFile, Qap};

/// The magic of a ceremony's state file.
pub const STATE_MAGIC: &[u8; 8] = b"POAG16P2";
/// The magic of a groth16-cp ceremony's state file: the `.zkey` sections
/// and the commitment key's ([`cp::SECTION_KEY`],
/// [`cp::SECTION_CONTRIBUTIONS`]).
pub const CP_STATE_MAGIC: &[u8; 8] = b"POACPGP2";

/// The circuit's matrices for `shape`.
pub fn circuit(shape: Shape) -> Result<ConstraintMatrices<Fr>, Error> {
    let c = AttributionCircuit::placeholder(shape).map_err(|e| Error::Synthesis(e.to_string()))?;
    Ok(c.record()
        .map_err(|e| Error::Synthesis(e.to_string()))?
        .matrices)
}

/// Phase 1 from `ptau`, cut to the circuit's domain, checked with pairings
/// when `check` says so.
pub fn phase1(
    ptau: &Path,
    m: &ConstraintMatrices<Fr>,
    check: Option<Check>,
) -> Result<Phase1, Error> {
    let mut file = Ptau::open(ptau)?;
    let n = domain_size(m.num_constraints, m.num_instance_variables - 1);
    let p1 = file.phase1(n)?;
    p1.check_degenerate(ptau, n)?;
    if let Some(check) = check {
        let mut rng = crate::rng(None).map_err(|e| Error::Randomness(e.to_string()))?;
        p1.verify(ptau, check, &mut rng)?;
    }
    Ok(p1)
}

/// The Blake2b-512 hash of the whole file at `path` (snarkjs publishes
/// this hash for the Hermez `.ptau` files: compare it).
pub fn file_hash(path: &Path) -> Result<[u8; 64], Error> {
    use blake2::{Blake2b512, Digest};
    use std::io::Read;
    let io = |cause| Error::Io {
        path: path.to_path_buf(),
        cause,
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    let mut h = Blake2b512::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let k = f.read(&mut buf).map_err(io)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
    }
    Ok(h.finalize().into())
}

/// The initial phase-2 parameters of `shape` from `ptau`.
pub fn initial(ptau: &Path, shape: Shape, check: Option<Check>) -> Result<Zkey, Error> {
    let m = circuit(shape)?;
    let p1 = phase1(ptau, &m, check)?;
    init::initial(p1, m)
}

/// [`initial`] to verify the state `z` (read from `path`) against: its A,
/// B1 and B2 checked in random linear combinations and taken from it
/// (see [`init::initial_for`]).
pub fn initial_for(
    ptau: &Path,
    shape: Shape,
    check: Option<Check>,
    z: &Zkey,
    path: &Path,
) -> Result<Zkey, Error> {
    let m = circuit(shape)?;
    let p1 = phase1(ptau, &m, check)?;
    let mut rng = crate::rng(None).map_err(|e| Error::Randomness(e.to_string()))?;
    init::initial_for(p1, m, z, path, &mut rng)
}

/// Writes a ceremony state file.
pub fn write_state(path: &Path, shape: Shape, z: &Zkey) -> Result<(), Error> {
    // Header and payload written one after the other: a sealed copy of the
    // payload would be a third copy of the parameters in memory.
    let payload = z.to_bytes();
    let header = container::header(STATE_MAGIC, CIRCUIT_VERSION, shape, &payload);
    write_parts(path, &[&header, &payload])
}

/// Reads a ceremony state file, every point checked.
pub fn read_state(path: &Path) -> Result<(Shape, Zkey), Error> {
    read_state_with(path, true)
}

/// Reads a ceremony state file to contribute to it: B2's points are not
/// checked in the group (see [`Zkey::from_bytes_for_contribution`]).
pub fn read_state_for_contribution(path: &Path) -> Result<(Shape, Zkey), Error> {
    read_state_with(path, false)
}

fn read_state_with(path: &Path, check_all: bool) -> Result<(Shape, Zkey), Error> {
    match read_any_with(path, check_all)? {
        (shape, z, None) => Ok((shape, z)),
        (_, _, Some(_)) => Err(Error::format(
            path,
            "file",
            "a groth16-cp ceremony state, not a Groth16 one",
        )),
    }
}

/// Writes a ceremony state file: a Groth16 one, or with `cp` a groth16-cp
/// one (its own magic and version).
pub fn write_any(path: &Path, shape: Shape, z: &Zkey, cp: Option<&CpKey>) -> Result<(), Error> {
    let Some(key) = cp else {
        return write_state(path, shape, z);
    };
    let (k, c) = cp::sections(z, key);
    let payload = z.to_bytes_with(&[
        (cp::SECTION_KEY, k.as_slice()),
        (cp::SECTION_CONTRIBUTIONS, c.as_slice()),
    ]);
    let header = container::header(
        CP_STATE_MAGIC,
        poa_verifier::groth16_cp::CIRCUIT_VERSION,
        shape,
        &payload,
    );
    write_parts(path, &[&header, &payload])
}

/// Reads a ceremony state file of either kind (told by its magic): the
/// shape, the parameters and, for groth16-cp, the commitment key. Every
/// point is checked, but B2's group membership only when `check_all` (see
/// [`Zkey::from_bytes_for_contribution`]).
pub fn read_any_with(path: &Path, check_all: bool) -> Result<(Shape, Zkey, Option<CpKey>), Error> {
    let bytes = container::read(path).map_err(|e| Error::format(path, "file", e.to_string()))?;
    let is_cp = bytes.starts_with(CP_STATE_MAGIC);
    let (magic, version) = if is_cp {
        (CP_STATE_MAGIC, poa_verifier::groth16_cp::CIRCUIT_VERSION)
    } else {
        (STATE_MAGIC, CIRCUIT_VERSION)
    };
    // The checked payload is cut out of the file's bytes in place, as a
    // copy would hold the parameters twice (3 GiB at 64x1024): its place
    // is taken from the slice `open` returns.
    let (shape, start, len) = container::open(path, &bytes, magic, version)
        .map(|(shape, payload)| {
            let start = payload.as_ptr() as usize - bytes.as_ptr() as usize;
            (shape, start, payload.len())
        })
        .map_err(|e| Error::format(path, "container", strip(&e.to_string(), path)))?;
    let mut payload = bytes;
    payload.truncate(start + len);
    payload.drain(..start);
    if !is_cp {
        let z = if check_all {
            Zkey::from_bytes(path, payload)?
        } else {
            Zkey::from_bytes_for_contribution(path, payload)?
        };
        return Ok((shape, z, None));
    }
    let mut f = BinFile::from_bytes(path, payload, b"zkey", 1)?;
    let mut z = Zkey::parse_from(&mut f, check_all)?;
    let key = f.section(cp::SECTION_KEY, "commitment key")?;
    let parts = f.section(cp::SECTION_CONTRIBUTIONS, "commitment-key contributions")?;
    let key = cp::read_sections(&mut z, &key, &parts, path)?;
    Ok((shape, z, Some(key)))
}

fn strip(msg: &str, path: &Path) -> String {
    msg.strip_prefix(&format!("{}: ", path.display()))
        .unwrap_or(msg)
        .to_string()
}

/// Writes `bytes` to `path` atomically.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_parts(path, &[bytes])
}

/// Writes the concatenation of `parts` to `path` atomically.
fn write_parts(path: &Path, parts: &[&[u8]]) -> Result<(), Error> {
    crate::files::write_atomic_parts(path, parts).map_err(|e| match e {
        crate::Error::Io { path, cause } => Error::Io { path, cause },
        other => Error::Usage(other.to_string()),
    })
}

/// The key files of `z`: the proving key (for snarkjs's reduction) and the
/// verifying key.
pub fn keys(shape: Shape, z: &Zkey) -> (ProvingKeyFile, VerifyingKeyFile) {
    let pk = z.proving_key();
    let vk = VerifyingKeyFile {
        shape,
        vk: pk.vk.clone(),
    };
    (
        ProvingKeyFile {
            shape,
            pk,
            qap: Qap::Snarkjs,
        },
        vk,
    )
}

/// Checks that `z` (read from `path`) is a key for the circuit `m`: the
/// sizes, and the A and B coefficients byte for byte.
pub fn check_circuit(z: &Zkey, m: &ConstraintMatrices<Fr>, path: &Path) -> Result<(), Error> {
    let n_public = m.num_instance_variables - 1;
    let n_vars = m.num_instance_variables + m.num_witness_variables;
    let n = domain_size(m.num_constraints, n_public);
    check_coefficients(z, (n_vars, n_public, n), &init::coefficients(m), path)
}

/// [`check_circuit`] given the circuit's `(wires, public inputs, domain
/// size)` and its coefficients ([`init::coefficients`]).
pub fn check_coefficients(
    z: &Zkey,
    (n_vars, n_public, n): (usize, usize, usize),
    want: &[Coef],
    path: &Path,
) -> Result<(), Error> {
    let wrong = |reason: String| Error::WrongCircuit {
        path: path.to_path_buf(),
        reason,
    };
    if (z.n_vars, z.n_public, z.domain_size) != (n_vars, n_public, n) {
        return Err(wrong(format!(
            "{} wires, {} public inputs, a domain of {}; the circuit has {n_vars}, {n_public}, {n}",
            z.n_vars, z.n_public, z.domain_size
        )));
    }
    if z.coefs.len() != want.len() {
        return Err(wrong(format!(
            "{} coefficients, the circuit has {}",
            z.coefs.len(),
            want.len()
        )));
    }
    if let Some(i) = z.coefs.iter().zip(want).position(|(a, b)| a != b) {
        let c = want[i];
        return Err(wrong(format!(
            "coefficient {i} (matrix {}, row {}, wire {}) differs",
            ["A", "B"][c.matrix as usize & 1],
            c.row,
            c.wire
        )));
    }
    Ok(())
}

/// Where a key from a `.zkey` came from, for the setup record.
pub struct Provenance<'a> {
    /// How it was made (e.g. "poa ceremony", "snarkjs zkey (imported)").
    pub how: &'a str,
    /// The phase-1 file, when known.
    pub ptau: Option<&'a Path>,
    /// The phase-1 file's Blake2b-512, when known.
    pub ptau_hash: Option<[u8; 64]>,
    /// Whether the transcript was verified against phase 1 here.
    pub verified: bool,
    /// A warning for the record (single-party phase 2).
    pub insecure: Option<&'a str>,
}

/// The setup record's `ceremony` entry: where the parameters `z` came
/// from, the circuit and transcript hashes, and the contributions.
pub fn ceremony_record(z: &Zkey, from: &Provenance<'_>) -> serde_json::Value {
    let contributions: Vec<serde_json::Value> = z
        .contributions
        .iter()
        .enumerate()
        .map(|(i, c)| {
            serde_json::json!({
                "index": i + 1,
                "name": c.name,
                "hash": hex::encode(c.hash()),
                "beacon": c.beacon.as_ref().map(|(e, h)| serde_json::json!({"value": hex::encode(h), "iterationsExp": e})),
            })
        })
        .collect();
    serde_json::json!({
        "how": from.how,
        "ptau": from.ptau.map(|p| p.display().to_string()),
        "ptauBlake2b": from.ptau_hash.map(hex::encode),
        "verifiedAgainstPhase1": from.verified,
        "circuitHash": hex::encode(z.cs_hash),
        "transcriptHash": hex::encode(z.transcript_hash()),
        "contributions": contributions.len(),
        "list": contributions,
    })
}

/// Writes `groth16.pk`, `groth16.vk` and the setup record `groth16.json`
/// of `z` into `out` (each file written whole, then renamed); returns the
/// record.
pub fn write_keys(
    out: &Path,
    shape: Shape,
    z: &Zkey,
    from: &Provenance<'_>,
) -> Result<serde_json::Value, Error> {
    use poa_verifier::groth16::{NAME, PK_FILE, VK_FILE};
    use poa_verifier::proof_file::hex0x;
    std::fs::create_dir_all(out).map_err(|cause| Error::Io {
        path: out.to_path_buf(),
        cause,
    })?;
    let (pk, vk) = keys(shape, z);
    let digest = hex0x(&vk.digest());
    let mut meta = serde_json::json!({
        "backend": NAME,
        "shape": shape.to_string(),
        "constraints": poa_circuits::r1cs::circuit::constraint_count(shape),
        "vkDigest": digest,
        "qap": "snarkjs",
        "ceremony": ceremony_record(z, from),
    });
    if let Some(w) = from.insecure {
        meta["insecure"] = serde_json::Value::from(w);
    }
    write(&out.join(PK_FILE), &pk.to_bytes())?;
    write(&out.join(VK_FILE), &vk.to_bytes())?;
    write(
        &out.join("groth16.json"),
        poa_circuits::formats::pretty(&meta).as_bytes(),
    )?;
    Ok(meta)
}
