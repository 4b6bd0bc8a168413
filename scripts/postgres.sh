#!/usr/bin/env bash
# A private PostgreSQL server for tests: `scripts/postgres.sh start|stop|status`.
# Listens on 127.0.0.1 only, port $SEGMENTATION_PG_PORT (default 55432), data and socket under
# .build/postgres/ (git-ignored), locale C.UTF-8 (byte-order sorting like DuckDB, Unicode
# lower/upper), trust authentication for local connections, fsync off (test
# data only). Installs the Debian package when the binaries are missing (needs root, as in CI).
# SEGMENTATION_PG_SERVER_OPTIONS adds server settings (`-c name=value ...`; make bench-postgres
# gives it memory for analytic queries).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${SEGMENTATION_PG_PORT:-55432}"
BASE="$PWD/.build/postgres"
DATA="$BASE/data"
SOCKET="$BASE/socket"
LOG="$BASE/server.log"

find_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$dir" ]; then
        echo "installing PostgreSQL from Debian packages" >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    echo "$dir"
}

as_postgres() {
    if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
    local bin
    bin=$(find_bin)
    mkdir -p "$BASE" "$SOCKET"
    if [ "$(id -u)" = "0" ]; then chown -R postgres:postgres "$BASE"; fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        as_postgres "$bin/initdb" -D "$DATA" --auth=trust --username=postgres \
            --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if as_postgres "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        echo "PostgreSQL already running on 127.0.0.1:$PORT"
        return 0
    fi
    as_postgres "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $SOCKET -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${SEGMENTATION_PG_SERVER_OPTIONS:-}" \
        start >/dev/null
    echo "PostgreSQL running on 127.0.0.1:$PORT (data $DATA)"
}

stop() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$bin" ] && [ -f "$DATA/PG_VERSION" ]; then
        as_postgres "$bin/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
    fi
    echo "PostgreSQL stopped"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) bin=$(find_bin); as_postgres "$bin/pg_ctl" -D "$DATA" status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
