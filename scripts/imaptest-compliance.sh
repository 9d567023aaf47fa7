#!/usr/bin/env bash
# Runs Dovecot imaptest's compliance scripts against a fresh Postvault on loopback.
# imaptest is not packaged and is never part of this repository: build it yourself and point
# IMAPTEST at the binary. Usage: IMAPTEST=/path/to/imaptest [RUNS=5] scripts/imaptest-compliance.sh [TESTDIR]
# Prints PASS / FAIL / SKIP per group (SKIP: the group needs a capability we do not advertise)
# and exits non-zero if any group failed. RUNS (default 1) repeats the whole suite against the same
# running server, as clients would find it after earlier sessions: state left behind must not break
# a later run. Requires a built server (./mvnw -q install -DskipTests).
# imaptest logs both users in with one password, so both test aliases get the same one.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tests="${1:-$root/../shared/imaptest-tests}"
imaptest="${IMAPTEST:?set IMAPTEST to an imaptest binary}"
port="${PORT:-12143}"
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

pv() { "$root/bin/postvault" "$@" --data-dir "$work/data"; }
pv domain add example.org >/dev/null
echo "imaptest-password-1" | pv alias add user1@example.org --password-stdin >/dev/null
echo "imaptest-password-1" | pv alias add user2@example.org --password-stdin >/dev/null
"$root/bin/postvault" serve --data-dir "$work/data" --imap-port "$port" --imaps-port 0 --smtp-port 0 \
  --plaintext-auth-on-loopback >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do grep -q "imap on" "$work/server.log" && break; sleep 0.5; done
if ! grep -q "imap on" "$work/server.log"; then
  echo "the server did not start (is port $port taken? set PORT):" >&2
  cat "$work/server.log" >&2
  exit 2
fi

runs="${RUNS:-1}"
total_failed=0
for run in $(seq 1 "$runs"); do
[[ $runs -gt 1 ]] && echo "--- run $run of $runs"
passed=0 failed=0 skipped=0
for script in "$tests"/*; do
  name="$(basename "$script")"
  [[ -f "$script" && "$name" != *.mbox ]] || continue
  log="$work/$name.log"
  status=0
  (cd "$tests" && timeout 60 "$imaptest" host=127.0.0.1 port="$port" user=user1@example.org \
      pass=imaptest-password-1 user2=user2@example.org test="$script") >"$log" 2>&1 || status=$?
  # imaptest 924f619 counts a group it skipped for a missing capability as passed, with 0 commands.
  counted="$(awk -F'[/ ]' '/^(base protocol|extensions):/ { n += $(NF-3) } END { print n + 0 }' "$log")"
  if [[ $status -ne 0 ]]; then
    echo "FAIL $name"; failed=$((failed + 1)); sed -n '1,12p' "$log" | sed 's/^/     /'
  elif [[ "${counted:-0}" -eq 0 ]]; then
    echo "SKIP $name"; skipped=$((skipped + 1))
  else
    echo "PASS $name"; passed=$((passed + 1))
  fi
done
echo "$passed passed, $failed failed, $skipped skipped"
total_failed=$((total_failed + failed))
done
[[ $total_failed -eq 0 ]]
