//! What the formats share: [`Num`], the context words, the format tags and
//! the JSON and I/O helpers.

use std::path::Path;

use num_bigint::BigUint;
use num_traits::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::field::{fr_to_decimal, parse_bounded, parse_fr};
use crate::public::Context;
use crate::{Error, Fr};

/// Format tag of claim files.
pub const CLAIM_FORMAT: &str = "poa-claim";
/// Version of claim files. v2 (v1 plus the optional `goldilocks`
/// commitments) is the only one read: a v1 claim cannot say which
/// profile's commitments a proof must publish.
pub const CLAIM_VERSION: u32 = 2;
/// Format tag of report files.
pub const REPORT_FORMAT: &str = "poa-report";
/// Format tag of inclusion files.
pub const INCLUSION_FORMAT: &str = "poa-inclusion";
/// Version of the report and inclusion formats (claims have
/// [`CLAIM_VERSION`]).
pub const FORMAT_VERSION: u32 = 1;

/// An integer written as a decimal or `0x` hex string, or as a JSON number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Num {
    /// `"123"` or `"0x7b"`.
    Text(String),
    /// `123`.
    Int(u64),
}

impl Num {
    /// The integer as written (a JSON number as decimal).
    pub fn text(&self) -> String {
        match self {
            Num::Text(s) => s.clone(),
            Num::Int(i) => i.to_string(),
        }
    }
    pub(crate) fn fr(&self, field: &str) -> Result<Fr, Error> {
        parse_fr(field, &self.text())
    }
    pub(crate) fn uint(&self, field: &str, bits: u64) -> Result<BigUint, Error> {
        parse_bounded(field, &self.text(), bits)
    }
    pub(crate) fn u128(&self, field: &str, bits: u64) -> Result<u128, Error> {
        // bits ≤ 128 at every call site.
        Ok(self.uint(field, bits)?.to_u128().unwrap_or(u128::MAX))
    }
}

pub(crate) fn dec(x: &Fr) -> Num {
    Num::Text(fr_to_decimal(x))
}

/// The context words as written in files.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContextFile {
    /// `chainId`.
    pub chain_id: Num,
    /// The settlement contract's address as an integer; 0 off chain.
    pub verifier: Num,
    /// `modelId`.
    pub model_id: Num,
    /// `epoch`.
    pub epoch: Num,
}

impl ContextFile {
    pub(crate) fn parse(&self) -> Result<Context, Error> {
        Ok(Context {
            chain_id: self.chain_id.uint("ctx.chainId", 256)?,
            verifier: self.verifier.uint("ctx.verifier", 256)?,
            model_id: self.model_id.uint("ctx.modelId", 256)?,
            epoch: self.epoch.uint("ctx.epoch", 256)?,
        })
    }

    pub(crate) fn from_context(ctx: &Context) -> Self {
        ContextFile {
            chain_id: Num::Text(ctx.chain_id.to_string()),
            verifier: Num::Text(ctx.verifier.to_string()),
            model_id: Num::Text(ctx.model_id.to_string()),
            epoch: Num::Text(ctx.epoch.to_string()),
        }
    }
}

/// Pretty JSON of any serialisable value.
pub fn pretty<T: Serialize>(value: &T) -> String {
    // Serialising these plain structs cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

/// The bytes of a file; errors name the file.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let not_regular = || {
        io_error(
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"),
        )
    };
    // Before opening: opening a FIFO would block.
    if !std::fs::metadata(path)
        .map_err(|cause| io_error(path, cause))?
        .is_file()
    {
        return Err(not_regular());
    }
    let file = std::fs::File::open(path).map_err(|cause| io_error(path, cause))?;
    let meta = file.metadata().map_err(|cause| io_error(path, cause))?;
    // A FIFO or a device (`/dev/zero`) would block or never end.
    if !meta.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::new();
    file.take(meta.len())
        .read_to_end(&mut bytes)
        .map_err(|cause| io_error(path, cause))?;
    Ok(bytes)
}

/// An I/O error about `path`.
pub(crate) fn io_error(path: &Path, cause: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        cause,
    }
}

/// A JSON error about `path`.
pub(crate) fn json_error(path: &Path, cause: serde_json::Error) -> Error {
    Error::Json {
        path: path.to_path_buf(),
        cause,
    }
}

/// Parses JSON bytes into `T`; errors name `path`.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    path: &Path,
) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|cause| json_error(path, cause))
}
