//! int16 vector files: raw little-endian int16, or `.npy` (which may also
//! hold floats, for `poa fingerprint quantize`).
//!
//! The byte-level parsers ([`parse_npy`], [`parse_i16`], [`parse_raw_i16`],
//! [`parse_int16`]) never panic and never allocate more than their input;
//! the readers ([`read_int16_vector`], [`read_int16_file`]) read only a
//! regular file, after checking its size, so a device, a FIFO or a huge
//! file is refused before any byte is read.

use std::io::Read;
use std::path::Path;

use super::common::io_error;
use crate::statement::MAX_DIM;
use crate::Error;

/// The largest `.npy` header read, in bytes (numpy writes 118 or fewer for
/// a one-dimensional array).
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// The `.npy` magic string.
const MAGIC: &[u8] = b"\x93NUMPY";

/// A one-dimensional numeric array read from `.npy` or JSON.
#[derive(Clone, Debug, PartialEq)]
pub enum Array {
    /// `<i2`.
    I16(Vec<i16>),
    /// `<f4`, `<f8` or JSON numbers, as f64.
    F64(Vec<f64>),
}

/// How an int16 vector file is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// `.npy`, dtype `<i2`, one-dimensional.
    Npy,
    /// Raw little-endian int16, nothing else.
    Raw,
}

impl Encoding {
    /// `.npy` for a name ending in `.npy`, raw otherwise.
    pub fn of(path: &Path) -> Self {
        if path.extension().is_some_and(|e| e == "npy") {
            Encoding::Npy
        } else {
            Encoding::Raw
        }
    }

    /// The smallest and largest size in bytes of a file of `dim` entries
    /// (`None` when it does not fit a `usize`).
    pub fn size_bounds(self, dim: usize) -> Option<(usize, usize)> {
        let data = dim.checked_mul(2)?;
        match self {
            Encoding::Raw => Some((data, data)),
            // Magic, version and a 2-byte (v1) or 4-byte (v2, v3) length.
            Encoding::Npy => Some((
                data.checked_add(10)?,
                data.checked_add(12)?.checked_add(MAX_HEADER_BYTES)?,
            )),
        }
    }
}

fn bad(path: &Path, reason: impl Into<String>) -> Error {
    Error::BadVectorFile {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// The header's length and where it starts, bounds-checked against
/// `bytes`.
fn header_span(path: &Path, bytes: &[u8]) -> Result<(usize, usize), Error> {
    if bytes.get(..6) != Some(MAGIC) {
        return Err(bad(path, "not a .npy file (bad magic)"));
    }
    let version = bytes.get(6).copied();
    let (header_len, start) = match (version, bytes.get(8..10), bytes.get(8..12)) {
        (Some(1), Some(&[a, b]), _) => (usize::from(u16::from_le_bytes([a, b])), 10),
        (Some(2 | 3), _, Some(&[a, b, c, d])) => (
            usize::try_from(u32::from_le_bytes([a, b, c, d])).unwrap_or(usize::MAX),
            12,
        ),
        (Some(1..=3), _, _) => return Err(bad(path, "truncated .npy preamble")),
        (v, _, _) => {
            return Err(bad(
                path,
                format!(
                    "unsupported .npy version {}",
                    v.map_or("(none)".into(), |v| v.to_string())
                ),
            ))
        }
    };
    Ok((header_len, start))
}

/// Parses a `.npy` file (format 1.0–3.0, little-endian, one-dimensional,
/// dtype `<i2`, `<f4` or `<f8`); errors name `path`.
pub fn parse_npy(path: &Path, bytes: &[u8]) -> Result<Array, Error> {
    let (header_len, start) = header_span(path, bytes)?;
    let end = start
        .checked_add(header_len)
        .filter(|&end| end <= bytes.len())
        .ok_or_else(|| {
            bad(
                path,
                format!(
                    "truncated .npy header: it claims {header_len} bytes, the file has {} after \
                     the preamble",
                    bytes.len().saturating_sub(start)
                ),
            )
        })?;
    let header = bytes
        .get(start..end)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or_else(|| bad(path, ".npy header is not text"))?;
    let data = bytes.get(end..).unwrap_or_default();
    let compact: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains("'fortran_order':True") {
        return Err(bad(path, "Fortran-ordered arrays are not supported"));
    }
    let shape = compact
        .split("'shape':(")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .ok_or_else(|| bad(path, "no shape in .npy header"))?;
    let dims: Vec<&str> = shape.split(',').filter(|s| !s.is_empty()).collect();
    let [dim] = dims.as_slice() else {
        return Err(bad(
            path,
            format!("expected a one-dimensional array, found shape ({shape})"),
        ));
    };
    let len: usize = dim
        .parse()
        .map_err(|_| bad(path, format!("bad shape ({shape})")))?;
    let descr = compact
        .split("'descr':'")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .ok_or_else(|| bad(path, "no descr in .npy header"))?;
    let width: usize = match descr {
        "<i2" => 2,
        "<f4" => 4,
        "<f8" => 8,
        other => {
            return Err(bad(
                path,
                format!("dtype {other} is not supported (use <i2, <f4 or <f8)"),
            ))
        }
    };
    if len.checked_mul(width) != Some(data.len()) {
        return Err(bad(
            path,
            format!(
                "{} data bytes for {len} entries of {width} bytes",
                data.len()
            ),
        ));
    }
    Ok(match width {
        2 => Array::I16(
            data.chunks_exact(2)
                .map(|c| i16::from_le_bytes([c[0], c[1]]))
                .collect(),
        ),
        4 => Array::F64(
            data.chunks_exact(4)
                .map(|c| f64::from(f32::from_le_bytes([c[0], c[1], c[2], c[3]])))
                .collect(),
        ),
        _ => Array::F64(
            data.chunks_exact(8)
                .map(|c| {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(c);
                    f64::from_le_bytes(b)
                })
                .collect(),
        ),
    })
}

/// Parses a `.npy` file of exactly `dim` int16 entries (dtype `<i2`, a
/// header of at most [`MAX_HEADER_BYTES`]); errors name `path`.
pub fn parse_i16(path: &Path, bytes: &[u8], dim: usize) -> Result<Vec<i16>, Error> {
    let (header_len, _) = header_span(path, bytes)?;
    if header_len > MAX_HEADER_BYTES {
        return Err(bad(
            path,
            format!(".npy header of {header_len} bytes (at most {MAX_HEADER_BYTES} are read)"),
        ));
    }
    match parse_npy(path, bytes)? {
        Array::I16(v) if v.len() == dim => Ok(v),
        Array::I16(v) => Err(bad(
            path,
            format!("has {} entries, expected D = {dim}", v.len()),
        )),
        Array::F64(_) => Err(bad(
            path,
            "floats where int16 is needed (run `poa fingerprint quantize` first)",
        )),
    }
}

/// Parses raw little-endian int16 of exactly `dim` entries (`2·dim`
/// bytes); errors name `path`.
pub fn parse_raw_i16(path: &Path, bytes: &[u8], dim: usize) -> Result<Vec<i16>, Error> {
    if dim.checked_mul(2) != Some(bytes.len()) {
        return Err(bad(
            path,
            format!(
                "{} bytes, expected {} (D = {dim} little-endian int16 entries)",
                bytes.len(),
                dim.saturating_mul(2)
            ),
        ));
    }
    Ok(raw_entries(bytes))
}

/// Parses an int16 vector file of exactly `dim` entries in `encoding`.
pub fn parse_int16(
    path: &Path,
    bytes: &[u8],
    encoding: Encoding,
    dim: usize,
) -> Result<Vec<i16>, Error> {
    match encoding {
        Encoding::Npy => parse_i16(path, bytes, dim),
        Encoding::Raw => parse_raw_i16(path, bytes, dim),
    }
}

fn raw_entries(bytes: &[u8]) -> Vec<i16> {
    bytes
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect()
}

/// Reads a regular file of `min` to `max` bytes, checking its size before
/// reading (so a device, a FIFO or a huge file is refused at once) and
/// reading at most `max` bytes (should it grow meanwhile).
/// `what` says what the size is for, in the error.
fn read_bounded(path: &Path, min: usize, max: usize, what: &str) -> Result<Vec<u8>, Error> {
    let check = |meta: &std::fs::Metadata| -> Result<usize, Error> {
        if !meta.is_file() {
            return Err(bad(
                path,
                "not a regular file (a folder, device, FIFO or socket is never read)",
            ));
        }
        let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
        if !(min..=max).contains(&size) {
            let expected = if min == max {
                format!("{min}")
            } else {
                format!("{min} to {max}")
            };
            return Err(bad(
                path,
                format!("{size} bytes, expected {expected} ({what})"),
            ));
        }
        Ok(size)
    };
    check(&std::fs::metadata(path).map_err(|e| io_error(path, e))?)?;
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let size = check(&file.metadata().map_err(|e| io_error(path, e))?)?;
    let mut bytes = Vec::with_capacity(size);
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, e))?;
    if !(min..=max).contains(&bytes.len()) {
        return Err(bad(
            path,
            format!("changed size while read ({} bytes)", bytes.len()),
        ));
    }
    Ok(bytes)
}

/// Reads an int16 vector of exactly `dim` entries from a regular file in
/// `encoding`, its size checked against `dim` before any byte is read
/// (raw: exactly `2·dim` bytes; `.npy`: `2·dim` plus a header of at most
/// [`MAX_HEADER_BYTES`]). Errors name `path`.
pub fn read_int16_vector(path: &Path, encoding: Encoding, dim: usize) -> Result<Vec<i16>, Error> {
    let (min, max) = encoding
        .size_bounds(dim)
        .ok_or_else(|| bad(path, format!("D = {dim} is too large")))?;
    let what = match encoding {
        Encoding::Raw => format!("D = {dim} little-endian int16 entries"),
        Encoding::Npy => format!(
            "a .npy of D = {dim} int16 entries, its header at most {MAX_HEADER_BYTES} bytes"
        ),
    };
    let bytes = read_bounded(path, min, max, &what)?;
    parse_int16(path, &bytes, encoding, dim)
}

/// A `.npy` file of dtype `<i2`.
pub fn npy_int16(values: &[i16]) -> Vec<u8> {
    let mut header = format!(
        "{{'descr': '<i2', 'fortran_order': False, 'shape': ({},), }}",
        values.len()
    );
    // Data starts on a 64-byte boundary; the header ends with a newline.
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// Reads an int16 vector of any length up to `D = 2^20` entries from a
/// `.npy` file (dtype `<i2`) or any other regular file as raw
/// little-endian int16.
pub fn read_int16_file(path: &Path) -> Result<Vec<i16>, Error> {
    let encoding = Encoding::of(path);
    let (_, max) = encoding
        .size_bounds(MAX_DIM)
        .ok_or_else(|| bad(path, "too large"))?;
    let bytes = read_bounded(path, 0, max, "an int16 vector of at most 2^20 entries")?;
    match encoding {
        Encoding::Npy => match parse_npy(path, &bytes)? {
            Array::I16(v) => Ok(v),
            Array::F64(_) => Err(bad(
                path,
                "floats where int16 is needed (run `poa fingerprint quantize` first)",
            )),
        },
        Encoding::Raw => {
            if bytes.len() % 2 != 0 {
                return Err(bad(path, "odd byte count for little-endian int16"));
            }
            Ok(raw_entries(&bytes))
        }
    }
}
