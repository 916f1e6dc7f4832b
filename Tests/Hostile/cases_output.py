"""Class 1: writing output can destroy data. Every writer against every kind of hostile target:
the database and its companions (73, "database", database unchanged), devices and FIFOs
(written in place, never replaced), a missing folder (73 naming it), and more."""
import os

from harness import Case, Fifo, kind

BAD_FEED = (
    "id,title,description,link,image_link,availability,price,brand,condition\n"
    "HX-1,Testprodukt Eins,Ein Produkt,https://shop.example/1,https://shop.example/1.jpg,"
    "in_stock,10.00 EUR,Hx,new\n"
    "HX-2,Testprodukt Zwei,Ein Produkt,https://shop.example/2,https://shop.example/2.jpg,"
    "in_stock,zehn EUR,Hx,new\n")
BAD_MERCHANTS = "id,name,country\nzz-1,Zed,XX\nzz-2,Zwo,DE\n"
BAD_TRANSLATIONS = "id,language,field,text\nKWM-1001,fr,title,Boîte à pain\nNOPE-1,fr,title,x\n"
BAD_STOCK = ("sku,warehouse,quantity,merchant_id\nKWM-1001,NOPE,5,kuechenwelt-de\n"
             "KWM-1002,BER1,7,kuechenwelt-de\n")


def _feed(c, name):
    return os.path.join(c.ex, "feeds", name)


# Each writer: (name, argv builder taking the ctx and the target path).
WRITERS = [
    ("orders-export", lambda c, t: ["orders", "export", "-o", t]),
    ("catalog-export", lambda c, t: ["catalog", "export", "--format", "csv", "-o", t]),
    ("inventory-export", lambda c, t: ["inventory", "export", "-o", t]),
    ("feed-normalize", lambda c, t: ["feed", "normalize", _feed(c, "kuechenwelt-de.xml"),
                                     "-o", t]),
    ("feed-convert", lambda c, t: ["feed", "convert", _feed(c, "wollwerk-de-shopify.csv"),
                                   "--currency", "EUR", "--shop-url", "https://wollwerk.example",
                                   "--to", "xml", "--output", t]),
    ("import-errors", lambda c, t: ["import", c.write("bad.csv", BAD_FEED), "--merchant",
                                    "kuechenwelt-de", "--dry-run", "--max-errors", "5",
                                    "--errors", t]),
    ("merchant-import-errors", lambda c, t: ["merchant", "import",
                                             c.write("badm.csv", BAD_MERCHANTS), "--dry-run",
                                             "--max-errors", "5", "--errors", t]),
    ("inventory-sync-errors", lambda c, t: ["inventory", "sync", c.write("bads.csv", BAD_STOCK),
                                            "--dry-run", "--max-errors", "5", "--errors", t]),
    ("translate-import-errors", lambda c, t: ["catalog", "translate", "import",
                                              c.write("badt.csv", BAD_TRANSLATIONS),
                                              "--merchant", "kuechenwelt-de", "--dry-run",
                                              "--max-errors", "5", "--errors", t]),
    ("db-backup", lambda c, t: ["db", "backup", t, "--force"]),
]

# Import runs are history, written even for dry runs by some versions: not "data".
IGNORE = ("import_run",)


def db_target(suffix):
    """The database itself (suffix "") or a companion: refused with 73 naming the database."""
    def make(writer):
        def fn(c):
            res = c.mkt(*writer(c, c.db + suffix), secs=20)
            c.expect(res, exit=73, err=["database"], secs=20)
        return fn
    return make


def spelled(spelling):
    """The database under another spelling of its path: still the database."""
    def make(writer):
        def fn(c):
            os.makedirs(os.path.join(c.work, "sub"), exist_ok=True)
            target = {"dot": "./d.db", "dotdot": "sub/../d.db",
                      "symlink": "link-to-db.csv"}[spelling]
            if spelling == "symlink":
                os.symlink("d.db", os.path.join(c.work, target))
            res = c.mkt(*writer(c, target), secs=20)
            c.expect(res, exit=73, err=["database"], secs=20)
        return fn
    return make


def hardlink(writer):
    def fn(c):
        os.link(c.db, os.path.join(c.work, "same-inode.csv"))
        res = c.mkt(*writer(c, "same-inode.csv"), secs=20)
        # Renaming over a second name leaves the database alone; writing into it does not.
        c.expect(res, exit=(0, 73), secs=20)
    return fn


def device(minor, exits, words=()):
    """A device node made for the case (never the system's own /dev/full or /dev/null, which
    today's binary would replace): written in place, still a character device afterwards."""
    def make(writer):
        def fn(c):
            node = os.path.join(c.work, "dev-%d" % minor)
            os.mknod(node, 0o666 | 0o020000, os.makedev(1, minor))
            res = c.mkt(*writer(c, node), secs=20)
            c.expect(res, exit=exits, err=words, secs=20)
            if kind(node) != "char device":
                c.fail("the device node %s is now a %s" % (os.path.basename(node), kind(node)))
        return fn
    return make


def fifo(exits=(0,)):
    def make(writer):
        def fn(c):
            pipe = Fifo(os.path.join(c.work, "out.fifo"))
            try:
                res = c.mkt(*writer(c, pipe.path), secs=15)
            finally:
                data = pipe.close()
            c.expect(res, exit=exits, secs=15)
            if kind(pipe.path) != "fifo":
                c.fail("the FIFO is now a %s (replaced, not written in place)" % kind(pipe.path))
            elif res.rc == 0 and not data:
                c.fail("exit 0 but nothing came through the FIFO")
        return fn
    return make


def missing_dir(writer):
    def fn(c):
        res = c.mkt(*writer(c, "/nonexistent/dir/x"), secs=20)
        c.expect(res, exit=73, err=["/nonexistent/dir"], secs=20)
    return fn


def directory(writer):
    def fn(c):
        os.makedirs(os.path.join(c.work, "outdir"))
        res = c.mkt(*writer(c, os.path.join(c.work, "outdir")), secs=20)
        c.expect(res, exit=73, err=["outdir"], secs=20)
        if kind(os.path.join(c.work, "outdir")) != "directory":
            c.fail("outdir is no longer a directory")
    return fn


def stdout_link(writer):
    """A symlink to /proc/self/fd/1 (what /dev/stdout is), standard output being a pipe:
    written in place, the link left alone."""
    def fn(c):
        link = os.path.join(c.work, "stdout-link")
        os.symlink("/proc/self/fd/1", link)
        res = c.mkt(*writer(c, link), secs=20)
        c.expect(res, exit=0, secs=20)
        if kind(link) != "symlink":
            c.fail("the link to /proc/self/fd/1 was replaced by a %s" % kind(link))
        elif res.rc == 0 and not res.out:
            c.fail("exit 0 but nothing reached standard output through the link")
    return fn


def long_name(writer):
    """A 250-byte file name is a valid target (a temporary name must not exceed NAME_MAX)."""
    def fn(c):
        name = "o" * 246 + ".csv"
        res = c.mkt(*writer(c, name), secs=20)
        c.expect(res, exit=0, secs=20)
        if res.rc == 0 and not os.path.isfile(os.path.join(c.work, name)):
            c.fail("exit 0 but the 250-byte-named file is not there")
    return fn


FULL_WORDS = [("space", "full", "write", "i/o", "device")]
TARGETS_ALL = [
    ("db", db_target("")),
    ("wal", db_target("-wal")),
    ("shm", db_target("-shm")),
    ("missing-dir", missing_dir),
    ("dev-full", device(7, (73, 74), FULL_WORDS)),
    ("fifo", None),  # per writer below
]
TARGETS_MORE = [
    ("journal", db_target("-journal")),
    ("lock", db_target(".lock")),
    ("sync-lock", db_target(".sync.lock")),
    ("dot-slash", spelled("dot")),
    ("dot-dot", spelled("dotdot")),
    ("symlink", spelled("symlink")),
    ("hardlink", hardlink),
    ("dev-null", device(3, (0,))),
    ("directory", directory),
    ("stdout-link", stdout_link),
    ("long-name", long_name),
]

CASES = []
for wname, writer in WRITERS:
    targets = list(TARGETS_ALL)
    if wname in ("orders-export", "db-backup"):
        targets += [t for t in TARGETS_MORE
                    if not (wname == "db-backup" and t[0] in ("stdout-link", "long-name"))]
    for tname, make in targets:
        if tname == "fifo":
            # A backup is a database: written into a FIFO or refused, but never hanging.
            make = fifo((0, 73) if wname == "db-backup" else (0,))
        if wname == "db-backup" and tname == "dev-null":
            make = device(3, (0, 73))
        CASES.append(Case("1-%s-%s" % (wname, tname), 1, fn=make(writer), db="rows",
                          ignore=IGNORE, note="%s to a %s target" % (wname, tname)))
