"""Class 2 (tiny or plain inputs with unbounded cost: every reader has limits, a 65 with the
position, bounded time and memory) and class 4 (arithmetic and option traps: numeric options
range-checked with 64, no overflow trap from input or stored data)."""
import os
import random
import zlib

from harness import MIB, Case, order_json

# -- generated inputs (shared by the cases of a run) ---------------------------------------
# Billion laughs inside a valid rule: 9^9 "lol"s once the aliases are expanded (~410 bytes).
YAML_BOMB = (
    "rules:\n  - id: bomb\n    kind: percentage_off\n    percent: 10\n    scope:\n"
    "      products: [" + ", ".join(
        ['&a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'] +
        ["&%s [%s]" % (n, ",".join(["*" + p] * 9)) for p, n in zip("abcdefgh", "bcdefghi")])
    + "]\n")

FEED_HEAD = "id,title,description,link,image_link,availability,price,brand,condition"
FEED_ROW = ("HX-1,Testprodukt,Ein Produkt,https://shop.example/1,https://shop.example/1.jpg,"
            "in_stock,10.00 EUR,Hx,new")


def write_repeated(path, head, byte, size, tail=b""):
    with open(path, "wb") as handle:
        handle.write(head)
        block = byte * (8 * MIB)
        left = size
        while left > 0:
            handle.write(block[:min(left, len(block))])
            left -= len(block)
        handle.write(tail)


def long_line(path):  # 200 MB, no newline at all
    write_repeated(path, b"", b"a", 200 * MIB)


def quoted_field(header):  # a header, then one quoted field that never ends
    def make(path):
        write_repeated(path, header.encode() + b"\n\"", b"q", 200 * MIB)
    return make


def wide_csv(path):  # 34 unknown columns of 31 MB each (1 GB in one row)
    head = (FEED_HEAD + "," + ",".join("x%d" % i for i in range(34)) + "\n" + FEED_ROW).encode()
    with open(path, "wb") as handle:
        handle.write(head)
        column = b"," + b"b" * (31 * MIB)
        for _ in range(34):
            handle.write(column)
        handle.write(b"\n")


def gzip_bomb(path):  # ~0.5 MB that inflates to 512 MiB of one line
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    with open(path, "wb") as handle:
        handle.write(packer.compress(b"id,title\n"))
        block = b"a" * (16 * MIB)
        for _ in range(32):
            handle.write(packer.compress(block))
        handle.write(packer.flush())


def xml_huge_text(path):  # one 200 MB text node in a Merchant Center RSS feed
    head = (b'<?xml version="1.0"?><rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">'
            b"<channel><item><g:id>HX-1</g:id><title>")
    write_repeated(path, head, b"t", 200 * MIB, b"</title></item></channel></rss>")


def words(count, prefix="syn", rng=None):
    out = []
    for i in range(count):
        word, n = "", i
        for _ in range(4):
            word += "abcdefghijklmnopqrstuvwxyz"[n % 26]
            n //= 26
        out.append(prefix + word)
    return out


# -- readers fed one pathological file ---------------------------------------------------
def readers(path_of, ctx):
    p = path_of
    return {
        "feed-check": ["feed", "check", p],
        "import": ["import", p, "--merchant", "kuechenwelt-de"],
        "merchant-import": ["merchant", "import", p],
        "inventory-sync": ["inventory", "sync", p, "--merchant", "kuechenwelt-de"],
        "orders-place": ["orders", "place", p],
        "synonyms-load": ["search", "synonyms", "load", p, "--language", "en"],
        "pricing-load": ["pricing", "load", p],
        "currency-import": ["currency", "import", p],
        "translate-import": ["catalog", "translate", "import", p, "--merchant", "kuechenwelt-de"],
        "manifest": ["import", "--manifest", p],
        "locale-import": ["locale", "import", p],
    }


LIMIT_WORDS = [("limit", "too long", "too large", "too big", "longer than", "larger than",
                "more than", "at most", "exceeds", "bytes", "mb", "mib")]


CSV_READERS = {"feed-check", "import", "merchant-import", "inventory-sync", "translate-import",
               "manifest"}
# Readers that take their whole input into memory first, up to a documented size
# (docs/limits.md: stock and translation files 1 GiB, orders 256 MiB): their bound is the input
# plus what parsing it costs, not a streaming reader's.
WHOLE_FILE_READERS = {"inventory-sync", "translate-import", "orders-place"}


def quiet_stderr(c, res):
    if len(res.err) > 16384:
        c.fail("stderr is %d bytes: the input is echoed" % len(res.err))


def reader_cases(tag, maker, names, note, secs=10):
    """Each reader given the same pathological 200 MB file: 65 within `secs`, a short message
    (CSV readers name the limit: they have one), and at most 256 MiB of memory: a reader that
    streams against a limit needs little; one that reads the whole input first (up to its
    documented size) gets 512 MiB."""
    cases = []
    for name in names:
        make = maker(name) if tag == "quoted-field" else maker
        file = tag if tag != "quoted-field" else "%s-%s" % (tag, name)

        def argv(c, name=name, file=file, make=make):
            return readers(c.suite.file(file, make), c)[name]
        memory = 512 if name in WHOLE_FILE_READERS else 256
        cases.append(Case("2-%s-%s" % (tag, name), 2, argv, exit=65, secs=secs, mem_mb=memory,
                          err=LIMIT_WORDS if name in CSV_READERS else (), db="rows",
                          ignore=("import_run",), check=quiet_stderr,
                          note="%s to %s" % (note, name)))
    return cases


# -- class 2 functions ---------------------------------------------------------------------
def synonyms_group(c):
    """One group of 100,000 words: refused at load (65 naming the group limit), or searched
    in under 5 s."""
    group = words(100_000)
    c.write("syn.txt", ", ".join(group) + "\n")
    res = c.mkt("search", "synonyms", "load", c.path("syn.txt"), "--language", "en", secs=30)
    if res.rc == 65:
        c.expect(res, exit=65, err=[("group", "synonym")] + LIMIT_WORDS, label="load")
        return
    c.expect(res, exit=0, secs=30, label="load")
    for word in (group[0], group[77_777]):
        if c.step("search", word, exit=0, secs=5, mem_mb=1024, label="search " + word).killed:
            break  # one hang says it


def synonyms_expansion(c):
    """200 groups of 400 words (each group plausible) and a query touching 12 groups: the
    total expansion per query is bounded."""
    group_words = words(80_000, prefix="exp")
    groups = [group_words[i:i + 400] for i in range(0, 80_000, 400)]
    c.write("syn.txt", "".join(", ".join(g) + "\n" for g in groups))
    res = c.mkt("search", "synonyms", "load", c.path("syn.txt"), "--language", "en", secs=30)
    if res.rc == 65:
        c.expect(res, exit=65, err=[("group", "synonym", "expansion")] + LIMIT_WORDS,
                 label="load")
        return
    c.expect(res, exit=0, secs=30, label="load")
    query = [g[5] for g in groups[:12]]
    c.step("search", *query, exit=0, secs=5, mem_mb=1024, label="12-word search")


def many_words(c):
    rng = random.Random(14)
    query = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7))
             for _ in range(20_000)]
    c.step("search", *query, exit=(0, 64, 65), secs=5, mem_mb=1024, label="20,000 words")


def long_word(c):
    word = "merino" * 20_000  # 120 KB, one argument
    c.step("search", word, exit=(0, 64, 65), secs=5, mem_mb=1024, label="search")
    c.step("suggest", word, exit=(0, 64, 65), secs=5, mem_mb=1024, label="suggest")


def order_many_lines(c):
    lines = ",".join('{"sku": "KWM-1001", "quantity": 1}' for _ in range(1_000_000))
    c.write("big.json", '{"idempotency_key": "big", "merchant": "kuechenwelt-de", "customer": '
            '{"id": "C", "email": "c@example.de"}, "country": "DE", "lines": [%s]}' % lines)
    c.step("orders", "place", c.path("big.json"), exit=65, secs=20, mem_mb=1024)


CASES = [
    Case("2-yaml-alias-bomb", 2, ["pricing", "load", "{w}/bomb.yaml"], exit=65,
         err=[("alias", "anchor")], secs=5, mem_mb=1024, db="rows",
         setup=lambda c: c.write("bomb.yaml", YAML_BOMB), note="533-byte billion laughs"),
    Case("2-yaml-alias-bomb-dry-run", 2, ["pricing", "load", "{w}/bomb.yaml", "--dry-run"],
         exit=65, err=[("alias", "anchor")], secs=5, mem_mb=1024, db="rows",
         setup=lambda c: c.write("bomb.yaml", YAML_BOMB)),
    Case("2-yaml-alias-bomb-simulate", 2,
         ["pricing", "simulate", "{w}/bomb.yaml", "--sample", "5"], exit=65,
         err=[("alias", "anchor")], secs=5, mem_mb=1024, db="rows",
         setup=lambda c: c.write("bomb.yaml", YAML_BOMB)),
    Case("2-yaml-deep-nesting", 2, ["pricing", "load", "{w}/deep.yaml"], exit=65, secs=5,
         mem_mb=1024, db="rows", setup=lambda c: c.write("deep.yaml", "rules: " + "[" * 200_000),
         note="200,000 nested flow sequences"),
    Case("2-synonyms-100k-group", 2, fn=synonyms_group, note="one group of 100,000 words"),
    Case("2-synonyms-expansion", 2, fn=synonyms_expansion, note="12 groups × 400 words"),
    Case("2-search-20000-words", 2, fn=many_words),
    Case("2-search-120kb-word", 2, fn=long_word),
    Case("2-order-million-lines", 2, fn=order_many_lines, db="rows",
         ignore=("import_run",), note="one order of 1,000,000 lines"),
    Case("2-json-deep-nesting", 2, ["orders", "place", "{w}/deep.json"], exit=65, secs=5,
         db="rows", setup=lambda c: c.write("deep.json", "[" * 1_000_000),
         note="1,000,000 nested arrays"),
    Case("2-wide-csv-import", 2,
         lambda c: ["import", c.suite.file("wide.csv", wide_csv), "--merchant",
                    "kuechenwelt-de"], exit=65, err=LIMIT_WORDS, secs=15, mem_mb=1024,
         db="rows", ignore=("import_run",), note="34 unknown columns × 31 MB"),
    Case("2-wide-csv-feed-check", 2,
         lambda c: ["feed", "check", c.suite.file("wide.csv", wide_csv)], exit=65,
         err=LIMIT_WORDS, secs=15, mem_mb=1024),
    Case("0-gzip-bomb-feed-check", 0,
         lambda c: ["feed", "check", c.suite.file("bomb.csv.gz", gzip_bomb)], exit=65,
         secs=15, mem_mb=1024, note="held: 0.5 MB → 512 MiB"),
    Case("0-gzip-bomb-import", 0,
         lambda c: ["import", c.suite.file("bomb.csv.gz", gzip_bomb), "--merchant",
                    "kuechenwelt-de"], exit=65, secs=15, mem_mb=1024, db="rows",
         ignore=("import_run",)),
    Case("0-xml-200mb-text-node", 0,
         lambda c: ["feed", "check", c.suite.file("huge-text.xml", xml_huge_text)], exit=65,
         secs=15, mem_mb=1024, note="held: libxml2's 10 MB text limit"),
]
CASES += reader_cases(
    "long-line", long_line,
    ["feed-check", "import", "merchant-import", "inventory-sync", "orders-place",
     "synonyms-load", "pricing-load", "currency-import", "translate-import", "manifest"],
    "200 MB without a newline")
HEADERS = {"feed-check": "id,title", "import": "id,title", "merchant-import": "id,name,country",
           "inventory-sync": "sku,warehouse,quantity", "manifest": "merchant_id,source"}
CASES += reader_cases("quoted-field", lambda name: quoted_field(HEADERS[name]), list(HEADERS),
                      "a quoted field of 200 MB that never closes")

# -- class 4: arithmetic and option traps ------------------------------------------------
RANGE = [("between", "at most", "range", "from ", "up to", "maximum", "must be", "≤", "<=",
          "or less", "or more", "less than", "outside", "within", " to ")]


def option_case(id, argv, name, exit=64, note="", nodb=False):
    return Case("4-" + id, 4, argv, exit=exit, err=[name] + (RANGE if exit == 64 else []),
                secs=10, db=None if nodb else "rows", ignore=("import_run",), nodb=nodb,
                note=note)


def huge_order(c):
    """Orders mkt itself accepts may not make later reports trap: 12 orders of 10,000 ×
    999,999,999,999.00 EUR (each ~1e18 minor units; their sum overflows 64 bits)."""
    c.write("huge.csv", FEED_HEAD + "\nHX-HUGE,Teures Ding,Sehr teuer,https://shop.example/h,"
            "https://shop.example/h.jpg,in_stock,999999999999.00 EUR,Hx,new\n")
    res = c.step("import", c.path("huge.csv"), "--merchant", "kuechenwelt-de", exit=(0, 65),
                 label="import price 999999999999.00")
    if res.rc != 0:
        return  # refused at the door: the rule holds
    c.write("stock.csv", "sku,warehouse,quantity\nHX-HUGE,BER1,200000\n")
    c.step("inventory", "sync", c.path("stock.csv"), "--merchant", "kuechenwelt-de",
           exit=(0, 65), label="stock")
    c.write("o.ndjson", "".join(order_json("huge-%d" % i, "kuechenwelt-de", "HX-HUGE", 10_000,
                                           i + 20) + "\n" for i in range(12)))
    placed = c.step("orders", "place", c.path("o.ndjson"), exit=(0, 65), label="place")
    if placed.rc == 65 and "order" not in placed.text.lower():
        c.fail("placement refused without naming the order")
    for args in (["report", "sales", "--by", "day"], ["report", "sales", "--by", "merchant"],
                 ["report", "sales", "--by", "product", "--currency", "HUF"],
                 ["orders", "list"], ["orders", "export"], ["search", "teures"]):
        c.step(*args, exit=(0, 65), label=" ".join(args))


def stock_overflow(c):
    """A delta of 9e18 on top of 9e18: 65 with a message, never 70."""
    big = "9000000000000000000"
    c.write("set.csv", "sku,warehouse,quantity,mode\nKWM-1002,BER1,%s,set\n" % big)
    first = c.step("inventory", "sync", c.path("set.csv"), "--merchant", "kuechenwelt-de",
                   exit=(0, 65), label="set 9e18")
    c.write("delta.csv", "sku,warehouse,quantity,mode\nKWM-1002,BER1,%s,delta\n" % big)
    c.step("inventory", "sync", c.path("delta.csv"), "--merchant", "kuechenwelt-de",
           exit=65 if first.rc == 0 else (0, 65), err=[("quantity", "stock", "overflow")],
           label="delta 9e18")
    c.step("inventory", "show", "KWM-1002", exit=0, label="show")


def stock_overflow_one_file(c):
    big = "9000000000000000000"
    c.write("both.csv", "sku,warehouse,quantity,mode\nKWM-1002,BER1,%s,set\n"
            "KWM-1002,BER1,%s,delta\n" % (big, big))
    c.step("inventory", "sync", c.path("both.csv"), "--merchant", "kuechenwelt-de", exit=65,
           err=[("quantity", "stock", "overflow")], label="set+delta 9e18")


def stock_value(value):
    def fn(c):
        c.write("s.csv", "sku,warehouse,quantity\nKWM-1002,BER1,%s\n" % value)
        c.step("inventory", "sync", c.path("s.csv"), "--merchant", "kuechenwelt-de", exit=65,
               err=["quantity"], label="quantity " + value)
    return fn


def order_quantity(value):
    def fn(c):
        c.write("o.json", order_json("q", "kuechenwelt-de", "KWM-1001", value))
        c.step("orders", "place", c.path("o.json"), exit=65, err=["quantity"],
               not_err=["not valid JSON"], label="quantity %s" % value)
    return fn


CASES += [
    option_case("search-page-huge", ["search", "x", "--page", "461168601842738791"], "page"),
    option_case("search-page-zero", ["search", "x", "--page", "0"], "page"),
    option_case("search-per-page-huge", ["search", "x", "--per-page", "9223372036854775807"],
                "per-page"),
    option_case("search-per-page-zero", ["search", "x", "--per-page", "0"], "per-page"),
    option_case("search-min-rating-nan", ["search", "x", "--min-rating", "nan"], "rating"),
    option_case("search-min-rating-huge", ["search", "x", "--min-rating", "1e308"], "rating"),
    option_case("search-price-max-huge", ["search", "x", "--price-max", "99999999999999999999"],
                "price"),
    option_case("busy-timeout-huge", ["merchant", "list", "--busy-timeout", "3000000"],
                "busy-timeout"),
    option_case("busy-timeout-1e300", ["merchant", "list", "--busy-timeout", "1e300"],
                "busy-timeout"),
    option_case("busy-timeout-inf", ["merchant", "list", "--busy-timeout", "inf"],
                "busy-timeout"),
    option_case("import-timeout-huge", ["import", "{ex}/none.xml", "--merchant",
                                        "kuechenwelt-de", "--timeout", "1e300"], "timeout"),
    option_case("import-retries-huge", ["import", "{ex}/none.xml", "--merchant",
                                        "kuechenwelt-de", "--retries", "9223372036854775807"],
                "retries"),
    option_case("import-jobs-huge", ["import", "--manifest", "{ex}/none.csv", "--jobs",
                                     "9223372036854775807"], "jobs"),
    option_case("orders-list-limit-negative", ["orders", "list", "--limit", "-5"], "limit"),
    option_case("catalog-list-limit-negative", ["catalog", "list", "--limit", "-1"], "limit"),
    option_case("import-history-limit-negative", ["import", "history", "--limit", "-1"],
                "limit"),
    option_case("orders-concurrency-zero", ["orders", "place", "{ex}/none.json",
                                            "--concurrency", "0"], "concurrency"),
    option_case("orders-expire-after-huge", ["orders", "expire", "--after",
                                             "99999999999999999999d"], "after"),
    option_case("orders-expire-after-overflow", ["orders", "expire", "--after",
                                                 "999999999999999d"], "after"),
    option_case("pricing-quote-qty-huge", ["pricing", "quote", "--product", "KWM-1002",
                                           "--country", "DE", "--qty",
                                           "9223372036854775807"], ("qty", "quantity", "amount"),
                exit=(64, 65)),
    option_case("currency-convert-huge", ["currency", "convert", "99999999999999999999999",
                                          "EUR", "HUF"], "amount", exit=(64, 65)),
    option_case("currency-convert-overflow", ["currency", "convert", "92233720368547758.07",
                                              "EUR", "HUF"], "amount", exit=(64, 65)),
    option_case("locale-format-huge", ["locale", "format", "1e30", "EUR", "--locale", "fr_FR"],
                "1e30", exit=(64, 65), nodb=True),
    Case("4-order-huge-total-report", 4, fn=huge_order, note="10,000 × 999,999,999,999 EUR"),
    Case("4-stock-delta-overflow", 4, fn=stock_overflow, note="9e18 + 9e18"),
    Case("4-stock-delta-overflow-one-file", 4, fn=stock_overflow_one_file, db="rows",
         ignore=("import_run",)),
    Case("4-stock-quantity-1e30", 4, fn=stock_value("1e30"), db="rows"),
    Case("4-stock-quantity-int64-plus-1", 4, fn=stock_value("9223372036854775808"), db="rows"),
    Case("4-order-quantity-int64-max", 4, fn=order_quantity("9223372036854775807"), db="rows"),
    Case("0-search-forged-cursor", 0, ["search", "merino", "--cursor",
                                       "eyJvIjo5MjIzMzcyMDM2ODU0Nzc1ODA3LCJzIjotMX0"],
         exit=(64, 65), secs=10, db="rows", note="held: a forged cursor"),
]
