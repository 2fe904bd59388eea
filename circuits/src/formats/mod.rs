//! File formats (JSON, documented in the README): the epoch (private
//! witness, [`epoch`]), the claim (everything public, [`claim`]), the report
//! (private scores, [`report`]) and the inclusion path ([`inclusion`]); plus
//! int16 vector files, raw little-endian or `.npy` ([`npy`]). The Goldilocks
//! profile's parts (the claim's `goldilocks` commitments, a slot's path under
//! the Goldilocks `Q`) are in [`goldilocks`].
//!
//! What they share (`Num`, the context words, the format tags, the JSON
//! helpers) is in `common`, which imports none of them.

pub mod claim;
mod common;
pub mod epoch;
pub mod goldilocks;
pub mod inclusion;
pub mod npy;
pub mod report;

pub use self::claim::{Claim, ClaimFile};
pub use self::common::{
    pretty, ContextFile, Num, CLAIM_FORMAT, CLAIM_VERSION, FORMAT_VERSION, INCLUSION_FORMAT,
    REPORT_FORMAT,
};
pub use self::epoch::{EpochFile, ParticipantFile, ValidationFile, VectorSource};
pub use self::inclusion::InclusionFile;
pub use self::npy::{npy_int16, parse_npy, read_int16_file, Array};
pub use self::report::ReportFile;
