"""Class 3: network fetches are bounded. Local hostile servers (servers.py) against `mkt import
URL`, `mkt currency import URL`, `mkt inventory sync URL` and manifests of URLs: `--timeout` is
a deadline for the whole fetch, bodies have a size cap (`--max-bytes`, defaults per kind),
redirects go to http(s) only, and no temporary file outlives the command."""
import os

from harness import Case

IGNORE = ("import_run", "feed_source")
REDIRECT_WORDS = [("redirect",), ("http(s)", "https", "not http", "file:", "ftp:", "scheme")]
# A followed redirect would end at the server's 404. Match the status as mkt words it, not
# the bare digits: the server's random port (40481, say) may contain them.
FOLLOWED_TO_404 = ["HTTP 404", "404 Not Found"]
CAP_WORDS = [("max-bytes", "bytes", "size", "larger than", "limit", "too large", "mb", "mib")]


def command(kind, url, *more):
    if kind == "import":
        return ["import", url, "--merchant", "kuechenwelt-de"] + list(more)
    if kind == "currency":
        return ["currency", "import", url] + list(more)
    if kind == "inventory":
        return ["inventory", "sync", url, "--merchant", "kuechenwelt-de"] + list(more)
    raise ValueError(kind)


def fetch(kind, path, *more, exit=69, secs=6, err=(), not_err=(), mem_mb=1024, before=None,
          leak_check=False):
    """One fetch of server path `path`; exit, time, memory, and no new file anywhere."""
    def fn(c):
        url = c.suite.server().url(path) if path.startswith("/") else path
        if before:
            before(c)
        listing = c.listing()
        res = c.mkt(*command(kind, url, *more), secs=secs)
        c.expect(res, exit=exit, err=err, not_err=not_err, secs=secs, mem_mb=mem_mb)
        c.no_new_files(listing)
        if leak_check:
            no_passwd(c, res)
    return fn


def no_passwd(c, res):
    """Nothing of /etc/passwd on the terminal or in the stored history."""
    if b"root:" in res.err or b"root:" in res.out:
        c.fail("/etc/passwd content printed")
    history = c.mkt("import", "history", "--json", secs=10)
    if b"root:" in history.out:
        c.fail("/etc/passwd content stored in import history")


def gzip_bomb_over_http(c):
    from cases_limits import gzip_bomb
    data = open(c.suite.file("bomb.csv.gz", gzip_bomb), "rb").read()
    url = c.suite.server().serve_file("bomb-%s.csv" % os.getpid(), data,
                                      [("Content-Encoding", "gzip"), ("Content-Type", "text/csv")])
    listing = c.listing()
    res = c.mkt(*command("import", url, "--timeout", "20", "--max-bytes", "10000000"), secs=15)
    c.expect(res, exit=(65, 69), secs=15, mem_mb=1024)
    c.no_new_files(listing)


def killed_fetch_is_swept(c):
    """A fetch killed mid-body leaves a temporary file (nothing can remove it then); the next
    mkt run that fetches sweeps it: afterwards nothing is left in TMPDIR or beside the
    database."""
    listing = c.listing()
    url = c.suite.server().url("/endless/csv")
    res = c.mkt(*command("import", url, "--timeout", "60"), secs=2)
    if not res.killed:
        c.fail("the endless fetch ended by itself (exit %s) before it could be killed" % res.rc)
    ok = c.suite.server().serve_file("ok-%s.csv" % os.getpid(), OK_FEED.encode())
    c.step(*command("import", ok, "--timeout", "10"), exit=0, secs=15, label="next import")
    c.no_new_files(listing, "still there after the next run")


def manifest_of_urls(c):
    srv = c.suite.server()
    c.write("m.csv", "merchant_id,source\nkuechenwelt-de,%s\nwollwerk-de,%s\n" % (
        srv.url("/silent/a.csv"), srv.url("/drip/1/b.csv")))
    listing = c.listing()
    c.step("import", "--manifest", c.path("m.csv"), "--timeout", "2", exit=65, secs=8)
    c.no_new_files(listing)


OK_FEED = ("id,title,description,link,image_link,availability,price,brand,condition\n"
           "KWM-1001,Brotkasten,Aus Buchenholz,https://kuechenwelt.example/1,"
           "https://kuechenwelt.example/1.jpg,in_stock,49.90 EUR,Küchenwelt,new\n")


def ok_feed(c):
    url = c.suite.server().serve_file("ok-%s.csv" % os.getpid(), OK_FEED.encode())
    listing = c.listing()
    c.step(*command("import", url, "--timeout", "10"), exit=0, secs=10)
    c.no_new_files(listing)


def refused_port(c):
    import socket
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    listing = c.listing()
    c.step(*command("import", "http://127.0.0.1:%d/feed.csv" % port, "--timeout", "2"),
           exit=69, secs=6)
    c.no_new_files(listing)


T2 = ("--timeout", "2")
CASES = [
    # --timeout 2 is a deadline for the whole fetch, retries included (brief: < 6 s)
    Case("3-import-silent-timeout", 3, fn=fetch("import", "/silent/feed.csv", *T2),
         db="rows", ignore=IGNORE, note="accepts, never answers"),
    Case("3-import-silent-timeout-no-retries", 3,
         fn=fetch("import", "/silent/feed.csv", *T2, "--retries", "0", secs=4), db="rows",
         ignore=IGNORE),
    Case("3-import-drip-1s", 3, fn=fetch("import", "/drip/1/feed.csv", *T2), db="rows",
         ignore=IGNORE, note="a byte a second: never idle 2 s, never done"),
    Case("3-import-drip-3s", 3, fn=fetch("import", "/drip/3/feed.csv", *T2), db="rows",
         ignore=IGNORE),
    Case("3-import-slow-headers", 3, fn=fetch("import", "/slow-headers/feed.csv", *T2),
         db="rows", ignore=IGNORE),
    Case("3-import-redirect-to-silent", 3, fn=fetch("import", "/redirect-silent", *T2),
         db="rows", ignore=IGNORE),
    Case("3-import-endless-timeout", 3, fn=fetch("import", "/endless/csv", *T2), db="rows",
         ignore=IGNORE, note="endless 200 body, --timeout 2 is the total"),
    Case("3-import-endless-max-bytes", 3,
         fn=fetch("import", "/endless/csv", "--timeout", "60", "--max-bytes", "1000000",
                  secs=10, err=CAP_WORDS), db="rows", ignore=IGNORE),
    Case("3-import-huge-content-length", 3,
         fn=fetch("import", "/huge-length/csv", "--timeout", "60", "--max-bytes", "1000000",
                  secs=5, err=CAP_WORDS), db="rows", ignore=IGNORE,
         note="Content-Length: 50 GB"),
    Case("3-import-gzip-encoding-bomb", 3, fn=gzip_bomb_over_http, db="rows", ignore=IGNORE),
    Case("3-import-redirect-file", 3,
         fn=fetch("import", "/redirect-file", *T2, exit=(65, 69), err=REDIRECT_WORDS,
                  not_err=FOLLOWED_TO_404, leak_check=True), db="rows", ignore=IGNORE,
         note="302 to file:///etc/passwd"),
    Case("3-import-redirect-ftp", 3,
         fn=fetch("import", "/redirect-ftp", *T2, exit=(65, 69), err=REDIRECT_WORDS,
                  not_err=FOLLOWED_TO_404), db="rows", ignore=IGNORE),
    Case("3-import-redirect-loop", 3, fn=fetch("import", "/redirect-loop", *T2), db="rows",
         ignore=IGNORE),
    Case("3-import-truncated-body", 3,
         fn=fetch("import", "/truncated", *T2, "--retries", "0"), db="rows", ignore=IGNORE),
    Case("3-import-500-no-temp-file", 3,
         fn=fetch("import", "/status/500", *T2, "--retries", "0"), db="rows", ignore=IGNORE),
    Case("3-import-connection-refused", 3, fn=refused_port, db="rows", ignore=IGNORE),
    Case("3-import-ok-no-temp-file", 3, fn=ok_feed, note="success leaves nothing either"),
    Case("3-import-killed-fetch-swept", 3, fn=killed_fetch_is_swept),
    Case("3-manifest-urls-timeout", 3, fn=manifest_of_urls, db="rows", ignore=IGNORE),
    Case("3-currency-silent-timeout", 3, fn=fetch("currency", "/silent/ecb.xml", *T2),
         db="rows", note="currency import has a deadline too"),
    Case("3-currency-drip-1s", 3, fn=fetch("currency", "/drip/1/ecb.xml", *T2), db="rows"),
    Case("3-currency-endless-default-cap", 3,
         fn=fetch("currency", "/endless/xml", secs=15, err=CAP_WORDS), db="rows",
         note="no --max-bytes: the default for rate files is small"),
    Case("3-currency-endless-max-bytes", 3,
         fn=fetch("currency", "/endless/xml", "--max-bytes", "100000", secs=10, err=CAP_WORDS),
         db="rows"),
    Case("3-currency-redirect-file", 3,
         fn=fetch("currency", "/redirect-file", *T2, exit=(65, 69), err=REDIRECT_WORDS,
                  not_err=FOLLOWED_TO_404, leak_check=True), db="rows", ignore=IGNORE),
    Case("3-inventory-silent-timeout", 3,
         fn=fetch("inventory", "/silent/stock.csv", *T2), db="rows",
         note="inventory sync URL has a deadline too"),
    Case("3-inventory-redirect-file", 3,
         fn=fetch("inventory", "/redirect-file", exit=(65, 69), secs=10, err=REDIRECT_WORDS,
                  not_err=FOLLOWED_TO_404, leak_check=True), db="rows", ignore=IGNORE),
]
