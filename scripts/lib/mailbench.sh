# Shared by scripts/submission-bench.sh and scripts/submission-storm.sh: a local unbound serving
# sink.test's MX, private Postfix instances, a Postvault with one sending alias, and the load client.
# Expects $root; mb_setup makes $work and the array pids (started processes, stopped on exit).

mb_setup() { # a work directory, and a trap that stops everything started and removes it (KEEP=1 keeps it)
  work="$(mktemp -d)"
  chmod 755 "$work"
  pids=()
  trap mb_cleanup EXIT
  trap 'exit 130' INT TERM HUP PIPE
}

mb_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for conf in "$work"/*/etc/main.cf; do [[ -f "$conf" ]] && postfix -c "$(dirname "$conf")" stop >/dev/null 2>&1 || true; done
  for g in pvbench pfbench; do [[ -d /sys/fs/cgroup/cpuacct/$g ]] && rmdir "/sys/fs/cgroup/cpuacct/$g" 2>/dev/null || true; done
  if [[ "${KEEP:-0}" == 1 ]]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}

mb_java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"

mb_require() { # TOOL... : exit 2 with a hint unless each is present; Postfix and smtp-sink also need root
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$(basename "$0"): $tool is missing (scripts/install-test-tools.sh)" >&2; exit 2; }
  done
  [[ $EUID -eq 0 ]] || { echo "$(basename "$0"): Postfix's master and smtp-sink need root" >&2; exit 2; }
  [[ -d "$root/postvault-bench/target/classes" && -d "$root/postvault-bench/target/lib" ]] \
    || { echo "$(basename "$0"): build first: ./mvnw -q -B -o install -DskipTests" >&2; exit 2; }
}

mb_corpus() { # -> path of gen-mbox.py's 2,000-message corpus (seed 42), written once
  local dir="${CORPUS_DIR:-$HOME/.cache/postvault}" mbox
  mbox="$dir/gen-mbox-2000-42.mbox"
  if [[ ! -s "$mbox" ]]; then
    mkdir -p "$dir"
    python3 "${GEN_MBOX:-$root/../shared/tools/gen-mbox.py}" "$mbox.tmp" 2000 42 >&2 && mv "$mbox.tmp" "$mbox"
  fi
  echo "$mbox"
}

mb_load() { # SubmissionLoad's arguments
  "$mb_java" -Xmx1g -cp "$root/postvault-bench/target/classes:$root/postvault-bench/target/lib/*" dev.postvault.bench.SubmissionLoad "$@"
}

mb_unbound() { # PORT: unbound on 127.0.0.1:PORT, answering sink.test MX -> mx.sink.test A 127.0.0.9
  cat > "$work/unbound.conf" <<CONF
server:
  interface: 127.0.0.1
  port: $1
  do-ip6: no
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$work"
  pidfile: ""
  use-syslog: no
  logfile: ""
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  local-zone: "test." static
  local-data: "sink.test. MX 10 mx.sink.test."
  local-data: "mx.sink.test. A 127.0.0.9"
remote-control:
  control-enable: no
CONF
  /usr/sbin/unbound -d -c "$work/unbound.conf" >"$work/unbound.log" 2>&1 &
  pids+=($!)
}

mb_postfix_config() { # DIR LISTEN EXTRA_MAIN_CF: a private Postfix instance's files (not started)
  local d="$1"
  mkdir -p "$d/etc" "$d/queue" "$d/data"
  chown postfix "$d/data"
  sed "s/@LISTEN@/$2/" "$root/scripts/lib/postfix-master.cf.in" >"$d/etc/master.cf"
  cat > "$d/etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $d/queue
data_directory = $d/data
inet_interfaces = loopback-only
inet_protocols = ipv4
mydestination =
mynetworks = 127.0.0.0/8
maillog_file = $d/maillog
maillog_file_prefixes = $d
alias_maps =
alias_database =
message_size_limit = 52428800
disable_dns_lookups = yes
smtp_dns_support_level = disabled
biff = no
$3
CONF
}

mb_port_free() { # PORT [HOST]: exit 2 when something already listens there (a server left from an earlier run)
  if (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; then
    echo "$(basename "$0"): ${2:-127.0.0.1}:$1 is in use; stop what listens there or choose another port" >&2
    exit 2
  fi
}

mb_wait_port() { # PORT [HOST]
  for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "$(basename "$0"): nothing listens on ${2:-127.0.0.1}:$1" >&2
  return 1
}

mb_postvault_init() { # DATA_DIR PASSWORD: domain bench.test (with DKIM keys) and alias sender@bench.test
  "$root/bin/postvault" domain add bench.test --data-dir "$1" >/dev/null
  printf '%s\n' "$2" | "$root/bin/postvault" alias add sender@bench.test --password-stdin --data-dir "$1" >/dev/null
}

# DATA_DIR SUBMISSION_PORT DNS_PORT OUTBOUND_PORT: the serve command (submission only, plaintext AUTH
# on loopback, no rate limit, outbound through the local unbound), for the caller to start.
mb_postvault_serve_args() {
  echo "$root/bin/postvault" serve --data-dir "$1" --bind 127.0.0.1 --hostname bench.test \
    --smtp-port 0 --imap-port 0 --imaps-port 0 --pop3-port 0 --pop3s-port 0 --submissions-port 0 --http-port 0 \
    --submission-port "$2" --plaintext-auth-on-loopback --submission-messages-per-hour 100000000 \
    --outbound-resolver "127.0.0.1:$3" --outbound-port "$4" --backup-interval 0
}
