//! What a verifier checks of a claim before it looks at a proof: `γ`, `h`
//! and the public inputs are recomputed from the claimed values, never
//! trusted, and the payouts add up.

use poa_circuits::field::fr_to_decimal;
use poa_circuits::formats::Claim;
use poa_circuits::Fr;
use serde::Serialize;

use crate::Error;

/// One named check and its outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Short name, stable for scripts (`gamma`, `h`, `publicInputs`, `sum`,
    /// `datasets`, `dust`).
    pub name: &'static str,
    /// Whether it passed.
    pub ok: bool,
    /// What was compared.
    pub detail: String,
}

/// The outcome of [`check_claim`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClaimReport {
    /// Every check, in order.
    pub checks: Vec<Check>,
    /// The public inputs recomputed from the claim: `[Q, V, pool, γ, h]`.
    #[serde(skip)]
    pub public_inputs: [Fr; 5],
}

impl ClaimReport {
    /// Whether every check passed.
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }

    /// The first failed check.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| !c.ok)
    }
}

fn compare(name: &'static str, claimed: &Fr, recomputed: &Fr) -> Check {
    Check {
        name,
        ok: claimed == recomputed,
        detail: format!(
            "claimed {}, recomputed {}",
            fr_to_decimal(claimed),
            fr_to_decimal(recomputed)
        ),
    }
}

/// Recomputes `γ`, `h` and the public inputs from a claim and checks that the
/// payouts and dust add up to the pool (`Σ a_c + dust = pool`, and `dust < n`
/// unless nobody is paid).
pub fn check_claim(claim: &Claim) -> Result<ClaimReport, Error> {
    let public_inputs = claim.public.public_inputs()?;
    let gamma = public_inputs[3];
    let h = public_inputs[4];
    let mut checks = vec![
        compare("gamma", &claim.gamma, &gamma),
        compare("h", &claim.h, &h),
    ];
    checks.push(Check {
        name: "publicInputs",
        ok: claim.public_inputs == public_inputs,
        detail: "claimed [Q, V, pool, γ, h] against the recomputed ones".into(),
    });
    let paid: u128 = claim.public.payouts.iter().sum();
    checks.push(Check {
        name: "sum",
        ok: paid.checked_add(claim.dust) == Some(claim.public.pool),
        detail: format!(
            "Σ payouts {paid} + dust {} against pool {}",
            claim.dust, claim.public.pool
        ),
    });
    // The circuit reads D_c = 0 as a padding slot: an active one must differ.
    let zero = claim
        .public
        .datasets
        .iter()
        .position(|d| *d == Fr::from(0u64));
    checks.push(Check {
        name: "datasets",
        ok: zero.is_none(),
        detail: match zero {
            Some(c) => format!("datasets[{c}] is 0, which marks a padding slot"),
            None => "every active dataset commitment is non-zero".into(),
        },
    });
    let n = claim.public.datasets.len() as u128;
    checks.push(Check {
        name: "dust",
        ok: paid == 0 || claim.dust < n,
        detail: format!(
            "dust {} with n = {n} (must be < n unless nobody is paid)",
            claim.dust
        ),
    });
    Ok(ClaimReport {
        checks,
        public_inputs,
    })
}
