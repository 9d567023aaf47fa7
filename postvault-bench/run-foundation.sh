#!/usr/bin/env bash
# Runs the foundation benchmarks (docs/benchmarks.md) against the built modules. It builds nothing:
#   ./mvnw -q -B -o install -DskipTests    (from the repository root) first.
# Arguments go to dev.postvault.bench.FoundationBench:
#   [--dir PARENT] [--messages N] [--sealers K] [--only open,login,spool,attachment] [--strict] [--diagnose]
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" dev.postvault.bench.FoundationBench "$@"
