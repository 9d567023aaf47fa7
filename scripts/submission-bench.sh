#!/usr/bin/env bash
# Submission and outbound delivery under load (issue 13): Postvault against Postfix on the same
# machine, the same client, the same messages, the same remote. Each server takes MESSAGES messages
# from SESSIONS concurrent SMTP sessions (postvault-bench's SubmissionLoad: EHLO, then MAIL, RCPT,
# DATA per message; for Postvault AUTH PLAIN first, as submission requires) and relays them to
# Postfix's smtp-sink on 127.0.0.9, which counts what arrives. Reported per server: messages accepted
# and refused, the seconds until the last one was accepted and until the last one reached the sink,
# messages per second end to end, and CPU seconds of the server's processes per message (cgroup v1
# cpuacct, or /proc when there is none).
#
#   scripts/submission-bench.sh [MESSAGES=2000] [SESSIONS=8]
#
# Postvault: a fresh data directory with one domain (DKIM keys made by `domain add`, so every message
# is signed with RSA-2048 and Ed25519) and one alias; `serve` with submission on 127.0.0.1:$PV_PORT
# (plaintext AUTH allowed on loopback), every other listener off, its outbound resolver a local
# unbound serving sink.test's MX (127.0.0.9), and outbound port $SINK_PORT. Messages are queued
# sealed and fsync'd before the 250. Postfix: a private instance (as in RemoteMxTest) on
# 127.0.0.1:$PF_PORT relaying for 127.0.0.0/8 to [127.0.0.9]:$SINK_PORT, its queue fsync'd as always,
# nothing signed. Both run with their defaults otherwise (Postvault: 4 connections per destination;
# Postfix: 20). A warm-up of WARMUP messages (200) goes through each first and is not counted.
#
# The messages are gen-mbox.py's 2,000-message corpus (74 MB, attachments; seed 42), written once to
# $CORPUS_DIR (~/.cache/postvault). Needs a built tree (./mvnw -q -B -o install -DskipTests), root,
# Postfix (smtp-sink) and unbound (scripts/install-test-tools.sh). Env: PV_PORT (12587), PF_PORT
# (12525), SINK_PORT (12526), DNS_PORT (12553), WARMUP, KEEP=1 keeps the work directory,
# PV_SERVE_JAVA_OPTS adds JVM flags to Postvault's server (e.g. a flight recording).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
messages="${1:-2000}" sessions="${2:-8}" warmup="${WARMUP:-200}"
pv_port="${PV_PORT:-12587}" pf_port="${PF_PORT:-12525}" sink_port="${SINK_PORT:-12526}" dns_port="${DNS_PORT:-12553}"
password="submission-bench-password-1"
. "$root/scripts/lib/mailbench.sh"
mb_setup
mb_require smtp-sink postfix /usr/sbin/unbound python3
mbox="$(mb_corpus)"
mb_port_free "$pv_port"; mb_port_free "$pf_port"; mb_port_free "$sink_port" 127.0.0.9

mb_unbound "$dns_port"

start_sink() {
  smtp-sink -u nobody -c "127.0.0.9:$sink_port" 256 >"$work/sink.out" 2>&1 &
  sink_pid=$!
  pids+=("$sink_pid")
  sleep 0.3
}
stop_sink() { kill "$sink_pid" 2>/dev/null || true; wait "$sink_pid" 2>/dev/null || true; }
# smtp-sink -c rewrites "sess=N quit=N mesg=N" with a carriage return after each message.
sunk() { tr '\r' '\n' <"$work/sink.out" | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2 || echo 0; }

# --- CPU accounting -----------------------------------------------------------------------------
cgroup_cpu() { # NAME -> CPU nanoseconds of the processes in the cgroup (and their children) so far
  if [[ -f /sys/fs/cgroup/cpuacct/$1/cpuacct.usage ]]; then cat "/sys/fs/cgroup/cpuacct/$1/cpuacct.usage"; else echo 0; fi
}
in_cgroup() { # NAME CMD... : runs CMD (and what it starts) inside the cgroup
  local g="/sys/fs/cgroup/cpuacct/$1"; shift
  mkdir -p "$g"
  exec sh -c 'echo $$ > "$0/tasks"; exec "$@"' "$g" "$@"
}

now() { date +%s.%N; }

# run NAME PORT USER PASSWORD SENDER COUNT: one load against a server; waits until the sink has it all.
run() {
  local name="$1" port="$2" user="$3" pass="$4" sender="$5" count="$6"
  start_sink
  local cpu0 t0 out t1 accepted
  cpu0="$(cgroup_cpu "$name")"
  out="$(mb_load 127.0.0.1 "$port" "$user" "$pass" "$sender" "rcpt@sink.test" "$sessions" "$count" "$mbox" 2>"$work/load.err")"
  if [[ "$out" != *accepted=* || "$out" == *accepted=0\ * ]]; then echo "the load against $name failed: $(head -3 "$work/load.err")" >&2; fi
  # Timed from the load's first connection (after it has read the mbox), not from the JVM's start.
  t0="$(sed -n 's/.*start=\([0-9.]*\).*/\1/p' <<<"$out")"
  t1="$(awk -v t0="$t0" -v s="$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$out")" 'BEGIN { printf "%.3f", t0 + s }')"
  accepted="$(sed -n 's/.*accepted=\([0-9]*\).*/\1/p' <<<"$out")"
  local deadline=$((SECONDS + 900))
  while (( $(sunk) < accepted )) && (( SECONDS < deadline )); do sleep 0.1; done
  local t2 cpu1 got
  t2="$(now)"
  cpu1="$(cgroup_cpu "$name")"
  got="$(sunk)"
  stop_sink
  awk -v n="$name" -v out="$out" -v a="$accepted" -v got="$got" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v c0="$cpu0" -v c1="$cpu1" 'BEGIN {
    split(out, f, /[ =]/); refused = f[4];
    printf "| %s | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.2f |\n", n, a, refused, got, t1 - t0, t2 - t0,
      got / (t2 - t0), (c1 - c0) / 1e9, (c1 - c0) / 1e6 / (got > 0 ? got : 1) }'
}

# --- Postvault ------------------------------------------------------------------------------------
pvdata="$work/pv"
mb_postvault_init "$pvdata" "$password"
# shellcheck disable=SC2046
POSTVAULT_JAVA_OPTS="${PV_SERVE_JAVA_OPTS:-}" in_cgroup pvbench $(mb_postvault_serve_args "$pvdata" "$pv_port" "$dns_port" "$sink_port") \
  >"$work/postvault.log" 2>&1 &
pids+=($!)

# --- Postfix ----------------------------------------------------------------------------------------
mb_postfix_config "$work/postfix" "127.0.0.1:$pf_port" "myhostname = relay.bench.test
relayhost = [127.0.0.9]:$sink_port
smtpd_relay_restrictions = permit_mynetworks, reject"
(in_cgroup pfbench postfix -c "$work/postfix/etc" start >/dev/null)
mb_wait_port "$pv_port"
mb_wait_port "$pf_port"

echo "Submission to a relay sink: $messages messages of gen-mbox-2000-42 (attachments), $sessions sessions, after a $warmup-message warm-up"
echo
echo "| server | accepted | refused | at sink | s to last 250 | s to last at sink | msg/s end to end | CPU s | CPU ms/msg |"
echo "|---|---|---|---|---|---|---|---|---|"
run pvbench "$pv_port" sender@bench.test "$password" sender@bench.test "$warmup" >/dev/null
run pfbench "$pf_port" - - sender@bench.test "$warmup" >/dev/null
run pvbench "$pv_port" sender@bench.test "$password" sender@bench.test "$messages" | sed 's/^| pvbench/| Postvault (DKIM RSA+Ed25519, sealed queue)/'
run pfbench "$pf_port" - - sender@bench.test "$messages" | sed 's/^| pfbench/| Postfix 3.7 (relay, no signing)/'
if grep -q "ERROR" "$work/postvault.log"; then echo; echo "Postvault logged errors:"; grep "ERROR" "$work/postvault.log" | head -5; fi
