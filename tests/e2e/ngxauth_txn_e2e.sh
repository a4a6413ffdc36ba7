#!/usr/bin/env bash
# End-to-end tests of ngxauth's transactions on copies of fixtures/swag: signals during
# --validate and --reload, concurrent runs, recovery of a killed run, history and undo, a
# tree written by root then by its owner, and that no command leaves anything in ROOT but
# what it was asked to write and the state folder .ngxconf.
#
#   tests/e2e/ngxauth_txn_e2e.sh NGXAUTH FIXTURES_SWAG
#
# Each check prints a line; the first failure stops the script (exit 1). Each group ends with
# a count ("signal matrix: 4/4"); the last line is "N passed, 0 failed".
set -u

if [ $# -lt 2 ]; then
    echo "usage: $0 NGXAUTH FIXTURES_SWAG" >&2
    exit 2
fi
NGXAUTH_BIN=$(realpath "$1")
FIXTURES=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR
. "$HERE/e2e_lib.sh"
command -v python3 >/dev/null 2>&1 || {
    [ "${CI:-}" != true ] || { echo "FAIL - python3 is needed"; exit 1; }
    echo "skip - no python3 to read JSON"
    exit 0
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ngxauth-txn.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"  # the unprivileged-user checks must reach their trees
OUT=$WORK/stdout
ERR=$WORK/stderr
passed=0
skipped=0
MARK=$$  # makes the sleep commands below unique to this run, for pgrep -f

# As uid 1000 when run as root (root may write anything, so refusals need another user);
# as the caller otherwise.
as_user() {
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid 1000 --regid 1000 --clear-groups "$@"
    else
        "$@"
    fi
}

# A fresh copy of the fixture tree, owned by uid 1000 when run as root; prints its path.
fresh() {
    local dir=$WORK/$1
    rm -rf "$dir"
    cp -a "$FIXTURES" "$dir"
    [ "$(id -u)" -ne 0 ] || chown -R 1000:1000 "$dir"
    echo "$dir"
}

# same_tree A B DESCRIPTION: byte-identical trees, the state folder .ngxconf aside.
same_tree() {
    diff -r -x .ngxconf "$1" "$2" >"$WORK/diff.out" 2>&1 || { head -40 "$WORK/diff.out"; fail "$3"; }
    pass "$3"
}

# run RC DESCRIPTION ROOT [ALLOWED...] -- COMMAND...: runs COMMAND (stdout/stderr in
# $OUT/$ERR), checks its exit code, and that the entries of ROOT (ls -A, recursively) are
# those from before plus only ALLOWED (paths relative to ROOT; .ngxconf is always allowed)
# and minus only ALLOWED.
run() {
    local want=$1 desc=$2 root=$3
    shift 3
    local allowed=(.ngxconf)
    while [ "$1" != -- ]; do allowed+=("$1"); shift; done
    shift
    entries "$root" >"$WORK/entries.before"
    "$@" >"$OUT" 2>"$ERR"
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "$desc: exit $rc, expected $want"
    entries "$root" >"$WORK/entries.after"
    local changed
    changed=$(LC_ALL=C comm -3 "$WORK/entries.before" "$WORK/entries.after" | tr -d '\t' |
        grep -v -x -F -f <(printf '%s\n' "${allowed[@]}") | grep -v '^\.ngxconf/')
    [ -z "$changed" ] || fail "$desc: unexpected entries in ROOT: $changed"
    pass "$desc (exit $rc)"
}
# The entries of a tree, relative paths, sorted.
entries() { (cd "$1" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort); }

err_has() { grep -qF -- "$1" "$ERR" || fail "stderr lacks: $1"; pass "stderr has: $1"; }
err_lines() {
    local n
    n=$(grep -c . "$ERR")
    [ "$n" -eq "$1" ] || fail "stderr has $n lines, expected $1"
    pass "stderr has $1 line(s)"
}

# json_check EXPR DESCRIPTION: the Python expression EXPR is true of the JSON on stdout (`d`).
json_check() {
    python3 - "$OUT" "$1" <<'PY' || fail "$2"
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
    pass "$2"
}

# wait_for PATTERN: waits (up to 10 s) until a process's command line matches PATTERN.
wait_for() {
    local i
    for i in $(seq 100); do
        pgrep -f -- "$1" >/dev/null && return 0
        sleep 0.1
    done
    fail "no process matching $1 started"
}

# no_process PATTERN DESCRIPTION
no_process() {
    ! pgrep -f -- "$1" >/dev/null || { pgrep -af -- "$1"; fail "$2: a process is left: $1"; }
    pass "$2: no process left"
}

# Runs ngxauth in the background with SIGINT and SIGQUIT at their defaults (a non-interactive
# shell would ignore them in background jobs); sets $bg_pid.
start_bg() {
    env --default-signal=INT,QUIT "$NGXAUTH_BIN" --no-color "$@" >"$OUT" 2>"$ERR" &
    bg_pid=$!
}

# --- signals ------------------------------------------------------------------------------

echo "# signals during --validate: every file restored, validator gone, exit 128+N"
sig_ok=0
sig_n=0
for pair in INT:130 TERM:143 HUP:129 QUIT:131; do
    sig=${pair%%:*} want=${pair##*:}
    sig_n=$((sig_n + 1))
    T=$(fresh "sig-$sig")
    snapshot "$T" >"$WORK/snap.before"
    entries "$T" >"$WORK/entries.before"
    marker="30.01${MARK}${sig_n}"
    start_bg --root "$T" --validate "sleep $marker" protect dockge
    wait_for "^sleep $marker"
    kill -s "$sig" "$bg_pid"
    wait "$bg_pid"
    rc=$?
    [ "$rc" -eq "$want" ] || fail "SIG$sig during --validate: exit $rc, expected $want"
    pass "SIG$sig during --validate: exit $rc"
    err_lines 1
    err_has "SIG$sig"
    no_process "$marker" "SIG$sig"
    unchanged "$T" "$WORK/snap.before" "SIG$sig"
    entries "$T" >"$WORK/entries.after"
    cmp -s "$WORK/entries.before" "$WORK/entries.after" || fail "SIG$sig: ROOT's entries changed"
    [ ! -e "$T/.ngxconf" ] || fail "SIG$sig: .ngxconf left behind"
    pass "SIG$sig: ROOT's entries unchanged, no .ngxconf"
    sig_ok=$((sig_ok + 1))
done
echo "signal matrix: $sig_ok/$sig_n"

echo "# a signal during --validate, --json: code io.interrupted"
T=$(fresh sig-json)
marker="30.02${MARK}"
start_bg --root "$T" --json --validate "sleep $marker" protect dockge
wait_for "^sleep $marker"
kill -s TERM "$bg_pid"
wait "$bg_pid"
rc=$?
[ "$rc" -eq 143 ] || fail "SIGTERM --json: exit $rc, expected 143"
pass "SIGTERM --json: exit 143"
json_check 'd["ok"] is False and d["error"]["code"] == "io.interrupted" and d["exit_code"] == 143' \
    "JSON: io.interrupted, exit_code 143"

echo "# a signal during --reload: the change stays"
T=$(fresh sig-reload)
marker="30.03${MARK}"
start_bg --root "$T" --json --reload "sleep $marker" protect dockge
wait_for "^sleep $marker"
kill -s TERM "$bg_pid"
wait "$bg_pid"
rc=$?
[ "$rc" -eq 143 ] || fail "SIGTERM during --reload: exit $rc, expected 143"
pass "SIGTERM during --reload: exit 143"
no_process "$marker" "SIGTERM during --reload"
json_check 'd["written"] is True and d["interrupted"]["code"] == "io.interrupted"' \
    "JSON: written, interrupted io.interrupted"
err_has "SIGTERM"
! cmp -s "$T/proxy-confs/dockge.subdomain.conf" "$FIXTURES/proxy-confs/dockge.subdomain.conf" ||
    fail "SIGTERM during --reload: the change was undone"
run 0 "protect dockge again: nothing to do" "$T" -- ngxauth --root "$T" --json protect dockge
json_check 'd["changed"] is False' "the change stayed"

# --- recovery -----------------------------------------------------------------------------

# killed_run ROOT MARKER: protect dockge with --validate, killed (-9) while validating, as
# uid 1000 when run as root; leaves a journal.
killed_run() {
    local prefix=()
    [ "$(id -u)" -ne 0 ] || prefix=(setpriv --reuid 1000 --regid 1000 --clear-groups)
    "${prefix[@]}" "$NGXAUTH_BIN" --root "$1" --validate "sleep $2" protect dockge \
        >"$OUT" 2>"$ERR" &
    local pid=$!
    wait_for "^sleep $2"
    kill -s KILL "$pid"
    wait "$pid" 2>/dev/null
    for _ in $(seq 50); do pgrep -f -- "$2" >/dev/null || break; sleep 0.1; done
    no_process "$2" "kill -9: the validator died with ngxauth"
    [ -d "$1/.ngxconf/journal" ] || fail "kill -9: no journal to recover"
    pass "kill -9 leaves a journal"
}

echo "# a killed run is rolled back by the next command, which names the files"
rec_ok=0
T=$(fresh recover)
killed_run "$T" "30.04${MARK}"
run 0 "status recovers" "$T" proxy-confs/dockge.subdomain.conf -- ngxauth --root "$T" status
err_has "proxy-confs/dockge.subdomain.conf"
[ ! -e "$T/.ngxconf/journal" ] || fail "status: the journal is still there"
same_tree "$T" "$FIXTURES" "status: the tree is back as it was"
rec_ok=$((rec_ok + 1))
for cmd in status doctor history "protect radarr" undo; do
    killed_run "$T" "30.04${MARK}"
    # shellcheck disable=SC2086
    run 0 "$cmd --json recovers" "$T" proxy-confs/dockge.subdomain.conf proxy-confs/radarr.subdomain.conf -- \
        ngxauth --root "$T" --json $cmd
    err_has "proxy-confs/dockge.subdomain.conf"
    json_check 'd["recovered"] == ["proxy-confs/dockge.subdomain.conf"]' \
        "$cmd: JSON \"recovered\" names the file"
    cmp -s "$T/proxy-confs/dockge.subdomain.conf" "$FIXTURES/proxy-confs/dockge.subdomain.conf" ||
        fail "$cmd: dockge not recovered"
    rec_ok=$((rec_ok + 1))
done
echo "recovery: $rec_ok/6"

echo "# recovery where ROOT is read-only: exit 4, the files named"
T=$(fresh recover-readonly)
killed_run "$T" "30.05${MARK}"
chmod a-w "$T" "$T/proxy-confs"
snapshot "$T" >"$WORK/snap.before"
run 4 "status on a read-only ROOT with a journal" "$T" -- as_user "$NGXAUTH_BIN" --root "$T" --json status
json_check '"dockge.subdomain.conf" in d["error"]["message"] + (d["error"]["file"] or "")' \
    "the error names the file"
unchanged "$T" "$WORK/snap.before" "read-only ROOT"
chmod u+w "$T" "$T/proxy-confs"

# --- nothing left behind ------------------------------------------------------------------

echo "# refused or no-op commands create nothing in ROOT"
T=$(fresh nothing)
chmod a-w "$T/proxy-confs/dockge.subdomain.conf"
snapshot "$T" >"$WORK/snap.before"
run 4 "protect on a read-only conf is refused" "$T" -- as_user "$NGXAUTH_BIN" --root "$T" protect dockge
unchanged "$T" "$WORK/snap.before" "refused protect"
[ ! -e "$T/.ngxconf" ] || fail "refused protect created .ngxconf"
pass "refused protect: no .ngxconf"
for cmd in status doctor history "protect nosuchapp" "undo" "--dry-run protect radarr" \
    "--check protect radarr"; do
    # shellcheck disable=SC2086
    "$NGXAUTH_BIN" --no-color --root "$T" $cmd >"$OUT" 2>"$ERR"
    unchanged "$T" "$WORK/snap.before" "$cmd"
done
[ ! -e "$T/.ngxconf" ] || fail "a command that writes nothing created .ngxconf"
pass "no .ngxconf after commands that write nothing"

# --- concurrent runs ----------------------------------------------------------------------

echo "# six parallel protects of different apps wait for each other"
T=$(fresh parallel)
apps=(dockge radarr kasm gitea sonarr "jellyfin --insert")
pids=()
for app in "${apps[@]}"; do
    # shellcheck disable=SC2086
    ngxauth --root "$T" --json protect $app >"$WORK/par-${app%% *}.out" 2>"$WORK/par-${app%% *}.err" &
    pids+=($!)
done
par_ok=0
for i in "${!apps[@]}"; do
    wait "${pids[$i]}"
    rc=$?
    [ "$rc" -eq 0 ] || { cat "$WORK/par-${apps[$i]%% *}.err"; fail "parallel protect ${apps[$i]}: exit $rc"; }
    par_ok=$((par_ok + 1))
done
pass "parallel: every run exits 0"
for app in "${apps[@]}"; do
    # shellcheck disable=SC2086
    run 0 "$app is protected" "$T" -- ngxauth --root "$T" --json protect $app
    json_check 'd["changed"] is False' "$app: the change is present"
done
echo "parallel protects: $par_ok/${#apps[@]}"

echo "# --wait 0 fails at once while another run holds the lock; --wait 5 waits"
T=$(fresh wait)
marker="30.06${MARK}"
start_bg --root "$T" --validate "sleep $marker" protect dockge
first=$bg_pid
wait_for "^sleep $marker"
snapshot "$T" >"$WORK/snap.before"
run 4 "--wait 0 while locked" "$T" -- ngxauth --root "$T" --json --wait 0 protect radarr
json_check 'd["error"]["code"] == "io.locked"' "JSON: io.locked"
ngxauth --root "$T" --no-docker --wait 10 protect radarr >"$WORK/second.out" 2>"$WORK/second.err" &
second=$!
for _ in $(seq 100); do [ ! -s "$WORK/second.err" ] || break; sleep 0.1; done  # it waits
kill -s TERM "$first"
wait "$first"
wait "$second"
rc=$?
cp "$WORK/second.out" "$OUT"
cp "$WORK/second.err" "$ERR"
[ "$rc" -eq 0 ] || fail "--wait 10: exit $rc"
pass "--wait 10: the second run waited and wrote (exit 0)"
err_lines 2  # the wait, said once; then docker.not_validated (--no-docker, no --validate)
err_has "$T"

# --- history and undo ---------------------------------------------------------------------

echo "# history and undo round trips"
undo_ok=0
T=$(fresh undo-protect)
run 0 "protect dockge" "$T" -- ngxauth --root "$T" protect dockge
run 0 "history --json" "$T" -- ngxauth --root "$T" --json history
json_check 'len(d["transactions"]) == 1 and d["transactions"][0]["label"].endswith("protect dockge") and d["transactions"][0]["files"] == [{"file": "proxy-confs/dockge.subdomain.conf", "change": "modified"}]' \
    "history: one transaction, its label and file"
snapshot "$T" >"$WORK/snap.before"
run 0 "undo --dry-run" "$T" -- ngxauth --root "$T" --dry-run undo
grep -q '^-.*authentik-server.conf' "$OUT" || fail "undo --dry-run: no diff"
pass "undo --dry-run shows the diff"
unchanged "$T" "$WORK/snap.before" "undo --dry-run"
run 0 "undo" "$T" proxy-confs/dockge.subdomain.conf -- ngxauth --root "$T" --validate true undo
same_tree "$T" "$FIXTURES" "protect + undo: byte-identical"
undo_ok=$((undo_ok + 1))
run 0 "history after undo" "$T" -- ngxauth --root "$T" --json history
json_check 'len(d["transactions"]) == 2 and " undo" in d["transactions"][1]["label"]' \
    "history: the undo is a transaction of its own"

T=$(fresh undo-gen)
run 0 "gen auth-subdomain" "$T" proxy-confs/auth.subdomain.conf -- ngxauth --root "$T" gen auth-subdomain
[ -f "$T/proxy-confs/auth.subdomain.conf" ] || fail "gen wrote nothing"
run 0 "undo gen" "$T" proxy-confs/auth.subdomain.conf -- ngxauth --root "$T" undo
[ ! -e "$T/proxy-confs/auth.subdomain.conf" ] || fail "undo gen: the generated file is still there"
same_tree "$T" "$FIXTURES" "gen + undo: the generated file removed, byte-identical"
undo_ok=$((undo_ok + 1))

T=$(fresh undo-sample)
run 0 "protect --from-sample" "$T" proxy-confs/dokuwiki.subdomain.conf -- \
    ngxauth --root "$T" protect dokuwiki --from-sample
run 0 "undo --from-sample" "$T" proxy-confs/dokuwiki.subdomain.conf -- ngxauth --root "$T" undo
same_tree "$T" "$FIXTURES" "protect --from-sample + undo: the activated file removed"
undo_ok=$((undo_ok + 1))

T=$(fresh undo-id)
run 0 "protect dockge" "$T" -- ngxauth --root "$T" protect dockge
run 0 "protect radarr" "$T" -- ngxauth --root "$T" protect radarr
run 0 "history --json" "$T" -- ngxauth --root "$T" --json history
first_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["transactions"][0]["id"])' "$OUT")
run 0 "undo $first_id (not the last)" "$T" -- ngxauth --root "$T" undo "$first_id"
cmp -s "$T/proxy-confs/dockge.subdomain.conf" "$FIXTURES/proxy-confs/dockge.subdomain.conf" ||
    fail "undo ID: dockge not back"
! cmp -s "$T/proxy-confs/radarr.subdomain.conf" "$FIXTURES/proxy-confs/radarr.subdomain.conf" ||
    fail "undo ID: radarr was undone too"
pass "undo ID reverts that transaction only"
undo_ok=$((undo_ok + 1))
echo "undo round trips: $undo_ok/4"

echo "# undo refused after a hand edit"
T=$(fresh undo-refused)
run 0 "protect dockge" "$T" -- ngxauth --root "$T" protect dockge
echo "# edited by hand" >>"$T/proxy-confs/dockge.subdomain.conf"
snapshot "$T" >"$WORK/snap.before"
run 4 "undo after a hand edit" "$T" -- ngxauth --root "$T" --json undo
json_check 'd["error"]["code"] == "io.modified_on_disk" and "dockge.subdomain.conf" in (d["error"]["file"] or "") + d["error"]["message"]' \
    "JSON: io.modified_on_disk naming the file"
unchanged "$T" "$WORK/snap.before" "refused undo"

# --- root, then the tree's owner ----------------------------------------------------------

echo "# a write as root, then one as the tree's owner (uid 1000)"
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null 2>&1; then
    [ "${CI:-}" != true ] || fail "root then uid 1000: needs root and setpriv"
    skip "root then uid 1000: not root (or no setpriv)"
else
    T=$(fresh owner)
    run 0 "protect dockge as root" "$T" -- ngxauth --root "$T" protect dockge
    [ "$(stat -c %u:%g "$T/.ngxconf")" = 1000:1000 ] || fail ".ngxconf is not owned like ROOT"
    pass ".ngxconf owned like ROOT (1000:1000)"
    run 0 "protect radarr as uid 1000" "$T" -- setpriv --reuid 1000 --regid 1000 --clear-groups \
        "$NGXAUTH_BIN" --root "$T" protect radarr
    run 0 "undo as uid 1000" "$T" -- setpriv --reuid 1000 --regid 1000 --clear-groups \
        "$NGXAUTH_BIN" --root "$T" undo
    run 0 "history" "$T" -- ngxauth --root "$T" --json history
    first_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["transactions"][0]["id"])' "$OUT")
    run 0 "undo $first_id as uid 1000" "$T" proxy-confs/dockge.subdomain.conf -- \
        setpriv --reuid 1000 --regid 1000 --clear-groups "$NGXAUTH_BIN" --root "$T" undo "$first_id"
    same_tree "$T" "$FIXTURES" "root then uid 1000: both undone, byte-identical"
fi

echo "$passed passed, 0 failed${skipped:+ ($skipped skipped)}"
