#!/usr/bin/env python3
"""Same-run comparisons of mkt against a reference tool on gen.py data.

Generates seeded, deterministic data with ../shared/bench/gen.py, times each case for mkt and
for its reference (the sqlite3 shell) in the same run, best of N, and prints the ratio
(mkt / reference: below 1.0 means mkt is faster). Absolute times drift on this machine; the
ratio is the figure to compare. The full run measures issue 20's targets side by side: feed
check, import (first, unchanged, XML), search over the imported catalog (a whole process, and
in process when Benchmarks' SearchLatency is built), and the stock sync. Usage:

  Benchmarks/compare.py [--smoke] [--bin PATH] [--repeat N] [--markdown] [--only inventory|import|feeds]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(os.path.dirname(ROOT), "shared", "bench", "gen.py")


def run(cmd, **kwargs):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kwargs)


def best_of(repeat, setup, cmd):
    """Best wall time in milliseconds of `cmd`, each run after `setup`."""
    best = None
    for _ in range(repeat):
        setup()
        started = time.perf_counter()
        run(cmd)
        elapsed = (time.perf_counter() - started) * 1000
        best = elapsed if best is None else min(best, elapsed)
    return best


def remove_db(path):
    for suffix in ("", "-wal", "-shm", "-search"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="small data, one run: checks the path works")
    parser.add_argument("--bin", help="the mkt binary (default: build release, or debug with --smoke)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--rows", type=int, default=200000,
                        help="catalog rows for the feed cases (DESIGN.md's target: 1000000)")
    parser.add_argument("--only", choices=["inventory", "import", "feeds"],
                        help="run one case alone (inventory: the 1M-row stock sync; import: the "
                             "catalog imports, CSV and XML, against the sqlite3 shell, then "
                             "search over the imported catalog; feeds: "
                             "feed check of CSV and XML, XML against CSV)")
    args = parser.parse_args()
    if not os.path.exists(GEN):
        sys.exit(f"compare.py: {GEN} not found: the shared/ folder must sit beside the repository")
    if shutil.which("sqlite3") is None:
        sys.exit("compare.py: the sqlite3 shell is missing: run `make deps`")

    merchants = 500 if args.smoke else 10000
    repeat = 1 if args.smoke else args.repeat
    if args.bin:
        mkt = args.bin
    else:
        configuration = "debug" if args.smoke else "release"
        # The release binary as the Makefile builds it (its flags: another set would rebuild it).
        run(["swift", "build", "--product", "mkt"] if args.smoke else ["make", "-s", "build"],
            cwd=ROOT)
        mkt = os.path.join(ROOT, ".build", configuration, "mkt")

    work = tempfile.mkdtemp(prefix="mkt-bench-")
    if args.only == "inventory":
        try:
            print_inventory(inventory_case(mkt, work, 2000 if args.smoke else 1000000))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    if args.only == "import":
        try:
            print_imports(import_cases(mkt, work, 2000 if args.smoke else args.rows,
                                       1 if args.smoke else min(repeat, 3)))
            print("\n".join(search_case(mkt, work, os.path.join(work, "import.db"),
                                         20 if args.smoke else 200)))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    if args.only == "feeds":
        try:
            print_feeds(feed_cases(mkt, work, 2000 if args.smoke else args.rows, repeat))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    try:
        feed = os.path.join(work, "merchants.csv")
        run([sys.executable, GEN, "merchants", "--merchants", str(merchants), "--seed", "42", "-o", feed])
        db = os.path.join(work, "mkt.db")
        ref = os.path.join(work, "ref.db")

        def fresh_mkt():
            remove_db(db)
            run([mkt, "init", "--db", db, "-q"])

        def fresh_ref():
            remove_db(ref)

        rows = []
        mkt_ms = best_of(repeat, fresh_mkt, [mkt, "merchant", "import", feed, "--db", db, "-q"])
        ref_ms = best_of(repeat, fresh_ref, ["sqlite3", ref, f".import --csv {feed} merchant"])
        rows.append((f"merchant import, {merchants} rows, new", mkt_ms, ref_ms))
        # The same feed again: mkt validates and diffs, and writes nothing.
        again_ms = best_of(repeat, lambda: None, [mkt, "merchant", "import", feed, "--db", db, "-q"])
        rows.append((f"merchant import, {merchants} rows, unchanged", again_ms, ref_ms))
        backup = os.path.join(work, "backup.db")
        backup_ms = best_of(repeat, lambda: remove_db(backup), [mkt, "db", "backup", backup, "--db", db, "-q"])
        ref_backup_ms = best_of(repeat, lambda: remove_db(backup), ["sqlite3", db, f".backup {backup}"])
        rows.append(("db backup", backup_ms, ref_backup_ms))
        feed_rows = feed_cases(mkt, work, 2000 if args.smoke else args.rows, repeat)
        import_rows = import_cases(mkt, work, 2000 if args.smoke else args.rows, 1 if args.smoke else min(repeat, 3))
        search_lines = search_case(mkt, work, os.path.join(work, "import.db"), 20 if args.smoke else 200)
        manifest_row = manifest_case(mkt, work, 20 if args.smoke else 1000, 50 if args.smoke else 1000)
        inventory_rows = inventory_case(mkt, work, 2000 if args.smoke else 1000000)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if args.markdown:
        print("| case | mkt (ms) | sqlite3 (ms) | ratio |")
        print("|---|---:|---:|---:|")
        for name, a, b in rows:
            print(f"| {name} | {a:.1f} | {b:.1f} | {a / b:.2f} |")
    else:
        print(f"{'case':44} {'mkt ms':>9} {'sqlite3 ms':>11} {'ratio':>7}")
        for name, a, b in rows:
            print(f"{name:44} {a:9.1f} {b:11.1f} {a / b:7.2f}")
    print(f"mkt: {mkt}; best of {repeat}; ratio = mkt / sqlite3, same run", file=sys.stderr)
    print()
    print_feeds(feed_rows)
    print()
    print_imports(import_rows)
    print("\n".join(search_lines))
    name, seconds, rss, rows_total = manifest_row
    print(f"{name}: {seconds:.2f} s, {rows_total / seconds:.0f} rows/s, {rss:.1f} MB peak RSS")
    print_inventory(inventory_rows)


def print_feeds(feed_rows):
    print(f"{'feed case':44} {'MB':>7} {'mkt s':>7} {'MB/s':>7} {'RSS MB':>7} {'ref s':>7} {'ratio':>7}")
    for name, size, seconds, rss, ref in feed_rows:
        ref_text = f"{ref:7.2f} {seconds / ref:7.2f}" if ref else f"{'-':>7} {'-':>7}"
        print(f"{name:44} {size / 1e6:7.1f} {seconds:7.2f} {size / 1e6 / seconds:7.1f} {rss:7.1f} {ref_text}")
    print(f"xml / csv time for the same items: {feed_rows[1][2] / feed_rows[0][2]:.2f} (target <= 1.5)")


def print_imports(import_rows):
    print(f"{'import case':52} {'mkt s':>7} {'RSS MB':>7} {'ref s':>7} {'ratio':>7}")
    for name, seconds, rss, ref, target in import_rows:
        print(f"{name:52} {seconds:7.2f} {rss:7.1f} {ref:7.2f} {seconds / ref:7.2f}  (target <= {target})")
    print("peak RSS target for an import: < 100 MB")


def print_inventory(inventory_rows):
    for name, seconds, rss, ref in inventory_rows:
        ratio = f"{seconds / ref:.2f} (target <= 0.8)" if ref else "-"
        print(f"{name}: {seconds:.2f} s, {rss:.1f} MB peak RSS; reference {ref or 0:.2f} s; ratio {ratio}")


def timed(cmd):
    """Wall seconds and peak RSS (MB) of one run, via GNU time."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, check=False,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    last = out.stderr.strip().splitlines()[-1].split()
    return float(last[0]), int(last[1]) / 1024


def feed_cases(mkt, work, rows, repeat):
    """feed check over gen.py catalogs: CSV MB/s, XML against CSV and against lxml iterparse."""
    results = []
    paths = {}
    for fmt in ("csv", "xml"):
        paths[fmt] = os.path.join(work, f"catalog.{fmt}")
        run([sys.executable, GEN, "catalog", "--n", str(rows), "--format", fmt, "--seed", "42", "-o", paths[fmt]])
    lxml = None
    try:
        import lxml  # noqa: F401
        lxml = os.path.join(os.path.dirname(os.path.abspath(__file__)), "iterparse.py")
    except ImportError:
        print("compare.py: lxml not installed (pip install lxml): no XML reference", file=sys.stderr)
    for fmt in ("csv", "xml"):
        best = None
        for _ in range(repeat):
            seconds, rss = timed([mkt, "feed", "check", paths[fmt], "--max-findings", "0", "-q"])
            best = (seconds, rss) if best is None or seconds < best[0] else best
        ref = None
        if fmt == "xml" and lxml:
            ref = min(timed([sys.executable, lxml, paths[fmt]])[0] for _ in range(repeat))
        size = os.path.getsize(paths[fmt])
        results.append((f"feed check {fmt}, {rows} items" + (" (ref: lxml)" if ref else ""), size, best[0], best[1], ref))
    return results


def import_cases(mkt, work, rows, repeat):
    """mkt import of gen.py catalogs (50 merchants) against sqlite3 .import + an FTS5 build."""
    merchants = os.path.join(work, "import-merchants.csv")
    run([sys.executable, GEN, "merchants", "--merchants", "50", "--seed", "42", "-o", merchants])
    paths = {}
    for fmt in ("csv", "xml"):
        paths[fmt] = os.path.join(work, f"import.{fmt}")
        run([sys.executable, GEN, "catalog", "--n", str(rows), "--merchants", "50", "--format", fmt,
             "--seed", "42", "-o", paths[fmt]])
    db = os.path.join(work, "import.db")
    ref = os.path.join(work, "import-ref.db")

    def fresh():
        remove_db(db)
        run([mkt, "init", "--db", db, "-q"])
        run([mkt, "merchant", "import", merchants, "--db", db, "-q"])

    def best(cmd, setup):
        result = None
        for _ in range(repeat):
            setup()
            seconds, rss = timed(cmd)
            result = (seconds, rss) if result is None or seconds < result[0] else result
        return result

    def reference():
        result = None
        for _ in range(repeat):
            remove_db(ref)
            start = time.perf_counter()
            run(["sqlite3", ref, f".import --csv {paths['csv']} catalog"])
            run(["sqlite3", ref, "CREATE VIRTUAL TABLE catalog_search USING fts5(title, brand, product_type, "
                 "description, content='catalog'); INSERT INTO catalog_search(catalog_search) VALUES('rebuild');"])
            seconds = time.perf_counter() - start
            result = seconds if result is None else min(result, seconds)
        return result

    ref_s = reference()
    csv_s, csv_rss = best([mkt, "import", paths["csv"], "--db", db, "-q"], fresh)
    again_s, again_rss = best([mkt, "import", paths["csv"], "--db", db, "-q"], lambda: None)
    xml_s, xml_rss = best([mkt, "import", paths["xml"], "--db", db, "-q"], fresh)
    return [
        (f"import csv, {rows} rows, empty store (ref: .import + fts5)", csv_s, csv_rss, ref_s, 0.8),
        (f"import csv again, all unchanged (ref: first import)", again_s, again_rss, csv_s, 0.2),
        (f"import xml, {rows} rows, empty store (ref: csv import)", xml_s, xml_rss, csv_s, 1.5),
    ]


def search_case(mkt, work, db, queries_n):
    """gen.py's queries over the catalog the import case left: `mkt search` as a whole process
    (target p95 < 30 ms at 1M rows), and in process when Benchmarks' SearchLatency is built
    (target p95 <= 3.5 ms)."""
    queries = os.path.join(work, "queries.txt")
    run([sys.executable, GEN, "queries", "--n", str(queries_n), "--seed", "42", "-o", queries])
    here = os.path.dirname(os.path.abspath(__file__))
    lines = [subprocess.run([sys.executable, os.path.join(here, "search_process.py"), mkt, db,
                             queries, "1"], check=True, capture_output=True, text=True).stdout.strip()
             + "  (target p95 < 30 ms at 1M)"]
    latency = os.path.join(here, ".build", "release", "SearchLatency")
    if os.path.exists(latency):
        result = subprocess.run([latency, db, queries, "3"], check=True, capture_output=True,
                                text=True)
        warm = [line for line in result.stdout.splitlines() if line.startswith("search + facets")]
        lines.append("in process (SearchLatency), " + (warm[0] if warm else "no figure")
                     + "  (target p95 <= 3.5 ms)")
    else:
        lines.append("in process: not measured (swift build -c release --package-path Benchmarks "
                     "--product SearchLatency)")
    return lines


def manifest_case(mkt, work, merchants, rows_each):
    """mkt import --manifest: one feed per merchant, each in its own transaction."""
    folder = os.path.join(work, "manifest")
    os.makedirs(folder, exist_ok=True)
    catalog = os.path.join(folder, "all.csv")
    run([sys.executable, GEN, "catalog", "--n", str(merchants * rows_each), "--merchants", str(merchants),
         "--seed", "7", "-o", catalog])
    merchant_file = os.path.join(folder, "merchants.csv")
    run([sys.executable, GEN, "merchants", "--merchants", str(merchants), "--seed", "7", "-o", merchant_file])
    import csv
    csv.field_size_limit(1 << 30)
    writers, files = {}, []
    with open(catalog, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        column = header.index("merchant_id")
        for row in reader:
            merchant = row[column]
            if merchant not in writers:
                handle = open(os.path.join(folder, f"{merchant}.csv"), "w", newline="", encoding="utf-8")
                files.append(handle)
                writers[merchant] = csv.writer(handle)
                writers[merchant].writerow(header)
            writers[merchant].writerow(row)
    for handle in files:
        handle.close()
    manifest = os.path.join(folder, "manifest.csv")
    with open(manifest, "w", encoding="utf-8") as f:
        f.write("merchant_id,source\n")
        for merchant in sorted(writers):
            f.write(f"{merchant},{merchant}.csv\n")
    db = os.path.join(folder, "mkt.db")
    run([mkt, "init", "--db", db, "-q"])
    run([mkt, "merchant", "import", merchant_file, "--db", db, "-q"])
    seconds, rss = timed([mkt, "import", "--manifest", manifest, "--db", db, "-q"])
    return (f"import --manifest, {len(writers)} merchants x ~{rows_each} rows", seconds, rss,
            merchants * rows_each)


def inventory_case(mkt, work, rows):
    """mkt inventory sync of a gen.py stock file: first into empty stock, then a second file over
    it, against sqlite3 .import of that file into a plain table plus one UPDATE ... FROM join."""
    folder = os.path.join(work, "inventory")
    os.makedirs(folder, exist_ok=True)
    files = []
    for seed in (42, 43):
        path = os.path.join(folder, f"stock-{seed}.csv")
        run([sys.executable, GEN, "inventory", "--n", str(rows), "--products", str(max(10, rows // 5)),
             "--seed", str(seed), "-o", path])
        files.append(path)
    warehouses = set()
    for path in files:
        with open(path, encoding="utf-8") as f:
            next(f)
            for line in f:
                warehouses.add(line.split(",")[1])
    db = os.path.join(folder, "mkt.db")
    run([mkt, "init", "--db", db, "-q"])
    run([mkt, "merchant", "add", "M1", "--name", "Bench", "--country", "DE", "--db", db, "-q"])
    for warehouse in sorted(warehouses):
        run([mkt, "inventory", "warehouse", "add", warehouse, "--merchant", "M1", "--country", "DE",
             "--db", db, "-q"])
    first, first_rss = timed([mkt, "inventory", "sync", files[0], "--merchant", "M1", "--db", db, "-q"])
    ref = os.path.join(folder, "ref.db")
    shutil.copy(db, ref)
    shutil.copy(db, os.path.join(folder, "ref-base.db"))
    second, second_rss = timed([mkt, "inventory", "sync", files[1], "--merchant", "M1", "--db", db, "-q"])
    start = time.perf_counter()
    run(["sqlite3", ref, f".import --csv {files[1]} staging"])
    run(["sqlite3", ref, "UPDATE stock SET on_hand = CAST(s.quantity AS INTEGER) FROM staging s "
         "WHERE stock.merchant_id = 'M1' AND stock.sku = s.sku AND stock.warehouse_id = s.warehouse"])
    reference = time.perf_counter() - start
    # The same writes as mkt's (new rows inserted, the last quantity of each key), set-based:
    # .import, then one INSERT ... SELECT ... GROUP BY ... ON CONFLICT DO UPDATE. The first
    # reference updates only the rows already stored and inserts none.
    upsert = os.path.join(folder, "upsert.db")
    shutil.copy(os.path.join(folder, "ref-base.db"), upsert)
    start = time.perf_counter()
    run(["sqlite3", upsert, f".import --csv {files[1]} staging"])
    run(["sqlite3", upsert, "INSERT INTO stock (merchant_id, sku, warehouse_id, on_hand, updated_at) "
         "SELECT 'M1', sku, warehouse, CAST(quantity AS INTEGER), 'now' FROM staging "
         "WHERE rowid IN (SELECT max(rowid) FROM staging GROUP BY sku, warehouse) "
         "ORDER BY sku, warehouse ON CONFLICT DO UPDATE SET on_hand = excluded.on_hand"])
    upsert_reference = time.perf_counter() - start
    return [
        (f"inventory sync, {rows} rows, empty stock", first, first_rss, None),
        (f"inventory sync, {rows} rows over stock (ref: .import + UPDATE FROM)", second, second_rss, reference),
        (f"the same (ref: .import + one INSERT ... ON CONFLICT, the same writes)", second, second_rss,
         upsert_reference),
    ]


if __name__ == "__main__":
    main()
