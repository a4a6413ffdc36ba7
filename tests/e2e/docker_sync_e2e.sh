#!/usr/bin/env bash
# `ngxauth sync` against a real, private dockerd (tests/e2e/docker_lib.sh), on a copy of
# fixtures/swag with a _template.subdomain.conf.sample added:
#   - --dry-run prints the git-style diff and writes nothing; --json --dry-run has the plan
#   - sync adds one conf per labelled container, bytes as the template gives them
#   - a container recreated with new labels changes its conf
#   - removing `app` keeps `app2`'s conf, and the reverse
#   - bad labels (swag_port=80;evil, a host with a space, swag_proto=gopher) are refused
#     (sync.label_invalid in --json) and nothing is written for them (tree compared whole)
#   - a sync whose --validate fails rolls every file back
#   - --watch --debounce 1 picks up a started container within seconds, survives a restart of
#     the daemon (a reconnect line), and stops on SIGTERM (exit 143) without a journal left
#
# usage: docker_sync_e2e.sh NGXAUTH FIXTURES_SWAG
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 NGXAUTH FIXTURES_SWAG" >&2
    exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
NGXAUTH_BIN=$(realpath "$1")
FIXTURES=$(realpath "$2")
passed=0
skipped=0
WATCH_PID=

# shellcheck source-path=SCRIPTDIR
. "$HERE/docker_lib.sh"

stop_watch() {
    if [ -n "$WATCH_PID" ] && kill -0 "$WATCH_PID" 2>/dev/null; then
        kill -TERM "$WATCH_PID" 2>/dev/null
        wait "$WATCH_PID" 2>/dev/null
    fi
    WATCH_PID=
}

began=$(date +%s)
docker_begin docker_sync
trap 'stop_watch; docker_cleanup' EXIT
docker_image
dk network create appnet >/dev/null || fail "docker network create appnet"

TREE=$WORK/tree
cp -r "$FIXTURES" "$TREE"
PC=$TREE/proxy-confs
# SWAG's template in shape (placeholders included), as the unit test (sync_plan_test.cpp) has it.
cp "$FIXTURES/../sync/_template.subdomain.conf.sample" "$PC/" || fail "no template fixture"

# expected NAME PORT [PROTO]: the template as sync fills it in.
expected() {
    sed -e "1a # managed by ngxauth sync: container $1" \
        -e "s/<container_name>\\.\\*;/$1.*;/" \
        -e "s/set \\\$upstream_app <container_name>;/set \$upstream_app $1;/" \
        -e "s/<port_number>/$2/" -e "s/<http or https>/${3:-http}/" \
        "$PC/_template.subdomain.conf.sample"
}
same_as_expected() {
    expected "$2" "$3" "${4:-http}" >"$WORK/expected"
    cmp -s "$WORK/expected" "$PC/$2.subdomain.conf" || {
        diff "$WORK/expected" "$PC/$2.subdomain.conf" | head -20
        fail "$1: $2.subdomain.conf differs from the template filled in"
    }
}
run_app() {  # run_app NAME LABEL=VALUE...
    local name=$1 args=() l
    shift
    for l in "$@"; do args+=(--label "$l"); done
    dk run -d --name "$name" --network appnet --label swag=enable "${args[@]}" "$DOCKER_IMAGE" \
        httpd -f -p 8080 >/dev/null || fail "docker run $name"
}
run_sync() { ngxauth sync --root "$TREE" "$@" >"$OUT" 2>"$ERR"; }

run_app app swag_port=8080
run_app app2 swag_port=9090

# --- dry run: the diff, nothing written ----------------------------------------------------
snapshot "$TREE" >"$WORK/snap"
run_sync --dry-run || fail "sync --dry-run (exit $?)"
grep -qx 'diff --git a/proxy-confs/app.subdomain.conf b/proxy-confs/app.subdomain.conf' "$OUT" ||
    fail "--dry-run: no diff of app.subdomain.conf"
grep -qx '+++ b/proxy-confs/app2.subdomain.conf' "$OUT" || fail "--dry-run: no diff of app2.subdomain.conf"
unchanged "$TREE" "$WORK/snap" "sync --dry-run printed the diff"
run_sync --dry-run --json || fail "sync --dry-run --json (exit $?)"
grep -q '"action":"add","container":"app","file":"proxy-confs/app.subdomain.conf"' "$OUT" ||
    fail "--json: no add of app in the plan"
grep -q '"action":"add","container":"app2","file":"proxy-confs/app2.subdomain.conf"' "$OUT" ||
    fail "--json: no add of app2 in the plan"
unchanged "$TREE" "$WORK/snap" "sync --dry-run --json has the plan"

# --- add -----------------------------------------------------------------------------------
run_sync || fail "sync (exit $?)"
same_as_expected "add" app 8080
same_as_expected "add" app2 9090
pass "sync added app.subdomain.conf and app2.subdomain.conf, bytes as the template gives them"
snapshot "$TREE" >"$WORK/snap"
run_sync || fail "second sync (exit $?)"
unchanged "$TREE" "$WORK/snap" "a second sync has nothing to do"

# --- change: the container recreated with new labels -----------------------------------------
dk rm -f app >/dev/null
run_app app swag_port=8443 swag_proto=https
run_sync || fail "sync after recreating app (exit $?)"
same_as_expected "change" app 8443 https
same_as_expected "change" app2 9090
pass "app recreated with new labels: its conf changed, app2's not"

# --- remove: exact names ---------------------------------------------------------------------
cp "$PC/app2.subdomain.conf" "$WORK/app2.before"
dk rm -f app >/dev/null
run_sync || fail "sync after removing app (exit $?)"
[ ! -e "$PC/app.subdomain.conf" ] || fail "app removed: its conf is still there"
cmp -s "$WORK/app2.before" "$PC/app2.subdomain.conf" || fail "app removed: app2's conf changed"
pass "removing app removed app.subdomain.conf and kept app2's"
run_app app swag_port=8080
run_sync || fail "sync after app is back (exit $?)"
cp "$PC/app.subdomain.conf" "$WORK/app.before"
dk rm -f app2 >/dev/null
run_sync || fail "sync after removing app2 (exit $?)"
[ ! -e "$PC/app2.subdomain.conf" ] || fail "app2 removed: its conf is still there"
cmp -s "$WORK/app.before" "$PC/app.subdomain.conf" || fail "app2 removed: app's conf changed"
pass "removing app2 removed app2.subdomain.conf and kept app's"

# --- bad labels: refused, nothing written ----------------------------------------------------
run_app bad1 'swag_port=80;evil'
run_app bad2 'swag_address=my host'
run_app bad3 swag_proto=gopher swag_port=8080
run_app bad4 'swag_url=a b' swag_port=8080
snapshot "$TREE" >"$WORK/snap"
run_sync --json || fail "sync with bad labels (exit $?)"
for c in bad1 bad2 bad3 bad4; do
    grep -q "{\"code\":\"sync.label_invalid\",\"container\":\"$c\"" "$OUT" ||
        fail "--json: $c not refused with sync.label_invalid"
done
unchanged "$TREE" "$WORK/snap" "bad labels refused (80;evil, a host with a space, gopher, a b)"
dk rm -f bad1 bad2 bad3 bad4 >/dev/null

# --- a failed --validate rolls back every file -----------------------------------------------
dk rm -f app >/dev/null
run_app app swag_port=8081
run_app app3 swag_port=8082
snapshot "$TREE" >"$WORK/snap"
run_sync --validate "test ! -e '$PC/app3.subdomain.conf'"
rc=$?
[ $rc -eq 4 ] || fail "sync with a failing --validate: exit $rc, not 4"
unchanged "$TREE" "$WORK/snap" "a failing --validate rolled back app's change and app3's new conf"
run_sync || fail "sync after the rollback (exit $?)"
same_as_expected "after the rollback" app 8081
same_as_expected "after the rollback" app3 8082

# --- --watch -----------------------------------------------------------------------------------
WLOG=$WORK/watch.log
# The binary itself in the background (not through the ngxauth function: $! would be a
# subshell, and SIGTERM would not reach ngxauth).
"$NGXAUTH_BIN" --no-color sync --root "$TREE" --watch --debounce 1 >"$WORK/watch.out" 2>"$WLOG" &
WATCH_PID=$!
wait_for() {  # wait_for SECONDS COMMAND...: until COMMAND succeeds
    local limit=$(($1 * 10)) n=0
    shift
    until "$@"; do
        n=$((n + 1))
        [ $n -le $limit ] || return 1
        sleep 0.1
    done
}
log_has() { [ "$(grep -c -- "$1" "$WLOG" 2>/dev/null)" -ge "$2" ] 2>/dev/null; }
wait_for 10 log_has ' sync (start)' 1 || { cat "$WLOG"; fail "--watch: no first sync"; }
t0=$(date +%s)
run_app app4 swag_port=8084
wait_for 10 test -e "$PC/app4.subdomain.conf" || { cat "$WLOG"; fail "--watch: app4's start not picked up"; }
pass "--watch picked up app4's start within $(($(date +%s) - t0)) s (debounce 1 s)"
same_as_expected "--watch" app4 8084

docker_restart
wait_for 40 log_has 'reconnecting in' 1 || { cat "$WLOG"; fail "--watch: no reconnect line"; }
wait_for 40 log_has ' sync (start)' 2 || { cat "$WLOG"; fail "--watch: no sync after the reconnect"; }
kill -0 "$WATCH_PID" 2>/dev/null || fail "--watch died with the daemon"
pass "--watch reconnected after the daemon restarted"
# The restart stopped every container (their confs went with them); starting app4 again must
# bring its conf back through the new event stream.
wait_for 15 test ! -e "$PC/app4.subdomain.conf" || { cat "$WLOG"; fail "--watch: app4 stopped, conf kept"; }
dk start app4 >/dev/null || fail "docker start app4"
wait_for 10 test -e "$PC/app4.subdomain.conf" || { cat "$WLOG"; fail "--watch: app4's restart not picked up"; }
pass "--watch picked up app4's start after the daemon restart"

kill -TERM "$WATCH_PID"
wait "$WATCH_PID"
rc=$?
WATCH_PID=
[ $rc -eq 143 ] || fail "--watch stopped by SIGTERM: exit $rc, not 143"
grep -q ' stopped by SIGTERM$' "$WLOG" || { cat "$WLOG"; fail "--watch: no line saying it stopped"; }
if [ -e "$TREE/.ngxconf/journal" ]; then
    cat "$WLOG"
    find "$TREE/.ngxconf" | head -20
    fail "--watch left a journal"
fi
pass "--watch stopped on SIGTERM (exit 143), no transaction left half-done"
echo "# watch log:"
sed 's/^/#   /' "$WLOG"

echo "# $(($(date +%s) - began)) s"
echo "$passed passed, $skipped skipped"
