//! iden3's binary files (`@iden3/binfileutils`), the container of `.ptau`,
//! `.r1cs` and `.zkey`:
//!
//! ```text
//! magic (4 bytes, e.g. "ptau") · version (LE u32) · number of sections (LE u32)
//! then per section: type (LE u32) · size (LE u64) · size bytes
//! ```
//!
//! Reading seeks from section to section, so a 2^28 `.ptau` is opened
//! without reading it, and only the prefixes a circuit needs are read.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::Error;

/// What a binary file is read from: a file, or bytes in memory.
pub trait Source: Read + Seek {}
impl<T: Read + Seek> Source for T {}

/// An open binary file: its sections' offsets and sizes.
pub struct BinFile {
    path: PathBuf,
    file: Box<dyn Source>,
    /// The version in the header.
    pub version: u32,
    sections: BTreeMap<u32, (u64, u64)>,
}

impl BinFile {
    /// Opens `path`, checks the magic and reads the section table.
    pub fn open(path: &Path, magic: &[u8; 4], max_version: u32) -> Result<Self, Error> {
        let io = |cause| Error::Io {
            path: path.to_path_buf(),
            cause,
        };
        // Before opening: opening a FIFO would block.
        if !std::fs::metadata(path).map_err(io)?.is_file() {
            return Err(Error::format(path, "file", "not a regular file"));
        }
        let file = File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        Self::from_source(path, Box::new(file), len, magic, max_version)
    }

    /// Reads `bytes` (named `path` in errors) as a binary file.
    pub fn from_bytes(
        path: &Path,
        bytes: Vec<u8>,
        magic: &[u8; 4],
        max_version: u32,
    ) -> Result<Self, Error> {
        let len = bytes.len() as u64;
        Self::from_source(
            path,
            Box::new(std::io::Cursor::new(bytes)),
            len,
            magic,
            max_version,
        )
    }

    fn from_source(
        path: &Path,
        mut file: Box<dyn Source>,
        len: u64,
        magic: &[u8; 4],
        max_version: u32,
    ) -> Result<Self, Error> {
        let io = |cause| Error::Io {
            path: path.to_path_buf(),
            cause,
        };
        let mut head = [0u8; 12];
        file.read_exact(&mut head)
            .map_err(|_| Error::format(path, "header", format!("{len} bytes is too short")))?;
        if &head[..4] != magic {
            return Err(Error::format(
                path,
                "magic",
                format!(
                    "not a .{} file (starts with {:?})",
                    String::from_utf8_lossy(magic),
                    String::from_utf8_lossy(&head[..4])
                ),
            ));
        }
        let version = u32_le(&head[4..8]);
        if version == 0 || version > max_version {
            return Err(Error::format(
                path,
                "version",
                format!("version {version}, this build reads 1 to {max_version}"),
            ));
        }
        let n = u32_le(&head[8..12]);
        let mut sections = BTreeMap::new();
        let mut at = 12u64;
        for i in 0..n {
            let mut h = [0u8; 12];
            file.seek(SeekFrom::Start(at)).map_err(io)?;
            file.read_exact(&mut h).map_err(|_| {
                Error::format(path, format!("section {i} of {n}"), "truncated header")
            })?;
            let (id, size) = (u32_le(&h[..4]), u64_le(&h[4..12]));
            let start = at + 12;
            let end = start.checked_add(size).filter(|&e| e <= len).ok_or_else(|| {
                Error::format(
                    path,
                    format!("section {id}"),
                    format!("{size} bytes at offset {start}, past the end of the file ({len} bytes): truncated?"),
                )
            })?;
            if sections.insert(id, (start, size)).is_some() {
                return Err(Error::format(path, format!("section {id}"), "duplicated"));
            }
            at = end;
        }
        Ok(BinFile {
            path: path.to_path_buf(),
            file,
            version,
            sections,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether section `id` is present.
    pub fn has(&self, id: u32) -> bool {
        self.sections.contains_key(&id)
    }

    /// The size of section `id` (an error naming it when absent).
    pub fn size(&self, id: u32, name: &str) -> Result<u64, Error> {
        self.sections
            .get(&id)
            .map(|s| s.1)
            .ok_or_else(|| Error::format(&self.path, format!("section {id} ({name})"), "missing"))
    }

    /// `len` bytes of section `id` from `offset`.
    pub fn read(&mut self, id: u32, name: &str, offset: u64, len: u64) -> Result<Vec<u8>, Error> {
        let (start, size) = *self.sections.get(&id).ok_or_else(|| {
            Error::format(&self.path, format!("section {id} ({name})"), "missing")
        })?;
        if offset.checked_add(len).is_none_or(|e| e > size) {
            return Err(Error::format(
                &self.path,
                format!("section {id} ({name})"),
                format!("{size} bytes, {} needed", offset.saturating_add(len)),
            ));
        }
        let io = |cause| Error::Io {
            path: self.path.clone(),
            cause,
        };
        self.file
            .seek(SeekFrom::Start(start + offset))
            .map_err(io)?;
        let mut out = vec![0u8; len as usize];
        self.file.read_exact(&mut out).map_err(io)?;
        Ok(out)
    }

    /// The whole of section `id`.
    pub fn section(&mut self, id: u32, name: &str) -> Result<Vec<u8>, Error> {
        let size = self.size(id, name)?;
        self.read(id, name, 0, size)
    }
}

/// Builds a binary file in memory.
pub struct Writer {
    out: Vec<u8>,
}

impl Writer {
    /// A file of `n_sections` sections.
    pub fn new(magic: &[u8; 4], version: u32, n_sections: u32) -> Self {
        let mut out = Vec::new();
        out.extend_from_slice(magic);
        out.extend_from_slice(&version.to_le_bytes());
        out.extend_from_slice(&n_sections.to_le_bytes());
        Writer { out }
    }

    /// Appends section `id`.
    pub fn section(&mut self, id: u32, bytes: &[u8]) {
        self.out.extend_from_slice(&id.to_le_bytes());
        self.out
            .extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        self.out.extend_from_slice(bytes);
    }

    /// The file's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.out
    }
}

/// A little-endian u32 (`b` has at least 4 bytes).
pub(crate) fn u32_le(b: &[u8]) -> u32 {
    let mut x = [0u8; 4];
    x.copy_from_slice(&b[..4]);
    u32::from_le_bytes(x)
}

/// A little-endian u64 (`b` has at least 8 bytes).
pub(crate) fn u64_le(b: &[u8]) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[..8]);
    u64::from_le_bytes(x)
}

/// A cursor over a section's bytes, naming the file and section on error.
pub struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
    path: &'a Path,
    section: &'a str,
}

impl<'a> Cursor<'a> {
    /// A cursor over `bytes`, section `section` of `path`.
    pub fn new(bytes: &'a [u8], path: &'a Path, section: &'a str) -> Self {
        Cursor {
            bytes,
            at: 0,
            path,
            section,
        }
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize, field: &str) -> Result<&'a [u8], Error> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| {
                Error::format(
                    self.path,
                    format!("{} / {field}", self.section),
                    "truncated",
                )
            })?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    /// A little-endian u32.
    pub fn u32(&mut self, field: &str) -> Result<u32, Error> {
        Ok(u32_le(self.take(4, field)?))
    }

    /// Bytes left.
    pub fn left(&self) -> usize {
        self.bytes.len() - self.at
    }
}
