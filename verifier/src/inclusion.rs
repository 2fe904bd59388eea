//! The audit's `inclusion` check: a contributor's path leads from their
//! leaf to the root the claim publishes. [`bn254_inclusion`] is the one
//! under the BN254 `Q` (Groth16, halo2); another profile words its own
//! check with [`inclusion_check`].

use std::path::Path;

use poa_circuits::commit::leaf;
use poa_circuits::formats::{Claim, InclusionFile};
use poa_circuits::Fr;

use crate::claim::Check;
use crate::Error;

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

/// The `inclusion` check under the BN254 `Q` (Groth16, halo2): the file's
/// preimage `[D_c, U_c]`, its leaf `H_2(D_c, U_c)` and its path to `Q`.
pub fn bn254_inclusion(
    claim: &Claim,
    inclusion_path: &Path,
    dataset: Fr,
) -> Result<(usize, Check), Error> {
    let inclusion = InclusionFile::read(inclusion_path)?;
    bn254_inclusion_of(claim, &inclusion, dataset).map_err(|e| match e {
        Error::Statement(e) => Error::Statement(e.in_file(inclusion_path)),
        e => e,
    })
}

/// [`bn254_inclusion`] of an inclusion file already read.
pub fn bn254_inclusion_of(
    claim: &Claim,
    inclusion: &InclusionFile,
    dataset: Fr,
) -> Result<(usize, Check), Error> {
    let (path, leaf_claimed, root) = inclusion.parse_under(&claim.shape)?;
    let slot = path.index;
    let preimage = inclusion
        .preimage
        .iter()
        .enumerate()
        .map(|(i, x)| poa_circuits::field::parse_fr(&format!("preimage[{i}]"), &x.text()))
        .collect::<Result<Vec<_>, _>>()?;
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
    Ok((slot, check))
}
