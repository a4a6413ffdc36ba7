# shellcheck shell=bash
# shellcheck disable=SC2034 # DOMAIN, COOKIE, RAW_* and VERDICTS are read by the sourcing scripts
# Shared helpers of the served end-to-end scripts (it sources e2e_lib.sh and
# nginx_harness.sh): the network namespace, the stand-ins, serving a tree, real requests and
# `ngxauth verify` through nginx.
#
# The sourcing script sets HERE (this folder), WORK, OUT, ERR, TREE (the tree ngxauth edits)
# and NGXAUTH_BIN, and the counters passed, requests and agree.

# shellcheck source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/nginx_harness.sh"

DOMAIN=example.test
OUTPOST_PORT=9100
APP_PORT=8080
LIFETIME=300   # the stand-ins stop by themselves after this many seconds
COOKIE=authentik_proxy_test=1
STANDIN_PIDS=()

skip_or_fail() {
    if [ "${CI:-}" = true ]; then
        echo "FAIL - $* (CI=true: not skipped)"
        exit 1
    fi
    echo "skip - $*"
    exit 77
}

# served_enter_netns ARGS...: outside the namespace, checks what the scripts need and runs
# the calling script again inside `unshare --net` (does not return); inside it, brings up
# loopback and returns.
served_enter_netns() {
    if [ -z "${SERVED_E2E_IN_NETNS:-}" ]; then
        [ "$(id -u)" -eq 0 ] || skip_or_fail "served e2e needs root (network namespace, port 443)"
        local tool
        for tool in unshare ip nginx openssl curl python3; do
            command -v "$tool" >/dev/null 2>&1 || skip_or_fail "$tool not installed"
        done
        unshare --net true 2>/dev/null || skip_or_fail "unshare --net failed (no namespaces here)"
        SERVED_E2E_IN_NETNS=1 exec unshare --net -- bash "$0" "$@"
    fi
    ip link set lo up || { echo "FAIL - ip link set lo up"; exit 1; }
}

# served_begin NAME NGXAUTH FIXTURES_SWAG [MORE...]: refuses fewer arguments (exit 2), enters
# the namespace (running the script
# again there), then sets NGXAUTH_BIN, FIXTURES, WORK (a fresh folder named after NAME) and
# the traps that stop everything and remove WORK.
served_begin() {
    local name=$1
    shift
    if [ $# -lt 2 ]; then
        echo "usage: $0 NGXAUTH FIXTURES_SWAG [CORPUS_DIR]" >&2
        exit 2
    fi
    served_enter_netns "$@"
    NGXAUTH_BIN=$(realpath "$1")
    FIXTURES=$(realpath "$2")
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
    trap served_cleanup EXIT
    trap 'exit 1' INT TERM
}

# Stops nginx and the stand-ins and removes WORK (the scripts' EXIT trap).
served_cleanup() {
    nginx_harness_stop
    local pid
    for pid in "${STANDIN_PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    rm -rf "$WORK"
}

# ngxauth on the tree under test (e2e_lib.sh's, with --root).
# shellcheck disable=SC2153 # TREE is set by the sourcing script
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

# serve WHAT: (re)starts nginx on a fresh staged copy of $TREE.
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
# (one per app, space-separated), URLS and VERIFY_RC. WANT_RC "any" accepts every exit code
# that comes with the documented JSON.
verify() {
    local want=$1
    shift
    ngxauth --json verify --connect 127.0.0.1:443 --insecure --timeout 10 "$@" \
        >"$OUT" 2>"$ERR"
    VERIFY_RC=$?
    [ "$want" = any ] || [ "$VERIFY_RC" -eq "$want" ] ||
        fail "verify $*: exit $VERIFY_RC, expected $want"
    # One python3 for both lists (it takes a good part of a second to start).
    local lists
    lists=$(python3 -c 'import json,sys; apps = json.load(sys.stdin)["apps"]
print(" ".join(a["verdict"] for a in apps)); print(" ".join(a["url"] for a in apps))' <"$OUT") ||
        fail "verify $*: stdout is not the documented JSON"
    VERDICTS=${lists%%$'\n'*}
    URLS=${lists#*$'\n'}
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

# outpost_to_standin: authentik-server.conf of $TREE points at the stand-in outpost.
outpost_to_standin() {
    ngxauth switch-upstream 127.0.0.1 --port "$OUTPOST_PORT" >"$OUT" 2>"$ERR" ||
        fail "switch-upstream to the stand-in outpost"
    grep -q "proxy_pass http://\$upstream_authentik:$OUTPOST_PORT;" "$TREE/authentik-server.conf" ||
        fail "authentik-server.conf does not point at port $OUTPOST_PORT"
    pass "authentik-server.conf points at the stand-in outpost (switch-upstream)"
    # fixtures/swag's bookstack is protected by Authelia, which has no stand-in here: verify
    # without APP would check it too.
    if grep -q '^ *include /config/nginx/authelia-location.conf;' "$TREE/proxy-confs/bookstack.subdomain.conf" 2>/dev/null; then
        ngxauth unprotect bookstack --provider authelia >"$OUT" 2>"$ERR" ||
            fail "unprotect bookstack (authelia)"
    fi
}
