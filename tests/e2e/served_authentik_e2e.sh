#!/usr/bin/env bash
# Both halves of the tutorial against the real nginx: nginx serves a copy of fixtures/swag on
# loopback inside a private network namespace, with the stand-in outpost answering only for
# hosts whose provider Authentik has put on it (its state read from the Authentik API
# stand-in, authentik_standin.py, over TLS). What it shows:
#   - the nginx half alone (`protect dockge` without Authentik): the outpost knows no
#     provider for the host and nginx answers 500 to every visitor;
#   - `protect dockge --authentik-url ...`: the anonymous visitor is sent to the login, the
#     session cookie lets alice in, `status` says authentik.in_sync;
#   - `unprotect dockge --authentik-url ...`: the app is open and the provider is off the
#     outpost (nginx asking again would get 500).
#
#   tests/e2e/served_authentik_e2e.sh NGXAUTH FIXTURES_SWAG
#
# Needs root, unshare, nginx, openssl, curl, python3; skips (77) otherwise, fails under CI=true.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR
. "$HERE/served_lib.sh"
served_begin served-authentik "$@"

TREE=$WORK/nginx
OUT=$WORK/stdout
ERR=$WORK/stderr
FAIL_EXTRA_LOG=$WORK/harness/run/logs/error.log
passed=0
requests=0
agree=0

# --- setup: nginx, the Authentik API stand-in, the outpost and the app -------------------

nginx_harness_init "$WORK/harness" || fail "certificate or DH parameters not made"
[ -z "$NGINX_HARNESS_SKIP" ] || skip_or_fail "$NGINX_HARNESS_SKIP"
cp -a "$FIXTURES" "$TREE"
upstream_to "$TREE/proxy-confs/dockge.subdomain.conf" "$APP_PORT"
outpost_to_standin

API_DIR=$WORK/api
mkdir -p "$API_DIR"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$API_DIR/key.pem" -out "$API_DIR/cert.pem" >/dev/null 2>&1 ||
    fail "the API stand-in's certificate"
TOKEN_FILE=$API_DIR/token
(umask 077 && openssl rand -hex 24 >"$TOKEN_FILE")
python3 "$HERE/authentik_standin.py" --cert "$API_DIR/cert.pem" --key "$API_DIR/key.pem" \
    --token-file "$TOKEN_FILE" --port-file "$API_DIR/port" --log "$API_DIR/log" \
    --lifetime "$LIFETIME" >/dev/null 2>"$API_DIR/stderr" &
STANDIN_PIDS+=($!)
for _ in $(seq 100); do [ -s "$API_DIR/port" ] && break; sleep 0.1; done
[ -s "$API_DIR/port" ] || fail "the Authentik API stand-in did not come up"
API=https://127.0.0.1:$(cat "$API_DIR/port")
export OUTPOST_STATE_URL=$API/_standin/state OUTPOST_STATE_CA=$API_DIR/cert.pem
start_standins
export XDG_CONFIG_HOME=$WORK/xdg
AK=(--authentik-url "$API" --authentik-token-file "$TOKEN_FILE" --ca-file "$API_DIR/cert.pem"
    --outpost "authentik Embedded Outpost")

# The stand-in's request log since line $1, one line per request.
api_log_since() {
    python3 -c 'import json,sys
for line in open(sys.argv[1]).readlines()[int(sys.argv[2]):]:
    e = json.loads(line)
    body = "" if e.get("body") is None else " " + json.dumps(e["body"], sort_keys=True)
    print("  > %s %s %s%s" % (e["method"], e["path"], e["status"], body))' "$API_DIR/log" "$1"
}
log_lines() { wc -l <"$API_DIR/log"; }

# --- the nginx half alone: 500 for everyone ----------------------------------------------

serve pristine
same_verdict OPEN 5 "dockge.$DOMAIN" / -- dockge --domain "$DOMAIN"
ngxauth protect dockge >"$OUT" 2>"$ERR" || fail "protect dockge (nginx half only)"
serve "nginx half only"
raw "dockge.$DOMAIN" /
[ "$RAW_STATUS" = 500 ] || fail "nginx half only: $RAW_STATUS, expected 500 (the outpost knows no provider)"
pass "the nginx half alone: the outpost knows no provider for dockge.$DOMAIN, nginx answers 500"
verify 4 dockge --domain "$DOMAIN"
[ "$VERDICTS" = error ] || fail "verify says $VERDICTS, expected error"
pass "verify agrees: error (exit 4)"
ngxauth unprotect dockge >"$OUT" 2>"$ERR" || fail "unprotect dockge (nginx half only)"

# --- both halves: the login --------------------------------------------------------------

before=$(log_lines)
ngxauth protect dockge "${AK[@]}" --domain "$DOMAIN" >"$OUT" 2>"$ERR" ||
    fail "protect dockge --authentik-url"
echo "  request log of protect dockge --authentik-url:"
api_log_since "$before"
pass "protect dockge --authentik-url (exit 0)"
serve "both halves"
same_verdict login 0 "dockge.$DOMAIN" / -- dockge --domain "$DOMAIN"
raw "dockge.$DOMAIN" / -H "Cookie: $COOKIE"
grep -qx "app user=alice" "$WORK/body" || fail "the app saw: $(cat "$WORK/body")"
pass "with the session cookie the app gets alice"
ngxauth --json status "${AK[@]}" >"$OUT" 2>"$ERR" || fail "status --authentik-url"
python3 -c 'import json,sys
ak = json.load(sys.stdin)["authentik"]
codes = [(f["code"], f["file"]) for f in ak]
assert ("authentik.in_sync", "proxy-confs/dockge.subdomain.conf") in codes, codes
assert not any(f["severity"] == "error" for f in ak), ak' <"$OUT" ||
    fail "status --authentik-url: dockge not in sync"
pass "status --authentik-url: dockge authentik.in_sync, no error"

# --- unprotect both halves: open again, the outpost lets go ------------------------------

before=$(log_lines)
ngxauth unprotect dockge "${AK[@]}" >"$OUT" 2>"$ERR" || fail "unprotect dockge --authentik-url"
echo "  request log of unprotect dockge --authentik-url:"
api_log_since "$before"
serve "unprotected"
same_verdict OPEN 5 "dockge.$DOMAIN" / -- dockge --domain "$DOMAIN"
ngxauth protect dockge >"$OUT" 2>"$ERR" || fail "protect dockge (nginx half only, again)"
serve "nginx half only, provider detached"
raw "dockge.$DOMAIN" /
[ "$RAW_STATUS" = 500 ] || fail "after unprotect --authentik-url the outpost still answers for dockge ($RAW_STATUS)"
pass "the provider is off the outpost: nginx asking again gets 500"

echo "served authentik e2e: $requests requests, $agree verdicts agree"
echo "$passed passed"
