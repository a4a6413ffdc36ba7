#!/usr/bin/env bash
# THE test command (README): sudo bash scripts/test.sh
# Installs the dependencies, builds a Release tree in build/ with the tests, runs ctest.
# Each stage prints its wall time; add stages (sanitizers, fuzzers, ...) as `stage NAME cmd...`.
# BUILD_DIR=... overrides the build folder.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$NGXCONF_ROOT"
trap stage_summary EXIT

build=${BUILD_DIR:-build}
jobs=$(nproc)

stage deps bash scripts/install-deps.sh
stage configure configure "$build" -DCMAKE_BUILD_TYPE=Release -DNGXCONF_BUILD_TESTS=ON
stage build cmake --build "$build" -j"$jobs"
stage test ctest --test-dir "$build" --output-on-failure -j"$jobs"
# The .deb (cpack -G DEB): built, installed with dpkg, run, man page read, removed again.
stage package bash scripts/check-deb.sh "$build"
# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer (the static
# ngxauth check links with -static, which the sanitizers do not support).
# The packaging tests (installed_*: install, second library tree, consumers) and the
# compile-fail tests run no library code under test; the Release stage covers them. So does
# directive_corpus (742 `nginx -t` runs against check(): nginx's time, 7 minutes under the
# sanitizers; check()'s code runs sanitized in the check tests and the random differential)
# and served_corpus_e2e (nginx serving every corpus app, 7 minutes there; ngxauth_e2e runs
# the same ngxauth commands on the corpus under the sanitizers), and nginx_oracle (nginx -t
# on every oracle fixture: nginx's time; the parser reads every fixture sanitized in the
# error tests and as a seed of the fuzz stage).
stage sanitize env NGXCONF_JOBS="$jobs" bash scripts/sanitize.sh \
    -E 'ngxauth_static|^installed_|^compile_fail|^directive_corpus$|^served_corpus_e2e$|^nginx_oracle$'

# libFuzzer targets with fixed seeds and run counts (about a minute each).
stage fuzz env NGXCONF_JOBS="$jobs" bash scripts/fuzz.sh --ci
