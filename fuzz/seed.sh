#!/usr/bin/env bash
# Builds the fuzzers' seed inputs (see README.md):
#   fuzz/seeds/<target>/   small seeds, committed (incl. a halo2 key and proof of 4x5)
#   fuzz/corpus/<target>/  the working corpus (ignored by git): the seeds plus
#                          the real Groth16 proving key of 4x5 (megabytes)
# Usage: fuzz/seed.sh [--no-halo2]   (halo2 keys at the shape's k take minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
halo2=--halo2
[[ "${1:-}" == --no-halo2 ]] && halo2=
cargo build --release --locked -p poa-prover --example fuzz_seeds
seeds="$CARGO_TARGET_DIR/release/examples/fuzz_seeds"
"$seeds" fuzz/seeds $halo2
mkdir -p fuzz/corpus
"$seeds" fuzz/corpus --pk
cp -rn fuzz/seeds/. fuzz/corpus/
du -sh fuzz/seeds fuzz/corpus
