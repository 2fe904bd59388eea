//! The tampering every generated Groth16-family verifier must answer
//! `false` to (`verifier.rs`, `groth16_cp.rs`).

use revm::primitives::U256;

/// `check(proof, inputs)` is the verifier's answer (asserting no revert);
/// `pb` an honest proof of `words` whose first `coordinates` words are
/// curve coordinates. Each input with its low bit flipped, input 2 plus
/// `r` (the classic unreduced-input forgery) and each coordinate plus `q`
/// (non-canonical, caught by the contract or by the precompiles) are
/// answered `false`.
pub fn rejects_tampering(
    check: &mut dyn FnMut(&[u8], [U256; 5]) -> bool,
    pb: &[u8],
    words: [U256; 5],
    coordinates: usize,
) {
    for i in 0..5 {
        let mut bad = words;
        bad[i] ^= U256::from(1);
        assert!(!check(pb, bad), "input {i} tampered");
    }
    let r = U256::from_be_slice(&poa_circuits::field::modulus().to_bytes_be());
    let mut unreduced = words;
    unreduced[2] += r;
    assert!(!check(pb, unreduced), "input >= r accepted");
    // BN254's base field modulus.
    let q: U256 = "21888242871839275222246405745257275088696311157297823662689037894645226208583"
        .parse()
        .unwrap();
    for i in 0..coordinates {
        let mut bad = pb.to_vec();
        let v = U256::from_be_slice(&pb[32 * i..32 * i + 32]) + q;
        bad[32 * i..32 * i + 32].copy_from_slice(&v.to_be_bytes::<32>());
        assert!(!check(&bad, words), "coordinate {i} + q accepted");
    }
}
