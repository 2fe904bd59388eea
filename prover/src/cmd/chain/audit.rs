//! `poa audit --rpc-url …`: a contributor's audit against what the chain
//! settled, not against a claim file: the settlement's `EpochCommitted`
//! event gives Q, V, the datasets and the fees, its `EpochSettled` event the
//! pool and the claims root, and the settle transaction's calldata the
//! payouts (accepted only under that root) and the proof, which is verified
//! here under the contributor's own verifying key (`--params`), with the
//! public inputs recomputed from the chain, as `poa verify` does.

use std::path::Path;

use anyhow::{bail, Context as _, Result};
use poa_circuits::formats::Claim;
use poa_circuits::public::{Context, PublicStatement};
use poa_circuits::statement::Shape;
use poa_circuits::Fr;
use poa_verifier::{Check, Log, ProofFile, Verdict, Verifier};
use revm::primitives::{keccak256, U256};

use super::deploy::DeploymentFile;
use super::onchain;
use super::rpc::Conn;

/// The chain, the deployment and the epoch to audit against.
pub struct OnChain<'a> {
    pub rpc_url: &'a str,
    pub deployment: &'a Path,
    pub model: U256,
    pub epoch: U256,
    /// The contributor's params folder (the verifying key).
    pub params: &'a Path,
    /// The shape, when not the key's.
    pub shape: Option<Shape>,
}

/// A word below r (the contract checks Q and V, the registry the ids).
fn fr(x: U256) -> Fr {
    use ark_ff::PrimeField;
    Fr::from_be_bytes_mod_order(&x.to_be_bytes::<32>())
}

fn big(x: U256) -> num_bigint::BigUint {
    num_bigint::BigUint::from_bytes_be(&x.to_be_bytes::<32>())
}

/// A value the contract bounds below 2^128, or an error naming it.
fn u128_of(what: &str, x: U256) -> Result<u128> {
    u128::try_from(x).map_err(|_| anyhow::anyhow!("{what} {x} does not fit 128 bits"))
}

/// The shape and digest of the verifying key in `params` for `backend`.
fn key(backend: &str, params: &Path) -> Result<(Shape, [u8; 32])> {
    Ok(match backend {
        "groth16" => {
            let vk = poa_verifier::groth16::VerifyingKeyFile::read(
                &params.join(poa_verifier::groth16::VK_FILE),
            )?;
            (vk.shape, vk.digest())
        }
        "halo2" => {
            let vk = poa_verifier::halo2::VerifyingKeyFile::read(
                &params.join(poa_verifier::halo2::VK_FILE),
            )?;
            (vk.shape, vk.digest())
        }
        b => bail!("--backend {b}: its proofs have no EVM verifier, so no settle to audit"),
    })
}

/// The proof file of the settle's proof bytes (as the verifier contract
/// takes them), for the key of `digest`; `None` when the bytes are no
/// proof of `backend` (a rejection: they come from the trainer).
fn proof_file(backend: &str, shape: Shape, digest: [u8; 32], bytes: &[u8]) -> Option<ProofFile> {
    match backend {
        "groth16" => {
            groth16_proof(bytes).map(|p| poa_verifier::groth16::proof_file(shape, digest, &p))
        }
        _ => Some(ProofFile::new(backend, shape, digest, bytes)),
    }
}

/// A Groth16 proof from the eight words of `poa_verifier::solidity::proof_bytes`
/// (`A.x, A.y, B.x (im, re), B.y (im, re), C.x, C.y`); every coordinate
/// below p, every point on the curve and in its group, (0, 0) the identity.
fn groth16_proof(bytes: &[u8]) -> Option<ark_groth16::Proof<ark_bn254::Bn254>> {
    use ark_bn254::{Fq, Fq2, G1Affine, G2Affine};
    use ark_ec::AffineRepr;
    use ark_ff::{BigInteger, PrimeField, Zero};
    if bytes.len() != 256 {
        return None;
    }
    let w = |i: usize| -> Option<Fq> {
        let word = &bytes[32 * i..32 * (i + 1)];
        let x = Fq::from_be_bytes_mod_order(word);
        // Canonical only: the word itself must be below p.
        (x.into_bigint().to_bytes_be() == word).then_some(x)
    };
    let g1 = |i: usize| -> Option<G1Affine> {
        let (x, y) = (w(i)?, w(i + 1)?);
        if x.is_zero() && y.is_zero() {
            return Some(G1Affine::zero());
        }
        let p = G1Affine::new_unchecked(x, y);
        (p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve()).then_some(p)
    };
    let (xi, xr, yi, yr) = (w(2)?, w(3)?, w(4)?, w(5)?);
    let b = if [xi, xr, yi, yr].iter().all(|c| c.is_zero()) {
        G2Affine::zero()
    } else {
        let p = G2Affine::new_unchecked(Fq2::new(xr, xi), Fq2::new(yr, yi));
        if !(p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve()) {
            return None;
        }
        p
    };
    Some(ark_groth16::Proof {
        a: g1(0)?,
        b,
        c: g1(6)?,
    })
}

/// The settled epoch as a claim (Q, V, datasets from the settlement's
/// event, the payouts under its root), the verdict on the settle's proof
/// under the contributor's key, and the checks only the chain can answer.
pub fn settled_claim(
    at: &OnChain<'_>,
    verifier: &dyn Verifier,
    log: &dyn Log,
) -> Result<(Claim, Verdict, Vec<Check>)> {
    let d = DeploymentFile::read(at.deployment)?;
    let conn = Conn::open(at.rpc_url, None, false)?;
    d.check(&conn, at.deployment)?;
    let (model, epoch) = (at.model, at.epoch);
    let m = onchain::model(&conn, &d, model)?;
    let st = onchain::settled(&conn, &d, model, epoch)?.with_context(|| {
        format!(
            "epoch {epoch} of model {model} is not settled on chain {}",
            conn.chain_id
        )
    })?;
    let phase = onchain::epoch(&conn, &d, model, epoch)?.phase;
    let call = &st.call;
    let backend = verifier.name();
    let (key_shape, digest) = key(backend, at.params)?;
    let shape = at.shape.unwrap_or(key_shape);
    let payouts = call
        .payouts
        .iter()
        .enumerate()
        .map(|(c, &p)| u128_of(&format!("the payout of slot {c}"), p))
        .collect::<Result<Vec<_>>>()?;
    let public = PublicStatement {
        ctx: Context {
            chain_id: num_bigint::BigUint::from(conn.chain_id),
            verifier: num_bigint::BigUint::from_bytes_be(d.settlement.as_slice()),
            model_id: big(model),
            epoch: big(epoch),
        },
        q: fr(call.q),
        v: fr(call.v),
        pool: u128_of("the pool", st.event.pool)?,
        datasets: call.datasetIds.iter().map(|&x| fr(x)).collect(),
        payouts,
    };
    let inputs = public.public_inputs()?;
    let claim = Claim {
        shape,
        dust: u128_of("the dust", st.event.dust)?,
        gamma: inputs[3],
        h: inputs[4],
        public_inputs: inputs.to_vec(),
        public,
        goldilocks: None,
    };
    // The proof the settle carried, verified as `poa verify` does (the
    // claim's checks, the key's shape, the proof) from a private folder.
    let where_ = format!("the settle transaction {}", st.tx);
    let verdict = match proof_file(backend, shape, digest, &call.proof) {
        Some(file) => {
            let dir = poa_prover::halo2::private_dir("poa-audit")?;
            let path = dir.join("settle-proof.json");
            let verified = std::fs::write(&path, serde_json::to_vec(&file)?)
                .with_context(|| path.display().to_string())
                .and_then(|()| {
                    Ok(verifier.verify(at.params, &claim, Path::new(&where_), &path, log)?)
                });
            let _ = std::fs::remove_dir_all(&dir);
            verified?.verdict
        }
        None => Verdict {
            claim: poa_verifier::check_claim(&claim)?,
            proof_ok: false,
            reason: Some(format!(
                "{where_} carries bytes that are no {backend} proof"
            )),
        },
    };
    let mut checks = vec![Check {
        name: "settled",
        ok: onchain::phase_name(phase) == "settled",
        detail: format!(
            "settled at block {} (tx {}), now {}: Q, V, datasets and fees from the settlement's \
             EpochCommitted event, the payouts under its EpochSettled claims root",
            st.block,
            st.tx,
            onchain::phase_name(phase)
        ),
    }];
    if let Some(v) = &d.verifier {
        let name = if v.backend == "halo2" {
            "PoaHalo2Verifier"
        } else {
            "PoaGroth16Verifier"
        };
        let recorded = d.code_hashes.get(name).copied();
        let code = keccak256(conn.code(m.verifier)?);
        checks.push(Check {
            name: "verifier",
            ok: m.verifier == v.address
                && recorded == Some(m.verifierCodeHash)
                && recorded == Some(code),
            detail: format!(
                "model verifier {} (code hash {}), deployment's {} of vk {}",
                m.verifier, m.verifierCodeHash, v.address, v.vk_digest
            ),
        });
    }
    Ok((claim, verdict, checks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::AffineRepr;

    #[test]
    fn a_groth16_proof_reads_back_from_its_evm_words_and_nothing_else_does() {
        let g1 = ark_bn254::G1Affine::generator();
        let p = ark_groth16::Proof::<ark_bn254::Bn254> {
            a: g1,
            b: ark_bn254::G2Affine::generator(),
            c: (g1 + g1).into(),
        };
        let bytes = poa_verifier::solidity::proof_bytes(&p);
        assert_eq!(groth16_proof(&bytes), Some(p));
        // Wrong length, a word not below p, a point off the curve.
        assert_eq!(groth16_proof(&bytes[..255]), None);
        let mut big = bytes.clone();
        big[..32].fill(0xff);
        assert_eq!(groth16_proof(&big), None);
        let mut off = bytes.clone();
        off[63] ^= 1;
        assert_eq!(groth16_proof(&off), None);
    }
}
