#!/usr/bin/env bash
# `ngxconf check --nginx 1.22` against `nginx -t` (Debian 1.22.1) on the SWAG corpus: every
# corpus proxy-confs sample, with its Authentik lines off (as shipped) and on, placed alone
# into fixtures/swag's tree and tested with the e2e harness's main config
# (tests/e2e/nginx_harness.sh: ndk and set-misc loaded). For each:
#   - nginx accepts                           -> the tool reports no directive error;
#   - nginx rejects the sample with one of ngx_conf_handler's messages at line L
#                                             -> the tool's first error is that message at L;
#   - nginx rejects it for another reason (inside a directive's handler) at line L
#                                             -> the tool reports nothing before L.
# Any other answer is a disagreement (exit 1, the sample named). Also prints which samples the
# 1.26 table judges differently from the 1.22 one (http2 on, ...).
#
#   tests/e2e/directive_corpus.sh NGXCONF_TOOL FIXTURES_SWAG [CORPUS_DIR]
#
# Without the corpus ($NGXCONF_CORPUS, else CORPUS_DIR), nginx or openssl: skipped (exit 77),
# a failure under CI=true.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR
. "$HERE/nginx_harness.sh"

TOOL=$1
FIXTURES=$2
CORPUS=${NGXCONF_CORPUS:-${3:-}}
skip_or_fail() {
    if [ "${CI:-}" = true ]; then echo "FAIL - CI=true but $1"; exit 1; fi
    echo "skipped: $1"
    exit 77
}
[ -n "$CORPUS" ] && [ -d "$CORPUS/swag/proxy-confs" ] || skip_or_fail "corpus not found at '$CORPUS'"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
nginx_harness_init "$WORK/harness" || { echo "FAIL - certificate or DH parameters not made"; exit 1; }
[ -z "$NGINX_HARNESS_SKIP" ] || skip_or_fail "$NGINX_HARNESS_SKIP"

# The harness's nginx: Debian 1.22.1's modules without the dynamic ones it does not load.
MODS=nginx,-mail,-mail_*,-stream,-stream_*,-http_geoip,-http_image_filter,-http_perl,-http_xslt
MODS=$MODS,-google_perftools,-http_degradation,http-ndk,http-set-misc
DIRECTIVE_RE='^(unknown directive ".*"|".*" directive is not allowed here|invalid number of arguments in ".*" directive|directive ".*" has no opening "\{"|directive ".*" is not terminated by ";")$'

TREE=$WORK/tree
total=0 nginx_ok=0 agree_ok=0 agree_directive=0 handler=0 elsewhere=0 disagree=0 differs_126=0
declare -A by_message=()

# first_error FILE CONTEXT VERSION: "LINE<TAB>MESSAGE" of the tool's first directive error.
first_error() {
    "$TOOL" check --nginx "$3" --context "$2" --modules "$MODS" "$1" 2>&1 >/dev/null |
        sed -n 's/^[^:]*:\([0-9]*\):[0-9]*: error: \(.*\) \[directive\.[a-z_]*\]$/\1\t\2/p' | head -1
}

judge() {  # SAMPLE-FILE LABEL CONTEXT
    local conf=$1 label=$2 ctx=$3 name
    name=$(basename "$conf")
    total=$((total + 1))
    nginx_harness_test "$TREE"
    local rc=$? log emerg msg file line ours
    log=$(cat "$NGINX_HARNESS_LOG")
    ours=$(first_error "$conf" "$ctx" 1.22)
    if [ "$ours" != "$(first_error "$conf" "$ctx" 1.26)" ]; then
        differs_126=$((differs_126 + 1))
        echo "1.26 differs - $label: 1.22 '${ours:-ok}', 1.26 '$(first_error "$conf" "$ctx" 1.26 | cut -f2)'"
    fi
    if [ $rc -eq 0 ]; then
        nginx_ok=$((nginx_ok + 1))
        if [ -z "$ours" ]; then agree_ok=$((agree_ok + 1)); echo "agree - $label: ok"; return; fi
        disagree=$((disagree + 1)); echo "DISAGREE - $label: nginx ok, ngxconf '$ours'"; return
    fi
    emerg=$(printf '%s\n' "$log" | sed -n 's/.*\[emerg\] \([0-9]*#[0-9]*: \)\{0,1\}\(.*\) in \(.*\):\([0-9]*\)$/\2\t\3\t\4/p' | head -1)
    msg=$(printf '%s' "$emerg" | cut -f1); file=$(printf '%s' "$emerg" | cut -f2); line=$(printf '%s' "$emerg" | cut -f3)
    if [ -z "$emerg" ] || [ "$(basename "$file")" != "$name" ]; then
        elsewhere=$((elsewhere + 1)); echo "elsewhere - $label: $(printf '%s' "$log" | head -1)"; return
    fi
    if printf '%s' "$msg" | grep -Eq "$DIRECTIVE_RE"; then
        by_message["$msg"]=$(( ${by_message["$msg"]:-0} + 1 ))
        if [ "$ours" = "$line	$msg" ]; then
            agree_directive=$((agree_directive + 1)); echo "agree - $label: $line: $msg"; return
        fi
        disagree=$((disagree + 1)); echo "DISAGREE - $label: nginx '$line: $msg', ngxconf '${ours:-ok}'"; return
    fi
    handler=$((handler + 1))
    if [ -n "$ours" ] && [ "${ours%%	*}" -lt "$line" ]; then
        disagree=$((disagree + 1)); echo "DISAGREE - $label: nginx '$line: $msg' (handler), ngxconf '$ours'"
    else
        echo "handler-level - $label: nginx '$line: $msg', ngxconf '${ours:-ok}'"
    fi
}

for sample in "$CORPUS"/swag/proxy-confs/*.conf.sample; do
    base=$(basename "$sample" .sample)
    case $base in
        *.subdomain.conf) ctx=http ;;
        *.subfolder.conf) ctx=server ;;
        *) continue ;;
    esac
    for auth in off on; do
        rm -rf "$TREE"
        mkdir -p "$TREE/proxy-confs"
        cp "$FIXTURES"/*.conf "$TREE/"
        cp -a "$FIXTURES/site-confs" "$TREE/"
        cp "$sample" "$TREE/proxy-confs/$base"
        if [ $auth = on ]; then
            sed -i 's|^\( *\)#include /config/nginx/authentik-|\1include /config/nginx/authentik-|' \
                "$TREE/proxy-confs/$base"
        fi
        judge "$TREE/proxy-confs/$base" "$base (authentik $auth)" "$ctx"
    done
done
echo "corpus (nginx 1.22 table vs nginx -t): $total inputs, nginx accepted $nginx_ok ($agree_ok agree)," \
     "directive-level rejections: $agree_directive agree," \
     "handler-level $handler, rejected in another file $elsewhere, $disagree disagree;" \
     "the 1.26 table differs on $differs_126"
for m in "${!by_message[@]}"; do echo "  nginx: $m: ${by_message[$m]}"; done
[ $disagree -eq 0 ]
