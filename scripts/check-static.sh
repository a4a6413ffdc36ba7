#!/usr/bin/env bash
# Builds (or takes) a fully static ngxauth and proves it: `file` and `ldd` say static, and it
# runs in an empty chroot that holds nothing but the binary and a copy of fixtures/swag.
#
#   scripts/check-static.sh --build BUILD_DIR [SOURCE_DIR]   configure + build a static ngxauth
#   scripts/check-static.sh --binary NGXAUTH [SOURCE_DIR]    check an existing binary
#
# SOURCE_DIR defaults to the repository holding this script. JOBS (default 1) sets the build's
# parallelism. The chroot part needs root: without it the script exits 77 (ctest: skipped)
# after the file/ldd checks.
set -u

die() {
    echo "check-static: FAIL: $*" >&2
    exit 1
}
ok() { echo "check-static: ok: $*"; }

[ $# -ge 2 ] || { echo "usage: $0 --build BUILD_DIR | --binary NGXAUTH [SOURCE_DIR]" >&2; exit 2; }
mode=$1
arg=$2
src=${3:-$(cd "$(dirname "$0")/.." && pwd)}

case $mode in
    --build)
        build=$arg
        # A tree configured by another generator cannot be reused: start it afresh.
        if [ -n "${CMAKE_GENERATOR:-}" ] && [ -f "$build/CMakeCache.txt" ] &&
            ! grep -qx "CMAKE_GENERATOR:INTERNAL=$CMAKE_GENERATOR" "$build/CMakeCache.txt"; then
            rm -rf "$build/CMakeCache.txt" "$build/CMakeFiles"
        fi
        cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DNGXCONF_STATIC_TOOLS=ON \
            -DNGXCONF_BUILD_TESTS=OFF -DNGXCONF_INSTALL=OFF >"$build.configure.log" 2>&1 ||
            { cat "$build.configure.log"; die "configure failed"; }
        cmake --build "$build" --target ngxauth -j "${JOBS:-1}" >"$build.build.log" 2>&1 ||
            { tail -50 "$build.build.log"; die "build failed"; }
        bin=$build/tools/ngxauth/ngxauth
        ;;
    --binary) bin=$arg ;;
    *) die "unknown mode $mode" ;;
esac
[ -x "$bin" ] || die "no binary at $bin"

desc=$(file -b "$bin")
echo "check-static: file: $desc"
case $desc in
    *"statically linked"*) ok "file says statically linked" ;;
    *"static-pie linked"*) ok "file says static-pie linked" ;;
    *) die "file does not say static" ;;
esac
if ldd_out=$(ldd "$bin" 2>&1); then
    echo "$ldd_out"
    die "ldd lists shared libraries"
fi
echo "check-static: ldd: $ldd_out"
case $ldd_out in
    *"not a dynamic executable"* | *"statically linked"*) ok "ldd says not dynamic" ;;
    *) die "unexpected ldd output" ;;
esac

if [ "$(id -u)" -ne 0 ]; then
    echo "check-static: skip: the chroot check needs root"
    exit 77
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/ngxauth-chroot.XXXXXX")
trap 'rm -rf "$root"' EXIT
cp "$bin" "$root/ngxauth"
cp -a "$src/fixtures/swag" "$root/tree"
echo "check-static: chroot holds: $(cd "$root" && find . -maxdepth 1 ! -name . | LC_ALL=C sort | tr '\n' ' ')"

out=$(chroot "$root" /ngxauth --no-color --root /tree status 2>&1) ||
    { echo "$out"; die "status in the empty chroot failed"; }
echo "$out" | grep -q '^dockge ' || { echo "$out"; die "status shows no dockge row"; }
ok "status runs in the empty chroot"

out=$(chroot "$root" /ngxauth --no-color --root /tree --dry-run protect dockge 2>&1) ||
    { echo "$out"; die "--dry-run protect in the chroot failed"; }
echo "$out" | grep -qF '+    include /config/nginx/authentik-server.conf;' ||
    { echo "$out"; die "no diff from --dry-run protect"; }
ok "--dry-run protect dockge prints the diff in the chroot"

out=$(chroot "$root" /ngxauth --no-color --root /tree protect dockge 2>&1) ||
    { echo "$out"; die "protect in the chroot failed"; }
grep -qxF '    include /config/nginx/authentik-server.conf;' "$root/tree/proxy-confs/dockge.subdomain.conf" ||
    die "protect in the chroot did not write"
ok "protect dockge writes in the chroot"

out=$(chroot "$root" /ngxauth --no-color --root /tree unprotect dockge 2>&1) ||
    { echo "$out"; die "unprotect in the chroot failed"; }
cmp -s "$src/fixtures/swag/proxy-confs/dockge.subdomain.conf" "$root/tree/proxy-confs/dockge.subdomain.conf" ||
    die "unprotect in the chroot did not restore the file"
ok "unprotect dockge restores the file in the chroot"
echo "check-static: all checks passed"
