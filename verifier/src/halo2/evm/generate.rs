//! Writing the contracts: the entry (header, segment 1, one checked call
//! per part, pinned to the parts' code hashes) and the parts (memory in,
//! their statements with shifted calldata offsets, memory or the word
//! PASSED out).

use super::yul::shift_calldata;
use super::{last_part_word, verified_word, EvmVerifier, ENTRY, LAST_PART_TAG, VERIFIED_TAG};
use crate::Error;

/// The contract name of part `j` (0-based segment index; parts are
/// numbered from 2, the entry being part 1).
fn part_name(j: usize) -> String {
    format!("{ENTRY}Part{}", j + 1)
}

/// The entry's assembly: the header, segment 1, then one call per part,
/// each answer checked (a call to an address without code succeeds with no
/// data). `marks[j]` is the memory the first `j + 1` segments have written.
pub(super) fn entry_code(header: &str, segments: &[Vec<&String>], marks: &[u64]) -> String {
    let n = segments.len();
    let mut entry_code = header.to_string();
    if let Some(first) = segments.first() {
        entry_code.extend(first.iter().map(|s| s.as_str()));
    }
    for j in 1..n {
        let (w_in, w_out) = (marks[j - 1], marks[j]);
        let (answer, check) = if j + 1 < n {
            (w_out, String::new())
        } else {
            (
                32,
                format!(
                    "if iszero(eq(mload(0), 0x{})) {{ revert(0, 0) }}\n",
                    hex::encode(last_part_word())
                ),
            )
        };
        entry_code.push_str(&format!(
            "// {}: memory [0, {w_in:#x}) and the calldata in, {} out\n\
             calldatacopy({w_in:#x}, 0, calldatasize())\n\
             if iszero(staticcall(gas(), part{}_, 0, add({w_in:#x}, calldatasize()), 0, 0)) {{ revert(0, 0) }}\n\
             if iszero(eq(returndatasize(), {answer:#x})) {{ revert(0, 0) }}\n\
             returndatacopy(0, 0, {answer:#x})\n{check}",
            part_name(j),
            if j + 1 < n {
                format!("memory [0, {w_out:#x})")
            } else {
                "the word PASSED".to_string()
            },
            j + 1
        ));
    }
    entry_code.push_str(&format!(
        "if iszero(success) {{ revert(0, 0) }}\n\
         mstore(0, 0x{})\n\
         return(0, 0x20)\n",
        hex::encode(verified_word())
    ));
    entry_code
}

/// The parts `(contract name, Solidity source)`: segments 2 … n, each
/// restoring the memory of the segments before it.
pub(super) fn parts(
    header: &str,
    segments: &[Vec<&String>],
    marks: &[u64],
) -> Result<Vec<(String, String)>, Error> {
    let n = segments.len();
    let mut parts = Vec::with_capacity(n.saturating_sub(1));
    for j in 1..n {
        let w_in = marks[j - 1];
        let mut code = header.to_string();
        code.push_str(&format!("calldatacopy(0, 0, {w_in:#x})\n"));
        for s in &segments[j] {
            code.push_str(&shift_calldata(s, w_in)?);
        }
        code.push_str("if iszero(success) { revert(0, 0) }\n");
        if j + 1 < n {
            code.push_str(&format!("return(0, {:#x})\n", marks[j]));
        } else {
            code.push_str(&format!(
                "mstore(0, 0x{})\nreturn(0, 0x20)\n",
                hex::encode(last_part_word())
            ));
        }
        let doc = format!(
            "/// snark-verifier's halo2 verifier, part {} of {n}: called by {ENTRY} only\n\
             /// (memory [0, {w_in:#x}) ‖ its calldata in; {} out, a revert if a\n\
             /// check failed); not a verifier by itself.\n",
            j + 1,
            if j + 1 < n {
                format!("memory [0, {:#x})", marks[j])
            } else {
                format!("keccak256(\"{LAST_PART_TAG}\")")
            }
        );
        parts.push((part_name(j), contract(&part_name(j), &doc, "", "", &code)));
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
        let n = self.parts.len() + 1;
        // Parts are numbered from 2, as their contracts; Yul reads the
        // immutables through locals.
        let mut fields = String::new();
        let mut checks = String::new();
        let mut assigns = String::new();
        let mut locals = String::new();
        for ((name, _), (j, hash)) in self.parts.iter().zip((2..).zip(part_code_hashes)) {
            fields.push_str(&format!(
                "    /// The extcodehash of {name}: keccak256 of its compiled runtime code.\n\
                 \x20   bytes32 private constant PART{j}_CODEHASH = 0x{};\n\
                 \x20   address private immutable part{j};\n",
                hex::encode(hash)
            ));
            checks.push_str(&format!(
                "        require(p{j}.codehash == PART{j}_CODEHASH, \"{name}: not the pinned code\");\n"
            ));
            assigns.push_str(&format!("        part{j} = p{j};\n"));
            locals.push_str(&format!("        address part{j}_ = part{j};\n"));
        }
        let constructor = if n > 1 {
            let params: Vec<String> = (2..=n).map(|j| format!("address p{j}")).collect();
            format!(
                "    /// Refuses a part whose code is not the pinned one: an address without\n\
                 \x20   /// code, another contract, the parts in another order.\n\
                 \x20   constructor({}) {{\n{checks}{assigns}    }}\n\n",
                params.join(", ")
            )
        } else {
            String::new()
        };
        Ok(contract(
            ENTRY,
            &format!(
                "/// snark-verifier's halo2 verifier, part 1 of {n} and the entry: returns\n\
                 /// keccak256(\"{VERIFIED_TAG}\") for a verified proof, reverts otherwise.\n"
            ),
            &format!("{fields}\n{constructor}"),
            &locals,
            &self.entry_code,
        ))
    }
}

/// A contract of `code` in a fallback's memory-safe assembly block.
fn contract(name: &str, doc: &str, fields: &str, locals: &str, code: &str) -> String {
    let code: String = code
        .lines()
        .map(|l| format!("            {}\n", l.trim_start()))
        .collect();
    format!(
        "// SPDX-License-Identifier: MIT\n\
         // Generated by `poa export-verifier --backend halo2` from snark-verifier's\n\
         // EVM verifier (statements unchanged; see verifier/src/halo2/evm.rs).\n\
         pragma solidity ^0.8.19;\n\n\
         {doc}contract {name} {{\n{fields}\
         \x20   fallback(bytes calldata) external returns (bytes memory) {{\n\
         {locals}\
         \x20       assembly (\"memory-safe\") {{\n{code}\
         \x20       }}\n\
         \x20   }}\n\
         }}\n"
    )
}
