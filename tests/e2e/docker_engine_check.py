"""Checks of tests/e2e/docker_engine_e2e.sh: `ngxauth docker info --json` against the
daemon's own answers (docker inspect, the /_ping header). Exit 1 with the difference.

  docker_engine_check.py info INFO_JSON INSPECT_JSON API_VERSION ENDPOINT
      the report's endpoint and api_version, and per container (by name) its id, image,
      state, running, and per network its IPv4 and the names it answers to: the name, the
      aliases and the short id (none on the default bridge, which has no DNS)
  docker_engine_check.py names INFO_JSON CONTAINER NETWORK
      prints the names CONTAINER answers to on NETWORK, one per line
  docker_engine_check.py error OUT CODE EXIT_CODE
      OUT is the --json failure object with that code and exit code
"""
import json
import sys


def fail(message):
    print(message)
    sys.exit(1)


def expected_names(c, network, attachment):
    if network in ("bridge", "host", "none"):
        return []
    names = []
    for n in [c["Name"].lstrip("/")] + (attachment.get("Aliases") or []) + [c["Id"][:12]]:
        if n not in names:
            names.append(n)
    return names


def check_info(info_path, inspect_path, api_version, endpoint):
    info = json.load(open(info_path))
    inspect = json.load(open(inspect_path))
    if info.get("ok") is not True:
        fail("not ok: %r" % info)
    if info["api_version"] != api_version:
        fail("api_version %r, the daemon's /_ping says %r" % (info["api_version"], api_version))
    if info["endpoint"] != endpoint:
        fail("endpoint %r, expected %r" % (info["endpoint"], endpoint))
    got = {c["name"]: c for c in info["containers"]}
    want_names = sorted(c["Name"].lstrip("/") for c in inspect)
    if sorted(got) != want_names:
        fail("containers %r, docker inspect has %r" % (sorted(got), want_names))
    for c in inspect:
        name = c["Name"].lstrip("/")
        mine = got[name]
        want = {"id": c["Id"], "image": c["Config"]["Image"], "state": c["State"]["Status"],
                "running": c["State"]["Running"]}
        for key, value in want.items():
            if mine[key] != value:
                fail("%s: %s is %r, docker inspect says %r" % (name, key, mine[key], value))
        networks = c["NetworkSettings"]["Networks"] or {}
        mine_networks = {n["network"]: n for n in mine["networks"]}
        if sorted(mine_networks) != sorted(networks):
            fail("%s: networks %r, docker inspect has %r" % (name, sorted(mine_networks), sorted(networks)))
        for network, a in networks.items():
            n = mine_networks[network]
            if n["ipv4"] != a["IPAddress"]:
                fail("%s on %s: ipv4 %r, docker inspect says %r" % (name, network, n["ipv4"], a["IPAddress"]))
            if sorted(n["names"]) != sorted(expected_names(c, network, a)):
                fail("%s on %s: names %r, expected %r" % (name, network, n["names"], expected_names(c, network, a)))
    print("%d containers agree with docker inspect" % len(inspect))


def main():
    mode = sys.argv[1]
    if mode == "info":
        check_info(*sys.argv[2:6])
    elif mode == "names":
        info = json.load(open(sys.argv[2]))
        for c in info["containers"]:
            if c["name"] != sys.argv[3]:
                continue
            for n in c["networks"]:
                if n["network"] == sys.argv[4]:
                    print("\n".join(n["names"]))
    elif mode == "error":
        try:
            out = json.load(open(sys.argv[2]))
        except ValueError:
            fail("stdout is not JSON")
        if out.get("ok") is not False or out["error"]["code"] != sys.argv[3] or \
                out["exit_code"] != int(sys.argv[4]):
            fail("expected %s (exit %s), got %s (exit %s)" % (sys.argv[3], sys.argv[4],
                                                              out["error"]["code"], out.get("exit_code")))
    else:
        fail("unknown mode " + mode)


if __name__ == "__main__":
    main()
