//! The halo2 verifier on the EVM: snark-verifier's generated verifier, cut
//! into contracts that each fit EIP-170's 24,576 bytes.
//!
//! snark-verifier's EVM loader emits one assembly block: a header (the
//! `success` flag, the moduli, `validate_ec_point`), ~3,000 straight-line
//! statements that keep every intermediate value in memory at fixed
//! addresses, and a tail that reverts unless `success`. For this circuit
//! that is ~55 KB of runtime code, so one contract cannot be deployed. The
//! statements are cut into segments of at most [`SEGMENT_CHARS`] characters
//! of source; the entry contract runs the first and hands each further
//! segment to a part contract with one static call:
//!
//! ```text
//! adapter ── inputs ‖ proof ──▶ Halo2Verifier: header, segment 1
//!   ├─▶ Halo2VerifierPart2: mem[0, W1) ‖ inputs ‖ proof  →  mem[0, W2)
//!   ├─▶ …
//!   └─▶ Halo2VerifierPartN: mem[0, Wn−1) ‖ inputs ‖ proof →  PASSED (32 bytes; the pairing)
//! the entry returns VERIFIED (32 bytes), or reverts
//! ```
//!
//! `W_j` is the end of the highest memory write of segments `1 … j`: a part
//! restores `mem[0, W_{j−1})`, runs its statements with calldata offsets
//! shifted by `W_{j−1}`, and returns `mem[0, W_j)`, reverting if one of its
//! checks failed. The statements are snark-verifier's, unchanged, so the
//! split verifier checks exactly what the single contract checks; a part
//! called directly only computes over the memory it is given, and never
//! answers `VERIFIED` (it returns `W_j ≠ 32` bytes or [`last_part_word`]),
//! so only the entry can be a verifier.
//!
//! **Every answer is checked, and the parts are pinned.** A static call to
//! an address without code succeeds with no data, so a call's success
//! proves nothing by itself: the entry requires `W_j` bytes from an
//! intermediate part and exactly [`last_part_word`] from the last one
//! (whose segment ends with the pairing). And the entry's constructor
//! refuses a part whose `extcodehash` is not the pinned `keccak256` of its
//! compiled runtime code, so an entry over an empty address, another
//! contract, or the parts in another order cannot be deployed at all; the
//! parts have no `SELFDESTRUCT`, so their code cannot change afterwards.
//!
//! Those hashes exist only once solc has compiled the parts, so the
//! verifier is generated in two stages: [`EvmVerifier::parts`] first; the
//! caller compiles them and renders the entry with [`EvmVerifier::entry`]
//! from the hashes of their runtime code (`poa export-verifier` does both
//! and writes the compiled bytecode). Simpler-looking designs do not fit:
//! hashes passed to the constructor would be the deployer's word, not a
//! pin; and an entry that deploys its parts itself (`new Part()`, or
//! `keccak256(type(Part).runtimeCode)` in its constructor) carries their
//! ~38 KB of code in its initcode beside its own ~18 KB, over EIP-3860's
//! 49,152 bytes.

use std::rc::Rc;

use halo2_proofs::halo2curves::bn256::{Bn256, Fq, Fr, G1Affine};
use halo2_proofs::plonk::VerifyingKey;
use halo2_proofs::poly::commitment::ParamsProver;
use halo2_proofs::poly::kzg::commitment::ParamsKZG;
use snark_verifier::loader::evm::EvmLoader;
use snark_verifier::pcs::kzg::{Gwc19, KzgAs, KzgDecidingKey};
use snark_verifier::system::halo2::transcript::evm::EvmTranscript;
use snark_verifier::system::halo2::{compile, Config};
use snark_verifier::verifier::{plonk::PlonkVerifier, SnarkVerifier};

use crate::container::keccak;
use crate::Error;

/// Source characters per segment at most: ~20 KB of runtime code at the
/// measured ~3.5 characters per byte (unoptimized legacy pipeline; solc's
/// optimizer stops at "stack too deep" on this assembly), under EIP-170
/// with room (`contracts/tests/halo2.rs` asserts every contract's size).
pub const SEGMENT_CHARS: usize = 70_000;
/// The entry contract's name.
pub const ENTRY: &str = "Halo2Verifier";
/// What the entry returns for a verified proof is `keccak256` of this.
pub const VERIFIED_TAG: &str = "poa.halo2.verified";

/// What the last part returns when its checks (the pairing among them)
/// passed is `keccak256` of this.
pub const LAST_PART_TAG: &str = "poa.halo2.last-part.passed";

/// The verifier as contracts to deploy, in two stages (see the module
/// documentation): compile [`Self::parts`], then [`Self::entry`] pinned to
/// the `keccak256` of their runtime code.
#[derive(Clone, Debug)]
pub struct EvmVerifier {
    /// `(contract name, Solidity source)` of the parts, in the order of the
    /// entry's constructor arguments.
    parts: Vec<(String, String)>,
    /// The entry's assembly (header, segment 1, the calls to the parts).
    entry_code: String,
}

impl EvmVerifier {
    /// The parts `(contract name, Solidity source)`, in the order of the
    /// entry's constructor arguments; empty if one contract fits.
    pub fn parts(&self) -> &[(String, String)] {
        &self.parts
    }

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

/// snark-verifier's verifier of `vk` as one contract (GWC, Keccak
/// transcript): its fallback takes the five public inputs as 32-byte
/// big-endian words followed by the proof, returns nothing on success and
/// reverts otherwise. Its pragma is relaxed from `0.8.19` to `^0.8.19` so
/// that the pinned solc 0.8.28 compiles it (EVM version paris, no `PUSH0`).
/// Over EIP-170 for this circuit: [`evm_verifier`] splits it.
pub fn single_contract(
    params: &ParamsKZG<Bn256>,
    vk: &VerifyingKey<G1Affine>,
) -> Result<String, Error> {
    type Plonk = PlonkVerifier<KzgAs<Bn256, Gwc19>>;
    let protocol = compile(params, vk, Config::kzg().with_num_instance(vec![5]));
    let dk: KzgDecidingKey<Bn256> = (params.get_g()[0], params.g2(), params.s_g2()).into();
    let loader = EvmLoader::new::<Fq, Fr>();
    let protocol = protocol.loaded(&loader);
    let mut transcript = EvmTranscript::<_, Rc<EvmLoader>, _, _>::new(&loader);
    let instances = transcript.load_instances(vec![5]);
    let fail = |e: snark_verifier::Error| Error::Backend(format!("{e:?}"));
    let proof = Plonk::read_proof(&dk, &protocol, &instances, &mut transcript).map_err(fail)?;
    Plonk::verify(&dk, &protocol, &instances, &proof).map_err(fail)?;
    Ok(loader
        .solidity_code()
        .replacen("pragma solidity 0.8.19;", "pragma solidity ^0.8.19;", 1))
}

/// The deployable verifier of `vk`: [`single_contract`] split into an entry
/// and parts of at most [`SEGMENT_CHARS`] characters of statements each.
pub fn evm_verifier(
    params: &ParamsKZG<Bn256>,
    vk: &VerifyingKey<G1Affine>,
) -> Result<EvmVerifier, Error> {
    split(&single_contract(params, vk)?, SEGMENT_CHARS)
}

/// The 32-byte word the entry returns for a verified proof.
pub fn verified_word() -> [u8; 32] {
    keccak(VERIFIED_TAG.as_bytes())
}

/// The 32-byte word the last part returns when its checks passed, and the
/// only answer the entry accepts from it: `keccak256(LAST_PART_TAG)`.
pub fn last_part_word() -> [u8; 32] {
    keccak(LAST_PART_TAG.as_bytes())
}

fn unexpected(what: impl std::fmt::Display) -> Error {
    Error::Backend(format!("unexpected snark-verifier output: {what}"))
}

/// The assembly block's top-level statements, in three groups.
struct Program {
    header: Vec<String>,
    body: Vec<String>,
}

/// Braces of a line outside its `//` comment.
fn depth_change(line: &str) -> i64 {
    let code = line.split("//").next().unwrap_or("");
    code.matches('{').count() as i64 - code.matches('}').count() as i64
}

fn parse(source: &str) -> Result<Program, Error> {
    // The entry pins its parts' code, which must not be able to go.
    if !calls(source, "selfdestruct").is_empty() {
        return Err(unexpected("`selfdestruct`"));
    }
    const OPEN: &str = "assembly (\"memory-safe\") {";
    let start = source
        .find(OPEN)
        .ok_or_else(|| unexpected("no memory-safe assembly block"))?;
    let mut statements: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut depth = 0i64;
    let mut closed = false;
    for line in source[start + OPEN.len()..].lines() {
        if depth == 0 && line.trim().is_empty() {
            continue;
        }
        depth += depth_change(line);
        if depth < 0 {
            closed = true;
            break;
        }
        current.push_str(line.trim_end());
        current.push('\n');
        if depth == 0 {
            statements.push(std::mem::take(&mut current));
        }
    }
    if !closed {
        return Err(unexpected("the assembly block does not close"));
    }
    let is_header = |s: &str| {
        let t = s.trim_start();
        t.starts_with("let ")
            || t.starts_with("if ")
            || t.starts_with("function ")
            || t.starts_with("//")
    };
    let body_start = statements
        .iter()
        .position(|s| !is_header(s))
        .ok_or_else(|| unexpected("no statements"))?;
    let tail_start = statements
        .iter()
        .rposition(|s| s.trim_start().starts_with("if iszero(success)"))
        .filter(|&i| i >= body_start)
        .ok_or_else(|| unexpected("no final `if iszero(success)`"))?;
    let header = statements[..body_start].to_vec();
    for needed in ["let success := true", "let f_q :=", "let f_p :="] {
        if !header.iter().any(|s| s.trim_start().starts_with(needed)) {
            return Err(unexpected(format!("no `{needed}` in the header")));
        }
    }
    let body = statements[body_start..tail_start].to_vec();
    if let Some(s) = body.iter().find(|s| {
        let t = s.trim_start();
        t.starts_with("let ") || t.starts_with("function ")
    }) {
        // A top-level variable of the body could not cross a part boundary.
        return Err(unexpected(format!(
            "a top-level declaration `{}`",
            s.trim()
        )));
    }
    Ok(Program { header, body })
}

/// The argument lists of every call to `name` in `text` (a call: `name(`
/// not preceded by an identifier character).
fn calls<'t>(text: &'t str, name: &str) -> Vec<(usize, usize, Vec<&'t str>)> {
    let pattern = format!("{name}(");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(&pattern).map(|i| i + from) {
        from = i + pattern.len();
        let prev = text[..i].chars().next_back();
        if prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let (mut depth, mut args, mut arg_start) = (1, Vec::new(), from);
        let mut end = from;
        for (j, c) in text[from..].char_indices() {
            let at = from + j;
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        args.push(text[arg_start..at].trim());
                        end = at + 1;
                        break;
                    }
                }
                ',' if depth == 1 => {
                    args.push(text[arg_start..at].trim());
                    arg_start = at + 1;
                }
                _ => {}
            }
        }
        out.push((i, end, args));
    }
    out
}

fn literal(s: &str) -> Option<u64> {
    match s.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// The end of the highest memory range `stmt` writes.
fn write_end(stmt: &str) -> Result<u64, Error> {
    for banned in [
        "calldatacopy",
        "returndatacopy",
        "codecopy",
        "extcodecopy",
        "mcopy",
        "call",
        "delegatecall",
        "callcode",
        "msize",
    ] {
        if !calls(stmt, banned).is_empty() {
            return Err(unexpected(format!("`{banned}` in a statement")));
        }
    }
    let address = |arg: Option<&&str>| {
        arg.and_then(|a| literal(a)).ok_or_else(|| {
            unexpected(format!(
                "a memory address that is not a literal in `{}`",
                stmt.trim()
            ))
        })
    };
    let mut end = 0;
    for (_, _, args) in calls(stmt, "mstore") {
        end = end.max(address(args.first())? + 32);
    }
    for (_, _, args) in calls(stmt, "mstore8") {
        end = end.max(address(args.first())? + 1);
    }
    for (_, _, args) in calls(stmt, "staticcall") {
        if args.len() != 6 {
            return Err(unexpected(format!(
                "`staticcall` with {} arguments",
                args.len()
            )));
        }
        end = end.max(address(args.get(4))? + address(args.get(5))?);
    }
    Ok(end)
}

/// `stmt` with every `calldataload(x)` reading `x + shift` instead.
fn shift_calldata(stmt: &str, shift: u64) -> Result<String, Error> {
    let mut out = String::with_capacity(stmt.len());
    let mut last = 0;
    for (start, end, args) in calls(stmt, "calldataload") {
        let x = args.first().and_then(|a| literal(a)).ok_or_else(|| {
            unexpected(format!(
                "a calldata offset that is not a literal in `{}`",
                stmt.trim()
            ))
        })?;
        out.push_str(&stmt[last..start]);
        out.push_str(&format!("calldataload({:#x})", x + shift));
        last = end;
    }
    out.push_str(&stmt[last..]);
    Ok(out)
}

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
    let n = segments.len();
    let part_name = |j: usize| format!("{ENTRY}Part{}", j + 1);

    // The entry: segment 1, then one call per part, each answer checked
    // (a call to an address without code succeeds with no data).
    let mut entry_code = header.clone();
    entry_code.extend(segments[0].iter().map(|s| s.as_str()));
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
    let mut parts = Vec::with_capacity(n - 1);
    for j in 1..n {
        let w_in = marks[j - 1];
        let mut code = header.clone();
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
    Ok(EvmVerifier { parts, entry_code })
}

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

/// The adapter that gives the split verifier the settlement's
/// `IPoaVerifier` interface: it calls the entry at `VERIFIER` with
/// `inputs ‖ proof` and returns whether it answered `VERIFIED` (`false` for
/// a rejected proof, an input `≥ r`, or a part; the settlement requires
/// `true`). It does not pin the entry's code: whoever relies on an adapter
/// must check that `halo2Verifier()` holds the generated entry (its runtime
/// code is `Halo2Verifier.json`'s `deployedBytecode` with the parts'
/// addresses as immutables).
pub const ADAPTER: &str = r#"// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IPoaVerifier} from "./IPoaVerifier.sol";

/// IPoaVerifier over the halo2 (KZG, BN254) verifier generated for
/// proof-of-attribution statement v1 (snark-verifier, split under EIP-170).
contract PoaHalo2Verifier is IPoaVerifier {
    bytes32 private constant VERIFIED = keccak256("poa.halo2.verified");
    address public immutable halo2Verifier;

    constructor(address verifier) {
        require(verifier.code.length > 0, "halo2 verifier: no code");
        halo2Verifier = verifier;
    }

    function verifyProof(bytes calldata proof, uint256[5] calldata inputs) external view returns (bool) {
        uint256 r = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
        for (uint256 i = 0; i < 5; i++) {
            if (inputs[i] >= r) return false;
        }
        (bool ok, bytes memory answer) = halo2Verifier.staticcall(abi.encodePacked(inputs, proof));
        return ok && answer.length == 32 && bytes32(answer) == VERIFIED;
    }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of snark-verifier's output, small.
    const SAMPLE: &str = r#"
pragma solidity 0.8.19;
contract Halo2Verifier {
    fallback(bytes calldata) external returns (bytes memory) {
        assembly ("memory-safe") {
            // Enforce that Solidity memory layout is respected
            let data := mload(0x40)
            if iszero(eq(data, 0x80)) {
                revert(0, 0)
            }
            let success := true
            let f_p := 0x30
            let f_q := 0x31
            function validate_ec_point(x, y) -> valid {
                valid := 1
            }
            mstore(0xa0, mod(calldataload(0x0), f_q))
        {
            let x := calldataload(0x20)
            mstore(0xc0, x)
        }
mstore(0x100, mulmod(mload(0xa0), mload(0xc0), f_q))
success := and(eq(staticcall(gas(), 0x7, 0x100, 0x60, 0x200, 0x40), 1), success)
mstore(4096, mload(0x200))
            // Revert if anything fails
            if iszero(success) { revert(0, 0) }
            return(0, 0)
        }
    }
}
"#;

    #[test]
    fn splits_statements_and_tracks_memory() {
        let v = split(SAMPLE, 40).unwrap();
        let names: Vec<&str> = v.parts().iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.len() >= 2, "{names:?}");
        assert_eq!(names[0], "Halo2VerifierPart2");
        let hashes: Vec<[u8; 32]> = (0..names.len()).map(|i| [i as u8 + 1; 32]).collect();
        let entry = v.entry(&hashes).unwrap();
        // The staticcall writes [0x200, 0x240): the part after it gets 0x240.
        let all: String = v.parts().iter().map(|(_, s)| s.as_str()).collect();
        assert!(all.contains("calldatacopy(0, 0, 0x240)"), "{all}");
        // Calldata offsets of a part are shifted by what it receives.
        assert!(!v
            .parts()
            .iter()
            .any(|(_, s)| s.contains("calldataload(0x20)")));
        assert!(entry.contains("return(0, 0x20)"));
        assert!(entry.contains(&hex::encode(verified_word())));
    }

    #[test]
    fn one_segment_has_no_parts() {
        let one = split(SAMPLE, 1 << 20).unwrap();
        assert!(one.parts().is_empty());
        let entry = one.entry(&[]).unwrap();
        assert!(!entry.contains("constructor"));
        assert!(entry.contains("calldataload(0x20)"));
    }

    /// Every part's answer is checked: an intermediate one's size, the last
    /// one's word, which only the last part returns; and the constructor
    /// pins every part's code hash, in order.
    #[test]
    fn the_entry_checks_every_answer_and_pins_every_part() {
        let v = split(SAMPLE, 40).unwrap();
        let n = v.parts().len();
        let hashes: Vec<[u8; 32]> = (0..n).map(|i| [i as u8 + 1; 32]).collect();
        let entry = v.entry(&hashes).unwrap();
        let passed = hex::encode(last_part_word());
        let (calls, checks) = (
            entry.matches("staticcall(gas(), part").count(),
            entry.matches("if iszero(eq(returndatasize(), ").count(),
        );
        assert_eq!((calls, checks), (n, n), "{entry}");
        assert!(entry.contains(&format!("if iszero(eq(mload(0), 0x{passed}))")));
        assert!(entry.contains("returndatacopy(0, 0, 0x20)"));
        for (j, ((name, source), hash)) in (2..).zip(v.parts().iter().zip(&hashes)) {
            assert!(
                entry.contains(&format!("PART{j}_CODEHASH = 0x{}", hex::encode(hash))),
                "{entry}"
            );
            assert!(entry.contains(&format!(
                "require(p{j}.codehash == PART{j}_CODEHASH, \"{name}: not the pinned code\")"
            )));
            let last = j == n + 1;
            assert_eq!(source.contains(&passed), last, "{name}");
            assert_eq!(source.contains("return(0, 0x20)"), last, "{name}");
            assert!(!source.contains(&hex::encode(verified_word())), "{name}");
        }
        // One pin per part: no more, no fewer.
        for wrong in [&hashes[1..], &[[0; 32]; 9][..]] {
            let err = v.entry(wrong).unwrap_err().to_string();
            assert!(err.contains(&format!("pins {n} parts")), "{err}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_split() {
        // A non-literal address, a top-level variable, a missing tail, a
        // calldata copy, a way for a pinned part to lose its code.
        for (from, to) in [
            (
                "mstore(4096, mload(0x200))",
                "mstore(add(4096, 1), mload(0x200))",
            ),
            ("mstore(4096, mload(0x200))", "let y := mload(0x200)"),
            ("if iszero(success) { revert(0, 0) }", ""),
            ("mstore(4096, mload(0x200))", "calldatacopy(0, 0, 32)"),
            ("mstore(4096, mload(0x200))", "selfdestruct(0)"),
        ] {
            let bad = SAMPLE.replace(from, to);
            let err = split(&bad, 40).unwrap_err();
            assert!(
                err.to_string().contains("unexpected snark-verifier output"),
                "{to}: {err}"
            );
        }
    }
}
