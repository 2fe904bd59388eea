//! Production Groth16 keys: a phase-1 `.ptau`, a three-party phase 2 with
//! a beacon (`poa ceremony`), its keys proving, verified natively and by
//! snarkjs, and settling an epoch through `AttributionSettlement` on revm;
//! snarkjs on both sides: `snarkjs zkey verify` audits our ceremony, and a
//! snarkjs phase 2 on `poa export r1cs`'s circuit is imported and proves.
//! Each accepted case has its refused twin: a tampered contribution, a
//! corrupted, too small or wrong-curve `.ptau`, a `.zkey` for another
//! circuit, a proof under another key on chain.
//!
//! The phase-1 files are written with a known τ
//! (`ceremony::insecure_ptau`, snarkjs's prepared format with a genuine
//! contribution record, cross-checked here by `snarkjs powersoftau
//! verify`), so no test downloads one and none waits for `snarkjs
//! powersoftau prepare phase2`. snarkjs (npm, pinned in
//! `contracts/package.json`) is required unless `POA_SKIP_SNARKJS=1`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use alloy_sol_types::SolError;
use ark_bn254::{Fr, G1Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup};
use ark_ff::{BigInteger, Field, PrimeField, UniformRand};
use common::{
    arg, ceremony_verify, contribute_then_beacon, lists_contributions_then_a_beacon, poa, snarkjs,
    write_ptau_tau,
};
use num_bigint::BigUint;
use poa_circuits::field::fr_to_be_bytes;
use poa_circuits::public::Context;
use poa_contracts::abi::IAttributionSettlement as S;
use poa_contracts::build::compile_settlement;
use poa_contracts::evm::Chain;
use poa_contracts::settlement::{
    committed_fees, require, revert_reason, Deployment, ModelTerms, Settlement,
};
use poa_prover::groth16::ceremony::zkey::Zkey;
use poa_prover::groth16::ceremony::{files, verify, Error};
use poa_prover::groth16::ProvingKeyFile;
use poa_verifier::solidity::proof_bytes;
use rand_chacha::rand_core::SeedableRng;
use revm::primitives::{Address, U256};

const SHAPE: &str = "2x16";

fn sj(bin: &Path, args: &[&str]) -> Output {
    Command::new(bin).args(args).output().unwrap()
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\n{}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("poa-ceremony-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A test's folder and its prepared 2^13 phase 1 (`pot13.ptau`, τ, α, β
/// from `seed`): what every ceremony scenario starts from.
struct Scene {
    d: PathBuf,
    ptau: PathBuf,
}

impl Scene {
    fn new(tag: &str, seed: u64) -> Self {
        let d = dir(tag);
        let ptau = d.join("pot13.ptau");
        write_ptau(&ptau, 13, seed);
        Scene { d, ptau }
    }

    /// `poa ceremony init` of [`SHAPE`] from this phase 1 (`--verify-ptau
    /// CHECK`); must succeed.
    fn init(&self, out: &Path, check: &str) {
        ok(&init(&self.ptau, out, check));
    }

    /// `poa ceremony finalize` of `state` into `out`.
    fn finalize(&self, state: &Path, out: &Path) -> Output {
        poa(&[
            "ceremony",
            "finalize",
            "--ptau",
            arg(&self.ptau),
            "--in",
            arg(state),
            "--out",
            arg(out),
        ])
    }
}

impl Drop for Scene {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.d);
        }
    }
}

/// `poa ceremony init --ptau PTAU --shape SHAPE --out OUT --verify-ptau CHECK`.
fn init(ptau: &Path, out: &Path, check: &str) -> Output {
    poa(&[
        "ceremony",
        "init",
        "--ptau",
        arg(ptau),
        "--shape",
        SHAPE,
        "--out",
        arg(out),
        "--verify-ptau",
        check,
    ])
}

/// `poa ceremony export-zkey` of `state` to `zkey`; must succeed.
fn export_zkey(state: &Path, zkey: &Path) {
    ok(&poa(&[
        "ceremony",
        "export-zkey",
        "--in",
        arg(state),
        "--out",
        arg(zkey),
    ]));
}

/// The setup record (`groth16.json`) in `params`.
fn record(params: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(params.join("groth16.json")).unwrap()).unwrap()
}

/// The `extremes` vector's epoch (the [`SHAPE`] one), written to `dir/epoch.json`.
fn extremes_epoch(dir: &Path) -> PathBuf {
    let epoch = poa_circuits::vectors::statement_epoch("extremes").unwrap();
    assert_eq!(epoch.shape.to_string(), SHAPE);
    let path = dir.join("epoch.json");
    let file = poa_circuits::formats::EpochFile::from_epoch(&epoch);
    std::fs::write(&path, poa_circuits::formats::pretty(&file)).unwrap();
    path
}

/// A prepared `.ptau` of `power` for a random τ, α, β (seeded), in
/// snarkjs's format (see `poa_prover::groth16::ceremony::insecure_ptau`).
fn write_ptau(path: &Path, power: u32, seed: u64) {
    write_ptau_with(path, power, seed, true)
}

/// [`write_ptau`], prepared or not.
fn write_ptau_with(path: &Path, power: u32, seed: u64, prepared: bool) {
    write_ptau_tau(path, power, seed, prepared, None)
}

/// The test's phase-1 writer cross-checked: `snarkjs powersoftau verify`
/// accepts its file (the contribution record, the powers, the prepared
/// Lagrange sections), and refuses it with τ^5·G1 replaced by another
/// point of the curve.
fn snarkjs_verifies_our_ptau_and_refuses_it_altered(snarkjs: &Path, d: &Path, ptau: &Path) {
    let o = sj(snarkjs, &["powersoftau", "verify", arg(ptau)]);
    ok(&o);
    assert!(common::printed(&o).contains("Powers of Tau Ok!"));
    let mut bytes = std::fs::read(ptau).unwrap();
    let mut g = Vec::new();
    poa_prover::groth16::ceremony::points::g1_lem(&G1Affine::generator(), &mut g);
    bytes[TAU_G1 + 5 * 64..TAU_G1 + 6 * 64].copy_from_slice(&g);
    let altered = d.join("altered.ptau");
    std::fs::write(&altered, &bytes).unwrap();
    let o = sj(snarkjs, &["powersoftau", "verify", arg(&altered)]);
    let out = common::printed(&o);
    assert!(
        !o.status.success() && out.contains("tauG1 section. Powers do not match"),
        "snarkjs: {out}"
    );
}

/// The offset of `τ^0·G1` in a `.ptau` from [`write_ptau`]: the file
/// header, section 1, section 2's header.
const TAU_G1: usize = 12 + (12 + 4 + 32 + 4 + 4) + 12;

/// `poa attribute`, `poa prove` and `poa verify` of the extremes vector with
/// the keys in `params`; then `snarkjs groth16 verify` of the exported proof.
fn prove_and_verify_both(dir: &Path, params: &Path, snarkjs: Option<&Path>) {
    let epoch = extremes_epoch(dir);
    let (claim, proof) = (dir.join("claim.json"), dir.join("proof.json"));
    ok(&poa(&[
        "attribute",
        "--epoch",
        arg(&epoch),
        "--out",
        arg(&claim),
    ]));
    let o = poa(&[
        "prove",
        "--params",
        arg(params),
        "--epoch",
        arg(&epoch),
        "--out",
        arg(&proof),
    ]);
    ok(&o);
    let o = poa(&[
        "verify",
        "--params",
        arg(params),
        "--claim",
        arg(&claim),
        "--proof",
        arg(&proof),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let Some(snarkjs) = snarkjs else { return };
    let out = dir.join("sj");
    ok(&poa(&[
        "export",
        "snarkjs",
        "--params",
        arg(params),
        "--claim",
        arg(&claim),
        "--proof",
        arg(&proof),
        "--out",
        arg(&out),
    ]));
    let check = |public: &str| {
        sj(
            snarkjs,
            &[
                "groth16",
                "verify",
                arg(&out.join("verification_key.json")),
                arg(&out.join(public)),
                arg(&out.join("proof.json")),
            ],
        )
        .status
        .success()
    };
    assert!(check("public.json"), "snarkjs rejected the proof");
    // Its twin: one public input moved.
    let mut public: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(out.join("public.json")).unwrap()).unwrap();
    let x: num_bigint::BigUint = public[2].parse().unwrap();
    public[2] = (x + 1u32).to_string();
    std::fs::write(
        out.join("bad.json"),
        serde_json::to_string(&public).unwrap(),
    )
    .unwrap();
    assert!(!check("bad.json"), "snarkjs accepted a moved pool");
}

/// The `extremes` epoch settled through `AttributionSettlement` on revm,
/// checked by the verifier `poa export-verifier` writes from the keys in
/// `params`. Its twin first: a valid proof of the same epoch under another
/// key (an insecure single-party setup) reverts with `InvalidProof`.
fn settles_on_revm(dir: &Path, params: &Path) {
    let sol = dir.join("PoaGroth16Verifier.sol");
    ok(&poa(&[
        "export-verifier",
        "--params",
        arg(params),
        "--out",
        arg(&sol),
    ]));
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let (interface, verifier) = (read("IPoaVerifier.sol"), read("PoaGroth16Verifier.sol"));
    let artifacts = compile_settlement(
        &dir.join("solc"),
        &[
            ("IPoaVerifier.sol", &interface),
            ("PoaGroth16Verifier.sol", &verifier),
        ],
    )
    .unwrap();
    let mut chain = Chain::new();
    let deployer = Address::with_last_byte(0xd0);
    let d = Deployment::deploy(&mut chain, &artifacts, deployer, 1).unwrap();
    let code = artifacts["PoaGroth16Verifier"].bytecode.clone();
    let verifier = chain.deploy(deployer, "verifier", code).unwrap();
    let mut epoch = poa_circuits::vectors::statement_epoch("extremes").unwrap();
    let u256 = |x: &Fr| U256::from_be_bytes(fr_to_be_bytes(x));
    let ids: Vec<U256> = epoch
        .participants
        .iter()
        .map(|p| u256(&p.dataset))
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let owner = Address::with_last_byte(0xa0 + i as u8);
        let r = d.register_dataset(&mut chain, owner, *id, true, 0, [i as u8 + 1; 32]);
        require(r.unwrap(), "register").unwrap();
    }
    d.pass_challenge_window(&mut chain);
    let trainer = Address::with_last_byte(0x70);
    let terms = ModelTerms {
        verifier,
        slots: epoch.shape.slots as u32,
        developer_bps: 1_000,
        compute_provider: Address::ZERO,
        compute_bps: 0,
        token: Address::ZERO,
        epoch_duration: 7 * 24 * 3600,
        settle_window: 7 * 24 * 3600,
    };
    let model = d.register_model(&mut chain, trainer, &terms).unwrap();
    // Commit, one deposit, close an hour later (`MIN_OPEN`): the pool freezes.
    let att = epoch.attribute().unwrap();
    let (q, v, number) = (
        u256(&att.root),
        u256(&att.validation_commitment),
        U256::from(1),
    );
    let zero_fees = vec![U256::ZERO; ids.len()];
    let r = d.commit_epoch(&mut chain, trainer, model, number, q, v, &ids, &zero_fees);
    let fees = committed_fees(&require(r.unwrap(), "commitEpoch").unwrap()).unwrap();
    let (payer, revenue) = (Address::with_last_byte(0x90), U256::from(10u128.pow(19)));
    chain.fund(payer, revenue);
    let r = d.deposit(&mut chain, payer, model, revenue, revenue);
    require(r.unwrap(), "deposit").unwrap();
    chain.warp(3600);
    require(d.close(&mut chain, trainer, model).unwrap(), "close").unwrap();
    let pool = d.pool(&mut chain, model, number).unwrap();
    assert!(pool.ok);
    // The statement for this chain, contract, model, epoch and pool.
    epoch.pool = pool.pool.to::<u128>();
    epoch.ctx = Context {
        chain_id: BigUint::from(chain.chain_id()),
        verifier: BigUint::from_bytes_be(d.settlement.as_slice()),
        model_id: BigUint::from_bytes_be(&model.to_be_bytes::<32>()),
        epoch: BigUint::from(1u64),
    };
    let payouts = epoch.attribute().unwrap().split.payouts;
    let settlement = |pk: &ProvingKeyFile| {
        let (proof, _, _) = poa_prover::groth16::prove(pk, epoch.clone()).unwrap();
        Settlement {
            model,
            epoch: number,
            q,
            v,
            ids: ids.clone(),
            fees: fees.clone(),
            payouts: payouts.iter().map(|&a| U256::from(a)).collect(),
            proof: proof_bytes(&proof),
        }
    };
    let other = poa_prover::groth16::setup_insecure(epoch.shape, Some([9; 32])).unwrap();
    let r = d
        .settle(&mut chain, trainer, &settlement(&other.pk))
        .unwrap();
    assert!(!r.success, "a proof under another key settled");
    assert!(
        S::InvalidProof::abi_decode(&r.output, true).is_ok(),
        "{}",
        revert_reason(&r.output)
    );
    let pk = ProvingKeyFile::read(&params.join("groth16.pk")).unwrap();
    let r = d.settle(&mut chain, trainer, &settlement(&pk)).unwrap();
    assert!(r.success, "settle reverted: {}", revert_reason(&r.output));
}

#[test]
fn three_party_ceremony_with_beacon_finalizes_proves_settles_and_passes_snarkjs_zkey_verify() {
    let snarkjs = snarkjs();
    let s = Scene::new("mpc", 1);
    let (d, ptau) = (&s.d, &s.ptau);
    if let Some(snarkjs) = &snarkjs {
        snarkjs_verifies_our_ptau_and_refuses_it_altered(snarkjs, d, ptau);
    }
    let c = |i: usize| d.join(format!("c{i}.ceremony"));
    s.init(&c(0), "full");
    let hashes = contribute_then_beacon(
        &c,
        &["alice", "bob", "carol"],
        "0x00000000000000000001a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7",
    );
    let (o, j) = ceremony_verify(ptau, &c(4));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    lists_contributions_then_a_beacon(&j, &hashes);

    let params = d.join("params");
    ok(&s.finalize(&c(4), &params));
    let record = record(&params);
    assert_eq!(record["ceremony"]["contributions"], 4);
    assert!(record.get("insecure").is_none());
    prove_and_verify_both(d, &params, snarkjs.as_deref());
    settles_on_revm(d, &params);

    // Tampered transcripts (library level: one initial state for all).
    let (_, init) = files::read_state(&c(0)).unwrap();
    let (_, last) = files::read_state(&c(4)).unwrap();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
    assert_eq!(
        verify::verify(&last, &init, &c(4), &mut rng).unwrap().len(),
        4
    );
    // δ changed without a proof: bob's δ doubled, and everything after
    // rescaled to match, as a forger who knew δ would.
    let mut forged = last.clone();
    let two = Fr::from(2u64);
    forged.contributions[1].delta_after = (forged.contributions[1].delta_after * two).into_affine();
    let e = verify::verify(&forged, &init, &c(4), &mut rng).unwrap_err();
    assert!(
        matches!(&e, Error::Contribution { index: 2, name: Some(n), .. } if n == "bob"),
        "{e}"
    );
    assert!(e.to_string().contains("contribution #2 (bob)"), "{e}");
    // A broken hash chain: alice's transcript hash altered.
    let mut broken = last.clone();
    broken.contributions[0].transcript[5] ^= 1;
    let e = verify::verify(&broken, &init, &c(4), &mut rng).unwrap_err();
    assert!(matches!(&e, Error::Contribution { index: 1, .. }), "{e}");
    assert!(e.to_string().contains("hash chain"), "{e}");
    // L scaled by a δ no contribution accounts for.
    let mut rescaled = last.clone();
    rescaled.l[3] = (rescaled.l[3] * two).into_affine();
    let e = verify::verify(&rescaled, &init, &c(4), &mut rng).unwrap_err();
    assert!(e.to_string().contains("L (section 8)"), "{e}");
    // `verify`'s recomputation takes A, B1 and B2 from the state once
    // random linear combinations match phase 1: the same initial
    // parameters, circuit hash included...
    let shape = SHAPE.parse().unwrap();
    let again = files::initial_for(ptau, shape, None, &last, &c(4)).unwrap();
    assert_eq!(again.cs_hash, init.cs_hash);
    assert!(
        again.a == init.a && again.b_g2 == init.b_g2 && again.l == init.l && again.ic == init.ic
    );
    // ...and a state with one point of A, B1 or B2 changed is refused,
    // naming the section.
    fn double<P: AffineRepr>(v: &mut [P]) {
        let i = v.iter().position(|p| !p.is_zero()).unwrap();
        v[i] = (v[i] + v[i]).into();
    }
    type Change = fn(&mut Zkey);
    for (what, change) in [
        ("A (section 5)", (|z| double(&mut z.a)) as Change),
        ("B1 (section 6)", |z| double(&mut z.b_g1)),
        ("B2 (section 7)", |z| double(&mut z.b_g2)),
    ] {
        let mut changed = last.clone();
        change(&mut changed);
        let e = files::initial_for(ptau, shape, None, &changed, &c(4)).unwrap_err();
        assert!(e.to_string().contains(what), "{what}: {e}");
    }
    // Through the CLI: the forged state is refused (exit 1), naming bob.
    let bad = d.join("forged.ceremony");
    files::write_state(&bad, SHAPE.parse().unwrap(), &forged).unwrap();
    let (o, j) = ceremony_verify(ptau, &bad);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        j["reason"]
            .as_str()
            .unwrap()
            .contains("contribution #2 (bob)"),
        "{j}"
    );
    // finalize refuses it and writes nothing.
    let none = d.join("no-params");
    let o = s.finalize(&bad, &none);
    assert_eq!(o.status.code(), Some(1));
    assert!(!none.join("groth16.pk").exists());

    // snarkjs audits our transcript, and refuses the forged one.
    let Some(snarkjs) = snarkjs else { return };
    let r1cs = d.join("circuit.r1cs");
    ok(&poa(&[
        "export",
        "r1cs",
        "--shape",
        SHAPE,
        "--out",
        arg(&r1cs),
    ]));
    let zkey = d.join("ours.zkey");
    export_zkey(&c(4), &zkey);
    let o = sj(
        &snarkjs,
        &["zkey", "verify", arg(&r1cs), arg(ptau), arg(&zkey)],
    );
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stdout).contains("ZKey Ok!"));
    // The twin, from our initial state (`zkey verify init`, which checks the
    // contributions before anything costly).
    let (c0, forged_zkey) = (d.join("c0.zkey"), d.join("forged.zkey"));
    export_zkey(&c(0), &c0);
    std::fs::write(&forged_zkey, forged.to_bytes()).unwrap();
    let o = sj(&snarkjs, &["zkvi", arg(&c0), arg(ptau), arg(&forged_zkey)]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        !out.contains("ZKey Ok!") && out.contains("INVALID(1)"),
        "snarkjs: {out}"
    );
}

#[test]
fn snarkjs_phase_two_on_the_exported_r1cs_imports_and_proves() {
    let Some(snarkjs) = snarkjs() else { return };
    let s = Scene::new("import", 2);
    let (d, ptau) = (&s.d, &s.ptau);
    let r1cs = d.join("circuit.r1cs");
    ok(&poa(&[
        "export",
        "r1cs",
        "--shape",
        SHAPE,
        "--out",
        arg(&r1cs),
    ]));
    let o = sj(&snarkjs, &["r1cs", "info", arg(&r1cs)]);
    ok(&o);
    let info = String::from_utf8_lossy(&o.stdout);
    let count = poa_circuits::r1cs::circuit::constraint_count(SHAPE.parse().unwrap());
    assert!(
        info.contains(&format!("# of Constraints: {count}")),
        "{info}"
    );
    assert!(info.contains("# of Public Inputs: 5"), "{info}");
    let z = |i: usize| d.join(format!("z{i}.zkey"));
    ok(&sj(
        &snarkjs,
        &["zkey", "new", arg(&r1cs), arg(ptau), arg(&z(0))],
    ));
    ok(&sj(
        &snarkjs,
        &[
            "zkey",
            "contribute",
            arg(&z(0)),
            arg(&z(1)),
            "--name=dave",
            "-e=entropy",
        ],
    ));
    ok(&sj(
        &snarkjs,
        &[
            "zkey",
            "beacon",
            arg(&z(1)),
            arg(&z(2)),
            "0a0b0c0d",
            "10",
            "-n=end",
        ],
    ));
    let params = d.join("params");
    let o = poa(&[
        "import",
        "zkey",
        arg(&z(2)),
        "--shape",
        SHAPE,
        "--ptau",
        arg(ptau),
        "--out",
        arg(&params),
    ]);
    ok(&o);
    let record = record(&params);
    assert!(record.get("insecure").is_none(), "{record}");
    assert_eq!(record["ceremony"]["verifiedAgainstPhase1"], true);
    prove_and_verify_both(d, &params, Some(&snarkjs));

    // The twins: a key for another shape, and one for another circuit of the
    // same size (one coefficient changed).
    let o = poa(&[
        "import",
        "zkey",
        arg(&z(2)),
        "--shape",
        "4x5",
        "--ptau",
        arg(ptau),
        "--out",
        arg(&d.join("p2")),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("z2.zkey") && err.contains("not a key for this circuit"),
        "{err}"
    );
    assert!(!d.join("p2").join("groth16.pk").exists());
    let mut other = poa_prover::groth16::ceremony::zkey::Zkey::read(&z(2)).unwrap();
    other.coefs[100].value += Fr::ONE;
    std::fs::write(z(3), other.to_bytes()).unwrap();
    let o = poa(&[
        "import",
        "zkey",
        arg(&z(3)),
        "--shape",
        SHAPE,
        "--ptau",
        arg(ptau),
        "--out",
        arg(&d.join("p3")),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("coefficient 100"), "{err}");
    assert!(!d.join("p3").join("groth16.pk").exists());
}

#[test]
fn bad_ptau_files_are_refused_by_name() {
    let d = dir("ptau");
    let init = |ptau: &Path, check: &str| init(ptau, &d.join("c0"), check);
    let refused = |o: &Output, what: &[&str]| {
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let err = String::from_utf8_lossy(&o.stderr);
        for w in what {
            assert!(err.contains(w), "`{w}` not in: {err}");
        }
        assert!(!d.join("c0").exists(), "a state was written");
    };
    // Too small: 2x16 needs 2^13.
    let small = d.join("pot12.ptau");
    write_ptau(&small, 12, 3);
    refused(&init(&small, "none"), &["pot12.ptau", "2^12", "2^13"]);
    // Corrupted: a byte of τ^5·G1 flipped.
    let good = d.join("pot13.ptau");
    write_ptau(&good, 13, 4);
    let mut bytes = std::fs::read(&good).unwrap();
    let tau_g1 = TAU_G1;
    bytes[tau_g1 + 5 * 64 + 7] ^= 0x10;
    let corrupt = d.join("corrupt.ptau");
    std::fs::write(&corrupt, &bytes).unwrap();
    refused(
        &init(&corrupt, "none"),
        &["corrupt.ptau", "section 2 (tauG1)[5]", "not a point"],
    );
    // Truncated.
    std::fs::write(&corrupt, &bytes[..bytes.len() / 2]).unwrap();
    refused(&init(&corrupt, "none"), &["corrupt.ptau", "truncated"]);
    // Valid points, wrong powers: τ^5·G1 replaced by the generator, caught
    // by the pairing checks (in a file that is not prepared: in a prepared
    // one the Lagrange sections no longer match and are refused first).
    let unprepared = d.join("unprepared.ptau");
    write_ptau_with(&unprepared, 13, 5, false);
    let mut bytes = std::fs::read(&unprepared).unwrap();
    let mut g = Vec::new();
    poa_prover::groth16::ceremony::points::g1_lem(&G1Affine::generator(), &mut g);
    bytes[tau_g1 + 5 * 64..tau_g1 + 6 * 64].copy_from_slice(&g);
    let inconsistent = d.join("inconsistent.ptau");
    std::fs::write(&inconsistent, &bytes).unwrap();
    refused(
        &init(&inconsistent, "full"),
        &["inconsistent.ptau", "phase 1 is inconsistent", "tauG1"],
    );
    // Wrong curve: BLS12-381's prime in the header.
    let bytes = std::fs::read(&good).unwrap();
    let bls = num_bigint::BigUint::parse_bytes(
        b"1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
        16,
    )
    .unwrap()
    .to_bytes_le();
    let mut header = 48u32.to_le_bytes().to_vec();
    header.extend_from_slice(&bls);
    header.extend_from_slice(&13u32.to_le_bytes());
    header.extend_from_slice(&13u32.to_le_bytes());
    let mut wrong = bytes[..12].to_vec();
    wrong.extend_from_slice(&1u32.to_le_bytes());
    wrong.extend_from_slice(&(header.len() as u64).to_le_bytes());
    wrong.extend_from_slice(&header);
    wrong.extend_from_slice(&bytes[12 + 12 + 44..]);
    let bls_ptau = d.join("bls.ptau");
    std::fs::write(&bls_ptau, &wrong).unwrap();
    refused(&init(&bls_ptau, "none"), &["bls.ptau", "not BN254"]);
    // Not a ptau at all.
    refused(
        &init(&d.join("pot12.ptau").with_extension("none"), "none"),
        &["none"],
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn halo2_srs_from_a_ptau_is_the_srs_of_the_same_tau() {
    use halo2_proofs::halo2curves::bn256::{self, Fr as HFr, G2Affine as HG2, G1, G2};
    use halo2_proofs::halo2curves::ff::{Field as _, PrimeField as _};
    use halo2_proofs::halo2curves::group::Curve;
    use halo2_proofs::poly::kzg::commitment::ParamsKZG;
    let d = dir("halo2");
    // A small k keeps it cheap (a shape's k is larger; the code is the same).
    let k = 10;
    let ptau = d.join("pot.ptau");
    write_ptau_with(&ptau, k, 6, false);
    // The same τ, as halo2 raw params (what `--srs` loads).
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(6);
    let tau = Fr::rand(&mut rng);
    let tau_h = HFr::from_repr(tau.into_bigint().to_bytes_le().try_into().unwrap()).unwrap();
    let mut g = Vec::new();
    let mut x = HFr::ONE;
    for _ in 0..1usize << k {
        g.push((G1::generator() * x).to_affine());
        x *= tau_h;
    }
    let s_g2 = (G2::generator() * tau_h).to_affine();
    let params = ParamsKZG::<bn256::Bn256>::setup(1, rand_chacha::ChaCha20Rng::seed_from_u64(0))
        .from_parts(k, g, None, HG2::generator(), s_g2);
    let raw = d.join("kzg.srs");
    poa_prover::halo2::write_srs(&raw, &params).unwrap();
    let from_ptau = poa_prover::halo2::srs_from_ptau(&ptau, k).unwrap();
    let from_srs = poa_prover::halo2::read_srs(&raw, k).unwrap();
    let bytes = |p: &ParamsKZG<bn256::Bn256>| {
        let mut b = Vec::new();
        p.write_custom(&mut b, halo2_proofs::SerdeFormat::RawBytes)
            .unwrap();
        b
    };
    assert!(
        bytes(&from_ptau) == bytes(&from_srs),
        "the SRS from the .ptau differs"
    );
    // Twins: a ptau too small for k, and a τ·G2 of another τ.
    let small = d.join("small.ptau");
    write_ptau_with(&small, k - 1, 6, false);
    let e = poa_prover::halo2::srs_from_ptau(&small, k)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("small.ptau") && e.contains(&format!("2^{k}")),
        "{e}"
    );
    let mut bytes = std::fs::read(&ptau).unwrap();
    let tau_g2 = 12 + 56 + 12 + ((2usize << k) - 1) * 64 + 12;
    let mut other = Vec::new();
    poa_prover::groth16::ceremony::points::g2_lem(
        &(G2Projective::generator() * Fr::from(3u64)).into_affine(),
        &mut other,
    );
    bytes[tau_g2 + 128..tau_g2 + 256].copy_from_slice(&other);
    std::fs::write(&small, &bytes).unwrap();
    let e = poa_prover::halo2::srs_from_ptau(&small, k)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("small.ptau") && e.contains("not the powers"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

fn refused_with(o: &Output, code: i32, what: &[&str]) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(code), "{text}");
    for w in what {
        assert!(text.contains(w), "`{w}` not in: {text}");
    }
}

/// Imports a `.zkey` made by `poa ceremony export-zkey` (`extra` arguments).
fn import(zkey: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "import",
        "zkey",
        arg(zkey),
        "--shape",
        SHAPE,
        "--out",
        arg(out),
    ];
    args.extend_from_slice(extra);
    poa(&args)
}

/// The attacks on import and finalize: no --ptau, no contribution, a fake
/// contribution, only a beacon, a beacon exponent out of range.
#[test]
fn unverified_or_weak_transcripts_are_refused_or_marked_insecure() {
    let s = Scene::new("weak", 7);
    let (d, ptau) = (&s.d, &s.ptau);
    let c = |i: &str| d.join(format!("{i}.ceremony"));
    s.init(&c("c0"), "sampled");
    let export = export_zkey;
    // Zero contributions (δ = 1): refused with or without --ptau.
    let z0 = d.join("z0.zkey");
    export(&c("c0"), &z0);
    refused_with(&import(&z0, &d.join("p0"), &[]), 2, &["--ptau"]);
    refused_with(
        &import(&z0, &d.join("p0"), &["--ptau", arg(ptau)]),
        2,
        &["no phase-2 contribution"],
    );
    assert!(!d.join("p0").join("groth16.pk").exists());
    // A fake contribution appended to the initial state (δ still known):
    // its chain does not verify, even without --ptau.
    ok(&poa(&[
        "ceremony",
        "contribute",
        "--in",
        arg(&c("c0")),
        "--out",
        arg(&c("c1")),
        "--name",
        "alice",
    ]));
    let (_, good) = files::read_state(&c("c1")).unwrap();
    let (_, mut fake) = files::read_state(&c("c0")).unwrap();
    fake.contributions = good.contributions.clone();
    let zf = d.join("fake.zkey");
    std::fs::write(&zf, fake.to_bytes()).unwrap();
    refused_with(
        &import(&zf, &d.join("pf"), &["--insecure-unverified"]),
        1,
        &["INVALID"],
    );
    assert!(!d.join("pf").join("groth16.pk").exists());
    // An honest key without --ptau: refused naming --ptau; with
    // --insecure-unverified, imported marked insecure, and `prove` warns.
    let z1 = d.join("z1.zkey");
    export(&c("c1"), &z1);
    let o = import(&z1, &d.join("p1"), &[]);
    refused_with(&o, 2, &["--ptau", "--insecure-unverified"]);
    assert!(!d.join("p1").join("groth16.pk").exists());
    let p1 = d.join("p1");
    ok(&import(&z1, &p1, &["--insecure-unverified"]));
    let record = record(&p1);
    assert!(
        record["insecure"]
            .as_str()
            .unwrap()
            .contains("not verified"),
        "{record}"
    );
    let epoch = extremes_epoch(&s.d);
    let o = poa(&[
        "prove",
        "--params",
        arg(&p1),
        "--epoch",
        arg(&epoch),
        "--out",
        arg(&d.join("proof.json")),
    ]);
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stderr).contains("WARNING"));
    // With --ptau: verified, recorded with the .ptau's Blake2b-512.
    let pv = d.join("pv");
    ok(&import(&z1, &pv, &["--ptau", arg(ptau)]));
    let record = self::record(&pv);
    assert!(record.get("insecure").is_none(), "{record}");
    let h = hex::encode(files::file_hash(ptau).unwrap());
    assert_eq!(record["ceremony"]["ptauBlake2b"], h.as_str());

    // Beacon only: δ is public. finalize and import refuse it.
    let beacon = "0x0a0b0c0d";
    ok(&poa(&[
        "ceremony",
        "beacon",
        "--in",
        arg(&c("c0")),
        "--out",
        arg(&c("b1")),
        "--beacon",
        beacon,
    ]));
    let o = s.finalize(&c("b1"), &d.join("pb"));
    refused_with(&o, 2, &["only beacon"]);
    assert!(!d.join("pb").join("groth16.pk").exists());
    let zb = d.join("b1.zkey");
    export(&c("b1"), &zb);
    refused_with(
        &import(&zb, &d.join("pb"), &["--ptau", arg(ptau)]),
        2,
        &["only beacon"],
    );

    // A beacon exponent out of range (DoS): refused naming the contribution.
    let (_, mut b) = files::read_state(&c("b1")).unwrap();
    b.contributions[0].beacon.as_mut().unwrap().0 = 70;
    let ze = d.join("exp.zkey");
    std::fs::write(&ze, b.to_bytes()).unwrap();
    refused_with(
        &import(&ze, &d.join("pe"), &["--insecure-unverified"]),
        1,
        &["contribution #1", "exponent is 70"],
    );
}

/// A phase 1 with τ = 1 passes every pairing check but is public: refused.
#[test]
fn degenerate_phase_one_is_refused() {
    let d = dir("degenerate");
    let ptau = d.join("tau1.ptau");
    write_ptau_tau(&ptau, 13, 8, false, Some(Fr::ONE));
    let o = init(&ptau, &d.join("c0"), "full");
    refused_with(&o, 2, &["tau1.ptau", "τ = ±1"]);
    assert!(!d.join("c0").exists());
    let _ = std::fs::remove_dir_all(&d);
}
