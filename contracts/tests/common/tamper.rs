//! The tampering every generated Groth16-family verifier must answer
//! `false` to (`verifier.rs`, `groth16_cp.rs`).

use poa_contracts::evm::{Chain, BLOCK_GAS};
use revm::primitives::{Address, U256};

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

/// On a chain without the BN254 precompiles (calls there succeed with no
/// answer) the verifier made by `creation` refuses the honest proof `pb`
/// of `words`, and the same proof with `A = (1, 2)`: without the checks of
/// each answer's size the pairing's "answer" would be the memory it was
/// given, whose first word is `A.x`, so that proof would pass. Twice: with
/// all three missing (the first ecMul's check refuses), and with only the
/// pairing missing (its own check must refuse).
pub fn refused_without_precompiles(creation: &[u8], pb: &[u8], words: [U256; 5]) {
    let mut generator_a = pb.to_vec();
    generator_a[..64].fill(0);
    generator_a[31] = 1;
    generator_a[63] = 2;
    for (chain, mut bare) in [
        ("no 0x06-0x08", Chain::without_bn254_precompiles()),
        ("no 0x08", Chain::without_pairing_precompile()),
    ] {
        let me = Address::with_last_byte(0xaa);
        let verifier = bare.deploy(me, "verifier", creation.to_vec()).unwrap();
        for (name, proof) in [("honest", pb), ("A = (1, 2)", &generator_a[..])] {
            let (ok, _) = bare
                .verify_proof(me, verifier, proof, words, BLOCK_GAS)
                .unwrap();
            assert_eq!(ok, Some(false), "{name} proof, {chain}");
        }
    }
}
