#!/usr/bin/env bash
# ngxconf check --nginx and parse --json --nginx: exact output bytes and exit codes.
#   tests/tool/ngxconf_check_nginx.sh NGXCONF_TOOL
set -u
TOOL=$1
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
passed=0
fail() { echo "FAIL - $*"; exit 1; }
ok() { passed=$((passed + 1)); echo "ok $passed - $*"; }
cd "$WORK" || exit 1
printf 'server {\n    listen 80;\n    http2 on;\n    proxy_pass\n        http://a;\n    location /x;\n}\n' >app.conf

"$TOOL" check --nginx 1.22 --context http app.conf 2>err; rc=$?
[ $rc -eq 1 ] || fail "check --nginx 1.22: exit $rc"
expected='app.conf:3:13: error: unknown directive "http2" [directive.unknown]
app.conf:5:17: error: "proxy_pass" directive is not allowed here [directive.not_allowed]
app.conf:6:16: error: directive "location" has no opening "{" [directive.no_opening_brace]'
[ "$(cat err)" = "$expected" ] || fail "check --nginx 1.22 output: $(cat err)"
ok "check --nginx 1.22: three errors at nginx's lines"

"$TOOL" check --nginx 1.26 --context http --modules nginx,-http_v2 app.conf 2>err
grep -q '^app.conf:3:13: error: unknown directive "http2" \[directive.unknown\]$' err || fail "--modules -http_v2"
ok "--modules takes http_v2 away"

"$TOOL" check --nginx 1.26 --context http --json app.conf >out; rc=$?
[ $rc -eq 1 ] || fail "check --json: exit $rc"
python3 - out <<'P' || fail "check --json codes"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ok"] is False
assert [(d["code"], d["line"]) for d in j["diagnostics"]] == [("directive.not_allowed", 5), ("directive.no_opening_brace", 6)], j
P
ok "check --nginx 1.26 --json: http2 known, two errors"

"$TOOL" parse --json --nginx 1.26 --context http app.conf >out || fail "parse --json --nginx: exit $?"
python3 - out <<'P' || fail "parse --json --nginx payload"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["status"] == "failed" and j["config"][0]["status"] == "failed"
assert [e["line"] for e in j["errors"]] == [5, 6] and [e["line"] for e in j["config"][0]["errors"]] == [5, 6]
assert j["errors"][0]["error"] == '"proxy_pass" directive is not allowed here in app.conf:5'
assert j["errors"][0]["code"] == j["config"][0]["errors"][0]["code"] == "directive.not_allowed", j["errors"]
P
ok "parse --json --nginx: crossplane's errors"

printf 'server { listen 80; location / { return 200; } }\n' >good.conf
"$TOOL" check --nginx 1.22 --context http good.conf 2>err || fail "a valid file: exit $?"
[ ! -s err ] || fail "a valid file printed $(cat err)"
"$TOOL" check --nginx 1.24 good.conf 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "--nginx 1.24: exit $rc, expected 2"
ok "a valid file: exit 0, nothing printed; an unknown version: exit 2"
echo "$passed passed"
