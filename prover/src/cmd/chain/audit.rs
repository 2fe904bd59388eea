//! `poa audit --rpc-url …`: a contributor's audit against what the chain
//! settled, not against a claim file: the settle transaction's calldata
//! gives Q, V, the datasets and the payouts (the contract checked them
//! against the commitment and verified the proof before recording them).

use std::path::Path;

use anyhow::{bail, Context as _, Result};
use poa_circuits::formats::Claim;
use poa_circuits::public::{Context, PublicStatement};
use poa_circuits::statement::Shape;
use poa_circuits::Fr;
use poa_contracts::abi::IAttributionSettlement as S;
use poa_verifier::Check;
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
    /// The verifier's shape, when the deployment file does not record it.
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

/// The settled epoch as a claim (what the contract verified the proof
/// for), and the checks only the chain can answer.
pub fn settled_claim(at: &OnChain<'_>) -> Result<(Claim, Vec<Check>)> {
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
    let input = conn.tx_input(st.tx)?;
    let call = <S::settleCall as alloy_sol_types::SolCall>::abi_decode(&input, true)?;
    let shape = match (&at.shape, &d.verifier) {
        (Some(s), _) => *s,
        (None, Some(v)) if v.address == m.verifier => v.shape.parse()?,
        _ => bail!(
            "the model's verifier {} is not the deployment's: give its --shape",
            m.verifier
        ),
    };
    let public = PublicStatement {
        ctx: Context {
            chain_id: num_bigint::BigUint::from(conn.chain_id),
            verifier: num_bigint::BigUint::from_bytes_be(d.settlement.as_slice()),
            model_id: big(model),
            epoch: big(epoch),
        },
        q: fr(call.q),
        v: fr(call.v),
        pool: st.event.pool.to::<u128>(),
        datasets: call.datasetIds.iter().map(|&x| fr(x)).collect(),
        payouts: call.payouts.iter().map(|p| p.to::<u128>()).collect(),
    };
    let inputs = public.public_inputs()?;
    let claim = Claim {
        shape,
        dust: st.event.dust.to::<u128>(),
        gamma: inputs[3],
        h: inputs[4],
        public_inputs: inputs.to_vec(),
        public,
        goldilocks: None,
    };
    let mut checks = vec![Check {
        name: "settled",
        ok: true,
        detail: format!(
            "settled at block {} (tx {}): the contract checked Q, V, datasets and fees against the commitment and verified the proof",
            st.block, st.tx
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
    Ok((claim, checks))
}
