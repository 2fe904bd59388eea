//! The bit widths of statement v1 (SPEC.md), in one place.
//!
//! Every backend (R1CS, halo2, Goldilocks) and the native code take their
//! bounds from here, as `usize` (the type of a bit count in the circuit
//! builders). Values checked against `BigUint::bits()` or parsed with a
//! bound use the same widths as `u64`, in [`as_u64`].
//!
//! A width `B` of a value means the value is an integer in `[0, 2^B)`, and
//! the circuits range-check it to exactly `B` bits (the `B` is part of the
//! constraint system: changing one changes every key).
//!
//! Backend-specific widths that follow from these (the Goldilocks limb
//! counts and top-limb bits, halo2's minimum `k`) are derived from them
//! where they are declared.

/// Bits of a limb `u = x + 2^15` of an int16 entry, `u ∈ [0, 2^16)`
/// (SPEC §3, packing). The halo2 lookup table and the Goldilocks wide
/// integers use limbs of the same width.
pub const LIMB_BITS: usize = 16;

/// Bits of an entry of a fingerprint `Δ_c` or of the validation direction
/// `v`: int16, `x ∈ [-2^15, 2^15)` (SPEC §2). A limb is the entry offset by
/// `2^(VALUE_BITS − 1)`, so `LIMB_BITS = VALUE_BITS`.
pub const VALUE_BITS: usize = 16;

/// `log2` of the largest slot count: `N ≤ 2^16` (SPEC §1).
pub const MAX_SLOTS_BITS: usize = 16;

/// `log2` of the largest fingerprint dimension: `D ≤ 2^20` (SPEC §1).
pub const MAX_DIM_BITS: usize = 20;

/// Bits of `|s_c|`: `|s_c| ≤ 2^50` (SPEC §4), so `|s_c| < 2^51`; also of
/// `s⁺_c`.
pub const SCORE_BITS: usize = 51;

/// Bits of `S = Σ_c s⁺_c`: `S ≤ 2^66` (SPEC §4), so `S < 2^67`.
pub const TOTAL_BITS: usize = 67;

/// Bits of `pool`: `pool ∈ [0, 2^96)` (SPEC §2).
pub const POOL_BITS: usize = 96;

/// Bits of a payout: `a_c ≤ pool < 2^96` (SPEC §5).
pub const PAYOUT_BITS: usize = POOL_BITS;

/// Bits of a remainder `rem = pool·s⁺_c − a_c·S` and of the slack
/// `S − 1 − rem + [S = 0]` that proves `rem < S` (SPEC §5, with `S` of
/// [`TOTAL_BITS`]).
pub const REMAINDER_BITS: usize = TOTAL_BITS;

/// `k` of the commit-and-prove Groth16 circuit's logUp table `[0, 2^k)`
/// (`docs/groth16-cp.md`): a limb is two chunks, 3 constraints per update
/// entry with its product; 2^16 would make it 2 but add 2^16 table rows to
/// every shape, the small ones included, for no gain at 64x1024 (both fit
/// a 2^19 domain).
pub const LOOKUP_BITS: usize = 8;

/// The same widths as `u64`, for bounds on integers read from files or
/// compared with `BigUint::bits()`.
pub mod as_u64 {
    /// [`super::LIMB_BITS`].
    pub const LIMB_BITS: u64 = super::LIMB_BITS as u64;
    /// [`super::VALUE_BITS`].
    pub const VALUE_BITS: u64 = super::VALUE_BITS as u64;
    /// [`super::MAX_SLOTS_BITS`].
    pub const MAX_SLOTS_BITS: u64 = super::MAX_SLOTS_BITS as u64;
    /// [`super::MAX_DIM_BITS`].
    pub const MAX_DIM_BITS: u64 = super::MAX_DIM_BITS as u64;
    /// [`super::SCORE_BITS`].
    pub const SCORE_BITS: u64 = super::SCORE_BITS as u64;
    /// [`super::TOTAL_BITS`].
    pub const TOTAL_BITS: u64 = super::TOTAL_BITS as u64;
    /// [`super::POOL_BITS`].
    pub const POOL_BITS: u64 = super::POOL_BITS as u64;
    /// [`super::PAYOUT_BITS`].
    pub const PAYOUT_BITS: u64 = super::PAYOUT_BITS as u64;
    /// [`super::REMAINDER_BITS`].
    pub const REMAINDER_BITS: u64 = super::REMAINDER_BITS as u64;
}

// The relations between widths that the circuits rely on.
const _: () = {
    // A limb is an int16 entry plus 2^15.
    assert!(LIMB_BITS == VALUE_BITS);
    // |s_c| ≤ D · 2^15 · 2^15 ≤ 2^20 · 2^30 = 2^50 < 2^51.
    assert!(MAX_DIM_BITS + 2 * (VALUE_BITS - 1) < SCORE_BITS);
    // S ≤ N · 2^50 ≤ 2^66 < 2^67.
    assert!(MAX_SLOTS_BITS + SCORE_BITS - 1 < TOTAL_BITS);
    // pool · s⁺ < 2^147 and a · S + rem stay far below r ≈ 2^254.
    assert!(POOL_BITS + SCORE_BITS < 253 && PAYOUT_BITS + TOTAL_BITS < 253);
};
