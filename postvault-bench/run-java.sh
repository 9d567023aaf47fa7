#!/usr/bin/env bash
# Runs one benchmark main class against the built modules with the server's JVM flags. It builds
# nothing: ./mvnw -q -B -o install -DskipTests (from the repository root) first.
# Usage: run-java.sh MAIN-CLASS [ARGS...]
set -euo pipefail
main="${1:?usage: run-java.sh MAIN-CLASS [ARGS...]}"
shift
umask 077
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lib="$root/postvault-bench/target/lib"
classes="$root/postvault-bench/target/classes"
if [[ ! -d "$lib" || ! -f "$classes/${main//.//}.class" ]]; then
  echo "run-java: not built yet; run: ./mvnw -q -B -o install -DskipTests" >&2
  exit 1
fi

# The first Java 25 or newer among JAVA_HOME, /usr/lib/jvm and PATH (as bin/postvault finds it).
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'; }
java_bin=""
for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
  [[ -n "$candidate" && -x "$candidate" ]] || continue
  major="$(java_major "$candidate")"
  if [[ -n "$major" && "$major" -ge 25 ]]; then java_bin="$candidate"; break; fi
done
if [[ -z "$java_bin" ]]; then
  echo "run-java: needs Java 25 or newer; set JAVA_HOME to a JDK 25" >&2
  exit 1
fi

# SQLite runs through JNI: native access must be granted explicitly on Java 25. A fixed heap keeps
# GC sizing out of the numbers; BENCH_JAVA_OPTS adds flags (e.g. a profiler agent).
exec "$java_bin" --enable-native-access=ALL-UNNAMED -Xms2g -Xmx2g ${BENCH_JAVA_OPTS:-} \
  -cp "$classes:$lib/*" "$main" "$@"
