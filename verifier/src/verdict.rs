//! The outcome of verifying a proof against a claim, for every backend.

use crate::claim::ClaimReport;
use crate::proof_file::hex0x;

/// The outcome of verifying a proof against a claim.
#[derive(Clone, Debug)]
pub struct Verdict {
    /// The claim's consistency checks.
    pub claim: ClaimReport,
    /// Whether the pairing check passed for the recomputed public inputs.
    pub proof_ok: bool,
    /// Why the proof was rejected, when it was.
    pub reason: Option<String>,
}

impl Verdict {
    /// The verdict of a proof made for the key with digest `file_digest`
    /// under the key with digest `vk_digest`: `check` runs only when they
    /// match; `failure` says why a failed check rejects.
    pub fn new(
        claim: ClaimReport,
        file_digest: &str,
        vk_digest: [u8; 32],
        check: impl FnOnce() -> bool,
        failure: &str,
    ) -> Self {
        let digest = hex0x(&vk_digest);
        let (proof_ok, reason) = if file_digest.to_lowercase() != digest {
            (
                false,
                Some(format!(
                    "the proof was made for verifying key {file_digest}, not {digest}"
                )),
            )
        } else if check() {
            (true, None)
        } else {
            (false, Some(failure.to_string()))
        };
        Verdict {
            claim,
            proof_ok,
            reason,
        }
    }

    /// Whether the claim is consistent and the proof valid.
    pub fn ok(&self) -> bool {
        self.claim.ok() && self.proof_ok
    }
}
