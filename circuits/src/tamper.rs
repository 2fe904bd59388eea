//! One vocabulary for the soundness tests of every backend: a [`Tamper`]
//! names a witness class of the statement and one place in it; each
//! backend's prover corrupts that witness its own way (keeping every other
//! equation it can) and the circuit must leave it unproven.
//!
//! The same class has the same name in every backend. A backend refuses,
//! with an error and before proving, a class it does not have (a
//! Goldilocks-only limb, a halo2-only Poseidon cell), so a negative test can
//! never pass on a class that was silently ignored.
//!
//! `slot` is the slot's index in the epoch, except in the Goldilocks shard
//! circuit, where it is the index within the shard.
//!
//! | class | R1CS (`r1cs::circuit`) | halo2 (`halo2::witness`) | Goldilocks shard (`goldilocks::shard`) | Goldilocks final node (`goldilocks::split`) |
//! |---|---|---|---|---|
//! | [`UpdateLimb`](Tamper::UpdateLimb) | bits 0, 1 of the limb `+2`, `−1` (same limb): booleanity | limb `entry` `+2^16`, limb `entry + 1` `−1` (same packed element, else an error): limb lookup | byte 0 `+256`, byte 1 `−1` (same limb): byte lookup | — |
//! | [`ValidationLimb`](Tamper::ValidationLimb) | as `UpdateLimb`, on `v` | as `UpdateLimb`, on `v` | as `UpdateLimb`, on `v` | — |
//! | [`Dataset`](Tamper::Dataset) | witness `D_c + 1` (the claimed `D_c` stays in `h`) | — | — | — |
//! | [`DatasetLimb`](Tamper::DatasetLimb) | — | — | byte borrow in 32-bit limb `limb` of `D_c`: byte lookup | — |
//! | [`ActiveFlag`](Tamper::ActiveFlag) | padding flag flipped | `f_c = 1` claimed | — (`f_c` is computed, not witnessed) | — |
//! | [`SignBit`](Tamper::SignBit) | `g_c` flipped | `g_c` flipped | — | `g_c` flipped |
//! | [`Payout`](Tamper::Payout) | `a_c + 1`, `rem − S` | `a_c + 1` (`rem` follows) | — | `a_c`'s lowest bit flipped |
//! | [`Remainder`](Tamper::Remainder) | `a_c − 1`, `rem + S` | `a_c − 1` (`rem` follows) | — | `a_c − 1`, `rem + S` |
//! | [`ZeroFlag`](Tamper::ZeroFlag) | `[S = 0]` flipped | `[S = 0]` flipped | — | — (`z` is computed, not witnessed) |
//! | [`PositiveWrap`](Tamper::PositiveWrap) | — | — | — | `s⁺_c + p` on limbs: top-limb bound |
//! | [`SboxOutput`](Tamper::SboxOutput) | — | first full-round S-box output `+1` | — | — |
//! | [`PartialSquare`](Tamper::PartialSquare) | — | first partial-round square `+1` | — | — |
//!
//! The tests: `circuits/tests/r1cs.rs`, `halo2.rs` and `goldilocks.rs`.

/// A witness class of the statement and the place to corrupt (soundness
/// tests only). See the [module](self) for what each backend does with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Tamper {
    /// An update limb `u_{c,j}` (SPEC §3), with the value the rest of the
    /// circuit sees unchanged: only its range check stands.
    UpdateLimb {
        /// Slot.
        slot: usize,
        /// Entry `j`.
        entry: usize,
    },
    /// A limb `w_j` of the validation direction, as [`Tamper::UpdateLimb`].
    ValidationLimb {
        /// Entry `j`.
        entry: usize,
    },
    /// The dataset commitment `D_c` witnessed in the circuit (SPEC §6: the
    /// claimed one stays in `h`).
    Dataset {
        /// Slot.
        slot: usize,
    },
    /// One 32-bit limb of `D_c` with a byte out of range (Goldilocks, where
    /// `D_c` is carried as 8 limbs).
    DatasetLimb {
        /// Slot.
        slot: usize,
        /// Limb, `0 … 7`.
        limb: usize,
    },
    /// The padding flag `[D_c ≠ 0]` of a slot (SPEC §3: padding leaves are 0).
    ActiveFlag {
        /// Slot.
        slot: usize,
    },
    /// The sign bit `g_c = [s_c > 0]` that clamps `s⁺_c = g_c·s_c` (SPEC §4).
    SignBit {
        /// Slot.
        slot: usize,
    },
    /// The payout `a_c` (SPEC §5), upwards (or, Goldilocks, its lowest bit).
    Payout {
        /// Slot.
        slot: usize,
    },
    /// The remainder of `pool·s⁺_c = a_c·S + rem`: `rem + S` with `a_c − 1`,
    /// so the division holds and `rem < S` does not.
    Remainder {
        /// Slot.
        slot: usize,
    },
    /// The flag `[S = 0]` (SPEC §5: `S = 0` pays nobody).
    ZeroFlag,
    /// `s⁺_c` witnessed as the limbs of `s⁺_c + p` (equal modulo the
    /// Goldilocks `p`; SPEC §8): only the bound on its top limb refuses it.
    /// The slot's score must be `≤ 0`.
    PositiveWrap {
        /// Slot.
        slot: usize,
    },
    /// The first Poseidon hash's first full-round S-box output `+1` (halo2).
    SboxOutput,
    /// The first Poseidon hash's first partial-round square `+1` (halo2).
    PartialSquare,
}
