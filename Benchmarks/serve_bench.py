#!/usr/bin/env python3
"""mkt serve under load (issue 19): search, quotes and order placement over HTTP with Debian's
wrk on the same two cores, the server's memory, and mkt push against a local mkt import.

    python3 Benchmarks/serve_bench.py [--products 1000000] [--duration 20] [--connections 32]
                                      [--soak 600] [--no-push] [--smoke]

Needs the release binary (make build) and wrk (apt-get install wrk).
Data from gen.py: the catalog (CSV, 50 merchants), 200 search queries with typos, orders with 3
lines each (as Benchmarks/orders_bench.py makes them), a warehouse and ample stock per merchant,
the shipped ECB rates and a marketplace's pricing rules. The server runs with --rate-limit 0 and
synchronous=FULL (order placement's default); every request carries an operator token.
Prints p50/p95/p99 and requests/s per route with the exact wrk command, the server's RSS, and
the push timings; the last line is the same as JSON.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN = os.path.join(os.path.dirname(ROOT), "shared", "bench", "gen.py")
sys.path.insert(0, HERE)
from orders_bench import RULES, three_lines  # noqa: E402

LUA = """
local bodies, paths, n = {}, {}, 0
local kind = "%(kind)s"
for line in io.lines("%(file)s") do
  n = n + 1
  if kind == "search" then paths[n] = line else bodies[n] = line end
end
local counter, thread_id = 0, 0
local threads = {}
function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
  table.insert(threads, thread)
end
function request()
  counter = counter + 1
  local i = (counter * 7919 + id * 104729) %% n + 1
  local headers = {["Authorization"] = "Bearer %(token)s", ["Content-Type"] = "application/json"}
  if kind == "search" then
    return wrk.format("GET", paths[i], headers)
  elseif kind == "orders" then
    headers["Idempotency-Key"] = "wrk-" .. id .. "-" .. counter .. "-" .. os.time()
    return wrk.format("POST", "/v1/orders", headers, bodies[i])
  else
    return wrk.format("POST", "/v1/quote", headers, bodies[i])
  end
end
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT %%d %%.1f %%.3f %%.3f %%.3f %%d %%d\\n", summary.requests,
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.status, summary.errors.timeout))
end
"""


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, **kwargs).stdout


def rss(pid):
    """(VmRSS, VmHWM, RssAnon) of `pid` in MB. RSS counts the database pages search reads
    through its memory map (RssFile: the kernel's page cache, shared and reclaimable); RssAnon
    is the process's own memory."""
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:", "RssAnon:")):
                key, value = line.split(":")
                values[key] = int(value.split()[0]) / 1024
    return values.get("VmRSS", 0), values.get("VmHWM", 0), values.get("RssAnon", 0)


class Server:
    def __init__(self, mkt, db, work, name):
        self.log = os.path.join(work, f"serve-{name}.log")
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [mkt, "serve", "--db", db, "--port", "0", "--rate-limit", "0", "--log-level",
                 "warning", "--max-body", str(64 << 20)], stderr=log, stdout=subprocess.DEVNULL)
        self.port = None
        for _ in range(600):
            with open(self.log) as f:
                found = re.search(r"on http://127\.0\.0\.1:(\d+)", f.read())
            if found:
                self.port = int(found.group(1))
                break
            time.sleep(0.05)
        if not self.port:
            sys.exit(f"mkt serve did not start: {open(self.log).read()}")
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def wrk(kind, file, token, base, duration, connections, threads, work):
    script = os.path.join(work, f"{kind}.lua")
    with open(script, "w") as f:
        f.write(LUA % {"kind": kind, "file": file, "token": token})
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
               "--timeout", "10s", "-s", script, base]
    out = run(command)
    line = next(l for l in out.splitlines() if l.startswith("RESULT"))
    requests, rps, p50, p95, p99, status_errors, timeouts = line.split()[1:]
    shown = " ".join(command).replace(work, "$WORK")
    return {"route": kind, "requests": int(requests), "rps": float(rps), "p50_ms": float(p50),
            "p95_ms": float(p95), "p99_ms": float(p99), "non_2xx": int(status_errors),
            "timeouts": int(timeouts), "command": shown}


def first_refusal(kind, file, token, base, limit=400):
    """The first non-2xx answer among the first `limit` requests of `file`, for the report."""
    import urllib.request
    with open(file) as f:
        lines = [l.strip() for l in f if l.strip()][:limit]
    for index, line in enumerate(lines):
        headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
        if kind == "search":
            request = urllib.request.Request(base + line, headers=headers)
        else:
            path = "/v1/orders" if kind == "orders" else "/v1/quote"
            if kind == "orders":
                headers["Idempotency-Key"] = f"probe-{index}-{time.time()}"
            request = urllib.request.Request(base + path, data=line.encode(), headers=headers)
        try:
            urllib.request.urlopen(request, timeout=30).read()
        except urllib.error.HTTPError as error:
            return f"{error.code} {json.loads(error.read() or b'{}').get('detail', '')}"
    return None


def sequential_search(paths_file, token, base):
    """The 200 queries one at a time: the search's own time (took_ms) against the whole
    request's, to tell what the HTTP layer adds from what the search costs."""
    import urllib.request
    inside, whole = [], []
    with open(paths_file) as f:
        paths = [l.strip() for l in f if l.strip()]
    for path in paths:
        request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
        started = time.perf_counter()
        body = json.loads(urllib.request.urlopen(request, timeout=30).read())
        whole.append((time.perf_counter() - started) * 1000)
        inside.append(body.get("took_ms", 0))
    def pct(values, q):
        values = sorted(values)
        return round(values[min(len(values) - 1, int(q * len(values)))], 2)
    return {"search_p50_ms": pct(inside, 0.5), "search_p95_ms": pct(inside, 0.95),
            "http_p50_ms": pct(whole, 0.5), "http_p95_ms": pct(whole, 0.95)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--soak", type=int, default=0, help="seconds of search load, RSS sampled")
    parser.add_argument("--no-push", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="5,000 products, 3 s per route")
    parser.add_argument("--work", default=None)
    parser.add_argument("--bin", help="the mkt binary (default: the release build, debug with --smoke)")
    args = parser.parse_args()
    if args.smoke:
        args.products, args.orders, args.duration = 5_000, 2_000, 3
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    mkt = args.bin or os.path.join(ROOT, ".build", "debug" if args.smoke else "release", "mkt")
    if not os.path.exists(mkt):
        sys.exit(f"build first: {mkt} is missing (make build)")
    work = args.work or tempfile.mkdtemp(prefix="mkt-serve-bench-")
    os.makedirs(work, exist_ok=True)
    n = args.products
    catalog, merchants = os.path.join(work, "catalog.csv"), os.path.join(work, "merchants.csv")
    raw, orders = os.path.join(work, "orders-raw.jsonl"), os.path.join(work, "orders.jsonl")
    queries = os.path.join(work, "queries.txt")
    def generate(path, *arguments):
        # gen.py is byte-deterministic: a file made before with the same arguments is reused.
        stamp = path + ".args"
        wanted = " ".join(arguments)
        if os.path.exists(path) and os.path.exists(stamp) and open(stamp).read() == wanted:
            return
        run([sys.executable, GEN, *arguments, "-o", path])
        with open(stamp, "w") as f:
            f.write(wanted)

    generate(catalog, "catalog", "--n", str(n), "--format", "csv", "--seed", "42")
    generate(merchants, "merchants", "--merchants", "50", "--seed", "42")
    generate(raw, "orders", "--n", str(args.orders), "--products", str(min(n, 20_000)))
    generate(queries, "queries", "--n", "200", "--seed", "42")
    three_lines(raw, orders)
    db = os.path.join(work, "serve.db")
    for suffix in ("", "-wal", "-shm", "-search"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    run([mkt, "init", "--db", db, "-q"])
    run([mkt, "merchant", "import", merchants, "--db", db, "-q"])
    started = time.monotonic()
    run([mkt, "import", catalog, "--db", db, "-q", "--max-errors", "1000000"])
    import_seconds = time.monotonic() - started
    run([sys.executable, os.path.join(HERE, "orders_python.py"), "--prepare", "--db", db,
         "--orders", orders])
    run([mkt, "currency", "import", os.path.join(ROOT, "examples", "ecb", "eurofxref-hist.xml"),
         "--db", db, "-q"])
    rules = os.path.join(work, "rules.yaml")
    with open(rules, "w", encoding="utf-8") as f:
        f.write(RULES)
    run([mkt, "pricing", "load", rules, "--db", db, "-q"])
    run([mkt, "search", "--db", db, "-q", "warmup"])  # saves search's columns once
    token = run([mkt, "token", "create", "--all-merchants", "--scopes", "all", "--db", db, "-q"]).strip()
    # Request files: search paths, quote and order bodies.
    paths = os.path.join(work, "search.txt")
    with open(queries) as f, open(paths, "w") as out:
        for q in f.read().split("\n"):
            if q.strip():
                out.write("/v1/search?" + urllib.parse.urlencode(
                    {"q": q.strip(), "facets": "brand,category,price", "per-page": 20}) + "\n")
    quotes = os.path.join(work, "quotes.jsonl")
    with open(catalog, encoding="utf-8") as f, open(quotes, "w") as out:
        header = f.readline().rstrip("\n").split(",")
        merchant_column = header.index("merchant_id")
        for index, line in enumerate(f):
            if index >= 2_000:
                break
            fields = next(iter(__import__("csv").reader([line])))
            if len(fields) > merchant_column:
                out.write(json.dumps({"country": "DE", "items": [
                    {"product": fields[0], "merchant": fields[merchant_column], "quantity": 2}]}) + "\n")
    bodies = os.path.join(work, "orders-bodies.jsonl")
    with open(orders) as f, open(bodies, "w") as out:
        for line in f:
            order = json.loads(line)
            order.pop("idempotency_key", None)
            for key in ("label_fraud", "fraud_pattern", "pattern"):  # gen.py's labels
                order.pop(key, None)
            out.write(json.dumps(order) + "\n")
    server = Server(mkt, db, work, "load")
    sequential_search(paths, token, server.base)  # the first search loads its saved columns
    alone = sequential_search(paths, token, server.base)
    print(f"search, one request at a time: the search itself p50 {alone['search_p50_ms']} p95 "
          f"{alone['search_p95_ms']} ms; the whole request p50 {alone['http_p50_ms']} p95 "
          f"{alone['http_p95_ms']} ms", flush=True)
    results = []
    for kind, file in (("search", paths), ("quote", quotes), ("orders", bodies)):
        result = wrk(kind, file, token, server.base, args.duration, args.connections, args.threads, work)
        result["rss_mb"], result["peak_rss_mb"], result["anon_mb"] = rss(server.process.pid)
        if result["non_2xx"]:
            result["first_refusal"] = first_refusal(kind, file, token, server.base)
        results.append(result)
        print(f"{kind:7} {result['rps']:>9.0f} req/s  p50 {result['p50_ms']:.2f}  p95 {result['p95_ms']:.2f}"
              f"  p99 {result['p99_ms']:.2f} ms  non-2xx {result['non_2xx']}  RSS {result['rss_mb']:.0f} MB"
              f" (peak {result['peak_rss_mb']:.0f}, own {result['anon_mb']:.0f})\n        {result['command']}", flush=True)
        if result.get("first_refusal"):
            print(f"        first refusal: {result['first_refusal']}", flush=True)
    soak = []
    if args.soak:
        end = time.monotonic() + args.soak
        while time.monotonic() < end:
            chunk = min(60, max(1, int(end - time.monotonic())))
            result = wrk("search", paths, token, server.base, chunk, args.connections, args.threads, work)
            memory = rss(server.process.pid)
            soak.append({"rss_mb": round(memory[0]), "anon_mb": round(memory[2]),
                         "rps": round(result["rps"]), "p99_ms": result["p99_ms"]})
            print(f"soak: RSS {soak[-1]['rss_mb']} MB (own {soak[-1]['anon_mb']} MB), "
                  f"{soak[-1]['rps']} req/s, p99 {result['p99_ms']:.2f} ms", flush=True)
    server.stop()
    push = {}
    if not args.no_push:
        remote = os.path.join(work, "remote.db")
        for suffix in ("", "-wal", "-shm", "-search"):
            if os.path.exists(remote + suffix):
                os.remove(remote + suffix)
        run([mkt, "init", "--db", remote, "-q"])
        run([mkt, "merchant", "import", merchants, "--db", remote, "-q"])
        remote_token = run([mkt, "token", "create", "--all-merchants", "--scopes", "all", "--db", remote,
                            "-q"]).strip()
        target = Server(mkt, remote, work, "push")
        started = time.monotonic()
        first = run([mkt, "push", "--to", target.base, "--token", remote_token, "--what", "catalog",
                     "--db", db, "--json"])
        push_seconds = time.monotonic() - started
        one = os.path.join(work, "one.csv")
        with open(one, "w") as f:
            f.write("id,title,merchant_id\n")
            with open(catalog, encoding="utf-8") as c:
                c.readline()
                fields = next(iter(__import__("csv").reader([c.readline()])))
                f.write(f"{fields[0]},A changed title,{fields[-1]}\n")
        run([mkt, "import", one, "--db", db, "-q"])
        second = json.loads(run([mkt, "push", "--to", target.base, "--token", remote_token, "--what",
                                 "catalog", "--db", db, "--json"]))
        target.stop()
        first = json.loads(first)
        push = {"products": first["products"], "push_seconds": round(push_seconds, 1),
                "import_seconds": round(import_seconds, 1),
                "ratio": round(push_seconds / import_seconds, 2), "after_one_change": second["products"]}
        print(f"push of {first['products']} products: {push_seconds:.1f} s; mkt import of the same feed "
              f"{import_seconds:.1f} s: {push['ratio']}x; after one changed product the push sent "
              f"{second['products']}", flush=True)
    print(json.dumps({"products": n, "sequential_search": alone, "routes": results, "soak": soak,
                      "push": push}))


if __name__ == "__main__":
    main()
