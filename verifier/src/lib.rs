//! # poa-verifier
//!
//! Native verification: a claim's internal consistency (SPEC §5–§6, what any
//! verifier recomputes before it looks at a proof) and, per backend, the
//! proof itself.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod claim;

pub use claim::{check_claim, Check, ClaimReport};

/// Errors of the verifier: malformed input, never a rejected proof (that is
/// `Ok(false)` or a failed [`Check`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input of the statement is malformed.
    #[error(transparent)]
    Statement(#[from] poa_circuits::Error),
}
