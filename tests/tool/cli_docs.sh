#!/usr/bin/env bash
# The generated man pages and shell completions (cmake/cli_docs.cmake).
#   cli_docs.sh man  DOCS_DIR                     every page renders without a warning
#   cli_docs.sh bash DOCS_DIR BIN_DIR SWAG_DIR    bash completes commands, options, values, apps
#   cli_docs.sh zsh  DOCS_DIR BIN_DIR SWAG_DIR    zsh -n, and real completion on a pty
#   cli_docs.sh fish DOCS_DIR BIN_DIR SWAG_DIR    fish -n, and `complete -C` answers
# BIN_DIR is a PATH of the folders of the built ngxauth and ngxconf (put first, as installed); SWAG_DIR is
# fixtures/swag, copied before use. A shell or man that is not installed: exit 77 (skipped),
# or a failure when CI=true.
set -euo pipefail
mode=$1
docs=$2
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
skip() {
    if [[ ${CI:-} == true ]]; then
        echo "FAIL (CI=true): $*" >&2
        exit 1
    fi
    echo "SKIP: $*"
    exit 77
}
# expect WHAT EXPECTED ACTUAL
expect() {
    if [[ $2 != "$3" ]]; then
        fail "$1: expected [$2], got [$3]"
    else
        echo "ok: $1 -> [$3]"
    fi
}

# A SWAG tree: the fixture, plus an app active both ways and SWAG's template (not an app).
make_tree() {
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    cp -r "$SWAG_FIXTURE" "$work/nginx"
    cp "$work/nginx/proxy-confs/sonarr.subfolder.conf" "$work/nginx/proxy-confs/gitea.subfolder.conf"
    cp "$work/nginx/proxy-confs/dockge.subdomain.conf" "$work/nginx/proxy-confs/_template.subdomain.conf"
    root=$work/nginx
    # fish makes ~/.config/fish and ~/.local/share/fish on its first run: a scratch HOME.
    export HOME=$work/home
    mkdir "$HOME"
}
all_apps="bookstack dockge gitea gitea.subdomain gitea.subfolder jellyfin kasm radarr sonarr"

check_man() {
    if ! command -v man >/dev/null || ! command -v groff >/dev/null; then
        skip "man or groff not installed"
    fi
    local page err
    for page in "$docs"/*.1; do
        err=$(groff -ww -man -z "$page" 2>&1) || fail "groff $page: exit $?"
        expect "groff -ww warnings of $(basename "$page")" "" "$err"
        err=$(MANWIDTH=80 man -l -Tutf8 "$page" 2>&1 >/dev/null) || fail "man -l $page: exit $?"
        expect "man -l warnings of $(basename "$page")" "" "$err"
        # mandb reads the NAME section for whatis/apropos.
        lexgrog "$page" >/dev/null || fail "lexgrog finds no NAME section in $page"
    done
    [[ -f $docs/ngxauth.1 && -f $docs/ngxconf.1 ]] || fail "a page is missing in $docs"
}

# bash_complete WORD... : what the completion offers for the last word (the cursor's).
bash_complete() {
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    "_${1}"
    echo "${COMPREPLY[*]}"
}

check_bash() {
    # shellcheck disable=SC1091
    source "$docs/ngxauth.bash"
    # shellcheck disable=SC1091
    source "$docs/ngxconf.bash"
    expect "complete -p" "complete -o filenames -F _ngxauth ngxauth" "$(complete -p ngxauth)"
    expect "ngxauth pro" protect "$(bash_complete ngxauth pro)"
    expect "ngxauth outpost c" create "$(bash_complete ngxauth outpost c)"
    expect "ngxauth --ro" --root "$(bash_complete ngxauth --ro)"
    expect "ngxauth protect --rep" --replace "$(bash_complete ngxauth protect --rep)"
    expect "ngxauth status --js (global option after the command)" --json \
        "$(bash_complete ngxauth status --js)"
    expect "ngxauth protect --provider auth" "authentik authelia" \
        "$(bash_complete ngxauth protect --provider auth)"
    expect "ngxauth protect --provider authelia doc (value skipped)" dockge \
        "$(bash_complete ngxauth --root "$root" protect --provider authelia doc)"
    expect "ngxauth --root ROOT protect doc" dockge "$(bash_complete ngxauth --root "$root" protect doc)"
    expect "ngxauth --root ROOT protect --from-sample do (.sample apps too)" "dockge dokuwiki" \
        "$(bash_complete ngxauth --root "$root" protect --from-sample do)"
    expect "ngxauth --root=ROOT unprotect" "$all_apps" "$(bash_complete ngxauth --root="$root" unprotect '')"
    expect "NGXAUTH_ROOT=ROOT ngxauth protect doc" dockge \
        "$(NGXAUTH_ROOT=$root bash_complete ngxauth protect doc)"
    expect "ngxauth status gitea.subd" gitea.subdomain \
        "$(bash_complete ngxauth status --root "$root" gitea.subd)"
    expect "no SWAG tree: no app names" "" "$(bash_complete ngxauth --root "$work/none" protect '')"
    (cd "$root" && expect "ngxauth --root prox (folders)" proxy-confs \
        "$(bash_complete ngxauth --root prox)")
    expect "ngxconf ch" check "$(bash_complete ngxconf ch)"
    expect "ngxconf check --js" --json "$(bash_complete ngxconf check --js)"
    expect "ngxconf parse --bytes s" surrogateescape "$(bash_complete ngxconf parse --bytes s)"
    (cd "$root" && expect "ngxconf check ss (files)" ssl.conf "$(bash_complete ngxconf check ss)")
}

check_zsh() {
    command -v zsh >/dev/null || skip "zsh not installed"
    zsh -n "$docs/_ngxauth" || fail "zsh -n _ngxauth"
    zsh -n "$docs/_ngxconf" || fail "zsh -n _ngxconf"
    # Real completion: the lines typed into an interactive zsh (tests/tool/zsh_complete.zsh),
    # each followed by TAB; what the line became.
    zc() {
        zsh -f "$(dirname "${BASH_SOURCE[0]}")/zsh_complete.zsh" "$docs" "$BIN_PATH" "$@" |
            sed 's/^RESULT://'
    }
    local got
    got=$(zc "ngxauth pro" "ngxauth outpost cr" "ngxauth --root $root protect doc" \
        "ngxauth --root=$root status gitea.subd" "ngxauth --root $root protect --from-sample doku" \
        "ngxauth protect --provider authel" \
        "ngxauth status --js" "ngxconf ch" "ngxconf parse --bytes su")
    expect "zsh completion" "ngxauth protect
ngxauth outpost create
ngxauth --root $root protect dockge
ngxauth --root=$root status gitea.subdomain
ngxauth --root $root protect --from-sample dokuwiki
ngxauth protect --provider authelia
ngxauth status --json
ngxconf check
ngxconf parse --bytes surrogateescape" "$got"
}

check_fish() {
    command -v fish >/dev/null || skip "fish not installed"
    fish -n "$docs/ngxauth.fish" || fail "fish -n ngxauth.fish"
    fish -n "$docs/ngxconf.fish" || fail "fish -n ngxconf.fish"
    fc() { fish --no-config -c "source $docs/$1.fish; complete -C '$2'" | cut -f1 | tr '\n' ' ' | sed 's/ $//'; }
    expect "fish: ngxauth pro" protect "$(fc ngxauth 'ngxauth pro')"
    expect "fish: ngxauth outpost c" create "$(fc ngxauth 'ngxauth outpost c')"
    expect "fish: ngxauth --root ROOT protect doc" dockge "$(fc ngxauth "ngxauth --root $root protect doc")"
    expect "fish: ngxauth --root ROOT protect --from-sample dok" dokuwiki \
        "$(fc ngxauth "ngxauth --root $root protect --from-sample dok")"
    expect "fish: ngxauth protect --provider auth" "authelia authentik" \
        "$(fc ngxauth 'ngxauth protect --provider auth')"
    expect "fish: ngxauth status --js" --json "$(fc ngxauth 'ngxauth status --js')"
    expect "fish: ngxconf ch" check "$(fc ngxconf 'ngxconf ch')"
}

case $mode in
man) check_man ;;
bash | zsh | fish)
    BIN_PATH=$3
    export PATH="$3:$PATH"
    SWAG_FIXTURE=$4
    make_tree
    unset NGXAUTH_ROOT
    "check_$mode"
    ;;
*)
    echo "usage: cli_docs.sh man|bash|zsh|fish DOCS_DIR [BIN_DIR SWAG_DIR]" >&2
    exit 2
    ;;
esac
if ((failures)); then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "all checks passed"
