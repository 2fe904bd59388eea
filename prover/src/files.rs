//! Atomic output: a file is written in full beside its destination, then
//! renamed over it, so a failure never leaves a partial output.

use std::io::Write;
use std::path::Path;

use crate::Error;

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomic_parts(path, &[bytes])
}

/// Writes the concatenation of `parts` to `path` atomically (a large file
/// in pieces, never copied into one buffer).
pub fn write_atomic_parts(path: &Path, parts: &[&[u8]]) -> Result<(), Error> {
    let io = |cause| Error::Io {
        path: path.to_path_buf(),
        cause,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a file name",
        ))
    })?;
    // A fresh name that nobody can have prepared (a symlink planted under
    // a predictable name would redirect the write): random, created new.
    let mut nonce = [0u8; 8];
    getrandom::getrandom(&mut nonce).map_err(|e| io(std::io::Error::other(e.to_string())))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        hex::encode(nonce)
    ));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        for part in parts {
            file.write_all(part)?;
        }
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        // Best effort: the temporary file may not exist.
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}
