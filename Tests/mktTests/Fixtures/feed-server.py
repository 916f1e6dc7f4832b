#!/usr/bin/env python3
"""A local HTTP server for the URL-source tests: serves files from a folder with an ETag and
Last-Modified, answers 304 to a matching If-None-Match, and fails on purpose:
  /flaky/NAME   503 on the first request for NAME, then the file
  /status/CODE  always answers CODE
Prints the port on the first line of standard output, then serves until killed."""
import hashlib
import http.server
import os
import sys

folder = sys.argv[1]
seen = set()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.lstrip("/")
        if path.startswith("status/"):
            self.send_response(int(path.split("/")[1]))
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
