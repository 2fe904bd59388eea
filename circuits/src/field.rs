//! Integers and field elements: parsing, printing, embedding.

use ark_ff::{BigInteger, PrimeField};
use num_bigint::{BigInt, BigUint, Sign};
use num_traits::Num;

use crate::{Error, Fr, Problem};

/// `r`, the BN254 scalar field modulus.
pub fn modulus() -> BigUint {
    Fr::MODULUS.into()
}

/// Parses a non-negative decimal or `0x` hex integer.
pub fn parse_uint(field: &str, text: &str) -> Result<BigUint, Error> {
    let t = text.trim();
    let parsed = if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        BigUint::from_str_radix(hex, 16).ok()
    } else if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        BigUint::from_str_radix(t, 10).ok()
    } else {
        None
    };
    parsed.ok_or_else(|| Error::field(field, Problem::NotANumber(text.to_string())))
}

/// Parses an integer that must be below `2^bits`.
pub fn parse_bounded(field: &str, text: &str, bits: u64) -> Result<BigUint, Error> {
    let value = parse_uint(field, text)?;
    if value.bits() > bits {
        return Err(Error::field(
            field,
            Problem::OutOfRange {
                value: value.to_string(),
                min: "0".into(),
                max: format!("2^{bits} - 1"),
            },
        ));
    }
    Ok(value)
}

/// Parses a field element, refusing values `≥ r` (never reduces silently).
pub fn parse_fr(field: &str, text: &str) -> Result<Fr, Error> {
    let value = parse_uint(field, text)?;
    if value >= modulus() {
        return Err(Error::field(field, Problem::NotInField(text.to_string())));
    }
    Ok(Fr::from(value))
}

/// A field element as a decimal string.
pub fn fr_to_decimal(x: &Fr) -> String {
    fr_to_biguint(x).to_string()
}

/// A field element as an integer in `[0, r)`.
pub fn fr_to_biguint(x: &Fr) -> BigUint {
    x.into_bigint().into()
}

/// A field element as 32 big-endian bytes.
pub fn fr_to_be_bytes(x: &Fr) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&x.into_bigint().to_bytes_be());
    out
}

/// Embeds a possibly negative integer as `x mod r` (SPEC §0).
pub fn fr_from_bigint(x: &BigInt) -> Fr {
    let magnitude = Fr::from(x.magnitude().clone());
    if x.sign() == Sign::Minus {
        -magnitude
    } else {
        magnitude
    }
}

/// Embeds an `i64` as `x mod r`.
pub fn fr_from_i64(x: i64) -> Fr {
    let magnitude = Fr::from(x.unsigned_abs());
    if x < 0 {
        -magnitude
    } else {
        magnitude
    }
}

/// An unsigned integer as 32 big-endian bytes; `None` when it needs more.
pub fn u256_be_bytes(x: &BigUint) -> Option<[u8; 32]> {
    let bytes = x.to_bytes_be();
    if bytes.len() > 32 {
        return None;
    }
    let mut out = [0u8; 32];
    out[32 - bytes.len()..].copy_from_slice(&bytes);
    Some(out)
}
