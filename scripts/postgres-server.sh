#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests and the bench: a new cluster in a temp folder,
# listening on a free loopback port, trusted for the local user `checkout`.
# Usage: scripts/postgres-server.sh start [--durable]   prints `export CHECKOUT_TEST_POSTGRES_URL=… PG_TEST_DIR=…`
#        scripts/postgres-server.sh stop DIR             stops it and removes the folder
# Without --durable the cluster skips fsync (a test cluster needs no crash safety); with it, commits
# are flushed to disk as in production (the bench).
set -euo pipefail

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[[ -x "$bin/initdb" ]] || { echo "postgres-server: no PostgreSQL found under /usr/lib/postgresql; run scripts/setup.sh --for-tests" >&2; exit 1; }

# initdb and postgres refuse to run as root: as root, the cluster belongs to the `postgres` user the
# Debian package creates.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
  durable=false
  [[ "${2:-}" == "--durable" ]] && durable=true
  dir="$(mktemp -d /tmp/checkout-pg.XXXXXX)"
  chmod 755 "$dir"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_owner "$bin/initdb" --pgdata="$dir/data" --username=checkout --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=1000 -c shared_buffers=256MB"
  $durable || options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --options="$options" --wait start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "export PG_TEST_DIR=$dir CHECKOUT_TEST_POSTGRES_URL=postgres://checkout@127.0.0.1:$port/postgres?sslmode=disable"
  ;;
stop)
  dir="${2:?postgres-server: stop needs the folder start printed}"
  [[ -d "$dir/data" ]] && as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start [--durable] | stop DIR" >&2
  exit 2
  ;;
esac
