"""Stand-ins for a Docker Engine on a unix socket, for the failures ngxauth must explain
(tests/e2e/docker_engine_e2e.sh). Stops by itself after LIFETIME seconds.

  docker_standin.py SOCKET LIFETIME silent      accepts, reads, never answers (docker.timeout)
  docker_standin.py SOCKET LIFETIME api:1.40    answers /_ping with Api-Version: 1.40
  docker_standin.py SOCKET LIFETIME noversion   answers /_ping without Api-Version
"""
import os
import socket
import sys
import threading
import time


def answer(conn, mode):
    with conn:
        conn.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk
        if mode == "silent":
            time.sleep(30)  # hold the connection open, say nothing
            return
        headers = "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n"
        if mode.startswith("api:"):
            headers += "Api-Version: %s\r\n" % mode[4:]
        conn.sendall(("HTTP/1.1 200 OK\r\n%s\r\nOK" % headers).encode())


def main():
    path, lifetime, mode = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    if os.path.exists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(16)
    server.settimeout(0.2)
    deadline = time.monotonic() + lifetime
    while time.monotonic() < deadline:
        try:
            conn, _ = server.accept()
        except socket.timeout:
            continue
        threading.Thread(target=answer, args=(conn, mode), daemon=True).start()
    server.close()


if __name__ == "__main__":
    main()
