# shellcheck shell=bash
# Shared helpers of the ngxauth end-to-end scripts (sourced; sets nothing but functions).
# The sourcing script sets WORK, OUT, ERR, NGXAUTH_BIN and the counters passed and skipped
# (and may set FAIL_EXTRA_LOG, a log whose end fail shows).

pass() {
    passed=$((passed + 1))
    echo "ok $passed - $*"
}

skip() {
    skipped=$((skipped + 1))
    echo "skip - $*"
}

# Prints the failed check with the last command's output, the closing count, and exits 1.
fail() {
    echo "FAIL - $*"
    if [ -s "$OUT" ]; then
        echo "  stdout:"
        sed 's/^/    | /' "$OUT" | head -60
    fi
    if [ -s "$ERR" ]; then
        echo "  stderr:"
        sed 's/^/    | /' "$ERR" | head -60
    fi
    # A log the script names (the served scripts: nginx's error log).
    if [ -n "${FAIL_EXTRA_LOG:-}" ] && [ -s "$FAIL_EXTRA_LOG" ]; then
        echo "  $(basename "$FAIL_EXTRA_LOG"):"
        tail -n 30 "$FAIL_EXTRA_LOG" | sed 's/^/    | /'
    fi
    echo "$passed passed, 1 failed"
    exit 1
}

ngxauth() { "$NGXAUTH_BIN" --no-color "$@"; }

# Everything a run could change: every path, type, mode, owner, size, file mtime and
# checksum, the state folder .ngxconf (journal, history) included.
snapshot() {
    (
        cd "$1" || exit 1
        find . -type d -printf 'd %p %m %U:%G\n' \
            -o -printf '%y %p %m %U:%G %s %T@\n' | LC_ALL=C sort
        find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
    )
}

# unchanged DIR SNAPSHOT_FILE DESCRIPTION: DIR is exactly as snapshot recorded it, its state
# folder included (so no journal or history entry was left either).
unchanged() {
    snapshot "$1" >"$WORK/snap.after"
    if ! cmp -s "$2" "$WORK/snap.after"; then
        diff "$2" "$WORK/snap.after" | head -20
        fail "$3: the tree changed"
    fi
    pass "$3: nothing written"
}
