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

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR
. "$HERE/served_lib.sh"
served_begin served-e2e "$@"

TREE=$WORK/nginx   # the tree ngxauth edits; nginx serves a staged copy of it
OUT=$WORK/stdout
ERR=$WORK/stderr
FAIL_EXTRA_LOG=$WORK/harness/run/logs/error.log   # fail (e2e_lib.sh) shows its end
passed=0
requests=0
agree=0

# --- setup ------------------------------------------------------------------------------

nginx_harness_init "$WORK/harness" || fail "certificate or DH parameters not made"
[ -z "$NGINX_HARNESS_SKIP" ] || skip_or_fail "$NGINX_HARNESS_SKIP"
cp -a "$FIXTURES" "$TREE"
for app in dockge radarr; do upstream_to "$TREE/proxy-confs/$app.subdomain.conf" "$APP_PORT"; done
upstream_to "$TREE/proxy-confs/sonarr.subfolder.conf" "$APP_PORT"
upstream_to "$TREE/proxy-confs/jellyfin.subdomain.conf" 9   # nothing listens: a 502
outpost_to_standin
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
ngxauth protect radarr --verify --domain "$DOMAIN" --connect 127.0.0.1:443 --insecure --timeout 10 \
    >"$OUT" 2>"$ERR"
rc=$?
[ $rc -eq 0 ] || fail "protect radarr --verify (protected and served): exit $rc, expected 0"
requests=$((requests + 1))
pass "protect --verify of a protected, served app: exit 0 (login)"

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
echo "$passed passed, 0 failed"
echo "served e2e: $requests requests, $agree verdicts agree"
