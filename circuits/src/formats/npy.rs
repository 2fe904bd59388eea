//! int16 vector files: raw little-endian int16, or `.npy` (which may also
//! hold floats, for `poa fingerprint quantize`).

use std::path::Path;

use crate::Error;

/// A one-dimensional numeric array read from `.npy` or JSON.
#[derive(Clone, Debug, PartialEq)]
pub enum Array {
    /// `<i2`.
    I16(Vec<i16>),
    /// `<f4`, `<f8` or JSON numbers, as f64.
    F64(Vec<f64>),
}

fn bad(path: &Path, reason: impl Into<String>) -> Error {
    Error::BadVectorFile {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Parses a `.npy` file (format 1.0–3.0, little-endian, one-dimensional,
/// dtype `<i2`, `<f4` or `<f8`).
pub fn parse_npy(path: &Path, bytes: &[u8]) -> Result<Array, Error> {
    let magic = b"\x93NUMPY";
    if bytes.len() < 10 || &bytes[..6] != magic {
        return Err(bad(path, "not a .npy file (bad magic)"));
    }
    let (header_len, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        v => return Err(bad(path, format!("unsupported .npy version {v}"))),
    };
    let header = bytes
        .get(start..start + header_len)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or_else(|| bad(path, "truncated .npy header"))?;
    let data = &bytes[start + header_len..];
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
    if dims.len() != 1 {
        return Err(bad(
            path,
            format!("expected a one-dimensional array, found shape ({shape})"),
        ));
    }
    let len: usize = dims[0]
        .parse()
        .map_err(|_| bad(path, format!("bad shape ({shape})")))?;
    let descr = compact
        .split("'descr':'")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .ok_or_else(|| bad(path, "no descr in .npy header"))?;
    let width = match descr {
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
    if data.len() != len * width {
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

/// Reads an int16 vector from a `.npy` file (dtype `<i2`) or any other file
/// as raw little-endian int16.
pub fn read_int16_file(path: &Path) -> Result<Vec<i16>, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if path.extension().is_some_and(|e| e == "npy") {
        return match parse_npy(path, &bytes)? {
            Array::I16(v) => Ok(v),
            Array::F64(_) => Err(bad(
                path,
                "floats where int16 is needed (run `poa fingerprint quantize` first)",
            )),
        };
    }
    if bytes.len() % 2 != 0 {
        return Err(bad(path, "odd byte count for little-endian int16"));
    }
    Ok(bytes
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect())
}
