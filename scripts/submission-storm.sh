#!/usr/bin/env bash
# kill -9 in the middle of a submission storm (issue 13): every message Postvault answered 250 must
# reach the remote exactly once, and the queue files left by the kill must not show any address,
# Message-ID or body text.
#
#   scripts/submission-storm.sh [MESSAGES=1000] [SESSIONS=8] [KILL_AT=200]
#
# A private Postfix on 127.0.0.9:$SINK_PORT is sink.test's MX (found through a local unbound) and puts
# every message into one Maildir. Postvault takes MESSAGES messages of gen-mbox.py's corpus from
# SESSIONS sessions (postvault-bench's SubmissionLoad, AUTH PLAIN on loopback) and relays them there;
# once KILL_AT messages have reached the remote (submission and delivery both under way), the server
# is killed with SIGKILL, the queue directory is copied as the kill
# left it, the server is started again on the same data directory, and the messages not yet sent are
# submitted. When the queue is empty, the Message-IDs in the Maildir are counted against the ones that
# got 250: none may be missing and none may arrive twice. A message whose 250 the kill swallowed (the
# server had queued it but the client never heard so) may arrive once; it is counted apart. Exit 1 on a
# missing or duplicated message or a readable queue file. Needs what submission-bench.sh needs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
messages="${1:-1000}" sessions="${2:-8}" kill_at="${3:-200}"
pv_port="${PV_PORT:-12587}" sink_port="${SINK_PORT:-12526}" dns_port="${DNS_PORT:-12553}"
password="submission-storm-password-1"
. "$root/scripts/lib/mailbench.sh"
mb_setup
mb_require postfix /usr/sbin/unbound python3
mbox="$(mb_corpus)"
mb_port_free "$pv_port"; mb_port_free "$sink_port" 127.0.0.9

mb_unbound "$dns_port"
mkdir -p "$work/remote/mail"
chown nobody:nogroup "$work/remote/mail"
mb_postfix_config "$work/remote" "127.0.0.9:$sink_port" "myhostname = mx.sink.test
virtual_mailbox_domains = sink.test
virtual_mailbox_base = $work/remote/mail
virtual_mailbox_maps = static:box/
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_mailbox_limit = 0
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination"
postfix -c "$work/remote/etc" start >/dev/null
mb_wait_port "$sink_port" 127.0.0.9

pvdata="$work/pv"
mb_postvault_init "$pvdata" "$password"
serve() {
  # shellcheck disable=SC2046
  $(mb_postvault_serve_args "$pvdata" "$pv_port" "$dns_port" "$sink_port") >>"$work/postvault.log" 2>&1 &
  server=$!
  pids+=("$server")
  mb_wait_port "$pv_port"
}

serve
mb_load 127.0.0.1 "$pv_port" sender@bench.test "$password" sender@bench.test rcpt@sink.test "$sessions" "$messages" "$mbox" \
  "$work/accepted-1" >"$work/load-1.out" 2>"$work/load-1.err" &
load_pid=$!
at_remote() { find "$work/remote/mail/box/new" -type f 2>/dev/null | wc -l; }
while (( $(at_remote) < kill_at )) && kill -0 "$load_pid" 2>/dev/null; do sleep 0.05; done
kill -9 "$server"
wait "$server" 2>/dev/null || true
cp -a "$pvdata/outbound" "$work/queue-at-kill"
wait "$load_pid" || true
first="$(wc -l <"$work/accepted-1")"
echo "killed with $(at_remote) at the remote: $first messages had 250, $(ls "$work/queue-at-kill" | grep -c '\.msg$' || true) in the queue at the kill"

serve
rest=$((messages - first))
mb_load 127.0.0.1 "$pv_port" sender@bench.test "$password" sender@bench.test rcpt@sink.test "$sessions" "$rest" "$mbox" \
  "$work/accepted-2" >"$work/load-2.out" 2>"$work/load-2.err"
deadline=$((SECONDS + 600))
while ls "$pvdata/outbound" | grep -q '\.msg$' && (( SECONDS < deadline )); do sleep 0.5; done
sleep 2 # Postfix's virtual agent writes what its smtpd has just taken

cat "$work/accepted-1" "$work/accepted-2" | sort >"$work/accepted"
find "$work/remote/mail/box/new" -type f -exec grep -h -m1 -i '^Message-ID: <load-' {} + | sed 's/^[^<]*//; s/\r$//' | sort >"$work/arrived"
accepted="$(wc -l <"$work/accepted")"
arrived="$(wc -l <"$work/arrived")"
duplicated="$(uniq -d "$work/arrived" | wc -l)"
missing="$(comm -23 "$work/accepted" <(uniq "$work/arrived") | wc -l)"
unheard="$(comm -13 "$work/accepted" <(uniq "$work/arrived") | wc -l)"
queued_left="$(ls "$pvdata/outbound" | grep -c '\.msg$' || true)"
# The queue as the kill left it: no address, Message-ID or text of the corpus in clear.
readable=0
for needle in sink.test bench.test load.test "Message-ID" "From:" "Subject:"; do
  if grep -rqa -- "$needle" "$work/queue-at-kill"; then readable=$((readable + 1)); echo "queue file shows '$needle' in clear" >&2; fi
done

echo "| messages | 250 | arrived | arrived twice | 250 but missing | arrived without a 250 heard | left in queue | queue files readable |"
echo "|---|---|---|---|---|---|---|---|"
echo "| $messages | $accepted | $arrived | $duplicated | $missing | $unheard | $queued_left | $readable |"
if (( duplicated > 0 || missing > 0 || readable > 0 || queued_left > 0 )); then exit 1; fi
