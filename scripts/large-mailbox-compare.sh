#!/usr/bin/env bash
# One large mailbox (issue 12): Postvault against Debian's Dovecot on a single INBOX of N messages,
# the same mbox imported into each. Reports each server's import time, Postvault's mailbox file
# size, LOGIN and the first SELECT, then the median and p95 time of IMAP operations that a mail
# client runs on a big folder (header and ENVELOPE/BODYSTRUCTURE FETCH of every message, full
# bodies, SEARCH on headers, text, dates and flags, SORT, THREAD), with each server's hit counts.
#
#   scripts/large-mailbox-compare.sh [N=10000] [SEED=7]
#
# The corpus is ../shared/tools/gen-mbox.py's realistic mbox of N messages (about 35 KB each),
# written once to $CORPUS_DIR (default ~/.cache/postvault) as gen-mbox-N-SEED.mbox and reused.
# Postvault: a fresh data directory, `postvault import` of the mbox, then `postvault serve` with
# plain IMAP on 127.0.0.1:$PV_PORT only. Postvault adds messages to its full-text index in a
# background pass after import and at the next open; the driver measures a settled server: after
# LOGIN/SELECT it waits until the mailbox files have not changed for 3 s and the server process is
# idle (SETTLE_MAX caps the wait, 1800 s). Dovecot: Maildir, static passdb, no FTS plugin, ssl=no
# (as in imap-compare.sh), mail put in with `doveadm import` from the same mbox, IMAP on
# 127.0.0.1:$DV_PORT. Both INBOXes must report the same EXISTS, or nothing is measured.
# scripts/large_mailbox_compare.py then runs each operation REPS times (5; SORT and THREAD:
# SORT_REPS, 3, best run) on both servers in turn and prints a markdown table. The exit status is
# 1 when a hit count differs between the servers (after the table), 2 when the set-up failed.
# SEARCH and SORT answers are UIDs, which differ between the imports: counts are compared, and
# SORT orders and THREAD trees through Message-IDs (shown, not failed on).
#
# Env: PV_PORT (12245), DV_PORT (12246), KEEP=1 keeps the work directory (logs, both mailboxes)
# and prints it, SKIP_DOVECOT=1 measures Postvault alone, REPS, SORT_REPS, SETTLE_MAX, CORPUS_DIR.
# Needs a built tree (./mvnw -q -B -o install -DskipTests), python3, and for the Dovecot rows
# dovecot-imapd and root (Dovecot's privilege drop); without them those rows are skipped. Both
# servers stay up during the run, but only one works at a time (the driver alternates).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/dovecot.sh"
n="${1:-10000}" seed="${2:-7}"
password="large-mailbox-compare-password-1"
user="bench@example.org"
pv_port="${PV_PORT:-12245}" dv_port="${DV_PORT:-12246}"
work="$(mktemp -d)"
chmod 755 "$work"
server_pid="" child=""
cleanup() {
  [[ -n "$child" ]] && kill "$child" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -f "$work/dovecot.conf" ]] && dovecot -c "$work/dovecot.conf" stop 2>/dev/null || true
  if [[ "${KEEP:-0}" == 1 ]]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE
# Runs a long step as a child and waits for it: a signal to this script then acts at once (bash runs
# traps only between commands, and wait is interrupted) and cleanup ends the step too. Keeps stdin.
step() {
  "$@" <&0 &
  child=$!
  local rc=0
  wait "$child" || rc=$?
  child=""
  return "$rc"
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

corpus_dir="${CORPUS_DIR:-$HOME/.cache/postvault}"
mbox="$corpus_dir/gen-mbox-$n-$seed.mbox"
if [[ ! -s "$mbox" ]]; then
  mkdir -p "$corpus_dir"
  echo "writing the corpus $mbox (once)"
  # gen-mbox.py writes OUT.tmp and renames it to OUT; OUT is our own .tmp, renamed when complete.
  step python3 "$root/../shared/tools/gen-mbox.py" "$mbox.tmp" "$n" "$seed" >/dev/null
  mv "$mbox.tmp" "$mbox"
fi

echo "large mailbox: $(basename "$mbox") ($(du -m "$mbox" | cut -f1) MB); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

# --- Dovecot (set up first, so that its import does not run beside Postvault's index pass) ------
dv_args=()
if [[ "${SKIP_DOVECOT:-0}" == 1 ]]; then
  echo "dovecot rows skipped: SKIP_DOVECOT=1"
elif ! command -v dovecot >/dev/null || ! command -v doveadm >/dev/null || [[ $EUID -ne 0 ]]; then
  echo "dovecot rows skipped: needs dovecot-imapd and root"
else
  d="$work/dovecot"
  mkdir -p "$d/run" "$d/state" "$d/home" "$d/src"
  chown nobody:nogroup "$d/home"
  # doveadm reads the mbox as the mail user (nobody), who may not reach $corpus_dir: a hard link
  # (or a copy) in a directory of its own. The file stays root's and read-only to Dovecot, which
  # then opens it read-only and writes nothing into it; its index is kept in memory.
  ln "$mbox" "$d/src/inbox.mbox" 2>/dev/null && (( 0$(stat -c %a "$mbox") & 4 )) ||
    { rm -f "$d/src/inbox.mbox"; cp "$mbox" "$d/src/inbox.mbox"; chmod 644 "$d/src/inbox.mbox"; }
  chmod 755 "$d/src"
  dovecot_conf "$d" "$dv_port" "$password" large-mailbox-compare >"$work/dovecot.conf"
  dovecot -c "$work/dovecot.conf"
  for _ in $(seq 1 20); do [[ -S "$d/run/auth-userdb" ]] && break; sleep 0.25; done
  t="$(now)"
  # mbox:ROOT:INBOX=FILE opens FILE as the source's INBOX; "" imports every source folder under
  # the same name at the top of the user's namespace, so INBOX goes to INBOX.
  step doveadm -c "$work/dovecot.conf" import -u "$user" "mbox:$d/src:INBOX=$d/src/inbox.mbox:INDEX=MEMORY" "" all
  echo "dovecot import: $(since "$t") s ($(doveadm -c "$work/dovecot.conf" mailbox status -u "$user" messages INBOX))"
  rm -f "$d/src/inbox.mbox"
  dv_args=(--dv-port "$dv_port" --dv-maildir "$d/home/$user/Maildir")
fi

# --- Postvault -----------------------------------------------------------------------------------
pv="$work/pv"
"$root/bin/postvault" domain add example.org --data-dir "$pv" >/dev/null
echo "$password" | "$root/bin/postvault" alias add "$user" --password-stdin --data-dir "$pv" >/dev/null
t="$(now)"
step "$root/bin/postvault" import "$user" "$mbox" --from mbox --password-stdin --data-dir "$pv" <<<"$password" \
  >"$work/pv-import.out" 2>"$work/pv-import.err" || { cat "$work/pv-import.out" "$work/pv-import.err" >&2; exit 2; }
echo "postvault import: $(since "$t") s ($(cat "$work/pv-import.out"))"
"$root/bin/postvault" serve --data-dir "$pv" --bind 127.0.0.1 --imap-port "$pv_port" --imaps-port 0 --pop3-port 0 --pop3s-port 0 \
  --smtp-port 0 --backup-interval 0 --plaintext-auth-on-loopback >"$work/pv.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do grep -q "imap on" "$work/pv.log" && break; sleep 0.5; done
grep -q "imap on" "$work/pv.log" || { cat "$work/pv.log" >&2; exit 2; }
pv_pid="$(pgrep -P "$server_pid" java || echo "$server_pid")" # bin/postvault execs java

# --- the operations ------------------------------------------------------------------------------
rc=0
BENCH_PASSWORD="$password" step python3 "$root/scripts/large_mailbox_compare.py" --mbox "$mbox" --user "$user" \
  --pv-port "$pv_port" --pv-pid "$pv_pid" --pv-data "$pv" ${dv_args[@]+"${dv_args[@]}"} \
  --json "$work/results.json" || rc=$?
exit "$rc"
