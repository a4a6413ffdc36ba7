#!/usr/bin/env bash
# Served end-to-end tests of pristine and hand-damaged confs: each scenario edits a fresh
# copy of fixtures/swag, runs `ngxauth protect` (then `protect --insert`), and after every
# step has the real nginx serve the tree (tests/e2e/served_lib.sh: private network namespace,
# stand-in outpost and app) and checks, with nginx as the oracle:
#   1. `status --json` says "protected": true, or protect exited 0  =>  an anonymous request
#      to the app's main URL gets the login (401, or a 302 to .../outpost.goauthentik.io/start);
#   2. an anonymous request reaches the app (200 "app user=-")  =>  status says
#      "protected": false and names the problem (a problem of severity "error", or a location
#      whose "verdict" is "OPEN" or "broken");
#   3. with the session cookie the app gets the user; API locations stay open;
#   4. unprotect gives the conf's bytes back and the app is open again;
#   5. `ngxauth verify` gives the raw request's verdict (and the matching exit code).
# A refused protect must exit 3 with the expected error code and write nothing.
#
#   tests/e2e/served_damaged_e2e.sh NGXAUTH FIXTURES_SWAG
#
# Property violations are reported ("FAIL - scenario NAME: ...") and the script goes on; it
# exits 1 at the end when there was any. Each scenario ends with
# "scenario NAME: R requests, V verdicts agree"; the last line is the total.
# Needs root, unshare, nginx, openssl, curl, python3: otherwise skipped (exit 77), or a
# failure under CI=true.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR
. "$HERE/served_lib.sh"
served_begin served-damaged "$@"

OUT=$WORK/stdout
ERR=$WORK/stderr
FAIL_EXTRA_LOG=$WORK/harness/run/logs/error.log
BASE=$WORK/base   # fixtures/swag on loopback; every scenario starts from a copy of it
TREE=$BASE
passed=0
requests=0
agree=0
violations=0
total_requests=0
total_agree=0
scenarios=0
SCENARIO=setup

# violation MESSAGE: a property does not hold; reported, counted, and the script goes on.
violation() {
    violations=$((violations + 1))
    echo "FAIL - scenario $SCENARIO: $*"
}

# --- scenarios: a fresh tree each, counters of their own ------------------------------------

scenario_begin() {
    SCENARIO=$1
    TREE=$WORK/scenario-$1
    cp -a "$BASE" "$TREE"
    requests=0
    agree=0
    echo "# scenario $1: $2"
}

scenario_end() {
    echo "scenario $SCENARIO: $requests requests, $agree verdicts agree"
    total_requests=$((total_requests + requests))
    total_agree=$((total_agree + agree))
    scenarios=$((scenarios + 1))
}

# --- what ngxauth says ------------------------------------------------------------------------

# status_of APP: `status --json` about APP's active conf; sets ST_PROTECTED (true, false, or
# missing), ST_NAMED (yes when an error problem or an OPEN/broken location names why it is
# open) and ST_VERDICTS (the locations' verdicts, "-" when status gives none).
status_of() {
    ngxauth --json status >"$OUT" 2>"$ERR" || fail "status --json: exit $?"
    local line
    line=$(python3 - "$1" "$OUT" <<'PY'
import json, sys
app, path = sys.argv[1], sys.argv[2]
entries = [a for a in json.load(open(path))["apps"]
           if a["app"] == app and not a["file"].endswith(".sample")]
if not entries:
    print("missing no -")
    sys.exit(0)
a = entries[0]
verdicts = [loc.get("verdict") for loc in a.get("locations", [])]
named = any(p.get("severity") == "error" for p in a.get("problems", [])) or \
    any(v in ("OPEN", "broken") for v in verdicts)
shown = ",".join(v for v in verdicts if v) or "-"
print("true" if a["protected"] else "false", "yes" if named else "no", shown)
PY
) || fail "status --json: not the documented JSON"
    read -r ST_PROTECTED ST_NAMED ST_VERDICTS <<<"$line"
}

# protect_try APP [ARGS...]: `protect --json`; sets PROTECT_RC and PROTECT_CODE (the error's
# code, "-" on success); a refusal must leave every byte of the tree as it was.
protect_try() {
    snapshot "$TREE" >"$WORK/snap.before"
    ngxauth --json protect "$@" >"$OUT" 2>"$ERR"
    PROTECT_RC=$?
    PROTECT_CODE=-
    if [ "$PROTECT_RC" -ne 0 ]; then
        PROTECT_CODE=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["error"]["code"])' \
            <"$OUT" 2>/dev/null) || PROTECT_CODE="(no JSON error)"
        snapshot "$TREE" >"$WORK/snap.after"
        if cmp -s "$WORK/snap.before" "$WORK/snap.after"; then
            pass "protect $*: exit $PROTECT_RC ($PROTECT_CODE), nothing written"
        else
            violation "protect $*: exit $PROTECT_RC ($PROTECT_CODE) but the tree changed"
        fi
    fi
    echo "  protect $*: exit $PROTECT_RC, code $PROTECT_CODE"
}

# expect_refusal CODE: the last protect_try exited 3 with CODE.
expect_refusal() {
    if [ "$PROTECT_RC" -eq 3 ] && [ "$PROTECT_CODE" = "$1" ]; then
        pass "protect refused with $1 (exit 3)"
    else
        violation "protect: exit $PROTECT_RC ($PROTECT_CODE), expected exit 3 with $1"
    fi
}

# --- what nginx does --------------------------------------------------------------------------

# check_main APP HOST PATH [login]: serves the tree and checks properties 1, 2 and 5 on the
# app's main URL; "login" adds that the anonymous request must get the login (protect said so).
check_main() {
    local app=$1 host=$2 path=$3 must=${4:-}
    status_of "$app"
    if ! nginx_harness_serve "$TREE" 443; then
        # Only a write can get here (every scenario's damage leaves a tree nginx serves).
        violation "$app: nginx refuses the tree:" \
            "$(grep -m1 emerg "$FAIL_EXTRA_LOG" | sed 's/^.*\[emerg\] [0-9#]*: //')"
        RAW_VERDICT=unserved
        return
    fi
    raw "$host" "$path"
    local body
    body=$(cat "$WORK/body")
    echo "  $app: status protected=$ST_PROTECTED named=$ST_NAMED verdicts=$ST_VERDICTS;" \
        "anonymous https://$host$path: $RAW_STATUS $RAW_VERDICT"
    if [ "$must" = login ] || [ "$ST_PROTECTED" = true ]; then
        if [ "$RAW_VERDICT" = login ]; then
            pass "$app: protected, and the anonymous request gets the login"
        else
            violation "$app: ${must:+protect exited 0, }status protected=$ST_PROTECTED," \
                "but https://$host$path answers $RAW_STATUS $RAW_VERDICT"
        fi
    fi
    if [ "$RAW_VERDICT" = OPEN ] && [ "$body" = "app user=-" ]; then
        if [ "$ST_PROTECTED" = false ] && [ "$ST_NAMED" = yes ]; then
            pass "$app: open, and status says so and names why"
        else
            violation "$app: an anonymous request reaches the app, but status says" \
                "protected=$ST_PROTECTED, named=$ST_NAMED (verdicts $ST_VERDICTS)"
        fi
    fi
    verify_agrees "$app" "$host" "$path"
}

# verify_agrees APP HOST PATH: verify on exactly the last raw request's URL says the same
# verdict, with the exit code that verdict documents (login 0, error 4, OPEN 5).
verify_agrees() {
    verify any "$1" --url "https://$2$3"
    local want_rc
    case $RAW_VERDICT in login) want_rc=0 ;; error) want_rc=4 ;; *) want_rc=5 ;; esac
    if [ "$VERDICTS" = "$RAW_VERDICT" ] && [ "$VERIFY_RC" -eq "$want_rc" ]; then
        agree=$((agree + 1))
        pass "verify $1 agrees: $VERDICTS (exit $VERIFY_RC)"
    else
        violation "verify $1 on https://$2$3 says '$VERDICTS' (exit $VERIFY_RC)," \
            "the raw request $RAW_VERDICT ($RAW_STATUS)"
    fi
}

# with_cookie APP HOST PATH: property 3, the session cookie lets alice in as alice.
with_cookie() {
    raw "$2" "$3" -H "Cookie: $COOKIE"
    if [ "$RAW_STATUS" = 200 ] && [ "$(cat "$WORK/body")" = "app user=alice" ] &&
        grep -qi '^X-Seen-Authentik-Username: alice' "$WORK/headers"; then
        pass "$1: with the session cookie the app gets X-authentik-username: alice"
    else
        violation "$1: with the session cookie https://$2$3 answers $RAW_STATUS" \
            "'$(head -c 80 "$WORK/body")'"
    fi
}

# api_open APP HOST PATH: property 3, an API location stays open (and verify agrees).
api_open() {
    raw "$2" "$3"
    if [ "$RAW_VERDICT" = OPEN ] && [ "$(cat "$WORK/body")" = "app user=-" ]; then
        pass "$1: the API location https://$2$3 stays open"
    else
        violation "$1: the API location https://$2$3 answers $RAW_STATUS $RAW_VERDICT"
    fi
    verify_agrees "$1" "$2" "$3"
}

# unprotect_restores APP BEFORE_DIR HOST PATH: property 4.
unprotect_restores() {
    ngxauth unprotect "$1" >"$OUT" 2>"$ERR" || { violation "unprotect $1: exit $?"; return; }
    if diff -r -x .ngxconf "$2" "$TREE" >"$WORK/diff.out"; then
        pass "$1: unprotect gave every byte back"
    else
        violation "$1: unprotect did not give the bytes back: $(head -c 300 "$WORK/diff.out")"
    fi
    check_main "$1" "$3" "$4"
    [ "$RAW_VERDICT" = OPEN ] || violation "$1: unprotected, but the anonymous request: $RAW_VERDICT"
}

# doctor_refuses: `doctor` exits 3 naming a half state: location-level on with server-level
# off (swag.half_protected), server-level on with a carrying location off
# (swag.not_protected), or a location left open (swag.location_open).
doctor_refuses() {
    ngxauth --json doctor >"$OUT" 2>"$ERR"
    local rc=$?
    if [ $rc -eq 3 ] && grep -Eq '"swag\.(half_protected|not_protected|location_open)"' "$OUT"; then
        pass "doctor: exit 3 naming the half state"
    else
        violation "doctor on a half-protected app: exit $rc, expected 3 naming the half state"
    fi
}

# --- hand damage -----------------------------------------------------------------------------

# edit_conf FILE PYTHON: runs PYTHON with `s` the file's text (bytes kept as they are) and
# writes `s` back; fails when nothing changed.
edit_conf() {
    python3 - "$1" "$2" <<'PY' || fail "could not damage $(basename "$1")"
import sys
path, code = sys.argv[1], sys.argv[2]
with open(path, newline="") as f:
    s = f.read()
before = s
exec(code)
if s == before:
    sys.exit(1)
with open(path, "w", newline="") as f:
    f.write(s)
PY
}

LOC='#include /config/nginx/authentik-location.conf;'
SRV='#include /config/nginx/authentik-server.conf;'
DOCKGE=proxy-confs/dockge.subdomain.conf

# damaged_scenario EXPECT APP HOST PATH: the tree is already damaged; EXPECT is
# "refuse:CODE" (protect must refuse with CODE) or "any" (exit 0 and the login, or a refusal
# that writes nothing). Checks the damaged tree, protect, then protect --insert.
damaged_scenario() {
    local expect=$1 app=$2 host=$3 path=$4
    check_main "$app" "$host" "$path"
    protect_try "$app"
    case $expect in
        refuse:*) expect_refusal "${expect#refuse:}" ;;
    esac
    if [ "$PROTECT_RC" -eq 0 ]; then
        check_main "$app" "$host" "$path" login
        [ "$RAW_VERDICT" != login ] || with_cookie "$app" "$host" "$path"
    else
        check_main "$app" "$host" "$path"
        protect_try "$app" --insert
        if [ "$PROTECT_RC" -eq 0 ]; then
            check_main "$app" "$host" "$path" login
            [ "$RAW_VERDICT" != login ] || with_cookie "$app" "$host" "$path"
        fi
    fi
    scenario_end
}

# --- setup ------------------------------------------------------------------------------------

nginx_harness_init "$WORK/harness" || fail "certificate or DH parameters not made"
[ -z "$NGINX_HARNESS_SKIP" ] || skip_or_fail "$NGINX_HARNESS_SKIP"
cp -a "$FIXTURES" "$BASE"
for conf in dockge.subdomain radarr.subdomain jellyfin.subdomain sonarr.subfolder; do
    upstream_to "$BASE/proxy-confs/$conf.conf" "$APP_PORT"
done
outpost_to_standin
rm -rf "$BASE/.ngxconf"
start_standins

# --- pristine apps ----------------------------------------------------------------------------

scenario_begin dockge "pristine subdomain app"
cp -a "$TREE" "$WORK/before"
check_main dockge "dockge.$DOMAIN" /
protect_try dockge
[ "$PROTECT_RC" -eq 0 ] || violation "protect dockge: exit $PROTECT_RC ($PROTECT_CODE)"
check_main dockge "dockge.$DOMAIN" / login
with_cookie dockge "dockge.$DOMAIN" /
unprotect_restores dockge "$WORK/before" "dockge.$DOMAIN" /
rm -rf "$WORK/before"
scenario_end

scenario_begin radarr "an API location left open on purpose"
cp -a "$TREE" "$WORK/before"
protect_try radarr
[ "$PROTECT_RC" -eq 0 ] || violation "protect radarr: exit $PROTECT_RC ($PROTECT_CODE)"
check_main radarr "radarr.$DOMAIN" / login
with_cookie radarr "radarr.$DOMAIN" /
api_open radarr "radarr.$DOMAIN" /api/v3/system/status
unprotect_restores radarr "$WORK/before" "radarr.$DOMAIN" /
rm -rf "$WORK/before"
scenario_end

scenario_begin sonarr "subfolder app (server-level line in site-confs/default.conf)"
cp -a "$TREE" "$WORK/before"
check_main sonarr "$DOMAIN" /sonarr/
protect_try sonarr
[ "$PROTECT_RC" -eq 0 ] || violation "protect sonarr: exit $PROTECT_RC ($PROTECT_CODE)"
check_main sonarr "$DOMAIN" /sonarr/ login
with_cookie sonarr "$DOMAIN" /sonarr/
api_open sonarr "$DOMAIN" /sonarr/api/v3/system/status
unprotect_restores sonarr "$WORK/before" "$DOMAIN" /sonarr/
rm -rf "$WORK/before"
scenario_end

scenario_begin jellyfin "no auth lines at all: refused, then --insert"
damaged_scenario refuse:swag.no_auth_lines jellyfin "jellyfin.$DOMAIN" /

# --- hand-damaged confs -----------------------------------------------------------------------

scenario_begin a-deleted "the location-level line deleted"
edit_conf "$TREE/$DOCKGE" "s = s.replace('        $LOC\n', '', 1)"
damaged_scenario refuse:swag.location_open dockge "dockge.$DOMAIN" /

scenario_begin b-double-hash "the location-level line written as ##include by hand"
edit_conf "$TREE/$DOCKGE" "s = s.replace('        $LOC', '        #$LOC', 1)"
damaged_scenario refuse:swag.location_open dockge "dockge.$DOMAIN" /

scenario_begin c-location-only "only the location-level line enabled"
edit_conf "$TREE/$DOCKGE" "s = s.replace('$LOC', '${LOC#\#}', 1)"
doctor_refuses
damaged_scenario any dockge "dockge.$DOMAIN" /

scenario_begin d-server-only "only the server-level line enabled"
edit_conf "$TREE/$DOCKGE" "s = s.replace('$SRV', '${SRV#\#}', 1)"
doctor_refuses
damaged_scenario any dockge "dockge.$DOMAIN" /

scenario_begin e-secondary "the location-level line only in the API location"
edit_conf "$TREE/proxy-confs/radarr.subdomain.conf" "
s = s.replace('        $LOC\n', '', 1)
s = s.replace('location ~ (/radarr)?/api {\n', 'location ~ (/radarr)?/api {\n        $LOC\n', 1)"
damaged_scenario refuse:swag.location_open radarr "radarr.$DOMAIN" /

scenario_begin f-other-server "the server-level line in another server block"
edit_conf "$TREE/$DOCKGE" "
s = s.replace('    $SRV\n', '', 1)
s += '''
server {
    listen 443 ssl;
    listen [::]:443 ssl;

    server_name dockge-admin.*;

    include /config/nginx/ssl.conf;

    # enable for Authentik (requires authentik-location.conf in the location block)
    $SRV

    location / {
        return 204;
    }
}
'''"
damaged_scenario any dockge "dockge.$DOMAIN" /

# --- a damaged provider file -----------------------------------------------------------------

scenario_begin g-no-endpoints "authentik-server.conf without the /outpost.goauthentik.io locations"
edit_conf "$TREE/authentik-server.conf" "
import re
s = re.sub(r'location (\\^~|=) /outpost\\.goauthentik\\.io[^{]*\\{.*?\\n\\}\\n', '', s, flags=re.S)"
! grep -q 'location.*/outpost.goauthentik.io' "$TREE/authentik-server.conf" ||
    fail "the outpost locations are still in authentik-server.conf"
damaged_scenario refuse:swag.provider_file_invalid dockge "dockge.$DOMAIN" /

scenario_begin h-unparsable "authentik-server.conf does not parse (a block left open)"
edit_conf "$TREE/authentik-server.conf" "s += 'location /left-open {\\n'"
damaged_scenario refuse:swag.provider_file_invalid dockge "dockge.$DOMAIN" /

nginx_harness_stop
echo "served damaged: $scenarios scenarios, $total_requests requests," \
    "$total_agree verdicts agree, $violations violations"
if [ "$violations" -ne 0 ]; then
    echo "$passed passed, $violations failed"
    exit 1
fi
echo "$passed passed, 0 failed"
