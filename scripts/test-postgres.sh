#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the test suite (CI, or a developer's machine):
#   eval "$(scripts/test-postgres.sh start)"   # prints: export APK_TEST_POSTGRES=…; export …
#   uv run pytest                              # the whole suite on PostgreSQL
#   scripts/test-postgres.sh stop "$APK_TEST_PG_DIR"
# Needs the server binaries (Debian: apt-get install postgresql). The cluster lives in a temporary
# folder, listens on a free local port (and a socket in that folder), trusts connections on the socket,
# asks for a password over TCP (as a real server does: tests of a wrong password need it; the
# superuser's is "postgres") and skips fsync: its data are thrown away, and tests run faster.
set -euo pipefail

bin_dir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$found" ]; then echo "$found"; return; fi
  dirname "$(command -v initdb)"
}

as_owner() {
  # The server refuses to run as root: as root, run it as the "postgres" user.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local bin dir port
  bin=$(bin_dir)
  dir=$(mktemp -d -t apk-test-pg-XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo postgres >"$dir/pwfile"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/pwfile"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust \
    --auth-host=scram-sha-256 --pwfile="$dir/pwfile" --encoding=UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  echo "export APK_TEST_POSTGRES=postgresql+psycopg://postgres:postgres@127.0.0.1:$port/postgres"
  echo "export APK_TEST_PG_DIR=$dir"
}

stop() {
  local dir=$1
  as_owner "$(bin_dir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:?the folder printed by start}" ;;
  *) echo "usage: $0 start | stop FOLDER" >&2; exit 2 ;;
esac
