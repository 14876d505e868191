#!/usr/bin/env bash
# The README's HTTP figures, reproduced: builds the shipped binary (`--profile dist`), imports
# OFAC SDN 2024-03-14 and the UN list into a fresh SQLite store, starts `interdict serve` on
# loopback and runs `interdict-bench http` against it from the same machine: 64 clients twice,
# 8 clients, then 64 clients with the SDN list of 2022-03-24 imported half-way through; the
# cold start to /readyz is timed before and after the runs. Then payment messages
# (`POST /v1/screen/payment`, one message of payments_dev per request, 16 clients) and 5 KB
# news-style articles (`POST /v1/scan`, made of freetext_dev paragraphs, 1 client and 16).
#
#   scripts/bench-http.sh [DURATION] [all|documents]   e.g. 20s (the default); `documents`
#                                                      runs only the payment and scan loads
#
# The store lives in a temporary directory, removed at the end. Needs curl. Set
# INTERDICT_BIN_DIR to a directory holding `interdict` and `interdict-bench` already built
# (another profile, or two builds compared run against run) to skip the build.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-20s}"
suite="${2:-all}"
data=../shared/data/lists
if [ -z "${INTERDICT_BIN_DIR:-}" ]; then
    cargo build --profile dist --quiet --bin interdict --bin interdict-bench
    INTERDICT_BIN_DIR="$PWD/target/dist"
fi
bin="$INTERDICT_BIN_DIR/interdict"
bench_bin="$INTERDICT_BIN_DIR/interdict-bench"
work="$(mktemp -d)"
db="$work/store.db"
port=$((20000 + RANDOM % 20000))
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$bin" --db "$db" lists import "$data/ofac-sdn-2024-03-14/sdn.csv" --published 2024-03-14 >/dev/null
"$bin" --db "$db" lists import "$data/un-consolidated-2026-02-27.xml" >/dev/null
key="$("$bin" --db "$db" keys create --role admin --name bench --json |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])')"

start_server() {
    local started=$EPOCHREALTIME
    "$bin" --db "$db" serve --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
    server=$!
    until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
        kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
        sleep 0.01
    done
    echo "cold start to /readyz: $(python3 -c "print(f'{$EPOCHREALTIME - $started:.2f}')") s"
}
stop_server() {
    kill "$server"
    wait "$server" || true
    server=""
}
bench() {
    "$bench_bin" http --url "http://127.0.0.1:$port" --key "$key" --duration "$duration" "$@"
}

start_server
if [ "$suite" = all ]; then
    bench --concurrency 64
    bench --concurrency 64
    bench --concurrency 8
    bench --concurrency 64 --import-during "$data/ofac-sdn-2022-03-24/sdn.csv"
    stop_server
    start_server
fi
echo "load before the documents: $(uptime)"
bench --endpoint payment --concurrency 16
bench --endpoint scan --concurrency 1
bench --endpoint scan --concurrency 16
echo "load after: $(uptime)"
stop_server
