//! The private report: scores and commitments.

use serde::{Deserialize, Serialize};

use super::common::{dec, Num, FORMAT_VERSION, REPORT_FORMAT};
use crate::statement::Attribution;

/// The private report: scores and commitments (never published).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReportFile {
    /// Always `poa-report`.
    pub format: String,
    /// Format version.
    pub version: u32,
    /// `s_c` per active slot (signed decimal).
    pub scores: Vec<String>,
    /// `S`.
    #[serde(rename = "S")]
    pub total: String,
    /// `U_c` per active slot.
    #[serde(rename = "updateCommitments")]
    pub update_commitments: Vec<Num>,
    /// `L_0 … L_{N-1}`.
    pub leaves: Vec<Num>,
}

impl ReportFile {
    /// The report of an attribution.
    pub fn new(attribution: &Attribution) -> Self {
        ReportFile {
            format: REPORT_FORMAT.into(),
            version: FORMAT_VERSION,
            scores: attribution.scores.iter().map(|s| s.to_string()).collect(),
            total: attribution.split.total.to_string(),
            update_commitments: attribution.update_commitments.iter().map(dec).collect(),
            leaves: attribution.leaves.iter().map(dec).collect(),
        }
    }
}
