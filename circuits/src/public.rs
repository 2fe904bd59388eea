//! The public inputs and their compression (SPEC §6).

use ark_ff::{Field, PrimeField};
use num_bigint::BigUint;
use sha3::{Digest, Keccak256};

use crate::field::{fr_to_be_bytes, u256_be_bytes};
use crate::{Error, Fr, Problem};

/// The context words that bind a proof to a chain, contract, model and epoch.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Context {
    /// `chainId` (`< 2^256`).
    pub chain_id: BigUint,
    /// The settlement contract's address as an integer; 0 off chain.
    pub verifier: BigUint,
    /// `modelId` (`< 2^256`).
    pub model_id: BigUint,
    /// `epoch` (`< 2^256`).
    pub epoch: BigUint,
}

impl Context {
    /// The four words, checked to fit in 256 bits.
    fn words(&self) -> Result<[[u8; 32]; 4], Error> {
        let word = |name: &str, x: &BigUint| {
            u256_be_bytes(x).ok_or_else(|| {
                Error::field(
                    format!("ctx.{name}"),
                    Problem::OutOfRange {
                        value: x.to_string(),
                        min: "0".into(),
                        max: "2^256 - 1".into(),
                    },
                )
            })
        };
        Ok([
            word("chainId", &self.chain_id)?,
            word("verifier", &self.verifier)?,
            word("modelId", &self.model_id)?,
            word("epoch", &self.epoch)?,
        ])
    }
}

/// What the verifier knows of an epoch: everything `γ` and `h` are computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicStatement {
    /// Context words.
    pub ctx: Context,
    /// Update root `Q`.
    pub q: Fr,
    /// Validation commitment `V`.
    pub v: Fr,
    /// The pool, `< 2^96`.
    pub pool: u128,
    /// Dataset commitments of the `n` active slots.
    pub datasets: Vec<Fr>,
    /// Claimed payouts of the `n` active slots.
    pub payouts: Vec<u128>,
}

fn u128_word(x: u128) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[16..].copy_from_slice(&x.to_be_bytes());
    out
}

impl PublicStatement {
    /// `γ = keccak256(chainId ‖ verifier ‖ modelId ‖ epoch ‖ Q ‖ V ‖ pool ‖ n
    /// ‖ D_0 … ‖ a_0 …) mod r`.
    pub fn gamma(&self) -> Result<Fr, Error> {
        let mut keccak = Keccak256::new();
        for word in self.ctx.words()? {
            keccak.update(word);
        }
        keccak.update(fr_to_be_bytes(&self.q));
        keccak.update(fr_to_be_bytes(&self.v));
        keccak.update(u128_word(self.pool));
        keccak.update(u128_word(self.datasets.len() as u128));
        for d in &self.datasets {
            keccak.update(fr_to_be_bytes(d));
        }
        for a in &self.payouts {
            keccak.update(u128_word(*a));
        }
        Ok(Fr::from_be_bytes_mod_order(&keccak.finalize()))
    }

    /// `h = Σ_c D_c · γ^{2c+1} + a_c · γ^{2c+2}`.
    pub fn h(&self, gamma: Fr) -> Fr {
        compress(gamma, &self.datasets, &self.payouts)
    }

    /// `[Q, V, pool, γ, h]`, in the proof's order.
    pub fn public_inputs(&self) -> Result<[Fr; 5], Error> {
        if self.datasets.len() != self.payouts.len() {
            return Err(Error::field(
                "payouts",
                Problem::Length {
                    expected: self.datasets.len(),
                    found: self.payouts.len(),
                },
            ));
        }
        let gamma = self.gamma()?;
        Ok([self.q, self.v, Fr::from(self.pool), gamma, self.h(gamma)])
    }
}

/// `Σ_c D_c γ^{2c+1} + a_c γ^{2c+2}` over any number of slots: padding slots
/// (`D_c = a_c = 0`) add nothing, which is why the circuit may run it over all
/// `N` slots.
pub fn compress(gamma: Fr, datasets: &[Fr], payouts: &[u128]) -> Fr {
    let mut power = Fr::ONE;
    let mut acc = Fr::from(0u64);
    for (d, a) in datasets.iter().zip(payouts) {
        power *= gamma;
        acc += *d * power;
        power *= gamma;
        acc += Fr::from(*a) * power;
    }
    acc
}
