//! The whole statement: an epoch (the trainer's witness) and what follows
//! from it (commitments, scores, split, public inputs).

use crate::attribution::{self, Split};
use crate::commit::{commit_vector, leaf};
use crate::merkle::{self, MerklePath};
use crate::public::{Context, PublicStatement};
use crate::widths::{MAX_DIM_BITS, MAX_SLOTS_BITS, POOL_BITS};
use crate::{Error, Fr, Problem};

/// Largest slot count `N` (SPEC §1).
pub const MAX_SLOTS: usize = 1 << MAX_SLOTS_BITS;
/// Largest fingerprint dimension `D` (SPEC §1).
pub const MAX_DIM: usize = 1 << MAX_DIM_BITS;

/// The circuit shape `(N, D)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    /// Participant slots `N`, a power of two in `[2, 2^16]`.
    pub slots: usize,
    /// Fingerprint dimension `D`, in `[1, 2^20]`.
    pub dim: usize,
}

impl Shape {
    /// Checks the bounds of SPEC §1.
    pub fn new(slots: u64, dim: u64) -> Result<Self, Error> {
        if !(2..=MAX_SLOTS as u64).contains(&slots) || !slots.is_power_of_two() {
            return Err(Error::field("N", Problem::SlotCount(slots)));
        }
        if !(1..=MAX_DIM as u64).contains(&dim) {
            return Err(Error::field(
                "D",
                Problem::OutOfRange {
                    value: dim.to_string(),
                    min: "1".into(),
                    max: MAX_DIM.to_string(),
                },
            ));
        }
        Ok(Shape {
            slots: slots as usize,
            dim: dim as usize,
        })
    }

    /// Merkle depth `log2 N`.
    pub fn depth(&self) -> usize {
        self.slots.trailing_zeros() as usize
    }
}

impl std::fmt::Display for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.slots, self.dim)
    }
}

impl std::str::FromStr for Shape {
    type Err = Error;
    /// Parses `NxD`, e.g. `64x1024`.
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = || {
            Error::field(
                "shape",
                Problem::Invalid(format!("`{s}` is not of the form NxD")),
            )
        };
        let (n, d) = s.split_once(['x', 'X']).ok_or_else(bad)?;
        Shape::new(
            n.trim().parse().map_err(|_| bad())?,
            d.trim().parse().map_err(|_| bad())?,
        )
    }
}

/// One active participant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    /// `D_c`, the registered dataset commitment (non-zero).
    pub dataset: Fr,
    /// `σ_c`, the update commitment's salt.
    pub salt: Fr,
    /// `Δ_c`, the update fingerprint.
    pub update: Vec<i16>,
}

/// An epoch: the trainer's private witness and the public context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Epoch {
    /// The circuit shape.
    pub shape: Shape,
    /// The pool, `< 2^96`.
    pub pool: u128,
    /// Active participants, slots `0 … n-1`.
    pub participants: Vec<Participant>,
    /// `v`, the validation direction.
    pub validation: Vec<i16>,
    /// `σ_v`.
    pub validation_salt: Fr,
    /// Context words for `γ`.
    pub ctx: Context,
}

/// Everything the statement derives from an epoch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribution {
    /// `U_c` of each active slot.
    pub update_commitments: Vec<Fr>,
    /// `V`.
    pub validation_commitment: Fr,
    /// `L_0 … L_{N-1}` (0 for padding).
    pub leaves: Vec<Fr>,
    /// `Q`.
    pub root: Fr,
    /// `s_c` of each active slot.
    pub scores: Vec<i64>,
    /// `S`, payouts and dust.
    pub split: Split,
    /// The public statement and its compression.
    pub public: PublicStatement,
    /// `γ`.
    pub gamma: Fr,
    /// `h`.
    pub h: Fr,
}

impl Epoch {
    /// `n`, the number of active participants.
    pub fn active(&self) -> usize {
        self.participants.len()
    }

    /// Checks every bound of SPEC §1–§2 that the types do not already hold.
    pub fn validate(&self) -> Result<(), Error> {
        let n = self.participants.len();
        if n == 0 || n > self.shape.slots {
            return Err(Error::field(
                "participants",
                Problem::TooManyParticipants {
                    n,
                    slots: self.shape.slots,
                },
            ));
        }
        if self.pool >> POOL_BITS != 0 {
            return Err(Error::field(
                "pool",
                Problem::OutOfRange {
                    value: self.pool.to_string(),
                    min: "0".into(),
                    max: format!("2^{POOL_BITS} - 1"),
                },
            ));
        }
        let length = |field: String, found: usize| {
            if found == self.shape.dim {
                Ok(())
            } else {
                Err(Error::field(
                    field,
                    Problem::Length {
                        expected: self.shape.dim,
                        found,
                    },
                ))
            }
        };
        length("validation.vector".into(), self.validation.len())?;
        for (c, p) in self.participants.iter().enumerate() {
            length(format!("participants[{c}].update"), p.update.len())?;
            if p.dataset == Fr::from(0u64) {
                return Err(Error::field(
                    format!("participants[{c}].D"),
                    Problem::ZeroDataset,
                ));
            }
        }
        Ok(())
    }

    /// Computes the statement: commitments, scores, split, `γ` and `h`.
    pub fn attribute(&self) -> Result<Attribution, Error> {
        self.validate()?;
        let update_commitments =
            crate::parallel::map(&self.participants, |p| commit_vector(&p.update, p.salt));
        let validation_commitment = commit_vector(&self.validation, self.validation_salt);
        let mut leaves: Vec<Fr> = self
            .participants
            .iter()
            .zip(&update_commitments)
            .map(|(p, u)| leaf(p.dataset, *u))
            .collect();
        leaves.resize(self.shape.slots, Fr::from(0u64));
        let root = merkle::root(&leaves);
        let scores: Vec<i64> = crate::parallel::map(&self.participants, |p| {
            attribution::score(&p.update, &self.validation)
        });
        let split = attribution::split(self.pool, &scores);
        let public = PublicStatement {
            ctx: self.ctx.clone(),
            q: root,
            v: validation_commitment,
            pool: self.pool,
            datasets: self.participants.iter().map(|p| p.dataset).collect(),
            payouts: split.payouts.clone(),
        };
        let gamma = public.gamma()?;
        let h = public.h(gamma);
        Ok(Attribution {
            update_commitments,
            validation_commitment,
            leaves,
            root,
            scores,
            split,
            public,
            gamma,
            h,
        })
    }

    /// The path a trainer hands to the contributor of `slot`.
    pub fn inclusion(&self, attribution: &Attribution, slot: usize) -> Result<MerklePath, Error> {
        if slot >= self.active() {
            return Err(Error::field(
                "slot",
                Problem::OutOfRange {
                    value: slot.to_string(),
                    min: "0".into(),
                    max: (self.active().saturating_sub(1)).to_string(),
                },
            ));
        }
        merkle::path(&attribution.leaves, slot)
    }
}

impl Attribution {
    /// `[Q, V, pool, γ, h]`.
    pub fn public_inputs(&self) -> [Fr; 5] {
        [
            self.root,
            self.validation_commitment,
            Fr::from(self.public.pool),
            self.gamma,
            self.h,
        ]
    }
}

/// A full epoch (`n = N`) of the given shape with pseudo-random int16
/// entries from `seed` (xorshift64), for benchmarks and examples.
pub fn synthetic_epoch(shape: Shape, seed: u64) -> Epoch {
    let mut x = seed | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 16) as i16
    };
    let mut vector = || (0..shape.dim).map(|_| next()).collect::<Vec<i16>>();
    let participants = (0..shape.slots)
        .map(|c| Participant {
            dataset: Fr::from(c as u64 + 1),
            salt: Fr::from(1000 + c as u64),
            update: vector(),
        })
        .collect();
    Epoch {
        shape,
        pool: 10u128.pow(24),
        participants,
        validation: vector(),
        validation_salt: Fr::from(7u64),
        ctx: Context::default(),
    }
}
