//! Commit-and-prove Groth16 (`docs/groth16-cp.md`) on a small circuit with
//! logUp range checks: a valid proof verifies, and every way of breaking
//! the commitment, its proof of knowledge, the challenge or a public input
//! is rejected; two proofs of one witness have unrelated commitments.

use ark_bn254::{Fr, G1Affine};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, Field};
use ark_relations::r1cs::SynthesisError;
use num_bigint::BigUint;
use poa_circuits::r1cs::Builder;
use poa_prover::groth16_cp::{prove_with, setup_with, CpProof, CpProvingKey};
use poa_prover::rng;
use poa_verifier::groth16_cp::{challenge, verify};

const K: usize = 4;
const BITS: usize = 14;

/// `u ∈ [0, 2^14)` by lookups in `[0, 2^4)` (the top chunk of 2 bits
/// looked up twice), `u² = y` with `y` public; `tamper` moves 16 from
/// chunk 1 into chunk 0 (same `u`, chunk 0 out of the table) and adds
/// `adjust` to a multiplicity.
fn toy(
    u: u64,
    tamper: bool,
    adjust: Option<(usize, Fr)>,
) -> impl FnOnce(&Builder) -> Result<(), SynthesisError> {
    move |b: &Builder| {
        let y = b.input(Fr::from(u * u))?;
        let mut parts = b.range_parts(&BigUint::from(u), BITS);
        if tamper {
            parts[0] += Fr::from(16u64);
            parts[1] -= Fr::ONE;
        }
        if let Some((t, d)) = adjust {
            b.adjust_multiplicity(t, d);
        }
        let x = b.ranged(&parts, BITS)?;
        let sq = b.mul(&x, &x)?;
        b.enforce_equal(&sq, &y)?;
        b.finish_lookups()?;
        Ok(())
    }
}

fn keys() -> CpProvingKey {
    setup_with(toy(0, false, None), K, &mut rng(Some([7; 32])).unwrap()).unwrap()
}

fn prove(pk: &CpProvingKey, u: u64, seed: u8) -> (CpProof, Vec<Fr>) {
    let (proof, inputs, _) = prove_with(
        pk,
        toy(u, false, None),
        K,
        challenge,
        &mut rng(Some([seed; 32])).unwrap(),
    )
    .unwrap();
    (proof, inputs)
}

fn y(u: u64) -> Vec<Fr> {
    vec![Fr::from(u * u)]
}

#[test]
fn valid_proof_verifies_and_public_inputs_are_bound() {
    let pk = keys();
    let u = 12_345;
    let (proof, inputs) = prove(&pk, u, 1);
    // The prover's challenge is the verifier's, from D alone.
    assert_eq!(inputs, vec![Fr::from(u * u), challenge(&proof.d)]);
    assert!(verify(&pk.vk, &proof, &y(u)));
    // Each public input + 1 is rejected: y, and the challenge (which the
    // verifier derives, so it is changed through D's hash only).
    assert!(!verify(&pk.vk, &proof, &[Fr::from(u * u) + Fr::ONE]));
    assert!(!verify(&pk.vk, &proof, &[]), "too few inputs");
    assert!(
        !verify(&pk.vk, &proof, &[Fr::from(u * u), inputs[1]]),
        "α given"
    );
}

#[test]
fn changed_commitment_or_replaced_pok_is_rejected() {
    let pk = keys();
    let u = 777;
    let (proof, _) = prove(&pk, u, 2);
    let (other, _) = prove(&pk, u, 3);
    let g = G1Affine::generator();
    // D + G (π untouched; and π adjusted by σ is out of the prover's reach).
    let mut p = proof.clone();
    p.d = (p.d + g).into_affine();
    assert!(!verify(&pk.vk, &p, &y(u)), "D + G");
    // Another proof's D with its own valid π: the PoK holds, the main
    // equation (and the challenge) do not.
    let mut p = proof.clone();
    p.d = other.d;
    p.pok = other.pok;
    assert!(!verify(&pk.vk, &p, &y(u)), "foreign (D, π)");
    // π replaced: another proof's, or G.
    let mut p = proof.clone();
    p.pok = other.pok;
    assert!(!verify(&pk.vk, &p, &y(u)), "foreign π");
    let mut p = proof.clone();
    p.pok = g;
    assert!(!verify(&pk.vk, &p, &y(u)), "π = G");
    // D + ck₀ with π + σ·ck₀ from the proving key: a valid proof of
    // knowledge for another committed value (v₀ + 1); the main equation
    // sees D move by [K₀/γ]₁ with nothing in A, B, C to match (and α moves).
    let mut p = proof.clone();
    p.d = (p.d + pk.ck[0]).into_affine();
    p.pok = (p.pok + pk.pok_ck[0]).into_affine();
    assert_eq!(
        ark_bn254::Bn254::pairing(p.d, pk.vk.sigma_gamma_g2),
        ark_bn254::Bn254::pairing(p.pok, pk.vk.vk.gamma_g2),
        "the PoK of D + ck₀ holds"
    );
    assert!(!verify(&pk.vk, &p, &y(u)), "D + ck₀, π + σ·ck₀");
    // Re-blinding by t: D + t·[η/γ]₁, π + t·[ση/γ]₁, C − t·[η/δ]₁ is the
    // honest proof of blind ν + t, and would verify for the old α. It is
    // rejected only because α = H(D) changes with D (and α is a public
    // input): the pairing check with the old α still holds, below.
    let t = Fr::from(0xb11du64);
    let mut p = proof.clone();
    p.d = (p.d + pk.ck_blind * t).into_affine();
    p.pok = (p.pok + pk.pok_blind * t).into_affine();
    p.proof.c = (p.proof.c - pk.eta_delta * t).into_affine();
    assert!(!verify(&pk.vk, &p, &y(u)), "re-blinded, new α");
    let pvk = ark_groth16::prepare_verifying_key(&pk.vk.vk);
    let old_alpha = challenge(&proof.d);
    let acc = ark_groth16::Groth16::<ark_bn254::Bn254>::prepare_inputs(
        &pvk,
        &[Fr::from(u * u), old_alpha],
    )
    .unwrap()
        + p.d;
    assert!(
        ark_groth16::Groth16::<ark_bn254::Bn254>::verify_proof_with_prepared_inputs(
            &pvk, &p.proof, &acc
        )
        .unwrap(),
        "re-blinded proof with the old α"
    );
    // D = 0 with π = 0 passes the PoK, never the main equation.
    let mut p = proof;
    p.d = G1Affine::zero();
    p.pok = G1Affine::zero();
    assert!(!verify(&pk.vk, &p, &y(u)), "D = π = 0");
}

#[test]
fn challenge_from_anything_but_d_is_rejected() {
    let pk = keys();
    let u = 4_242;
    // The x coordinate only, D without its blind's effect (the generator),
    // and a constant: each proof is consistent with its own α, which the
    // verifier does not derive.
    fn negated(d: &G1Affine) -> Fr {
        challenge(&G1Affine::new_unchecked(d.x, -d.y))
    }
    fn generator(_: &G1Affine) -> Fr {
        challenge(&G1Affine::generator())
    }
    fn constant(_: &G1Affine) -> Fr {
        Fr::from(5u64)
    }
    for (name, derive) in [
        ("−D", negated as fn(&G1Affine) -> Fr),
        ("G", generator),
        ("5", constant),
    ] {
        let (proof, inputs, _) = prove_with(
            &pk,
            toy(u, false, None),
            K,
            derive,
            &mut rng(Some([9; 32])).unwrap(),
        )
        .unwrap();
        assert_eq!(inputs[1], derive(&proof.d), "{name}");
        assert!(!verify(&pk.vk, &proof, &y(u)), "challenge from {name}");
    }
}

#[test]
fn commitments_are_hiding() {
    let pk = keys();
    let u = 1_000;
    let (p1, i1) = prove(&pk, u, 4);
    let (p2, i2) = prove(&pk, u, 5);
    assert!(verify(&pk.vk, &p1, &y(u)) && verify(&pk.vk, &p2, &y(u)));
    assert_ne!(p1.d, p2.d, "same witness, same commitment");
    assert_ne!(i1[1], i2[1], "same challenge");
    // Unrelated: the difference is not a multiple of the (unblinded)
    // commitment's bases alone, i.e. D₁ − D₂ = (ν₁ − ν₂)·[η/γ]₁ ≠ 0.
    let diff = (p1.d.into_group() - p2.d).into_affine();
    assert!(!diff.is_zero());
    // A single proof does not reveal D without the blind: the commitment
    // to the same values with ν = 0 is neither D.
    let unblinded: ark_bn254::G1Projective = pk
        .ck
        .iter()
        .zip(
            poa_prover::groth16_cp::committed_values(&pk, toy(u, false, None), K)
                .unwrap()
                .iter(),
        )
        .map(|(g, v)| *g * v)
        .sum();
    assert_ne!(unblinded.into_affine(), p1.d);
    assert_ne!(unblinded.into_affine(), p2.d);
}

#[test]
fn out_of_range_chunk_is_not_provable() {
    let pk = keys();
    let u = 300;
    // Honest witness proves and verifies; a chunk out of the table proves
    // (the prover does not check satisfaction) and is rejected, with the
    // honest multiplicities or with one forced to balance the sum.
    let (honest, _, _) = prove_with(
        &pk,
        toy(u, false, None),
        K,
        challenge,
        &mut rng(None).unwrap(),
    )
    .unwrap();
    assert!(verify(&pk.vk, &honest, &y(u)), "honest proof");
    let chunk0 = 300 % 16;
    for adjust in [
        None,
        Some((chunk0, Fr::ONE)),
        Some((chunk0, -Fr::ONE)),
        Some((15, Fr::ONE)),
    ] {
        let (proof, _, _) = prove_with(
            &pk,
            toy(u, true, adjust),
            K,
            challenge,
            &mut rng(None).unwrap(),
        )
        .unwrap();
        assert!(!verify(&pk.vk, &proof, &y(u)), "{adjust:?}");
    }
}

#[test]
fn lookups_in_the_builder_reject_out_of_range_and_wrong_multiplicities() {
    use ark_relations::r1cs::ConstraintSystem;
    use std::sync::Arc;
    let satisfied = |u: u64, tamper: bool, adjust: Option<(usize, Fr)>| {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let b =
            Builder::new(cs.clone()).with_logup(K, Arc::new(|_: &[Fr]| Fr::from(123_456_789u64)));
        toy(u, tamper, adjust)(&b).unwrap();
        cs.is_satisfied().unwrap()
    };
    assert!(satisfied(300, false, None));
    assert!(satisfied((1 << BITS) - 1, false, None));
    assert!(
        !satisfied(300, false, Some((3, Fr::ONE))),
        "wrong multiplicity"
    );
    assert!(!satisfied(300, true, None), "chunk out of range");
    // The out-of-range chunk 12 + 16 = 28, with multiplicities moved to
    // balance the counts: still unsatisfied.
    assert!(!satisfied(300, true, Some((12, -Fr::ONE))));
    assert!(!satisfied(300, true, Some((12, Fr::ONE))));
    // The top chunk of 2 bits: u = 2^14 (chunk 3 = 4 ≥ 2^2) is refused.
    assert!(!satisfied(1 << BITS, false, None));
    let _ = Fr::ZERO;
}

#[test]
fn statement_proof_verifies_and_each_public_input_plus_one_is_rejected() {
    use poa_circuits::r1cs::circuit::AttributionCircuit;
    use poa_circuits::widths::LOOKUP_BITS;
    let epoch = poa_circuits::vectors::statement_epoch("hand").unwrap();
    let shape = epoch.shape;
    let pk = setup_with(
        |b| {
            AttributionCircuit::placeholder(shape)
                .unwrap()
                .synthesize(b)
        },
        LOOKUP_BITS,
        &mut rng(Some([3; 32])).unwrap(),
    )
    .unwrap();
    let circuit = AttributionCircuit::new(epoch).unwrap();
    let native = circuit.public_inputs();
    let (proof, inputs, _) = prove_with(
        &pk,
        |b| circuit.synthesize(b),
        LOOKUP_BITS,
        challenge,
        &mut rng(None).unwrap(),
    )
    .unwrap();
    assert_eq!(inputs[..5], native[..]);
    assert!(verify(&pk.vk, &proof, &native));
    for i in 0..5 {
        let mut bad = native;
        bad[i] += Fr::ONE;
        assert!(!verify(&pk.vk, &proof, &bad), "public input {i} + 1");
    }
}

#[test]
fn key_and_proof_files_round_trip_and_corruption_is_refused() {
    use poa_circuits::statement::Shape;
    use poa_verifier::groth16_cp::{decode_proof, proof_file, VerifyingKeyFile, PROOF_BYTES};
    use std::path::Path;
    let shape = Shape::new(2, 16).unwrap();
    let pk = poa_prover::groth16_cp::setup_insecure(shape, Some([1; 32])).unwrap();
    let vk = pk.verifying_key();
    let bytes = vk.to_bytes();
    let path = Path::new("groth16-cp.vk");
    let back = VerifyingKeyFile::from_bytes(path, &bytes).unwrap();
    assert_eq!(back.vk, vk.vk);
    assert_eq!(back.digest(), vk.digest());
    // A flipped payload byte fails the checksum; a truncated file is refused.
    let mut bad = bytes.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert!(VerifyingKeyFile::from_bytes(path, &bad).is_err());
    assert!(VerifyingKeyFile::from_bytes(path, &bytes[..bytes.len() - 1]).is_err());
    // A key whose [σγ]₂ is the identity (resealed, so the checksum holds)
    // is refused at load, naming the point.
    let mut zero_sigma = vk.clone();
    zero_sigma.vk.sigma_gamma_g2 = ark_bn254::G2Affine::zero();
    let err = VerifyingKeyFile::from_bytes(path, &zero_sigma.to_bytes()).unwrap_err();
    assert!(err.to_string().contains("[σγ]₂ is the identity"), "{err}");
    // A file of the previous format (version 1: [σ]₂ and [1]₂) is refused
    // by its version, asking for a new setup.
    let mut v1 = bytes.clone();
    v1[12..16].copy_from_slice(&1u32.to_le_bytes());
    let err = VerifyingKeyFile::from_bytes(path, &v1).unwrap_err();
    assert!(err.to_string().contains("circuit version 1"), "{err}");
    // A proof file decodes to the same proof, of the pinned size; one byte
    // more or less is refused.
    let epoch = poa_circuits::statement::synthetic_epoch(shape, 7);
    let (proof, inputs, _) = poa_prover::groth16_cp::prove_statement(&pk, epoch).unwrap();
    let file = proof_file(shape, vk.digest(), &proof);
    let json = serde_json::to_vec(&file).unwrap();
    let (_, raw) = poa_verifier::ProofFile::parse(&json, "groth16-cp").unwrap();
    assert!(
        poa_verifier::ProofFile::parse(&json, "groth16").is_err(),
        "another backend's file"
    );
    assert_eq!(raw.len(), PROOF_BYTES);
    assert_eq!(decode_proof(&raw).unwrap(), proof);
    assert!(verify(&vk.vk, &proof, &inputs));
    assert!(decode_proof(&raw[..PROOF_BYTES - 1]).is_err());
    let mut longer = raw.clone();
    longer.push(0);
    assert!(decode_proof(&longer).is_err());
}

#[test]
fn setup_refuses_lookups_never_finished_or_made_after_the_end() {
    // The toy without finish_lookups: its lookups would never be enforced.
    let unfinished = |b: &Builder| {
        let y = b.input(Fr::from(9u64))?;
        let x = b.ranged(&b.range_parts(&BigUint::from(3u8), BITS), BITS)?;
        let sq = b.mul(&x, &x)?;
        b.enforce_equal(&sq, &y)
    };
    let err = setup_with(unfinished, K, &mut rng(Some([7; 32])).unwrap()).unwrap_err();
    assert!(
        err.to_string().contains("never called finish_lookups"),
        "{err}"
    );
    // A range check after finish_lookups.
    let late = |b: &Builder| {
        toy(3, false, None)(b)?;
        b.ranged(&b.range_parts(&BigUint::from(3u8), BITS), BITS)?;
        Ok(())
    };
    let err = setup_with(late, K, &mut rng(Some([7; 32])).unwrap()).unwrap_err();
    assert!(err.to_string().contains("after finish_lookups"), "{err}");
    // And proving refuses them too.
    let pk = keys();
    let err = prove_with(&pk, late, K, challenge, &mut rng(None).unwrap()).unwrap_err();
    assert!(err.to_string().contains("after finish_lookups"), "{err}");
    // A lookup of a plain (uncommitted) witness: the prover could pick it
    // after the challenge. Refused by setup and by proving.
    // (The lookup's error is dropped here: check_lookups still reports it.)
    let uncommitted_first = |b: &Builder| {
        let w = b.witness(Fr::from(3u64))?;
        let _ = b.lookup(&w);
        toy(3, false, None)(b)
    };
    let err = setup_with(uncommitted_first, K, &mut rng(Some([7; 32])).unwrap()).unwrap_err();
    assert!(err.to_string().contains("not committed"), "{err}");
    let err = prove_with(
        &pk,
        uncommitted_first,
        K,
        challenge,
        &mut rng(None).unwrap(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("not committed"), "{err}");
}

#[test]
fn verifying_key_with_identity_or_trivial_sigma_is_refused() {
    // (Refusal at load, of a statement key's file: key_and_proof_files_….)
    let pk = keys();
    assert_eq!(pk.vk.check(), Ok(()));
    let u = 5;
    let (proof, _) = prove(&pk, u, 6);
    assert!(verify(&pk.vk, &proof, &y(u)));
    // [σγ]₂ = 0: e(D, 0) = 1 = e(0, [γ]₂), so any D would pass the PoK
    // with π = 0.
    let mut vk = pk.vk.clone();
    vk.sigma_gamma_g2 = ark_bn254::G2Affine::zero();
    assert!(vk.check().unwrap_err().contains("[σγ]₂ is the identity"));
    assert!(!verify(&vk, &proof, &y(u)), "σγ = 0 key");
    // [σγ]₂ = [γ]₂ (σ = 1): π = D passes for any D. A proof with π = D
    // and nothing else changed still fails the main equation, so the key
    // is refused by check alone, which `verify` consults.
    let mut vk = pk.vk.clone();
    vk.sigma_gamma_g2 = vk.vk.gamma_g2;
    assert!(vk.check().unwrap_err().contains("σ = 1"));
    let mut p = proof.clone();
    p.pok = p.d;
    assert_eq!(
        ark_bn254::Bn254::pairing(p.d, vk.sigma_gamma_g2),
        ark_bn254::Bn254::pairing(p.pok, vk.vk.gamma_g2),
        "with σ = 1 the PoK of π = D holds"
    );
    assert!(!verify(&vk, &p, &y(u)), "σ = 1 key");
    // The PoK is checked against [γ]₂: [σγ]₂ and [γ]₂ both doubled keep
    // π = σ·D valid but break the Groth16 equation (γ is shared).
    let mut vk = pk.vk.clone();
    vk.vk.gamma_g2 = (vk.vk.gamma_g2 + vk.vk.gamma_g2).into_affine();
    vk.sigma_gamma_g2 = (vk.sigma_gamma_g2 + vk.sigma_gamma_g2).into_affine();
    assert_eq!(vk.check(), Ok(()));
    assert!(!verify(&vk, &proof, &y(u)), "another [γ]₂");
}
