#!/usr/bin/env bash
# IMAP load comparison (issue 3): Dovecot's imaptest stress run against Postvault, Debian's Dovecot,
# and Dovecot with mail_crypt, one after the other on this machine, each with fresh data.
# Reports ops/s, server CPU seconds, ops per server CPU-second, the server's peak RSS and imaptest's
# per-command latency.
#
#   IMAPTEST=/path/to/imaptest scripts/imap-compare.sh [SECS=30] [USERS=100] [CLIENTS=10]
#
# The corpus is ../shared/tools/gen-mbox.py's realistic mbox (2000 messages, attachments, 60-75 MB),
# written once to $CORPUS_DIR (default ~/.cache/postvault) and reused; MBOX=file picks another one.
# imaptest's own six-message default.mbox proves little about a mail server.
# WARMUP=1 runs each server a second time on the same data right after the first and prints both
# rows: the first pays the JVM's warm-up and Postvault's first logins (one Argon2id derivation per
# user; Dovecot's static passdb here hashes nothing), the second is a server that has been up a while.
#
# Needs a built tree (./mvnw -q -B -o install -DskipTests), dovecot-imapd and openssl for the
# Dovecot rows (skipped without them), and root for Dovecot's privilege drop. imaptest is not
# packaged and never part of this repository (see docs/benchmarks.md for how to build it).
# Server CPU is the machine's busy time during the run minus imaptest's own CPU time, so other load
# on the machine counts against every server alike; Postvault's own process time is printed too.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/dovecot.sh"
imaptest="${IMAPTEST:?set IMAPTEST to an imaptest binary}"
secs="${1:-30}" users="${2:-100}" clients="${3:-10}"
if [[ -z "${MBOX:-}" ]]; then
  corpus_dir="${CORPUS_DIR:-$HOME/.cache/postvault}"
  mbox="$corpus_dir/gen-mbox-2000-1.mbox"
  if [[ ! -s "$mbox" ]]; then
    mkdir -p "$corpus_dir"
    python3 "$root/../shared/tools/gen-mbox.py" "$mbox.tmp" 2000 1 >/dev/null && mv "$mbox.tmp" "$mbox"
  fi
else
  mbox="$MBOX"
fi
password="imap-compare-password-1"
pv_port="${PV_PORT:-12243}" dv_port="${DV_PORT:-12244}"
work="$(mktemp -d)"
chmod 755 "$work"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -f "$work/dovecot.conf" ]] && dovecot -c "$work/dovecot.conf" stop 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

busy_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }

# Resident memory of a process and all its descendants, in KiB (Dovecot runs one process per session).
tree_rss() {
  ps -eo pid=,ppid=,rss= | awk -v root="$1" '
    { parent[$1] = $2; rss[$1] = $3 }
    END { for (p in rss) { q = p; while (q != "" && q != 0 && q != root) q = parent[q]; if (q == root) sum += rss[p] } print sum + 0 }'
}

# Samples tree_rss of ROOT every half second until the file STOP exists; writes the peak to OUT.
sample_peak_rss() {
  local root="$1" stop="$2" out="$3" peak=0 now
  while [[ ! -e "$stop" ]]; do
    now="$(tree_rss "$root")"
    (( now > peak )) && peak="$now"
    sleep 0.5
  done
  echo "$peak" >"$out"
}
hz="$(getconf CLK_TCK)"

# Runs imaptest against PORT; prints one result line and the per-command latency line. RSS_ROOT is
# the server process whose tree's peak resident memory is reported.
run_imaptest() {
  local name="$1" port="$2" pid="${3:-}" rss_root="${4:-${3:-}}"
  local before after pv_before=0 pv_after=0 peak_kib=0
  rm -f "$work/$name.stop"
  [[ -n "$rss_root" ]] && { sample_peak_rss "$rss_root" "$work/$name.stop" "$work/$name.rss" & }
  before="$(busy_jiffies)"
  [[ -n "$pid" ]] && pv_before="$(awk '{ print $14 + $15 }' "/proc/$pid/stat")"
  /usr/bin/time -f '%U %S' -o "$work/$name.time" "$imaptest" host=127.0.0.1 port="$port" user="bench%d@example.org" \
    pass="$password" users="$users" clients="$clients" secs="$secs" mbox="$mbox" no_pipelining >"$work/$name.log" 2>&1 </dev/null || true
  after="$(busy_jiffies)"
  [[ -n "$pid" ]] && pv_after="$(awk '{ print $14 + $15 }' "/proc/$pid/stat")"
  touch "$work/$name.stop"
  if [[ -n "$rss_root" ]]; then wait "$!" 2>/dev/null || true; peak_kib="$(cat "$work/$name.rss" 2>/dev/null || echo 0)"; fi
  local client_cpu total ops errors
  client_cpu="$(awk '{ print $1 + $2 }' "$work/$name.time")"
  total="$(awk -v b="$before" -v a="$after" -v hz="$hz" 'BEGIN { printf "%.1f", (a - b) / hz }')"
  ops="$(awk '/^Totals:/ { getline; getline; getline; getline; for (i = 1; i <= NF; i++) s += $i; print s }' "$work/$name.log")"
  errors="$(grep -c '^Error:' "$work/$name.log" || true)"
  awk -v n="$name" -v ops="$ops" -v secs="$secs" -v total="$total" -v client="$client_cpu" -v errors="$errors" \
      -v own="$pv_before" -v own2="$pv_after" -v hz="$hz" -v rss="$peak_kib" 'BEGIN {
    server = total - client; if (server < 0.1) server = 0.1
    line = sprintf("%-20s %8.0f ops/s  server CPU %6.1f s  %8.0f ops per server CPU-s  peak RSS %5.0f MiB  %d errors", n, ops / secs, server, ops / server, rss / 1024, errors)
    if (own2 > 0) line = line sprintf("  (postvault process %.1f s)", (own2 - own) / hz)
    print line }'
  # What went wrong, so a run with errors explains itself (the logs go with the work directory).
  [[ "$errors" -gt 0 ]] && grep '^Error:' "$work/$name.log" | head -5 | sed 's/^/                     /'
  local header latency
  header="$(grep -m1 '^Logi' "$work/$name.log" || true)"
  latency="$(grep 'ms/cmd avg' "$work/$name.log" | tail -1 || true)"
  printf '%-20s %s\n%-20s %s\n' "" "$header" "" "$latency"
}

echo "imaptest: users=$users clients=$clients secs=$secs mbox=$(basename "$mbox"); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

# --- Postvault ----------------------------------------------------------------------------------
"$root/postvault-bench/run-java.sh" dev.postvault.bench.CreateAliases "$work/pv" example.org bench "$users" "$password" >/dev/null
"$root/bin/postvault" serve --data-dir "$work/pv" --imap-port "$pv_port" --imaps-port 0 --pop3-port 0 --pop3s-port 0 \
  --smtp-port 0 --backup-interval 0 --plaintext-auth-on-loopback >"$work/pv.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do grep -q "imap on" "$work/pv.log" && break; sleep 0.5; done
grep -q "imap on" "$work/pv.log" || { cat "$work/pv.log" >&2; exit 2; }
pv_pid="$(pgrep -P "$server_pid" java || echo "$server_pid")"
run_imaptest postvault "$pv_port" "$pv_pid"
[[ "${WARMUP:-0}" == 1 ]] && run_imaptest postvault-warm "$pv_port" "$pv_pid"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

# --- Dovecot, plain and with mail_crypt -----------------------------------------------------------
if ! command -v dovecot >/dev/null || ! command -v openssl >/dev/null || [[ $EUID -ne 0 ]]; then
  echo "dovecot rows skipped: needs dovecot-imapd, openssl and root"
  exit 0
fi
for variant in dovecot dovecot-mailcrypt; do
  d="$work/$variant"
  mkdir -p "$d/run" "$d/state" "$d/home"
  chown nobody:nogroup "$d/home"
  dovecot_conf "$d" "$dv_port" "$password" imap-compare >"$work/dovecot.conf"
  if [[ "$variant" == dovecot-mailcrypt ]]; then
    openssl ecparam -name prime256v1 -genkey 2>/dev/null | openssl pkey -out "$d/ec.pem"
    openssl pkey -in "$d/ec.pem" -pubout -out "$d/ec.pub"
    chmod 644 "$d/ec.pem"
    cat >>"$work/dovecot.conf" <<CONF
mail_plugins = \$mail_plugins mail_crypt
plugin {
  mail_crypt_global_private_key = <$d/ec.pem
  mail_crypt_global_public_key = <$d/ec.pub
  mail_crypt_save_version = 2
}
CONF
  fi
  dovecot -c "$work/dovecot.conf"
  sleep 1
  run_imaptest "$variant" "$dv_port" "" "$(cat "$d/run/master.pid" 2>/dev/null || true)"
  [[ "${WARMUP:-0}" == 1 ]] && run_imaptest "$variant-warm" "$dv_port" "" "$(cat "$d/run/master.pid" 2>/dev/null || true)"
  dovecot -c "$work/dovecot.conf" stop
  sleep 1
done
