//! A contributor's audit: with only public data (claim, proof, keys) and
//! their own secrets (their dataset commitment, recomputed from their data
//! and salt, and the inclusion path the trainer handed them). The same for
//! every backend: the backend's [`Verifier::inclusion`] checks the path
//! under the root its proofs publish, its [`Verifier::verify`] the proof,
//! and [`conclude`] makes the remaining checks (the path checks are in
//! [`crate::inclusion`]).

use std::path::Path;

use poa_circuits::field::fr_to_decimal;
use poa_circuits::formats::Claim;
use poa_circuits::Fr;

use crate::backend::{Log, Verifier};
use crate::claim::Check;
use crate::verdict::Verdict;
use crate::Error;

/// The public files an audit reads.
pub struct AuditFiles<'a> {
    /// The params folder (keys).
    pub params: &'a Path,
    /// The claim file, read into `claim`.
    pub claim_path: &'a Path,
    /// The claim.
    pub claim: &'a Claim,
    /// The proof file.
    pub proof: &'a Path,
    /// The inclusion path of the contributor's slot.
    pub inclusion: &'a Path,
}

/// The outcome: every check, and the contributor's slot and payout.
pub struct Audit {
    /// Checks in order: `inclusion`, `dataset`, `claim`, `proof`.
    pub checks: Vec<Check>,
    /// The slot of the path.
    pub slot: usize,
    /// The payout the claim gives that slot (when it has one).
    pub payout: Option<u128>,
}

impl Audit {
    /// Whether every check passed.
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }
}

/// The checks after `inclusion`, the same for every backend: `dataset` (the
/// claim lists the contributor's dataset in `slot`), then `claim` and
/// `proof` from the backend's verdict (its public inputs recomputed from the
/// claim), so that the claim's payout for `slot` is proven.
pub fn conclude(
    claim: &Claim,
    slot: usize,
    dataset: Fr,
    inclusion: Check,
    verdict: &Verdict,
) -> Audit {
    let listed = claim.public.datasets.get(slot).copied();
    let checks = vec![
        inclusion,
        Check {
            name: "dataset",
            ok: listed == Some(dataset),
            detail: match listed {
                Some(d) => format!("claim lists {} in slot {slot}", fr_to_decimal(&d)),
                None => format!(
                    "claim has no slot {slot} (n = {})",
                    claim.public.datasets.len()
                ),
            },
        },
        Check {
            name: "claim",
            ok: verdict.claim.ok(),
            detail: match verdict.claim.first_failure() {
                Some(c) => format!("claim check `{}` failed: {}", c.name, c.detail),
                None => "γ, h, public inputs recomputed; Σ payouts + dust = pool".into(),
            },
        },
        Check {
            name: "proof",
            ok: verdict.proof_ok,
            detail: verdict
                .reason
                .clone()
                .unwrap_or_else(|| "the proof verifies for the claim".into()),
        },
    ];
    Audit {
        checks,
        slot,
        payout: claim.public.payouts.get(slot).copied(),
    }
}

/// Runs an audit with `verifier`: malformed inputs are errors (naming the
/// file), failed checks are not.
pub fn audit(
    verifier: &dyn Verifier,
    files: &AuditFiles<'_>,
    dataset: Fr,
    log: &dyn Log,
) -> Result<Audit, Error> {
    // 1. Their dataset is the leaf of the path's slot under the claim's root.
    let (slot, check) =
        verifier.inclusion(files.claim, files.claim_path, files.inclusion, dataset)?;
    // 2. to 4. The claim lists their dataset, adds up, and the proof
    // verifies for it (the public inputs recomputed from the claim).
    let verification = verifier.verify(
        files.params,
        files.claim,
        files.claim_path,
        files.proof,
        log,
    )?;
    Ok(conclude(
        files.claim,
        slot,
        dataset,
        check,
        &verification.verdict,
    ))
}
