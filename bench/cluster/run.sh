#!/usr/bin/env bash
# make cluster-check: haproxy and PgBouncer from Debian (installed if missing),
# PostgreSQL (started if down), then python -m bench.cluster. Not part of make test.
set -euo pipefail
cd "$(dirname "$0")/../.."
need=()
command -v haproxy >/dev/null || need+=(haproxy)
command -v pgbouncer >/dev/null || need+=(pgbouncer)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis is not answering on 127.0.0.1:6379" >&2; exit 1; }
exec .venv/bin/python -m bench.cluster
