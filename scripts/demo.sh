#!/usr/bin/env bash
# THE demo command (README): sudo bash scripts/demo.sh
# Installs the dependencies, builds ngxauth, and runs it on a temporary copy of fixtures/swag:
# status, the diff of protecting dockge, protect, switch-upstream, status again.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$NGXCONF_ROOT"

build=${BUILD_DIR:-build}
bash scripts/install-deps.sh
configure "$build" -DCMAKE_BUILD_TYPE=Release -DNGXCONF_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target ngxauth

# The main job on a throw-away copy of fixtures/swag (a hand-written SWAG-shaped tree): see
# which apps are protected, preview protecting dockge as a diff, do it, point Authentik's
# forward-auth at an outpost container, and look again.
ngxauth=$(cd "$build" && pwd)/tools/ngxauth/ngxauth
tree=$(mktemp -d "${TMPDIR:-/tmp}/ngxauth-demo.XXXXXX")
trap 'rm -rf "$tree"' EXIT
cp -a fixtures/swag/. "$tree/"

run() {
    echo
    echo "\$ ngxauth $*"
    "$ngxauth" --root "$tree" "$@"
}
run status
run --dry-run protect dockge
run protect dockge
run switch-upstream authentik-outpost
run status
