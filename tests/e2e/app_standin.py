#!/usr/bin/env python3
"""A stand-in app behind SWAG, for served_e2e.sh.

  app_standin.py PORT LIFETIME_SECONDS

Answers 200 to every GET with the body "app user=NAME\\n", NAME being the
X-authentik-username request header it received ("-" when none), also echoed in the
response header X-Seen-Authentik-Username. Listens on 127.0.0.1 only and exits by itself
after LIFETIME_SECONDS.
"""
import http.server
import standin_server


class App(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the name http.server calls)
        user = self.headers.get("X-authentik-username") or "-"
        body = f"app user={user}\n".encode()
        self.send_response(200)
        self.send_header("X-Seen-Authentik-Username", user)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    standin_server.serve(App)
