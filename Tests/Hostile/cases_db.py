"""Class 9 (opening the database: non-regular files refused at once, read-only databases
readable without leaving anything behind, `db check` reports damage) and class 10 (waiting:
readers never wait for a writer, busy timeouts are honoured as stated, "(once)" means once)."""
import fcntl
import os
import shutil
import sqlite3

from harness import Case, kind, sha256

NOBODY = ("nobody", "nogroup")
DB_CHECK_HINT = ["run `mkt db check", "run mkt db check"]


# -- class 9 ---------------------------------------------------------------------------
def special_db(make, words, label):
    def fn(c):
        path = make(c)
        before = set(os.listdir(c.work))
        for args in (["merchant", "list"], ["db", "check"], ["search", "merino"]):
            res = c.mkt(*args, "--db", path, secs=2)
            c.expect(res, exit=(65, 66), err=words, not_err=["disk space"], secs=2,
                     label=" ".join(args))
        res = c.mkt("init", "--db", path, secs=2)
        c.expect(res, exit=(65, 66, 73), err=words, secs=2, label="init")
        if kind(path) != label:
            c.fail("the %s is now a %s" % (label, kind(path)))
        new = set(os.listdir(c.work)) - before
        if new:
            c.fail("created beside it: %s" % ", ".join(sorted(new)))
    return fn


def fifo(c):
    path = os.path.join(c.work, "pipe.db")
    os.mkfifo(path)
    return path


def null_node(c):  # the same device as /dev/null (c 1 3); /dev/null itself is not risked
    path = os.path.join(c.work, "null.db")
    os.mknod(path, 0o666 | 0o020000, os.makedev(1, 3))
    return path


def read_only(writable_dir):
    """A copy owned by nobody, mode 0444, in a folder nobody can write (or can): read
    commands work as nobody, and nothing is left beside the file."""
    def fn(c):
        folder = os.path.join(c.work, "ro")
        os.makedirs(folder)
        db = os.path.join(folder, "d.db")
        shutil.copyfile(c.db, db)
        os.chown(db, 65534, 65534)
        os.chmod(db, 0o444)
        if writable_dir:
            os.chown(folder, 65534, 65534)
        os.chmod(c.tmp, 0o1777)
        digest = sha256(db)
        for args in (["merchant", "list"], ["search", "merino"], ["catalog", "stats"],
                     ["orders", "list"], ["db", "check"]):
            res = c.mkt(*args, "--db", db, user=NOBODY, secs=10)
            c.expect(res, exit=0, secs=10, label=" ".join(args) + " as nobody")
        res = c.mkt("merchant", "add", "ro-1", "--name", "R", "--country", "DE", "--db", db,
                    user=NOBODY, secs=10)
        c.expect(res, exit=73, err=[("read-only", "read only", "readonly", "permission")],
                 label="merchant add as nobody")
        left = sorted(set(os.listdir(folder)) - {"d.db"})
        if left:
            c.fail("left beside the read-only database: %s" % ", ".join(left))
        if sha256(db) != digest:
            c.fail("the read-only database's bytes changed")
    return fn


def truncated(size_of):
    def fn(c):
        size = os.path.getsize(c.db)
        with open(c.db, "r+b") as handle:
            handle.truncate(size_of(size))
        res = c.mkt("db", "check", secs=20)
        c.expect(res, exit=1, not_err=DB_CHECK_HINT, secs=20)
    return fn


def zeroed_page(c):
    with open(c.db, "r+b") as handle:
        handle.seek(4096 * 5)
        handle.write(b"\0" * 4096)
    c.step("db", "check", exit=1, not_err=DB_CHECK_HINT)


CASES = [
    Case("9-db-fifo", 9, fn=special_db(fifo, [("regular file", "fifo", "pipe")], "fifo"),
         note="refused at once, not opened"),
    Case("9-db-dev-null", 9,
         fn=special_db(null_node, [("device", "regular file")], "char device"),
         note="a device, not 'check free disk space'"),
    Case("9-db-read-only-dir-read-only", 9, fn=read_only(False), clean=False,
         note="as nobody: 0444 file, folder not writable"),
    Case("9-db-read-only-dir-writable", 9, fn=read_only(True), clean=False,
         note="as nobody: 0444 file, folder writable"),
    Case("9-db-check-truncated-half", 9, fn=truncated(lambda n: n // 2 // 4096 * 4096)),
    Case("9-db-check-truncated-mid-page", 9, fn=truncated(lambda n: 4096 * 3 + 100)),
    Case("0-db-check-zeroed-page", 9, fn=zeroed_page, note="held: damage found, exit 1"),
    Case("0-db-directory", 0, ["merchant", "list", "--db", "{w}"], exit=66, secs=5),
    Case("0-db-missing", 0, ["merchant", "list", "--db", "{w}/none.db"], exit=66, secs=5,
         check=lambda c, r: os.path.exists(os.path.join(c.work, "none.db")) and c.fail(
             "a missing database was created by a read")),
    Case("0-db-not-sqlite", 0, ["merchant", "list", "--db", "{w}/text.db"], exit=65, secs=5,
         setup=lambda c: c.write("text.db", "id,name\n1,x\n" * 1000)),
]


# -- class 10 ---------------------------------------------------------------------------
class WriteLock:
    """Holds the database's write lock (BEGIN IMMEDIATE) from this process, as a writer that
    has just begun would. The database is quiet before (no -wal file, as every mkt leaves it)
    unless warm: then a commit that changes no row (a table created and dropped) is kept in
    the WAL by this open connection first, as during a long import."""

    def __init__(self, db, warm=False):
        self.con = sqlite3.connect(db, isolation_level=None, timeout=5)
        if warm:
            self.con.execute("CREATE TABLE hostile_warm (x)")
            self.con.execute("DROP TABLE hostile_warm")
        self.con.execute("BEGIN IMMEDIATE")
        self.con.execute("UPDATE merchant SET name = name WHERE id = 'office-nl'")

    def release(self):
        self.con.execute("ROLLBACK")
        self.con.close()


def stale_search(c):
    con = sqlite3.connect(c.db)
    con.execute("DELETE FROM search_column")  # as after an upgrade: search must rebuild
    con.commit()
    con.close()


def while_locked(body, warm=False, stale=False):
    def fn(c):
        if stale:
            stale_search(c)
        lock = WriteLock(c.db, warm)
        c.cleanups.append(lock.release)
        body(c)
    return fn


def waits(args, timeout, bound):
    def body(c):
        res = c.mkt(*args, "--busy-timeout", str(timeout), secs=bound + 3)
        c.expect(res, exit=75, err=[("another", "lock", "busy")], label=" ".join(args[:2]))
        if res.secs > bound:
            c.fail("--busy-timeout %s: gave up after %.2fs (bound %ss)" % (timeout, res.secs,
                                                                          bound))
    return body


def reads(*commands, bound=1.0):
    def body(c):
        for args in commands:
            res = c.mkt(*args, secs=bound + 2)
            c.expect(res, exit=0, label=" ".join(args[:2]))
            if res.secs > bound and not res.killed:
                c.fail("%s answered after %.2fs while a writer held the lock (bound %ss)" % (
                    " ".join(args[:2]), res.secs, bound))
    return body


def _answers_or_75(c, args, bound):
    res = c.mkt(*args, secs=bound + 3)
    c.expect(res, exit=(0, 75), label=" ".join(args[:2]))
    if res.secs > bound and not res.killed:
        c.fail("%s took %.2fs (bound %ss)" % (" ".join(args), res.secs, bound))


def once(times, locked):
    def fn(c):
        stale_search(c)
        lock = WriteLock(c.db) if locked else None
        if lock:
            c.cleanups.append(lock.release)
        notices = 0
        for _ in range(times):
            res = c.mkt("search", "merino", secs=3)
            c.expect(res, exit=0, label="search")
            if res.secs > 1.0 and locked and not res.killed:
                c.fail("search took %.2fs with the write lock held" % res.secs)
            notices += res.text.count("(once)")
            if res.killed:
                break
        if notices > 1:
            c.fail("the '(once)' notice was printed %d times in %d searches" % (notices, times))
    return fn


def sync_lock(c):
    handle = open(c.db + ".sync.lock", "a")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    c.cleanups.append(handle.close)
    c.write("s.csv", "sku,warehouse,quantity\nKWM-1002,BER1,5\n")
    res = c.mkt("inventory", "sync", c.path("s.csv"), "--merchant", "kuechenwelt-de", secs=5)
    c.expect(res, exit=75, secs=1.5)


ORDER = ('{"idempotency_key": "w", "merchant": "kuechenwelt-de", "customer": {"id": "C", '
         '"email": "c@example.de"}, "country": "DE", "lines": [{"sku": "KWM-1002", '
         '"quantity": 1}]}')
READERS = {
    "merchant-list": ["merchant", "list"], "search": ["search", "merino"],
    "catalog-list": ["catalog", "list"], "orders-list": ["orders", "list"],
    "db-info": ["db", "info"], "inventory-show": ["inventory", "show", "KWM-1001"],
    "report-sales": ["report", "sales"], "suggest": ["suggest", "meri"],
}
CASES += [
    Case("10-busy-timeout-1-merchant-add", 10,
         fn=while_locked(waits(["merchant", "add", "w-1", "--name", "W", "--country", "DE"],
                               1, 1.5)), note="75 within ~1.5 s, not 2×"),
    Case("10-busy-timeout-1-import", 10,
         fn=while_locked(lambda c: waits(["import", os.path.join(
             c.ex, "feeds", "kuechenwelt-de.xml"), "--merchant", "kuechenwelt-de"], 1, 1.5)(c))),
    Case("10-busy-timeout-1-orders-place", 10,
         fn=while_locked(lambda c: waits(["orders", "place", c.write("o.json", ORDER)], 1,
                                         1.5)(c))),
    Case("10-busy-timeout-1-inventory-sync", 10,
         fn=while_locked(lambda c: waits(["inventory", "sync", c.write(
             "s.csv", "sku,warehouse,quantity\nKWM-1002,BER1,5\n"), "--merchant",
             "kuechenwelt-de"], 1, 1.5)(c))),
    Case("10-busy-timeout-2-import", 10,
         fn=while_locked(lambda c: waits(["import", os.path.join(
             c.ex, "feeds", "kuechenwelt-de.xml"), "--merchant", "kuechenwelt-de"], 2, 2.6)(c))),
    Case("10-busy-timeout-0", 10,
         fn=while_locked(waits(["merchant", "add", "w-1", "--name", "W", "--country", "DE"],
                               0, 0.6))),
    Case("10-sync-lock-held", 10, fn=sync_lock, note="held: a second sync exits 75 at once"),
    Case("10-search-stale-while-writer", 10, fn=once(2, True),
         note="stale search copy + writer: answers within 1 s, notice once"),
    Case("10-search-stale-once-notice", 10, fn=once(3, False)),
    Case("10-busy-timeout-1-search-stale", 10,
         fn=while_locked(lambda c: _answers_or_75(c, ["search", "merino", "--busy-timeout", "1"],
                                                  1.5), stale=True),
         note="answers, or gives up within the 1 s it was given"),
]
CASES += [
    Case("10-reader-%s-while-writer" % name, 10, fn=while_locked(reads(args)),
         note="write lock held on a quiet database" if name == "merchant-list" else "")
    for name, args in READERS.items()
]
CASES += [
    Case("10-readers-while-writer-warm-wal", 10,
         fn=while_locked(reads(*READERS.values()), warm=True),
         note="the WAL already holds commits"),
]
