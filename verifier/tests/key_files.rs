//! Key files from elsewhere: what the fuzzers found (`fuzz/regressions/`)
//! and the bounds they confirm. A key file's header names a shape and its
//! payload a `k`; neither may make reading it cost more than a key of that
//! size honestly costs.

use std::path::Path;
use std::time::{Duration, Instant};

use poa_circuits::halo2::MAX_K;
use poa_circuits::statement::Shape;
use poa_verifier::container::{self, keccak};
use poa_verifier::halo2::VerifyingKeyFile;

fn seed(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/seeds/keys")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `bytes` with the header's shape replaced and the checksum made right.
fn reseal(bytes: &[u8], slots: u32, dim: u32, edit: impl FnOnce(&mut [u8])) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[16..20].copy_from_slice(&slots.to_le_bytes());
    out[20..24].copy_from_slice(&dim.to_le_bytes());
    edit(&mut out[64..]);
    let sum = keccak(&out[64..]);
    out[32..64].copy_from_slice(&sum);
    out
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

#[test]
fn halo2_seed_key_reads() {
    let vk = VerifyingKeyFile::from_bytes(Path::new("halo2.vk"), &seed("halo2.vk")).unwrap();
    assert_eq!(vk.shape, Shape::new(4, 5).unwrap());
}

/// A 3 KiB key whose header names the largest shape (2^16 × 2^20): its
/// `k` used to be computed by laying the whole circuit out (hours); now
/// the count stops at the key's own `k`.
#[test]
fn halo2_key_of_the_largest_shape_is_refused_at_once() {
    let path = Path::new("halo2.vk");
    let bytes = reseal(&seed("halo2.vk"), 1 << 16, 1 << 20, |_| {});
    let (result, took) = timed(|| VerifyingKeyFile::from_bytes(path, &bytes));
    let err = result
        .expect_err("a k = 17 key of shape 65536x1048576")
        .to_string();
    assert!(err.contains("needs more"), "{err}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

/// A `k` beyond what any file is read for is refused before any count.
#[test]
fn halo2_key_k_out_of_range_is_refused() {
    let path = Path::new("halo2.vk");
    for k in [0u32, 16, MAX_K + 1, u32::MAX] {
        let bytes = reseal(&seed("halo2.vk"), 4, 5, |p| {
            p[1..5].copy_from_slice(&k.to_le_bytes())
        });
        let err = VerifyingKeyFile::from_bytes(path, &bytes)
            .unwrap_err()
            .to_string();
        assert!(err.contains(&format!("k = {k}")), "{err}");
    }
}

/// Compressed selectors: halo2 allocates 2^k bits per selector before it
/// reads them, so they must be in the payload.
#[test]
fn halo2_key_with_compressed_selectors_is_refused() {
    let path = Path::new("halo2.vk");
    let bytes = reseal(&seed("halo2.vk"), 4, 5, |p| p[5] = 1);
    let err = VerifyingKeyFile::from_bytes(path, &bytes)
        .unwrap_err()
        .to_string();
    assert!(err.contains("selectors"), "{err}");
}

#[test]
fn groth16_keys_round_trip_through_from_bytes() {
    let path = Path::new("groth16.vk");
    let bytes = seed("groth16.vk");
    let vk = poa_verifier::groth16::VerifyingKeyFile::from_bytes(path, &bytes).unwrap();
    assert_eq!(vk.to_bytes(), bytes);
    let (shape, _) = container::open(path, &bytes, poa_verifier::groth16::VK_MAGIC, 1).unwrap();
    assert_eq!(shape, vk.shape);
}
