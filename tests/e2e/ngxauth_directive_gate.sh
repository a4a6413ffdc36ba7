#!/usr/bin/env bash
# ngxauth refuses a write that adds directive-level errors nginx would report, and doctor
# reports the tree's directive errors with the table it used.
#   1. authentik-server.conf gets a server-level `proxy_pass` (allowed only in a location):
#      `protect dockge` would include it into dockge's server, so it is refused: exit 3,
#      error code directive.not_allowed at authentik-server.conf:LINE, no file changed;
#   2. the same tree without that line: protect writes (exit 0);
#   3. doctor --json: the swag.directive_table finding names the table (--nginx 1.22), and the
#      broken file's directive.not_allowed finding is there.
#
#   tests/e2e/ngxauth_directive_gate.sh NGXAUTH FIXTURES_SWAG
set -u
NGXAUTH=$1
FIXTURES=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
passed=0
fail() { echo "FAIL - $*"; [ -s "$WORK/out" ] && sed 's/^/  | /' "$WORK/out"; [ -s "$WORK/err" ] && sed 's/^/  ! /' "$WORK/err"; exit 1; }
ok() { passed=$((passed + 1)); echo "ok $passed - $*"; }
tree_sum() { (cd "$1" && find . -type f ! -path './.ngxconf/*' -print0 | sort -z | xargs -0 sha256sum); }
# json_get FILE EXPR: a python expression over the parsed JSON `j`.
json_get() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }

T=$WORK/broken
cp -a "$FIXTURES" "$T"
sed -i '1a proxy_pass http://127.0.0.1:1;' "$T/authentik-server.conf"  # line 2
before=$(tree_sum "$T")
"$NGXAUTH" --no-color --root "$T" --json protect dockge >"$WORK/out" 2>"$WORK/err"
rc=$?
[ $rc -eq 3 ] || fail "protect with a broken authentik-server.conf: exit $rc, expected 3"
[ "$(json_get "$WORK/out" "j['error']['code']")" = directive.not_allowed ] || fail "error code"
[ "$(json_get "$WORK/out" "j['error']['file'] + ':' + str(j['error']['line'])")" = authentik-server.conf:2 ] ||
    fail "error place"
[ "$(tree_sum "$T")" = "$before" ] || fail "a file changed although the write was refused"
ok "protect refused (exit 3, directive.not_allowed at authentik-server.conf:2, nothing written)"

"$NGXAUTH" --no-color --root "$T" --nginx 1.22 doctor --json >"$WORK/out" 2>"$WORK/err"
[ "$(json_get "$WORK/out" "[f['message'].split()[1] for f in j['findings'] if f['code']=='swag.directive_table'][0]")" = 1.22 ] ||
    fail "doctor names the table it used"
[ "$(json_get "$WORK/out" "sum(1 for f in j['findings'] if f['code']=='directive.not_allowed' and f['file']=='authentik-server.conf' and f['line']==2)")" = 1 ] ||
    fail "doctor reports the directive error"
ok "doctor: table 1.22, directive.not_allowed at authentik-server.conf:2"

G=$WORK/good
cp -a "$FIXTURES" "$G"
"$NGXAUTH" --no-color --root "$G" protect dockge >"$WORK/out" 2>"$WORK/err" || fail "protect on the fixture tree: exit $?"
grep -q '^ *include /config/nginx/authentik-server.conf;' "$G/proxy-confs/dockge.subdomain.conf" ||
    fail "protect did not write"
ok "protect on the unbroken tree writes (exit 0)"
echo "$passed passed"
