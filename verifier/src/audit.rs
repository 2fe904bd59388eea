//! A contributor's audit: with only public data (claim, proof, verifying
//! key) and their own secrets (their dataset commitment, recomputed from
//! their data and salt, and the inclusion path the trainer handed them).
//!
//! [`audit`] is the Groth16 one; another backend computes its profile's
//! [`inclusion_check`] and its proof's [`Verdict`], and [`conclude`] makes
//! the same checks of both (the plonky2 audit is `poa audit --backend
//! plonky2`, in the prover: its hashes need the nightly-only plonky2).

use poa_circuits::commit::leaf;
use poa_circuits::field::fr_to_decimal;
use poa_circuits::formats::{Claim, InclusionFile};
use poa_circuits::Fr;

use crate::claim::Check;
use crate::groth16::{verify, ProofFile, Verdict, VerifyingKeyFile};
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

/// The `inclusion` check, worded alike for every profile: the path's
/// `D_c` is the contributor's commitment, its leaf (named `leaf`, e.g.
/// `H_2(D_c, U_c)`) is that of its preimage, and it leads to the claim's
/// root (named `q`).
pub fn inclusion_check(
    leaf: &str,
    q: &str,
    slot: usize,
    yours: bool,
    leaf_ok: bool,
    under_q: bool,
) -> Check {
    let not = |ok: bool| if ok { "" } else { " NOT" };
    Check {
        name: "inclusion",
        ok: yours && leaf_ok && under_q,
        detail: format!(
            "leaf {leaf} at slot {slot}: D_c is{} your commitment, the leaf is{} that of its \
             preimage; path does{} lead to {q}",
            not(yours),
            not(leaf_ok),
            not(under_q)
        ),
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

/// Runs the Groth16 audit. Malformed inputs are errors; failed checks are
/// not.
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

    // 1. Their dataset is leaf `slot` under the claim's Q.
    let check = match preimage.as_slice() {
        [d, u] if inclusion.kind == "slot" => {
            let l = leaf(*d, *u);
            let under_q = path.root_from(l) == claim.public.q && root == claim.public.q;
            inclusion_check(
                "H_2(D_c, U_c)",
                "Q",
                slot,
                *d == dataset,
                l == leaf_claimed,
                under_q,
            )
        }
        _ => Check {
            name: "inclusion",
            ok: false,
            detail: "not a slot inclusion path ([D_c, U_c] preimage)".into(),
        },
    };

    // 2. to 4. The claim lists their dataset, adds up, and the proof
    // verifies for it (γ and h recomputed from the claim).
    let verdict = verify(vk.0, vk.1, claim, proof.0, proof.1)?;
    Ok(conclude(claim, slot, dataset, check, &verdict))
}
