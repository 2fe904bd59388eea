//! The generated Solidity verifier on an in-process EVM (revm) with real
//! proofs: honest proofs verify within the gas budget; tampered inputs,
//! inputs ≥ r and tampered proofs return false. Needs the pinned solc
//! (`npm ci --prefix contracts`, which `scripts/test.sh` runs).

use std::path::PathBuf;
use std::process::Command;

use poa_circuits::field::fr_to_be_bytes;
use poa_prover::groth16::{prove, setup_insecure};
use poa_verifier::solidity::{proof_bytes, Groth16Template, INTERFACE};
use revm::db::{CacheDB, EmptyDB};
use revm::primitives::{Address, Bytes, ExecutionResult, Output, SpecId, TxKind, U256};
use revm::Evm;
use sha3::{Digest, Keccak256};

fn contracts_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../contracts")
}

/// Compiles `sources` with the pinned solc; returns (name → creation code).
fn compile(dir: &std::path::Path, sources: &[(&str, &str)]) -> serde_json::Value {
    assert!(
        contracts_dir().join("node_modules/solc").exists(),
        "solc is not installed: run `npm ci --prefix contracts` (scripts/test.sh does)"
    );
    let mut files = Vec::new();
    for (name, text) in sources {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        files.push(p);
    }
    let out = dir.join("out.json");
    let o = Command::new("node")
        .arg(contracts_dir().join("compile.js"))
        .arg(&out)
        .args(&files)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "solc: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

fn hex_bytes(v: &serde_json::Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap().trim_start_matches("0x")).unwrap()
}

struct Chain {
    evm: Evm<'static, (), CacheDB<EmptyDB>>,
}

impl Chain {
    fn new() -> Self {
        let evm = Evm::builder()
            .with_db(CacheDB::new(EmptyDB::default()))
            .with_spec_id(SpecId::CANCUN)
            .build();
        Chain { evm }
    }

    fn transact(&mut self, to: TxKind, data: Vec<u8>) -> ExecutionResult {
        let tx = self.evm.tx_mut();
        tx.caller = Address::with_last_byte(0xaa);
        tx.transact_to = to;
        tx.data = Bytes::from(data);
        tx.value = U256::ZERO;
        tx.gas_limit = 30_000_000;
        tx.gas_price = U256::ZERO;
        tx.nonce = None;
        self.evm.transact_commit().unwrap()
    }

    fn deploy(&mut self, code: Vec<u8>) -> Address {
        match self.transact(TxKind::Create, code) {
            ExecutionResult::Success {
                output: Output::Create(_, Some(addr)),
                ..
            } => addr,
            other => panic!("deployment failed: {other:?}"),
        }
    }

    /// Calls and returns (output, gas used by execution, calldata and base cost excluded).
    fn call(&mut self, to: Address, data: Vec<u8>) -> (Vec<u8>, u64) {
        let intrinsic = 21_000
            + data
                .iter()
                .map(|&b| if b == 0 { 4 } else { 16 })
                .sum::<u64>();
        match self.transact(TxKind::Call(to), data) {
            ExecutionResult::Success {
                output, gas_used, ..
            } => (output.into_data().to_vec(), gas_used - intrinsic),
            other => panic!("call failed: {other:?}"),
        }
    }
}

fn selector(signature: &str) -> [u8; 4] {
    let h = Keccak256::digest(signature.as_bytes());
    [h[0], h[1], h[2], h[3]]
}

/// `verifyProof(bytes, uint256[5])` calldata.
fn verify_call(proof: &[u8], inputs: &[[u8; 32]; 5]) -> Vec<u8> {
    let mut data = selector("verifyProof(bytes,uint256[5])").to_vec();
    let word = |x: u64| {
        let mut w = [0u8; 32];
        w[24..].copy_from_slice(&x.to_be_bytes());
        w
    };
    data.extend_from_slice(&word(32 * 6)); // offset of `proof`
    for i in inputs {
        data.extend_from_slice(i);
    }
    data.extend_from_slice(&word(proof.len() as u64));
    data.extend_from_slice(proof);
    while (data.len() - 4) % 32 != 0 {
        data.push(0);
    }
    data
}

fn is_true(out: &[u8]) -> bool {
    out.len() == 32 && out[31] == 1 && out[..31].iter().all(|&b| b == 0)
}

#[test]
fn generated_verifier_checks_real_proofs_on_revm() {
    let dir = std::env::temp_dir().join(format!("poa-evm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    let keys = setup_insecure(epoch.shape, Some([5; 32])).unwrap();
    let (proof, inputs, _) = prove(&keys.pk, epoch).unwrap();
    let source = Groth16Template::new(&keys.vk.vk, "4x5".into(), "0x".into()).render();
    let built = compile(
        &dir,
        &[
            ("IPoaVerifier.sol", INTERFACE),
            ("PoaGroth16Verifier.sol", &source),
        ],
    );
    let code = hex_bytes(&built["PoaGroth16Verifier"]["bytecode"]);
    let runtime = hex_bytes(&built["PoaGroth16Verifier"]["deployedBytecode"]);
    assert!(
        runtime.len() <= 24_576,
        "runtime code {} bytes exceeds EIP-170",
        runtime.len()
    );
    assert!(!has_push0(&runtime), "PUSH0 in a paris build");

    let mut chain = Chain::new();
    let verifier = chain.deploy(code);
    let words: [[u8; 32]; 5] = inputs.map(|x| fr_to_be_bytes(&x));
    let pb = proof_bytes(&proof);

    let (out, gas) = chain.call(verifier, verify_call(&pb, &words));
    assert!(is_true(&out), "honest proof rejected on chain");
    println!("gas: verifyProof execution {gas} (precompiles alone 211,750)");
    assert!(gas <= 220_000, "verifyProof used {gas} gas");

    // Each public input + 1: false.
    for i in 0..5 {
        let mut bad = words;
        bad[i][31] ^= 1;
        assert!(
            !is_true(&chain.call(verifier, verify_call(&pb, &bad)).0),
            "input {i} tampered"
        );
    }
    // An input ≥ r (the honest one + r, the classic unreduced-input forgery): false.
    let r = poa_circuits::field::modulus();
    let mut unreduced = words;
    let v = num_bigint::BigUint::from_bytes_be(&words[2]) + &r;
    let b = v.to_bytes_be();
    unreduced[2] = [0u8; 32];
    unreduced[2][32 - b.len()..].copy_from_slice(&b);
    assert!(
        !is_true(&chain.call(verifier, verify_call(&pb, &unreduced)).0),
        "input >= r accepted"
    );
    // Proof bytes: B's coordinates in real-first order (the classic EVM
    // mistake), A and C swapped, a short proof: false, never a revert.
    let mut real_first = pb.clone();
    for (im, re) in [(64, 96), (128, 160)] {
        real_first[im..im + 32].copy_from_slice(&pb[re..re + 32]);
        real_first[re..re + 32].copy_from_slice(&pb[im..im + 32]);
    }
    assert!(
        !is_true(&chain.call(verifier, verify_call(&real_first, &words)).0),
        "G2 order"
    );
    let mut swapped = pb.clone();
    swapped[..64].copy_from_slice(&pb[192..]);
    swapped[192..].copy_from_slice(&pb[..64]);
    assert!(
        !is_true(&chain.call(verifier, verify_call(&swapped, &words)).0),
        "A and C swapped"
    );
    assert!(
        !is_true(&chain.call(verifier, verify_call(&pb[..224], &words)).0),
        "short proof"
    );
}

/// Whether PUSH0 (0x5f) occurs as an opcode (not inside PUSH data nor in
/// the CBOR metadata solc appends, whose length is in the last two bytes).
fn has_push0(code: &[u8]) -> bool {
    let meta = code.len().checked_sub(2).map_or(0, |n| {
        u16::from_be_bytes([code[n], code[n + 1]]) as usize + 2
    });
    let code = &code[..code.len().saturating_sub(meta)];
    let mut i = 0;
    while i < code.len() {
        let op = code[i];
        if op == 0x5f {
            return true;
        }
        i += 1 + if (0x60..=0x7f).contains(&op) {
            (op - 0x5f) as usize
        } else {
            0
        };
    }
    false
}
