//! The claim: everything public about an epoch.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::common::{
    dec, parse_json, pretty, read_bytes, ContextFile, Num, CLAIM_FORMAT, CLAIM_VERSION,
};
use super::goldilocks::{GoldilocksCommitments, GoldilocksCommitmentsFile};
use crate::public::PublicStatement;
use crate::statement::{Attribution, Epoch, Shape};
use crate::widths::as_u64::POOL_BITS;
use crate::{Error, Fr, Problem};

/// The claim: everything public about an epoch. Scores never appear here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The circuit shape.
    pub shape: Shape,
    /// Context, `Q`, `V`, pool, datasets and payouts.
    pub public: PublicStatement,
    /// `pool − Σ a_c`.
    pub dust: u128,
    /// The claimed `γ`.
    pub gamma: Fr,
    /// The claimed `h`.
    pub h: Fr,
    /// The claimed `[Q, V, pool, γ, h]`.
    pub public_inputs: Vec<Fr>,
    /// The Goldilocks profile's `Q` and `V`, in a claim made for a plonky2
    /// proof (`poa attribute --backend plonky2`); `None` otherwise.
    pub goldilocks: Option<GoldilocksCommitments>,
}

/// The claim as written to disk.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClaimFile {
    /// Always `poa-claim`.
    pub format: String,
    /// Format version.
    pub version: u32,
    /// `chainId`.
    #[serde(rename = "chainId")]
    pub chain_id: Num,
    /// Settlement contract address; 0 off chain.
    pub verifier: Num,
    /// `modelId`.
    #[serde(rename = "modelId")]
    pub model_id: Num,
    /// `epoch`.
    pub epoch: Num,
    /// `N`.
    #[serde(rename = "N")]
    pub slots: u64,
    /// `D`.
    #[serde(rename = "D")]
    pub dim: u64,
    /// `Q`.
    #[serde(rename = "Q")]
    pub q: Num,
    /// `V`.
    #[serde(rename = "V")]
    pub v: Num,
    /// The pool.
    pub pool: Num,
    /// `n`.
    pub n: u64,
    /// `D_0 … D_{n-1}`.
    pub datasets: Vec<Num>,
    /// `a_0 … a_{n-1}`.
    pub payouts: Vec<Num>,
    /// `pool − Σ a_c`.
    pub dust: Num,
    /// `γ`.
    pub gamma: Num,
    /// `h`.
    pub h: Num,
    /// `[Q, V, pool, γ, h]`.
    #[serde(rename = "publicInputs")]
    pub public_inputs: Vec<Num>,
    /// The Goldilocks profile's `Q` and `V` (a claim for a plonky2 proof).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goldilocks: Option<GoldilocksCommitmentsFile>,
}

impl Claim {
    /// The claim of an attributed epoch.
    pub fn new(epoch: &Epoch, attribution: &Attribution) -> Self {
        Claim {
            shape: epoch.shape,
            public: attribution.public.clone(),
            dust: attribution.split.dust,
            gamma: attribution.gamma,
            h: attribution.h,
            public_inputs: attribution.public_inputs().to_vec(),
            goldilocks: None,
        }
    }

    /// The Goldilocks commitments a plonky2 proof must publish, or an
    /// error naming the field `goldilocks` when the claim has none (the
    /// caller adds the file with [`Error::in_file`]).
    pub fn goldilocks(&self) -> Result<&GoldilocksCommitments, Error> {
        self.goldilocks.as_ref().ok_or_else(|| {
            Error::field(
                "goldilocks",
                Problem::Invalid(
                    "missing: a plonky2 proof publishes the Goldilocks Q and V, and this claim \
                     does not carry them (write it with `poa attribute --backend plonky2`)"
                        .into(),
                ),
            )
        })
    }

    /// The file form.
    pub fn to_file(&self) -> ClaimFile {
        let ctx = ContextFile::from_context(&self.public.ctx);
        ClaimFile {
            format: CLAIM_FORMAT.into(),
            version: CLAIM_VERSION,
            chain_id: ctx.chain_id,
            verifier: ctx.verifier,
            model_id: ctx.model_id,
            epoch: ctx.epoch,
            slots: self.shape.slots as u64,
            dim: self.shape.dim as u64,
            q: dec(&self.public.q),
            v: dec(&self.public.v),
            pool: Num::Text(self.public.pool.to_string()),
            n: self.public.datasets.len() as u64,
            datasets: self.public.datasets.iter().map(dec).collect(),
            payouts: self
                .public
                .payouts
                .iter()
                .map(|a| Num::Text(a.to_string()))
                .collect(),
            dust: Num::Text(self.dust.to_string()),
            gamma: dec(&self.gamma),
            h: dec(&self.h),
            public_inputs: self.public_inputs.iter().map(dec).collect(),
            goldilocks: self.goldilocks.as_ref().map(GoldilocksCommitments::to_file),
        }
    }

    /// Reads and parses a claim file; errors name the file and the field.
    /// Consistency (γ, h, sums) is checked by the verifier, not here.
    pub fn read(path: &Path) -> Result<Self, Error> {
        Self::parse_bytes(&read_bytes(path)?, path)
    }

    /// Parses the bytes of a claim file (what [`Claim::read`] reads); errors
    /// name `path` (for messages only) and the field.
    pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Self, Error> {
        let file: ClaimFile = parse_json(bytes, path)?;
        file.parse().map_err(|e| e.in_file(path))
    }

    /// Writes the claim as pretty JSON.
    pub fn to_json(&self) -> String {
        pretty(&self.to_file())
    }
}

impl ClaimFile {
    /// Converts to the typed claim, checking each field's range.
    pub fn parse(&self) -> Result<Claim, Error> {
        if self.format != CLAIM_FORMAT || self.version != CLAIM_VERSION {
            let older = self.format == CLAIM_FORMAT && self.version < CLAIM_VERSION;
            return Err(Error::field(
                "format",
                Problem::Mismatch {
                    expected: format!("{CLAIM_FORMAT} v{CLAIM_VERSION}"),
                    found: format!(
                        "{} v{}{}",
                        self.format,
                        self.version,
                        if older {
                            ", which is not supported: re-run `poa attribute` to write a v2 claim"
                        } else {
                            ""
                        }
                    ),
                },
            ));
        }
        let shape = Shape::new(self.slots, self.dim)?;
        let ctx = ContextFile {
            chain_id: self.chain_id.clone(),
            verifier: self.verifier.clone(),
            model_id: self.model_id.clone(),
            epoch: self.epoch.clone(),
        }
        .parse()?;
        let n = self.n as usize;
        if n == 0 || n > shape.slots {
            return Err(Error::field(
                "n",
                Problem::TooManyParticipants {
                    n,
                    slots: shape.slots,
                },
            ));
        }
        for (name, len) in [
            ("datasets", self.datasets.len()),
            ("payouts", self.payouts.len()),
        ] {
            if len != n {
                return Err(Error::field(
                    name,
                    Problem::Length {
                        expected: n,
                        found: len,
                    },
                ));
            }
        }
        if self.public_inputs.len() != 5 {
            return Err(Error::field(
                "publicInputs",
                Problem::Length {
                    expected: 5,
                    found: self.public_inputs.len(),
                },
            ));
        }
        let datasets = self
            .datasets
            .iter()
            .enumerate()
            .map(|(c, d)| d.fr(&format!("datasets[{c}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let payouts = self
            .payouts
            .iter()
            .enumerate()
            .map(|(c, a)| a.u128(&format!("payouts[{c}]"), POOL_BITS))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Claim {
            shape,
            public: PublicStatement {
                ctx,
                q: self.q.fr("Q")?,
                v: self.v.fr("V")?,
                pool: self.pool.u128("pool", POOL_BITS)?,
                datasets,
                payouts,
            },
            dust: self.dust.u128("dust", POOL_BITS)?,
            gamma: self.gamma.fr("gamma")?,
            h: self.h.fr("h")?,
            public_inputs: self
                .public_inputs
                .iter()
                .enumerate()
                .map(|(i, x)| x.fr(&format!("publicInputs[{i}]")))
                .collect::<Result<Vec<_>, _>>()?,
            goldilocks: self
                .goldilocks
                .as_ref()
                .map(GoldilocksCommitmentsFile::parse)
                .transpose()?,
        })
    }
}
