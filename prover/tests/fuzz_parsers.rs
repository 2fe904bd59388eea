//! The fuzz harnesses (`fuzz/src/lib.rs`, compiled in here as they are) on
//! stable Rust, for CI: every input parser gets random bytes and mutations
//! (bit flips, truncations, insertions, overwrites, splices) of the
//! committed seeds (`fuzz/seeds/`) and of every input that once crashed
//! (`fuzz/regressions/`), and must return an error or a value, never
//! panic. A failure names the parser and the input (hex).

#[path = "../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod harness;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

type Harness = fn(&[u8]);

const TARGETS: [(&str, Harness); 9] = [
    ("epoch", harness::epoch),
    ("claim", harness::claim),
    ("inclusion", harness::inclusion),
    ("goldilocks_inclusion", harness::goldilocks_inclusion),
    ("npy", harness::npy),
    ("proof_file", harness::proof_file),
    ("keys", harness::keys),
    ("srs", harness::srs),
    ("dataset", harness::dataset),
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The committed seeds and regressions of `target`.
fn inputs(target: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz_dir().join(dir).join(target)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        paths.sort();
        for p in paths {
            out.push(std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())));
        }
    }
    out
}

/// Each target's seed inputs, read once.
type Seeds = std::collections::HashMap<String, &'static [Vec<u8>]>;

fn seeds(target: &str) -> &'static [Vec<u8>] {
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<Seeds>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    cache
        .entry(target.to_string())
        .or_insert_with(|| Box::leak(inputs(target).into_boxed_slice()))
}

/// Runs one harness on one input; a panic is a failure naming both.
fn run(name: &str, harness: Harness, input: &[u8]) -> Result<(), TestCaseError> {
    let outcome = catch_unwind(AssertUnwindSafe(|| harness(input)));
    if let Err(cause) = outcome {
        let why = cause
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| cause.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        return Err(TestCaseError::fail(format!(
            "parser `{name}` panicked ({why}) on {} bytes: {}",
            input.len(),
            hex::encode(input)
        )));
    }
    Ok(())
}

#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Truncate(usize),
    Insert(usize, Vec<u8>),
    Overwrite(usize, Vec<u8>),
    Remove(usize, usize),
    Splice(usize, usize),
    /// A JSON-ish token, so that text formats get numbers and quotes.
    Token(usize, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let tokens = prop::sample::select(vec![
        "0",
        "-1",
        "\"",
        "0x",
        "1e999",
        "18446744069414584321",
        "4294967296",
        "[]",
        "{}",
        "null",
        ",",
        "..",
        "/",
        "\"../x\"",
        "\"v5.npy\"",
        "65536",
        "1048576",
        "\u{ff}",
        "\\u0000",
    ]);
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip(at, bit)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), vec(any::<u8>(), 1..16)).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), vec(any::<u8>(), 1..9)).prop_map(|(at, b)| Mutation::Overwrite(at, b)),
        (any::<usize>(), 1usize..64).prop_map(|(at, n)| Mutation::Remove(at, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(at, from)| Mutation::Splice(at, from)),
        (any::<usize>(), tokens).prop_map(|(at, t)| Mutation::Token(at, t)),
    ]
}

fn mutate(seed: &[u8], other: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for m in mutations {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
        match m {
            Mutation::Flip(i, bit) if !b.is_empty() => {
                let i = i % b.len();
                b[i] ^= 1 << bit;
            }
            Mutation::Flip(..) => {}
            Mutation::Truncate(i) => b.truncate(at(*i, b.len())),
            Mutation::Insert(i, bytes) => {
                let i = at(*i, b.len());
                b.splice(i..i, bytes.iter().copied());
            }
            Mutation::Overwrite(i, bytes) => {
                let i = at(*i, b.len());
                for (j, x) in bytes.iter().enumerate() {
                    if let Some(y) = b.get_mut(i + j) {
                        *y = *x;
                    }
                }
            }
            Mutation::Remove(i, n) => {
                let i = at(*i, b.len());
                let end = (i + n).min(b.len());
                b.drain(i..end);
            }
            Mutation::Splice(i, from) => {
                // The head of this input, the tail of another seed.
                let i = at(*i, b.len());
                let from = at(*from, other.len());
                b.truncate(i);
                b.extend_from_slice(&other[from..]);
            }
            Mutation::Token(i, t) => {
                let i = at(*i, b.len());
                b.splice(i..i, t.bytes());
            }
        }
    }
    b
}

#[test]
fn every_target_has_seeds_and_they_parse_without_panic() {
    for (name, harness) in TARGETS {
        let inputs = seeds(name);
        assert!(!inputs.is_empty(), "no seeds for `{name}` in fuzz/seeds");
        for input in inputs {
            run(name, harness, input).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

macro_rules! fuzz_target_tests {
    ($($target:ident: $index:expr),* $(,)?) => {
        $(
            mod $target {
                use super::*;

                proptest! {
                    #![proptest_config(config(300))]

                    #[test]
                    fn random_bytes(bytes in vec(any::<u8>(), 0..2048)) {
                        let (name, harness) = TARGETS[$index];
                        run(name, harness, &bytes)?;
                    }

                    #[test]
                    fn mutated_seeds(
                        pick in any::<usize>(),
                        other in any::<usize>(),
                        mutations in vec(mutation(), 1..6),
                    ) {
                        let (name, harness) = TARGETS[$index];
                        let seeds = seeds(name);
                        prop_assume!(!seeds.is_empty());
                        let input = mutate(
                            &seeds[pick % seeds.len()],
                            &seeds[other % seeds.len()],
                            &mutations,
                        );
                        run(name, harness, &input)?;
                    }
                }
            }
        )*
    };
}

fuzz_target_tests!(
    epoch: 0,
    claim: 1,
    inclusion: 2,
    goldilocks_inclusion: 3,
    npy: 4,
    proof_file: 5,
    keys: 6,
    srs: 7,
    dataset: 8,
);
