//! Key containers and SRS files: every length and `k` inside a file is
//! checked against the shape and the file's size before anything is
//! allocated from it. Each crafted file carries a valid checksum, so only
//! these checks can refuse it.

use std::path::{Path, PathBuf};

use ark_serialize::{CanonicalSerialize, Compress};
use poa_circuits::halo2::AttributionCircuit;
use poa_circuits::statement::Shape;
use poa_prover::groth16::{setup_insecure, ProvingKeyFile};
use poa_verifier::container::seal;
use poa_verifier::groth16::{VerifyingKeyFile, PK_MAGIC, VK_PAYLOAD};

fn dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("poa-containers-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn shape() -> Shape {
    Shape::new(4, 5).unwrap()
}

#[test]
fn groth16_keys_are_refused_by_layout_before_decoding() {
    let d = dir("g16");
    let keys = setup_insecure(shape(), Some([3; 32])).unwrap();

    // The pinned payload size is arkworks' uncompressed size of a key of
    // five public inputs.
    let mut vk = Vec::new();
    keys.vk
        .vk
        .serialize_with_mode(&mut vk, Compress::No)
        .unwrap();
    assert_eq!(vk.len(), VK_PAYLOAD);
    let honest = write(&d, "vk", &keys.vk.to_bytes());
    assert!(VerifyingKeyFile::read(&honest).is_ok());

    // γ_abc claiming 2^40 points; and one point too many (the right length
    // field for it).
    for (name, edit) in [
        (
            "huge",
            Box::new(|p: &mut Vec<u8>| p[448..456].copy_from_slice(&(1u64 << 40).to_le_bytes()))
                as Box<dyn Fn(&mut Vec<u8>)>,
        ),
        (
            "seven",
            Box::new(|p: &mut Vec<u8>| {
                p[448..456].copy_from_slice(&7u64.to_le_bytes());
                p.extend_from_slice(&[0; 64]);
            }),
        ),
        ("short", Box::new(|p: &mut Vec<u8>| p.truncate(100))),
    ] {
        let mut payload = vk.clone();
        edit(&mut payload);
        let sealed = seal(
            poa_verifier::groth16::VK_MAGIC,
            poa_verifier::groth16::CIRCUIT_VERSION,
            shape(),
            &payload,
        );
        let path = write(&d, name, &sealed);
        let e = VerifyingKeyFile::read(&path).unwrap_err().to_string();
        assert!(
            e.contains(name) && e.contains(&format!("{VK_PAYLOAD}-byte payload")),
            "{name}: {e}"
        );
    }

    // The proving key: a vector length beyond what the file holds, and
    // bytes after the key.
    let pk = keys.pk.to_bytes();
    let honest = write(&d, "pk", &pk);
    assert!(ProvingKeyFile::read(&honest).is_ok());
    let payload = &pk[64..];
    let a_query = VK_PAYLOAD + 128;
    for (name, payload) in [
        ("pk-huge", {
            let mut p = payload.to_vec();
            p[a_query..a_query + 8].copy_from_slice(&u64::MAX.to_le_bytes());
            p
        }),
        ("pk-trailing", {
            let mut p = payload.to_vec();
            p.push(0);
            p
        }),
    ] {
        let sealed = seal(
            PK_MAGIC,
            poa_verifier::groth16::CIRCUIT_VERSION,
            shape(),
            &payload,
        );
        let path = write(&d, name, &sealed);
        let e = ProvingKeyFile::read(&path).err().unwrap().to_string();
        assert!(e.contains(name), "{name}: {e}");
        assert!(
            e.contains("a_query") || e.contains("after the proving key"),
            "{name}: {e}"
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn halo2_keys_and_srs_are_refused_by_k_and_size() {
    use poa_verifier::halo2::{read_srs, VerifyingKeyFile, CIRCUIT_VERSION, VK_MAGIC};
    let d = dir("h2");
    let k = AttributionCircuit::k(shape()).unwrap();
    // version 2, k, compress_selectors, the fixed-commitment count.
    let header = |k: u32, fixed: u32| {
        let mut p = vec![2u8];
        p.extend_from_slice(&k.to_le_bytes());
        p.push(1);
        p.extend_from_slice(&fixed.to_le_bytes());
        p.extend_from_slice(&[0; 64]);
        p
    };
    for (name, payload, why) in [
        ("vk-k40", header(40, 1), "k = 40"),
        ("vk-fixed", header(k, u32::MAX), "fixed commitments"),
        ("vk-layout", vec![1u8; 20], "layout 1"),
        ("vk-tiny", vec![2u8; 3], "too short"),
    ] {
        let sealed = seal(VK_MAGIC, CIRCUIT_VERSION, shape(), &payload);
        let path = write(&d, name, &sealed);
        let e = VerifyingKeyFile::read(&path).unwrap_err().to_string();
        assert!(e.contains(name) && e.contains(why), "{name}: {e}");
    }

    // An SRS file: its k and its size are checked before halo2 reads it.
    let srs = |name: &str, file_k: u32, len: usize| {
        let mut bytes = file_k.to_le_bytes().to_vec();
        bytes.resize(len, 0);
        write(&d, name, &bytes)
    };
    for (path, why) in [
        (srs("srs-k40", 40, 64), "k = 40"),
        (srs("srs-k3", 3, 64), "k = 3"),
        (srs("srs-size", k, 4096), "bytes"),
    ] {
        let e = read_srs(&path, k).unwrap_err().to_string();
        assert!(
            e.contains(path.file_name().unwrap().to_str().unwrap()) && e.contains(why),
            "{}: {e}",
            path.display()
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

/// A FIFO (or a device) named as a key, SRS, claim or proof file is refused
/// before it is opened: opening a FIFO with no writer would block.
#[test]
fn fifos_are_refused_without_blocking() {
    let d = dir("fifo");
    let fifo = d.join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("no mkfifo here: skipped");
        return;
    }
    let k = AttributionCircuit::k(shape()).unwrap();
    let errors = [
        VerifyingKeyFile::read(&fifo).unwrap_err().to_string(),
        poa_verifier::halo2::read_srs(&fifo, k)
            .unwrap_err()
            .to_string(),
        poa_circuits::formats::Claim::read(&fifo)
            .unwrap_err()
            .to_string(),
        poa_verifier::ProofFile::read(&fifo, "groth16")
            .unwrap_err()
            .to_string(),
    ];
    for e in errors {
        assert!(
            e.contains("pipe") && e.contains("not a regular file"),
            "{e}"
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}
