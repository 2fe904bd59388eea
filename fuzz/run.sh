#!/usr/bin/env bash
# Runs fuzz targets one after another for SECONDS each (default 600), with
# the limits of README.md; logs in fuzz/logs/TARGET.log (ignored).
# Usage: fuzz/run.sh [SECONDS] TARGET...
set -uo pipefail
cd "$(dirname "$0")"
secs=600
[[ "${1:-}" =~ ^[0-9]+$ ]] && { secs=$1; shift; }
mkdir -p logs
for t in "$@"; do
    mkdir -p "corpus/$t" "seeds/$t" "regressions/$t"
    cargo +nightly fuzz run -O -a "$t" "corpus/$t" "seeds/$t" "regressions/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 \
        -print_final_stats=1 > "logs/$t.log" 2>&1
    echo "$t: exit $?" >> logs/summary
done
