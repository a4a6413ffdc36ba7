#!/usr/bin/env bash
# The real nginx serving a copy of fixtures/swag, with a stand-in Authentik outpost and a
# stand-in app, all on loopback inside a private network namespace (unshare --net): each
# scenario sends real requests (curl --resolve) and runs `ngxauth verify` on the same URL,
# and the two verdicts must agree with each other and with what the scenario expects.
#
#   tests/e2e/served_e2e.sh NGXAUTH FIXTURES_SWAG
#
# Needs root (for the namespace and port 443), nginx, openssl, curl, python3. Skips (exit 77)
# with a message when one is missing or unshare fails; under CI=true that is a failure.
# The last line is "served e2e: N requests, M verdicts agree".
set -u

if [ $# -lt 2 ]; then
    echo "usage: $0 NGXAUTH FIXTURES_SWAG" >&2
    exit 2
fi

skip_or_fail() {
    if [ "${CI:-}" = true ]; then
        echo "FAIL - $* (CI=true: not skipped)"
        exit 1
    fi
    echo "skip - $*"
    exit 77
}

# Outside the namespace: check what it needs, then run this script again inside it.
if [ -z "${SERVED_E2E_IN_NETNS:-}" ]; then
    [ "$(id -u)" -eq 0 ] || skip_or_fail "served e2e needs root (network namespace, port 443)"
    for tool in unshare ip nginx openssl curl python3; do
        command -v "$tool" >/dev/null 2>&1 || skip_or_fail "$tool not installed"
    done
    unshare --net true 2>/dev/null || skip_or_fail "unshare --net failed (no namespaces here)"
    SERVED_E2E_IN_NETNS=1 exec unshare --net -- bash "$0" "$@"
fi

NGXAUTH_BIN=$(realpath "$1")
FIXTURES=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR
. "$HERE/nginx_harness.sh"

ip link set lo up || { echo "FAIL - ip link set lo up"; exit 1; }

DOMAIN=example.test
OUTPOST_PORT=9100
APP_PORT=8080
LIFETIME=300   # the stand-ins stop by themselves after this many seconds
COOKIE=authentik_proxy_test=1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/served-e2e.XXXXXX")
STANDIN_PIDS=()
cleanup() {
    nginx_harness_stop
    local pid
    for pid in "${STANDIN_PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

TREE=$WORK/nginx   # the tree ngxauth edits; nginx serves a staged copy of it
OUT=$WORK/stdout
ERR=$WORK/stderr
checks=0
requests=0
agree=0

pass() {
    checks=$((checks + 1))
    echo "ok $checks - $*"
}

fail() {
    echo "FAIL - $*"
    local f
    for f in "$OUT" "$ERR" "$NGINX_HARNESS_DIR/run/logs/error.log"; do
        [ -s "$f" ] && { echo "  $(basename "$f"):"; tail -n 30 "$f" | sed 's/^/    | /'; }
    done
    echo "$checks passed, 1 failed"
    exit 1
}

ngxauth() { "$NGXAUTH_BIN" --no-color --root "$TREE" "$@"; }

# wait_port PORT: bounded wait until 127.0.0.1:PORT accepts a connection.
wait_port() {
    local tries=0
    while [ $tries -lt 100 ]; do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
        tries=$((tries + 1))
    done
    return 1
}

start_standins() {
    python3 "$HERE/outpost_standin.py" "$OUTPOST_PORT" "$LIFETIME" &
    STANDIN_PIDS+=($!)
    python3 "$HERE/app_standin.py" "$APP_PORT" "$LIFETIME" &
    STANDIN_PIDS+=($!)
    wait_port "$OUTPOST_PORT" || fail "the outpost stand-in did not come up"
    wait_port "$APP_PORT" || fail "the app stand-in did not come up"
    pass "stand-ins listen on 127.0.0.1:$OUTPOST_PORT (outpost) and :$APP_PORT (app)"
}

# serve: (re)starts nginx on a fresh staged copy of $TREE.
serve() {
    : >"$OUT"
    : >"$ERR"
    nginx_harness_serve "$TREE" 443 || fail "nginx does not serve the tree ($1)"
    pass "nginx serves the tree ($1)"
}

# classify STATUS LOCATION: the verdict `ngxauth verify` documents, from a raw answer.
classify() {
    case $1 in
        000) echo error ;;
        401) echo login ;;
        3??) case $2 in
                 */outpost.goauthentik.io/start*|*/if/flow/*) echo login ;;
                 *) echo OPEN ;;
             esac ;;
        2??) echo OPEN ;;
        *) echo error ;;
    esac
}

# raw HOST PATH [CURL_ARGS...]: one real request through nginx; sets RAW_STATUS,
# RAW_LOCATION and RAW_VERDICT; the body is in $WORK/body, the headers in $WORK/headers.
raw() {
    local host=$1 path=$2 line
    shift 2
    : >"$WORK/body"
    : >"$WORK/headers"
    line=$(curl -sS -k --max-time 10 --resolve "$host:443:127.0.0.1" -o "$WORK/body" \
        -D "$WORK/headers" -w '%{http_code} %{redirect_url}' "$@" "https://$host$path" \
        2>"$ERR")
    requests=$((requests + 1))
    RAW_STATUS=${line%% *}
    RAW_LOCATION=${line#* }
    RAW_VERDICT=$(classify "$RAW_STATUS" "$RAW_LOCATION")
}

# verify WANT_RC ARGS...: `ngxauth verify --json` through nginx on loopback; sets VERDICTS
# (one per app, space-separated) and URLS.
verify() {
    local want=$1 rc
    shift
    ngxauth --json verify --connect 127.0.0.1:443 --insecure --timeout 10 "$@" \
        >"$OUT" 2>"$ERR"
    rc=$?
    [ "$rc" -eq "$want" ] || fail "verify $*: exit $rc, expected $want"
    VERDICTS=$(python3 -c 'import json,sys; print(" ".join(a["verdict"] for a in json.load(sys.stdin)["apps"]))' <"$OUT") ||
        fail "verify $*: stdout is not the documented JSON"
    URLS=$(python3 -c 'import json,sys; print(" ".join(a["url"] for a in json.load(sys.stdin)["apps"]))' <"$OUT")
    local n
    n=$(wc -w <<<"$VERDICTS")
    requests=$((requests + n))
}

# same_verdict WANT WANT_RC HOST PATH -- VERIFY_ARGS...: the raw request and verify both say
# WANT about https://HOST/PATH, and verify checked exactly that URL.
same_verdict() {
    local want=$1 want_rc=$2 host=$3 path=$4
    shift 5
    raw "$host" "$path"
    [ "$RAW_VERDICT" = "$want" ] ||
        fail "https://$host$path answers $RAW_STATUS $RAW_LOCATION: $RAW_VERDICT, expected $want"
    verify "$want_rc" "$@"
    [ "$URLS" = "https://$host$path" ] || fail "verify $* checked '$URLS', not https://$host$path"
    [ "$VERDICTS" = "$RAW_VERDICT" ] ||
        fail "verify $* says '$VERDICTS', the raw request $RAW_VERDICT"
    agree=$((agree + 1))
    pass "https://$host$path: $want ($RAW_STATUS), verify agrees (exit $want_rc)"
}

# Header NAME of the last raw answer has VALUE.
header_is() {
    grep -qi "^$1: $2"$'\r'"\?\$" "$WORK/headers" ||
        fail "the answer lacks '$1: $2' ($(tr -d '\r' <"$WORK/headers" | tr '\n' '|'))"
    pass "the answer has $1: $2"
}

# upstream_to FILE PORT: the app's `set $upstream_app/_port` now name 127.0.0.1:PORT (SWAG
# reaches containers by name through Docker's resolver; here everything is on loopback).
upstream_to() {
    # shellcheck disable=SC2016 # $upstream_app is nginx's variable, not the shell's
    sed -i -e 's/set \$upstream_app [A-Za-z0-9_.-]*;/set $upstream_app 127.0.0.1;/' \
        -e "s/set \\\$upstream_port [0-9]*;/set \$upstream_port $2;/" "$1"
    grep -q "set \$upstream_port $2;" "$1" || fail "$(basename "$1"): upstream not rewritten"
}

# --- setup ------------------------------------------------------------------------------

nginx_harness_init "$WORK/harness" || fail "certificate or DH parameters not made"
[ -z "$NGINX_HARNESS_SKIP" ] || skip_or_fail "$NGINX_HARNESS_SKIP"
cp -a "$FIXTURES" "$TREE"
for app in dockge radarr; do upstream_to "$TREE/proxy-confs/$app.subdomain.conf" "$APP_PORT"; done
upstream_to "$TREE/proxy-confs/sonarr.subfolder.conf" "$APP_PORT"
upstream_to "$TREE/proxy-confs/jellyfin.subdomain.conf" 9   # nothing listens: a 502
ngxauth switch-upstream 127.0.0.1 --port "$OUTPOST_PORT" >"$OUT" 2>"$ERR" ||
    fail "switch-upstream to the stand-in outpost"
grep -q "proxy_pass http://\$upstream_authentik:$OUTPOST_PORT;" "$TREE/authentik-server.conf" ||
    fail "authentik-server.conf does not point at port $OUTPOST_PORT"
pass "authentik-server.conf points at the stand-in outpost (switch-upstream)"
# The fixture's bookstack is protected by Authelia, which has no stand-in here.
ngxauth unprotect bookstack --provider authelia >"$OUT" 2>"$ERR" || fail "unprotect bookstack (authelia)"
start_standins
ngxauth verify dockge >"$OUT" 2>"$ERR"
[ $? -eq 2 ] || fail "verify without --domain or --url: exit 2 expected"
pass "verify without --domain or --url is a usage error (exit 2)"

# --- a pristine app is open -------------------------------------------------------------

serve pristine
same_verdict OPEN 5 dockge.$DOMAIN / -- dockge --domain "$DOMAIN"
grep -qx "app user=-" "$WORK/body" || fail "the app did not answer the anonymous request"
pass "the app answered an anonymous visitor"
verify 0 --domain "$DOMAIN"
[ -z "$VERDICTS" ] || fail "no app is protected yet, verify checked: $URLS"
pass "verify without APP checks only protected apps (none yet, exit 0)"

# --- protect: anonymous visitors are sent to the login, alice gets in --------------------

cp "$TREE/proxy-confs/dockge.subdomain.conf" "$WORK/dockge.before"
ngxauth protect dockge >"$OUT" 2>"$ERR" || fail "protect dockge"
serve "dockge protected"
same_verdict login 0 dockge.$DOMAIN / -- dockge --domain "$DOMAIN"
case $RAW_LOCATION in
    "https://dockge.$DOMAIN/outpost.goauthentik.io/start?rd="*) pass "redirected to the outpost start" ;;
    *) fail "redirected to '$RAW_LOCATION', not the outpost start" ;;
esac
verify 0 --domain "$DOMAIN"
[ "$URLS $VERDICTS" = "https://dockge.$DOMAIN/ login" ] || fail "verify of all: $URLS $VERDICTS"
pass "verify without APP checks the protected dockge: login"
raw "dockge.$DOMAIN" "/outpost.goauthentik.io/start?rd=x"
if [ "$RAW_STATUS" != 302 ] || [ "${RAW_LOCATION#*/if/flow/}" = "$RAW_LOCATION" ]; then
    fail "the outpost start answered $RAW_STATUS $RAW_LOCATION"
fi
pass "the outpost start (passed through nginx unauthenticated) sends to the login flow"
raw "dockge.$DOMAIN" / -H "Cookie: $COOKIE"
[ "$RAW_STATUS" = 200 ] || fail "with the session cookie: $RAW_STATUS $RAW_LOCATION"
grep -qx "app user=alice" "$WORK/body" || fail "the app saw: $(cat "$WORK/body")"
header_is X-Seen-Authentik-Username alice
pass "with the session cookie the app gets X-authentik-username: alice"
raw "dockge.$DOMAIN" / -H "Cookie: authentik_proxy_test=0"
[ "$RAW_VERDICT" = login ] || fail "a wrong cookie got $RAW_STATUS"
pass "a wrong cookie is sent to the login"

# --- an API location SWAG leaves open stays open; a subfolder app ------------------------

ngxauth protect radarr >"$OUT" 2>"$ERR" || fail "protect radarr"
ngxauth protect sonarr >"$OUT" 2>"$ERR" || fail "protect sonarr"
serve "radarr and sonarr protected"
same_verdict login 0 radarr.$DOMAIN / -- radarr --domain "$DOMAIN"
same_verdict OPEN 5 radarr.$DOMAIN /api/v3/system/status -- radarr \
    --url "https://radarr.$DOMAIN/api/v3/system/status"
same_verdict login 0 "$DOMAIN" /sonarr/ -- sonarr --domain "$DOMAIN"
verify 0 --domain "$DOMAIN"
[ "$VERDICTS" = "login login login" ] || fail "verify of all protected apps: $URLS: $VERDICTS"
pass "verify without APP: dockge, radarr, sonarr all ask for a login"

# --- no answer from the app: error, and OPEN outweighs it ---------------------------------

same_verdict error 4 jellyfin.$DOMAIN / -- jellyfin --domain "$DOMAIN"
[ "$RAW_STATUS" = 502 ] || fail "jellyfin without a backend answered $RAW_STATUS"
verify 4 radarr jellyfin --domain "$DOMAIN"
[ "$VERDICTS" = "login error" ] || fail "radarr and jellyfin: $VERDICTS"
pass "one app asks for a login, one cannot be checked: exit 4"

# --- unprotect: open again, the conf's bytes back ------------------------------------------

ngxauth unprotect dockge >"$OUT" 2>"$ERR" || fail "unprotect dockge"
cmp -s "$WORK/dockge.before" "$TREE/proxy-confs/dockge.subdomain.conf" ||
    fail "unprotect did not give dockge.subdomain.conf back byte for byte"
pass "unprotect gave dockge.subdomain.conf back byte for byte"
serve "dockge unprotected"
same_verdict OPEN 5 dockge.$DOMAIN / -- dockge --domain "$DOMAIN"
verify 5 dockge jellyfin --domain "$DOMAIN"
[ "$VERDICTS" = "OPEN error" ] || fail "dockge and jellyfin: $VERDICTS"
pass "one app OPEN, one cannot be checked: exit 5 (OPEN outweighs)"

# --- hand-damaged: the location-level include on, the server-level one off -----------------
# The auth subrequest to /outpost.goauthentik.io/auth/nginx then lands in the app's own
# `location /`, the app answers 200, and nginx lets everyone in.

sed -i 's|^\( *\)#include /config/nginx/authentik-location.conf;|\1include /config/nginx/authentik-location.conf;|' \
    "$TREE/proxy-confs/dockge.subdomain.conf"
if ! grep -q '^ *include /config/nginx/authentik-location.conf;' "$TREE/proxy-confs/dockge.subdomain.conf" ||
    ! grep -q '^ *#include /config/nginx/authentik-server.conf;' "$TREE/proxy-confs/dockge.subdomain.conf"; then
    fail "could not damage dockge.subdomain.conf"
fi
ngxauth --json status >"$OUT" 2>"$ERR" || fail "status of the damaged tree"
grep -q '"swag.half_protected"' "$OUT" || fail "status does not report swag.half_protected"
pass "status reports the damage (swag.half_protected)"
serve "dockge half protected"
same_verdict OPEN 5 dockge.$DOMAIN / -- dockge --domain "$DOMAIN"
grep -qx "app user=-" "$WORK/body" || fail "the damaged conf answered: $(cat "$WORK/body")"
pass "the half-protected app lets an anonymous visitor in"

nginx_harness_stop
echo "$checks passed, 0 failed"
echo "served e2e: $requests requests, $agree verdicts agree"
