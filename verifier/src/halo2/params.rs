//! A halo2 params folder: `halo2.srs`, `halo2.vk` and the setup record
//! `halo2.json` (the SRS digest and whether setup made the SRS itself).
//!
//! Every command that reads a folder re-derives the verifying key from the
//! SRS and the shape and refuses a `halo2.vk` that differs (the digest in a
//! proof file is the prover's own, so it proves nothing), and checks the
//! SRS against the record.

use std::path::{Path, PathBuf};

use poa_circuits::halo2::AttributionCircuit;
use poa_circuits::statement::Shape;
use serde_json::json;

use super::{check_vk, read_srs_exact, srs_digest, Srs, VerifyingKeyFile, SRS_FILE, VK_FILE};
use crate::backend::Log;
use crate::proof_file::hex0x;
use crate::Error;

/// The setup record in a params folder.
pub const RECORD_FILE: &str = "halo2.json";
/// What the SRS digest is, for people.
pub const SRS_DIGEST_IS: &str = "Keccak-256 of g2 ‖ s·g2: compare it with the ceremony's";

/// The SRS of a params folder as its setup record describes it.
pub struct SrsInfo {
    /// The SRS file.
    pub file: PathBuf,
    /// Its [`srs_digest`].
    pub digest: [u8; 32],
    /// Whether setup made it here (`None`: no record says).
    pub insecure: Option<bool>,
}

impl SrsInfo {
    /// The report fields.
    pub fn to_json(&self) -> serde_json::Value {
        json!({ "file": self.file, "digest": hex0x(&self.digest), "insecure": self.insecure })
    }

    /// Prints the digest; warns when the SRS is insecure or its origin
    /// unrecorded.
    pub fn announce(&self, log: &dyn Log) {
        log.say(&format!(
            "SRS {}: digest {} ({SRS_DIGEST_IS})",
            self.file.display(),
            hex0x(&self.digest)
        ));
        match self.insecure {
            Some(true) => log.warn(&format!(
                "{} is an INSECURE single-party SRS (setup --insecure-single-party): \
                 whoever made it can forge proofs; for development only",
                self.file.display()
            )),
            Some(false) => {}
            None => log.warn(&format!(
                "{} has no setup record saying where it comes from: compare its \
                 digest {} with the ceremony's",
                self.file.display(),
                hex0x(&self.digest)
            )),
        }
    }
}

fn format_err(path: &Path, reason: String) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        reason,
    }
}

/// The SRS's digest, checked against the setup record when there is one.
pub fn srs_info(params_dir: &Path, params: &Srs) -> Result<SrsInfo, Error> {
    let file = params_dir.join(SRS_FILE);
    let digest = srs_digest(params);
    let record_path = params_dir.join(RECORD_FILE);
    // A setup record is a few hundred bytes.
    let record: serde_json::Value = if record_path.exists() {
        let bytes = crate::container::read_at_most(&record_path, 1 << 20)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| format_err(&record_path, format!("not JSON: {e}")))?
    } else {
        serde_json::Value::Null
    };
    if let Some(recorded) = record.get("srsDigest") {
        let recorded = recorded.as_str().unwrap_or_default();
        if !recorded.eq_ignore_ascii_case(&hex0x(&digest)) {
            return Err(format_err(
                &record_path,
                format!(
                    "field `srsDigest`: {recorded} is not the digest of {} ({}): the SRS is not \
                     the one setup used",
                    file.display(),
                    hex0x(&digest)
                ),
            ));
        }
    }
    // An insecure flag without the digest it was recorded for says nothing.
    let insecure = record
        .get("srsDigest")
        .and(record.get("insecure"))
        .and_then(|v| v.as_bool());
    Ok(SrsInfo {
        file,
        digest,
        insecure,
    })
}

/// The key and the SRS of `params_dir`, the key of `shape` (or of its own
/// shape), unchecked.
pub fn load(params_dir: &Path, shape: Option<Shape>) -> Result<(VerifyingKeyFile, Srs), Error> {
    let vk_path = params_dir.join(VK_FILE);
    let vk = VerifyingKeyFile::read(&vk_path)?;
    if let Some(shape) = shape.filter(|&s| s != vk.shape) {
        return Err(Error::ShapeMismatch {
            path: vk_path,
            key: vk.shape,
            claim: shape,
        });
    }
    let k = AttributionCircuit::k(vk.shape)?;
    let params = read_srs_exact(&params_dir.join(SRS_FILE), k)?;
    Ok((vk, params))
}

/// [`load`], then the SRS against the setup record and the key against the
/// one the SRS and the shape give: what verifying and exporting use.
pub fn load_checked(
    log: &dyn Log,
    params_dir: &Path,
    shape: Option<Shape>,
) -> Result<(VerifyingKeyFile, Srs, SrsInfo), Error> {
    let (vk, params) = load(params_dir, shape)?;
    let srs = srs_info(params_dir, &params)?;
    log.progress(&format!(
        "deriving the {} verifying key from {} to check {}",
        vk.shape,
        srs.file.display(),
        VK_FILE
    ));
    check_vk(&params_dir.join(VK_FILE), &vk, &params)?;
    Ok((vk, params, srs))
}
