//! The splitter and the generated contracts on a small sample of
//! snark-verifier's output.

use super::*;
use crate::template::{placeholders, Template};

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

/// The template has every section the generator fills, and the generated
/// contracts keep no placeholder nor template comment.
#[test]
fn the_template_is_complete_and_filled() {
    let t = Template::parse(generate::TEMPLATE);
    assert_eq!(t.section(""), Some(""), "text before the first section");
    for name in [
        "contract",
        "code-line",
        "entry-doc",
        "pin",
        "constructor",
        "require",
        "assign",
        "local",
        "call-part",
        "check-passed",
        "entry-end",
        "part-doc",
        "part-begin",
        "part-end",
        "last-part-end",
    ] {
        assert!(t.section(name).is_some_and(|s| !s.is_empty()), "{name}");
    }
    for chars in [40, 1 << 20] {
        let v = split(SAMPLE, chars).unwrap();
        let hashes: Vec<[u8; 32]> = (0..v.parts().len()).map(|i| [i as u8; 32]).collect();
        let entry = v.entry(&hashes).unwrap();
        for source in v.parts().iter().map(|(_, s)| s).chain([&entry]) {
            assert!(placeholders(source).is_empty(), "{source}");
            assert!(!source.contains("//#"), "{source}");
            assert!(source.starts_with("// SPDX-License-Identifier: MIT\n"));
        }
    }
}
