//! The prover's witness for the halo2 circuit, computed natively from an
//! epoch (apart from the constraint code), and the test-only corruptions.

use halo2_proofs::halo2curves::ff::Field;

use super::{ark_to_fp, Fp};
use crate::commit::limb;
use crate::statement::{Epoch, Shape};

/// One corrupted hint, for soundness tests: the circuit assigns it instead
/// of the honest value and computes everything else from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Tamper {
    /// Slot `c`'s first update limb `+2^16`, the second `−1` (same packing).
    UpdateLimb(usize),
    /// The validation direction's first limb `+2^16`, the second `−1`.
    ValidationLimb,
    /// Slot `c`'s sign bit flipped.
    SignBit(usize),
    /// Slot `c`'s payout `+1`.
    Payout(usize),
    /// Slot `c`'s payout `−1` (its remainder grows by `S`).
    Remainder(usize),
    /// Slot `c` claims to be active (`f = 1`).
    Flag(usize),
    /// The `S = 0` flag flipped.
    ZeroFlag,
    /// The first Poseidon hash's first full-round S-box output `+1`.
    SboxOutput,
    /// The first Poseidon hash's first partial-round square `+1`.
    PartialSquare,
}

/// Everything the prover knows, in halo2's field.
#[derive(Clone, Debug)]
pub struct Witness {
    /// The shape.
    pub shape: Shape,
    /// Limbs `u = x + 2^15` per slot (padding slots: all-zero updates).
    pub updates: Vec<Vec<u16>>,
    /// `σ_c` per slot (0 for padding).
    pub salts: Vec<Fp>,
    /// `D_c` per slot (0 for padding).
    pub datasets: Vec<Fp>,
    /// `a_c` per slot (0 for padding).
    pub payouts: Vec<u128>,
    /// Limbs of `v`.
    pub validation: Vec<u16>,
    /// `σ_v`.
    pub validation_salt: Fp,
    /// The pool.
    pub pool: u128,
    /// `γ`.
    pub gamma: Fp,
    /// A corrupted hint (tests only).
    pub tamper: Option<Tamper>,
}

impl Witness {
    /// The witness of an epoch; fails as `Epoch::attribute` does.
    pub fn new(epoch: &Epoch) -> Result<Self, crate::Error> {
        let att = epoch.attribute()?;
        let n = epoch.shape.slots;
        let zero_update = vec![limb(0); epoch.shape.dim];
        let mut w = Witness {
            shape: epoch.shape,
            updates: vec![zero_update; n],
            salts: vec![Fp::ZERO; n],
            datasets: vec![Fp::ZERO; n],
            payouts: vec![0; n],
            validation: epoch.validation.iter().map(|&x| limb(x)).collect(),
            validation_salt: ark_to_fp(&epoch.validation_salt),
            pool: epoch.pool,
            gamma: ark_to_fp(&att.gamma),
            tamper: None,
        };
        for (c, p) in epoch.participants.iter().enumerate() {
            w.updates[c] = p.update.iter().map(|&x| limb(x)).collect();
            w.salts[c] = ark_to_fp(&p.salt);
            w.datasets[c] = ark_to_fp(&p.dataset);
            w.payouts[c] = att.split.payouts[c];
        }
        Ok(w)
    }

    fn corrupt(&self, hit: bool, i: usize, u: u16) -> Fp {
        let u = Fp::from(u64::from(u));
        match (hit, i) {
            (true, 0) => u + Fp::from(1 << 16),
            (true, 1) => u - Fp::ONE,
            _ => u,
        }
    }

    pub(super) fn update_limb(&self, c: usize, i: usize) -> Fp {
        self.corrupt(
            self.tamper == Some(Tamper::UpdateLimb(c)),
            i,
            self.updates[c][i],
        )
    }

    pub(super) fn validation_limb(&self, i: usize) -> Fp {
        self.corrupt(
            self.tamper == Some(Tamper::ValidationLimb),
            i,
            self.validation[i],
        )
    }

    pub(super) fn salt(&self, c: usize) -> Fp {
        self.salts[c]
    }

    pub(super) fn dataset(&self, c: usize) -> Fp {
        self.datasets[c]
    }

    pub(super) fn payout(&self, c: usize) -> u128 {
        self.payouts[c]
    }
}

/// The public inputs `[Q, V, pool, γ, h]` of an epoch, in halo2's field.
pub fn public_inputs(epoch: &Epoch) -> Result<[Fp; 5], crate::Error> {
    Ok(epoch.attribute()?.public_inputs().map(|x| ark_to_fp(&x)))
}
