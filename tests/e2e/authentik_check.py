#!/usr/bin/env python3
"""Checks of authentik_e2e.sh: evaluates a Python expression over what a run left behind.

  authentik_check.py --out FILE --log FILE --since N --control URL --ca FILE EXPR

Names in EXPR:
  d          the JSON on stdout (FILE of --out), None when it is not JSON
  S          the stand-in's objects (GET URL/_standin/state)
  L          the request-log entries after the first N lines of the log, W the writes among them
  codes(x)   every "code" value in x ; names(x) every "name" value in x
  app(slug), provider(name), outpost(name), embedded  objects of S (None when absent)
Exit 0 when EXPR is true, 1 when false (and prints what it looked at), 2 on errors.
"""
import argparse
import json
import ssl
import sys
import urllib.request

EMBEDDED_MANAGED = "goauthentik.io/outposts/embedded"


def values_of(key, v):
    if isinstance(v, dict):
        return ([v[key]] if key in v else []) + [c for x in v.values() for c in values_of(key, x)]
    if isinstance(v, list):
        return [c for x in v for c in values_of(key, x)]
    return []


def load_stdout(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def load_log(path, since):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f.readlines()[since:] if line.strip()]


def load_state(control, ca):
    context = ssl.create_default_context(cafile=ca)
    with urllib.request.urlopen(control + "/_standin/state", context=context, timeout=10) as r:
        return json.load(r)


def scope(args):
    state = load_state(args.control, args.ca)
    log = load_log(args.log, args.since)

    def first(items, pred):
        return next((x for x in items if pred(x)), None)

    return {
        "d": load_stdout(args.out), "S": state, "L": log,
        "W": [e for e in log if e["method"] != "GET"],
        "codes": lambda x: values_of("code", x), "names": lambda x: values_of("name", x),
        "app": lambda slug: first(state["applications"], lambda a: a["slug"] == slug),
        "provider": lambda name: first(state["providers"], lambda p: p["name"] == name),
        "outpost": lambda name: first(state["outposts"], lambda o: o["name"] == name),
        "embedded": first(state["outposts"], lambda o: o["managed"] == EMBEDDED_MANAGED),
    }


def main():
    p = argparse.ArgumentParser()
    for option in ("--out", "--log", "--control", "--ca"):
        p.add_argument(option, required=True)
    p.add_argument("--since", type=int, default=0)
    p.add_argument("expr")
    args = p.parse_args()
    names = scope(args)
    try:
        # The names as globals, so that comprehensions in EXPR see them too.
        if eval(args.expr, names):  # noqa: S307 (the test's own expressions)
            return 0
        print("  false: " + args.expr)
    except Exception as e:  # noqa: BLE001 (a missing key or object is a failed check too)
        print("  %s: %s in: %s" % (type(e).__name__, e, args.expr))
    print("  requests: " + json.dumps([[e["method"], e["path"], e["query"], e["body"], e["status"]]
                                       for e in names["L"]])[:3000])
    print("  providers: " + json.dumps([[p["pk"], p["name"], p["mode"], p["external_host"]]
                                        for p in names["S"]["providers"]]))
    print("  applications: " + json.dumps([[a["slug"], a["provider"], a["meta_publisher"]]
                                           for a in names["S"]["applications"]]))
    print("  outposts: " + json.dumps([[o["name"], o["providers"]]
                                       for o in names["S"]["outposts"]]))
    return 1


if __name__ == "__main__":
    sys.exit(main())
