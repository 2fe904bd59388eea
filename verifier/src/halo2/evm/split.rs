//! Cutting the statements into segments of about equal size, and the
//! memory `[0, W_j)` each prefix of segments has written (what a part
//! receives and returns).

use super::generate;
use super::yul::{parse, write_end};
use super::EvmVerifier;
use crate::Error;

fn round_up(x: u64) -> u64 {
    x.div_ceil(32) * 32
}

/// Splits snark-verifier's single-contract `source` into the fewest segments
/// of about equal size with about `segment_chars` characters of statements
/// each at most (a segment ends with the statement that reaches the equal
/// share, so it exceeds it by less than one statement).
pub fn split(source: &str, segment_chars: usize) -> Result<EvmVerifier, Error> {
    let program = parse(source)?;
    // As many segments as `segment_chars` needs, of even sizes.
    let total: usize = program.body.iter().map(String::len).sum();
    let count = total.div_ceil(segment_chars.max(1)).max(1);
    let target = total.div_ceil(count);
    let mut segments: Vec<Vec<&String>> = vec![Vec::new()];
    let mut size = 0;
    for s in &program.body {
        if size >= target {
            segments.push(Vec::new());
            size = 0;
        }
        size += s.len();
        if let Some(last) = segments.last_mut() {
            last.push(s);
        }
    }
    // marks[j]: the memory the first j + 1 segments have written.
    let mut marks = Vec::with_capacity(segments.len());
    let mut mark = 0;
    for segment in &segments {
        for s in segment {
            mark = mark.max(write_end(s)?);
        }
        marks.push(round_up(mark));
    }
    let header: String = program.header.concat();
    Ok(EvmVerifier {
        entry_code: generate::entry_code(&header, &segments, &marks)?,
        parts: generate::parts(&header, &segments, &marks)?,
    })
}
