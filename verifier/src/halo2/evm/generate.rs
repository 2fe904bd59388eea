//! Writing the contracts: the entry (header, segment 1, one checked call
//! per part, pinned to the parts' code hashes) and the parts (memory in,
//! their statements with shifted calldata offsets, memory or the word
//! PASSED out), from the template
//! `contracts/src/verifier/Halo2Verifier.sol.tmpl`.

use super::yul::shift_calldata;
use super::{last_part_word, verified_word, EvmVerifier, ENTRY, LAST_PART_TAG, VERIFIED_TAG};
use crate::template::{fill, Template};
use crate::Error;

/// The contracts' template (see its header and [`crate::template`]).
pub(super) const TEMPLATE: &str =
    include_str!("../../../../contracts/src/verifier/Halo2Verifier.sol.tmpl");

/// The template's sections.
struct Sections(Template<'static>);

impl Sections {
    fn new() -> Self {
        Sections(Template::parse(TEMPLATE))
    }

    /// Section `name`, filled with `values`.
    fn fill(&self, name: &str, values: &[(&str, &str)]) -> Result<String, Error> {
        let text = self.0.section(name).ok_or_else(|| {
            Error::Backend(format!("Halo2Verifier.sol.tmpl has no section `{name}`"))
        })?;
        Ok(fill(text, values))
    }

    /// A contract of `code` in a fallback's memory-safe assembly block.
    fn contract(
        &self,
        name: &str,
        doc: &str,
        fields: &str,
        locals: &str,
        code: &str,
    ) -> Result<String, Error> {
        let mut lines = String::new();
        for l in code.lines() {
            lines.push_str(&self.fill("code-line", &[("LINE", l.trim_start())])?);
        }
        self.fill(
            "contract",
            &[
                ("DOC", doc),
                ("NAME", name),
                ("FIELDS", fields),
                ("LOCALS", locals),
                ("CODE", &lines),
            ],
        )
    }
}

/// The contract name of part `j` (0-based segment index; parts are
/// numbered from 2, the entry being part 1).
fn part_name(j: usize) -> String {
    format!("{ENTRY}Part{}", j + 1)
}

/// The entry's assembly: the header, segment 1, then one call per part,
/// each answer checked (a call to an address without code succeeds with no
/// data). `marks[j]` is the memory the first `j + 1` segments have written.
pub(super) fn entry_code(
    header: &str,
    segments: &[Vec<&String>],
    marks: &[u64],
) -> Result<String, Error> {
    let t = Sections::new();
    let n = segments.len();
    let passed = hex::encode(last_part_word());
    let mut entry_code = header.to_string();
    if let Some(first) = segments.first() {
        entry_code.extend(first.iter().map(|s| s.as_str()));
    }
    for j in 1..n {
        let (w_in, w_out) = (marks[j - 1], marks[j]);
        let last = j + 1 == n;
        let (answer, what) = if last {
            (32, "the word PASSED".to_string())
        } else {
            (w_out, format!("memory [0, {w_out:#x})"))
        };
        entry_code.push_str(&t.fill(
            "call-part",
            &[
                ("PART", &part_name(j)),
                ("J", &(j + 1).to_string()),
                ("W_IN", &format!("{w_in:#x}")),
                ("WHAT", &what),
                ("ANSWER", &format!("{answer:#x}")),
            ],
        )?);
        if last {
            entry_code.push_str(&t.fill("check-passed", &[("PASSED", &passed)])?);
        }
    }
    entry_code.push_str(&t.fill("entry-end", &[("VERIFIED", &hex::encode(verified_word()))])?);
    Ok(entry_code)
}

/// The parts `(contract name, Solidity source)`: segments 2 … n, each
/// restoring the memory of the segments before it.
pub(super) fn parts(
    header: &str,
    segments: &[Vec<&String>],
    marks: &[u64],
) -> Result<Vec<(String, String)>, Error> {
    let t = Sections::new();
    let n = segments.len();
    let passed = hex::encode(last_part_word());
    let mut parts = Vec::with_capacity(n.saturating_sub(1));
    for j in 1..n {
        let w_in = format!("{:#x}", marks[j - 1]);
        let last = j + 1 == n;
        let mut code = header.to_string();
        code.push_str(&t.fill("part-begin", &[("W_IN", &w_in)])?);
        for s in &segments[j] {
            code.push_str(&shift_calldata(s, marks[j - 1])?);
        }
        let out = if last {
            code.push_str(&t.fill("last-part-end", &[("PASSED", &passed)])?);
            format!("keccak256(\"{LAST_PART_TAG}\")")
        } else {
            let w_out = format!("{:#x}", marks[j]);
            code.push_str(&t.fill("part-end", &[("W_OUT", &w_out)])?);
            format!("memory [0, {w_out})")
        };
        let doc = t.fill(
            "part-doc",
            &[
                ("J", &(j + 1).to_string()),
                ("N", &n.to_string()),
                ("ENTRY", ENTRY),
                ("W_IN", &w_in),
                ("OUT", &out),
            ],
        )?;
        let name = part_name(j);
        let source = t.contract(&name, &doc, "", "", &code)?;
        parts.push((name, source));
    }
    Ok(parts)
}

impl EvmVerifier {
    /// The entry [`ENTRY`]'s source, pinned to `part_code_hashes`: the
    /// `keccak256` of each part's runtime code as solc compiled it, in the
    /// order of [`Self::parts`]. Its constructor takes the parts' addresses
    /// in that order and reverts for one whose `extcodehash` differs.
    pub fn entry(&self, part_code_hashes: &[[u8; 32]]) -> Result<String, Error> {
        if part_code_hashes.len() != self.parts.len() {
            return Err(Error::Backend(format!(
                "{ENTRY} pins {} parts, {} code hashes given",
                self.parts.len(),
                part_code_hashes.len()
            )));
        }
        let t = Sections::new();
        let n = self.parts.len() + 1;
        // Parts are numbered from 2, as their contracts; Yul reads the
        // immutables through locals.
        let mut pins = String::new();
        let mut requires = String::new();
        let mut assigns = String::new();
        let mut locals = String::new();
        for ((name, _), (j, hash)) in self.parts.iter().zip((2..).zip(part_code_hashes)) {
            let j = j.to_string();
            let hash = hex::encode(hash);
            let values = [("PART", name.as_str()), ("J", &j), ("HASH", &hash)];
            pins.push_str(&t.fill("pin", &values)?);
            requires.push_str(&t.fill("require", &values)?);
            assigns.push_str(&t.fill("assign", &values)?);
            locals.push_str(&t.fill("local", &values)?);
        }
        let constructor = if n > 1 {
            let params: Vec<String> = (2..=n).map(|j| format!("address p{j}")).collect();
            t.fill(
                "constructor",
                &[
                    ("PARAMS", &params.join(", ")),
                    ("REQUIRES", &requires),
                    ("ASSIGNS", &assigns),
                ],
            )?
        } else {
            String::new()
        };
        let doc = t.fill(
            "entry-doc",
            &[("N", &n.to_string()), ("VERIFIED_TAG", VERIFIED_TAG)],
        )?;
        t.contract(
            ENTRY,
            &doc,
            &format!("{pins}\n{constructor}"),
            &locals,
            &self.entry_code,
        )
    }
}
