"""The machinery of the hostile-input suite: running mkt under limits, per-case folders, the
seeded database, and the checks every case shares (exit code, messages, time, memory, the
database unchanged, nothing left behind). Standard library only."""
import hashlib
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import threading
import time

GIB = 1 << 30
MIB = 1 << 20
# Hard address-space limit for every mkt run (ulimit -v): a runaway reader dies instead of
# taking the machine with it. Peak RSS is measured separately and compared with a case's bound.
ADDRESS_LIMIT = 3 * GIB
CAPTURE = 4 * MIB  # bytes of stdout/stderr kept per run
BAD_EXITS = {70: "70 (internal error)"}


def _tuple(value):
    return tuple(value) if isinstance(value, (tuple, list, set)) else (value,)


class Result:
    def __init__(self, argv, rc, out, err, secs, rss_kb, killed):
        self.argv, self.rc, self.out, self.err = argv, rc, out, err
        self.secs, self.rss_kb, self.killed = secs, rss_kb, killed

    @property
    def text(self):
        return self.err.decode("utf-8", "replace")

    @property
    def stdout(self):
        return self.out.decode("utf-8", "replace")

    def excerpt(self, n=160):
        text = " ".join(self.text.split())
        return (text[:n] + "…") if len(text) > n else text


def _drain(stream, sink):
    kept = 0
    while True:
        chunk = stream.read(65536)
        if not chunk:
            break
        if kept < CAPTURE:
            sink.append(chunk[: CAPTURE - kept])
            kept += len(chunk)
    stream.close()


def run_process(argv, cwd, env, timeout, stdin=None, address_limit=ADDRESS_LIMIT, user=None):
    """Runs argv (argv[0] = mkt) with a virtual-memory cap; kills its process group after
    `timeout` seconds. Returns a Result with the exit code (negative: killed by that signal),
    the captured output, the wall time and the peak RSS (KiB) from wait4."""
    script = 'ulimit -v %d 2>/dev/null; exec "$@"' % (address_limit // 1024)
    cmd = ["/bin/sh", "-c", script, "sh"] + list(argv)
    if user:
        cmd = ["setpriv", "--reuid=%s" % user[0], "--regid=%s" % user[1], "--clear-groups"] + cmd
    stdin_arg = subprocess.DEVNULL
    if isinstance(stdin, (bytes, bytearray)):
        stdin_arg = subprocess.PIPE
    elif stdin is not None:
        stdin_arg = stdin
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=stdin_arg, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    out, err = [], []
    readers = [threading.Thread(target=_drain, args=(proc.stdout, out), daemon=True),
               threading.Thread(target=_drain, args=(proc.stderr, err), daemon=True)]
    for reader in readers:
        reader.start()
    if stdin_arg is subprocess.PIPE:
        def feed():
            try:
                proc.stdin.write(stdin)
                proc.stdin.close()
            except OSError:
                pass
        threading.Thread(target=feed, daemon=True).start()
    killed = False
    status, usage = None, None
    while True:
        pid, st, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            status, usage = st, ru
            break
        if time.monotonic() - start > timeout:
            killed = True
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.005)
    secs = time.monotonic() - start
    rc = os.waitstatus_to_exitcode(status)
    proc.returncode = rc
    try:  # children of mkt, if any, go with it
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for reader in readers:
        reader.join(5)
    return Result(argv, rc, b"".join(out), b"".join(err), secs, usage.ru_maxrss, killed)


def sqlite_dump(path, ignore=()):
    """The database's schema and rows as `sqlite3 .dump` prints them (minus ignored tables)."""
    res = subprocess.run(["sqlite3", path, ".dump"], capture_output=True, timeout=60)
    lines = res.stdout.decode("utf-8", "replace").splitlines()
    prefixes = tuple("INSERT INTO %s%s" % (q, t) for t in ignore for q in ("", '"'))
    return [line for line in lines if not line.startswith(prefixes)], res.returncode


def integrity(path):
    res = subprocess.run(["sqlite3", path, "PRAGMA integrity_check"], capture_output=True,
                         timeout=60)
    return res.stdout.decode("utf-8", "replace").strip() or res.stderr.decode().strip()


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def checkpoint(path):
    """Moves the WAL into the main file and removes it, so copying the file copies the data."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def kind(path):
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "missing"
    for test, name in ((stat.S_ISLNK, "symlink"), (stat.S_ISCHR, "char device"),
                       (stat.S_ISFIFO, "fifo"), (stat.S_ISDIR, "directory"),
                       (stat.S_ISREG, "regular file")):
        if test(mode):
            return name
    return "other"


class Fifo:
    """A FIFO with a reader thread that collects everything written to it (non-blocking, so
    nothing hangs if mkt replaces the FIFO instead of writing into it)."""

    def __init__(self, path):
        self.path = path
        os.mkfifo(path)
        self.data = bytearray()
        self.done = threading.Event()
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        import select
        while True:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except BlockingIOError:
                    chunk = None
                if chunk:
                    self.data += chunk
                    continue
            if self.done.is_set():
                break
            time.sleep(0.02 if not ready else 0.01)

    def close(self):
        self.done.set()
        self.thread.join(5)
        os.close(self.fd)
        return bytes(self.data)


class Failure(Exception):
    """Stops a case at the first step whose failure makes the rest meaningless."""


class Ctx:
    """One case's world: its folder (work/ holds d.db, tmp/ is TMPDIR), the mkt binary, the
    repository's examples and the run's shared generated files."""

    def __init__(self, suite, case, root):
        self.suite, self.case = suite, case
        self.root = root
        self.work = os.path.join(root, "work")
        self.tmp = os.path.join(root, "tmp")
        os.makedirs(self.work)
        os.makedirs(self.tmp)
        self.db = os.path.join(self.work, "d.db")
        self.ex = os.path.join(suite.repo, "examples")
        self.shared = suite.shared
        self.mkt_path = suite.mkt
        self.failures = []
        self.files_checked = False
        self.notes = []
        self.cleanups = []
        if case.seed:
            shutil.copyfile(suite.seed, self.db)

    # -- files ---------------------------------------------------------------------------
    def path(self, name):
        return name if os.path.isabs(name) else os.path.join(self.work, name)

    def write(self, name, content, mode="w"):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        with open(path, "wb") as handle:
            handle.write(content)
        return path

    def env(self, extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("MKT_")}
        env.update({"TMPDIR": self.tmp, "NO_COLOR": "1", "LANG": "C.UTF-8", "TERM": "dumb"})
        env.pop("SWIFT_BACKTRACE", None)
        env["SWIFT_BACKTRACE"] = "enable=no"
        env.update(extra or {})
        return env

    # -- running mkt ---------------------------------------------------------------------
    def mkt(self, *args, secs=20, stdin=None, env=None, db=True, user=None,
            address_limit=ADDRESS_LIMIT, cwd=None):
        argv = [self.mkt_path] + [str(a) for a in args]
        if db and "--db" not in argv and not any(a.startswith("--db=") for a in argv):
            argv += ["--db", self.db]
        res = run_process(argv, cwd or self.work, self.env(env), secs, stdin=stdin, user=user,
                          address_limit=address_limit)
        if self.suite.verbose:
            self.notes.append("$ %s → %s in %.2fs, %d MiB\n%s" % (
                " ".join(a if len(a) < 80 else a[:77] + "…" for a in argv[1:]), res.rc,
                res.secs, res.rss_kb // 1024, res.text.strip()[:2000]))
        return res

    def scrub(self, text):
        """Paths of the case and the run replaced, so that a message word is never matched
        in a folder name (case folders are named after the case)."""
        return text.replace(self.root + "/", "").replace(self.suite.base, "<run>")

    def fail(self, message):
        self.failures.append(self.scrub(message))

    def expect(self, res, exit=None, err=(), not_err=(), secs=None, mem_mb=None, label="",
               out=(), fatal=False):
        """Checks one run: exit code(s), stderr words (each item a string or a tuple of
        alternatives, case-insensitive), forbidden words, time and peak memory; a signal or
        exit 70 always fails. One stderr excerpt is appended to the run's failures."""
        problems = []
        text = self.scrub(res.text).lower()
        if res.killed:
            problems.append("hang: killed after %.1fs" % res.secs)
        elif res.rc < 0:
            problems.append("killed by signal %d (%s)" % (-res.rc, signal.Signals(-res.rc).name))
        elif res.rc in BAD_EXITS and not (exit is not None and res.rc in _tuple(exit)):
            problems.append("exit %s" % BAD_EXITS[res.rc])
        if exit is not None and not res.killed and res.rc not in _tuple(exit) and res.rc >= 0:
            problems.append("expected exit %s, got %s" % ("/".join(map(str, _tuple(exit))),
                                                           res.rc))
        if not res.killed:
            for item in err:
                options = _tuple(item)
                if not any(o.lower() in text for o in options):
                    problems.append("stderr lacks %s" % " or ".join(repr(o) for o in options))
            for item in out:
                options = _tuple(item)
                if not any(o.lower() in res.stdout.lower() for o in options):
                    problems.append("stdout lacks %s (stdout: %r)" % (
                        " or ".join(repr(o) for o in options), res.stdout[:100]))
        for item in not_err:
            if item.lower() in text:
                problems.append("stderr contains %r" % item)
        if secs is not None and res.secs > secs and not res.killed:
            problems.append("took %.2fs (bound %ss)" % (res.secs, secs))
        if mem_mb is not None and res.rss_kb > mem_mb * 1024:
            problems.append("peak RSS %d MiB (bound %d MiB)" % (res.rss_kb // 1024, mem_mb))
        if problems:
            excerpt = self.scrub(res.excerpt(400))[:180]
            self.fail("%s%s [%s, stderr: %s]" % (
                (label + ": ") if label else "", "; ".join(problems),
                "killed" if res.killed else "exit %d" % res.rc, excerpt or "(empty)"))
            if fatal:
                raise Failure()
        return not problems

    def step(self, *args, exit=0, err=(), not_err=(), secs=20, mem_mb=None, label=None,
             out=(), fatal=False, **kw):
        res = self.mkt(*args, secs=secs, **kw)
        self.expect(res, exit=exit, err=err, not_err=not_err, secs=secs, mem_mb=mem_mb,
                    label=label or " ".join(str(a) for a in args[:3]), out=out, fatal=fatal)
        return res

    # -- the database --------------------------------------------------------------------
    def snapshot(self, ignore=()):
        dump, rc = sqlite_dump(self.db, ignore)
        return {"dump": dump, "rc": rc, "ignore": ignore}

    def same_db(self, snap, label="database"):
        dump, rc = sqlite_dump(self.db, snap["ignore"])
        if rc != 0 or snap["rc"] != 0 or dump != snap["dump"]:
            old, new = set(snap["dump"]), set(dump)
            example = [l for l in dump if l not in old][:1] or [
                l for l in snap["dump"] if l not in new][:1]
            self.fail("%s changed (.dump: %d lines gone, %d new, e.g. %r)" % (
                label, len(old - new), len(new - old), example[0][:60] if example else ""))
        check = integrity(self.db)
        if check != "ok":
            self.fail("%s integrity_check: %s" % (label, " ".join(check.split())[:80]))

    def query(self, sql):
        con = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True, timeout=10)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def listing(self):
        found = {}
        for folder in (self.work, self.tmp):
            for dirpath, _, files in os.walk(folder):
                for name in files:
                    full = os.path.join(dirpath, name)
                    try:
                        found[os.path.relpath(full, self.root)] = os.lstat(full).st_size
                    except FileNotFoundError:
                        pass
        return found

    def no_new_files(self, before, label="left behind"):
        """Fails if files appeared in the work folder or TMPDIR since `before` (a listing()),
        other than the database's own companions."""
        companions = ("work/d.db-wal", "work/d.db-shm", "work/d.db.lock", "work/d.db.sync.lock",
                      "work/d.db-journal", "work/d.db-search", "work/d.db-search-new",
                      "work/d.db-words", "work/d.db-words-new")
        self.files_checked = True
        new = {k: v for k, v in self.listing().items() if k not in before and k not in companions}
        if new:
            self.fail("%s: %s (%d MB)" % (label, ", ".join(sorted(new)[:3]),
                                          sum(new.values()) >> 20))

    def leftovers(self, allowed=()):
        """Temporary files left in the case's folder or TMPDIR."""
        found = []
        for folder in (self.work, self.tmp):
            for dirpath, _, files in os.walk(folder):
                for name in files:
                    full = os.path.join(dirpath, name)
                    rel = os.path.relpath(full, self.root)
                    if folder == self.tmp or ".partial" in name or name.endswith(
                            (".tmp", ".download", ".part")):
                        if not any(a in rel for a in allowed):
                            found.append(rel)
        return found


class Case:
    """One probe. Either `argv` (a list; {db} {w} {ex} {sh} are the database, the case's work
    folder, the repository's examples and the run's shared files; or a function of the Ctx)
    checked against exit/err/not_err/secs/mem_mb, or `fn(ctx)` doing its own steps.
    db: None, "rows" (sqlite3 .dump and integrity_check unchanged, `ignore` tables aside) or
    "bytes" (also the file's sha256). clean: no *.partial* file and an empty TMPDIR after."""

    def __init__(self, id, cls, argv=None, *, exit=None, err=(), not_err=(), secs=20,
                 mem_mb=1024, db=None, ignore=(), setup=None, check=None, fn=None,
                 stdin=None, seed=True, clean=True, nodb=False, note=""):
        self.id, self.cls, self.argv, self.exit = id, cls, argv, exit
        self.err, self.not_err, self.secs, self.mem_mb = err, not_err, secs, mem_mb
        self.db, self.ignore, self.setup, self.check, self.fn = db, ignore, setup, check, fn
        self.stdin, self.seed, self.clean, self.note = stdin, seed, clean, note
        self.nodb = nodb  # the command takes no --db


def order_json(key, merchant, sku, quantity, n=1, extra=""):
    return ('{"idempotency_key": "%s", "merchant": "%s", "customer": {"id": "C%s", '
            '"email": "c%s@example.de"}, "country": "DE", "ip": "10.1.%d.1", '
            '"placed_at": "2026-11-25T10:00:00Z", "lines": [{"sku": "%s", "quantity": %s}]%s}'
            % (key, merchant, n, n, n % 250, sku, quantity, extra))
