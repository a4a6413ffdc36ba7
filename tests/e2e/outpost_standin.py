#!/usr/bin/env python3
"""A stand-in for the nginx side of an Authentik outpost (forward auth), for served_e2e.sh.

  outpost_standin.py PORT LIFETIME_SECONDS

GET /outpost.goauthentik.io/auth/nginx: 401 without the cookie authentik_proxy_test=1;
200 with it, carrying the X-authentik-* headers authentik-location.conf passes on.
GET /outpost.goauthentik.io/start: 302 to a login page. Anything else: 404.
Listens on 127.0.0.1 only and exits by itself after LIFETIME_SECONDS.
"""
import http.server
import standin_server

COOKIE = "authentik_proxy_test=1"
LOGIN = "https://auth.example.test/if/flow/default-authentication-flow/"


def has_session(cookie_header):
    return any(part.strip() == COOKIE for part in (cookie_header or "").split(";"))


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
            if has_session(self.headers.get("Cookie")):
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
