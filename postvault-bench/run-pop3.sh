#!/usr/bin/env bash
# POP3 RETR throughput on a 2,000-message mailbox (issue 4; docs/benchmarks.md). It builds nothing:
#   ./mvnw -q -B -o install -DskipTests    (from the repository root) first.
# Usage: run-pop3.sh [--mbox FILE] [--dir PARENT]
# Without --mbox, a deterministic 2,000-message mbox is written once with gen-mbox.py (GEN_MBOX, by
# default ../shared/tools/gen-mbox.py beside the repository) into target/bench/sample-2000.mbox.
set -euo pipefail
umask 077
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
args=("$@")
if [[ " $* " != *" --mbox "* ]]; then
  mbox="$root/postvault-bench/target/bench/sample-2000.mbox"
  if [[ ! -f "$mbox" ]]; then
    gen="${GEN_MBOX:-$root/../shared/tools/gen-mbox.py}"
    [[ -f "$gen" ]] || { echo "run-pop3: no --mbox given and no gen-mbox.py at $gen (set GEN_MBOX)" >&2; exit 1; }
    mkdir -p "$(dirname "$mbox")"
    python3 "$gen" "$mbox" 2000 42
  fi
  args+=(--mbox "$mbox")
fi
exec "$root/postvault-bench/run-java.sh" dev.postvault.bench.Pop3Bench "${args[@]}"
