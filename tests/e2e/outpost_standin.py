#!/usr/bin/env python3
"""A stand-in for the nginx side of an Authentik outpost (forward auth), for served_e2e.sh.

  outpost_standin.py PORT LIFETIME_SECONDS

GET /outpost.goauthentik.io/auth/nginx: 401 without the cookie authentik_proxy_test=1;
200 with it, carrying the X-authentik-* headers authentik-location.conf passes on.
GET /outpost.goauthentik.io/start: 302 to a login page. Anything else: 404.
Listens on 127.0.0.1 only and exits by itself after LIFETIME_SECONDS.

With OUTPOST_STATE_URL set (the Authentik API stand-in's /_standin/state), it behaves like a
real outpost that knows only the providers Authentik has put on it: the auth endpoint
answers as above only when a provider on the outpost (OUTPOST_NAME, default the embedded one)
has the request's Host as its external host, and 404 otherwise (nginx then answers 500).
"""
import http.server
import json
import os
import ssl
import urllib.parse
import urllib.request

import standin_server

COOKIE = "authentik_proxy_test=1"
LOGIN = "https://auth.example.test/if/flow/default-authentication-flow/"


def has_session(cookie_header):
    return any(part.strip() == COOKIE for part in (cookie_header or "").split(";"))


def knows_host(host):
    """Whether a provider on this outpost has `host` as its external host (always, without
    OUTPOST_STATE_URL)."""
    url = os.environ.get("OUTPOST_STATE_URL")
    if not url:
        return True
    # The API stand-in's certificate comes from the test's own CA, on loopback.
    context = ssl.create_default_context(cafile=os.environ.get("OUTPOST_STATE_CA"))
    with urllib.request.urlopen(url, context=context, timeout=5) as answer:
        state = json.load(answer)
    name = os.environ.get("OUTPOST_NAME")
    for outpost in state["outposts"]:
        mine = outpost["name"] == name if name else outpost.get("managed") == "goauthentik.io/outposts/embedded"
        if not mine:
            continue
        for provider in state["providers"]:
            external = urllib.parse.urlsplit(provider.get("external_host", "")).hostname
            if provider["pk"] in outpost["providers"] and external == host:
                return True
    return False


class Outpost(http.server.BaseHTTPRequestHandler):
    def answer(self, status, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        path = self.path.split("?", 1)[0]
        if path == "/outpost.goauthentik.io/auth/nginx":
            host = (self.headers.get("Host") or "").split(":", 1)[0]
            if not knows_host(host):
                self.answer(404)
            elif has_session(self.headers.get("Cookie")):
                self.answer(200, [("X-authentik-username", "alice"),
                                  ("X-authentik-groups", "admins"),
                                  ("X-authentik-email", "alice@example.test")])
            else:
                self.answer(401)
        elif path == "/outpost.goauthentik.io/start":
            self.answer(302, [("Location", LOGIN)])
        else:
            self.answer(404)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    standin_server.serve(Outpost)
