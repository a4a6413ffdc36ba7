#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) in build-fuzz/ and runs them.
#
#   scripts/fuzz.sh [--ci]       fixed seeds and run counts (about a minute per target);
#                                the default, and what CI=true runs
#   scripts/fuzz.sh --hours N    long run: random seeds, N hours split over the targets, the
#                                corpus kept in build-fuzz/corpus/ between runs
#   scripts/fuzz.sh --no-build   (with either) use the targets already built
#
# Seeds: every file under fixtures/ (and the real-world corpus when there), copied at run
# time into a temporary folder. Exits non-zero when a target crashes, hangs, leaks or runs
# out of memory; each crash input is copied to fixtures/regress/ (TARGET-SHA1.bin), where
# tests/regress_test.cpp replays it, and printed as base64.
#
# Environment: NGXCONF_JOBS (build parallelism, default 1), NGXCONF_FUZZ_RUNS (override the
# CI run count), NGXCONF_CORPUS (real-world corpus folder), CC/CXX (default clang/clang++).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-fuzz"
targets=(roundtrip_fuzz edit_fuzz)

mode=ci
hours=""
do_build=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --ci) mode=ci ;;
        --hours)
            mode=long
            hours="${2:?--hours needs a number}"
            shift
            ;;
        --hours=*) mode=long; hours="${1#--hours=}" ;;
        --no-build) do_build=0 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "fuzz.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
if [[ "$mode" == long ]] && ! [[ "$hours" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
    echo "fuzz.sh: --hours wants a number, got '$hours'" >&2
    exit 2
fi

# CI sizing, measured on the 2-core development machine with fixtures/ and the shared corpus
# as seeds: roundtrip_fuzz runs ~465 inputs/s, edit_fuzz ~1550 (a third of that under heavy
# load), so these counts take about a minute each; max_total_time caps a run on a loaded
# machine.
declare -A ci_runs=([roundtrip_fuzz]=30000 [edit_fuzz]=90000)
ci_max_seconds=240
declare -A ci_seed=([roundtrip_fuzz]=1 [edit_fuzz]=2)
max_len=16384   # inputs bigger than nginx's 4096-byte buffer, small enough to stay fast
timeout_s=10    # one input taking longer is a hang
rss_mb=2048

log() { printf 'fuzz.sh: %s\n' "$*" >&2; }

if [[ "$do_build" == 1 ]]; then
    export CC="${CC:-clang}" CXX="${CXX:-clang++}"
    t0=$SECONDS
    cmake -S "$root" -B "$build" -G Ninja \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DNGXCONF_BUILD_FUZZ=ON -DNGXCONF_BUILD_TESTS=OFF -DNGXCONF_BUILD_TOOLS=OFF \
        -DNGXCONF_INSTALL=OFF >/dev/null
    cmake --build "$build" -j "${NGXCONF_JOBS:-1}" --target "${targets[@]}"
    log "build took $((SECONDS - t0)) s"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/ngxconf-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The seed corpus: fixtures (and regressions) plus the real-world corpus if present.
mkdir -p "$work/seeds"
seed_from() {
    local dir="$1" prefix="$2" f n=0
    [[ -d "$dir" ]] || return 0
    while IFS= read -r -d '' f; do
        # Flat names; libFuzzer reads every file of the folder.
        cp "$f" "$work/seeds/$prefix$(printf '%s' "${f#"$dir"/}" | tr '/' '_')"
        n=$((n + 1))
    done < <(find "$dir/" -type f -size -1024k -print0)
    log "seeds: $n files from $dir"
}
seed_from "$root/fixtures" fx_
corpus="${NGXCONF_CORPUS:-$root/../shared/corpus}"
seed_from "$corpus" corpus_

# Tokens that matter to nginx's lexer, for the mutator.
cat >"$work/nginx.dict" <<'EOF'
"{"
"}"
";"
"#"
"\""
"'"
"\\"
"\\\""
"\x0a"
"\x0d\x0a"
"$"
"${"
"$a{"
"("
")"
"server {"
"location / {"
"if ($a) {"
"return 200 "
"add_header A B;"
"set $x y;"
"include "
"content_by_lua_block {"
"_by_lua_block"
"--[["
"]]"
"#    listen 443 quic;"
"\xff\xfe"
EOF

status=0
mkdir -p "$root/fixtures/regress"
for t in "${targets[@]}"; do
    bin="$build/fuzz/$t"
    [[ -x "$bin" ]] || { log "$bin missing (build first)"; exit 2; }
    if [[ "$mode" == ci ]]; then
        corpus_dir="$work/corpus-$t"   # fresh every time: same seed, same inputs
        mkdir -p "$corpus_dir"
        args=(-seed="${ci_seed[$t]}" -runs="${NGXCONF_FUZZ_RUNS:-${ci_runs[$t]}}"
              -max_total_time=$ci_max_seconds)
    else
        corpus_dir="$build/corpus/$t"  # grows across long runs
        mkdir -p "$corpus_dir"
        secs=$(awk -v h="$hours" -v n="${#targets[@]}" 'BEGIN { printf "%d", h * 3600 / n }')
        args=(-seed=0 -max_total_time="$secs")
    fi
    mkdir -p "$work/artifacts"
    log "running $t ${args[*]}"
    t0=$SECONDS
    set +e
    "$bin" "${args[@]}" \
        -max_len=$max_len -timeout=$timeout_s -rss_limit_mb=$rss_mb \
        -dict="$work/nginx.dict" -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/$t-" \
        "$corpus_dir" "$work/seeds" >"$work/$t.log" 2>&1
    rc=$?
    set -e
    grep -E '^(stat::|Done |INFO: -max_total_time)' "$work/$t.log" >&2 || true
    log "$t: exit $rc after $((SECONDS - t0)) s"
    if [[ $rc -ne 0 ]]; then
        status=1
        tail -n 60 "$work/$t.log" >&2
    fi
    shopt -s nullglob
    for a in "$work/artifacts/$t-"*; do
        name="$(basename "$a")"              # TARGET-crash-SHA1, -timeout-, -oom-, -leak-
        sha="${name##*-}"
        kind="${name#"$t"-}"; kind="${kind%%-*}"
        dest="$root/fixtures/regress/${t%_fuzz}-$kind-${sha:0:12}.bin"
        cp "$a" "$dest"
        log "$kind input saved as ${dest#"$root"/} (base64: $(base64 -w0 "$a" | head -c 2000))"
        status=1
    done
    shopt -u nullglob
done
exit $status
