#!/usr/bin/env python3
"""A stand-in for the nginx side of an Authentik outpost (forward auth), for served_e2e.sh.

  outpost_standin.py PORT LIFETIME_SECONDS

GET /outpost.goauthentik.io/auth/nginx: 401 without the cookie authentik_proxy_test=1;
200 with it, carrying the X-authentik-* headers authentik-location.conf passes on.
GET /outpost.goauthentik.io/start: 302 to a login page. Anything else: 404.
Listens on 127.0.0.1 only and exits by itself after LIFETIME_SECONDS.
"""
import http.server
import sys
import threading

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


class Server(http.server.ThreadingHTTPServer):
    # The corpus test sends many requests at once: a longer listen queue than the default 5,
    # so that none is refused before a thread takes it.
    request_queue_size = 128


def main():
    port, lifetime = int(sys.argv[1]), float(sys.argv[2])
    server = Server(("127.0.0.1", port), Outpost)
    threading.Timer(lifetime, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
