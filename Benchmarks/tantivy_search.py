#!/usr/bin/env python3
"""Reference for `mkt search`: Python tantivy (PyPI) over the same gen.py catalog and queries.

    python3 Benchmarks/tantivy_search.py CATALOG.csv QUERIES.txt [INDEX_DIR]

Indexes title, brand, category (product_type) and description with the same weights as mkt
(title 3, brand 2, category 1.5, description 1), then runs each query as a fuzzy query (edit
distance 1, transpositions count as one) over those fields, top 20 hits and the total count.
The binding exposes no facet collector, so no facets are counted: the comparison favours
tantivy. Prints build time and p50/p95/p99 per query in milliseconds (3 rounds after a warm-up).
"""
import csv
import os
import shutil
import sys
import tempfile
import time

import tantivy

csv.field_size_limit(1 << 30)


def main():
    catalog, queries_path = sys.argv[1], sys.argv[2]
    folder = sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp(prefix="tantivy-")
    os.makedirs(folder, exist_ok=True)
    builder = tantivy.SchemaBuilder()
    for name in ("title", "brand", "category", "description"):
        builder.add_text_field(name, stored=(name == "title"))
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    schema = builder.build()
    started = time.perf_counter()
    index = tantivy.Index(schema, path=folder)
    if not os.path.exists(os.path.join(folder, "meta.json")) or not index.searcher().num_docs:
        writer = index.writer(heap_size=200_000_000)
        with open(catalog, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                writer.add_document(tantivy.Document(
                    id=row["id"], title=row["title"], brand=row.get("brand", ""),
                    category=row.get("product_type", ""), description=row.get("description", "")))
        writer.commit()
        writer.wait_merging_threads()
    index.reload()
    build = time.perf_counter() - started
    searcher = index.searcher()
    queries = [q for q in open(queries_path, encoding="utf-8").read().split("\n") if q]
    fields = ["title", "brand", "category", "description"]
    boosts = {"title": 3.0, "brand": 2.0, "category": 1.5, "description": 1.0}
    fuzzy = {name: (False, 1, True) for name in fields}
    times = []
    for round_ in range(4):
        for text in queries:
            clean = "".join(c if c.isalnum() else " " for c in text)
            start = time.perf_counter()
            query = index.parse_query(clean, fields, field_boosts=boosts, fuzzy_fields=fuzzy)
            result = searcher.search(query, 20, count=True)
            _ = [searcher.doc(address)["id"] for _, address in result.hits]
            if round_ > 0:
                times.append((time.perf_counter() - start) * 1000)
    times.sort()
    at = lambda p: times[min(len(times) - 1, int(len(times) * p))]
    print(f"tantivy {tantivy.__version__}: index build {build:.1f} s (or reused)")
    print(f"tantivy search top 20 + count, fuzzy 1: p50 {at(0.5):.2f} ms  p95 {at(0.95):.2f} ms  p99 {at(0.99):.2f} ms")
    if len(sys.argv) <= 3:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
