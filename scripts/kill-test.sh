#!/usr/bin/env bash
# A kill -9 of `interdict serve` under load loses no acknowledged screening. Imports the UN
# list into a fresh SQLite store, then ROUNDS times: starts `serve`, lets CLIENTS clients
# screen as fast as they can (each screening id answered 200 is written down as it arrives),
# and kills the server with SIGKILL at a random moment 0.5 to 2.5 s in. Finally every
# acknowledged screening id must be in `interdict audit export`, and `audit verify` must
# pass. Prints the figures; exits non-zero if any acknowledged screening is missing.
#
#   scripts/kill-test.sh [ROUNDS] [CLIENTS]        default: 20 rounds, 8 clients
#
# A kill -9 tests what a crash of the process leaves (each screening is committed before it
# is answered); what a power loss leaves is what `synchronous = FULL` adds, which no script
# can show. Set INTERDICT_BIN to test a binary already built; otherwise `--release` is built.
# Needs curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-20}"
clients="${2:-8}"
if [ -z "${INTERDICT_BIN:-}" ]; then
    cargo build --release --quiet --bin interdict
    INTERDICT_BIN="$PWD/target/release/interdict"
fi
bin="$INTERDICT_BIN"
work="$(mktemp -d)"
db="$work/store.db"
acknowledged="$work/acknowledged"
port=$((20000 + RANDOM % 20000))
server=""
cleanup() {
    if [ -n "$server" ]; then kill -9 "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$bin" --db "$db" lists import ../shared/data/lists/un-consolidated-2026-02-27.xml >/dev/null
key="$("$bin" --db "$db" keys create --role screener --name kill-test --json |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])')"
: >"$acknowledged"

# CLIENTS threads POST /v1/screen until the server goes away, appending each acknowledged
# screening id to the file as soon as its 200 is read.
load() {
    python3 - "$port" "$key" "$clients" "$acknowledged" <<'PY'
import http.client, json, sys, threading
port, key, clients, out = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
names = ["Janan Agha", "Abdul Baqi", "Mohammad Hassan", "Ahmad Khan", "Sergei Shoigu"]
lock = threading.Lock()
def client(n):
    sink = open(out, "a")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    i = 0
    while True:
        body = json.dumps({"name": f"{names[i % len(names)]} {n}-{i}"})
        try:
            conn.request("POST", "/v1/screen", body,
                         {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
            response = conn.getresponse()
            answer = response.read()
        except Exception:
            return
        if response.status == 200:
            with lock:
                sink.write(json.loads(answer)["screening_id"] + "\n")
                sink.flush()
        i += 1
threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
PY
}

for round in $(seq 1 "$rounds"); do
    "$bin" --db "$db" serve --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
    server=$!
    until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
        kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
        sleep 0.02
    done
    load &
    loader=$!
    sleep "$(python3 -c 'import random; print(round(random.uniform(0.5, 2.5), 3))')"
    kill -9 "$server"
    wait "$server" 2>/dev/null || true
    server=""
    wait "$loader" || true
done

"$bin" --db "$db" audit export --from 2000-01-01 --to 2100-01-01 >"$work/export"
sort -u "$acknowledged" >"$work/acknowledged.sorted"
total=$(wc -l <"$work/acknowledged.sorted")
# Every string in the export (record ids and what they hold) against the acknowledged ids.
missing=$(python3 - "$work/export" "$work/acknowledged.sorted" <<'PY'
import json, sys
seen = set()
def walk(value):
    if isinstance(value, str): seen.add(value)
    elif isinstance(value, dict): [walk(v) for v in value.values()]
    elif isinstance(value, list): [walk(v) for v in value]
for line in open(sys.argv[1]):
    if line.strip(): walk(json.loads(line))
print(sum(1 for line in open(sys.argv[2]) if line.strip() and line.strip() not in seen))
PY
)
verified=ok
"$bin" --db "$db" audit verify >"$work/verify" 2>&1 || verified=failed
echo "kill -9 rounds: $rounds, clients: $clients, acknowledged screenings: $total," \
     "missing from the audit export: $missing, audit verify: $verified"
[ "$total" -gt 0 ] && [ "$missing" -eq 0 ] && [ "$verified" = ok ]
