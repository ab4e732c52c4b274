#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests.
#   scripts/pg-cluster.sh start        -> prints postgresql+psycopg://postgres@127.0.0.1:PORT/tonghop_test
#   scripts/pg-cluster.sh stop URL     -> stops that cluster and deletes its directory
# initdb refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail

bindir="${PG_BINDIR:-}"
if [ -z "$bindir" ]; then
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
    bindir="$(pg_config --bindir)"
  else
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  fi
fi
[ -x "$bindir/initdb" ] || { echo "pg-cluster: initdb not found (apt-get install postgresql)" >&2; exit 2; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

state_file() { echo "${TMPDIR:-/tmp}/tonghop-pg-$1.dir"; }

start() {
  local dir port
  dir="$(mktemp -d "${TMPDIR:-/tmp}/tonghop-pg.XXXXXX")"
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Durability off: the cluster is deleted after the run, speed matters more.
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
-c full_page_writes=off -c max_connections=300" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres tonghop_test
  echo "$dir" >"$(state_file "$port")"
  echo "postgresql+psycopg://postgres@127.0.0.1:$port/tonghop_test"
}

stop() {
  local url="${1:?usage: pg-cluster.sh stop URL}" port dir file
  port="$(echo "$url" | sed -E 's#.*:([0-9]+)/.*#\1#')"
  file="$(state_file "$port")"
  [ -f "$file" ] || { echo "pg-cluster: no cluster recorded for port $port" >&2; exit 1; }
  dir="$(cat "$file")"
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
  rm -rf "$dir" "$file"
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 start | stop URL" >&2; exit 2 ;;
esac
