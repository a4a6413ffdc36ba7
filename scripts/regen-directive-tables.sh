#!/usr/bin/env bash
# Regenerates libngxconf/src/check/tables/nginx_*.inc from nginx's source as Debian ships it.
#
#   scripts/regen-directive-tables.sh [--download] SRCROOT [OUTDIR]
#
# SRCROOT holds one folder per table, each with the unpacked release tarballs (.orig.tar.*):
#   SRCROOT/1.22/nginx/                      nginx 1.22.1 (bookworm)
#   SRCROOT/1.22/libnginx-mod-http-lua/      ... one folder per third-party module
#   SRCROOT/1.26/nginx/                      nginx 1.26.3 (trixie)
#   SRCROOT/1.26/libnginx-mod-*/
# --download fills SRCROOT first with `apt-get source --download-only` (a private apt
# configuration with deb-src lines for bookworm and trixie; nothing in /etc is changed).
# OUTDIR defaults to the committed tables; tests/directive_tables_regen.sh passes a temporary
# folder and diffs.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
download=0
if [[ "${1:-}" == "--download" ]]; then download=1; shift; fi
src="${1:?usage: regen-directive-tables.sh [--download] SRCROOT [OUTDIR]}"
out="${2:-$here/libngxconf/src/check/tables}"

# The third-party modules SWAG's image loads that Debian packages as their own sources.
modules=(http-lua http-ndk http-set-misc http-headers-more-filter http-brotli http-echo
         http-dav-ext http-geoip2 http-fancyindex http-subs-filter http-upstream-fair)

fetch() {  # suite folder
    local suite="$1" dir="$2" apt="$src/.apt-$1"
    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$dir"
    echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" >"$apt/sources.list"
    local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
                -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache")
    apt-get "${opts[@]}" update >/dev/null
    local pkgs=(nginx)
    for m in "${modules[@]}"; do pkgs+=("libnginx-mod-$m"); done
    # A package whose Debian diff is gone from the mirror still leaves its .orig tarball.
    (cd "$dir" && apt-get "${opts[@]}" source --download-only "${pkgs[@]}" || true)
    for t in "$dir"/*.orig.tar.*; do
        [[ -e "$t" ]] || continue
        local name; name="$(basename "$t")"; name="${name%%_*}"
        [[ "$name" == libnginx-mod-* || "$name" == nginx ]] || continue
        mkdir -p "$dir/$name" && tar xf "$t" -C "$dir/$name" --strip-components=1
    done
}

if (( download )); then
    fetch bookworm "$src/1.22"
    fetch trixie "$src/1.26"
fi

gen() {  # table-version folder full-version
    local dir="$src/$2"
    [[ -d "$dir/nginx/src" ]] || { echo "no nginx source in $dir/nginx" >&2; return 1; }
    local args=(--version "$3" --nginx "$dir/nginx" --out "$out/nginx_$1.inc")
    for m in "${modules[@]}"; do
        # trixie's headers-more 0.38 is not on the mirror: the 1.22 folder's 0.34 stands in.
        local mdir="$dir/libnginx-mod-$m"
        [[ -d "$mdir" ]] || mdir="$src/1.22/libnginx-mod-$m"
        [[ -d "$mdir" ]] && args+=(--module "$m=$mdir")
    done
    python3 "$here/scripts/gen_directive_table.py" "${args[@]}"
}
mkdir -p "$out"
gen 1_22 1.22 1.22.1
gen 1_26 1.26 1.26.3
