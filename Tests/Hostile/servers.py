"""Hostile HTTP servers on 127.0.0.1 (an ephemeral port), one thread per connection, chosen by
the request path:

  /silent/…            accepts, reads the request, never answers
  /drip/N/…            headers (Content-Length 1 MB), then one body byte every N seconds
  /slow-headers/…      the status line, then one header byte a second, forever
  /endless/KIND        200 with no length and a body that never ends (~50 MB/s; KIND csv|xml)
  /huge-length/KIND    the same, announcing Content-Length: 50 GB
  /gzip-bomb           Content-Encoding: gzip, 0.5 MB that inflates to 512 MiB
  /truncated           Content-Length 100000, 1000 bytes, then the connection closes
  /status/N            always answers N
  /redirect-file       302 to file:///etc/passwd
  /redirect-ftp        302 to ftp://127.0.0.1/feed.csv
  /redirect-loop       302 to itself
  /redirect-silent     302 to /silent/feed
  /file/NAME           the file NAME registered with serve_file()
"""
import select
import socket
import threading
import time

RATE = 50 << 20  # bytes per second of the endless bodies
CAP = 4 << 30  # never more than this per connection, whatever the client does

CSV_HEAD = (b"id,title,description,link,image_link,availability,price,brand,condition\n")
XML_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<gesmes:Envelope '
            b'xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" '
            b'xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref"><Cube>\n')


def _csv_rows(start):
    rows = []
    for i in range(start, start + 2000):
        rows.append(b"E-%d,Endlos %d,Ohne Ende,https://shop.example/%d,https://shop.example/%d.jpg,"
                    b"in_stock,1.00 EUR,Hx,new\n" % (i, i, i, i))
    return b"".join(rows)


def _xml_days(start):
    out = []
    for i in range(start, start + 2000):
        out.append(b'<Cube time="%04d-01-01"><Cube currency="PLN" rate="4.%d"/></Cube>\n'
                   % (1000 + i % 8000, i % 10))
    return b"".join(out)


class HostileServer:
    def __init__(self):
        self.stop_event = threading.Event()
        self.files = {}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.base = "http://127.0.0.1:%d" % self.port
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path):
        return self.base + path

    def serve_file(self, name, data, headers=()):
        self.files[name] = (data, headers)
        return self.url("/file/" + name)

    def stop(self):
        self.stop_event.set()
        try:
            self.sock.close()
        except OSError:
            pass

    # -- connections ---------------------------------------------------------------------
    def _accept(self):
        while not self.stop_event.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _alive(self, conn, wait):
        """Waits up to `wait` seconds; False once the client hung up or the run ends."""
        end = time.monotonic() + wait
        while not self.stop_event.is_set():
            left = end - time.monotonic()
            if left <= 0:
                return True
            ready, _, _ = select.select([conn], [], [], min(left, 0.1))
            if ready:
                try:
                    if not conn.recv(65536, socket.MSG_PEEK | socket.MSG_DONTWAIT):
                        return False
                    conn.recv(65536)
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    return False
        return False

    def _head(self, conn):
        conn.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        conn.settimeout(None)
        line = data.split(b"\r\n", 1)[0].decode("latin-1").split()
        return line[1] if len(line) > 1 else "/"

    def _serve(self, conn):
        try:
            path = self._head(conn)
            self._route(conn, path)
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def _send(self, conn, status, headers=(), body=b""):
        head = "HTTP/1.1 %s\r\n" % status + "".join("%s: %s\r\n" % h for h in headers)
        conn.sendall(head.encode("latin-1") + b"\r\n" + body)

    def _stream(self, conn, kind, length=None):
        headers = [("Content-Type", "application/xml" if kind == "xml" else "text/csv"),
                   ("Connection", "close")]
        if length:
            headers.append(("Content-Length", str(length)))
        self._send(conn, "200 OK", headers, XML_HEAD if kind == "xml" else CSV_HEAD)
        sent, n, start = 0, 0, time.monotonic()
        while not self.stop_event.is_set() and sent < CAP:
            chunk = _xml_days(n) if kind == "xml" else _csv_rows(n)
            n += 2000
            conn.sendall(chunk)
            sent += len(chunk)
            ahead = sent / RATE - (time.monotonic() - start)
            if ahead > 0 and not self._alive(conn, ahead):
                return

    def _route(self, conn, path):
        parts = path.strip("/").split("/")
        kind = parts[0]
        if kind == "silent":
            while self._alive(conn, 1):
                pass
        elif kind == "drip":
            every = float(parts[1]) if len(parts) > 1 else 3
            self._send(conn, "200 OK", [("Content-Type", "text/csv"),
                                        ("Content-Length", "1000000")])
            for byte in (CSV_HEAD * 10000)[:1000000]:
                if not self._alive(conn, every):
                    return
                conn.sendall(bytes([byte]))
        elif kind == "slow-headers":
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            for byte in b"X-Slow: " + b"z" * 100000:
                if not self._alive(conn, 1):
                    return
                conn.sendall(bytes([byte]))
        elif kind == "endless":
            self._stream(conn, parts[1] if len(parts) > 1 else "csv")
        elif kind == "huge-length":
            self._stream(conn, parts[1] if len(parts) > 1 else "csv", length=50 << 30)
        elif kind == "truncated":
            self._send(conn, "200 OK", [("Content-Type", "text/csv"),
                                        ("Content-Length", "100000")], (CSV_HEAD * 20)[:1000])
        elif kind == "status":
            self._send(conn, "%s Hostile" % parts[1], [("Content-Length", "0")])
        elif kind.startswith("redirect-"):
            target = {"redirect-file": "file:///etc/passwd",
                      "redirect-ftp": "ftp://127.0.0.1/feed.csv",
                      "redirect-loop": self.url("/redirect-loop"),
                      "redirect-silent": self.url("/silent/feed")}[kind]
            self._send(conn, "302 Found", [("Location", target), ("Content-Length", "0")])
        elif kind == "file" and len(parts) > 1 and parts[1] in self.files:
            data, headers = self.files[parts[1]]
            self._send(conn, "200 OK", [("Content-Length", str(len(data)))] + list(headers),
                       data)
        else:
            self._send(conn, "404 Not Found", [("Content-Length", "0")])
