#!/usr/bin/env bash
# Installs every Debian 12 package the build, the tests and the demo need. Run as root (or with
# sudo available). Idempotent and fast: when all packages are installed it touches nothing,
# not even `apt-get update`.
#
# Installing nginx must not start a daemon (it could fail on a taken port 80 and fail the
# install): a temporary policy-rc.d forbids service starts during the install. The tests never
# need a running nginx; they run `nginx -t` with their own -p prefix and -c config.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(
    # build
    g++ cmake ninja-build make
    tao-pegtl-dev libfmt-dev libcli11-dev catch2 libdtl-dev
    # fuzzing and the sanitizer build with clang (libFuzzer's runtime is only "recommended")
    clang libclang-rt-14-dev
    # the nginx oracle and ngxauth's `nginx -t` gate: nginx 1.22 with OpenResty's lua module
    nginx libnginx-mod-http-lua libnginx-mod-http-set-misc
    # ngxauth verify (HTTP client) and JSON for the API clients
    libcurl4-openssl-dev nlohmann-json3-dev
    # tools the tests and the demo call (python3: JSON checks of the e2e test, fixture generator)
    openssl file util-linux diffutils patch python3
    # the Docker tests: a private dockerd of their own (docker.io: Engine 20.10, API 1.41),
    # images made from busybox-static's binary (nothing pulled); util-linux above gives
    # unshare, nsenter and setpriv. policy-rc.d below keeps the system's dockerd from starting.
    docker.io busybox-static
    # the generated man pages and completions (man -l, groff, zsh -n, fish -n) and the .deb
    # (cpack's dpkg-shlibdeps; dpkg -i in the package stage)
    man-db groff-base zsh fish dpkg-dev
)

# One dpkg-query for all: "NAME STATUS" lines, "install ok installed" for installed packages
# (packages dpkg has never heard of are simply absent from its output).
declare -A state=()
while IFS=' ' read -r name status; do
    state[$name]=$status
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null || true)
missing=()
for p in "${packages[@]}"; do
    [[ "${state[$p]:-}" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi
echo "install-deps: installing ${missing[*]}"

sudo=()
if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "install-deps: run as root (or install sudo)" >&2; exit 1; }
    sudo=(sudo env DEBIAN_FRONTEND=noninteractive)
fi

policy=/usr/sbin/policy-rc.d
added_policy=0
if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# added by ngxconf scripts/install-deps.sh for the install only\nexit 101\n' |
        "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    added_policy=1
fi
remove_policy() { if ((added_policy)); then "${sudo[@]}" rm -f "$policy"; fi; }
trap remove_policy EXIT

"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: done"
