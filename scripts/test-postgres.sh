#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the Postgres tests.
#
#   scripts/test-postgres.sh start   installs Debian's postgresql if missing, starts the cluster
#                                    (idempotent) and prints its URL
#   scripts/test-postgres.sh stop    stops it and removes its files
#
# The cluster runs as an unprivileged user, listens on 127.0.0.1 only, trusts local
# connections, and lives under ${INTERDICT_PG_DIR:-/tmp/interdict-pg-test}. It takes the first
# free port from ${INTERDICT_PG_PORT:-55432} on (a port another process holds, such as a
# cluster left over from an earlier run, is skipped) and remembers it in $dir/port.
set -euo pipefail

dir="${INTERDICT_PG_DIR:-/tmp/interdict-pg-test}"
first_port="${INTERDICT_PG_PORT:-55432}"

pg_bin() {
    local candidate
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$candidate/initdb" ]; then echo "$candidate"; return 0; fi
    done
    if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
    return 1
}

install_postgres() {
    echo "test-postgres: installing Debian's postgresql" >&2
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
}

# Runs a command as the unprivileged cluster owner.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        if ! id interdict-pg >/dev/null 2>&1; then
            useradd --system --no-create-home --shell /usr/sbin/nologin interdict-pg
        fi
        su -s /bin/sh interdict-pg -c "$*"
    else
        sh -c "$*"
    fi
}

start() {
    local bin
    bin="$(pg_bin)" || { install_postgres; bin="$(pg_bin)"; }
    mkdir -p "$dir"
    exec 9>"$dir.lock"
    flock 9
    if [ "$(id -u)" = 0 ]; then as_owner true; chown interdict-pg "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "'$bin/initdb' -D '$dir/data' -U postgres --auth=trust --encoding=UTF8 --no-sync" </dev/null >"$dir/initdb.log" 2>&1 9>&- \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "'$bin/pg_ctl' -D '$dir/data' status" >/dev/null 2>&1 || [ ! -f "$dir/port" ]; then
        as_owner "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null 2>&1 9>&- || true
        start_on_free_port "$bin"
    fi
    echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
}

# Starts the cluster on the first port from $first_port on that it can bind, and writes that
# port to $dir/port. Only a port in use moves it on: any other failure is reported as it is.
start_on_free_port() {
    local bin="$1" port
    for port in $(seq "$first_port" $((first_port + 99))); do
        rm -f "$dir/server.log"
        if as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 \
            -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300\" start" </dev/null >/dev/null 2>&1 9>&-; then
            echo "$port" >"$dir/port"
            return 0
        fi
        if ! grep -qE "Address already in use|could not bind" "$dir/server.log" 2>/dev/null; then
            cat "$dir/server.log" >&2
            exit 1
        fi
    done
    echo "test-postgres: no free port in $first_port..$((first_port + 99))" >&2
    exit 1
}

stop() {
    local bin
    if bin="$(pg_bin)" && [ -f "$dir/data/PG_VERSION" ]; then
        as_owner "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null 2>&1 || true
    fi
    rm -rf "$dir" "$dir.lock"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
