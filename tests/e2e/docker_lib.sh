# shellcheck shell=bash
# shellcheck disable=SC2034 # DOCKER_SOCK, DOCKER_PID, DOCKER_CLI are read by the sourcing scripts
# Shared helpers of the Docker end-to-end scripts (sources e2e_lib.sh): a private dockerd of
# their own, nothing pulled, everything removed at the end.
#
#   docker_begin NAME [DOCKERD_ARGS...]
#       Checks what the tests need (root, dockerd, a static busybox, unshare, nsenter, curl;
#       skip with exit 77, or fail when CI=true), makes a folder /tmp/ngxdk.XXXXXX (short:
#       a unix socket path is at most 107 bytes) and starts dockerd in a network namespace
#       of its own (loopback only, no iptables, vfs storage, its own containerd namespace,
#       containers killed 2 s after SIGTERM when it stops),
#       listening on DOCKER_SOCK (and on what DOCKERD_ARGS add, e.g. -H tcp://127.0.0.1:P).
#       Waits for its /_ping (at most 20 s). Sets and exports DOCKER_SOCK and DOCKER_HOST
#       (unix://DOCKER_SOCK), sets DOCKER_PID, DOCKER_DIR, and WORK, OUT, ERR (unless the
#       script set them), and the traps that remove every container, stop dockerd and its
#       containerd shims, and remove the folder.
#   docker_restart    stops dockerd (its containers stop) and starts it again, same folder
#   docker_image      imports ngxt/busybox:1 (busybox-static and its applet links) once
#   dk ARGS...        the docker CLI against the private daemon
#   docker_netns CMD  runs CMD inside the daemon's network namespace (where its tcp
#                     listener and the containers' networks are)
#
# The sourcing script sets the counters passed and skipped (e2e_lib.sh's pass/fail/skip).

# shellcheck source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/e2e_lib.sh"

DOCKER_IMAGE=ngxt/busybox:1
DOCKER_DIR=
DOCKER_PID=
DOCKER_UNSHARE_PID=
DOCKER_NS=
DOCKERD_ARGS=()
# Debian's client (docker.io) matches its daemon; another one may come first on PATH.
if [ -x /usr/bin/docker ]; then DOCKER_CLI=/usr/bin/docker; else DOCKER_CLI=$(command -v docker || true); fi

docker_skip_or_fail() {
    if [ "${CI:-}" = true ]; then
        echo "FAIL - $* (CI=true: not skipped)"
        exit 1
    fi
    echo "skip - $*"
    exit 77
}

# A busybox that runs in an image without a libc: Debian's busybox-static.
docker_static_busybox() {
    local b
    for b in /bin/busybox /usr/bin/busybox; do
        [ -x "$b" ] || continue
        if LC_ALL=C ldd "$b" 2>&1 | grep -q -e 'not a dynamic executable' -e 'statically linked'; then
            echo "$b"
            return 0
        fi
    done
    return 1
}

docker_check_tools() {
    [ "$(id -u)" -eq 0 ] || docker_skip_or_fail "the Docker tests need root (their own dockerd)"
    local tool
    for tool in dockerd unshare nsenter ip curl; do
        command -v "$tool" >/dev/null 2>&1 || docker_skip_or_fail "$tool not installed (apt-get install docker.io util-linux iproute2 curl)"
    done
    [ -n "$DOCKER_CLI" ] || docker_skip_or_fail "no docker client (apt-get install docker.io)"
    docker_static_busybox >/dev/null || docker_skip_or_fail "no static busybox (apt-get install busybox-static)"
    unshare --net true 2>/dev/null || docker_skip_or_fail "unshare --net failed (no namespaces here)"
}

dk() { "$DOCKER_CLI" --host "unix://$DOCKER_SOCK" "$@"; }

docker_netns() { nsenter --net="/proc/$DOCKER_PID/ns/net" -- "$@"; }

# docker_ping: the daemon answers its /_ping.
docker_ping() {
    [ "$(curl -s --max-time 2 --unix-socket "$DOCKER_SOCK" http://docker/_ping 2>/dev/null)" = OK ]
}

docker_begin() {
    local name=$1
    shift
    docker_check_tools
    DOCKER_DIR=$(mktemp -d /tmp/ngxdk.XXXXXX)
    # Everything of this run is named after the folder, so that two runs never share anything.
    DOCKER_NS="ngxt-${DOCKER_DIR##*.}"
    DOCKER_SOCK=$DOCKER_DIR/docker.sock
    export DOCKER_SOCK DOCKER_HOST="unix://$DOCKER_SOCK"
    : "${WORK:=$DOCKER_DIR/work}"
    : "${OUT:=$WORK/out}"
    : "${ERR:=$WORK/err}"
    mkdir -p "$WORK"
    trap docker_cleanup EXIT
    trap 'exit 1' INT TERM
    echo "# $name: dockerd in $DOCKER_DIR (containerd namespace $DOCKER_NS)"
    DOCKERD_ARGS=("$@")
    FAIL_EXTRA_LOG=$DOCKER_DIR/dockerd.log
    docker_start_dockerd "at start"
    pass "a private dockerd answers on $DOCKER_SOCK ($(dk version --format '{{.Server.Version}}' 2>/dev/null))"
}

# docker_start_dockerd WHEN: starts dockerd on DOCKER_DIR in a network namespace of its own
# with DOCKERD_ARGS (the log appended to), waits for its /_ping (at most 20 s), sets
# DOCKER_UNSHARE_PID and DOCKER_PID. WHEN goes into the failure message.
docker_start_dockerd() {
    # shellcheck disable=SC2016 # $0.. are the inner shell's
    unshare --net --fork sh -c 'ip link set lo up || exit 1; d=$1; ns=$2; shift 2
        exec dockerd --host "unix://$d/docker.sock" --data-root "$d/data" --exec-root "$d/exec" \
            --pidfile "$d/docker.pid" --iptables=false --ip6tables=false --storage-driver vfs \
            --containerd-namespace "$ns" --containerd-plugins-namespace "$ns-p" \
            --shutdown-timeout 2 "$@"' \
        sh "$DOCKER_DIR" "$DOCKER_NS" "${DOCKERD_ARGS[@]}" >>"$DOCKER_DIR/dockerd.log" 2>&1 &
    DOCKER_UNSHARE_PID=$!
    local tries=0
    until [ -S "$DOCKER_SOCK" ] && docker_ping; do
        kill -0 "$DOCKER_UNSHARE_PID" 2>/dev/null || fail "dockerd exited $1"
        tries=$((tries + 1))
        [ $tries -le 200 ] || fail "dockerd did not answer /_ping within 20 s ($1)"
        sleep 0.1
    done
    DOCKER_PID=$(cat "$DOCKER_DIR/docker.pid")
}

# docker_restart: stops the private dockerd (SIGTERM; its containers stop with it, as after a
# host reboot) and starts it again on the same folder, with the same arguments: what a client
# that follows the daemon must survive.
docker_restart() {
    kill -TERM "$DOCKER_PID" 2>/dev/null
    local tries=0
    while kill -0 "$DOCKER_UNSHARE_PID" 2>/dev/null && [ $tries -lt 200 ]; do
        sleep 0.1
        tries=$((tries + 1))
    done
    kill -0 "$DOCKER_UNSHARE_PID" 2>/dev/null && fail "dockerd did not stop within 20 s"
    wait "$DOCKER_UNSHARE_PID" 2>/dev/null
    docker_start_dockerd "at its restart"
}

# Removes every container, stops dockerd (SIGTERM, then SIGKILL after 20 s), its leftover
# containerd shims and containerd, unmounts what it left and removes the folder.
docker_cleanup() {
    local rc=$? pid tries
    [ -n "$DOCKER_DIR" ] || return "$rc"
    if [ -n "$DOCKER_PID" ] && kill -0 "$DOCKER_PID" 2>/dev/null && docker_ping; then
        # shellcheck disable=SC2046 # one id per word
        dk ps -aq | xargs -r timeout 30 "$DOCKER_CLI" --host "unix://$DOCKER_SOCK" rm -f >/dev/null 2>&1
    fi
    if [ -n "$DOCKER_UNSHARE_PID" ]; then
        [ -n "$DOCKER_PID" ] && kill -TERM "$DOCKER_PID" 2>/dev/null
        tries=0
        while kill -0 "$DOCKER_UNSHARE_PID" 2>/dev/null && [ $tries -lt 200 ]; do
            sleep 0.1
            tries=$((tries + 1))
        done
        if kill -0 "$DOCKER_UNSHARE_PID" 2>/dev/null; then
            [ -n "$DOCKER_PID" ] && kill -KILL "$DOCKER_PID" 2>/dev/null
            kill -KILL "$DOCKER_UNSHARE_PID" 2>/dev/null
        fi
        wait "$DOCKER_UNSHARE_PID" 2>/dev/null
    fi
    # The shims of this run's namespace and the containerd dockerd started for it.
    for pid in $(pgrep -f -- "-namespace $DOCKER_NS( |\$)") \
               $(pgrep -f -- "containerd --config $DOCKER_DIR/"); do
        kill -KILL "$pid" 2>/dev/null
    done
    # Network namespaces and other mounts under the folder, deepest first.
    awk -v d="$DOCKER_DIR/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
        while read -r m; do umount -l "$m" 2>/dev/null; done
    rm -rf "$DOCKER_DIR"
    return "$rc"
}

# docker_image: ngxt/busybox:1, a rootfs of busybox-static with a link per applet (sh,
# httpd, sleep, cat, nc, ...), imported once per daemon; nothing is pulled.
docker_image() {
    dk image inspect "$DOCKER_IMAGE" >/dev/null 2>&1 && return 0
    local root=$DOCKER_DIR/rootfs busybox applet
    busybox=$(docker_static_busybox) || fail "no static busybox"
    mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/www"
    cp "$busybox" "$root/bin/busybox"
    for applet in $("$busybox" --list); do
        [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
    done
    echo 'root:x:0:0:root:/:/bin/sh' >"$root/etc/passwd"
    echo 'nobody:x:65534:65534:nobody:/:/bin/false' >>"$root/etc/passwd"
    tar -C "$root" -c . | dk import --change 'ENV PATH=/bin' - "$DOCKER_IMAGE" >/dev/null ||
        fail "docker import of the busybox rootfs"
    rm -rf "$root"
    pass "image $DOCKER_IMAGE imported from busybox-static (nothing pulled)"
}
