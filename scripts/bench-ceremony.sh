#!/usr/bin/env bash
# Phase 2 of poa's ceremony beside snarkjs's, on the same circuit, in one
# run: time and peak RSS (/usr/bin/time -v) of `poa ceremony init |
# contribute | verify | finalize` and of `snarkjs zkey new | contribute`
# on `poa export r1cs`'s circuit, from one INSECURE phase 1 of a public τ
# (benches' `insecure-ptau`).
#
#   scripts/bench-ceremony.sh 16x256 17 [THREADS]   # shape, ptau power
#
# Needs a release build (cargo build --release -p poa-prover -p poa-benches)
# and snarkjs (npm ci --prefix contracts). Writes to $OUT (default a temp dir).
set -euo pipefail
shape=${1:?shape NxD}
power=${2:?ptau power}
threads=${3:-$(nproc)}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}/release
snarkjs=$root/contracts/node_modules/.bin/snarkjs
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
export RAYON_NUM_THREADS=$threads

# `measure NAME CMD...`: one line: name, seconds, peak RSS in MiB.
measure() {
  local name=$1; shift
  /usr/bin/time -v -o "$out/$name.time" "$@" >"$out/$name.log" 2>&1
  local s rss
  s=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/$name.time" |
    awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  cpu=$(awk -F': ' '/User time|System time/ {t += $2} END {print t}' "$out/$name.time")
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2 / 1024}' "$out/$name.time")
  printf '%-22s %9.1f s wall %9.1f s CPU %8s MiB\n' "$name" "$s" "$cpu" "$rss"
  echo "$s" >"$out/$name.secs"
  echo "$cpu" >"$out/$name.cpu"
}

echo "shape $shape, ptau 2^$power, $threads threads, in $out"
[ -f "$out/pot.ptau" ] || "$target/insecure-ptau" "$power" "$out/pot.ptau"
poa=$target/poa
measure poa-init "$poa" --threads "$threads" ceremony init --ptau "$out/pot.ptau" --shape "$shape" \
  --out "$out/c0.ceremony" --verify-ptau none
measure poa-contribute "$poa" --threads "$threads" ceremony contribute --in "$out/c0.ceremony" \
  --out "$out/c1.ceremony" --name bench --entropy bench
measure poa-verify "$poa" --threads "$threads" ceremony verify --ptau "$out/pot.ptau" --in "$out/c1.ceremony"
measure poa-finalize "$poa" --threads "$threads" ceremony finalize --ptau "$out/pot.ptau" \
  --in "$out/c1.ceremony" --out "$out/params"
# snarkjs starts from our initial state: `export-zkey` of c0 is byte for byte
# what `snarkjs zkey new` writes for `poa export r1cs`'s circuit (the
# ceremony test checks it with `snarkjs zkey verify`), without its minutes.
"$poa" ceremony export-zkey --in "$out/c0.ceremony" --out "$out/z0.zkey" >/dev/null
measure snarkjs-contribute node --max-old-space-size=16384 "$snarkjs" zkey contribute "$out/z0.zkey" \
  "$out/z1.zkey" --name=bench -e=bench
ratio() { awk -v a="$(cat "$out/snarkjs-contribute.$1")" -v b="$(cat "$out/poa-contribute.$1")" \
  'BEGIN { printf "%.1fx", a / b }'; }
echo "contribute, snarkjs / poa: $(ratio secs) wall, $(ratio cpu) CPU"
