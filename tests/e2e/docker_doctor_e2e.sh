#!/usr/bin/env bash
# doctor's container checks, --validate auto and switch-upstream --strict against a real
# Docker daemon of the test's own (tests/e2e/docker_lib.sh: private dockerd, nothing pulled).
#
#   tests/e2e/docker_doctor_e2e.sh NGXAUTH FIXTURES_SWAG
#
# SWAG's stand-in is the busybox image tagged lscr.io/linuxserver/swag:e2e (found by image),
# with the test tree's parent bind-mounted at /config, so the tree is its /config/nginx.
# Apps are busybox httpd containers: on SWAG's network (docker.resolved), on another network
# (docker.upstream_unresolved), missing, known by a --network-alias only, stopped, a port the
# image does not expose, an IP outside Docker; Authentik's stand-in (image tagged
# ghcr.io/goauthentik/server:e2e) with AUTHENTIK_LISTEN__TRUSTED_PROXY_CIDRS excluding SWAG's
# address, then unset, then renamed away (docker.auth_unresolved with the switch-upstream fix).
#
# --validate auto runs `nginx -c /config/nginx/nginx.conf -t` in SWAG's container. The busybox
# image has no nginx, so the stand-in gets a small wrapper bind-mounted at /usr/sbin/nginx
# that runs the host's nginx through a read-only bind mount of the host's root at /host: the
# host's dynamic loader (/host/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2) and libraries
# (not chroot, so that nginx reads /config as the container sees it). The tree carries a small
# nginx.conf of its own that includes its proxy-confs (SWAG's real one needs nginx 1.25+).
set -u

if [ $# -lt 2 ]; then
    echo "usage: $0 NGXAUTH FIXTURES_SWAG" >&2
    exit 2
fi
NGXAUTH_BIN=$(realpath "$1")
FIXTURES=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
passed=0
skipped=0
# shellcheck source-path=SCRIPTDIR
. "$HERE/docker_lib.sh"
command -v python3 >/dev/null 2>&1 || docker_skip_or_fail "python3 is needed to read JSON"
command -v nginx >/dev/null 2>&1 || docker_skip_or_fail "nginx is needed for --validate auto"

docker_begin docker_doctor
docker_image
dk tag "$DOCKER_IMAGE" lscr.io/linuxserver/swag:e2e
dk tag "$DOCKER_IMAGE" ghcr.io/goauthentik/server:e2e

CONFIG=$WORK/config
TREE=$CONFIG/nginx
mkdir -p "$TREE/proxy-confs" "$TREE/site-confs"
cp "$FIXTURES/authentik-server.conf" "$FIXTURES/authentik-location.conf" "$TREE/"
cp "$FIXTURES/site-confs/default.conf" "$TREE/site-confs/"

# app NAME HOST PORT: a proxy-conf whose upstream is HOST:PORT.
app() {
    cat >"$TREE/proxy-confs/$1.subdomain.conf" <<CONF
server {
    listen 443 ssl;
    server_name $1.*;
    location / {
        set \$upstream_app $2;
        set \$upstream_port $3;
        set \$upstream_proto http;
        proxy_pass \$upstream_proto://\$upstream_app:\$upstream_port;
    }
}
CONF
}
app shared app1 8080
app portless app1 9999
app other app2 8080
app missing app3 8080
app aliased app4 8080
app stopped app5 8080
app outside 192.168.1.20 80
# What nginx -t in SWAG's stand-in reads: this tree's proxy-confs, temp paths in /tmp.
cat >"$TREE/nginx.conf" <<'CONF'
user nobody nogroup;
pid /tmp/nginx.pid;
error_log stderr;
events {
    worker_connections 16;
}
http {
    access_log off;
    client_body_temp_path /tmp/body;
    proxy_temp_path /tmp/proxy;
    fastcgi_temp_path /tmp/fastcgi;
    uwsgi_temp_path /tmp/uwsgi;
    scgi_temp_path /tmp/scgi;
    server {
        listen 8443;
        location / {
            set $upstream_app x;
            set $upstream_port 1;
            set $upstream_proto http;
            proxy_pass $upstream_proto://$upstream_app:$upstream_port;
        }
    }
    include /config/nginx/proxy-confs/*.subdomain.conf;
}
CONF
# The listen ... ssl lines need a certificate nginx -t can load: drop ssl for the stand-in.
sed -i 's/listen 443 ssl;/listen 443;/' "$TREE"/proxy-confs/*.conf
# The host's nginx, its loader and the folders of its libraries, as ldd names them.
HOST_NGINX=$(readlink -f "$(command -v nginx)")
HOST_LOADER=$(readlink -f "$(ldd "$HOST_NGINX" | awk '/ld-linux/ { print $1 }')")
HOST_LIBS=$(ldd "$HOST_NGINX" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' |
    xargs -r -n1 readlink -f | xargs -r -n1 dirname | sort -u | sed 's|^|/host|' | paste -sd:)
[ -x "$HOST_LOADER" ] || docker_skip_or_fail "no dynamic loader found for $HOST_NGINX"
cat >"$WORK/nginx-wrapper" <<SH
#!/bin/sh
# nginx for SWAG's stand-in: the host's nginx through the host's loader and libraries.
exec /host$HOST_LOADER --library-path $HOST_LIBS /host$HOST_NGINX -e stderr "\$@"
SH
chmod 755 "$WORK/nginx-wrapper"
# nginx as root looks its user and group up; the image has /etc/passwd (nobody), no groups.
printf 'root:x:0:\nnogroup:x:65534:\n' >"$WORK/group"

dk network create appnet >/dev/null || fail "network appnet"
dk network create othernet >/dev/null || fail "network othernet"
dk run -d --name swag --network appnet -e PATH=/usr/sbin:/bin -v "$CONFIG:/config" -v /:/host:ro \
    -v "$WORK/nginx-wrapper:/usr/sbin/nginx:ro" -v "$WORK/group:/etc/group:ro" \
    lscr.io/linuxserver/swag:e2e sleep 600 >/dev/null ||
    fail "SWAG's stand-in starts"
dk run -d --name app1 --network appnet --expose 8080 "$DOCKER_IMAGE" httpd -f -p 8080 >/dev/null || fail "app1"
dk run -d --name app2 --network othernet "$DOCKER_IMAGE" httpd -f -p 8080 >/dev/null || fail "app2"
dk run -d --name app4-real --network appnet --network-alias app4 "$DOCKER_IMAGE" httpd -f -p 8080 >/dev/null ||
    fail "app4 (alias only)"
dk create --name app5 --network appnet "$DOCKER_IMAGE" httpd -f -p 8080 >/dev/null || fail "app5 (created, not started)"
dk run -d --name authentik-server --network appnet \
    -e AUTHENTIK_LISTEN__TRUSTED_PROXY_CIDRS=10.0.0.0/8,192.168.0.0/16 -e AUTHENTIK_SECRET_KEY=not-read \
    ghcr.io/goauthentik/server:e2e sleep 600 >/dev/null || fail "Authentik's stand-in"
pass "containers: SWAG, apps on two networks, an alias, a stopped one, Authentik"

# codes FILE: the docker.* codes of doctor's JSON findings about FILE (relative to the tree),
# sorted, space-separated.
codes() {
    python3 - "$OUT" "$1" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
print(" ".join(sorted(f["code"] for f in report["findings"]
                      if f["code"].startswith("docker.") and (f["file"] or "") == sys.argv[2])))
PY
}
# fix FILE CODE: the fix of the first finding of that code about FILE.
fix() {
    python3 - "$OUT" "$1" "$2" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
print(next(f.get("fix", "") for f in report["findings"]
           if f["code"] == sys.argv[3] and (f["file"] or "") == sys.argv[2]))
PY
}
expect() {  # expect FILE "CODES" DESCRIPTION
    local got
    got=$(codes "$1")
    [ "$got" = "$2" ] || fail "$3: $1 has [$got], expected [$2]"
    pass "$3"
}

doctor() { ngxauth --root "$TREE" --json doctor "$@" >"$OUT" 2>"$ERR"; }

# What doctor says on this setup, for the log.
ngxauth --root "$TREE" -v doctor 2>&1 | sed "s/^/# /"
doctor
rc=$?
[ $rc -eq 3 ] || fail "doctor exits 3 with unresolved upstreams (got $rc)"
expect proxy-confs/shared.subdomain.conf "docker.resolved" "upstream on the shared network"
expect proxy-confs/portless.subdomain.conf "docker.resolved docker.upstream_port" "a port app1 does not expose"
expect proxy-confs/other.subdomain.conf "docker.upstream_unresolved" "upstream on another network"
[ "$(fix proxy-confs/other.subdomain.conf docker.upstream_unresolved)" = "docker network connect appnet app2" ] ||
    fail "the fix connects app2 to SWAG's network"
pass "the fix names the network and the container"
expect proxy-confs/missing.subdomain.conf "docker.upstream_unresolved" "upstream that is no container"
expect proxy-confs/aliased.subdomain.conf "docker.resolved" "upstream known by a network alias only"
expect proxy-confs/stopped.subdomain.conf "docker.upstream_stopped" "upstream container not running"
expect proxy-confs/outside.subdomain.conf "docker.upstream_outside" "an IP outside Docker"
expect authentik-server.conf "docker.resolved docker.untrusted_proxy" "trusted proxy CIDRs set without SWAG's address"
case "$(fix authentik-server.conf docker.untrusted_proxy)" in
    "add 172."*".0/"*" to AUTHENTIK_LISTEN__TRUSTED_PROXY_CIDRS on authentik-server and recreate the container") ;;
    *) fail "the fix names SWAG's subnet" ;;
esac
pass "the fix names SWAG's subnet"
grep -q AUTHENTIK_SECRET_KEY "$OUT" "$ERR" && fail "another environment key was read"
pass "no other environment key appears"

dk rm -f authentik-server >/dev/null
dk run -d --name authentik-server --network appnet ghcr.io/goauthentik/server:e2e sleep 600 >/dev/null
doctor
expect authentik-server.conf "docker.resolved" "trusted proxy CIDRs unset: Authentik's defaults hold SWAG's address"

dk rename authentik-server authentik-stack-server-1
doctor
expect authentik-server.conf "docker.auth_unresolved" "\$upstream_authentik names no container"
want=$(fix authentik-server.conf docker.auth_unresolved)
[ "$want" = "ngxauth switch-upstream authentik-stack-server-1" ] || fail "the fix is switch-upstream (got: $want)"
pass "the fix is: $want"

ngxauth --root "$TREE" --no-docker --json doctor >"$OUT" 2>"$ERR"
[ -z "$(codes proxy-confs/shared.subdomain.conf)" ] || fail "--no-docker asks Docker nothing"
pass "--no-docker: no container findings"
DOCKER_HOST=unix://$WORK/nosuch.sock ngxauth --root "$TREE" --json doctor >"$OUT" 2>"$ERR"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if any(f["code"]=="docker.unreachable" and f["severity"]=="warning" for f in r["findings"]) else 1)' "$OUT" ||
    fail "an unreachable daemon is one warning"
pass "an unreachable daemon is a docker.unreachable warning and doctor goes on"

# switch-upstream to a name SWAG cannot reach: a warning; --strict refuses and writes nothing.
snapshot "$TREE" >"$WORK/snap.before"
ngxauth --root "$TREE" --json switch-upstream nosuch-outpost --strict >"$OUT" 2>"$ERR"
rc=$?
[ $rc -eq 3 ] || fail "switch-upstream --strict to no container exits 3 (got $rc)"
grep -q '"docker.not_a_container"' "$OUT" || fail "--strict names docker.not_a_container"
unchanged "$TREE" "$WORK/snap.before" "switch-upstream --strict"
ngxauth --root "$TREE" --json switch-upstream authentik-stack-server-1 >"$OUT" 2>"$ERR" ||
    fail "the fix doctor gave, validated by nginx -t in SWAG's stand-in"
grep -q '"docker.not_a_container"' "$OUT" && fail "a reachable container is no warning"
pass "switch-upstream authentik-stack-server-1 validated in the container"
doctor
expect authentik-server.conf "docker.resolved" "after the fix \$upstream_authentik resolves"

# --validate auto: a conf nginx rejects rolls every file back, exit 4.
snapshot "$TREE" >"$WORK/snap.before"
sed -i 's/set \$upstream_port 8080;/set $upstream_port 8080;\n        bogus_directive on;/' \
    "$TREE/proxy-confs/shared.subdomain.conf"
cp "$TREE/proxy-confs/shared.subdomain.conf" "$WORK/broken.conf"
snapshot "$TREE" >"$WORK/snap.broken"
ngxauth --root "$TREE" switch-upstream authentik-stack-server-1:9443 --scheme https >"$OUT" 2>"$ERR"
rc=$?
[ $rc -eq 4 ] || fail "--validate auto on a broken tree exits 4 (got $rc)"
grep -q bogus_directive "$ERR" || fail "nginx's output is shown"
grep -q "__docker-exec" "$ERR" && fail "the failure names the internal __docker-exec command"
grep -q "nginx -t in container " "$ERR" || fail "the failure names nginx -t in the container"
unchanged "$TREE" "$WORK/snap.broken" "--validate auto failure restores every file"
cmp -s "$TREE/proxy-confs/shared.subdomain.conf" "$WORK/broken.conf" || fail "bytes differ"
sed -i '/bogus_directive on;/d' "$TREE/proxy-confs/shared.subdomain.conf"
ngxauth --root "$TREE" --json switch-upstream authentik-stack-server-1:9443 --scheme https >"$OUT" 2>"$ERR" ||
    fail "--validate auto on a good tree"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if r["written"] and not any(n["code"]=="docker.not_validated" for n in r["notes"]) else 1)' "$OUT" ||
    fail "written and validated"
pass "--validate auto passes a good tree"

# Without Docker: written as before, with docker.not_validated.
ngxauth --root "$TREE" --no-docker --json switch-upstream authentik-stack-server-1:9000 --scheme http >"$OUT" 2>"$ERR" ||
    fail "a write without Docker"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if any(n["code"]=="docker.not_validated" for n in r["notes"]) else 1)' "$OUT" ||
    fail "docker.not_validated in the JSON notes"
pass "without Docker: written, docker.not_validated"

# --reload alone: nginx -s reload in SWAG's container (nginx runs there from here on).
dk exec swag nginx -c /config/nginx/nginx.conf >"$OUT" 2>"$ERR" || fail "nginx starts in SWAG's stand-in"
ngxauth --root "$TREE" --json --reload switch-upstream authentik-stack-server-1:9443 --scheme https >"$OUT" 2>"$ERR" ||
    fail "--reload alone reloads nginx in SWAG's container"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if r["written"] and any(n["code"]=="docker.validated" for n in r["notes"]) else 1)' "$OUT" ||
    fail "validated in the container, then reloaded"
pass "--reload: nginx -s reload in SWAG's container"
dk exec swag nginx -s stop >/dev/null 2>&1
# SWAG_AUTORELOAD=true: SWAG reloads by itself; --reload says so and runs nothing.
dk rm -f swag >/dev/null
dk run -d --name swag --network appnet -e PATH=/usr/sbin:/bin -e SWAG_AUTORELOAD=true \
    -v "$CONFIG:/config" -v /:/host:ro -v "$WORK/nginx-wrapper:/usr/sbin/nginx:ro" \
    -v "$WORK/group:/etc/group:ro" lscr.io/linuxserver/swag:e2e sleep 600 >/dev/null || fail "SWAG with auto-reload"
ngxauth --root "$TREE" --json --reload auto switch-upstream authentik-stack-server-1:9000 --scheme http >"$OUT" 2>"$ERR" ||
    fail "--reload auto with SWAG_AUTORELOAD=true"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if any(n["code"]=="docker.swag_reloads" for n in r["notes"]) else 1)' "$OUT" ||
    fail "docker.swag_reloads in the notes"
pass "SWAG_AUTORELOAD=true: docker.swag_reloads, no reload run"

echo "$passed passed, 0 failed"
