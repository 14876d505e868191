#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for a set time each, seeded from the committed
# regressions (and real list files where fuzz/README.md names them), and prints one line per
# target: executions, time, and crashes saved under fuzz/artifacts/<target>/. Exits non-zero
# when a target crashed or could not run.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default: 60 s, every target
#
# Needs the nightly toolchain (libFuzzer's sanitizer flags) and cargo-fuzz; cargo-fuzz is
# installed with `cargo install` when missing. A missing nightly toolchain is not installed
# (that needs a download this script does not make): the script says so and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
case "$seconds" in
    ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2 ;;
esac

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "fuzz.sh: the nightly toolchain is missing (libFuzzer needs it);" \
         "install it with 'rustup toolchain install nightly' and run again" >&2
    exit 1
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz" >&2
    if ! cargo install --locked cargo-fuzz; then
        echo "fuzz.sh: cannot install cargo-fuzz (is the crates.io registry reachable?)" >&2
        exit 1
    fi
fi

cd fuzz
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

# Real files give far better coverage than bytes from nothing (fuzz/README.md, "Running").
seed() {
    local target="$1" corpus="corpus/$1"
    mkdir -p "$corpus"
    if [ -d "regressions/$target" ]; then cp -n "regressions/$target"/* "$corpus"/ 2>/dev/null || true; fi
    local lists=../../shared/data/lists
    case "$target" in
        us_csl_csv) cp -n "$lists/us-csl-sample.csv" "$corpus"/ 2>/dev/null || true ;;
        uk_ofsi_csv) cp -n ../crates/sources/tests/data/uk/ofsi-conlist.csv "$corpus"/ 2>/dev/null || true ;;
        uk_sanctions_list_csv) cp -n ../crates/sources/tests/data/uk/uk-sanctions-list.csv "$corpus"/ 2>/dev/null || true ;;
        un_sc_xml) cp -n ../crates/sources/tests/data/un/*.xml "$corpus"/ 2>/dev/null || true ;;
        ftm) cp -n "$lists/ftm-yente-fixture/entities.ftm.json" "$corpus"/ 2>/dev/null || true ;;
        payments) cp -n ../crates/payments/tests/data/* "$corpus"/ 2>/dev/null || true ;;
    esac
}

failed=0
printf '%-24s %12s %8s %8s\n' target executions seconds crashes
for target in "${targets[@]}"; do
    seed "$target"
    mkdir -p "artifacts/$target"
    log="$(mktemp)"
    before=$(find "artifacts/$target" -type f | wc -l)
    status=0
    cargo +nightly fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=262144 -print_final_stats=1 >"$log" 2>&1 || status=$?
    after=$(find "artifacts/$target" -type f | wc -l)
    # libFuzzer ends with "Done N runs in S second(s)".
    done_line=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 || true)
    runs=$(echo "$done_line" | awk '{print $2}')
    time=$(echo "$done_line" | awk '{print $5}')
    crashes=$((after - before))
    printf '%-24s %12s %8s %8s\n' "$target" "${runs:-?}" "${time:-$seconds}" "$crashes"
    if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then
        failed=1
        echo "  $target failed (exit $status); the last lines of its log:" >&2
        tail -n 20 "$log" >&2
    fi
    rm -f "$log"
done
exit "$failed"
