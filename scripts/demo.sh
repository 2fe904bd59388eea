#!/usr/bin/env bash
# The main job (README): `poa demo` on embedded real data. Installs what it
# needs: crates through cargo, the pinned solc through npm (once).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d contracts/node_modules/solc ] || npm ci --prefix contracts --no-audit --no-fund
cargo run --release --locked --bin poa -- demo "$@"
