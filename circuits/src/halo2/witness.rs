//! The prover's witness for the halo2 circuit, computed natively from an
//! epoch (apart from the constraint code), and the test-only corruptions.

use halo2_proofs::halo2curves::ff::Field;

use super::{ark_to_fp, Fp};
use crate::commit::{limb, LIMBS_PER_ELEMENT};
use crate::statement::{Epoch, Shape};
use crate::tamper::Tamper;
use crate::widths::LIMB_BITS;

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
    /// A corrupted hint (tests only; set by [`Witness::with_tamper`]).
    pub(super) tamper: Option<Tamper>,
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

    /// The same witness with one hint corrupted (soundness tests;
    /// [`crate::tamper`] says how). A class this circuit does not have is
    /// an error, and so is a limb whose next limb, which gives it the
    /// borrow back, is not in the same packed element.
    pub fn with_tamper(mut self, tamper: Tamper) -> Result<Self, crate::Error> {
        let (n, d) = (self.shape.slots, self.shape.dim);
        // Limb `entry + 1` exists and is packed with limb `entry`.
        let packed_pair = |entry: usize| entry + 1 < d && (entry + 1) % LIMBS_PER_ELEMENT != 0;
        let ok = match tamper {
            Tamper::UpdateLimb { slot, entry } => slot < n && packed_pair(entry),
            Tamper::ValidationLimb { entry } => packed_pair(entry),
            Tamper::ActiveFlag { .. }
            | Tamper::SignBit { .. }
            | Tamper::Payout { .. }
            | Tamper::Remainder { .. }
            | Tamper::ZeroFlag
            | Tamper::SboxOutput
            | Tamper::PartialSquare => true,
            Tamper::Dataset { .. } | Tamper::DatasetLimb { .. } | Tamper::PositiveWrap { .. } => {
                return Err(crate::Error::Backend(format!(
                    "{tamper:?} is not a witness class of the halo2 circuit"
                )))
            }
        };
        if !ok {
            return Err(crate::Error::Backend(format!(
                "{tamper:?}: no such slot, or no next limb in the same packed element"
            )));
        }
        self.tamper = Some(tamper);
        Ok(self)
    }

    /// Limb `i` of a vector whose limb `entry` (if any) is corrupted: it
    /// takes `+2^16` and limb `entry + 1` gives `1` back (same packing).
    fn corrupt(entry: Option<usize>, i: usize, u: u16) -> Fp {
        let u = Fp::from(u64::from(u));
        match entry {
            Some(e) if i == e => u + Fp::from(1 << LIMB_BITS),
            Some(e) if i == e + 1 => u - Fp::ONE,
            _ => u,
        }
    }

    pub(super) fn update_limb(&self, c: usize, i: usize) -> Fp {
        let entry = match self.tamper {
            Some(Tamper::UpdateLimb { slot, entry }) if slot == c => Some(entry),
            _ => None,
        };
        Self::corrupt(entry, i, self.updates[c][i])
    }

    pub(super) fn validation_limb(&self, i: usize) -> Fp {
        let entry = match self.tamper {
            Some(Tamper::ValidationLimb { entry }) => Some(entry),
            _ => None,
        };
        Self::corrupt(entry, i, self.validation[i])
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
