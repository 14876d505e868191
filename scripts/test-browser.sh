#!/usr/bin/env bash
# A headless browser for the UI tests: Debian's chromium driven by its chromedriver.
#
#   scripts/test-browser.sh start   installs chromium and chromium-driver if missing (as root;
#                                   as another user it says what to install and fails), starts
#                                   chromedriver on loopback (idempotent) and prints its URL
#   scripts/test-browser.sh stop    stops it and removes its files
#
# chromedriver listens on 127.0.0.1 only, takes the first free port from
# ${INTERDICT_WEBDRIVER_PORT:-49515} on, and keeps its pid, port and log under
# ${INTERDICT_BROWSER_DIR:-/tmp/interdict-browser-test}. The tests start Chromium through it
# headless, with a fresh profile each.
set -euo pipefail

dir="${INTERDICT_BROWSER_DIR:-/tmp/interdict-browser-test}"
first_port="${INTERDICT_WEBDRIVER_PORT:-49515}"

driver_bin() {
    local candidate
    for candidate in chromedriver /usr/bin/chromedriver /usr/lib/chromium/chromedriver; do
        if command -v "$candidate" >/dev/null 2>&1; then command -v "$candidate"; return 0; fi
    done
    return 1
}

browser_bin() {
    local candidate
    for candidate in chromium chromium-browser; do
        if command -v "$candidate" >/dev/null 2>&1; then command -v "$candidate"; return 0; fi
    done
    return 1
}

install_browser() {
    if [ "$(id -u)" != 0 ]; then
        echo "test-browser: chromium and chromedriver are not installed; install them as root with:" >&2
        echo "    apt-get update && apt-get install -y chromium chromium-driver curl" >&2
        exit 1
    fi
    echo "test-browser: installing Debian's chromium and chromium-driver" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2
}

# Whether chromedriver answers on $1: its /status says "ready" once it is up.
answers() {
    curl -sf --max-time 2 "http://127.0.0.1:$1/status" 2>/dev/null | grep -q '"ready"'
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
    local driver
    if ! driver="$(driver_bin)" || ! browser_bin >/dev/null || ! command -v curl >/dev/null; then
        install_browser
        driver="$(driver_bin)"
    fi
    mkdir -p "$dir"
    exec 9>"$dir.lock"
    flock 9
    if [ -f "$dir/port" ] && [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null \
        && answers "$(cat "$dir/port")"; then
        echo "http://127.0.0.1:$(cat "$dir/port")"
        return 0
    fi
    rm -f "$dir/port" "$dir/pid"
    local port
    for port in $(seq "$first_port" $((first_port + 99))); do
        port_free "$port" || continue
        setsid "$driver" --port="$port" --allowed-ips=127.0.0.1 >"$dir/chromedriver.log" 2>&1 </dev/null 9>&- &
        echo $! >"$dir/pid"
        local tries
        for tries in $(seq 1 50); do
            if answers "$port"; then
                echo "$port" >"$dir/port"
                echo "http://127.0.0.1:$port"
                return 0
            fi
            kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
            sleep 0.1
        done
        kill "$(cat "$dir/pid")" 2>/dev/null || true
        rm -f "$dir/pid"
    done
    echo "test-browser: chromedriver did not start on a port in $first_port..$((first_port + 99))" >&2
    cat "$dir/chromedriver.log" >&2 2>/dev/null || true
    exit 1
}

stop() {
    if [ -f "$dir/pid" ]; then
        kill "$(cat "$dir/pid")" 2>/dev/null || true
    fi
    rm -rf "$dir" "$dir.lock"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
