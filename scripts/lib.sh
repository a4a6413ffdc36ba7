# shellcheck shell=bash
# Shared by scripts/test.sh and scripts/demo.sh (sourced, not run).
#   stage NAME CMD...   runs CMD, prints its wall time, records it for stage_summary
#   configure DIR ARGS  cmake configure (Ninja) of this repository into DIR

NGXCONF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STAGE_RESULTS=()

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

stage() {
    local name=$1
    shift
    echo "=== stage ${name}: $*"
    local t0 rc=0
    t0=$(now)
    "$@" || rc=$?
    local secs
    secs=$(elapsed "$t0" "$(now)")
    if ((rc != 0)); then
        STAGE_RESULTS+=("${name} FAILED (exit ${rc}) ${secs} s")
        echo "=== stage ${name}: FAILED (exit ${rc}) after ${secs} s"
        exit "$rc"
    fi
    STAGE_RESULTS+=("${name} ${secs} s")
    echo "=== stage ${name}: ok in ${secs} s"
}

stage_summary() {
    echo "=== summary"
    local r
    for r in "${STAGE_RESULTS[@]}"; do echo "    $r"; done
}

# A build folder configured with another generator cannot be reused: start it afresh.
configure() {
    local dir=$1
    shift
    local generator=Ninja
    command -v ninja >/dev/null || generator="Unix Makefiles"
    if [[ -f $dir/CMakeCache.txt ]] &&
        ! grep -qx "CMAKE_GENERATOR:INTERNAL=${generator}" "$dir/CMakeCache.txt"; then
        echo "configure: ${dir} was made by another generator; removing its cache"
        rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
    fi
    cmake -S "$NGXCONF_ROOT" -B "$dir" -G "$generator" "$@"
}
