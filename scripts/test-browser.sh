#!/usr/bin/env bash
# Headless browsers for the UI tests: Debian's chromium driven by its chromedriver, and
# Debian's firefox-esr driven by geckodriver (built from crates.io, as Debian packages none).
#
#   scripts/test-browser.sh start [chromium|firefox]
#           installs what the browser needs if missing, starts its WebDriver server on
#           loopback (idempotent) and prints its URL; chromium when no browser is named
#   scripts/test-browser.sh stop
#           stops both WebDriver servers (and the browsers they started) and removes their files
#   scripts/test-browser.sh has-geckodriver
#           succeeds when geckodriver is there (on the PATH or built), without building it
#   scripts/test-browser.sh build-geckodriver
#           builds geckodriver if it is missing, and nothing else: `.ci/run` starts it in the
#           background while the tests compile, so that a multi-core machine overlaps the two
#
# Installing: Debian packages (chromium, chromium-driver, firefox-esr, curl) with apt-get as
# root, or through sudo as another user; without either the script prints the command to run
# and fails. geckodriver is built once with `cargo install --locked geckodriver` into
# ${INTERDICT_GECKODRIVER_ROOT:-target/browser-tools} (a cached build is reused; one on the
# PATH wins), which takes a few minutes on a first run.
#
# Each server listens on 127.0.0.1 only, takes the first free port from
# ${INTERDICT_WEBDRIVER_PORT:-49515} (chromium) or ${INTERDICT_GECKODRIVER_PORT:-49615}
# (firefox) on, and keeps its pid, port and log under
# ${INTERDICT_BROWSER_DIR:-/tmp/interdict-browser-test}/<browser>. The tests start each
# browser through it headless, with a fresh profile each.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${INTERDICT_BROWSER_DIR:-/tmp/interdict-browser-test}"
gecko_root="${INTERDICT_GECKODRIVER_ROOT:-${CARGO_TARGET_DIR:-$root/target}/browser-tools}"
geckodriver_version="0.37.1"

first_command() {
    local candidate
    for candidate in "$@"; do
        if command -v "$candidate" >/dev/null 2>&1; then command -v "$candidate"; return 0; fi
    done
    return 1
}

chromium_driver() { first_command chromedriver /usr/bin/chromedriver /usr/lib/chromium/chromedriver; }
chromium_browser() { first_command chromium chromium-browser; }
firefox_browser() { first_command firefox-esr firefox; }
firefox_driver() { first_command geckodriver "$gecko_root/bin/geckodriver"; }

# Installs Debian packages $@: as root, or through sudo, or says how and fails.
install_packages() {
    local run=()
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            run=(sudo)
        else
            echo "test-browser: missing Debian packages; install them as root with:" >&2
            echo "    apt-get update && apt-get install -y $*" >&2
            exit 1
        fi
    fi
    echo "test-browser: installing Debian's $*" >&2
    "${run[@]}" apt-get update -qq >&2
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# Builds geckodriver into $gecko_root (once; later runs reuse it). Under a lock in the root:
# a `start firefox` while a build started ahead (`build-geckodriver`) runs waits for it and
# uses what it built, rather than building a second one beside it.
build_geckodriver() {
    mkdir -p "$gecko_root"
    exec 8>"$gecko_root/.build.lock"
    flock 8
    if firefox_driver >/dev/null; then
        exec 8>&-
        return 0
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        echo "test-browser: geckodriver is missing and there is no cargo to build it; run:" >&2
        echo "    cargo install --locked geckodriver --version $geckodriver_version --root $gecko_root" >&2
        exit 1
    fi
    echo "test-browser: building geckodriver $geckodriver_version into $gecko_root (once)" >&2
    # A build folder of its own: never the tests' target directory, which the cargo running
    # them may hold locked.
    local build
    build="$(mktemp -d)"
    cargo install --locked --quiet geckodriver --version "$geckodriver_version" \
        --root "$gecko_root" --target-dir "$build" >&2 || { rm -rf "$build"; exit 1; }
    rm -rf "$build"
    exec 8>&-
}

# Makes sure browser $1 and its driver are there; prints the driver's path.
ensure() {
    case "$1" in
        chromium)
            if ! chromium_driver >/dev/null || ! chromium_browser >/dev/null \
                || ! command -v curl >/dev/null; then
                install_packages chromium chromium-driver curl
            fi
            chromium_driver
            ;;
        firefox)
            if ! firefox_browser >/dev/null || ! command -v curl >/dev/null; then
                install_packages firefox-esr curl
            fi
            firefox_driver >/dev/null || build_geckodriver
            firefox_driver
            ;;
    esac
}

# Whether the WebDriver server on port $1 is up: its /status says it is ready.
answers() {
    curl -sf --max-time 2 "http://127.0.0.1:$1/status" 2>/dev/null | grep -q '"ready": *true'
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
    local browser="$1" driver first_port state
    driver="$(ensure "$browser")"
    case "$browser" in
        chromium) first_port="${INTERDICT_WEBDRIVER_PORT:-49515}" ;;
        firefox) first_port="${INTERDICT_GECKODRIVER_PORT:-49615}" ;;
    esac
    state="$dir/$browser"
    mkdir -p "$state"
    exec 9>"$state.lock"
    flock 9
    if [ -f "$state/port" ] && [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null \
        && answers "$(cat "$state/port")"; then
        echo "http://127.0.0.1:$(cat "$state/port")"
        return 0
    fi
    rm -f "$state/port" "$state/pid"
    local port
    for port in $(seq "$first_port" $((first_port + 99))); do
        port_free "$port" || continue
        local command=("$driver" --port="$port" --allowed-ips=127.0.0.1)
        [ "$browser" = firefox ] && command=("$driver" --host 127.0.0.1 --port "$port")
        # A session of its own, so that stop ends the driver and the browsers it started.
        setsid "${command[@]}" >"$state/driver.log" 2>&1 </dev/null 9>&- &
        echo $! >"$state/pid"
        local tries
        for tries in $(seq 1 100); do
            if answers "$port"; then
                echo "$port" >"$state/port"
                echo "http://127.0.0.1:$port"
                return 0
            fi
            kill -0 "$(cat "$state/pid")" 2>/dev/null || break
            sleep 0.1
        done
        kill -- "-$(cat "$state/pid")" 2>/dev/null || kill "$(cat "$state/pid")" 2>/dev/null || true
        rm -f "$state/pid"
    done
    echo "test-browser: the $browser WebDriver did not start on a port in $first_port..$((first_port + 99))" >&2
    cat "$state/driver.log" >&2 2>/dev/null || true
    exit 1
}

stop() {
    local browser pid
    # "" is where this script kept chromedriver's files before it knew Firefox.
    for browser in chromium firefox ""; do
        if [ -f "$dir/$browser/pid" ]; then
            pid="$(cat "$dir/$browser/pid")"
            kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
        fi
        rm -f "$dir/$browser.lock"
    done
    rm -rf "$dir" "$dir.lock"
}

case "${1:-}" in
    start)
        case "${2:-chromium}" in
            chromium | firefox) start "${2:-chromium}" ;;
            *) echo "usage: $0 start [chromium|firefox]" >&2; exit 2 ;;
        esac
        ;;
    stop) stop ;;
    has-geckodriver) firefox_driver >/dev/null ;;
    build-geckodriver) firefox_driver >/dev/null || build_geckodriver ;;
    *) echo "usage: $0 start [chromium|firefox] | stop | has-geckodriver | build-geckodriver" >&2; exit 2 ;;
esac
