#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the Postgres tests.
#
#   scripts/test-postgres.sh start   starts the cluster (idempotent) and prints its URL; installs
#                                    Debian's postgresql first if it is missing and this user may
#                                    (root, or password-less sudo), else says what to install
#   scripts/test-postgres.sh stop    drops the test databases, stops the cluster, and removes
#                                    what start created: its directory and any system user
#
# Works as root (the cluster then runs as a system user, interdict-pg, created if missing and
# removed by stop) and as an ordinary user (the cluster runs as that user). It listens on
# 127.0.0.1 only, trusts local connections, and lives under
# ${INTERDICT_PG_DIR:-/tmp/interdict-pg-test-$UID}. It takes the first
# free port from ${INTERDICT_PG_PORT:-55432} on (a port another process holds, such as a
# cluster left over from an earlier run, is skipped) and remembers it in $dir/port.
set -euo pipefail

dir="${INTERDICT_PG_DIR:-/tmp/interdict-pg-test-$(id -u)}"
owner=interdict-pg
# Present when start created $owner, so that stop removes only a user it made.
user_marker="$dir.user-created"
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
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo="sudo -n"
        else
            cat >&2 <<'MSG'
test-postgres: PostgreSQL's server programs (initdb, pg_ctl, postgres) are not installed, and
this user cannot install them. Install them, then run this again:
    Debian/Ubuntu:  sudo apt-get install postgresql
    Fedora/RHEL:    sudo dnf install postgresql-server
    macOS:          brew install postgresql
or point the tests at a server of your own: INTERDICT_TEST_POSTGRES_URL=postgres://user@host:port/db
(a user that may CREATE DATABASE).
MSG
            exit 1
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "test-postgres: PostgreSQL's server programs are missing and there is no apt-get here; install PostgreSQL with this system's package manager" >&2
        exit 1
    fi
    echo "test-postgres: installing Debian's postgresql" >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
}

# Runs a command as the unprivileged cluster owner: $owner when root (initdb refuses to run
# as root), else this user.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        if ! id "$owner" >/dev/null 2>&1; then
            useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
            touch "$user_marker"
        fi
        su -s /bin/sh "$owner" -c "$*"
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
    if [ "$(id -u)" = 0 ]; then as_owner true; chown "$owner" "$dir"; fi
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
    local bin port
    if bin="$(pg_bin)" && [ -f "$dir/data/PG_VERSION" ]; then
        # The tests' databases go with the cluster's files; dropping them first also frees
        # them when INTERDICT_PG_DIR points at a cluster that is kept.
        if port="$(cat "$dir/port" 2>/dev/null)" && command -v psql >/dev/null 2>&1; then
            psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc \
                "SELECT datname FROM pg_database WHERE datname LIKE 'interdict\_test\_%'" 2>/dev/null \
                | while read -r db; do
                    psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
                done
        fi
        as_owner "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null 2>&1 || true
    fi
    rm -rf "$dir" "$dir.lock"
    if [ -f "$user_marker" ]; then
        if [ "$(id -u)" = 0 ] && id "$owner" >/dev/null 2>&1; then userdel "$owner" 2>/dev/null || true; fi
        rm -f "$user_marker"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
