//! The binary container of key files: magic, versions, shape, length and a
//! Keccak-256 checksum of the payload, so that a truncated or corrupted key,
//! or one of another kind, circuit version or shape, is refused by name.
//!
//! ```text
//! offset  size  field
//!      0     8  magic (e.g. "POAG16VK")
//!      8     4  container format version (LE u32) = 1
//!     12     4  circuit version (LE u32)
//!     16     4  N (LE u32)
//!     20     4  D (LE u32)
//!     24     8  payload length (LE u64)
//!     32    32  keccak256(payload)
//!     64     …  payload (arkworks canonical serialization)
//! ```

use std::path::Path;

use poa_circuits::statement::Shape;
use sha3::{Digest, Keccak256};

use crate::Error;

/// Version of the container layout.
pub const CONTAINER_VERSION: u32 = 1;
const HEADER: usize = 64;

/// Keccak-256.
pub fn keccak(bytes: &[u8]) -> [u8; 32] {
    Keccak256::digest(bytes).into()
}

/// Wraps `payload` in a container.
pub fn seal(magic: &[u8; 8], circuit_version: u32, shape: Shape, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(&header(magic, circuit_version, shape, payload));
    out.extend_from_slice(payload);
    out
}

/// The header [`seal`] puts before `payload`: a large payload can be
/// written after it without being copied.
pub fn header(magic: &[u8; 8], circuit_version: u32, shape: Shape, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER);
    out.extend_from_slice(magic);
    out.extend_from_slice(&CONTAINER_VERSION.to_le_bytes());
    out.extend_from_slice(&circuit_version.to_le_bytes());
    out.extend_from_slice(&(shape.slots as u32).to_le_bytes());
    out.extend_from_slice(&(shape.dim as u32).to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&keccak(payload));
    out
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Opens a container read from `path`, checking magic, versions and checksum;
/// returns the shape and the payload.
pub fn open<'a>(
    path: &Path,
    bytes: &'a [u8],
    magic: &[u8; 8],
    circuit_version: u32,
) -> Result<(Shape, &'a [u8]), Error> {
    let bad = |reason: String| Error::Format {
        path: path.to_path_buf(),
        reason,
    };
    if bytes.len() < HEADER {
        return Err(bad(format!(
            "{} bytes is too short for a key file",
            bytes.len()
        )));
    }
    if &bytes[..8] != magic {
        return Err(bad(format!(
            "not a {} file (magic {:?})",
            String::from_utf8_lossy(magic),
            String::from_utf8_lossy(&bytes[..8])
        )));
    }
    let version = u32_at(bytes, 8);
    if version != CONTAINER_VERSION {
        return Err(bad(format!(
            "container version {version}, this build reads {CONTAINER_VERSION}"
        )));
    }
    let circuit = u32_at(bytes, 12);
    if circuit != circuit_version {
        return Err(bad(format!(
            "made for circuit version {circuit}, this build proves version {circuit_version}: run setup again"
        )));
    }
    let shape = Shape::new(u64::from(u32_at(bytes, 16)), u64::from(u32_at(bytes, 20)))
        .map_err(|e| bad(format!("bad shape in header: {e}")))?;
    let mut len = [0u8; 8];
    len.copy_from_slice(&bytes[24..32]);
    let len = u64::from_le_bytes(len) as usize;
    let payload = &bytes[HEADER..];
    if payload.len() != len {
        return Err(bad(format!(
            "payload of {} bytes, header says {len}: truncated?",
            payload.len()
        )));
    }
    if keccak(payload)[..] != bytes[32..64] {
        return Err(bad("checksum mismatch: the file is corrupted".into()));
    }
    Ok((shape, payload))
}

/// Reads a regular file, naming it on error.
pub fn read(path: &Path) -> Result<Vec<u8>, Error> {
    read_at_most(path, u64::MAX)
}

/// Reads a regular file of at most `max` bytes: the size is checked on the
/// open file, and no more than `max` bytes are read whatever it reports
/// (`/dev/zero`, a FIFO or a growing file are refused, not read forever).
pub fn read_at_most(path: &Path, max: u64) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let io = |cause| Error::Io {
        path: path.to_path_buf(),
        cause,
    };
    let bad = |reason: String| Error::Format {
        path: path.to_path_buf(),
        reason,
    };
    // Before opening: opening a FIFO would block.
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(bad("not a regular file".into()));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(bad("not a regular file".into()));
    }
    if meta.len() > max {
        return Err(bad(format!(
            "{} bytes: more than the {max} allowed",
            meta.len()
        )));
    }
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(bad(format!("more than the {max} bytes allowed")));
    }
    Ok(bytes)
}
