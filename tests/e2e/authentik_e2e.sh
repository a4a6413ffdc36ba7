#!/usr/bin/env bash
# End-to-end tests of ngxauth's Authentik half against a stand-in for Authentik's REST API
# (authentik_standin.py, TLS with a test CA made here), on temporary copies of fixtures/swag.
#
#   tests/e2e/authentik_e2e.sh NGXAUTH FIXTURES_SWAG
#
# Every check asserts exit codes, JSON codes, the stand-in's request log and its objects
# (authentik_check.py), and that failed runs leave the tree as it was. The request log of
# each command is printed ("  > METHOD PATH STATUS BODY"). The API token must never show in
# any output nor in any process's command line. Needs python3 and openssl: otherwise skipped
# (exit 77), a failure under CI=true; likewise when NGXAUTH has no `authentik` command.
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

skip_all() {
    if [ "${CI:-}" = true ]; then
        echo "FAIL - $1 (CI=true)"
        exit 1
    fi
    echo "skip - $1"
    exit 77
}
for tool in python3 openssl; do
    command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not installed"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/authentik-e2e.XXXXXX")
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT
OUT=$WORK/stdout
ERR=$WORK/stderr
TRANSCRIPT=$WORK/transcript  # every stdout and stderr of ngxauth, searched for the token
passed=0
skipped=0
: >"$TRANSCRIPT"
# No config file from the user's home: each check names its connection.
export XDG_CONFIG_HOME=$WORK/xdg
unset NGXAUTH_CONFIG AUTHENTIK_TOKEN NGXAUTH_ROOT
mkdir -p "$XDG_CONFIG_HOME"

# --- key material, tokens and the stand-ins -------------------------------------------------

PKI=$WORK/pki
mkdir -p "$PKI"
make_pki() {
    local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
        >"$PKI/server.ext"
    openssl req -x509 "${ec[@]}" -days 2 -subj /CN=ngxauth-test-ca \
        -keyout "$PKI/ca.key" -out "$PKI/ca.pem" &&
        openssl req "${ec[@]}" -subj /CN=localhost -keyout "$PKI/server.key" -out "$PKI/server.csr" &&
        openssl x509 -req -in "$PKI/server.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" \
            -CAcreateserial -days 2 -extfile "$PKI/server.ext" -out "$PKI/server.pem" &&
        openssl req -x509 "${ec[@]}" -days 2 -subj /CN=localhost \
            -addext 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
            -keyout "$PKI/self.key" -out "$PKI/self.pem"
}
make_pki >"$WORK/openssl.log" 2>&1 || { cat "$WORK/openssl.log"; fail "openssl could not make the test certificates"; }
CA=$PKI/ca.pem

token_file() {  # token_file PATH TOKEN: a 0600 file holding TOKEN
    (umask 077 && printf '%s\n' "$2" >"$1")
}
TOKEN=ak-e2e-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
RO_TOKEN=ak-e2e-ro-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
token_file "$WORK/token" "$TOKEN"
token_file "$WORK/ro-token" "$RO_TOKEN"
token_file "$WORK/bad-token" "ak-e2e-not-a-token"

# start_standin NAME ARGS...: a stand-in in the background; sets PORT.
start_standin() {
    local name=$1
    shift
    python3 "$HERE/authentik_standin.py" --port-file "$WORK/$name.port" --lifetime 900 "$@" \
        >"$WORK/$name.stdout" 2>"$WORK/$name.stderr" &
    PIDS+=($!)
    for _ in $(seq 100); do
        [ -s "$WORK/$name.port" ] && break
        sleep 0.1
    done
    [ -s "$WORK/$name.port" ] || { cat "$WORK/$name.stderr"; fail "the $name stand-in did not start"; }
    PORT=$(cat "$WORK/$name.port")
}
AKLOG=$WORK/requests.jsonl
start_standin api --cert "$PKI/server.pem" --key "$PKI/server.key" --token-file "$WORK/token" \
    --readonly-token-file "$WORK/ro-token" --log "$AKLOG" --page-size 2 --seed-person-app radarr
URL=https://127.0.0.1:$PORT
start_standin selfsigned --cert "$PKI/self.pem" --key "$PKI/self.key" --token-file "$WORK/token"
SELF_URL=https://127.0.0.1:$PORT
CLOSED_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CONN=(--authentik-url "$URL" --authentik-token-file "$WORK/token" --ca-file "$CA")

# --- helpers --------------------------------------------------------------------------------

# control METHOD PATH [JSON]: the stand-in's control path (faults, reset).
control() {
    python3 - "$URL$2" "$1" "${3:-}" "$CA" <<'PY' >/dev/null || fail "control $1 $2"
import ssl, sys, urllib.request
url, method, body, ca = sys.argv[1:5]
req = urllib.request.Request(url, method=method, data=body.encode() if body else None)
urllib.request.urlopen(req, context=ssl.create_default_context(cafile=ca), timeout=10).read()
PY
}
# as_admin METHOD PATH JSON: another administrator's edit through the API itself (the token
# read from its file, never on a command line).
as_admin() {
    python3 - "$URL$2" "$1" "$3" "$CA" "$WORK/token" <<'PY' >/dev/null || fail "as_admin $1 $2"
import ssl, sys, urllib.request
url, method, body, ca, token_file = sys.argv[1:6]
token = open(token_file).readline().strip()
req = urllib.request.Request(url, method=method, data=body.encode(),
                             headers={"Authorization": "Bearer " + token,
                                      "Content-Type": "application/json"})
urllib.request.urlopen(req, context=ssl.create_default_context(cafile=ca), timeout=10).read()
PY
}
# A fresh stand-in state (seeded objects, no faults) and log mark.
reset_api() { control POST /_standin/reset; mark; }
MARK=0
mark() { MARK=$(wc -l <"$AKLOG"); }

# show_log: the requests since the mark, one a line, as the run sent them.
show_log() {
    tail -n +"$((MARK + 1))" "$AKLOG" | python3 -c '
import json, sys, urllib.parse
for line in sys.stdin:
    e = json.loads(line)
    q = ("?" + urllib.parse.urlencode(e["query"])) if e["query"] else ""
    body = "" if e["body"] is None else " " + json.dumps(e["body"], sort_keys=True)
    print("  > %s %s%s %s%s" % (e["method"], e["path"], q, e["status"], body))'
}

# expect RC DESCRIPTION -- COMMAND...: runs COMMAND (stdout/stderr in $OUT/$ERR, kept for the
# token search) and checks its exit code.
expect() {
    local want=$1 desc=$2
    shift 3
    "$@" >"$OUT" 2>"$ERR"
    local rc=$?
    cat "$OUT" "$ERR" >>"$TRANSCRIPT"
    [ "$rc" -eq "$want" ] || { show_log; fail "$desc: exit $rc, expected $want"; }
    pass "$desc (exit $rc)"
}

# check EXPR DESCRIPTION: authentik_check.py's EXPR over stdout's JSON (d), the stand-in's
# objects (S, app(), provider(), outpost(), embedded) and the requests since the mark (L, W).
check() {
    python3 "$HERE/authentik_check.py" --out "$OUT" --log "$AKLOG" --since "$MARK" \
        --control "$URL" --ca "$CA" "$1" || fail "$2"
    pass "$2"
}
code_is() { check "d is not None and d['ok'] is False and d['error']['code'] == '$1'" "JSON error code $1"; }
no_writes() { check "W == []" "${1:+$1 }no write sent to Authentik"; }

fresh() {
    local dir=$WORK/$1
    rm -rf "$dir"
    cp -a "$FIXTURES" "$dir"
    echo "$dir"
}
SERVER_LINE="    include /config/nginx/authentik-server.conf;"
LOCATION_LINE="        include /config/nginx/authentik-location.conf;"
protected() {  # protected CONF: both Authentik lines of the conf are on
    if ! grep -qxF -- "$SERVER_LINE" "$1" || ! grep -qxF -- "$LOCATION_LINE" "$1"; then
        fail "$(basename "$1") is not protected"
    fi
    pass "$(basename "$1") is protected"
}
unprotected() {
    ! grep -qxF -- "$SERVER_LINE" "$1" || fail "$(basename "$1") is still protected"
    pass "$(basename "$1") is not protected"
}
state_pk() {  # state_pk PYTHON-EXPR: prints a value of the stand-in's objects
    python3 "$HERE/authentik_check.py" --out /dev/null --log "$AKLOG" --control "$URL" --ca "$CA" \
        "print($1) or True" 2>/dev/null
}

# --- does this ngxauth have the Authentik half? ------------------------------------------

"$NGXAUTH_BIN" authentik version "${CONN[@]}" >"$OUT" 2>"$ERR"
rc=$?
cat "$OUT" "$ERR" >>"$TRANSCRIPT"
if [ "$rc" -eq 2 ]; then
    skip_all "this ngxauth has no 'authentik' command (exit 2 on 'authentik version')"
fi

echo "# connection, version, login"
expect 0 "authentik version" -- ngxauth authentik version "${CONN[@]}"
grep -qxF 2025.2.1 "$OUT" || fail "authentik version: stdout is not the line 2025.2.1"
pass "authentik version prints 2025.2.1"
mark
expect 0 "AUTHENTIK_TOKEN from the environment" -- \
    env AUTHENTIK_TOKEN="$TOKEN" "$NGXAUTH_BIN" --no-color authentik version --authentik-url "$URL" --ca-file "$CA"
check "[e['status'] for e in L] == [200]" "the environment's token was accepted"
expect 6 "no token anywhere" -- ngxauth --json authentik version --authentik-url "$URL" --ca-file "$CA"
code_is authentik.token_missing
cp "$WORK/token" "$WORK/token-0644"
chmod 0644 "$WORK/token-0644"
mark
expect 6 "token file mode 0644" -- ngxauth --json authentik version --authentik-url "$URL" \
    --authentik-token-file "$WORK/token-0644" --ca-file "$CA"
code_is authentik.token_file_unsafe
check "L == []" "a token file others can read: no request sent"
expect 6 "the test CA not trusted (no --ca-file)" -- ngxauth --json authentik version \
    --authentik-url "$URL" --authentik-token-file "$WORK/token"
code_is authentik.tls
expect 6 "self-signed server without --insecure" -- ngxauth --json authentik version \
    --authentik-url "$SELF_URL" --authentik-token-file "$WORK/token"
code_is authentik.tls
expect 0 "self-signed server with --insecure" -- ngxauth authentik version \
    --authentik-url "$SELF_URL" --authentik-token-file "$WORK/token" --insecure
grep -qxF 2025.2.1 "$OUT" || fail "--insecure: no version"
pass "--insecure: the version read"
[ -s "$ERR" ] || fail "--insecure: no warning on stderr"
pass "--insecure: a warning on stderr"
expect 6 "nothing listening" -- ngxauth --json authentik version \
    --authentik-url "https://127.0.0.1:$CLOSED_PORT" --authentik-token-file "$WORK/token"
code_is authentik.unreachable

LOGIN_XDG=$WORK/xdg-login
mkdir -p "$LOGIN_XDG"
expect 0 "authentik login" -- env XDG_CONFIG_HOME="$LOGIN_XDG" "$NGXAUTH_BIN" --no-color \
    authentik login "${CONN[@]}"
CONFIG=$LOGIN_XDG/ngxauth/authentik.json
[ "$(stat -c %a "$CONFIG" 2>/dev/null)" = 600 ] || fail "login: $CONFIG is not mode 0600"
pass "login: the config file is mode 0600"
python3 - "$CONFIG" "$URL" "$TOKEN" "$CA" <<'PY' || fail "login: the config file lacks url, token or ca_file"
import json, os, sys
c = json.load(open(sys.argv[1]))
sys.exit(0 if c["url"] == sys.argv[2] and c["token"] == sys.argv[3]
         and os.path.realpath(c["ca_file"]) == os.path.realpath(sys.argv[4]) else 1)
PY
pass "login: url, token and ca_file in the config file"
expect 0 "authentik version from the config file" -- env XDG_CONFIG_HOME="$LOGIN_XDG" \
    "$NGXAUTH_BIN" --no-color authentik version
grep -qxF 2025.2.1 "$OUT" || fail "version from the config file"
pass "the config file names the server and the token"
expect 6 "authentik login with a wrong token" -- env XDG_CONFIG_HOME="$WORK/xdg-bad" \
    "$NGXAUTH_BIN" --no-color --json authentik login --authentik-url "$URL" \
    --authentik-token-file "$WORK/bad-token" --ca-file "$CA"
code_is authentik.unauthorized
[ ! -e "$WORK/xdg-bad/ngxauth/authentik.json" ] || fail "a refused login wrote the config file"
pass "a refused login writes no config file"

# --- protect ---------------------------------------------------------------------------------

echo "# protect dockge"
reset_api
T=$(fresh dockge)
D=$T/proxy-confs/dockge.subdomain.conf
snapshot "$T" >"$WORK/snap.before"
mark
expect 0 "--dry-run protect dockge" -- ngxauth --root "$T" --dry-run protect dockge \
    --domain example.com "${CONN[@]}"
show_log
grep -q '^authentik: POST /api/v3/providers/proxy/' "$ERR" || fail "--dry-run: no plan line for the provider"
grep -q '^authentik: POST /api/v3/core/applications/' "$ERR" || fail "--dry-run: no plan line for the application"
grep -q '^authentik: PATCH /api/v3/outposts/instances/' "$ERR" || fail "--dry-run: no plan line for the outpost"
grep -q '^authentik:' "$OUT" && fail "--dry-run: plan lines in the patch on stdout"
pass "--dry-run: plan lines for the provider, the application and the outpost (stderr; stdout is the patch)"
grep -qF "+$SERVER_LINE" "$OUT" || fail "--dry-run: no diff below the plan"
pass "--dry-run: the diff below the plan"
no_writes "--dry-run:"
unchanged "$T" "$WORK/snap.before" "--dry-run"
mark
expect 0 "--json --dry-run protect dockge" -- ngxauth --root "$T" --json --dry-run protect dockge \
    --domain example.com "${CONN[@]}"
check "[(s['method'], s['path']) for s in d['authentik']['plan']][:2] == [('POST', '/api/v3/providers/proxy/'), ('POST', '/api/v3/core/applications/')] and d['authentik']['plan'][2]['method'] == 'PATCH' and d['authentik']['version'] == '2025.2.1'" \
    "--json --dry-run: the plan is POST provider, POST application, PATCH outpost"
no_writes "--json --dry-run:"
unchanged "$T" "$WORK/snap.before" "--json --dry-run"

mark
expect 0 "protect dockge" -- ngxauth --root "$T" --json protect dockge --domain example.com "${CONN[@]}"
show_log
check "d['authentik']['writes'] == 3 and [(e['method'], e['path']) for e in W][:2] == [('POST', '/api/v3/providers/proxy/'), ('POST', '/api/v3/core/applications/')] and W[2]['method'] == 'PATCH' and W[2]['path'] == '/api/v3/outposts/instances/%s/' % embedded['pk'] and all(e['status'] in (200, 201) for e in W)" \
    "protect: POST provider, POST application, PATCH the embedded outpost; writes 3"
check "W[0]['body']['name'] == 'dockge (ngxauth)' and W[0]['body']['external_host'] == 'https://dockge.example.com' and W[0]['body']['mode'] == 'forward_single' and W[0]['body']['authorization_flow'] == [f['pk'] for f in S['flows'] if f['slug'] == 'default-provider-authorization-implicit-consent'][0] and W[0]['body']['invalidation_flow'] == [f['pk'] for f in S['flows'] if f['slug'] == 'default-provider-invalidation-flow'][0]" \
    "protect: the provider's body (name, external_host, mode, both flows)"
check "W[1]['body'] == {'name': 'dockge', 'slug': 'dockge', 'provider': provider('dockge (ngxauth)')['pk'], 'meta_launch_url': 'https://dockge.example.com', 'meta_publisher': 'ngxauth'}" \
    "protect: the application's body"
check "W[2]['body'] == {'providers': [provider('dockge (ngxauth)')['pk']]}" "protect: the outpost PATCH adds the provider"
check "provider('dockge (ngxauth)')['external_host'] == 'https://dockge.example.com' and provider('dockge (ngxauth)')['mode'] == 'forward_single' and embedded['providers'] == [provider('dockge (ngxauth)')['pk']] and app('dockge')['provider'] == provider('dockge (ngxauth)')['pk'] and app('dockge')['meta_publisher'] == 'ngxauth'" \
    "state: dockge's provider (forward_single, https://dockge.example.com) on the embedded outpost"
check "any(e['path'] == '/api/v3/admin/version/' for e in L) and any(e['path'] == '/api/v3/flows/instances/' and e['query'].get('slug') == 'default-provider-authorization-implicit-consent' for e in L) and any(e['path'] == '/api/v3/core/applications/' and e['query'].get('slug') == 'dockge' for e in L) and any(e['path'] == '/api/v3/outposts/instances/' and e['query'].get('managed__iexact') == 'goauthentik.io/outposts/embedded' for e in L)" \
    "protect: read the version, the flow, the application and the embedded outpost"
protected "$D"
mark
expect 0 "protect dockge again" -- ngxauth --root "$T" --json protect dockge --domain example.com "${CONN[@]}"
show_log
echo "  second protect: $(tail -n +"$((MARK + 1))" "$AKLOG" | grep -vc '"method": "GET"') writes"
check "W == [] and d['authentik']['writes'] == 0" "second protect: zero writes"

echo "# protect --domain-level, an existing provider, a concurrent outpost edit"
reset_api
T=$(fresh domain)
mark
expect 0 "protect dockge --domain-level" -- ngxauth --root "$T" --json protect dockge \
    --domain example.com --domain-level "${CONN[@]}"
show_log
check "provider('dockge (ngxauth)')['mode'] == 'forward_domain' and provider('dockge (ngxauth)')['cookie_domain'] == 'example.com' and W[0]['body']['cookie_domain'] == 'example.com'" \
    "--domain-level: mode forward_domain, cookie_domain example.com"
snapshot "$T" >"$WORK/snap.before"
mark
expect 3 "protect dockge without --domain-level, provider in domain mode" -- ngxauth --root "$T" --json \
    protect dockge --domain example.com "${CONN[@]}"
code_is authentik.provider_differs
no_writes "provider_differs:"
unchanged "$T" "$WORK/snap.before" "provider_differs"
T=$(fresh person)
snapshot "$T" >"$WORK/snap.before"
mark
expect 3 "protect radarr, whose application a person made" -- ngxauth --root "$T" --json \
    protect radarr --domain example.com "${CONN[@]}"
code_is authentik.provider_differs
no_writes "the person's application:"
unchanged "$T" "$WORK/snap.before" "the person's application"

reset_api
T=$(fresh concurrent)
control POST /_standin/fault '{"touch_outpost_after_reads": 1}'
mark
expect 0 "protect dockge while another admin edits the outpost" -- ngxauth --root "$T" --json \
    protect dockge --domain example.com "${CONN[@]}"
show_log
check "sorted(embedded['providers']) == sorted([provider(\"Other admin's app\")['pk'], provider('dockge (ngxauth)')['pk']])" \
    "concurrent edit: the other admin's provider kept, ours added"
check "len([e for e in L if e['method'] == 'GET' and e['path'].startswith('/api/v3/outposts/instances/')]) >= 2 and [e['body'] for e in W if e['method'] == 'PATCH'][-1]['providers'][0] == provider(\"Other admin's app\")['pk']" \
    "concurrent edit: the outpost read again, the PATCH keeps the other provider first"
protected "$T/proxy-confs/dockge.subdomain.conf"

# --- failures: exit 6, the code, nothing written -----------------------------------------

echo "# Authentik failures leave the tree as it was"
# fails RC CODE DESCRIPTION [FAULT-JSON] -- PROTECT-OPTIONS...: protect dockge on a fresh tree
fails() {
    local want=$1 code=$2 desc=$3 fault=$4
    shift 5
    reset_api
    T=$(fresh failure)
    snapshot "$T" >"$WORK/snap.before"
    [ -z "$fault" ] || control POST /_standin/fault "$fault"
    mark
    expect "$want" "$desc" -- ngxauth --root "$T" --json protect dockge --domain example.com "$@"
    show_log
    code_is "$code"
    check "[p for p in S['providers'] if p['name'] == 'dockge (ngxauth)'] == [] and app('dockge') is None and embedded['providers'] == []" \
        "$desc: nothing left in Authentik"
    unchanged "$T" "$WORK/snap.before" "$desc"
}
# Authentik answers a wrong token with 403 {"detail": "Token invalid/expired"} (Django REST
# framework without a WWW-Authenticate challenge): still a token problem, not a permission one.
fails 6 authentik.unauthorized "a wrong token (403 Token invalid/expired)" "" -- \
    --authentik-url "$URL" --authentik-token-file "$WORK/bad-token" --ca-file "$CA"
fails 6 authentik.unauthorized "401" '{"status": 401, "body": {"detail": "Token invalid/expired"}}' -- \
    "${CONN[@]}"
fails 6 authentik.forbidden "403 (the read-only token)" "" -- \
    --authentik-url "$URL" --authentik-token-file "$WORK/ro-token" --ca-file "$CA"
check "[e['status'] for e in W] == [403]" "read-only token: the first write refused, no other"
fails 6 authentik.not_authentik "404 (a URL that is not Authentik)" "" -- \
    --authentik-url "$URL/notauthentik" --authentik-token-file "$WORK/token" --ca-file "$CA"
fails 6 authentik.server_error "500" '{"status": 500, "body": {"detail": "database unavailable xyzzy"}}' -- "${CONN[@]}"
grep -qF xyzzy "$OUT" || fail "500: Authentik's own error text is not in the error"
pass "500: Authentik's own error text passed on"
fails 6 authentik.server_error "500 on the outpost PATCH" \
    '{"status": 500, "method": "PATCH", "body": {"detail": "boom"}}' -- "${CONN[@]}"
fails 6 authentik.timeout "timeout (--authentik-timeout 1, the server waits 3 s)" '{"delay": 3, "count": 1}' -- \
    "${CONN[@]}" --authentik-timeout 1
fails 6 authentik.request_refused "400 with field errors" \
    '{"status": 400, "method": "POST", "path": "/api/v3/providers/proxy/", "body": {"external_host": ["Enter a valid URL."]}}' -- "${CONN[@]}"
fails 6 authentik.bad_response "200 that is not JSON" '{"status": 200, "body": "<html>hello</html>"}' -- "${CONN[@]}"
fails 3 authentik.flow_missing "--authorization-flow that does not exist" "" -- \
    "${CONN[@]}" --authorization-flow no-such-flow
fails 3 authentik.outpost_missing "--outpost that does not exist" "" -- "${CONN[@]}" --outpost nowhere
fails 6 authentik.token_file_unsafe "token file mode 0644" "" -- \
    --authentik-url "$URL" --authentik-token-file "$WORK/token-0644" --ca-file "$CA"
fails 6 authentik.tls "self-signed server without --insecure" "" -- \
    --authentik-url "$SELF_URL" --authentik-token-file "$WORK/token"

echo "# rollback when the nginx half fails"
reset_api
T=$(fresh rollback)
snapshot "$T" >"$WORK/snap.before"
mark
expect 4 "protect dockge --validate false" -- ngxauth --root "$T" --json --validate false protect dockge \
    --domain example.com "${CONN[@]}"
show_log
check "[p['name'] for p in S['providers']] == ['Provider for radarr'] and [a['slug'] for a in S['applications']] == ['radarr'] and embedded['providers'] == []" \
    "rollback: the application and the provider deleted, the outpost as before"
check "sorted(e['method'] for e in W) == ['DELETE', 'DELETE', 'PATCH', 'PATCH', 'POST', 'POST'] and all(e['status'] in (200, 201, 204) for e in W)" \
    "rollback: two DELETEs and the outpost PATCHed back"
unchanged "$T" "$WORK/snap.before" "rollback"

# --- unprotect ---------------------------------------------------------------------------

echo "# unprotect, unprotect --purge"
reset_api
T=$(fresh unprotect)
D=$T/proxy-confs/dockge.subdomain.conf
expect 0 "protect dockge" -- ngxauth --root "$T" protect dockge --domain example.com "${CONN[@]}"
mark
expect 0 "unprotect dockge" -- ngxauth --root "$T" unprotect dockge "${CONN[@]}"
show_log
check "embedded['providers'] == [] and provider('dockge (ngxauth)') is not None and app('dockge') is not None" \
    "unprotect: the provider off the outpost, kept with its application"
check "[(e['method'], e['body']) for e in W] == [('PATCH', {'providers': []})]" "unprotect: one PATCH of the outpost"
unprotected "$D"
expect 0 "protect dockge again" -- ngxauth --root "$T" protect dockge --domain example.com "${CONN[@]}"
check "embedded['providers'] == [provider('dockge (ngxauth)')['pk']]" "protect again: the existing provider back on the outpost"
mark
expect 0 "unprotect dockge --purge" -- ngxauth --root "$T" unprotect dockge --purge "${CONN[@]}"
show_log
check "embedded['providers'] == [] and provider('dockge (ngxauth)') is None and app('dockge') is None" \
    "--purge: the application and the provider deleted"
check "sorted((e['method'], e['path']) for e in W if e['method'] == 'DELETE')[0] == ('DELETE', '/api/v3/core/applications/dockge/')" \
    "--purge: DELETE /api/v3/core/applications/dockge/"
unprotected "$D"
mark
expect 0 "unprotect radarr --purge (a person's application)" -- ngxauth --root "$T" unprotect radarr \
    --purge "${CONN[@]}"
show_log
check "[e for e in W if e['method'] == 'DELETE'] == [] and app('radarr') is not None and provider('Provider for radarr') is not None" \
    "--purge of a person's application: nothing deleted"

# --- status and doctor ---------------------------------------------------------------------

echo "# status and doctor with the API"
reset_api
T=$(fresh status)
expect 0 "protect dockge" -- ngxauth --root "$T" protect dockge --domain example.com "${CONN[@]}"
for cmd in status doctor; do
    mark
    expect 0 "$cmd --json (dockge in sync)" -- ngxauth --root "$T" --json "$cmd" "${CONN[@]}"
    check "'authentik.version' in codes(d) and 'authentik.in_sync' in codes(d) and 'authentik.host_unprotected' not in codes(d)" \
        "$cmd: authentik.version and authentik.in_sync"
    no_writes "$cmd:"
done
# Another admin takes dockge's provider off the outpost, then gives it another external host.
EMBEDDED_PK=$(state_pk "embedded['pk']")
DOCKGE_PK=$(state_pk "provider('dockge (ngxauth)')['pk']")
as_admin PATCH "/api/v3/outposts/instances/$EMBEDDED_PK/" '{"providers": []}'
expect 0 "status --json (dockge's provider off the outpost)" -- ngxauth --root "$T" --json status "${CONN[@]}"
check "'authentik.not_on_outpost' in codes(d) and 'authentik.in_sync' not in codes(d)" "status: authentik.not_on_outpost"
as_admin PATCH "/api/v3/outposts/instances/$EMBEDDED_PK/" "{\"providers\": [$DOCKGE_PK]}"
as_admin PATCH "/api/v3/providers/proxy/$DOCKGE_PK/" '{"external_host": "https://portainer.example.com"}'
expect 3 "doctor --json (dockge's provider with another host: an error finding)" -- ngxauth --root "$T" --json doctor "${CONN[@]}"
check "'authentik.external_host_differs' in codes(d) and 'authentik.in_sync' not in codes(d)" \
    "doctor: authentik.external_host_differs"
as_admin PATCH "/api/v3/providers/proxy/$DOCKGE_PK/" '{"external_host": "https://dockge.example.com"}'
# nginx no longer protects dockge (the Authentik half not run: no URL), its provider stays
expect 0 "unprotect dockge on the nginx side only" -- ngxauth --root "$T" unprotect dockge
for cmd in status doctor; do
    expect 0 "$cmd --json (dockge's provider on the outpost, nginx open)" -- \
        ngxauth --root "$T" --json "$cmd" "${CONN[@]}"
    check "'authentik.host_unprotected' in codes(d)" "$cmd: authentik.host_unprotected"
done
# kasm protected on the nginx side only: no provider in Authentik
expect 0 "protect kasm on the nginx side only" -- ngxauth --root "$T" protect kasm
expect 0 "status --json (kasm without provider)" -- ngxauth --root "$T" --json status "${CONN[@]}"
check "'authentik.provider_missing' in codes(d)" "status: authentik.provider_missing"
mark
expect 0 "no URL: the Authentik half not run" -- ngxauth --root "$T" --json status
check "L == [] and 'authentik.version' not in codes(d)" "no URL: no request, no authentik finding"

# --- outposts ------------------------------------------------------------------------------

echo "# outpost create and list"
reset_api
T=$(fresh outpost)
expect 0 "protect dockge" -- ngxauth --root "$T" protect dockge --domain example.com "${CONN[@]}"
OUTDIR=$WORK/remote-outpost
mark
expect 0 "outpost create remote --apps dockge" -- ngxauth --root "$T" outpost create remote \
    --apps dockge --domain example.com --authentik-host https://auth.example.com --out "$OUTDIR" "${CONN[@]}"
show_log
check "outpost('remote') is not None and outpost('remote')['type'] == 'proxy' and outpost('remote')['providers'] == [provider('dockge (ngxauth)')['pk']] and outpost('remote')['config'].get('authentik_host') == 'https://auth.example.com' and len([o for o in S['outposts'] if o['name'] == 'remote']) == 1" \
    "outpost create: one proxy outpost 'remote' with dockge's provider"
check "any(e['path'] == '/api/v3/core/tokens/%s/view_key/' % outpost('remote')['token_identifier'] for e in L)" \
    "outpost create: read its token key"
[ "$(stat -c %a "$OUTDIR/.env" 2>/dev/null)" = 600 ] || fail "outpost create: .env is not mode 0600"
pass "outpost create: .env is mode 0600"
OUTPOST_KEY=$(state_pk "S['tokens'][outpost('remote')['token_identifier']]")
grep -qxF "AUTHENTIK_TOKEN=$OUTPOST_KEY" "$OUTDIR/.env" || fail "outpost create: .env lacks the outpost's token key"
grep -qxF "AUTHENTIK_INSECURE=false" "$OUTDIR/.env" || fail "outpost create: .env lacks AUTHENTIK_INSECURE=false"
grep -q "^AUTHENTIK_HOST=" "$OUTDIR/.env" || fail "outpost create: .env lacks AUTHENTIK_HOST"
pass "outpost create: .env holds AUTHENTIK_HOST, AUTHENTIK_INSECURE=false and the outpost's token key"
grep -qF "$OUTPOST_KEY" "$OUTDIR/compose.yaml" && fail "outpost create: the token key is in compose.yaml"
pass "outpost create: the token key only in .env"
compose_ok() {
    if python3 -c 'import yaml' 2>/dev/null; then
        python3 - "$OUTDIR/compose.yaml" <<'PY' || return 1
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
images = [s.get("image", "") for s in c["services"].values()]
sys.exit(0 if "ghcr.io/goauthentik/proxy:2025.2.1" in images else 1)
PY
        echo "python3 yaml"
    elif docker compose version >/dev/null 2>&1; then
        (cd "$OUTDIR" && docker compose -f compose.yaml config) >"$WORK/compose.out" 2>&1 || return 1
        grep -qF "ghcr.io/goauthentik/proxy:2025.2.1" "$WORK/compose.out" || return 1
        echo "docker compose config"
    else
        grep -q '^services:' "$OUTDIR/compose.yaml" &&
            grep -qE '^\s+image:\s*"?ghcr.io/goauthentik/proxy:2025.2.1"?\s*$' "$OUTDIR/compose.yaml" &&
            ! grep -qF $'\t' "$OUTDIR/compose.yaml" || return 1
        echo "a structural check"
    fi
}
how=$(compose_ok) || { sed 's/^/    | /' "$OUTDIR/compose.yaml"; fail "outpost create: compose.yaml does not parse or names another image"; }
pass "outpost create: compose.yaml parses ($how) and runs ghcr.io/goauthentik/proxy:2025.2.1"
mark
expect 0 "outpost create remote again" -- ngxauth --root "$T" outpost create remote \
    --apps dockge --domain example.com --authentik-host https://auth.example.com --out "$OUTDIR" "${CONN[@]}"
show_log
check "len([o for o in S['outposts'] if o['name'] == 'remote']) == 1 and not [e for e in W if e['method'] == 'POST']" \
    "outpost create again: no second outpost"
expect 0 "outpost create remote --apply" -- ngxauth --root "$T" outpost create remote \
    --apps dockge --domain example.com --authentik-host https://auth.example.com --out "$OUTDIR" --apply "${CONN[@]}"
# shellcheck disable=SC2016 # the literal nginx variable
grep -qF 'set $upstream_authentik remote;' "$T/authentik-server.conf" || fail "--apply: authentik-server.conf does not point at remote"
# shellcheck disable=SC2016
! grep -qF 'set $upstream_authentik authentik-server;' "$T/authentik-server.conf" || fail "--apply: authentik-server.conf still points at authentik-server"
pass "--apply: authentik-server.conf's upstream is remote"
expect 0 "outpost create third --apps dockge" -- ngxauth --root "$T" outpost create third \
    --apps dockge --domain example.com --out "$WORK/third" "${CONN[@]}"
mark
expect 0 "outpost list --json" -- ngxauth --root "$T" --json outpost list "${CONN[@]}"
show_log
check "{'authentik Embedded Outpost', 'remote', 'third'} <= set(names(d)) and 'dockge (ngxauth)' in names(d)" \
    "outpost list: the three outposts (two pages of the list) with their providers"
check "any(e['path'] == '/api/v3/outposts/instances/' and e['query'].get('page') == '2' for e in L) and any(e['path'].endswith('/health/') for e in L)" \
    "outpost list: followed the list to page 2, asked the health"
no_writes "outpost list:"

# --- the token never shows ------------------------------------------------------------------

echo "# the token in no output and no command line"
# A --validate command that scans every process's command line while ngxauth waits on it.
cat >"$WORK/scan.py" <<'PY'
import glob, sys
token = open(sys.argv[1]).readline().strip().encode()
found = []
for path in glob.glob("/proc/[0-9]*/cmdline"):
    try:
        if token in open(path, "rb").read():
            found.append(path)
    except OSError:
        pass
with open(sys.argv[2], "a") as out:
    out.write("scanned\n" + "".join(p + "\n" for p in found))
PY
reset_api
T=$(fresh leak)
: >"$WORK/scan.result"
expect 0 "protect dockge --validate (scans /proc/*/cmdline)" -- ngxauth --root "$T" --json \
    --validate "python3 $WORK/scan.py $WORK/token $WORK/scan.result" protect dockge --domain example.com "${CONN[@]}"
grep -qx scanned "$WORK/scan.result" || fail "the --validate scanner did not run"
[ "$(grep -vcx scanned "$WORK/scan.result")" -eq 0 ] || { cat "$WORK/scan.result"; fail "the token is in a command line during --validate"; }
pass "no command line holds the token while ngxauth waits on --validate"
# During a request: the stand-in holds each answer 1 s while the scanner runs.
control POST /_standin/fault '{"delay": 1, "count": 4}'
T=$(fresh leak2)
"$NGXAUTH_BIN" --no-color --root "$T" protect dockge --domain example.com "${CONN[@]}" \
    >"$WORK/leak2.out" 2>&1 &
NGX_PID=$!
: >"$WORK/scan.result"
for _ in 1 2 3 4 5 6; do
    python3 "$WORK/scan.py" "$WORK/token" "$WORK/scan.result"
    sleep 0.5
done
wait "$NGX_PID" || { cat "$WORK/leak2.out"; fail "protect during the scan failed"; }
cat "$WORK/leak2.out" >>"$TRANSCRIPT"
[ "$(grep -vcx scanned "$WORK/scan.result")" -eq 0 ] || { cat "$WORK/scan.result"; fail "the token is in a command line during a request"; }
pass "no command line holds the token during the API requests"
mark
expect 0 "--json --dry-run unprotect dockge --purge" -- ngxauth --root "$T" --json --dry-run \
    unprotect dockge --purge "${CONN[@]}"
if grep -qF -- "$TOKEN" "$TRANSCRIPT"; then
    grep -nF -- "$TOKEN" "$TRANSCRIPT" | head -5 | sed "s/$TOKEN/<TOKEN>/g"
    fail "the token is in ngxauth's output"
fi
grep -qF -- "$RO_TOKEN" "$TRANSCRIPT" && fail "the read-only token is in ngxauth's output"
pass "neither token in any stdout, stderr, --json output or --dry-run plan ($(wc -l <"$TRANSCRIPT") lines)"
grep -qF -- "$TOKEN" "$AKLOG" && fail "the stand-in's log holds the token (Authorization header logged)"
pass "the request log holds no token"

echo "$passed passed, 0 failed, $skipped skipped"
