#!/usr/bin/env bash
# The whole SWAG corpus protected and served at once: fixtures/swag's shared files plus every
# corpus proxy-confs/*.subdomain.conf.sample, activated with its upstream on the app stand-in,
# `ngxauth protect APP` for each, then one nginx serving all of them (tests/e2e/served_lib.sh:
# private network namespace, stand-in outpost and app). With nginx as the oracle:
#   - every app protect accepted asks an anonymous visitor to log in;
#   - `status --json` "protected": true  =>  login;
#   - an anonymous request reaching the app  =>  status says "protected": false and names the
#     problem (an error, or a location whose "verdict" is "OPEN" or "broken");
#   - with the session cookie, every app that asks for the login lets the user in;
#   - `ngxauth verify --domain` gives each protected app the raw request's verdict.
#
#   tests/e2e/served_corpus_e2e.sh NGXAUTH FIXTURES_SWAG [CORPUS_DIR]
#
# $NGXCONF_CORPUS (else CORPUS_DIR) holds swag/proxy-confs. Without it, or without root,
# unshare, nginx, openssl, curl or python3: skipped (exit 77), a failure under CI=true.
# Prints "corpus: N apps, A accepted, L login, R refused (by code ...), S skipped".
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR
. "$HERE/served_lib.sh"

served_begin served-corpus "$@"
CORPUS=${NGXCONF_CORPUS:-${3:-}}
if [ -z "$CORPUS" ] || [ ! -d "$CORPUS/swag/proxy-confs" ]; then
    skip_or_fail "corpus not found at '$CORPUS' (set NGXCONF_CORPUS)"
fi
CORPUS=$(realpath "$CORPUS")

OUT=$WORK/stdout
ERR=$WORK/stderr
FAIL_EXTRA_LOG=$WORK/harness/run/logs/error.log
TREE=$WORK/nginx
passed=0
requests=0
agree=0
violations=0
started=$SECONDS

violation() {
    violations=$((violations + 1))
    echo "FAIL - $*"
}

# --- the tree: fixtures/swag's shared files, every corpus subdomain sample activated -----------

nginx_harness_init "$WORK/harness" || fail "certificate or DH parameters not made"
[ -z "$NGINX_HARNESS_SKIP" ] || skip_or_fail "$NGINX_HARNESS_SKIP"
mkdir -p "$TREE/proxy-confs"
cp "$FIXTURES"/*.conf "$TREE/"
cp -a "$FIXTURES/site-confs" "$TREE/"
outpost_to_standin
rm -rf "$TREE/.ngxconf"

# upstream_on_standin FILE: every `set $upstream_app/_port/_proto` now names the app stand-in
# (http on loopback); returns 1 when some upstream line has another shape (kept as it was).
# shellcheck disable=SC2016 # nginx's variables, not the shell's
upstream_on_standin() {
    sed -i -e 's/^\( *\)set \$upstream_app [A-Za-z0-9_.-]*;/\1set $upstream_app 127.0.0.1;/' \
        -e "s/^\\( *\\)set \\\$upstream_port [0-9]*;/\\1set \$upstream_port $APP_PORT;/" \
        -e 's/^\( *\)set \$upstream_proto https;/\1set $upstream_proto http;/' "$1"
    grep -q '^ *set \$upstream_app 127\.0\.0\.1;' "$1" || return 1
    ! grep -E '^ *set \$upstream_(app|port|proto) ' "$1" |
        grep -Evq "set \\\$upstream_(app 127\\.0\\.0\\.1|port $APP_PORT|proto http);"
}

apps=()
skipped=()
for sample in "$CORPUS"/swag/proxy-confs/*.subdomain.conf.sample; do
    conf=$TREE/proxy-confs/$(basename "$sample" .sample)
    cp "$sample" "$conf"
    cp "$sample" "$TREE/proxy-confs/"  # SWAG keeps every .sample beside the active confs
    app=$(basename "$conf" .subdomain.conf)
    if upstream_on_standin "$conf"; then
        apps+=("$app")
    else
        skipped+=("$app(upstream)")
        rm "$conf"
    fi
done
pass "${#apps[@]} corpus subdomain confs activated on the app stand-in (${#skipped[@]} skipped)"

# --- protect each app --------------------------------------------------------------------------

declare -A outcome   # app -> "accepted" or the refusal's error code
declare -A refused_by
accepted=0
for app in "${apps[@]}"; do
    ngxauth --json protect "$app.subdomain" >"$OUT" 2>"$ERR"
    rc=$?
    if [ $rc -eq 0 ]; then
        outcome[$app]=accepted
        accepted=$((accepted + 1))
        continue
    fi
    code=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["error"]["code"])' <"$OUT" \
        2>/dev/null) || code="exit-$rc"
    outcome[$app]=$code
    refused_by[$code]=$(( ${refused_by[$code]:-0} + 1 ))
done
pass "protect: $accepted accepted of ${#apps[@]} ($((SECONDS - started)) s so far)"

# --- one nginx for all: drop the confs nginx refuses, one by one --------------------------------

tries=0
while ! nginx_harness_test "$TREE"; do
    tries=$((tries + 1))
    bad=$(grep -o 'proxy-confs/[^: ]*\.subdomain\.conf' "$NGINX_HARNESS_LOG" | head -n 1)
    if [ -z "$bad" ] || [ $tries -gt 40 ] || [ ! -e "$TREE/$bad" ]; then
        cat "$NGINX_HARNESS_LOG"
        fail "nginx -t fails on something else than one proxy-conf"
    fi
    app=$(basename "$bad" .subdomain.conf)
    echo "  nginx refuses $bad: $(grep -m1 'emerg' "$NGINX_HARNESS_LOG" | sed 's/^.*\[emerg\] \([0-9#]*: \)\{0,1\}//')"
    rm "$TREE/$bad"
    skipped+=("$app(nginx: ${outcome[$app]})")
    [ "${outcome[$app]}" != accepted ] || accepted=$((accepted - 1))
    [ "${outcome[$app]}" = accepted ] ||
        refused_by[${outcome[$app]}]=$(( ${refused_by[${outcome[$app]}]} - 1 ))
    unset "outcome[$app]"
done
served=("${!outcome[@]}")
pass "nginx -t accepts ${#served[@]} confs at once ($tries dropped; $((SECONDS - started)) s so far)"
start_standins
serve "corpus"

# --- what status says, what nginx does, what verify says -----------------------------------------

ngxauth --json status >"$WORK/status.json" 2>"$ERR" || fail "status --json: exit $?"

# host_of APP: its first `server_name NAME.*`, as NAME.$DOMAIN (else APP.$DOMAIN).
host_of() {
    local name
    name=$(grep -m1 -Eo '^\s*server_name\s+[^ ;]+' "$TREE/proxy-confs/$1.subdomain.conf" |
        awk '{print $2}')
    case $name in
        *.\*) echo "${name%.\*}.$DOMAIN" ;;
        *) echo "$1.$DOMAIN" ;;
    esac
}

for app in "${served[@]}"; do echo "$app $(host_of "$app")"; done >"$WORK/hosts"

# fetch_all TAG [CURL_ARGS...]: one request to every served app's main URL, all from one curl
# (many transfers at once, every host to nginx on loopback); bodies in $WORK/TAG/APP, one
# line "URL STATUS REDIRECT SECONDS" per transfer in $WORK/TAG.txt.
fetch_all() {
    local tag=$1 app host
    shift
    mkdir -p "$WORK/$tag"
    while read -r app host; do
        printf 'url = "https://%s/"\noutput = "%s"\n' "$host" "$WORK/$tag/$app"
    done <"$WORK/hosts" >"$WORK/$tag.cfg"
    curl -sS -k --max-time 20 --parallel --parallel-max 12 --connect-to ::127.0.0.1:443 \
        -K "$WORK/$tag.cfg" -w '%{url_effective} %{http_code} %{redirect_url} %{time_total}\n' \
        "$@" >"$WORK/$tag.txt" 2>"$ERR"
    requests=$((requests + ${#served[@]}))
}

# refetch_unanswered TAG CURL_ARGS...: a request of a parallel run that got no answer at all
# (000: the small Python stand-ins on a busy machine) is sent once more, alone; its line is
# appended, and the later line wins when the table is read. Each retry is counted.
retries=0
refetch_unanswered() {
    local tag=$1 url code rest host app
    shift
    : >"$WORK/$tag.retry"
    while read -r url code rest; do
        [ "$code" = 000 ] || continue
        host=${url#https://}
        host=${host%/}
        app=$(awk -v h="$host" '$2 == h { print $1 }' "$WORK/hosts")
        curl -sS -k --max-time 20 --connect-to ::127.0.0.1:443 -o "$WORK/$tag/$app" \
            -w '%{url_effective} %{http_code} %{redirect_url} %{time_total}\n' "$@" "$url" \
            >>"$WORK/$tag.retry" 2>>"$ERR"
        requests=$((requests + 1))
        retries=$((retries + 1))
    done <"$WORK/$tag.txt"
    cat "$WORK/$tag.retry" >>"$WORK/$tag.txt"
}

fetch_all anonymous
refetch_unanswered anonymous
fetch_all cookie -H "Cookie: $COOKIE"
refetch_unanswered cookie -H "Cookie: $COOKIE"
[ "$retries" -eq 0 ] || echo "  $retries unanswered request(s) sent again, one at a time"
echo "  slowest requests: $(sort -k4 -g -r "$WORK/anonymous.txt" | head -n 3 | awk '{print $1, $4 "s"}' | tr '\n' ' ')"
pass "status --json and $((2 * ${#served[@]})) raw requests (with and without the cookie) ($((SECONDS - started)) s so far)"

ngxauth --json verify --connect 127.0.0.1:443 --insecure --timeout 10 --domain "$DOMAIN" \
    >"$WORK/verify.json" 2>"$ERR"
verify_rc=$?
case $verify_rc in 0|4|5) ;; *) cat "$ERR"; fail "verify --domain: exit $verify_rc" ;; esac

# One line per app: APP STATUS VERDICT REACHED_THE_APP STATUS_PROTECTED PROBLEM_NAMED
# VERIFY_VERDICT USER_WITH_COOKIE (yes, else the status code), from the raw requests, status
# and verify.
python3 - "$WORK" "$DOMAIN" "${served[@]}" >"$WORK/table.txt" <<'PY' || fail "could not read the results"
import json, os, sys
work, domain, apps = sys.argv[1], sys.argv[2], sys.argv[3:]
hosts = dict(line.split() for line in open(os.path.join(work, "hosts")))
raw = {}
for line in open(os.path.join(work, "anonymous.txt")):
    parts = line.rstrip("\n").split(" ")
    raw[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "")

cookie = {}
for line in open(os.path.join(work, "cookie.txt")):
    parts = line.split(" ")
    cookie[parts[0]] = parts[1]

def body(tag, app):
    try:
        return open(os.path.join(work, tag, app)).read()
    except OSError:
        return ""
status = {a["app"]: a for a in json.load(open(os.path.join(work, "status.json")))["apps"]
          if a["kind"] == "subdomain" and not a["file"].endswith(".sample")}
verified = {a["app"]: a["verdict"] for a in json.load(open(os.path.join(work, "verify.json")))["apps"]}

def classify(code, location):
    if code == "401":
        return "login"
    if code.startswith("3"):
        return "login" if ("/outpost.goauthentik.io/start" in location or "/if/flow/" in location) else "OPEN"
    if code.startswith("2"):
        return "OPEN"
    return "error"

for app in apps:
    code, location = raw.get(f"https://{hosts[app]}/", ("000", ""))
    st = status.get(app, {})
    verdicts = [loc.get("verdict") for loc in st.get("locations", [])]
    named = any(p.get("severity") == "error" for p in st.get("problems", [])) or \
        any(v in ("OPEN", "broken") for v in verdicts)
    print(app, code, classify(code, location), "yes" if body("anonymous", app) == "app user=-\n" else "no",
          {True: "true", False: "false"}.get(st.get("protected"), "missing"),
          "yes" if named else "no", verified.get(app, "-"),
          "yes" if body("cookie", app) == "app user=alice\n" else cookie.get(f"https://{hosts[app]}/", "000"))
PY

login=0
with_user=0
no_user=()
for app in "${served[@]}"; do
    read -r _ code verdict reached st_protected named verified user \
        < <(grep "^$app " "$WORK/table.txt")
    what=${outcome[$app]}
    if [ "$verdict" = login ]; then
        login=$((login + 1))
        if [ "$user" = yes ]; then
            with_user=$((with_user + 1))
        else
            no_user+=("$app")
            violation "$app: with the session cookie the app does not get X-authentik-username" \
                "(status $user)"
        fi
    fi
    if [ "$what" = accepted ] && [ "$verdict" != login ]; then
        violation "$app: protect accepted it, but the anonymous request answers $code ($verdict)"
    fi
    if [ "$st_protected" = true ] && [ "$verdict" != login ]; then
        violation "$app: status says protected, but the anonymous request answers $code ($verdict)"
    fi
    if [ "$verdict" = OPEN ] && [ "$reached" = yes ] &&
        { [ "$st_protected" != false ] || [ "$named" != yes ]; }; then
        violation "$app: the anonymous request reaches the app (protect: $what), but status" \
            "says protected=$st_protected, names the problem: $named"
    fi
    if [ "$verified" != - ]; then
        requests=$((requests + 1))
        if [ "$verified" = "$verdict" ]; then
            agree=$((agree + 1))
        else
            violation "$app: verify says $verified, the raw request $verdict ($code)"
        fi
    elif [ "$what" = accepted ]; then
        violation "$app: protected, but verify --domain did not check it"
    fi
done

by_code=""
for code in "${!refused_by[@]}"; do
    [ "${refused_by[$code]}" -eq 0 ] || by_code+="${by_code:+, }$code ${refused_by[$code]}"
done
refused=$((${#served[@]} - accepted))
echo "skipped: ${skipped[*]:-none}"
echo "with the session cookie: $with_user of $login login apps let alice in" \
    "(not: ${no_user[*]:-none})"
echo "served corpus: $requests requests, $agree verdicts agree ($((SECONDS - started)) s)"
echo "corpus: $((${#served[@]} + ${#skipped[@]})) apps, $accepted accepted, $login login, $refused refused" \
    "(by code: ${by_code:-none}), ${#skipped[@]} skipped"
nginx_harness_stop
if [ "$violations" -ne 0 ]; then
    echo "$passed passed, $violations failed"
    exit 1
fi
echo "$passed passed, 0 failed"
