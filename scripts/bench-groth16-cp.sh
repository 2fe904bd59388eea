#!/usr/bin/env bash
# groth16 beside groth16-cp on the same synthetic epochs (seed 42), in one
# run: `poa bench` of each backend and shape as its own process, with
# /usr/bin/time -v around it and, in a `--features print-trace` build,
# ark-groth16's prover phases (QAP witness map = the FFTs, and the MSMs of
# A, B in G1, B in G2 and C).
#
#   scripts/bench-groth16-cp.sh [THREADS] [SHAPE...]   # default: 2, 16x256 64x1024 256x1024
#
# Build first:
#   cargo build --release --locked -p poa-prover --features print-trace
# (CARGO_TARGET_DIR is honoured). Writes logs to $OUT (default a temp dir)
# and prints one table row per run (peak RSS: of setup, of proving and
# verifying with the keys in memory, and the larger of the two).
set -euo pipefail
threads=${1:-2}
shift || true
shapes=("$@")
[ ${#shapes[@]} -gt 0 ] || shapes=(16x256 64x1024 256x1024)
root=$(cd "$(dirname "$0")/.." && pwd)
poa=${CARGO_TARGET_DIR:-$root/target}/release/poa
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
echo "poa $($poa --version 2>/dev/null | head -1), $threads threads, logs in $out"
# `field LOG NAME`: the value after `NAME` on poa bench's line for it.
field() { sed -n "s/^$2  *//p" "$1" | head -1; }
# ark-std's timers print "End: <phase> ....<time>"; the last such line for a phase.
phase() { grep -a "End: *$2" "$1" | tail -1 | sed 's/.*\.\.\.*//'; }
printf '%-9s %-11s %10s %10s %10s %12s %10s %10s %10s\n' shape backend constraints setup prove "verify" "RSS setup" "RSS prove" "RSS all"
for shape in "${shapes[@]}"; do
  for backend in groth16 groth16-cp; do
    log=$out/$backend-$shape.log
    /usr/bin/time -v -o "$out/$backend-$shape.time" \
      "$poa" --threads "$threads" bench --backend "$backend" --shape "$shape" >"$log" 2>&1
    # The process's peak: the larger of the two phases' (poa resets the
    # kernel's high-water mark between them, which time -v reads too).
    all=$(printf '%s\n%s\n' "$(field "$log" 'peak RSS, setup')" "$(field "$log" 'peak RSS, prove')" |
      awk '{ if ($1 > m) m = $1 } END { print m }')
    printf '%-9s %-11s %10s %10s %10s %12s %10s %10s %10s\n' "$shape" "$backend" \
      "$(field "$log" constraints)" "$(field "$log" setup)" "$(field "$log" prove | cut -d' ' -f1-2)" \
      "$(field "$log" verify | cut -d' ' -f1-2)" "$(field "$log" 'peak RSS, setup')" \
      "$(field "$log" 'peak RSS, prove' | cut -d' ' -f1-2)" "$all MiB"
    echo "    of which: $(field "$log" '  of which')"
    if grep -aq "End: *R1CS to QAP witness map" "$log"; then
      echo "    ark-groth16: QAP witness map (FFTs) $(phase "$log" 'R1CS to QAP witness map')," \
        "A $(phase "$log" 'Compute A'), B in G1 $(phase "$log" 'Compute B in G1')," \
        "B in G2 $(phase "$log" 'Compute B in G2'), C $(phase "$log" 'Compute C')"
    fi
  done
done
