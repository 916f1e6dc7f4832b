#!/usr/bin/env python3
"""Hostile-input probes against the built mkt binary (issue 14).

    python3 Tests/Hostile/probes.py [--mkt .build/debug/mkt] [-k SUBSTRING] [-v] [--keep]

Each case runs in a fresh folder with a copy of a seeded database (built once per run by mkt
itself), and checks exit code, messages, time, peak memory, that the database is unchanged and
that nothing is left behind. One line per case, then `N passed, N failed`; exit 1 if any
failed. See README.md in this folder."""
import argparse
import concurrent.futures
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402
from harness import Case, Ctx, Failure, order_json  # noqa: E402,F401

CLASSES = {
    0: "held", 1: "output", 2: "limits", 3: "network", 4: "arith", 5: "refusal",
    6: "idempotency", 7: "manifest", 8: "validation", 9: "open-db", 10: "waiting",
}


class Suite:
    def __init__(self, mkt, repo, verbose, keep):
        self.mkt, self.repo, self.verbose, self.keep = mkt, repo, verbose, keep
        self.base = tempfile.mkdtemp(prefix="mkt-hostile-")
        os.chmod(self.base, 0o755)  # the read-only-database cases run as nobody
        self.shared = os.path.join(self.base, "shared")
        os.makedirs(self.shared)
        self.seed = os.path.join(self.base, "seed.db")
        self._locks = {}
        self._lock = threading.Lock()
        self._server = None

    def file(self, name, make):
        """A shared generated input, made once per run on first use: make(path)."""
        path = os.path.join(self.shared, name)
        with self._lock:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if not os.path.exists(path):
                make(path + ".making")
                os.rename(path + ".making", path)
        return path

    def server(self):
        with self._lock:
            if self._server is None:
                import servers
                self._server = servers.HostileServer()
            return self._server

    def build_seed(self):
        """The seeded database: merchants, the four example feeds, ECB rates, pricing rules,
        two warehouses with stock and three paid orders, checkpointed into one file."""
        ex = os.path.join(self.repo, "examples")
        work = os.path.join(self.base, "seed")
        os.makedirs(work)
        db = os.path.join(work, "seed.db")
        env = {k: v for k, v in os.environ.items() if not k.startswith("MKT_")}
        env.update({"NO_COLOR": "1", "SWIFT_BACKTRACE": "enable=no"})
        with open(os.path.join(work, "stock.csv"), "w") as handle:
            handle.write("sku,warehouse,quantity,merchant_id\n"
                         "KWM-1001,BER1,100,kuechenwelt-de\nKWM-1002,BER1,100,kuechenwelt-de\n"
                         "WWA-KT-300,ALG1,100,wollwerk-de\nWWA-MP-M-NAV,ALG1,50,wollwerk-de\n")
        with open(os.path.join(work, "orders.ndjson"), "w") as handle:
            for i in (1, 2, 3):
                handle.write(order_json("seed-%d" % i, "kuechenwelt-de", "KWM-1001", 1, i) + "\n")
        feeds = os.path.join(ex, "feeds")
        steps = [
            ["init"], ["merchant", "import", os.path.join(ex, "merchants.csv")],
            ["import", os.path.join(feeds, "kuechenwelt-de.xml"), "--merchant", "kuechenwelt-de",
             "--language", "de"],
            ["import", os.path.join(feeds, "maison-lumiere-fr.xml"), "--merchant",
             "maison-lumiere-fr", "--language", "fr"],
            ["import", os.path.join(feeds, "sklep-krakow-pl.csv"), "--merchant", "krakow-pl",
             "--language", "pl"],
            ["import", os.path.join(feeds, "wollwerk-de-shopify.csv"), "--merchant", "wollwerk-de",
             "--language", "de", "--currency", "EUR", "--shop-url", "https://wollwerk.example"],
            ["currency", "import", os.path.join(ex, "ecb", "eurofxref-hist.xml")],
            ["pricing", "load", os.path.join(ex, "pricing", "rules.yaml")],
            ["inventory", "warehouse", "add", "BER1", "--merchant", "kuechenwelt-de", "--country",
             "DE", "--serves", "DE,AT,FR"],
            ["inventory", "warehouse", "add", "ALG1", "--merchant", "wollwerk-de", "--country",
             "DE", "--serves", "DE,AT"],
            ["inventory", "sync", "stock.csv"],
            ["orders", "place", "orders.ndjson"],
            ["search", "merino"],
        ]
        for step in steps:
            res = harness.run_process([self.mkt] + step + ["--db", db, "-q"], work, env, 120)
            if res.rc != 0:
                raise SystemExit("seed: mkt %s exited %s: %s" % (" ".join(step), res.rc,
                                                                 res.excerpt(400)))
        harness.checkpoint(db)
        shutil.copyfile(db, self.seed)

    def run(self, case):
        root = tempfile.mkdtemp(prefix=case.id[:40] + "-", dir=self.base)
        os.chmod(root, 0o755)
        ctx = Ctx(self, case, root)
        started = time.monotonic()
        error = None
        try:
            if case.setup:
                case.setup(ctx)
            snap = ctx.snapshot(case.ignore) if case.db else None
            digest = harness.sha256(ctx.db) if case.db == "bytes" else None
            if case.fn:
                case.fn(ctx)
            else:
                argv = case.argv(ctx) if callable(case.argv) else [
                    a.format(db=ctx.db, w=ctx.work, ex=ctx.ex, sh=ctx.shared) for a in case.argv]
                stdin = case.stdin(ctx) if callable(case.stdin) else case.stdin
                res = ctx.mkt(*argv, secs=case.secs, stdin=stdin, db=not case.nodb)
                ctx.expect(res, exit=case.exit, err=case.err, not_err=case.not_err,
                           secs=case.secs, mem_mb=case.mem_mb)
                if case.check:
                    case.check(ctx, res)
            if digest and os.path.exists(ctx.db) and harness.sha256(ctx.db) != digest:
                ctx.fail("database file bytes changed (sha256)")
            if snap:
                ctx.same_db(snap)
            if case.clean and not ctx.files_checked:
                left = ctx.leftovers()
                if left:
                    ctx.fail("left behind: %s" % ", ".join(left[:4]))
        except Failure:
            pass
        except Exception:  # a harness problem, not mkt's: say so loudly
            error = traceback.format_exc()
        finally:
            for cleanup in ctx.cleanups:
                try:
                    cleanup()
                except Exception:
                    pass
            if not self.keep:
                shutil.rmtree(root, ignore_errors=True)
        return ctx, error, time.monotonic() - started


def all_cases():
    import cases_data
    import cases_db
    import cases_limits
    import cases_network
    import cases_output
    cases = []
    # Timing-sensitive classes first, the heavy readers last.
    for module in (cases_db, cases_data, cases_output, cases_network, cases_limits):
        cases += module.CASES
    ids = [c.id for c in cases]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise SystemExit("duplicate case ids: %s" % ", ".join(sorted(duplicates)))
    return cases


def main():
    repo = os.path.dirname(os.path.dirname(HERE))
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mkt", default=os.path.join(repo, ".build", "debug", "mkt"),
                        help="the mkt binary (default: .build/debug/mkt)")
    parser.add_argument("-k", action="append", default=[],
                        help="run only cases whose id or class contains this (repeatable)")
    parser.add_argument("-v", action="store_true", help="print every mkt run of each case")
    parser.add_argument("--keep", action="store_true", help="keep the case folders")
    parser.add_argument("--jobs", type=int, default=2, help="cases at once (default 2)")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    args = parser.parse_args()
    cases = all_cases()
    if args.k:
        cases = [c for c in cases
                 if any(k in c.id or k == CLASSES[c.cls] for k in args.k)]
    if args.list:
        for c in cases:
            print("%-44s %-12s %s" % (c.id, CLASSES[c.cls], c.note))
        return 0
    mkt = os.path.abspath(args.mkt)
    if not os.access(mkt, os.X_OK):
        print("no mkt binary at %s (build it, or pass --mkt PATH)" % mkt, file=sys.stderr)
        return 2
    suite = Suite(mkt, repo, args.v, args.keep)
    started = time.monotonic()
    try:
        suite.build_seed()
        passed = failed = 0
        printing = threading.Lock()
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            futures = {pool.submit(suite.run, c): c for c in cases}
            for future in concurrent.futures.as_completed(futures):
                case = futures[future]
                ctx, error, secs = future.result()
                ok = not ctx.failures and not error
                with printing:
                    if ok:
                        passed += 1
                        print("ok    %-44s %-12s %5.1fs" % (case.id, CLASSES[case.cls], secs))
                    else:
                        failed += 1
                        reason = "harness error" if error else "; ".join(ctx.failures)
                        print("FAIL  %-44s %-12s %5.1fs  %s" % (
                            case.id, CLASSES[case.cls], secs, reason))
                        if error:
                            print(error)
                    if args.v:
                        for note in ctx.notes:
                            print("      " + note.replace("\n", "\n      "))
                    sys.stdout.flush()
        if suite._server:
            suite._server.stop()
        print("# %.0f s, folders under %s%s" % (
            time.monotonic() - started, suite.base, "" if args.keep else " (removed)"))
        print("%d passed, %d failed" % (passed, failed))
        return 1 if failed else 0
    finally:
        if not args.keep:
            shutil.rmtree(suite.base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
