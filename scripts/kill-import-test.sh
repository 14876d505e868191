#!/usr/bin/env bash
# A kill -9 at any moment of a list import never leaves a partial version, nor an active
# version without its import record. From a SQLite store where OFAC SDN 2022-03-24 is active,
# each try imports OFAC SDN 2024-03-14 and the UN list and kills the importer with SIGKILL at
# a random moment of its writing: the moment the store's first new entity row appears is
# watched for (reading and parsing the files before it write nothing, so a kill there proves
# nothing), and try i kills at a random point of the i-th of TRIES equal slices of the writing
# time measured on an import not interrupted (plus a fifth, so that some kills land just
# after the end). Then it checks with the CLI that:
#   - every stored version equals its file: its entity count (in `lists --json` and in its
#     rows) is the file's, and for the new versions `lists diff VERSION FILE` finds no entity
#     added, removed or changed;
#   - each list's active version is the old or the new one;
#   - every active version has its import record in `audit export`;
#   - `audit verify` passes;
# and that the same import run again succeeds (and leaves the new versions active, each with
# its record, the chain intact). Done twice: with `interdict lists import` killed, and with
# `interdict serve` killed during `POST /v1/lists/import`. Prints the figures; exits non-zero
# if any check failed.
#
#   scripts/kill-import-test.sh [TRIES] [WAY]    default: 20 tries, both ways (WAY: cli, serve)
#
# Set INTERDICT_BIN to test a binary already built; otherwise `--release` is built. Needs
# curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
tries="${1:-20}"
way="${2:-both}"
case "$way" in
    both|cli|serve) ;;
    *) echo "usage: scripts/kill-import-test.sh [TRIES] [cli|serve|both]" >&2; exit 2 ;;
esac
if [ -z "${INTERDICT_BIN:-}" ]; then
    cargo build --release --quiet --bin interdict
    INTERDICT_BIN="$PWD/target/release/interdict"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Not `exec`: the trap above must still remove the work directory.
python3 - "$INTERDICT_BIN" "$tries" "$work" "$way" <<'PY'
import contextlib, json, os, random, shutil, signal, socket, sqlite3, subprocess, sys, time
import urllib.request

bin_, tries, work, way = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
lists = os.path.abspath("../shared/data/lists")
old_sdn = f"{lists}/ofac-sdn-2022-03-24/sdn.csv"
new_files = {"ofac-sdn": f"{lists}/ofac-sdn-2024-03-14/sdn.csv",
             "un-sc": f"{lists}/un-consolidated-2026-02-27.xml"}
failures = []

def cli(db, *args, check=True):
    done = subprocess.run([bin_, "--db", db, *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"interdict {' '.join(args)}: {done.returncode}: {done.stderr.strip()}")
    return done

def lists_of(db):
    return {l["list"]: l for l in json.loads(cli(db, "lists", "--json").stdout)}

def sql(db, query, *args):
    """One value read from the store (a reader beside the importer; SQLite's WAL allows it)."""
    for _ in range(100):
        try:
            with contextlib.closing(sqlite3.connect(db, timeout=5)) as c:
                return c.execute(query, args).fetchone()[0]
        except sqlite3.OperationalError:
            time.sleep(0.01)
    raise RuntimeError(f"cannot read {db}")

def entity_rows(db):
    return sql(db, "SELECT COUNT(*) FROM version_entities")

def wait_for_writing(db, process, before):
    """Returns once the store has a new entity row, or the process has exited."""
    while process.poll() is None and entity_rows(db) == before:
        time.sleep(0.002)

def fresh(name):
    """A copy of the base store (with its audit key) for one try."""
    target = f"{work}/{name}"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(f"{work}/base", target)
    return f"{target}/store.db"

# The base: OFAC 2022-03-24 active, and an admin key for the service.
os.makedirs(f"{work}/base")
base_db = f"{work}/base/store.db"
cli(base_db, "lists", "import", old_sdn)
admin_key = json.loads(cli(base_db, "keys", "create", "--role", "admin", "--name", "kill-import",
                           "--json").stdout)["key"]
old_active = {name: l["active_version"] for name, l in lists_of(base_db).items()}

base_rows = entity_rows(base_db)

# The reference: the new versions and their entity counts, from an import not interrupted,
# which also gives how long the import writes.
ref_db = fresh("reference")
importer = subprocess.Popen([bin_, "--db", ref_db, "lists", "import", *new_files.values()],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wait_for_writing(ref_db, importer, base_rows)
started = time.monotonic()
if importer.wait() != 0:
    sys.exit("the uninterrupted import failed")
cli_duration = time.monotonic() - started
reference = {}
for name, l in lists_of(ref_db).items():
    for v in l["versions"]:
        reference[(name, v["version"])] = v["entities"]
new_active = {name: l["active_version"] for name, l in lists_of(ref_db).items()}
file_of = {new_active[name]: path for name, path in new_files.items()}
file_of[old_active["ofac-sdn"]] = old_sdn

def check(db, stage, expect_new=False, diff=False):
    """The invariants; returns a short description of the state."""
    problems = []
    found = lists_of(db)
    for name, l in found.items():
        for v in l["versions"]:
            want = reference.get((name, v["version"]))
            rows = sql(db, "SELECT COUNT(*) FROM version_entities WHERE list_id = ? AND "
                       "version = ?", name, v["version"])
            if want is None or want != v["entities"] or want != rows:
                problems.append(f"{name} version {v['version'][:12]} has {v['entities']} "
                                f"entities, {rows} rows (its file: {want})")
            elif diff and v["version"] in file_of and v["version"] != old_active.get(name):
                d = json.loads(cli(db, "lists", "diff", v["version"], file_of[v["version"]],
                                   "--json").stdout)
                moved = {k: d.get(k) for k in ("added", "removed", "changed")}
                if any((len(x) if isinstance(x, list) else x) for x in moved.values()):
                    problems.append(f"{name} version {v['version'][:12]} differs from its "
                                    f"file: {moved}")
    active = {name: l["active_version"] for name, l in found.items()}
    for name in new_files:
        allowed = {new_active[name]} if expect_new else {old_active.get(name), new_active[name]}
        if active.get(name) not in allowed:
            problems.append(f"{name} active version {active.get(name)} is neither old nor new")
    exported = cli(db, "audit", "export", "--from", "2000-01-01", "--to", "2100-01-01").stdout
    recorded = {(r["payload"].get("list"), r["payload"].get("version"))
                for r in map(json.loads, filter(str.strip, exported.splitlines()))
                if r["kind"] == "import"}
    for name, version in active.items():
        if version and (name, version) not in recorded:
            problems.append(f"{name} active version {version[:12]} has no import record")
    verified = cli(db, "audit", "verify", check=False)
    if verified.returncode != 0:
        problems.append(f"audit verify: {verified.stdout.strip()} {verified.stderr.strip()}")
    for problem in problems:
        failures.append(f"{stage}: {problem}")
    incomplete = sql(db, "SELECT COUNT(*) FROM list_versions WHERE complete = 0")
    state = ",".join(f"{n}:{'new' if active.get(n) == new_active[n] else 'old' if active.get(n) else 'none'}"
                     for n in new_files)
    return state, incomplete

def spread(i):
    """A random moment of the i-th of `tries` slices of the writing, and a fifth more."""
    return random.uniform(i / tries, (i + 1) / tries) * 1.2

def report(way, outcomes, duration):
    killed = sum(1 for o in outcomes if o["killed"])
    states = {}
    for o in outcomes:
        states[o["state"]] = states.get(o["state"], 0) + 1
    left = sum(1 for o in outcomes if o["incomplete"])
    print(f"{way}: {len(outcomes)} tries over {duration:.2f} s of writing; killed mid-import "
          f"{killed}, finished before the kill {len(outcomes) - killed}; active after the kill: "
          + ", ".join(f"{s} {n}" for s, n in sorted(states.items()))
          + f"; an unfinished (invisible) version left {left}; retries succeeded "
          f"{sum(1 for o in outcomes if o['retried'])}")

# 1. `interdict lists import` killed.
outcomes = []
for i in range(tries if way in ("both", "cli") else 0):
    db = fresh(f"cli-{i}")
    importer = subprocess.Popen([bin_, "--db", db, "lists", "import", *new_files.values()],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_writing(db, importer, base_rows)
    time.sleep(spread(i) * cli_duration)
    importer.send_signal(signal.SIGKILL)
    killed = importer.wait() == -signal.SIGKILL
    state, incomplete = check(db, f"cli try {i + 1} after the kill", diff=True)
    retried = cli(db, "lists", "import", *new_files.values(), check=False).returncode == 0
    if not retried:
        failures.append(f"cli try {i + 1}: the retry failed")
    check(db, f"cli try {i + 1} after the retry", expect_new=True)
    outcomes.append(dict(killed=killed, state=state, incomplete=incomplete, retried=retried))
    shutil.rmtree(os.path.dirname(db))
if outcomes:
    report("lists import", outcomes, cli_duration)

# 2. `interdict serve` killed during POST /v1/lists/import.
if way == "cli":
    print(f"partial versions, active versions without their record, broken chains, failed "
          f"retries: {len(failures)}")
    for failure in failures:
        print("  " + failure, file=sys.stderr)
    sys.exit(1 if failures else 0)

def serve(db):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([bin_, "--db", db, "serve", "--listen", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(1000):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server, port
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("serve exited")
            time.sleep(0.02)
    raise RuntimeError("serve did not start")

def upload(port, list_id, path):
    """POSTs one list file in the background."""
    fmt = "ofac-sdn-csv" if path.endswith(".csv") else "un-sc-xml"
    return subprocess.Popen(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
         "-H", f"Authorization: Bearer {admin_key}", "--data-binary", f"@{path}",
         f"http://127.0.0.1:{port}/v1/lists/import?list={list_id}&format={fmt}"],
        stdout=subprocess.PIPE, text=True)

def upload_all(port):
    codes = []
    for name, path in new_files.items():
        codes.append(upload(port, name, path).communicate()[0])
    return codes

db = fresh("serve-reference")
server, port = serve(db)
first = upload(port, "ofac-sdn", new_files["ofac-sdn"])
wait_for_writing(db, first, base_rows)
started = time.monotonic()
codes = [first.communicate()[0], upload(port, "un-sc", new_files["un-sc"]).communicate()[0]]
serve_duration = time.monotonic() - started
server.send_signal(signal.SIGTERM)
server.wait()
if codes != ["200", "200"]:
    sys.exit(f"the uninterrupted import through serve answered {codes}")

outcomes = []
for i in range(tries):
    db = fresh(f"serve-{i}")
    server, port = serve(db)
    moment = spread(i) * serve_duration
    finished = True
    for n, (name, path) in enumerate(new_files.items()):
        client = upload(port, name, path)
        if n == 0:
            wait_for_writing(db, client, base_rows)
            started = time.monotonic()
        while client.poll() is None and time.monotonic() - started < moment:
            time.sleep(0.005)
        if client.poll() is None:
            finished = False
            break
    time.sleep(max(0.0, moment - (time.monotonic() - started)))
    server.send_signal(signal.SIGKILL)
    server.wait()
    client.wait()
    state, incomplete = check(db, f"serve try {i + 1} after the kill", diff=True)
    server, port = serve(db)
    codes = upload_all(port)
    server.send_signal(signal.SIGTERM)
    server.wait()
    retried = codes == ["200", "200"]
    if not retried:
        failures.append(f"serve try {i + 1}: the retry answered {codes}")
    check(db, f"serve try {i + 1} after the retry", expect_new=True)
    outcomes.append(dict(killed=not finished, state=state, incomplete=incomplete,
                         retried=retried))
    shutil.rmtree(os.path.dirname(db))
report("serve, POST /v1/lists/import", outcomes, serve_duration)

print(f"partial versions, active versions without their record, broken chains, failed "
      f"retries: {len(failures)}")
for failure in failures:
    print("  " + failure, file=sys.stderr)
sys.exit(1 if failures else 0)
PY
