#!/usr/bin/env bash
# The .deb a self-hoster installs: builds it with `cpack -G DEB` in a built tree, checks its
# control fields and contents, installs it with dpkg, runs the installed ngxauth, ngxconf and
# man pages, and removes it again, leaving the machine as it was.
#
#   scripts/check-deb.sh BUILD_DIR
#
# Needs root (dpkg -i): without it, exit 77 (skipped), or a failure when CI=true. Refuses to
# run when an ngxauth package, or a /usr/bin/ngxauth or /usr/bin/ngxconf of another origin, is
# already there: removing the package afterwards would take them away.
set -euo pipefail

build=${1:?usage: check-deb.sh BUILD_DIR}
build=$(cd "$build" && pwd)
failures=0
fail() {
    echo "check-deb: FAIL: $*" >&2
    failures=$((failures + 1))
}
ok() { echo "check-deb: ok: $*"; }
expect() {  # expect WHAT EXPECTED ACTUAL
    if [[ $2 == "$3" ]]; then ok "$1: $3"; else fail "$1: expected [$2], got [$3]"; fi
}
skip_or_fail() {
    if [[ ${CI:-} == true ]]; then
        echo "check-deb: FAIL (CI=true): $*" >&2
        exit 1
    fi
    echo "check-deb: SKIP: $*"
    exit 77
}

((EUID == 0)) || skip_or_fail "dpkg -i needs root"
if dpkg-query -W -f='${Status}' ngxauth 2>/dev/null | grep -q installed; then
    skip_or_fail "an ngxauth package is installed already; not replacing it"
fi
for f in /usr/bin/ngxauth /usr/bin/ngxconf; do
    [[ ! -e $f ]] || skip_or_fail "$f exists already; not replacing it"
done

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
arch=$(dpkg --print-architecture)
deb=$build/package/ngxauth_${version}_${arch}.deb
rm -f "$deb"
(cd "$build" && cpack -G DEB -B "$build/package" >"$build/package.log" 2>&1) ||
    { cat "$build/package.log"; fail "cpack -G DEB"; exit 1; }
[[ -f $deb ]] || { fail "cpack made no $deb"; exit 1; }
ok "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# Control fields.
field() { dpkg-deb -f "$deb" "$1"; }
expect Package ngxauth "$(field Package)"
expect Version "$version" "$(field Version)"
[[ -n $(field Maintainer) ]] || fail "no Maintainer"
[[ -n $(field Description) ]] || fail "no Description"
depends=$(field Depends)
if ldd "$build/tools/ngxauth/ngxauth" >/dev/null 2>&1; then  # a dynamic ngxauth
    for lib in libcurl4 libfmt9 libc6; do
        [[ $depends == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
    done
fi
[[ $depends != *nginx* ]] || fail "Depends names nginx: $depends"
ok "Depends: $depends"

# Contents: the tools, their pages and completions; nothing of the developer package.
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/ngxauth ./usr/bin/ngxconf \
    ./usr/share/man/man1/ngxauth.1.gz ./usr/share/man/man1/ngxconf.1.gz \
    ./usr/share/bash-completion/completions/ngxauth ./usr/share/bash-completion/completions/ngxconf \
    ./usr/share/zsh/vendor-completions/_ngxauth ./usr/share/zsh/vendor-completions/_ngxconf \
    ./usr/share/fish/vendor_completions.d/ngxauth.fish ./usr/share/fish/vendor_completions.d/ngxconf.fish; do
    grep -qxF "$f" <<<"$contents" || fail "the package lacks $f"
done
if grep -E '^\./usr/(include|lib)/' <<<"$contents"; then fail "developer files in the package"; fi

# Install, use, remove.
remove() { dpkg -r ngxauth >/dev/null 2>&1 || true; dpkg --purge ngxauth >/dev/null 2>&1 || true; }
trap remove EXIT
dpkg -i "$deb" >"$build/package-install.log" 2>&1 ||
    { cat "$build/package-install.log"; fail "dpkg -i"; exit 1; }
ok "dpkg -i"
for tool in ngxauth ngxconf; do
    out=$("/usr/bin/$tool" --version)
    if [[ $out == *" $version" || $out == "$version" ]]; then ok "$tool --version: $out"; else
        fail "$tool --version: expected the version $version, got [$out]"
    fi
done
expect "man -w ngxauth" /usr/share/man/man1/ngxauth.1.gz "$(man -w ngxauth)"
expect "man -w ngxconf" /usr/share/man/man1/ngxconf.1.gz "$(man -w ngxconf)"
first=$(MANWIDTH=80 man ngxauth 2>&1 | head -1 | tr -s ' ')
expect "man ngxauth | head -1" "NGXAUTH(1) User Commands NGXAUTH(1)" "$first"
# The shells find the installed completions where they look by themselves.
expect "bash: complete -p ngxauth" "complete -o filenames -F _ngxauth ngxauth" \
    "$(bash -c 'source /usr/share/bash-completion/completions/ngxauth && complete -p ngxauth')"
if command -v zsh >/dev/null; then
    expect "zsh: compinit's function for ngxauth" _ngxauth \
        "$(zsh -f -c 'autoload -U compinit && compinit -u -D && print -r -- ${_comps[ngxauth]}')"
fi
if command -v fish >/dev/null; then  # not --no-config: that leaves fish no completion path
    expect "fish: complete -C 'ngxauth pro'" protect \
        "$(home=$(mktemp -d) && HOME=$home fish -c "complete -C 'ngxauth pro'" | cut -f1; rm -rf "$home")"
fi
dpkg -r ngxauth >/dev/null
dpkg --purge ngxauth >/dev/null 2>&1  # any record -r left (none without conffiles)
trap - EXIT
expect "status after dpkg -r" "" "$(dpkg-query -W -f='${Status}' ngxauth 2>/dev/null || true)"
for f in /usr/bin/ngxauth /usr/bin/ngxconf /usr/share/man/man1/ngxauth.1.gz; do
    [[ ! -e $f ]] || fail "$f left behind by dpkg -r"
done

if ((failures)); then
    echo "check-deb: $failures check(s) failed" >&2
    exit 1
fi
echo "check-deb: all checks passed"
