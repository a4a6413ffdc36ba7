#!/usr/bin/env bash
# Builds everything with ASan+UBSan (NGXCONF_SANITIZE=ON, g++, -O1 -g1) in build-asan/
# and runs the whole ctest suite there. Exit 0 = clean: no sanitizer report, no failed test.
#
#   scripts/sanitize.sh [ctest arguments...]     e.g. scripts/sanitize.sh -L hostile
#
# Environment: NGXCONF_JOBS (build and ctest parallelism, default 1), CC/CXX (default
# gcc/g++), NGXCONF_CORPUS (real-world corpus for the [corpus] tests).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-asan"
jobs="${NGXCONF_JOBS:-1}"

export CC="${CC:-gcc}" CXX="${CXX:-g++}"
# Every finding is fatal and shows where it came from; leaks count (LSan, part of ASan).
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

t0=$SECONDS
# -O1 -g1: the optimisation level the sanitizers are meant for and line tables for their stack
# traces (file:line); half the compile time of RelWithDebInfo's -O2 -g on this code base.
cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DNGXCONF_SANITIZE=ON \
    -DNGXCONF_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j "$jobs"
echo "sanitize.sh: build took $((SECONDS - t0)) s" >&2

t1=$SECONDS
set +e
ctest --test-dir "$build" --output-on-failure -j "$jobs" "$@"
rc=$?
set -e
echo "sanitize.sh: ctest took $((SECONDS - t1)) s, exit $rc" >&2
exit $rc
