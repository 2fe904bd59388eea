//! A contributor's audit: with only public data (claim, proof, verifying
//! key) and their own secrets (their dataset commitment, recomputed from
//! their data and salt, and the inclusion path the trainer handed them).

use poa_circuits::commit::leaf;
use poa_circuits::field::fr_to_decimal;
use poa_circuits::formats::{Claim, InclusionFile};
use poa_circuits::Fr;

use crate::claim::Check;
use crate::groth16::{verify, ProofFile, VerifyingKeyFile};
use crate::Error;

/// Everything an audit reads.
pub struct AuditInputs<'a> {
    /// The public claim.
    pub claim: &'a Claim,
    /// The verifying key and the file it came from.
    pub vk: (&'a std::path::Path, &'a VerifyingKeyFile),
    /// The proof.
    pub proof: (&'a ProofFile, &'a ark_groth16::Proof<ark_bn254::Bn254>),
    /// The path of the contributor's slot under `Q`.
    pub inclusion: &'a InclusionFile,
    /// The contributor's own dataset commitment `D_c`.
    pub dataset: Fr,
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

/// Runs the audit. Malformed inputs are errors; failed checks are not.
pub fn audit(inputs: AuditInputs<'_>) -> Result<Audit, Error> {
    let AuditInputs {
        claim,
        vk,
        proof,
        inclusion,
        dataset,
    } = inputs;
    let (path, leaf_claimed, root) = inclusion.parse()?;
    let slot = path.index;
    let preimage = inclusion
        .preimage
        .iter()
        .enumerate()
        .map(|(i, x)| poa_circuits::field::parse_fr(&format!("preimage[{i}]"), &x.text()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut checks = Vec::new();

    // 1. Their dataset is leaf `slot` under the claim's Q.
    let (ok, detail) = match preimage.as_slice() {
        [d, u] if inclusion.kind == "slot" => {
            let l = leaf(*d, *u);
            let under_q = path.root_from(l) == claim.public.q && root == claim.public.q;
            (
                *d == dataset && l == leaf_claimed && under_q,
                format!(
                    "leaf H_2(D_c, U_c) at slot {slot}: D_c {} your commitment; path {} Q",
                    if *d == dataset { "is" } else { "is NOT" },
                    if under_q {
                        "leads to"
                    } else {
                        "does NOT lead to"
                    }
                ),
            )
        }
        _ => (
            false,
            "not a slot inclusion path ([D_c, U_c] preimage)".into(),
        ),
    };
    checks.push(Check {
        name: "inclusion",
        ok,
        detail,
    });

    // 2. The claim lists their dataset in that slot.
    let listed = claim.public.datasets.get(slot).copied();
    checks.push(Check {
        name: "dataset",
        ok: listed == Some(dataset),
        detail: match listed {
            Some(d) => format!("claim lists {} in slot {slot}", fr_to_decimal(&d)),
            None => format!(
                "claim has no slot {slot} (n = {})",
                claim.public.datasets.len()
            ),
        },
    });

    // 3. and 4. The claim adds up, and the proof verifies for it (γ and h
    // recomputed from the claim), so the payout in slot `slot` is proven.
    let verdict = verify(vk.0, vk.1, claim, proof.0, proof.1)?;
    checks.push(Check {
        name: "claim",
        ok: verdict.claim.ok(),
        detail: match verdict.claim.first_failure() {
            Some(c) => format!("claim check `{}` failed: {}", c.name, c.detail),
            None => "γ, h, public inputs recomputed; Σ payouts + dust = pool".into(),
        },
    });
    checks.push(Check {
        name: "proof",
        ok: verdict.proof_ok,
        detail: verdict
            .reason
            .clone()
            .unwrap_or_else(|| "the proof verifies for the claim".into()),
    });
    Ok(Audit {
        checks,
        slot,
        payout: claim.public.payouts.get(slot).copied(),
    })
}
