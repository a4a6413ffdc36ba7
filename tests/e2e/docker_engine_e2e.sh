#!/usr/bin/env bash
# ngxauth's Docker Engine client against a real, private dockerd (tests/e2e/docker_lib.sh):
#   - `ngxauth docker info --json` reports the API version the daemon's own /_ping header
#     gives (1.41 on Debian bookworm's docker.io), and the containers as `docker inspect` has
#     them: state, image, per network the IPv4 and the names (which the daemon's DNS
#     resolves to that address from another container); no environment value ever shows
#   - the Engine given by --docker-host, by DOCKER_HOST, over tcp:// and as a bare host
#     (inside the daemon's network namespace), the flag winning over the variable
#   - failures, exit 7 and their codes: socket missing or not a socket, ssh://
#     (docker.unreachable), socket not open to the user (docker.permission_denied), a socket
#     that never answers (docker.timeout), API 1.40 (docker.api_too_old), no Api-Version
#     (docker.bad_response); --no-docker leaves `docker info` nothing to do (exit 2)
#   - with ngxauth_docker_probe (the client's calls the CLI does not expose): exec output and
#     exit code, a long output, its timeout, a stopped or missing container; inspect keeps
#     only the environment keys asked for; the event stream delivers create/destroy, stops
#     when told to, and fails (docker.unreachable) when the daemon stops
#
# usage: docker_engine_e2e.sh NGXAUTH [NGXAUTH_DOCKER_PROBE]
set -u
if [ $# -lt 1 ]; then
    echo "usage: $0 NGXAUTH [NGXAUTH_DOCKER_PROBE]" >&2
    exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
NGXAUTH_BIN=$(realpath "$1")
PROBE=${2:-}
[ -z "$PROBE" ] || PROBE=$(realpath "$PROBE")
passed=0
skipped=0
TCP_PORT=2375   # the daemon's own namespace: no other listener there
SECRET=ngxt-secret-value-7f3a

# shellcheck source-path=SCRIPTDIR
. "$HERE/docker_lib.sh"

for tool in python3 setpriv; do
    command -v "$tool" >/dev/null 2>&1 || docker_skip_or_fail "$tool not installed"
done
CHECK="python3 $HERE/docker_engine_check.py"
began=$(date +%s)
docker_begin docker_engine -H "tcp://127.0.0.1:$TCP_PORT"
docker_image

# --- the oracle: the daemon's own answers ------------------------------------------------
api=$(curl -s -D - -o /dev/null --unix-socket "$DOCKER_SOCK" http://docker/_ping |
    tr -d '\r' | awk -F': ' 'tolower($1) == "api-version" { print $2 }')
[ -n "$api" ] || fail "the daemon's /_ping has no Api-Version header"
pass "the daemon's /_ping says Api-Version: $api"

dk network create appnet >/dev/null || fail "docker network create appnet"
dk network create othernet >/dev/null || fail "docker network create othernet"
dk run -d --name app1 --network appnet --network-alias web --label swag=enable \
    -e "NGXT_SECRET=$SECRET" -e NGXT_KEEP=yes "$DOCKER_IMAGE" httpd -f -p 8080 >/dev/null ||
    fail "docker run app1"
dk network connect othernet app1 || fail "docker network connect othernet app1"
dk run -d --name app2 --network othernet "$DOCKER_IMAGE" sleep 300 >/dev/null || fail "docker run app2"
dk create --name app3 "$DOCKER_IMAGE" true >/dev/null || fail "docker create app3"
pass "app1 on appnet (alias web) and othernet, app2 on othernet, app3 created on the default bridge"

inspect_all() { dk inspect app1 app2 app3 >"$WORK/inspect.json" || fail "docker inspect"; }

# info_agrees WHAT ENDPOINT: $OUT holds docker info --json that matches docker inspect.
info_agrees() {
    $CHECK info "$OUT" "$WORK/inspect.json" "$api" "$2" >"$WORK/check" 2>&1 ||
        fail "$1: $(cat "$WORK/check")"
    pass "$1: $(cat "$WORK/check"), API $api, endpoint $2"
}

# --- docker info over the socket ----------------------------------------------------------
inspect_all
DOCKER_HOST=unix:///nonexistent/docker.sock \
    ngxauth --docker-host "unix://$DOCKER_SOCK" --json docker info >"$OUT" 2>"$ERR" ||
    fail "docker info --docker-host: exit $?"
info_agrees "--docker-host (over DOCKER_HOST)" "unix://$DOCKER_SOCK"
[ "$api" = 1.41 ] && pass "API 1.41 (Engine 20.10) negotiated"
cp "$OUT" "$WORK/info.json"
if grep -q "$SECRET" "$OUT" "$ERR"; then fail "docker info printed an environment value"; fi
pass "no environment value in the report"

DOCKER_HOST="unix://$DOCKER_SOCK" ngxauth --json docker info >"$OUT" 2>"$ERR" ||
    fail "docker info with DOCKER_HOST: exit $?"
info_agrees "DOCKER_HOST" "unix://$DOCKER_SOCK"

ngxauth docker info >"$OUT" 2>"$ERR" || fail "docker info (text): exit $?"
short1=$(dk inspect -f '{{.Id}}' app1 | cut -c1-12)
ip1=$(dk inspect -f '{{(index .NetworkSettings.Networks "appnet").IPAddress}}' app1)
grep -qx "app1  running  $DOCKER_IMAGE" "$OUT" || fail "docker info: no line for app1"
grep -qx "    appnet  $ip1  app1, web, $short1" "$OUT" || fail "docker info: no line for app1 on appnet"
grep -qx "app3  created  $DOCKER_IMAGE" "$OUT" || fail "docker info: no line for app3"
pass "docker info (text): app1 running, on appnet at $ip1 as app1, web, $short1"

# The names ngxauth lists for app1 on othernet are what the daemon's DNS answers there: each
# resolves to app1's address on othernet, asked from app2.
ip1o=$(dk inspect -f '{{(index .NetworkSettings.Networks "othernet").IPAddress}}' app1)
names=$($CHECK names "$WORK/info.json" app1 othernet)
[ -n "$names" ] || fail "no names for app1 on othernet"
for n in $names; do
    dk exec app2 nslookup "$n" 127.0.0.11 >"$OUT" 2>"$ERR" || fail "nslookup $n in app2"
    grep -q "^Address:[[:space:]]*$ip1o\$" "$OUT" || fail "$n does not resolve to $ip1o from app2"
done
pass "each name on othernet ($(echo "$names" | paste -sd " " -)) resolves to $ip1o from app2"

# --- tcp://, bare host, inside the daemon's namespace --------------------------------------
docker_netns "$NGXAUTH_BIN" --no-color --docker-host "tcp://127.0.0.1:$TCP_PORT" --json docker info \
    >"$OUT" 2>"$ERR" || fail "docker info over tcp: exit $?"
info_agrees "tcp://127.0.0.1:$TCP_PORT" "tcp://127.0.0.1:$TCP_PORT"
docker_netns env DOCKER_HOST=127.0.0.1 "$NGXAUTH_BIN" --no-color --json docker info \
    >"$OUT" 2>"$ERR" || fail "docker info with DOCKER_HOST=127.0.0.1: exit $?"
info_agrees "DOCKER_HOST=127.0.0.1 (bare host: tcp, port 2375)" "tcp://127.0.0.1:2375"

# --- failures -----------------------------------------------------------------------------
# refused CODE WHAT ARGS...: ngxauth ARGS exits 7 with --json's error CODE.
refused() {
    local code=$1 what=$2
    shift 2
    local t0
    t0=$(date +%s%N)
    ngxauth --json "$@" >"$OUT" 2>"$ERR"
    local rc=$?
    REFUSED_MS=$((($(date +%s%N) - t0) / 1000000))
    [ $rc -eq 7 ] || fail "$what: exit $rc, expected 7"
    $CHECK error "$OUT" "$code" 7 >"$WORK/check" || fail "$what: $(cat "$WORK/check")"
    pass "$what: exit 7, $code"
}
refused docker.unreachable "socket missing" --docker-host "unix://$WORK/missing.sock" docker info
refused docker.unreachable "not a socket" --docker-host "unix://$WORK" docker info
refused docker.unreachable "ssh:// refused" --docker-host ssh://root@127.0.0.1 docker info
refused docker.unreachable "nothing listens at tcp" --docker-host tcp://127.0.0.1:1 docker info

ngxauth --json --no-docker docker info >"$OUT" 2>"$ERR"
rc=$?
[ $rc -eq 2 ] || fail "--no-docker docker info: exit $rc, expected 2"
$CHECK error "$OUT" usage.invalid 2 >"$WORK/check" || fail "--no-docker: $(cat "$WORK/check")"
pass "--no-docker docker info: exit 2 (nothing to do)"

# Not root: the socket (root:docker 0660) is closed to nobody; the folder lets nobody
# reach it (0711) so that the socket's own mode decides.
nobody_bin=$NGXAUTH_BIN
if ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$NGXAUTH_BIN"; then
    nobody_bin=$DOCKER_DIR/ngxauth
    cp "$NGXAUTH_BIN" "$nobody_bin"
    chmod 755 "$nobody_bin"
fi
chmod 711 "$DOCKER_DIR"
setpriv --reuid=65534 --regid=65534 --clear-groups "$nobody_bin" --no-color --json \
    --docker-host "unix://$DOCKER_SOCK" docker info >"$OUT" 2>"$ERR"
rc=$?
chmod 700 "$DOCKER_DIR"
[ $rc -eq 7 ] || fail "docker info as nobody: exit $rc, expected 7"
$CHECK error "$OUT" docker.permission_denied 7 >"$WORK/check" || fail "as nobody: $(cat "$WORK/check")"
pass "docker info as nobody: exit 7, docker.permission_denied"

# standin MODE: a stand-in Engine on $WORK/standin.sock (docker_standin.py).
standin() {
    rm -f "$WORK/standin.sock"
    python3 "$HERE/docker_standin.py" "$WORK/standin.sock" 60 "$1" &
    STANDIN_PID=$!
    local tries=0
    until [ -S "$WORK/standin.sock" ]; do
        tries=$((tries + 1))
        [ $tries -le 100 ] || fail "the stand-in ($1) did not come up"
        sleep 0.1
    done
}
standin_stop() { kill "$STANDIN_PID" 2>/dev/null; wait "$STANDIN_PID" 2>/dev/null; }

standin silent
refused docker.timeout "a socket that never answers (--docker-timeout 1)" \
    --docker-host "unix://$WORK/standin.sock" --docker-timeout 1 docker info
standin_stop
if [ "$REFUSED_MS" -lt 1000 ] || [ "$REFUSED_MS" -ge 3000 ]; then
    fail "the timeout of 1 s came after $REFUSED_MS ms"
fi
pass "the timeout of 1 s came after $REFUSED_MS ms"
standin api:1.40
refused docker.api_too_old "API 1.40" --docker-host "unix://$WORK/standin.sock" docker info
standin_stop
standin noversion
refused docker.bad_response "/_ping without Api-Version" --docker-host "unix://$WORK/standin.sock" docker info
standin_stop

# --- exec, inspect, events (ngxauth_docker_probe) -----------------------------------------
if [ -z "$PROBE" ]; then
    [ "${CI:-}" = true ] && fail "no ngxauth_docker_probe (CI=true: not skipped)"
    skip "exec, inspect and events: no ngxauth_docker_probe given"
else
    probe() { "$PROBE" "unix://$DOCKER_SOCK" 5 "$@"; }
    # shellcheck disable=SC2016 # the container's shell expands
    probe exec app1 10 sh -c 'echo out; echo err >&2; echo more; exit 3' >"$OUT" 2>"$ERR" ||
        fail "probe exec: exit $?"
    # stdout and stderr are two pipes in the container: each in order, not with each other.
    [ "$(grep -v err "$OUT")" = $'out\nmore' ] || fail "exec's stdout is not out, more"
    [ "$(LC_ALL=C sort "$OUT")" = $'err\nmore\nout' ] || fail "exec output is not out, err, more"
    grep -qx 'exit_code=3' "$ERR" || fail "exec exit code is not 3"
    pass "exec: stdout and stderr, exit code 3"

    # shellcheck disable=SC2016
    probe exec app1 10 sh -c 'i=0; while [ $i -lt 20000 ]; do echo "line $i"; i=$((i+1)); done' \
        >"$OUT" 2>"$ERR" || fail "probe exec (long output): exit $?"
    for i in $(seq 0 19999); do echo "line $i"; done >"$WORK/want"
    cmp -s "$OUT" "$WORK/want" || fail "exec's long output differs ($(wc -c <"$OUT") bytes)"
    grep -qx 'exit_code=0' "$ERR" || fail "exec (long output) exit code is not 0"
    pass "exec: 20000 lines ($(wc -c <"$OUT") bytes) byte for byte, exit code 0"

    t0=$(date +%s%N)
    probe exec app1 1 sleep 30 >"$OUT" 2>"$ERR"
    rc=$?
    elapsed=$((($(date +%s%N) - t0) / 1000000))
    [ $rc -eq 7 ] || fail "exec past its timeout: exit $rc"
    grep -qx docker.timeout "$OUT" || fail "exec past its timeout: not docker.timeout"
    [ $elapsed -lt 4000 ] || fail "exec's timeout of 1 s took $elapsed ms"
    pass "exec past its 1 s timeout: docker.timeout after $elapsed ms"

    for c in app3 nosuch; do
        probe exec "$c" 5 true >"$OUT" 2>"$ERR"
        rc=$?
        [ $rc -eq 7 ] || fail "exec in $c: exit $rc"
        grep -qx docker.exec_failed "$OUT" || fail "exec in $c: not docker.exec_failed"
    done
    pass "exec in a stopped and in a missing container: docker.exec_failed"

    probe inspect app1 NGXT_KEEP PATH >"$OUT" 2>"$ERR" || fail "probe inspect: exit $?"
    [ "$(cat "$OUT")" = $'app1\nNGXT_KEEP=yes\nPATH=/bin' ] || fail "inspect kept other keys"
    probe inspect nosuch >"$OUT" 2>"$ERR" || fail "probe inspect nosuch: exit $?"
    [ "$(cat "$OUT")" = missing ] || fail "inspect of a missing container"
    pass "inspect keeps only the keys asked for; a missing container is none"

    t0=$(date +%s%N)
    probe events 100 1.5 >"$OUT" 2>"$ERR" || fail "probe events (quiet): exit $?"
    elapsed=$((($(date +%s%N) - t0) / 1000000))
    [ ! -s "$OUT" ] || fail "events while nothing happened"
    [ $elapsed -lt 2500 ] || fail "the event stream stopped $elapsed ms after it was told to"
    pass "a quiet event stream stops when told to ($elapsed ms for 1.5 s)"

    probe events 2 30 >"$WORK/events" 2>"$ERR" &
    events_pid=$!
    sleep 1
    dk create --name ev1 "$DOCKER_IMAGE" true >/dev/null || fail "docker create ev1"
    dk rm ev1 >/dev/null || fail "docker rm ev1"
    wait $events_pid || fail "probe events: exit $?"
    [ "$(cat "$WORK/events")" = $'create ev1\ndestroy ev1' ] ||
        fail "events: $(tr '\n' '|' <"$WORK/events")"
    pass "the event stream: create ev1, destroy ev1, then stopped by its callback"

    # Last: the daemon goes away under a running stream.
    dk rm -f app1 app2 app3 >/dev/null || fail "docker rm -f"
    probe events 100 60 >"$WORK/events" 2>"$ERR" &
    events_pid=$!
    sleep 1
    kill -TERM "$DOCKER_PID"
    wait $events_pid
    rc=$?
    [ $rc -eq 7 ] || fail "the stream of a stopped daemon: exit $rc"
    grep -qx docker.unreachable "$WORK/events" ||
        fail "the stream of a stopped daemon: $(tr '\n' '|' <"$WORK/events")"
    pass "the event stream of a daemon that stops: docker.unreachable"
fi

echo "$passed passed, 0 failed, $skipped skipped ($(($(date +%s) - began)) s)"
