"""Class 5 (refusals a user can hit have a message and an exit code, and a dry run predicts the
real run), class 6 (idempotency keys are scoped per merchant), class 7 (manifest paths stay
under the manifest's folder; nothing of a non-feed file is echoed or stored) and class 8
(validation gaps: impossible dates, conflicting rates, Unicode forms, JSON numbers, UTF-16)."""
import os
import re
import unicodedata

from harness import Case, order_json

IGNORE = ("import_run",)
MERCHANTS_HEAD = "id,name,country,currency,prices,domain\n"


# -- class 5 ---------------------------------------------------------------------------
def agree(args, exits, err=(), label=""):
    """Runs `args --dry-run`, then `args`: the same exit code, one of `exits`, never 70."""
    def fn(c):
        files = args(c) if callable(args) else args
        dry = c.mkt(*files, "--dry-run", secs=20)
        real = c.mkt(*files, secs=20)
        c.expect(dry, exit=exits, label="dry run")
        c.expect(real, exit=exits, err=err if real.rc != 0 else (), label="real run")
        if dry.rc != real.rc:
            c.fail("the dry run exited %s, the real run %s" % (dry.rc, real.rc))
    return fn


def counts_dependents(c, res):
    if res.rc == 65 and not re.search(r"\b3\b[^\n]*order|order[^\n]*\b3\b", res.text, re.I):
        c.fail("the refusal does not count the merchant's 3 orders [stderr: %s]" % res.excerpt())


def remove_dry_run(c):
    dry = c.mkt("merchant", "remove", "kuechenwelt-de", "--dry-run", secs=10)
    if dry.rc == 64 and "unknown option" in dry.text.lower():
        return  # merchant remove has no dry run: nothing to predict
    real = c.mkt("merchant", "remove", "kuechenwelt-de", secs=10)
    c.expect(dry, exit=(0, 65), label="dry run")
    c.expect(real, exit=65, label="real run")
    if dry.rc != real.rc:
        c.fail("the dry run exited %s, the real run %s" % (dry.rc, real.rc))


def merchants_file(keep):
    def make(c):
        with open(os.path.join(c.ex, "merchants.csv"), encoding="utf-8") as handle:
            rows = handle.read().splitlines()[1:]
        kept = [r for r in rows if keep(r.split(",")[0])]
        return ["merchant", "import", c.write("m.csv", MERCHANTS_HEAD + "\n".join(kept) + "\n")]
    return make


def mode(make, name):
    return lambda c: make(c) + ["--mode", name]


def remove_stock_merchant(c):
    res = c.step("merchant", "remove", "wollwerk-de", exit=(0, 65), label="remove wollwerk-de")
    if res.rc == 0 and c.query("SELECT count(*) FROM merchant WHERE id = 'wollwerk-de'")[0][0]:
        c.fail("exit 0 but the merchant is still there")


FEED_HEAD = "id,title,description,link,image_link,availability,price,brand,condition\n"


def feed_row(id, title="Testprodukt", price="10.00 EUR"):
    return "%s,%s,Ein Produkt,https://shop.example/p,https://shop.example/p.jpg,in_stock,%s,Hx," \
           "new\n" % (id, title, price)


CASES = [
    Case("5-merchant-remove-with-orders", 5, ["merchant", "remove", "kuechenwelt-de"], exit=65,
         err=["order"], check=counts_dependents, db="rows",
         note="refused with the count of its orders, not FK exit 70"),
    Case("5-merchant-remove-dry-run-agrees", 5, fn=remove_dry_run),
    Case("5-merchant-import-delete-with-orders", 5,
         fn=agree(mode(merchants_file(lambda i: i == "kuechenwelt-de"), "delete"), 65,
                  err=["order"]), db="rows", ignore=IGNORE),
    Case("5-merchant-import-replace-drops-merchant-with-orders", 5,
         fn=agree(mode(merchants_file(lambda i: i != "kuechenwelt-de"), "replace"), 65,
                  err=["order"]), db="rows", ignore=IGNORE),
    Case("5-merchant-import-delete-stock-no-orders-agrees", 5,
         fn=agree(mode(merchants_file(lambda i: i == "wollwerk-de"), "delete"), (0, 65))),
    Case("5-merchant-import-upsert-agrees", 5,
         fn=agree(lambda c: ["merchant", "import", os.path.join(c.ex, "merchants.csv")], 0)),
    Case("5-merchant-remove-stock-no-orders", 5, fn=remove_stock_merchant,
         note="warehouses and stock but no orders"),
    Case("5-import-delete-product-with-orders-agrees", 5,
         fn=agree(lambda c: ["import", c.write("d.csv", FEED_HEAD + feed_row("KWM-1001")),
                             "--merchant", "kuechenwelt-de", "--mode", "delete"], (0, 65))),
    Case("5-import-replace-drops-product-with-orders-agrees", 5,
         fn=agree(lambda c: ["import", c.write("r.csv", FEED_HEAD + feed_row("KWM-1002")),
                             "--merchant", "kuechenwelt-de", "--mode", "replace"], (0, 65))),
    Case("5-warehouse-add-duplicate", 5,
         ["inventory", "warehouse", "add", "BER1", "--merchant", "kuechenwelt-de", "--country",
          "DE"], exit=65, err=["BER1"], db="rows"),
    Case("5-warehouse-add-unknown-merchant", 5,
         ["inventory", "warehouse", "add", "X1", "--merchant", "nope", "--country", "DE"],
         exit=(65, 66), err=["nope"], db="rows"),
    Case("5-merchant-add-duplicate", 5,
         ["merchant", "add", "kuechenwelt-de", "--name", "Dup", "--country", "DE"], exit=65,
         err=["kuechenwelt-de"], db="rows"),
    Case("5-translate-unknown-product", 5,
         lambda c: ["catalog", "translate", "import", c.write(
             "t.csv", "id,language,field,text\nNOPE-1,fr,title,Rien\n"), "--merchant",
             "kuechenwelt-de"], exit=65, err=["NOPE-1"], db="rows", ignore=IGNORE),
    Case("5-orders-fulfil-more-than-ordered", 5, ["orders", "fulfil", "1", "--line", "1:5"],
         exit=65, db="rows"),
    Case("5-orders-refund-twice", 5,
         fn=lambda c: (c.step("orders", "refund", "2", exit=0, label="first refund"),
                       c.step("orders", "refund", "2", exit=65, err=["refund"],
                              label="second refund"))),
]


# -- class 6 ---------------------------------------------------------------------------
def place(c, name, text):
    return c.mkt("orders", "place", c.write(name, text), secs=20)


def key_across_merchants(c):
    a = place(c, "a.json", order_json("K-shared", "kuechenwelt-de", "KWM-1002", 1, 31))
    c.expect(a, exit=0, label="merchant A places K-shared")
    b = place(c, "b.json", order_json("K-shared", "wollwerk-de", "WWA-KT-300", 1, 32))
    c.expect(b, exit=0, label="merchant B places K-shared")
    if "already placed" in b.stdout or "replayed" in b.stdout.lower():
        c.fail("merchant B got merchant A's order replayed: %r" % b.stdout.strip()[:100])
    rows = c.query("SELECT count(*) FROM orders WHERE merchant_id = 'wollwerk-de'")[0][0]
    if rows != 1:
        c.fail("merchant B has %d orders, not 1" % rows)


def key_across_merchants_one_file(c):
    text = (order_json("K-both", "kuechenwelt-de", "KWM-1002", 1, 33) + "\n" +
            order_json("K-both", "wollwerk-de", "WWA-KT-300", 1, 34) + "\n")
    res = place(c, "both.ndjson", text)
    c.expect(res, exit=0, label="both merchants, one file")
    rows = c.query("SELECT merchant_id FROM orders WHERE id > 3 ORDER BY merchant_id")
    if [r[0] for r in rows] != ["kuechenwelt-de", "wollwerk-de"]:
        c.fail("orders placed: %s (want one per merchant)" % [r[0] for r in rows])


def key_reused(c):
    c.expect(place(c, "a.json", order_json("K-one", "kuechenwelt-de", "KWM-1002", 1, 35)),
             exit=0, label="first")
    again = place(c, "b.json", order_json("K-one", "kuechenwelt-de", "KWM-1002", 2, 35))
    c.expect(again, exit=65, err=[("reused", "different")], label="same key, other body")
    if c.query("SELECT count(*) FROM orders")[0][0] != 4:
        c.fail("the reused key placed or changed orders")


def key_replay(c):
    text = order_json("K-two", "kuechenwelt-de", "KWM-1002", 1, 36)
    c.expect(place(c, "a.json", text), exit=0, label="first")
    again = place(c, "a.json", text)
    c.expect(again, exit=0, out=["already placed"], label="replay")
    if c.query("SELECT count(*) FROM orders")[0][0] != 4:
        c.fail("the replay placed another order")


CASES += [
    Case("6-key-across-merchants", 6, fn=key_across_merchants,
         note="B's order placed, not A's replayed"),
    Case("6-key-across-merchants-one-file", 6, fn=key_across_merchants_one_file),
    Case("6-key-reused-different-body", 6, fn=key_reused),
    Case("0-key-replay-same-body", 0, fn=key_replay, note="held: a replay answers the first"),
]


# -- class 7 ---------------------------------------------------------------------------
OK_FEED = FEED_HEAD + feed_row("OUT-1", "Draussen")


def manifest(source, *more, exit=65, err=(), setup=None, folder="feeds"):
    def fn(c):
        if setup:
            setup(c)
        m = c.write(os.path.join(folder, "m.csv"), "merchant_id,source\nkuechenwelt-de,%s\n"
                    % source)
        res = c.mkt("import", "--manifest", m, *more, secs=20)
        c.expect(res, exit=exit, err=err)
        leak(c, res)
    return fn


def leak(c, res):
    if b"root:" in res.err or b"root:" in res.out:
        c.fail("content of /etc/passwd printed")
    history = c.mkt("import", "history", "--json", secs=10)
    if b"root:" in history.out:
        c.fail("content of /etc/passwd stored in import history")
    if c.query("SELECT count(*) FROM product WHERE id LIKE 'OUT-%'")[0][0]:
        c.fail("a feed outside the manifest's folder was imported")


def absolute_own_feed(c):
    m = c.write(os.path.join("feeds", "m.csv"), "merchant_id,source\nkuechenwelt-de,%s\n"
                % c.write("abs.csv", OK_FEED))
    c.step("import", "--manifest", m, exit=65, err=ABSOLUTE)
    leak(c, _quiet(c.mkt("merchant", "list")))


ABSOLUTE = [("absolute", "allow-absolute")]
ESCAPE = [("outside", "inside", "out of", "leave", "escape", "not under", "not within", "below",
           "beneath", "confined", "relative", "parent", "traversal")]
CASES += [
    Case("7-manifest-absolute-passwd", 7, fn=manifest("/etc/passwd", err=ABSOLUTE), db="rows",
         ignore=IGNORE, note="needs --allow-absolute; echoes nothing"),
    Case("7-manifest-absolute-shadow", 7, fn=manifest("/etc/shadow", err=ABSOLUTE), db="rows",
         ignore=IGNORE),
    Case("7-manifest-absolute-own-feed", 7, fn=absolute_own_feed, db="rows", ignore=IGNORE,
         note="even a real feed needs --allow-absolute"),
    Case("7-manifest-dotdot-escape", 7,
         fn=manifest("../../outside.csv", err=ESCAPE,
                     setup=lambda c: c.write(os.path.join(c.root, "outside.csv"), OK_FEED)),
         db="rows", ignore=IGNORE, note="../../ leaves the manifest's folder"),
    Case("7-manifest-dotdot-passwd", 7, fn=manifest("../" * 12 + "etc/passwd", err=ESCAPE),
         db="rows", ignore=IGNORE),
    Case("7-manifest-symlink-passwd", 7,
         fn=manifest("link.csv", setup=lambda c: (
             os.makedirs(os.path.join(c.work, "feeds")),
             os.symlink("/etc/passwd", os.path.join(c.work, "feeds", "link.csv")))),
         db="rows", ignore=IGNORE, note="a link out of the folder: refused, nothing echoed"),
    Case("7-manifest-allow-absolute-passwd", 7,
         fn=manifest("/etc/passwd", "--allow-absolute"), db="rows", ignore=IGNORE,
         note="allowed, but not a feed: nothing of it echoed or stored"),
    Case("7-manifest-file-url", 7, fn=manifest("file:///etc/passwd"), db="rows",
         ignore=IGNORE),
    Case("7-import-passwd-not-stored", 7,
         fn=lambda c: leak(c, _quiet(c.step("import", "/etc/passwd", "--merchant",
                                            "kuechenwelt-de", exit=65))),
         db="rows", ignore=IGNORE, note="history never stores a non-feed's content"),
]


def _quiet(res):  # the user named the file: its echo on the terminal is theirs
    res.err, res.out = b"", b""
    return res


# -- class 8 ---------------------------------------------------------------------------
def ecb(*days):
    """An ECB file; each day (date, [(currency, rate), ...])."""
    body = "".join('<Cube time="%s">%s</Cube>\n' % (d, "".join(
        '<Cube currency="%s" rate="%s"/>' % r for r in rates)) for d, rates in days)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<gesmes:Envelope '
            'xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" '
            'xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">\n'
            '<gesmes:subject>Reference rates</gesmes:subject>\n<Cube>\n%s</Cube>\n'
            '</gesmes:Envelope>\n' % body)


GOOD = [("PLN", "4.1393"), ("CHF", "0.9386")]


def ecb_case(id, days, word, note="", dry=False):
    return Case("8-ecb-" + id, 8, ["currency", "import", "{w}/ecb.xml"] + (
        ["--dry-run"] if dry else []), exit=65, err=[word], db="rows",
        setup=lambda c: c.write("ecb.xml", ecb(*days)), note=note)


CASES += [
    ecb_case("feb-30", [("2025-02-30", GOOD)], "2025-02-30"),
    ecb_case("month-13", [("2025-13-01", GOOD)], "2025-13-01"),
    ecb_case("day-9999", [("9999-12-31", GOOD)], "9999-12-31", "would become 'latest'"),
    ecb_case("same-day-twice", [("2025-02-27", GOOD), ("2025-02-27", [("PLN", "4.2"),
                                                                      ("CHF", "0.94")])],
             "2025-02-27", "different rates: last must not win silently"),
    ecb_case("same-day-twice-dry-run", [("2025-02-27", GOOD), ("2025-02-27", [("PLN", "4.2")])],
             "2025-02-27", dry=True),
    ecb_case("same-currency-twice", [("2025-02-27", GOOD + [("PLN", "4.5")])], "PLN"),
    ecb_case("rate-zero", [("2025-02-27", [("PLN", "0")])], "rate"),
    ecb_case("rate-negative", [("2025-02-27", [("PLN", "-4.1")])], "rate"),
    ecb_case("rate-nan", [("2025-02-27", [("PLN", "NaN")])], "rate"),
]

XXE = ('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n')
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "lollollollollollollollollollol">' +
          "".join('<!ENTITY %s "%s">' % (n, ("&%s;" % p) * 10)
                  for p, n in zip("abcdefgh", "bcdefghi")) + "]>\n")


def no_passwd(c, res):
    if b"root:" in res.err or b"root:" in res.out:
        c.fail("content of /etc/passwd printed")


CASES += [
    Case("0-ecb-xxe", 0, ["currency", "import", "{w}/x.xml"], exit=65, check=no_passwd,
         db="rows", setup=lambda c: c.write("x.xml", XXE + ecb(("2025-02-27", [
             ("PLN", "&x;")])).split("\n", 1)[1]), note="held"),
    Case("0-ecb-billion-laughs", 0, ["currency", "import", "{w}/x.xml"], exit=65, secs=5,
         db="rows", setup=lambda c: c.write("x.xml", LAUGHS + ecb(("2025-02-27", [
             ("PLN", "&i;")])).split("\n", 1)[1])),
    Case("0-feed-xxe", 0, ["feed", "check", "{w}/x.xml"], exit=65, check=no_passwd, nodb=True,
         setup=lambda c: c.write("x.xml", XXE + '<rss version="2.0" xmlns:g="http://base.'
                                 'google.com/ns/1.0"><channel><item><g:id>&x;</g:id><title>t'
                                 '</title></item></channel></rss>\n')),
    Case("0-feed-billion-laughs", 0, ["feed", "check", "{w}/x.xml"], exit=65, secs=5,
         mem_mb=512, nodb=True,
         setup=lambda c: c.write("x.xml", LAUGHS + '<rss version="2.0" xmlns:g="http://base.'
                                 'google.com/ns/1.0"><channel><item><g:id>&i;</g:id></item>'
                                 '</channel></rss>\n')),
]

NFC = unicodedata.normalize("NFC", "café")
NFD = unicodedata.normalize("NFD", "café")


def nfc_nfd_one_feed(c):
    f = c.write("u.csv", FEED_HEAD + feed_row(NFC, "Kaffee eins") + feed_row(NFD, "Kaffee zwei"))
    res = c.mkt("import", f, "--merchant", "kuechenwelt-de", secs=20)
    c.expect(res, exit=(0, 65), label="import")
    words = ("duplicate", "same id", "twice", "already", "normaliz", "nfc", "nfd", "unicode")
    if not any(w in res.text.lower() for w in words):
        c.fail("café in NFC and NFD: no duplicate error or warning (exit %s) [stderr: %s]" % (
            res.rc, res.excerpt()))
    stored = c.query("SELECT count(*) FROM product WHERE merchant_id = 'kuechenwelt-de' "
                     "AND id LIKE 'caf%'")[0][0]
    if stored > 1:
        c.fail("two products stored for one id (%d)" % stored)
    if stored:
        for form, name in ((NFC, "NFC"), (NFD, "NFD")):
            c.step("catalog", "show", form, exit=0, label="catalog show café " + name)


def nfd_found_by_nfc(c):
    f = c.write("u.csv", FEED_HEAD + feed_row(NFD, "Kaffee"))
    c.step("import", f, "--merchant", "kuechenwelt-de", exit=0, label="import NFD id",
           fatal=True)
    for form, name in ((NFC, "NFC"), (NFD, "NFD")):
        c.step("catalog", "show", form, exit=0, label="catalog show café " + name)


def order_field(value, words=("quantity",), path=True):
    def fn(c):
        f = c.write("o.json", order_json("v", "kuechenwelt-de", "KWM-1002", value))
        res = c.step("orders", "place", f, exit=65, err=list(words) + (
            [("lines[0]", "lines.0", "lines/0", "lines.index 0", "line 1")] if path else []),
            not_err=["not valid JSON"], label="quantity %s" % value)
        for line in res.text.splitlines():
            if line.count("o.json") > 1:
                c.fail("the file is named twice: %r" % c.scrub(line)[:120])
    return fn


def no_nul(c, res):
    if b"\0" in res.err:
        c.fail("stderr carries NUL bytes: %r" % res.err[:80])


def utf16(text):
    return text.encode("utf-16-le")


def utf16_case(id, argv, content, exit=65):
    return Case("8-utf16le-" + id, 8, argv, exit=exit, check=no_nul,
                db="rows" if exit == 65 else None, ignore=IGNORE,
                setup=lambda c: c.write("u16", utf16(content)),
                note="UTF-16LE without a BOM")


CASES += [
    Case("8-nfc-nfd-ids-one-feed", 8, fn=nfc_nfd_one_feed, note="café composed and decomposed"),
    Case("8-nfd-id-found-by-nfc", 8, fn=nfd_found_by_nfc),
    Case("8-order-quantity-1e30", 8, fn=order_field("1e30"), db="rows"),
    Case("8-order-quantity-1.5", 8, fn=order_field("1.5"), db="rows"),
    Case("8-order-quantity-string", 8, fn=order_field('"3"'), db="rows"),
    Case("8-order-quantity-negative", 8, fn=order_field("-1", path=False), db="rows"),
    Case("8-order-placed-at-feb-30", 8,
         ["orders", "place", "{w}/o.json"], exit=65, err=["placed_at"], db="rows",
         setup=lambda c: c.write("o.json", order_json("p", "kuechenwelt-de", "KWM-1002", 1)
                                 .replace("2026-11-25T10", "2026-02-30T10"))),
    Case("8-pricing-schedule-feb-30", 8, ["pricing", "load", "{w}/r.yaml"], exit=65,
         err=["2026-02-30"], db="rows",
         setup=lambda c: c.write("r.yaml", "rules:\n  - id: x\n    kind: percentage_off\n"
                                 "    percent: 10\n    schedule:\n      start: \"2026-02-30T00:00"
                                 "\"\n      timezone: Europe/Berlin\n")),
    utf16_case("feed-import", ["import", "{w}/u16", "--merchant", "kuechenwelt-de"],
               FEED_HEAD + feed_row("U-1")),
    utf16_case("feed-check", ["feed", "check", "{w}/u16"], FEED_HEAD + feed_row("U-1")),
    utf16_case("merchant-import", ["merchant", "import", "{w}/u16"],
               MERCHANTS_HEAD + "u16-de,U,DE,EUR,gross,u.example\n"),
    utf16_case("inventory-sync", ["inventory", "sync", "{w}/u16", "--merchant",
                                  "kuechenwelt-de"], "sku,warehouse,quantity\nKWM-1002,BER1,5\n"),
    utf16_case("manifest", ["import", "--manifest", "{w}/u16"],
               "merchant_id,source\nkuechenwelt-de,x.csv\n"),
    utf16_case("synonyms", ["search", "synonyms", "load", "{w}/u16", "--language", "de"],
               "tasse, becher\n"),
    # JSON in UTF-16 can be detected (RFC 4627): accepted or refused, but no NULs on stderr.
    utf16_case("orders", ["orders", "place", "{w}/u16"],
               order_json("u", "kuechenwelt-de", "KWM-1002", 1), exit=(0, 65)),
    Case("8-feed-nul-in-title", 8, ["feed", "check", "{w}/n.csv"], exit=(0, 1, 65),
         check=no_nul, nodb=True,
         setup=lambda c: c.write("n.csv", FEED_HEAD + feed_row("N-1", "Null\0Byte"))),
]
