#!/usr/bin/env bash
# Tests of the ngxconf developer tool's select, --json, --max-depth, --version, `-` (stdin)
# and check --json: exact output bytes and exit codes on the fixtures in fixtures/select.
#
#   tests/tool/ngxconf_select.sh NGXCONF FIXTURES_SELECT VERSION
#   tests/tool/ngxconf_select.sh --corpus NGXCONF CORPUS_DIR
#
# The --corpus form runs a few selectors over every *.conf* file below $NGXCONF_CORPUS (else
# CORPUS_DIR), prints the match counts, and checks that every FILE:LINE:COL it prints is where
# the printed text is in that file. Without the corpus it exits 77 (skipped), or 1 when CI=true.
# Each check prints a line; the first failure stops the script with exit 1.
set -u
export LC_ALL=C  # byte columns: ${s:N} counts bytes

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ngxconf-select.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
OUT=$WORK/stdout
ERR=$WORK/stderr
passed=0

pass() {
    passed=$((passed + 1))
    echo "ok $passed - $*"
}

fail() {
    echo "FAIL - $*"
    for f in "$OUT" "$ERR"; do
        [ -s "$f" ] || continue
        echo "  $(basename "$f"):"
        sed 's/^/    | /' "$f" | head -40
    done
    echo "$passed passed, 1 failed"
    exit 1
}

# run RC DESCRIPTION -- ARGS...: runs the tool (stdout/stderr in $OUT/$ERR), checks the exit code.
run() {
    local want=$1 desc=$2
    shift 3
    "$NGXCONF" "$@" >"$OUT" 2>"$ERR"
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "$desc: exit $rc, expected $want"
    pass "$desc (exit $rc)"
}

# stdout_is DESCRIPTION <<EOF: stdout is exactly the bytes given on standard input.
stdout_is() {
    cat >"$WORK/want"
    cmp -s "$WORK/want" "$OUT" || { diff "$WORK/want" "$OUT" | head -20; fail "$1: stdout differs"; }
    pass "$1: stdout exact"
}
stdout_empty() { [ ! -s "$OUT" ] || fail "$1: stdout not empty"; pass "$1: stdout empty"; }
stderr_empty() { [ ! -s "$ERR" ] || fail "$1: stderr not empty"; pass "$1: stderr empty"; }
# stderr_lines N PREFIX DESCRIPTION: stderr is N lines, the first starting with PREFIX.
stderr_lines() {
    [ "$(wc -l <"$ERR")" -eq "$1" ] || fail "$3: stderr is not $1 line(s)"
    case "$(head -1 "$ERR")" in "$2"*) ;; *) fail "$3: stderr does not start with $2" ;; esac
    pass "$3: stderr $1 line(s) starting $2"
}

# json_check DESCRIPTION PYTHON: stdout is JSON (python3 -m json.tool) and the Python
# statements, run with `doc` bound to it, raise nothing.
json_check() {
    if ! command -v python3 >/dev/null 2>&1; then
        [ "${CI:-}" != true ] || fail "$1: python3 is missing (CI=true)"
        echo "skip - $1: no python3 to read JSON"
        return
    fi
    python3 -m json.tool "$OUT" >/dev/null || fail "$1: stdout is not JSON"
    python3 -c "import json, sys
doc = json.load(open(sys.argv[1], 'rb'))
$2" "$OUT" || fail "$1: fields"
    pass "$1: JSON fields"
}

fixture_tests() {
    cd "$FIXTURES" || fail "no fixture folder $FIXTURES"

    run 0 "child selector, nested locations, CRLF" -- \
        select 'server > location[0=/] > include' site.conf crlf.conf
    stdout_is "child selector" <<'OUT'
site.conf:8:9: include /config/nginx/proxy.conf;
crlf.conf:4:9: include /config/nginx/proxy.conf;
OUT
    stderr_empty "child selector"

    run 0 "descendant selector" -- select 'location include' site.conf
    stdout_is "descendant selector" <<'OUT'
site.conf:8:9: include /config/nginx/proxy.conf;
site.conf:14:13: include /config/nginx/proxy.conf;
site.conf:19:9: include /config/nginx/proxy.conf;
OUT

    run 0 "--include-disabled" -- select --include-disabled include site.conf
    stdout_is "--include-disabled" <<'OUT'
site.conf:5:5: #include /config/nginx/authentik-server.conf;
site.conf:8:9: include /config/nginx/proxy.conf;
site.conf:9:9: #include /config/nginx/authentik-location.conf;
site.conf:14:13: include /config/nginx/proxy.conf;
site.conf:19:9: include /config/nginx/proxy.conf;
OUT

    run 0 "disabled only with the flag" -- \
        select 'include[/config/nginx/authentik-location.conf]' site.conf --include-disabled
    stdout_is "disabled only with the flag" <<'OUT'
site.conf:9:9: #include /config/nginx/authentik-location.conf;
OUT
    run 1 "disabled directive without the flag" -- \
        select 'include[/config/nginx/authentik-location.conf]' site.conf
    stdout_empty "disabled directive without the flag"
    stderr_empty "disabled directive without the flag"

    run 0 "block heads" -- select location site.conf crlf.conf
    stdout_is "block heads" <<'OUT'
site.conf:7:5: location / {
site.conf:13:9: location /api {
site.conf:18:5: location ~ (/app)?/api {
crlf.conf:3:5: location / {
OUT
    run 0 "quoted arguments as written" -- select 'server_name[*=www.example.com]' site.conf
    stdout_is "quoted arguments as written" <<'OUT'
site.conf:4:5: server_name "app.example.com" 'www.example.com';
OUT
    # A line end inside a quoted argument, and a comment between two words, become a space.
    run 0 "multi-line directives on one line" -- select 'location[0=~] > *' site.conf
    stdout_is "multi-line directives on one line" <<'OUT'
site.conf:19:9: include /config/nginx/proxy.conf;
site.conf:20:9: add_header X-Note "two lines";
site.conf:22:9: proxy_set_header Host $host;
OUT

    run 1 "nothing matched" -- select 'server > proxy_pass' site.conf crlf.conf
    stdout_empty "nothing matched"
    stderr_empty "nothing matched"

    # grep's rule for unreadable files: exit 2, the other files are still searched.
    run 2 "a file that does not parse" -- select 'location > include' broken.conf crlf.conf
    stdout_is "a file that does not parse" <<'OUT'
crlf.conf:4:9: include /config/nginx/proxy.conf;
OUT
    stderr_lines 1 "broken.conf:6:1: " "a file that does not parse"
    run 2 "a missing file" -- select include missing.conf
    stdout_empty "a missing file"
    stderr_lines 1 "missing.conf" "a missing file"

    run 2 "bad selector" -- select 'server >' site.conf
    stdout_empty "bad selector"
    stderr_lines 1 "ngxconf: " "bad selector"
    run 2 "bad selector filter" -- select 'location[0' site.conf
    stderr_lines 1 "ngxconf: " "bad selector filter"
    run 2 "usage error: no FILE" -- select include
    stdout_empty "usage error: no FILE"

    run 0 "standard input" -- select listen - <crlf.conf
    stdout_is "standard input" <<'OUT'
<stdin>:2:5: listen 80;
OUT

    run 0 "--max-depth deep enough" -- select --max-depth 4 return deep.conf
    stdout_is "--max-depth deep enough" <<'OUT'
deep.conf:1:44: return 204;
OUT
    run 2 "--max-depth exceeded" -- select --max-depth 3 return deep.conf
    stdout_empty "--max-depth exceeded"
    stderr_lines 1 "deep.conf:1:42: " "--max-depth exceeded"
    run 1 "--max-depth exceeded: print" -- print --max-depth 3 deep.conf
    run 0 "--max-depth on dump" -- dump --max-depth 4 deep.conf
    run 2 "--max-depth wants a number" -- select --max-depth x return deep.conf

    run 0 "--version" -- --version
    stdout_is "--version is the CMake version" <<<"$VERSION"

    run 0 "select --json" -- select --json --include-disabled 'location include' site.conf crlf.conf
    json_check "select --json" '
src = {f: open(f, "rb").read() for f in ("site.conf", "crlf.conf")}
assert isinstance(doc, list) and len(doc) == 5, len(doc)
got = [(m["file"], m["line"], m["directive"], m["args"], m.get("disabled", False)) for m in doc]
assert got == [
    ("site.conf", 8, "include", ["/config/nginx/proxy.conf"], False),
    ("site.conf", 9, "include", ["/config/nginx/authentik-location.conf"], True),
    ("site.conf", 14, "include", ["/config/nginx/proxy.conf"], False),
    ("site.conf", 19, "include", ["/config/nginx/proxy.conf"], False),
    ("crlf.conf", 4, "include", ["/config/nginx/proxy.conf"], False)], got
for m in doc:
    assert "block" not in m
    assert set(m) <= {"directive", "line", "args", "disabled", "file", "region"}, m
    data = src[m["file"]]
    for end in ("begin", "end"):
        p = m["region"][end]
        assert data.count(b"\n", 0, p["byte"]) + 1 == p["line"], (m, end)
        assert p["byte"] - (data.rfind(b"\n", 0, p["byte"]) + 1) + 1 == p["column"], (m, end)
    text = data[m["region"]["begin"]["byte"]:m["region"]["end"]["byte"]]
    assert text.strip().lstrip(b"#").startswith(b"include " + m["args"][0].encode()), text
    assert text.endswith(b"\n"), text
'
    run 0 "select --json: a block directive" -- select --json 'server' crlf.conf
    json_check "select --json: block omitted" '
assert len(doc) == 1 and doc[0]["directive"] == "server" and "block" not in doc[0], doc
assert doc[0]["region"]["begin"]["byte"] == 0
assert doc[0]["region"]["end"]["byte"] == len(open("crlf.conf", "rb").read()), doc
'
    run 1 "select --json, nothing matched" -- select --json nothing site.conf
    stdout_is "select --json, nothing matched" <<'OUT'
[]
OUT

    run 1 "check --json" -- check --json site.conf broken.conf bom.conf missing.conf
    json_check "check --json" '
assert doc["ok"] is False
got = [(d["file"], d["line"], d["column"], d["severity"], d["code"]) for d in doc["diagnostics"]]
assert got == [("broken.conf", 6, 1, "error", "syntax.unexpected_close_brace"),
               ("bom.conf", 1, 1, "warning", "lint.bom"),
               ("missing.conf", None, None, "error", "io.error")], got
assert all(isinstance(d["message"], str) and d["message"] for d in doc["diagnostics"])
'
    stderr_empty "check --json"
    run 0 "check --json, warnings only" -- check --json bom.conf site.conf
    json_check "check --json, warnings only" '
assert doc["ok"] is True and [d["code"] for d in doc["diagnostics"]] == ["lint.bom"], doc
'
    run 1 "check --json --max-depth" -- check --json --max-depth 3 - <deep.conf
    json_check "check --json --max-depth" '
assert doc == {"ok": False, "diagnostics": [{"file": "<stdin>", "line": 1, "column": 42,
    "severity": "error", "code": "syntax.nesting_too_deep", "message": doc["diagnostics"][0]["message"]}]}, doc
'
    run 0 "check, lines" -- check site.conf crlf.conf
    stdout_empty "check, lines"
    stderr_empty "check, lines"

    run 0 "print -" -- print - <crlf.conf
    cmp -s "$OUT" crlf.conf || fail "print - changed the bytes"
    pass "print -: the same bytes"
    run 0 "parse --json -" -- parse --json - <crlf.conf
    json_check "parse --json -" '
assert doc["config"][0]["file"] == "<stdin>", doc
assert doc["config"][0]["parsed"][0]["directive"] == "server", doc
'
    run 2 "parse --follow-includes - is refused" -- parse --follow-includes - <crlf.conf
    printf 'return 200 "M\xf6lln";\nreturn 200 "M\xc3\xb6lln";\n' >"$WORK/latin1.conf"
    run 0 "parse --json, not UTF-8" -- parse --json - <"$WORK/latin1.conf"
    stdout_is "parse --json, not UTF-8" <<'OUT'
{"status":"ok","errors":[],"config":[{"file":"<stdin>","status":"ok","errors":[],"parsed":[{"directive":"return","line":1,"args":["200","M\ufffdlln"]},{"directive":"return","line":2,"args":["200","Mölln"]}]}]}
OUT
    run 0 "parse --bytes=surrogateescape" -- parse --json --bytes=surrogateescape - <"$WORK/latin1.conf"
    json_check "parse --bytes=surrogateescape" '
args = [d["args"][1].encode("utf-8", "surrogateescape") for d in doc["config"][0]["parsed"]]
assert args == [b"M\xf6lln", b"M\xc3\xb6lln"], args
'
    run 2 "parse --bytes=latin1 is refused" -- parse --json --bytes=latin1 - <"$WORK/latin1.conf"
    run 0 "dump -" -- dump - <crlf.conf
    [ -s "$OUT" ] || fail "dump - printed nothing"
    pass "dump -: a tree"
    check_recovering
}

# check --all-errors, parse --all-errors and --spans.
check_recovering() {
    printf 'a 1;\n;\nserver {\n    listen 80\n}\nhttp {\n' >"$WORK/broken.conf"
    run 1 "check (nginx's first error only)" -- check "$WORK/broken.conf"
    stderr_lines 1 "$WORK/broken.conf:2:1: unexpected \";\"" "check"
    run 1 "check --all-errors" -- check --all-errors "$WORK/broken.conf"
    stdout_empty "check --all-errors"
    printf '%s\n' "$WORK/broken.conf:2:1: unexpected \";\"" \
        "$WORK/broken.conf:5:1: unexpected \"}\"" \
        "$WORK/broken.conf:7:1: unexpected end of file, expecting \"}\"" >"$WORK/want"
    cmp -s "$WORK/want" "$ERR" || { diff "$WORK/want" "$ERR"; fail "check --all-errors: stderr differs"; }
    pass "check --all-errors: every error, the first nginx's"
    run 1 "check --all-errors --json" -- check --all-errors --json - <"$WORK/broken.conf"
    json_check "check --all-errors --json" '
got = [(d["file"], d["line"], d["column"], d["code"]) for d in doc["diagnostics"]]
assert doc["ok"] is False and got == [("<stdin>", 2, 1, "syntax.unexpected_semicolon"),
    ("<stdin>", 5, 1, "syntax.unexpected_close_brace"),
    ("<stdin>", 7, 1, "syntax.eof_expecting_close")], got
'
    run 0 "check --all-errors, a good file" -- check --all-errors site.conf
    stderr_empty "check --all-errors, a good file"
    run 1 "parse --json --all-errors" -- parse --json --all-errors - <"$WORK/broken.conf"
    json_check "parse --json --all-errors" '
c = doc["config"][0]
assert doc["status"] == "failed" and c["status"] == "failed", doc
assert [(e["line"], e["code"]) for e in c["errors"]] == [(2, "syntax.unexpected_semicolon"),
    (5, "syntax.unexpected_close_brace"), (7, "syntax.eof_expecting_close")], c["errors"]
assert [e["code"] for e in doc["errors"]] == [e["code"] for e in c["errors"]], doc["errors"]
assert [d["directive"] for d in c["parsed"]] == ["a", "server", "http"], c["parsed"]
assert c["parsed"][1]["block"] == [], c["parsed"][1]
'
    run 2 "parse --all-errors --follow-includes is refused" -- parse --all-errors --follow-includes "$WORK/broken.conf"
    printf 'server {\n  listen "80";\n}\n' >"$WORK/spans.conf"
    run 0 "parse --json --spans" -- parse --json --spans - <"$WORK/spans.conf"
    stdout_is "parse --json --spans" <<'OUT'
{"status":"ok","errors":[],"config":[{"file":"<stdin>","status":"ok","errors":[],"parsed":[{"directive":"server","line":1,"args":[],"span":{"offset":0,"end":25,"line":1,"column":1,"end_line":3,"end_column":2},"name_span":{"offset":0,"end":6,"line":1,"column":1,"end_line":1,"end_column":7},"arg_spans":[],"block":[{"directive":"listen","line":2,"args":["80"],"span":{"offset":11,"end":23,"line":2,"column":3,"end_line":2,"end_column":15},"name_span":{"offset":11,"end":17,"line":2,"column":3,"end_line":2,"end_column":9},"arg_spans":[{"offset":18,"end":22,"line":2,"column":10,"end_line":2,"end_column":14}]}]}]}]}
OUT
}

# --- the corpus ---------------------------------------------------------------------------

# check_positions FILE_OF_MATCHES: every "FILE:LINE:COL: text" is where the text is: the
# file's line LINE from byte COL on starts with the text (a one-line directive) or, trailing
# blanks and a comment aside, is where the text starts (a directive joined from several lines).
check_positions() {
    local entry file line col text src first n=0
    while IFS= read -r entry; do
        [[ $entry =~ ^([^:]*):([0-9]+):([0-9]+):\ (.*)$ ]] || fail "not FILE:LINE:COL: $entry"
        file=${BASH_REMATCH[1]} line=${BASH_REMATCH[2]} col=${BASH_REMATCH[3]}
        text=${BASH_REMATCH[4]}
        src=$(sed -n "${line}{p;q}" "$file")
        src=${src%$'\r'}
        src=${src:col-1}
        first=${src%%[ 	]#*}                  # a comment is left out of a joined head
        first=${first%"${first##*[! 	]}"}      # and so are the blanks before the line end
        [[ -n $text && ( $src == "$text"* || $text == "$first "* ) ]] ||
            fail "$file:$line:$col: the file has '$src', select printed '$text'"
        n=$((n + 1))
    done <"$1"
    echo "$n"
}

corpus_tests() {
    if [ ! -d "$CORPUS" ]; then
        [ "${CI:-}" != true ] || fail "corpus folder $CORPUS is missing (CI=true)"
        echo "skip - no corpus at $CORPUS"
        exit 77
    fi
    cd "$CORPUS" || fail "cannot enter $CORPUS"
    local files=()
    mapfile -d '' files < <(find . -type f -name '*.conf*' -print0 | sort -z)
    [ "${#files[@]}" -gt 0 ] || fail "no *.conf* files in $CORPUS"
    echo "${#files[@]} files"
    local spec flags selector count
    # shellcheck disable=SC2016  # $upstream_app is nginx's variable, not the shell's
    for spec in "|server > location[0=/] > include" \
        "--include-disabled|location > include[/config/nginx/authentik-location.conf]" \
        '|set[$upstream_app]' "--include-disabled|server > proxy_pass"; do
        flags=${spec%%|*} selector=${spec#*|}
        # shellcheck disable=SC2086  # flags: zero or one word
        run 0 "corpus: ${flags:+$flags }$selector" -- select $flags "$selector" "${files[@]}"
        stderr_empty "corpus: $selector"
        cp "$OUT" "$WORK/matches"
        count=$(check_positions "$WORK/matches")
        [ "$count" -gt 0 ] || fail "corpus: $selector matched nothing"
        pass "corpus: $count matches of ${flags:+$flags }$selector, each at its FILE:LINE:COL"
    done
}

if [ "${1:-}" = --corpus ]; then
    [ $# -eq 3 ] || { echo "usage: $0 --corpus NGXCONF CORPUS_DIR" >&2; exit 2; }
    NGXCONF=$(realpath "$2")
    CORPUS=${NGXCONF_CORPUS:-$3}
    corpus_tests
else
    [ $# -eq 3 ] || { echo "usage: $0 NGXCONF FIXTURES_SELECT VERSION" >&2; exit 2; }
    NGXCONF=$(realpath "$1")
    FIXTURES=$2
    VERSION=$3
    fixture_tests
fi
echo "$passed passed, 0 failed"
