//! The shared statement vectors (`vectors/statement.json`, see
//! `vectors/README.md`), embedded: the demo runs one of their epochs and the
//! tests of every crate read them from here.

use crate::formats::EpochFile;
use crate::statement::Epoch;
use crate::{Error, Problem};

/// `vectors/statement.json`.
pub const STATEMENT: &str = include_str!("../vectors/statement.json");

/// The `epoch` and `expected` objects of the case named `name`.
pub fn statement_case(name: &str) -> Result<(serde_json::Value, serde_json::Value), Error> {
    let missing = || {
        Error::field(
            "name",
            Problem::Invalid(format!("no statement vector named `{name}`")),
        )
    };
    let all: serde_json::Value = serde_json::from_str(STATEMENT).map_err(|_| missing())?;
    let case = all["cases"]
        .as_array()
        .and_then(|cases| cases.iter().find(|c| c["name"] == name))
        .ok_or_else(missing)?;
    Ok((case["epoch"].clone(), case["expected"].clone()))
}

/// The epoch of the case named `name`, parsed and checked.
pub fn statement_epoch(name: &str) -> Result<Epoch, Error> {
    let (epoch, _) = statement_case(name)?;
    let file: EpochFile = serde_json::from_value(epoch)
        .map_err(|e| Error::field("epoch", Problem::Invalid(e.to_string())))?;
    file.parse(None)
}
