#!/usr/bin/env bash
# The project's test command (README, .ci/run). Installs what it needs:
# crates come from crates.io through cargo.
set -euo pipefail
cd "$(dirname "$0")/.."

# The vectors in circuits/vectors/ are copies of ../shared/vectors/.
if [ -d ../shared/vectors ]; then
  for f in ../shared/vectors/*.json; do
    cmp -s "$f" "circuits/vectors/$(basename "$f")" ||
      { echo "circuits/vectors/$(basename "$f") differs from $f: copy it again" >&2; exit 1; }
  done
fi

# Node.js tools pinned by contracts/package-lock.json: solc (Solidity
# verifier tests on revm) and snarkjs (interoperability test).
npm ci --prefix contracts --no-audit --no-fund

# Solidity tests under forge (contracts/README.md, "Foundry"): unit, fuzz and
# invariant suites of the settlement with a verifier double (the ci profile:
# 128 invariant runs of depth 500, to fit the time budget), then the gas
# snapshot of commitEpoch/settle/claim, which must not change.
(cd contracts && POA_FORGE_PROFILE=ci scripts/forge test && scripts/forge snapshot --check --match-contract Gas)

cargo test --workspace --release --locked

# The plonky2 (Goldilocks) profile needs a nightly compiler: plonky2_field
# uses `feature(specialization)`. Its own target directory keeps the stable
# build's artifacts valid.
if cargo +nightly --version >/dev/null 2>&1; then
  cargo +nightly test --release --locked -p poa-circuits --features plonky2 \
    --target-dir target/nightly --test goldilocks --lib
  cargo +nightly test --release --locked -p poa-prover --features plonky2 \
    --target-dir target/nightly --test plonky2
  # The conformance table with plonky2 (halo2 ran in the stable build).
  POA_BACKENDS=groth16,plonky2 cargo +nightly test --release --locked -p poa-prover \
    --features plonky2 --target-dir target/nightly --test conformance
elif [ -n "${CI:-}" ]; then
  # CI must test every backend: a missing nightly fails the run there.
  echo "error: CI is set and there is no nightly toolchain (cargo +nightly): the plonky2 tests cannot run" >&2
  exit 1
else
  echo "warning: no nightly toolchain (cargo +nightly): the plonky2 tests did not run" >&2
fi
