//! What every backend's verifier does, so that commands and audits are
//! written once: verify a proof file for a claim under a params folder,
//! and check a contributor's inclusion path under the claim's root.
//!
//! The backends are named in one place, the prover's registry
//! (`poa_prover::registry`), which pairs each prover with its verifier.

use std::path::Path;

use poa_circuits::formats::Claim;
use poa_circuits::Fr;

use crate::claim::Check;
use crate::verdict::Verdict;
use crate::Error;

/// Where a backend reports progress and warnings (the CLI prints them; a
/// library user may drop them with [`Silent`]).
pub trait Log: Sync {
    /// A step under way (stderr; hidden by `-q`).
    fn progress(&self, line: &str);
    /// A result line for people (stdout; hidden by `--json` and `-q`).
    fn say(&self, line: &str);
    /// Detail shown with `-v`.
    fn detail(&self, line: &str);
    /// A warning that is always shown (stderr), e.g. an insecure SRS.
    fn warn(&self, line: &str);
}

/// A [`Log`] that drops everything.
pub struct Silent;

impl Log for Silent {
    fn progress(&self, _: &str) {}
    fn say(&self, _: &str) {}
    fn detail(&self, _: &str) {}
    fn warn(&self, _: &str) {}
}

/// A verdict, with the backend's own report fields (e.g. the SRS digest).
pub struct Verification {
    /// The claim's checks and the proof's.
    pub verdict: Verdict,
    /// Fields added to the JSON report.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A backend's verifier.
pub trait Verifier: Sync {
    /// The backend's registry name, as proof files record it.
    fn name(&self) -> &'static str;

    /// The verdict on the proof at `proof` for `claim` (read from
    /// `claim_path`) under the keys in `params`. The public inputs are
    /// recomputed from the claim. A rejected proof is `Ok` with a failed
    /// verdict; a malformed or foreign file (another backend's proof, keys
    /// of another shape) is an `Err` naming it.
    fn verify(
        &self,
        params: &Path,
        claim: &Claim,
        claim_path: &Path,
        proof: &Path,
        log: &dyn Log,
    ) -> Result<Verification, Error>;

    /// The `inclusion` check of an audit: the path in the file `inclusion`
    /// leads from the contributor's leaf (`dataset` and its update
    /// commitment) to the root the claim publishes for this backend; with
    /// the slot the path is for. By default the BN254 `Q` (SPEC §5).
    fn inclusion(
        &self,
        claim: &Claim,
        _claim_path: &Path,
        inclusion: &Path,
        dataset: Fr,
    ) -> Result<(usize, Check), Error> {
        crate::inclusion::bn254_inclusion(claim, inclusion, dataset)
    }
}
