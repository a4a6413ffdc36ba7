"""What the stand-ins of the served end-to-end tests share: a threaded HTTP server on
127.0.0.1 that stops by itself after a lifetime.

  serve(handler_class)   reads PORT LIFETIME_SECONDS from argv and serves until then
"""
import http.server
import sys
import threading


class Server(http.server.ThreadingHTTPServer):
    # The corpus test sends many requests at once: a longer listen queue than the default 5,
    # so that none is refused before a thread takes it.
    request_queue_size = 128


def serve(handler_class):
    port, lifetime = int(sys.argv[1]), float(sys.argv[2])
    server = Server(("127.0.0.1", port), handler_class)
    threading.Timer(lifetime, server.shutdown).start()
    server.serve_forever()
