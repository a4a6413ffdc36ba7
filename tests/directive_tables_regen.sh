#!/usr/bin/env bash
# Regenerates the directive tables from nginx's source and diffs them with the committed ones.
# The source is not downloaded here: NGXCONF_NGINX_SOURCES names a folder laid out as
# scripts/regen-directive-tables.sh describes (fill one with its --download). Without it the
# test is skipped (exit 77), in CI too: CI never depends on Debian's source archive.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="${NGXCONF_NGINX_SOURCES:-}"
if [[ -z "$src" || ! -d "$src/1.22/nginx/src" ]]; then
    echo "skipped: NGXCONF_NGINX_SOURCES does not name unpacked nginx sources (see scripts/regen-directive-tables.sh)"
    exit 77
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$here/scripts/regen-directive-tables.sh" "$src" "$out"
status=0
for f in "$here"/libngxconf/src/check/tables/nginx_*.inc; do
    if ! diff -u "$f" "$out/$(basename "$f")"; then
        echo "FAIL: $(basename "$f") differs from a regeneration" >&2
        status=1
    fi
done
exit "$status"
