#!/usr/bin/env python3
"""A local HTTP server for the URL-source tests: serves files from a folder with an ETag and
Last-Modified, answers 304 to a matching If-None-Match, and fails on purpose:
  /flaky/NAME        503 on the first request for NAME, then the file
  /status/CODE       always answers CODE
  /silent/NAME       reads the request, never answers
  /drip/NAME         200 with Content-Length 1 MB, then one byte every half second
  /endless/NAME      200 with no length and a CSV body that never ends
  /huge/NAME         the same, announcing Content-Length: 50 GB
  /truncated/NAME    Content-Length 100000, 1000 bytes, then the connection closes
  /redirect?to=URL   302 to URL (file:///etc/passwd, ftp://…, another path)
Prints the port on the first line of standard output, then serves until killed. The hostile
routes stop when the client hangs up."""
import hashlib
import http.server
import os
import select
import sys
import time
import urllib.parse

folder = sys.argv[1]
seen = set()
ROW = b"E-%d,Endlos,Ohne Ende,https://shop.example/e,https://shop.example/e.jpg,in_stock,1.00 EUR,Hx,new\n"


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def hung_up(self, wait):
        """Waits up to `wait` seconds; True once the client closed the connection."""
        ready, _, _ = select.select([self.connection], [], [], wait)
        if not ready:
            return False
        try:
            return not self.connection.recv(65536)
        except OSError:
            return True

    def endless(self, length=None):
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        if length:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(b"id,title,description,link,image_link,availability,price,brand,condition\n")
        n = 0
        try:
            while n < 50_000_000:  # some 5 GB: never reached by a client with a cap
                self.wfile.write(b"".join(ROW % i for i in range(n, n + 1000)))
                n += 1000
        except OSError:
            pass

    def do_GET(self):
        path = self.path.lstrip("/")
        if path.startswith("status/"):
            self.send_response(int(path.split("/")[1]))
            self.end_headers()
            return
        if path.startswith("silent/"):
            end = time.monotonic() + 120
            while time.monotonic() < end and not self.hung_up(0.2):
                pass
            self.close_connection = True
            return
        if path.startswith("drip/"):
            self.send_response(200)
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            try:
                for _ in range(240):
                    if self.hung_up(0.5):
                        break
                    self.wfile.write(b"x")
                    self.wfile.flush()
            except OSError:
                pass
            self.close_connection = True
            return
        if path.startswith("endless/"):
            self.endless()
            self.close_connection = True
            return
        if path.startswith("huge/"):
            self.endless(length=50 << 30)
            self.close_connection = True
            return
        if path.startswith("truncated/"):
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"x" * 1000)
            self.close_connection = True
            return
        if path.startswith("redirect?"):
            target = urllib.parse.parse_qs(path.split("?", 1)[1]).get("to", ["/"])[0]
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path.startswith("flaky/"):
            path = path[len("flaky/"):]
            if path not in seen:
                seen.add(path)
                self.send_response(503)
                self.end_headers()
                return
        file = os.path.join(folder, path)
        if not os.path.isfile(file):
            self.send_response(404)
            self.end_headers()
            return
        body = open(file, "rb").read()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
