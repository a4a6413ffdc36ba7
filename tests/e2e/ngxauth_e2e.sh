#!/usr/bin/env bash
# End-to-end tests of ngxauth on temporary copies of fixtures/swag (and of the real SWAG
# samples when the corpus is present), with nginx -t after every command that writes.
#
#   tests/e2e/ngxauth_e2e.sh NGXAUTH FIXTURES_SWAG [CORPUS_DIR]
#
# $NGXCONF_CORPUS (else CORPUS_DIR) holds swag/{nginx,proxy-confs,history}; its part is skipped
# when absent, unless CI=true. Each check prints a line; the first failure stops the script
# (exit 1) after showing the command's output. The last line is "N passed, 0 failed".
set -u

if [ $# -lt 2 ]; then
    echo "usage: $0 NGXAUTH FIXTURES_SWAG [CORPUS_DIR]" >&2
    exit 2
fi
NGXAUTH_BIN=$(realpath "$1")
FIXTURES=$(realpath "$2")
CORPUS=${NGXCONF_CORPUS:-${3:-}}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR
. "$HERE/nginx_harness.sh"
# shellcheck source-path=SCRIPTDIR
. "$HERE/e2e_lib.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ngxauth-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"  # the unprivileged-user checks must reach their tree
OUT=$WORK/stdout
ERR=$WORK/stderr
passed=0
skipped=0

# Reporting (pass, skip, fail), ngxauth and snapshot come from e2e_lib.sh.

# --- helpers ----------------------------------------------------------------------------

# expect RC DESCRIPTION -- COMMAND...: runs COMMAND (stdout/stderr kept in $OUT/$ERR) and
# checks its exit code.
# With a --root DIR among its arguments, also checks that the entries of DIR (ls -A) are
# the same afterwards, but for the state folder .ngxconf: nothing else is written there.
expect() {
    local want=$1 desc=$2
    shift 3
    local root=
    local prev=
    for arg in "$@"; do
        [ "$prev" != --root ] || root=$arg
        prev=$arg
    done
    [ -z "$root" ] || ls -A "$root" | grep -vx .ngxconf >"$WORK/entries.before"
    "$@" >"$OUT" 2>"$ERR"
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "$desc: exit $rc, expected $want"
    if [ -n "$root" ] && [ -d "$root" ]; then
        ls -A "$root" | grep -vx .ngxconf | cmp -s "$WORK/entries.before" - ||
            fail "$desc: the entries of ROOT changed: $(ls -A "$root" | tr '\n' ' ')"
    fi
    pass "$desc (exit $rc)"
}

out_has() { grep -qF -- "$1" "$OUT" || fail "stdout lacks: $1"; pass "stdout has: $1"; }
out_lacks() { ! grep -qF -- "$1" "$OUT" || fail "stdout has: $1"; pass "stdout lacks: $1"; }
err_has() { grep -qF -- "$1" "$ERR" || fail "stderr lacks: $1"; pass "stderr has: $1"; }
file_has() { grep -qF -- "$2" "$1" || fail "$(basename "$1") lacks: $2"; pass "$(basename "$1") has: $2"; }
file_lacks() { ! grep -qF -- "$2" "$1" || fail "$(basename "$1") has: $2"; pass "$(basename "$1") lacks: $2"; }
# count_of FILE TEXT N: TEXT occurs on exactly N lines of FILE.
count_of() {
    local n
    n=$(grep -cF -- "$2" "$1")
    [ "$n" -eq "$3" ] || fail "$(basename "$1"): '$2' on $n lines, expected $3"
    pass "$(basename "$1"): '$2' on $3 lines"
}

# A fresh copy of the fixture tree; prints its path.
fresh() {
    local dir=$WORK/$1
    rm -rf "$dir"
    cp -a "$FIXTURES" "$dir"
    echo "$dir"
}

# same_bytes A B DESCRIPTION: two files (or trees, the state folder .ngxconf with its history
# aside) are byte-identical.
same_bytes() {
    if [ -d "$1" ]; then
        diff -r -x .ngxconf "$1" "$2" >"$WORK/diff.out" 2>&1 ||
            { head -40 "$WORK/diff.out"; fail "$3"; }
    else
        cmp -s "$1" "$2" || { diff "$1" "$2" | head -40; fail "$3"; }
    fi
    pass "$3"
}

json_ok() {
    if command -v jq >/dev/null 2>&1; then
        jq -e . "$OUT" >/dev/null || fail "$1: stdout is not JSON"
    elif command -v python3 >/dev/null 2>&1; then
        python3 -m json.tool "$OUT" >/dev/null || fail "$1: stdout is not JSON"
    else
        skip "$1: no jq or python3 to read JSON"
        return
    fi
    pass "$1: valid JSON"
}

# json_check EXPR DESCRIPTION: the Python expression EXPR is true of the JSON on stdout (`d`),
# with codes(d) the "code" of every object in it. Refusals and notes are checked this way, by
# code, never by their English text.
json_check() {
    if ! command -v python3 >/dev/null 2>&1; then
        [ "${CI:-}" != true ] || fail "$2: python3 is needed to read JSON"
        skip "$2: no python3 to read JSON"
        return
    fi
    python3 - "$OUT" "$1" <<'PY' || fail "$2"
import json, sys
def codes(v):
    if isinstance(v, dict):
        return ([v["code"]] if "code" in v else []) + [c for x in v.values() for c in codes(x)]
    if isinstance(v, list):
        return [c for x in v for c in codes(x)]
    return []
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
    pass "$2"
}
# json_code CODE: some object of the JSON on stdout has "code": CODE.
json_code() { json_check "'$1' in codes(d)" "JSON has code $1"; }

# nginx_ok TREE DESCRIPTION: nginx -t accepts the tree.
nginx_ok() {
    if [ -n "$NGINX_HARNESS_SKIP" ]; then
        [ "${CI:-}" != true ] || fail "nginx -t: $NGINX_HARNESS_SKIP"
        skip "nginx -t $2: $NGINX_HARNESS_SKIP"
        return
    fi
    nginx_harness_test "$1" || { cat "$NGINX_HARNESS_LOG"; fail "nginx -t $2"; }
    pass "nginx -t $2"
}

# nginx_reads TREE FILE [no]: nginx -T reads FILE (a path relative to the tree), or not.
nginx_reads() {
    [ -z "$NGINX_HARNESS_SKIP" ] || { skip "nginx -T: $NGINX_HARNESS_SKIP"; return; }
    nginx_harness_files "$1" >"$WORK/nginx-files" || fail "nginx -T failed"
    if [ "${3:-}" = no ]; then
        ! grep -qxF -- "$2" "$WORK/nginx-files" || fail "nginx -T reads $2"
        pass "nginx -T does not read $2"
    else
        grep -qxF -- "$2" "$WORK/nginx-files" || fail "nginx -T does not read $2"
        pass "nginx -T reads $2"
    fi
}

nginx_harness_init "$WORK/nginx" || fail "could not make a test certificate with openssl"

# --- fixtures: read-only commands ----------------------------------------------------------

echo "# fixtures/swag: status, doctor, usage"
T=$(fresh status)
snapshot "$T" >"$WORK/snap.before"
nginx_ok "$T" "on the untouched fixture tree"
nginx_reads "$T" authentik-server.conf no
expect 0 "status" -- ngxauth --root "$T" status
for app in dockge radarr kasm sonarr jellyfin bookstack gitea; do out_has "$app"; done
out_has "APP"
out_has "PROBLEMS"
expect 0 "status --json" -- ngxauth --root "$T" status --json
json_ok "status --json"
json_check "d['ok'] and d['recovered'] == [] and [p['code'] for a in d['apps'] if a['app'] == 'radarr' for p in a['problems']] == ['swag.version_differs']" \
    "status --json: radarr's problem is swag.version_differs"
json_check "all(p['severity'] in ('info', 'warning', 'error') for a in d['apps'] for p in a['problems'])" \
    "status --json: every problem has a severity"
expect 0 "NGXAUTH_ROOT instead of --root" -- env NGXAUTH_ROOT="$T" "$NGXAUTH_BIN" status
out_has "dockge"
expect 0 "doctor" -- ngxauth --root "$T" doctor
expect 0 "doctor --json" -- ngxauth --root "$T" --json doctor
json_ok "doctor --json"
json_code "swag.file_present"
json_code "swag.plain_http_upstream"
json_check "d['ok'] and d['recovered'] == [] and all(f['code'] != 'none' and f['severity'] == f['level'] for f in d['findings'])" \
    "doctor --json: every finding has a code and a severity"
expect 0 "--help" -- ngxauth --help
out_has "Exit codes"
expect 2 "unknown command" -- ngxauth --root "$T" frobnicate
expect 2 "protect without APP" -- ngxauth --root "$T" protect
expect 2 "unknown option" -- ngxauth --root "$T" protect dockge --frobnicate
expect 2 "--port out of range" -- ngxauth --root "$T" switch-upstream x --port 70000
expect 2 "--scheme ftp" -- ngxauth --root "$T" switch-upstream x --scheme ftp
expect 2 "--provider unknown" -- ngxauth --root "$T" protect dockge --provider keycloak
expect 2 "a mistyped command" -- ngxauth --root "$T" --json protec dockge
json_check "d['ok'] is False and d['error']['code'] == 'usage.invalid' and d['error']['suggestions'] == ['protect']" \
    "a mistyped command: usage.invalid, did you mean protect"
expect 2 "a mistyped option" -- ngxauth --roo "$T" --json status
json_check "d['error']['code'] == 'usage.invalid' and d['error']['suggestions'] == ['--root']" \
    "a mistyped option: usage.invalid, did you mean --root"
expect 2 "--validate ''" -- ngxauth --root "$T" --validate '' status
expect 2 "--validate-timeout without --validate" -- ngxauth --root "$T" --validate-timeout 3 status
expect 0 "--provider Authelia (as the docs spell it)" -- ngxauth --root "$T" --json --dry-run unprotect bookstack --provider Authelia
json_check "[c['what'] for c in d['changes']] == ['disable', 'disable']" "--provider Authelia: its two lines would be disabled"
expect 0 "unprotect an app another provider protects" -- ngxauth --root "$T" --json --dry-run unprotect bookstack
json_check "[n['code'] for n in d['notes']] == ['swag.not_protected_by', 'swag.other_provider_enabled']" \
    "unprotect bookstack: not protected by authentik, authelia is on"
if command -v script >/dev/null 2>&1; then
    script -qec "$NGXAUTH_BIN --root $T status" /dev/null >"$OUT" 2>&1
    grep -q $'\e\[' "$OUT" || fail "status on a terminal: no colour"
    TERM=dumb script -qec "$NGXAUTH_BIN --root $T status" /dev/null >"$OUT" 2>&1
    grep -q $'\e\[' "$OUT" && fail "status on a TERM=dumb terminal: colour"
    pass "colour on a terminal, none when TERM=dumb"
else
    [ "${CI:-}" != true ] || fail "script(1) is needed to test colour on a terminal"
    skip "colour on a terminal: no script(1)"
fi
expect 3 "--root that is no SWAG tree" -- ngxauth --root "$WORK/nowhere" status
err_has "ngxauth: "
expect 3 "--json --root that is no SWAG tree" -- ngxauth --root "$WORK/nowhere" --json status
json_check "d['ok'] is False and d['error']['code'] == 'swag.root_not_found'" "refusal code swag.root_not_found"
unchanged "$T" "$WORK/snap.before" "read-only commands"
T2=$(fresh names)
for n in radarr-4k app10 app2; do cp "$T2/proxy-confs/radarr.subdomain.conf" "$T2/proxy-confs/$n.subdomain.conf"; done
expect 0 "status --json of names people sort" -- ngxauth --root "$T2" --json status
json_check "[a['app'] for a in d['apps'] if a['app'] in ('app2', 'app10', 'radarr', 'radarr-4k')] == ['app2', 'app10', 'radarr', 'radarr-4k']" \
    "status sorts app2 before app10 and radarr before radarr-4k"

# --- protect / unprotect dockge --------------------------------------------------------------

echo "# fixtures/swag: protect and unprotect dockge"
T=$(fresh dockge)
D=$T/proxy-confs/dockge.subdomain.conf
snapshot "$T" >"$WORK/snap.before"
expect 0 "--dry-run protect dockge" -- ngxauth --root "$T" --dry-run protect dockge
out_has "+    include /config/nginx/authentik-server.conf;"
out_has "+        include /config/nginx/authentik-location.conf;"
out_has "-    #include /config/nginx/authentik-server.conf;"
out_has "dockge.subdomain.conf"
out_lacks "kasm.subdomain.conf"
unchanged "$T" "$WORK/snap.before" "--dry-run"
expect 1 "--check protect dockge" -- ngxauth --root "$T" --check protect dockge
out_has "dockge.subdomain.conf"
unchanged "$T" "$WORK/snap.before" "--check"
expect 1 "--check --dry-run protect dockge" -- ngxauth --root "$T" --check --dry-run protect dockge
unchanged "$T" "$WORK/snap.before" "--check --dry-run"
expect 0 "protect dockge --dry-run (options after the command)" -- \
    ngxauth --root "$T" protect dockge --dry-run
unchanged "$T" "$WORK/snap.before" "trailing --dry-run"
expect 0 "--json --dry-run protect dockge" -- ngxauth --root "$T" --json --dry-run protect dockge
json_ok "--json --dry-run protect dockge"
unchanged "$T" "$WORK/snap.before" "--json --dry-run"

expect 0 "protect dockge" -- ngxauth --root "$T" protect dockge
out_has "proxy-confs/dockge.subdomain.conf"
count_of "$D" "    include /config/nginx/authentik-server.conf;" 1
count_of "$D" "        include /config/nginx/authentik-location.conf;" 1
count_of "$D" "#include /config/nginx/authelia" 2
diff "$FIXTURES/proxy-confs/dockge.subdomain.conf" "$D" | grep -c '^[<>]' >"$WORK/n"
[ "$(cat "$WORK/n")" -eq 4 ] || fail "protect dockge changed more than 2 lines"
pass "protect dockge changed exactly 2 lines"
file_has "$D" "## Version 2025/07/18"
nginx_ok "$T" "after protect dockge"
nginx_reads "$T" authentik-server.conf
nginx_reads "$T" authentik-location.conf

snapshot "$T" >"$WORK/snap.before"
expect 0 "protect dockge again" -- ngxauth --root "$T" protect dockge
expect 0 "--json protect dockge again" -- ngxauth --root "$T" --json protect dockge
json_check "d['changed'] is False and d['changes'] == []" "protect dockge again: no change"
json_code "swag.already_protected"
expect 0 "--check protect dockge when protected" -- ngxauth --root "$T" --check protect dockge
unchanged "$T" "$WORK/snap.before" "protect twice"

expect 0 "unprotect dockge" -- ngxauth --root "$T" unprotect dockge
same_bytes "$FIXTURES/proxy-confs/dockge.subdomain.conf" "$D" "unprotect dockge: byte-identical"
same_bytes "$FIXTURES" "$T" "unprotect dockge: whole tree byte-identical"
nginx_ok "$T" "after unprotect dockge"
nginx_reads "$T" authentik-server.conf no
expect 0 "unprotect dockge again" -- ngxauth --root "$T" unprotect dockge

# --- mode and owner ----------------------------------------------------------------------------

echo "# fixtures/swag: mode and owner kept"
T=$(fresh owner)
D=$T/proxy-confs/dockge.subdomain.conf
if [ "$(id -u)" -eq 0 ]; then
    chmod 640 "$D"
    chown 1234:1234 "$D"
    expect 0 "protect dockge (640, 1234:1234)" -- ngxauth --root "$T" protect dockge
    [ "$(stat -c '%a %u:%g' "$D")" = "640 1234:1234" ] ||
        fail "mode/owner now $(stat -c '%a %u:%g' "$D")"
    pass "mode 640 and owner 1234:1234 kept"
    expect 0 "unprotect dockge (640, 1234:1234)" -- ngxauth --root "$T" unprotect dockge
    [ "$(stat -c '%a %u:%g' "$D")" = "640 1234:1234" ] || fail "mode/owner lost on unprotect"
    pass "mode and owner kept by unprotect"
else
    skip "mode/owner check needs root (chown)"
fi

# --- every shape --------------------------------------------------------------------------------

echo "# fixtures/swag: kasm (2 servers), sonarr (subfolder), radarr (API), gitea (CRLF)"
T=$(fresh shapes)
expect 0 "protect kasm" -- ngxauth --root "$T" protect kasm
count_of "$T/proxy-confs/kasm.subdomain.conf" "    include /config/nginx/authentik-server.conf;" 2
count_of "$T/proxy-confs/kasm.subdomain.conf" "        include /config/nginx/authentik-location.conf;" 2
nginx_ok "$T" "after protect kasm"

expect 0 "protect sonarr (subfolder)" -- ngxauth --root "$T" protect sonarr
count_of "$T/site-confs/default.conf" "    include /config/nginx/authentik-server.conf;" 1
count_of "$T/site-confs/default.conf" "        #include /config/nginx/authentik-location.conf;" 1
count_of "$T/proxy-confs/sonarr.subfolder.conf" "    include /config/nginx/authentik-location.conf;" 1
out_has "site-confs/default.conf"
nginx_ok "$T" "after protect sonarr"
nginx_reads "$T" authentik-location.conf

expect 0 "protect radarr (API location stays open)" -- ngxauth --root "$T" protect radarr
count_of "$T/proxy-confs/radarr.subdomain.conf" "        include /config/nginx/authentik-location.conf;" 1
sed -n '/location ~ (\/radarr)?\/api/,/}/p' "$T/proxy-confs/radarr.subdomain.conf" >"$WORK/api"
file_lacks "$WORK/api" "authentik"
nginx_ok "$T" "after protect radarr"

expect 0 "protect gitea (CRLF)" -- ngxauth --root "$T" protect gitea
count_of "$T/proxy-confs/gitea.subdomain.conf" $'    include /config/nginx/authentik-server.conf;\r' 1
[ "$(grep -cv $'\r$' "$T/proxy-confs/gitea.subdomain.conf")" -eq 0 ] || fail "gitea lost a CR"
pass "gitea: every line still ends in CRLF"
nginx_ok "$T" "after protect gitea"

expect 0 "status after protecting 4 apps" -- ngxauth --root "$T" status
grep -E '^dockge +subdomain +- ' "$OUT" >/dev/null || fail "dockge row should show no provider"
pass "status: dockge row shows no provider"
grep -E '^kasm +subdomain +authentik +on ' "$OUT" >/dev/null || fail "kasm row not protected"
pass "status: kasm row shows authentik on"
grep -E '^bookstack +subdomain +authelia ' "$OUT" >/dev/null || fail "bookstack row lacks authelia"
pass "status: bookstack row shows authelia"

for app in gitea radarr sonarr kasm; do
    expect 0 "unprotect $app" -- ngxauth --root "$T" unprotect "$app"
done
same_bytes "$FIXTURES" "$T" "protect+unprotect of 4 shapes: whole tree byte-identical"
nginx_ok "$T" "after unprotecting everything"

# --- options that change the conf: --replace, --insert, --from-sample ------------------------------

echo "# fixtures/swag: --replace, --insert, --from-sample"
T=$(fresh options)
snapshot "$T" >"$WORK/snap.before"
expect 3 "protect bookstack (Authelia on)" -- ngxauth --root "$T" protect bookstack
expect 3 "--json protect bookstack (Authelia on)" -- ngxauth --root "$T" --json protect bookstack
json_check "d['error']['code'] == 'swag.other_provider_enabled'" "refusal code swag.other_provider_enabled"
unchanged "$T" "$WORK/snap.before" "other provider refused"
expect 0 "protect bookstack --replace" -- ngxauth --root "$T" protect bookstack --replace
file_has "$T/proxy-confs/bookstack.subdomain.conf" "    #include /config/nginx/authelia-server.conf;"
file_has "$T/proxy-confs/bookstack.subdomain.conf" "    include /config/nginx/authentik-server.conf;"
nginx_ok "$T" "after protect bookstack --replace"

snapshot "$T" >"$WORK/snap.before"
expect 3 "protect jellyfin (no auth lines)" -- ngxauth --root "$T" protect jellyfin
expect 3 "--json protect jellyfin (no auth lines)" -- ngxauth --root "$T" --json protect jellyfin
json_check "d['error']['code'] == 'swag.no_auth_lines'" "refusal code swag.no_auth_lines"
unchanged "$T" "$WORK/snap.before" "no auth lines refused"
expect 0 "protect jellyfin --insert" -- ngxauth --root "$T" protect jellyfin --insert
file_has "$T/proxy-confs/jellyfin.subdomain.conf" "include /config/nginx/authentik-server.conf;"
file_has "$T/proxy-confs/jellyfin.subdomain.conf" "include /config/nginx/authentik-location.conf;"
nginx_ok "$T" "after protect jellyfin --insert"
expect 0 "protect jellyfin --insert again" -- ngxauth --root "$T" --json protect jellyfin --insert
json_code "swag.already_protected"

snapshot "$T" >"$WORK/snap.before"
expect 3 "protect dokuwiki (.sample only)" -- ngxauth --root "$T" protect dokuwiki
expect 3 "--json protect dokuwiki (.sample only)" -- ngxauth --root "$T" --json protect dokuwiki
json_check "d['error']['code'] == 'swag.sample_only'" "refusal code swag.sample_only"
unchanged "$T" "$WORK/snap.before" "sample-only refused"
expect 0 "protect dokuwiki --from-sample" -- ngxauth --root "$T" protect dokuwiki --from-sample
[ -f "$T/proxy-confs/dokuwiki.subdomain.conf" ] || fail "dokuwiki.subdomain.conf not created"
pass "dokuwiki.subdomain.conf created"
same_bytes "$FIXTURES/proxy-confs/dokuwiki.subdomain.conf.sample" \
    "$T/proxy-confs/dokuwiki.subdomain.conf.sample" "the .sample is left alone"
file_has "$T/proxy-confs/dokuwiki.subdomain.conf" "    include /config/nginx/authentik-server.conf;"
nginx_ok "$T" "after protect dokuwiki --from-sample"
nginx_reads "$T" proxy-confs/dokuwiki.subdomain.conf

# --- unprotect in a later run: the exact reverse of protect --insert / --from-sample ----------

echo "# fixtures/swag: unprotect reverses --insert and --from-sample across runs"
T=$(fresh reverse)
J=$T/proxy-confs/jellyfin.subdomain.conf
expect 0 "protect jellyfin --insert" -- ngxauth --root "$T" protect jellyfin --insert
expect 0 "--json --dry-run unprotect jellyfin" -- ngxauth --root "$T" --json --dry-run unprotect jellyfin
json_check "[c['what'] for c in d['changes']] == ['remove'] * 4" "unprotect jellyfin: the inserted lines and their comments go"
expect 0 "unprotect jellyfin (a later run)" -- ngxauth --root "$T" unprotect jellyfin
same_bytes "$FIXTURES/proxy-confs/jellyfin.subdomain.conf" "$J" "unprotect jellyfin: byte-identical"
expect 0 "protect dokuwiki --from-sample" -- ngxauth --root "$T" protect dokuwiki --from-sample
[ -f "$T/proxy-confs/dokuwiki.subdomain.conf" ] || fail "dokuwiki.subdomain.conf not created"
pass "dokuwiki.subdomain.conf created"
expect 0 "--json --dry-run unprotect dokuwiki" -- ngxauth --root "$T" --json --dry-run unprotect dokuwiki
json_check "[c['what'] for c in d['changes']] == ['deactivate']" "unprotect dokuwiki: deactivate"
expect 0 "unprotect dokuwiki (a later run)" -- ngxauth --root "$T" unprotect dokuwiki
[ ! -e "$T/proxy-confs/dokuwiki.subdomain.conf" ] || fail "dokuwiki.subdomain.conf still there"
pass "dokuwiki.subdomain.conf removed"
same_bytes "$FIXTURES" "$T" "after both round trips: whole tree byte-identical"
expect 0 "--json status after unprotect dokuwiki" -- ngxauth --root "$T" --json status
json_check "all(a['app'] != 'dokuwiki' for a in d['apps'])" "status no longer lists dokuwiki"
nginx_ok "$T" "after both round trips"

# --- protect --verify: refused before anything is written ----------------------------------

echo "# fixtures/swag: protect --verify usage errors"
T=$(fresh verify)
snapshot "$T" >"$WORK/snap.before"
expect 2 "protect dockge --verify without --domain/--url" -- ngxauth --root "$T" protect dockge --verify
expect 2 "protect dockge --verify --dry-run" -- \
    ngxauth --root "$T" --dry-run protect dockge --verify --domain example.com
expect 2 "protect dockge --verify --check" -- \
    ngxauth --root "$T" --check protect dockge --verify --url https://dockge.example.com/
expect 2 "protect dockge --domain without --verify" -- \
    ngxauth --root "$T" protect dockge --domain example.com
expect 2 "protect dockge --verify --domain --url" -- \
    ngxauth --root "$T" protect dockge --verify --domain example.com --url https://x.example.com/
unchanged "$T" "$WORK/snap.before" "protect --verify usage errors"
if ngxauth --root "$T" verify dockge --url https://127.0.0.1:1/ --timeout 2 >/dev/null 2>&1 ||
    [ $? -ne 2 ]; then
    # Nothing listens on port 1: the write stands, verify's "could not check" is the exit code.
    expect 4 "protect dockge --verify (nothing listening)" -- \
        ngxauth --root "$T" protect dockge --verify --url https://127.0.0.1:1/ --timeout 2
    file_has "$T/proxy-confs/dockge.subdomain.conf" "    include /config/nginx/authentik-server.conf;"
    out_has "dockge is now protected by authentik"
else
    [ "${CI:-}" != true ] || fail "protect --verify after a write: this build has no libcurl (CI=true)"
    skip "protect --verify after a write: this build has no libcurl"
fi

# --- switch-upstream and gen auth-subdomain -------------------------------------------------

echo "# fixtures/swag: gen auth-subdomain, switch-upstream"
T=$(fresh upstream)
S=$T/authentik-server.conf
A=$T/proxy-confs/auth.subdomain.conf
expect 0 "gen auth-subdomain" -- ngxauth --root "$T" gen auth-subdomain
[ -f "$A" ] || fail "proxy-confs/auth.subdomain.conf not created"
pass "proxy-confs/auth.subdomain.conf created"
head -1 "$A" | grep -qE '^## Version [0-9]{4}/[0-9]{2}/[0-9]{2}' || fail "no ## Version line"
pass "auth.subdomain.conf starts with ## Version"
file_has "$A" "server_name auth.*;"
file_has "$A" "set \$upstream_app authentik-server;"
nginx_ok "$T" "after gen auth-subdomain"
nginx_reads "$T" proxy-confs/auth.subdomain.conf

snapshot "$T" >"$WORK/snap.before"
expect 0 "gen auth-subdomain again (identical)" -- ngxauth --root "$T" --json gen auth-subdomain
json_code "swag.up_to_date"
unchanged "$T" "$WORK/snap.before" "identical gen"
expect 3 "gen auth-subdomain --port 9443 (different file)" -- \
    ngxauth --root "$T" gen auth-subdomain --port 9443
expect 3 "--json gen auth-subdomain --port 9443 (different file)" -- \
    ngxauth --root "$T" --json gen auth-subdomain --port 9443
json_check "d['error']['code'] == 'swag.would_overwrite'" "refusal code swag.would_overwrite"
unchanged "$T" "$WORK/snap.before" "gen refused without --force"

expect 0 "switch-upstream authentik-outpost" -- ngxauth --root "$T" switch-upstream authentik-outpost
count_of "$S" "set \$upstream_authentik authentik-outpost;" 2
file_lacks "$S" "set \$upstream_authentik authentik-server;"
file_has "$S" "proxy_pass http://\$upstream_authentik:9000/outpost.goauthentik.io/auth/nginx;"
file_has "$S" "## Version 2023/02/10"
nginx_ok "$T" "after switch-upstream authentik-outpost"
expect 0 "switch-upstream authentik-outpost again" -- \
    ngxauth --root "$T" --json switch-upstream authentik-outpost
json_check "d['changed'] is False and d['changes'] == [] and d['written'] is False" \
    "switch-upstream authentik-outpost again: nothing to do"

expect 0 "switch-upstream authentik-server --scheme https --port 9443" -- \
    ngxauth --root "$T" switch-upstream authentik-server --scheme https --port 9443
count_of "$S" "set \$upstream_authentik authentik-server;" 2
file_has "$S" "proxy_pass https://\$upstream_authentik:9443;"
file_has "$S" "proxy_pass https://\$upstream_authentik:9443/outpost.goauthentik.io/auth/nginx;"
file_has "$A" "set \$upstream_proto https;"
file_has "$A" "set \$upstream_port 9443;"
file_lacks "$A" "set \$upstream_port 9000;"
out_has "proxy-confs/auth.subdomain.conf"
nginx_ok "$T" "after switch-upstream https 9443"

expect 0 "switch-upstream http://authentik-server:9000" -- \
    ngxauth --root "$T" switch-upstream http://authentik-server:9000
same_bytes "$FIXTURES/authentik-server.conf" "$S" "switching back: authentik-server.conf byte-identical"
expect 0 "gen auth-subdomain --force --subdomain sso --port 9443 --scheme https" -- \
    ngxauth --root "$T" gen auth-subdomain --force --subdomain sso --port 9443 --scheme https
file_has "$T/proxy-confs/sso.subdomain.conf" "server_name sso.*;"
nginx_ok "$T" "after gen --subdomain sso"

# SWAG's own way of serving Authentik (blank lines inside its location, two locations).
T=$(fresh upstream-swag)
K=$T/proxy-confs/authentik.subdomain.conf
cp "$K.sample" "$K"
expect 0 "switch-upstream authentik-server --scheme https --port 9443 (authentik.subdomain.conf)" -- \
    ngxauth --root "$T" switch-upstream authentik-server --scheme https --port 9443
count_of "$K" "set \$upstream_proto https;" 2
count_of "$K" "set \$upstream_port 9443;" 2
out_has "proxy-confs/authentik.subdomain.conf"
nginx_ok "$T" "after switch-upstream with authentik.subdomain.conf"
expect 0 "switch-upstream http://authentik-server:9000 (back)" -- \
    ngxauth --root "$T" switch-upstream http://authentik-server:9000
same_bytes "$K.sample" "$K" "authentik.subdomain.conf byte-identical after switching back"
same_bytes "$FIXTURES/authentik-server.conf" "$T/authentik-server.conf" \
    "authentik-server.conf byte-identical after switching back"

# --- refusals: right exit code, nothing written ----------------------------------------------

echo "# fixtures/swag: every refusal writes nothing"
T=$(fresh errors)
snapshot "$T" >"$WORK/snap.before"
expect 3 "protect dockeg (unknown app)" -- ngxauth --root "$T" protect dockeg
expect 3 "protect ../etc" -- ngxauth --root "$T" protect ../etc
expect 3 "protect ../../etc/passwd" -- ngxauth --root "$T" protect ../../etc/passwd
expect 3 "protect proxy-confs/dockge" -- ngxauth --root "$T" protect proxy-confs/dockge
expect 3 "protect ''" -- ngxauth --root "$T" protect ""
expect 3 "unprotect nosuchapp" -- ngxauth --root "$T" unprotect nosuchapp
expect 3 "protect bookstack (other provider)" -- ngxauth --root "$T" protect bookstack
expect 3 "protect jellyfin (no auth lines)" -- ngxauth --root "$T" protect jellyfin
for bad in "a b" "x;y" "http://" "" "-x" "http://a b:9000" "host:99999" "a/b"; do
    expect 3 "switch-upstream '$bad'" -- ngxauth --root "$T" switch-upstream -- "$bad"
done
err_has "ngxauth: "
expect 3 "--json protect dockeg" -- ngxauth --root "$T" --json protect dockeg
json_ok "--json error object"
json_check "d['error']['code'] == 'swag.app_not_found' and d['error']['severity'] == 'error'" \
    "refusal code swag.app_not_found"
json_check "'dockge' in d['error']['suggestions'] and d['exit_code'] == 3" "suggestions name dockge"
expect 3 "--json protect ../etc" -- ngxauth --root "$T" --json protect ../etc
json_check "d['error']['code'] == 'swag.invalid_app_name'" "refusal code swag.invalid_app_name"
expect 3 "--json switch-upstream 'a b'" -- ngxauth --root "$T" --json switch-upstream "a b"
json_check "d['error']['code'] == 'swag.invalid_target'" "refusal code swag.invalid_target"
unchanged "$T" "$WORK/snap.before" "every refusal"

expect 4 "--validate false protect dockge" -- ngxauth --root "$T" --validate false protect dockge
unchanged "$T" "$WORK/snap.before" "failed --validate (rolled back)"
expect 4 "--validate 'echo broken >&2; exit 1' switch-upstream authentik-outpost" -- \
    ngxauth --root "$T" --validate 'echo broken >&2; exit 1' switch-upstream authentik-outpost
err_has "broken"
expect 4 "--json --validate false protect dockge" -- ngxauth --root "$T" --json --validate false protect dockge
json_check "d['error']['code'] == 'io.validation_failed'" "failure code io.validation_failed"
unchanged "$T" "$WORK/snap.before" "failed --validate of switch-upstream"
if command -v flock >/dev/null 2>&1; then
    # Another run holds the tree's lock (flock on the root folder itself): with --wait 0,
    # refuse at once.
    expect 4 "protect dockge while another run holds the lock" -- \
        flock "$T" "$NGXAUTH_BIN" --no-color --root "$T" --json --wait 0 protect dockge
    json_check "d['error']['code'] == 'io.locked'" "failure code io.locked"
    unchanged "$T" "$WORK/snap.before" "lock held"
else
    skip "lock check: no flock(1)"
fi
expect 0 "--validate true --reload touch protect dockge" -- \
    ngxauth --root "$T" --validate true --reload "touch '$WORK/reloaded'" protect dockge
[ -f "$WORK/reloaded" ] || fail "the --reload command did not run"
pass "--reload ran after the write"
rm -f "$WORK/reloaded"
expect 0 "--reload on a no-op" -- ngxauth --root "$T" --reload "touch '$WORK/reloaded'" protect dockge
[ ! -f "$WORK/reloaded" ] || fail "--reload ran although nothing changed"
pass "--reload not run when nothing changed"
expect 4 "failing --reload" -- ngxauth --root "$T" --reload false unprotect dockge
same_bytes "$FIXTURES/proxy-confs/dockge.subdomain.conf" "$T/proxy-confs/dockge.subdomain.conf" \
    "a failing --reload keeps the saved change"

# --- an unwritable tree, as an unprivileged user (root ignores modes) ---------------------------

echo "# fixtures/swag: unwritable files"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
    cp "$NGXAUTH_BIN" "$WORK/ngxauth-bin" && chmod 755 "$WORK/ngxauth-bin"
    nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$WORK/ngxauth-bin" --no-color "$@"; }
    T=$(fresh readonly)
    chmod -R a+rX,a-w "$T"
    snapshot "$T" >"$WORK/snap.before"
    expect 0 "status as nobody on a read-only tree" -- nobody --root "$T" status
    expect 4 "protect dockge as nobody on a read-only tree" -- nobody --root "$T" protect dockge
    unchanged "$T" "$WORK/snap.before" "read-only tree"
    T=$(fresh readonly-file)
    chmod -R a+rX "$T"
    chmod 777 "$T" "$T/proxy-confs"
    chmod 444 "$T/proxy-confs/dockge.subdomain.conf"
    snapshot "$T" >"$WORK/snap.before"
    expect 4 "protect dockge as nobody, file read-only, folder writable" -- \
        nobody --root "$T" protect dockge
    unchanged "$T" "$WORK/snap.before" "read-only file in a writable folder"
else
    [ "${CI:-}" != true ] || fail "the unwritable-tree checks need root and setpriv"
    skip "unwritable-tree checks need root and setpriv"
fi

# --- colour ----------------------------------------------------------------------------------

echo "# colour"
T=$(fresh colour)
expect 0 "status to a pipe" -- "$NGXAUTH_BIN" --root "$T" status
! grep -q $'\x1b\[' "$OUT" || fail "colour codes in piped output"
pass "no colour codes when stdout is not a terminal"
if command -v script >/dev/null 2>&1; then
    script -qec "'$NGXAUTH_BIN' --root '$T' --dry-run protect dockge" /dev/null >"$OUT" 2>"$ERR" </dev/null
    grep -q $'\x1b\[' "$OUT" || fail "no colour on a terminal"
    pass "colour on a terminal"
    NO_COLOR=1 script -qec "'$NGXAUTH_BIN' --root '$T' --dry-run protect dockge" /dev/null \
        >"$OUT" 2>"$ERR" </dev/null
    ! grep -q $'\x1b\[' "$OUT" || fail "colour despite NO_COLOR"
    pass "NO_COLOR turns colour off on a terminal"
    script -qec "'$NGXAUTH_BIN' --no-color --root '$T' --dry-run protect dockge" /dev/null \
        >"$OUT" 2>"$ERR" </dev/null
    ! grep -q $'\x1b\[' "$OUT" || fail "colour despite --no-color"
    pass "--no-color turns colour off on a terminal"
else
    skip "colour on a terminal: no script(1)"
fi

# --- list, several apps at once, git-style --dry-run patches -------------------------------

echo "# list"
T=$(fresh list)
cp "$T/proxy-confs/dockge.subdomain.conf" "$T/proxy-confs/_template.subdomain.conf.sample"
snapshot "$T" >"$WORK/snap.before"
expect 0 "list" -- ngxauth --root "$T" list
expect 0 "list --json" -- ngxauth --root "$T" --json list
json_ok "list --json"
# shellcheck disable=SC2016 # Python, not the shell
json_check 'd["ok"] and d["recovered"] == [] and {(a["app"], a["kind"]): (a["sample"], a["active"], a["protected"], a["providers"]) for a in d["apps"]} == {
    ("authentik", "subdomain"): (True, False, False, []),
    ("bookstack", "subdomain"): (False, True, True, ["authelia"]),
    ("dockge", "subdomain"): (False, True, False, []),
    ("dokuwiki", "subdomain"): (True, False, False, []),
    ("gitea", "subdomain"): (False, True, False, []),
    ("jellyfin", "subdomain"): (False, True, False, []),
    ("kasm", "subdomain"): (False, True, False, []),
    ("radarr", "subdomain"): (True, True, False, []),
    ("sonarr", "subfolder"): (False, True, False, [])}' \
    "list --json: every sample and active conf, active and protected as status says; no _template"
json_check '[a["app"] for a in d["apps"]] == sorted(a["app"] for a in d["apps"])' "list is sorted by name"
unchanged "$T" "$WORK/snap.before" "list writes nothing"
expect 3 "list --root that is no SWAG tree" -- ngxauth --root "$WORK/nowhere" --json list
json_check "d['error']['code'] == 'swag.root_not_found'" "list: swag.root_not_found"

echo "# several apps in one command"
T=$(fresh several)
snapshot "$T" >"$WORK/snap.before"
expect 3 "protect dockge nosuchapp: refused as a whole" -- ngxauth --root "$T" --json protect dockge nosuchapp
json_check "d['error']['code'] == 'swag.app_not_found'" "protect dockge nosuchapp: swag.app_not_found"
unchanged "$T" "$WORK/snap.before" "a refused app writes none of them"
expect 0 "--json --dry-run protect dockge radarr sonarr" -- \
    ngxauth --root "$T" --json --dry-run protect dockge radarr sonarr
json_check "d['apps'] == ['dockge', 'radarr', 'sonarr'] and sorted(d['files']) == ['proxy-confs/dockge.subdomain.conf', 'proxy-confs/radarr.subdomain.conf', 'proxy-confs/sonarr.subfolder.conf', 'site-confs/default.conf']" \
    "protect dockge radarr sonarr: one report over four files"
unchanged "$T" "$WORK/snap.before" "--dry-run of several apps"
expect 0 "protect dockge radarr sonarr" -- ngxauth --root "$T" --json protect dockge radarr sonarr
json_check "d['written'] and len(d['files']) == 4" "protect of three apps: written"
expect 0 "history after protecting three apps" -- ngxauth --root "$T" --json history
json_check "len(d['transactions']) == 1" "three apps, one transaction"
nginx_ok "$T" "after protect dockge radarr sonarr"
expect 0 "status --json after protecting three apps" -- ngxauth --root "$T" --json status
json_check "sorted(a['app'] for a in d['apps'] if a['protected']) == ['bookstack', 'dockge', 'radarr', 'sonarr']" \
    "dockge, radarr and sonarr protected"
expect 0 "protect dockge radarr again: nothing to do" -- ngxauth --root "$T" --json protect dockge radarr
json_check "d['changed'] is False and codes(d).count('swag.already_protected') == 2" \
    "protect again: already protected, twice"
expect 0 "unprotect dockge radarr sonarr" -- ngxauth --root "$T" unprotect dockge radarr sonarr
same_bytes "$FIXTURES" "$T" "unprotect of the three: the tree byte-identical"
expect 2 "protect dockge radarr --verify --url: one URL, two apps" -- \
    ngxauth --root "$T" --json protect dockge radarr --verify --url https://dockge.example.com/
json_check "d['error']['code'] == 'usage.invalid'" "--verify --url with two apps: usage.invalid"
expect 2 "protect dockge radarr with Authentik's API: one at a time" -- \
    env AUTHENTIK_TOKEN=x "$NGXAUTH_BIN" --no-color --root "$T" --json \
    --authentik-url https://127.0.0.1:1 protect dockge radarr
json_check "d['error']['code'] == 'usage.invalid'" "two apps with Authentik's API: usage.invalid"
same_bytes "$FIXTURES" "$T" "refused several-app commands write nothing"

echo "# --dry-run patches: git style, relative to ROOT"
T=$(fresh patch)
cp "$T/proxy-confs/dockge.subdomain.conf" "$T/proxy-confs/my app.subdomain.conf"
cp "$T/proxy-confs/dockge.subdomain.conf" "$T/proxy-confs/q\"uote.subdomain.conf"
cp -a "$T" "$WORK/patch.orig"
check_patch() {  # check_patch DESCRIPTION -- ngxauth ARGS...: the dry run's patch gives the real run's bytes
    local desc=$1
    shift 2
    rm -rf "$WORK/p1" "$WORK/pgit"
    cp -a "$T" "$WORK/p1"
    cp -a "$T" "$WORK/pgit"
    expect 0 "$desc --dry-run" -- ngxauth --root "$T" --dry-run "$@"
    cp "$OUT" "$WORK/dry.diff"
    head -1 "$WORK/dry.diff" | grep -q '^diff --git "\?a/' || fail "$desc: stdout is not a git patch"
    ! grep -qF -- "$T" "$WORK/dry.diff" || fail "$desc: the patch names ROOT"
    pass "$desc: stdout is the patch alone, paths relative to ROOT"
    (cd "$WORK/p1" && patch -p1 -s <"$WORK/dry.diff") >"$ERR" 2>&1 || fail "$desc: patch -p1 refused it"
    pass "$desc: patch -p1 applies it"
    (cd "$WORK/pgit" && git apply "$WORK/dry.diff") >"$ERR" 2>&1 || fail "$desc: git apply refused it"
    pass "$desc: git apply applies it"
    expect 0 "$desc" -- ngxauth --root "$T" "$@"
    same_bytes "$T" "$WORK/p1" "$desc: patch -p1 gives the real run's bytes"
    same_bytes "$T" "$WORK/pgit" "$desc: git apply gives the real run's bytes"
}
if command -v patch >/dev/null 2>&1 && command -v git >/dev/null 2>&1; then
    check_patch "protect dockge sonarr" -- protect dockge sonarr
    check_patch "protect dokuwiki --from-sample (a new file)" -- protect dokuwiki --from-sample
    check_patch "unprotect dokuwiki (a removed file)" -- unprotect dokuwiki
    check_patch "protect 'my app' (a name with a space)" -- protect "my app"
    count_of "$WORK/dry.diff" $'--- a/proxy-confs/my app.subdomain.conf\t' 1
    check_patch "protect 'q\"uote' (a name git quotes)" -- protect 'q"uote'
    count_of "$WORK/dry.diff" 'diff --git "a/proxy-confs/q\"uote.subdomain.conf" "b/proxy-confs/q\"uote.subdomain.conf"' 1
else
    [ "${CI:-}" != true ] || fail "patch and git are needed to apply the --dry-run patches"
    skip "--dry-run patches: no patch or git"
fi
expect 0 "--dry-run protect radarr: notes on stderr" -- ngxauth --root "$T" --dry-run protect radarr
! grep -q '^note:' "$OUT" || fail "a note on stdout of --dry-run"
pass "--dry-run: no note on stdout"

echo "# switch-upstream HOST:PORT, [v6]:PORT, a scheme without a port"
T=$(fresh upstream-forms)
S=$T/authentik-server.conf
expect 0 "switch-upstream authentik-outpost:9000" -- ngxauth --root "$T" --json switch-upstream authentik-outpost:9000
json_check "d['upstream'] == {'before': {'host': 'authentik-server', 'scheme': 'http', 'port': 9000}, 'after': {'host': 'authentik-outpost', 'scheme': 'http', 'port': 9000}}" \
    "switch-upstream authentik-outpost:9000: before and after"
count_of "$S" "set \$upstream_authentik authentik-outpost;" 2
expect 0 "switch-upstream 10.0.0.5:9000" -- ngxauth --root "$T" switch-upstream 10.0.0.5:9000
count_of "$S" "set \$upstream_authentik 10.0.0.5;" 2
expect 0 "switch-upstream [fd00::5]:9443" -- ngxauth --root "$T" switch-upstream '[fd00::5]:9443'
count_of "$S" "set \$upstream_authentik [fd00::5];" 2
file_has "$S" "proxy_pass http://\$upstream_authentik:9443/outpost.goauthentik.io/auth/nginx;"
expect 0 "doctor: http to 9443" -- ngxauth --root "$T" --json doctor
json_code "swag.scheme_port_mismatch"
expect 3 "switch-upstream host:0" -- ngxauth --root "$T" --json switch-upstream authentik-server:0
expect 3 "switch-upstream host:abc" -- ngxauth --root "$T" --json switch-upstream authentik-server:abc
json_check "d['error']['code'] == 'swag.invalid_target'" "host:abc: swag.invalid_target"
expect 0 "switch-upstream http://authentik-server:9000 (back)" -- \
    ngxauth --root "$T" switch-upstream http://authentik-server:9000
same_bytes "$FIXTURES/authentik-server.conf" "$S" "back: byte-identical"
expect 0 "switch-upstream https://authentik-server (no port)" -- \
    ngxauth --root "$T" --json switch-upstream https://authentik-server
json_check "d['upstream']['after'] == {'host': 'authentik-server', 'scheme': 'https', 'port': 9443}" \
    "https without a port: Authentik's 9443"
file_has "$S" "proxy_pass https://\$upstream_authentik:9443/outpost.goauthentik.io/auth/nginx;"
expect 0 "doctor: https to 9443" -- ngxauth --root "$T" --json doctor
json_check "'swag.scheme_port_mismatch' not in codes(d)" "doctor: no mismatch for https on 9443"
expect 0 "switch-upstream authentik-server (keeps https)" -- \
    ngxauth --root "$T" --json switch-upstream authentik-server
json_check "d['changed'] is False and d['upstream']['after']['port'] == 9443" "a bare host keeps https:9443"
expect 0 "switch-upstream authentik-server --scheme http" -- \
    ngxauth --root "$T" switch-upstream authentik-server --scheme http
same_bytes "$FIXTURES/authentik-server.conf" "$S" "--scheme http: back to 9000, byte-identical"
expect 0 "gen auth-subdomain --upstream https://authentik-server" -- \
    ngxauth --root "$T" gen auth-subdomain --subdomain sso --upstream https://authentik-server
file_has "$T/proxy-confs/sso.subdomain.conf" "set \$upstream_port 9443;"
file_has "$T/proxy-confs/sso.subdomain.conf" "set \$upstream_proto https;"
expect 0 "gen auth-subdomain --upstream authentik-server:9001" -- \
    ngxauth --root "$T" gen auth-subdomain --subdomain sso2 --upstream authentik-server:9001
file_has "$T/proxy-confs/sso2.subdomain.conf" "set \$upstream_port 9001;"
file_has "$T/proxy-confs/sso2.subdomain.conf" "set \$upstream_app authentik-server;"
nginx_ok "$T" "after gen with --upstream forms"

echo "# gen auth-subdomain refusals"
T=$(fresh gen-refusals)
snapshot "$T" >"$WORK/snap.before"
expect 3 "gen --subdomain auth.example.com" -- ngxauth --root "$T" --json gen auth-subdomain --subdomain auth.example.com
json_check "d['error']['code'] == 'swag.invalid_target'" "a dotted subdomain: swag.invalid_target"
expect 3 "gen --subdomain authentik (SWAG ships its sample)" -- \
    ngxauth --root "$T" --json gen auth-subdomain --subdomain authentik
json_check "d['error']['code'] == 'swag.would_overwrite'" "--subdomain authentik: swag.would_overwrite"
unchanged "$T" "$WORK/snap.before" "gen refusals write nothing"
expect 0 "gen --subdomain authentik --force" -- ngxauth --root "$T" gen auth-subdomain --subdomain authentik --force
expect 0 "gen auth-subdomain" -- ngxauth --root "$T" gen auth-subdomain
expect 3 "gen auth-subdomain --port 9443 over it: refused with the diff" -- \
    ngxauth --root "$T" gen auth-subdomain --port 9443
err_has "diff --git a/proxy-confs/auth.subdomain.conf b/proxy-confs/auth.subdomain.conf"
err_has "\$upstream_port 9443;"

echo "# wrong roots"
mkdir -p "$WORK/high"
cp -a "$FIXTURES" "$WORK/high/nginx"
expect 3 "--root one level too high" -- ngxauth --root "$WORK/high" --json status
json_check "d['error']['code'] == 'swag.root_not_found' and d['error']['suggestions'] == ['$WORK/high/nginx']" \
    "one level too high: did you mean ROOT/nginx"
expect 3 "--root one level too low" -- ngxauth --root "$WORK/high/nginx/proxy-confs" --json status
json_check "d['error']['suggestions'] == ['$WORK/high/nginx']" "one level too low: did you mean its parent"
expect 2 "--root ''" -- ngxauth --root '' --json status
json_check "d['ok'] is False and d['error']['code'] == 'usage.invalid'" "--root '': usage.invalid"

echo "# output: numbers, --color, -q, -v, status columns, dangling confs"
T=$(fresh output)
expect 2 "--wait abc" -- ngxauth --root "$T" --json --wait abc status
json_check "d['error']['code'] == 'usage.invalid'" "--wait abc: usage.invalid"
! grep -q '1797693' "$ERR" || fail "--wait abc: CLI11's range of 309 digits"
pass "--wait abc: no range of 309 digits"
expect 2 "--port abc" -- ngxauth --root "$T" switch-upstream x --port abc
expect 2 "--timeout 0" -- ngxauth --root "$T" verify --url https://x.example.com/ --timeout 0
expect 0 "--color always through a pipe" -- "$NGXAUTH_BIN" --root "$T" --color always status
grep -q $'\x1b\[' "$OUT" || fail "--color always: no colour"
pass "--color always: colour through a pipe"
expect 0 "--color never" -- "$NGXAUTH_BIN" --root "$T" --color never status
! grep -q $'\x1b\[' "$OUT" || fail "--color never: colour"
pass "--color never: no colour"
expect 2 "--color sometimes" -- ngxauth --root "$T" --color sometimes status
expect 0 "doctor: lines under 100 columns" -- ngxauth --root "$T" doctor
awk 'length($0) > 99 { exit 1 }' "$OUT" || fail "doctor: a line over 99 columns"
pass "doctor: every line under 100 columns"
cp "$OUT" "$WORK/doctor.short"
expect 0 "doctor -v: lines under 100 columns" -- ngxauth --root "$T" -v doctor
awk 'length($0) > 99 { exit 1 }' "$OUT" || fail "doctor -v: a line over 99 columns"
[ "$(wc -c <"$OUT")" -gt "$(wc -c <"$WORK/doctor.short")" ] || fail "doctor -v: no longer than doctor"
pass "doctor -v: every line under 100 columns, more than without -v"
expect 0 "protect -q dockge" -- ngxauth --root "$T" -q protect dockge
[ ! -s "$OUT" ] || fail "protect -q: stdout not empty"
pass "protect -q: nothing on stdout"
expect 0 "status: SERVER of the provider in use" -- ngxauth --root "$T" status
grep -qE '^bookstack +subdomain +authelia +on ' "$OUT" || fail "status: bookstack's SERVER is not on"
pass "status: bookstack (authelia) SERVER on"
grep -qE '^dockge +subdomain +authentik +on ' "$OUT" || fail "status: dockge's SERVER is not on"
pass "status: dockge (authentik) SERVER on"
expect 0 "status --help: the columns" -- ngxauth status --help
out_has "LOCATIONS"
ln -s "$WORK/nowhere.conf" "$T/proxy-confs/ghostapp.subdomain.conf"
cp "$T/proxy-confs/dockge.subdomain.conf" "$T/proxy-confs/_template.subdomain.conf"
expect 0 "status --json with a dangling symlinked conf" -- ngxauth --root "$T" --json status
json_check "[p['code'] for a in d['apps'] if a['app'] == 'ghostapp' for p in a['problems']] == ['swag.unreadable']" \
    "status names the dangling ghostapp conf"
json_check "all(a['app'] != '_template' for a in d['apps'])" "status: _template is no app"
expect 3 "doctor with a dangling symlinked conf" -- ngxauth --root "$T" --json doctor
json_code "swag.unreadable"
expect 3 "protect ghostapp" -- ngxauth --root "$T" --json protect ghostapp
json_check "d['error']['code'] == 'swag.app_not_found' and d['error']['suggestions'] == []" \
    "protect ghostapp: not found, no suggestion of itself"
rm "$T/proxy-confs/ghostapp.subdomain.conf" "$T/proxy-confs/_template.subdomain.conf"

echo "# --insert where SWAG's samples have the line"
T=$(fresh insert)
printf 'server {\n    listen 443 ssl;\n    server_name bare.*;\n    include /config/nginx/ssl.conf;\n    client_max_body_size 0;\n\n    location / {\n        proxy_pass http://127.0.0.1:80;\n    }\n}\n' \
    >"$T/proxy-confs/bare.subdomain.conf"
expect 0 "protect bare --insert" -- ngxauth --root "$T" protect bare --insert
sed -n 6,7p "$T/proxy-confs/bare.subdomain.conf" >"$WORK/line5"
printf '    # enable for Authentik (requires authentik-location.conf in the location block)\n    include /config/nginx/authentik-server.conf;\n' >"$WORK/want5"
same_bytes "$WORK/want5" "$WORK/line5" "--insert: the server-level line right after client_max_body_size, under SWAG's comment"
sed -n 10,12p "$T/proxy-confs/bare.subdomain.conf" >"$WORK/loc5"
printf '        # enable for Authentik (requires authentik-server.conf in the server block)\n        include /config/nginx/authentik-location.conf;\n        proxy_pass http://127.0.0.1:80;\n' >"$WORK/wantloc5"
same_bytes "$WORK/wantloc5" "$WORK/loc5" "--insert: the location line first in the block, under SWAG's comment"
nginx_ok "$T" "after protect bare --insert"
# bare's proxy_pass names 127.0.0.1 itself: doctor says so, at its line.
"$NGXAUTH_BIN" --no-color --root "$T" --json doctor >"$OUT" 2>"$ERR"
json_check "[(x['file'].endswith('proxy-confs/bare.subdomain.conf'), x['line']) for x in d['findings'] if x['code'] == 'swag.upstream_literal'] == [(True, 12)]" \
    "doctor: swag.upstream_literal names bare.subdomain.conf:12"

# --- the real SWAG samples ------------------------------------------------------------------

echo "# corpus: the real SWAG samples"
if [ -z "$CORPUS" ] || [ ! -d "$CORPUS/swag/proxy-confs" ]; then
    [ "${CI:-}" != true ] || fail "corpus not found at '${CORPUS}' (required when CI=true)"
    skip "corpus not found at '${CORPUS}'"
else
    # A tree as a user has it: every .sample beside its activated .conf.
    make_corpus_tree() {
        local dest=$1
        mkdir -p "$dest/site-confs" "$dest/proxy-confs"
        for f in "$CORPUS"/swag/nginx/*.conf.sample; do
            cp "$f" "$dest/"
            cp "$f" "$dest/$(basename "$f" .sample)"
        done
        cp "$CORPUS/swag/nginx/site-confs/default.conf.sample" "$dest/site-confs/"
        cp "$CORPUS/swag/nginx/site-confs/default.conf.sample" "$dest/site-confs/default.conf"
        for f in "$CORPUS"/swag/proxy-confs/*.conf.sample; do
            cp "$f" "$dest/proxy-confs/"
            [ "$2" = all ] && cp "$f" "$dest/proxy-confs/$(basename "$f" .sample)"
        done
    }
    C=$WORK/corpus
    make_corpus_tree "$C" all
    cp -a "$C" "$WORK/corpus.orig"
    expect 0 "corpus: status" -- ngxauth --root "$C" status
    expect 0 "corpus: list --json" -- ngxauth --root "$C" --json list
    json_check "len(d['apps']) > 300 and all(a['app'] != '_template' and a['sample'] and a['active'] for a in d['apps'])" \
        "corpus: list names every sample, active, without _template"
    # Exit 3: the activated _template confs keep their placeholders (`set $upstream_proto
    # <http or https>;`), which nginx rejects: invalid number of arguments in "set".
    expect 3 "corpus: doctor (the _template placeholders are directive errors)" -- ngxauth --root "$C" doctor
    # Every activated conf, named APP.subdomain / APP.subfolder (both exist for some apps).
    n_protected=0
    n_refused=0
    for conf in "$C"/proxy-confs/*.conf; do
        app=$(basename "$conf" .conf)
        case $app in _template.*) continue ;; esac  # SWAG's starting point, not an app
        "$NGXAUTH_BIN" --no-color --root "$C" --json protect "$app" >"$OUT" 2>"$ERR"
        rc=$?
        if [ $rc -eq 3 ] && python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1]))["error"]["code"] != "swag.no_auth_lines")' "$OUT"; then
            n_refused=$((n_refused + 1))
            continue
        fi
        [ $rc -eq 0 ] || fail "corpus: protect $app: exit $rc"
        ! diff -rq -x .ngxconf "$WORK/corpus.orig" "$C" >/dev/null ||
            fail "corpus: protect $app changed nothing"
        "$NGXAUTH_BIN" --no-color --root "$C" unprotect "$app" >"$OUT" 2>"$ERR" ||
            fail "corpus: unprotect $app: exit $?"
        diff -r -x .ngxconf "$WORK/corpus.orig" "$C" >"$WORK/diff.out" ||
            { head -40 "$WORK/diff.out"; fail "corpus: $app not restored byte for byte"; }
        n_protected=$((n_protected + 1))
    done
    # SWAG ships a handful of confs without auth lines on purpose (media servers, Authentik
    # and Authelia themselves, ...): 13 in the 2025 samples.
    [ $n_refused -le 20 ] || fail "corpus: $n_refused confs refused"
    [ $n_protected -gt 300 ] || fail "corpus: only $n_protected confs could be protected"
    pass "corpus: protect+unprotect of $n_protected confs, each byte-identical ($n_refused without lines)"
    same_bytes "$WORK/corpus.orig" "$C" "corpus: whole tree byte-identical afterwards"

    # Every historical authentik-server.conf: outpost, then https/9443, then back again.
    for h in "$CORPUS"/swag/history/*authentik-server.conf.sample; do
        name=$(basename "$h")
        cp "$h" "$C/authentik-server.conf"
        # shellcheck disable=SC2016 # sed's words, not the shell's
        grep 'proxy_pass' "$h" | sed 's|http://\$upstream_authentik:9000|https://$upstream_authentik:9443|' \
            >"$WORK/want-proxy-pass"
        expect 0 "history $name: switch-upstream authentik-outpost" -- \
            ngxauth --root "$C" switch-upstream authentik-outpost
        count_of "$C/authentik-server.conf" "set \$upstream_authentik authentik-outpost;" 2
        expect 0 "history $name: switch-upstream https://authentik-outpost:9443" -- \
            ngxauth --root "$C" switch-upstream https://authentik-outpost:9443
        grep 'proxy_pass' "$C/authentik-server.conf" >"$WORK/got-proxy-pass"
        same_bytes "$WORK/want-proxy-pass" "$WORK/got-proxy-pass" \
            "history $name: proxy_pass paths kept, scheme and port changed"
        expect 0 "history $name: switch back to http://authentik-server:9000" -- \
            ngxauth --root "$C" switch-upstream http://authentik-server:9000
        same_bytes "$h" "$C/authentik-server.conf" "history $name: byte-identical after switching back"
    done
    cp "$WORK/corpus.orig/authentik-server.conf" "$C/authentik-server.conf"

    # nginx -t on a few real apps, protected.
    N=$WORK/corpus-nginx
    make_corpus_tree "$N" none
    for f in dockge.subdomain kasm.subdomain radarr.subdomain radarr.subfolder authentik.subdomain; do
        cp "$N/proxy-confs/$f.conf.sample" "$N/proxy-confs/$f.conf"
    done
    nginx_ok "$N" "corpus: 5 real apps, untouched"
    for app in dockge kasm radarr; do
        expect 0 "corpus: protect $app" -- ngxauth --root "$N" protect "$app"
        nginx_ok "$N" "corpus: after protect $app"
    done
    nginx_reads "$N" authentik-server.conf
    nginx_reads "$N" authentik-location.conf
    expect 0 "corpus: switch-upstream authentik-server --scheme https --port 9443" -- \
        ngxauth --root "$N" switch-upstream authentik-server --scheme https --port 9443
    file_has "$N/proxy-confs/authentik.subdomain.conf" "set \$upstream_port 9443;"
    nginx_ok "$N" "corpus: after switch-upstream https 9443"
    expect 0 "corpus: protect dockge again" -- ngxauth --root "$N" --json protect dockge
    json_code "swag.already_protected"
fi

if [ $skipped -gt 0 ]; then
    echo "$passed passed, 0 failed ($skipped skipped)"
else
    echo "$passed passed, 0 failed"
fi
exit 0
