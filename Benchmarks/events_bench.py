#!/usr/bin/env python3
"""Events and analytics (issue 16): mkt against DuckDB, in the same run, on gen.py events.

  Benchmarks/events_bench.py [--smoke] [--n 10000000] [--bin PATH] [--repeat 5] [--keep DIR]

Times, each best of --repeat (whole processes, as a cron job or a shell runs them):
  - ingest: `mkt events ingest` of the file (rollups included) against DuckDB's read_ndjson load
    (../shared/bench/duckdb_events.py load), with mkt's peak RSS;
  - the 30-day daily report: `mkt report overview --by day` (whole process) against DuckDB's
    query on the loaded table (in process, median), and checks that the numbers are the same;
  - `mkt report funnel`, `report products --top 100`, `report search` (whole process);
  - a late day: 300,000 more events of one day (another seed) ingested into the loaded store.
DuckDB comes from `pip install duckdb`; without it the DuckDB columns are left out.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(os.path.dirname(ROOT), "shared", "bench")
GEN = os.path.join(BENCH, "gen.py")
DUCK = os.path.join(BENCH, "duckdb_events.py")


def mkt_binary(given, smoke):
    """`given`, else mkt built here: debug for a smoke run, else release."""
    if given:
        return given
    configuration = "debug" if smoke else "release"
    # The release binary as the Makefile builds it (its flags: another set would rebuild it).
    command = ["swift", "build", "--product", "mkt"] if smoke else ["make", "-s", "build"]
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", configuration, "mkt")


def run(cmd, capture=False):
    result = subprocess.run(cmd, check=True, stdout=subprocess.PIPE if capture else subprocess.DEVNULL)
    return result.stdout.decode() if capture else None


def timed(cmd, capture=False):
    """Wall milliseconds of one run of `cmd`, its output, and its peak RSS in MB (GNU time's %M,
    when /usr/bin/time is there; else 0)."""
    rss_file = None
    if os.path.exists("/usr/bin/time"):
        rss_file = tempfile.mktemp(prefix="mkt-rss-")
        cmd = ["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd
    started = time.perf_counter()
    output = run(cmd, capture)
    elapsed = (time.perf_counter() - started) * 1000
    peak = 0.0
    if rss_file:
        with open(rss_file) as handle:
            peak = float(handle.read().strip().split()[-1]) / 1024
        os.remove(rss_file)
    return elapsed, output, peak


def best(repeat, cmd, setup=None):
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        times.append(timed(cmd)[0])
    return min(times), statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="20,000 events, one run: checks the path")
    parser.add_argument("--n", type=int, default=10_000_000)
    parser.add_argument("--bin", help="the mkt binary (default: build release, or debug with --smoke)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", help="keep the data and stores in this folder (reused when there)")
    args = parser.parse_args()
    if not os.path.exists(GEN):
        sys.exit(f"events_bench.py: {GEN} not found: the shared/ folder must sit beside the repository")
    n = 20_000 if args.smoke else args.n
    repeat = 1 if args.smoke else args.repeat
    mkt = mkt_binary(args.bin, args.smoke)
    try:
        import duckdb  # noqa: F401
        have_duckdb = True
    except ImportError:
        have_duckdb = False
        print("events_bench: duckdb is not installed (pip install duckdb): mkt alone")

    work = args.keep or tempfile.mkdtemp(prefix="mkt-events-")
    os.makedirs(work, exist_ok=True)
    try:
        days = 30
        users, products = (2_000, 5_000) if args.smoke else (200_000, 1_000_000)
        events = os.path.join(work, f"events-{n}.jsonl")
        if not os.path.exists(events):
            run([sys.executable, GEN, "events", "--n", str(n), "--products", str(products), "--users",
                 str(users), "--days", str(days), "-o", events])
        late_n = 3_000 if args.smoke else 300_000
        late = os.path.join(work, f"late-{late_n}.jsonl")
        if not os.path.exists(late):
            run([sys.executable, GEN, "events", "--n", str(late_n), "--products", str(products), "--users",
                 str(users), "--days", "1", "--start", "2025-01-15", "--seed", "99", "-o", late])
        db = os.path.join(work, "mkt.db")

        def fresh():
            for suffix in ("", "-wal", "-shm", "-search"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            run([mkt, "init", "--db", db, "-q"])

        rows = []
        ingest_times = []
        peak = 0
        for _ in range(min(repeat, 3)):
            fresh()
            elapsed, _, rss = timed([mkt, "events", "ingest", events, "--db", db, "-q"])
            ingest_times.append(elapsed)
            peak = max(peak, rss)
        ingest = min(ingest_times)
        duck_load = None
        duck_db = os.path.join(work, "ev.duckdb")
        if have_duckdb:
            loads = []
            for _ in range(min(repeat, 3)):
                if os.path.exists(duck_db):
                    os.remove(duck_db)
                loads.append(timed([sys.executable, DUCK, "load", events, duck_db])[0])
            duck_load = min(loads)
        rows.append(("ingest (rollups included)", ingest, duck_load, f"peak RSS {peak:.0f} MB"))

        first, last = "2025-01-01", "2025-01-30"
        overview = [mkt, "report", "overview", "--by", "day", "--from", first, "--to", last, "--db", db,
                    "--json", "-q"]
        report_best, report_median = best(repeat, overview)
        duck_report = None
        same = None
        if have_duckdb:
            out = run([sys.executable, DUCK, "report", duck_db, "--runs", str(max(repeat, 5)),
                       "--from", first, "--to", "2025-01-31"], capture=True)
            lines = out.strip().split("\n")
            duck_report = float(lines[-1].split("median ")[1].split(" ms")[0])
            theirs = [line.split("\t") for line in lines[:-1]]
            ours = json.loads(run(overview, capture=True))
            same = len(theirs) == len(ours) and all(
                t[0] == o["day"] and int(t[1]) == o["page_views"] and int(t[2]) == o["product_views"]
                and int(t[3]) == o["add_to_cart"] and int(t[4]) == o["purchases"]
                and abs(float(t[5]) - o["revenue"]) < 0.02 and abs(float(t[6]) - o["conversion_rate"]) < 1e-9
                and int(t[7]) == o["visitors"]
                for t, o in zip(theirs, ours))
        rows.append(("report overview --by day (30 days)", report_median, duck_report,
                     "same numbers" if same else ("NUMBERS DIFFER" if same is False else "")))
        for name, cmd in [
            ("report funnel", [mkt, "report", "funnel"]),
            ("report products --top 100", [mkt, "report", "products", "--top", "100"]),
            ("report search --top 100", [mkt, "report", "search", "--top", "100"]),
        ]:
            _, median = best(repeat, cmd + ["--db", db, "-q"])
            rows.append((name, median, None, ""))
        late_ms, _, late_rss = timed([mkt, "events", "ingest", late, "--db", db, "-q"])
        rows.append((f"late day: {late_n:,} more events", late_ms, None, f"peak RSS {late_rss:.0f} MB"))

        print(f"\nevents benchmark: {n:,} events ({users:,} users, {products:,} products, {days} days); "
              f"best of {min(repeat, 3)} for ingest, median of {repeat} for reports")
        print(f"{'case':40} {'mkt ms':>10} {'DuckDB ms':>10} {'ratio':>7}  note")
        for name, ours, theirs, note in rows:
            ratio = f"{ours / theirs:.2f}" if theirs else "-"
            theirs_text = f"{theirs:10.1f}" if theirs else f"{'-':>10}"
            print(f"{name:40} {ours:10.1f} {theirs_text} {ratio:>7}  {note}")
        if same is False:
            sys.exit(1)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
