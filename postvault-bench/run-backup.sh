#!/usr/bin/env bash
# Backup measurements on a generated mailbox of about 1 GB (issue 5; docs/benchmarks.md): snapshot,
# no-change and dormant backups, S3 upload and download (s3proxy on loopback). Builds nothing:
#   ./mvnw -q -B -o install -DskipTests    (from the repository root) first.
# Usage: run-backup.sh [--mb N] [--dir PARENT]     (needs about 5 x N MB of free disk)
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" dev.postvault.bench.BackupBench "$@"
