#!/usr/bin/env python3
"""Writes the hostile-input corpus next to this script (stdlib only, deterministic).

    python3 make_corpus.py            # (re)write every file, then print the measured positions
    python3 make_corpus.py --check    # exit 1 if a file on disk differs from what this script writes
    python3 make_corpus.py --report   # only print the positions measured from the files on disk

The positions in EXPECTED.md are the ones --report prints. They are measured by scanning the
bytes of each file (not taken from the constants used to build it). Conventions:

* line      1-based; LF, CRLF and a lone CR each end one line (also inside quoted CSV fields).
* field     1-based index of the delimited field (what mkt's InputLocation.column means in CSV).
* char col  1-based character (Unicode scalar) column on that line (InputLocation.column in XML).
* offset    0-based byte offset from the start of the file.

Large inputs (10 MB field, 100k columns, ...) are not stored here: the tests generate them.
"""

import codecs
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

GMC_HEADER = "id,title,description,link,image_link,availability,price,brand,gtin,condition"

RSS_HEAD = (
    '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">\n'
    "<channel>\n"
    "<title>Küchenwerk Test-Shop</title>\n"
    "<link>https://kuechenwerk.example.de</link>\n"
    "<description>Hostile input</description>\n"
)
RSS_TAIL = "</channel>\n</rss>\n"


def item(id_, title, extra=""):
    return (
        "<item>\n"
        f"<g:id>{id_}</g:id>\n"
        f"<title>{title}</title>\n"
        f"<link>https://kuechenwerk.example.de/p/{id_}</link>\n"
        f"<g:image_link>https://kuechenwerk.example.de/img/{id_}.jpg</g:image_link>\n"
        "<g:availability>in_stock</g:availability>\n"
        "<g:price>24.90 EUR</g:price>\n"
        f"{extra}"
        "</item>\n"
    )


def xml_with_doctype(doctype, id_, title, extra=""):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + doctype + RSS_HEAD
            + item(id_, title, extra) + RSS_TAIL).encode("utf-8")


def billion_laughs():
    lines = ["<!DOCTYPE rss [", ' <!ENTITY lol0 "lol">']
    for n in range(1, 10):
        refs = "".join(f"&lol{n - 1};" for _ in range(10))
        lines.append(f' <!ENTITY lol{n} "{refs}">')
    lines.append("]>")
    # 10^9 "lol" = 3 GB if expanded.
    return xml_with_doctype("\n".join(lines) + "\n", "BL-1", "&lol9;")


def quadratic_blowup():
    big = "A" * 50_000
    refs = "&a;" * 1_000  # 1,000 x 50,000 = 50,000,000 characters if expanded
    doctype = f'<!DOCTYPE rss [\n <!ENTITY a "{big}">\n]>\n'
    return xml_with_doctype(doctype, "QB-1", "Quadratic",
                            f"<g:description>{refs}</g:description>\n")


def xxe_file():
    doctype = '<!DOCTYPE rss [\n <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
    return xml_with_doctype(doctype, "XXE-1", "&xxe;")


def xxe_network():
    doctype = '<!DOCTYPE rss [\n <!ENTITY xxe SYSTEM "http://127.0.0.1:9/evil">\n]>\n'
    return xml_with_doctype(doctype, "XXE-2", "&xxe;")


def external_dtd():
    doctype = '<!DOCTYPE rss SYSTEM "file:///etc/passwd">\n'
    return xml_with_doctype(doctype, "DTD-1", "External DTD")


def deep_nesting():
    depth = 10_000
    nest = "<x>" * depth + "</x>" * depth + "\n"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + RSS_HEAD
            + item("DEEP-1", "Deep", nest) + RSS_TAIL).encode("utf-8")


def truncated():
    full = ('<?xml version="1.0" encoding="UTF-8"?>\n' + RSS_HEAD
            + item("TR-1", "Brotkasten aus Buchenholz")
            + item("TR-2", "Espressokanne „Napoli“")
            + item("TR-3", "Schneidebrett Eiche")
            + RSS_TAIL).encode("utf-8")
    cut = full.index(b"<g:price>24.90", full.index(b"TR-3")) + len(b"<g:price>24.")
    return full[:cut]  # ends mid-text inside the third item's <g:price>, no final newline


def csv_lines(*rows, ending="\n"):
    return (ending.join(rows) + ending).encode("utf-8")


ROW_A = ("DE-1001,Brotkasten aus Buchenholz,Geölt; 40 x 20 cm,https://kuechenwerk.example.de/p/1001,"
         "https://kuechenwerk.example.de/img/1001.jpg,in_stock,39.90 EUR,Küchenwerk,4005012345671,new")
ROW_B = ("DE-1002,Espressokanne 6 Tassen,Aluminium,https://kuechenwerk.example.de/p/1002,"
         "https://kuechenwerk.example.de/img/1002.jpg,in_stock,24.90 EUR,Küchenwerk,4005012345688,new")
ROW_C = ("DE-1004,Schneidebrett Eiche,Massivholz,https://kuechenwerk.example.de/p/1004,"
         "https://kuechenwerk.example.de/img/1004.jpg,out_of_stock,19.90 EUR,Küchenwerk,4005012345695,new")


def unclosed_quote():
    bad = ('DE-1003,Teekanne Keramik,"Handgemacht, 1,2 l, spülmaschinenfest,'
           "https://kuechenwerk.example.de/p/1003,https://kuechenwerk.example.de/img/1003.jpg,"
           "in_stock,34.90 EUR,Küchenwerk,4260123456788,new")
    return csv_lines(GMC_HEADER, ROW_A, ROW_B, bad, ROW_C, ROW_A.replace("DE-1001", "DE-1005"))


def nul_bytes():
    bad = ("DE-1006,Kaffee\x00becher 300 ml,Steingut,https://kuechenwerk.example.de/p/1006,"
           "https://kuechenwerk.example.de/img/1006.jpg,in_stock,9.90 EUR,Küchenwerk,4260123456795,new")
    return csv_lines(GMC_HEADER, ROW_A, bad, ROW_C)


def invalid_utf8():
    good = csv_lines(GMC_HEADER, ROW_A)
    # Exactly one bad byte: the é of "Café" written as Latin-1 0xE9; everything else is UTF-8.
    bad = (b"DE-1007,Caf\xe9-Set 2 Tassen,Porzellan,https://kuechenwerk.example.de/p/1007,"
           + "https://kuechenwerk.example.de/img/1007.jpg,in_stock,29.90 EUR,Küchenwerk,"
             "4260123456702,new\n".encode("utf-8"))
    return good + bad + csv_lines(ROW_C)


def utf16_bom():
    text = "\n".join([GMC_HEADER, ROW_A, ROW_B]) + "\n"
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def mixed_line_endings():
    quoted = ROW_B.replace("Aluminium", '"Aluminium,\r\nfür Gas und Induktion"')
    rows = [(GMC_HEADER, "\n"), (ROW_A, "\r\n"), (quoted, "\r"),
            (ROW_C, "\n"), (ROW_A.replace("DE-1001", "DE-1008"), "\r\n")]
    return "".join(r + e for r, e in rows).encode("utf-8")


def empty():
    return b""


def header_only():
    return (GMC_HEADER + "\n").encode("utf-8")


def ragged_row():
    short = "DE-1009,Sparschäler,Edelstahl,https://kuechenwerk.example.de/p/1009,,in_stock,6.90 EUR"
    return csv_lines(GMC_HEADER, ROW_A, ROW_B, short, ROW_C)


FILES = {
    "billion-laughs.xml": billion_laughs,
    "quadratic-blowup.xml": quadratic_blowup,
    "xxe-file.xml": xxe_file,
    "xxe-network.xml": xxe_network,
    "external-dtd.xml": external_dtd,
    "deep-nesting.xml": deep_nesting,
    "truncated.xml": truncated,
    "unclosed-quote.csv": unclosed_quote,
    "nul-bytes.csv": nul_bytes,
    "invalid-utf8.csv": invalid_utf8,
    "utf16-bom.csv": utf16_bom,
    "mixed-line-endings.csv": mixed_line_endings,
    "empty.csv": empty,
    "header-only.csv": header_only,
    "ragged-row.csv": ragged_row,
}

# ---------------------------------------------------------------------------------------------
# Measuring, from the bytes only.


def line_starts(data):
    """Offsets at which each line starts (LF, CRLF, lone CR end a line)."""
    starts, i = [0], 0
    while i < len(data):
        if data[i] == 0x0D:
            i += 2 if i + 1 < len(data) and data[i + 1] == 0x0A else 1
            starts.append(i)
        elif data[i] == 0x0A:
            i += 1
            starts.append(i)
        else:
            i += 1
    if starts[-1] == len(data) and len(data) > 0:
        starts.pop()  # a final line break does not open a new line
    return starts


def position(data, offset):
    """(line, char column) of a byte offset; the column counts UTF-8 characters."""
    starts = line_starts(data)
    line = max(n for n, s in enumerate(starts) if s <= offset) if starts else 0
    prefix = data[starts[line]:offset] if starts else b""
    column = len(prefix.decode("utf-8", errors="replace")) + 1
    return line + 1, column


def csv_scan(data, delimiter=0x2C):
    """RFC 4180 scan: records with their start line, and the opening quote of an unclosed field."""
    records, fields, field, line, rec_line = [], [], bytearray(), 1, 1
    in_quotes, quote_at, quote_field, i, any_ = False, None, None, 0, False
    while i < len(data):
        b = data[i]
        if in_quotes:
            if b == 0x22:
                if i + 1 < len(data) and data[i + 1] == 0x22:
                    field.append(0x22)
                    i += 2
                    continue
                in_quotes = False
            else:
                if b in (0x0A, 0x0D):
                    line += 1
                    if b == 0x0D and i + 1 < len(data) and data[i + 1] == 0x0A:
                        field += b"\r\n"
                        i += 2
                        continue
                field.append(b)
            i += 1
            continue
        if b == 0x22 and not field:
            in_quotes, quote_at, quote_field, any_ = True, i, len(fields) + 1, True
        elif b == delimiter:
            fields.append(bytes(field))
            field, any_ = bytearray(), True
        elif b in (0x0A, 0x0D):
            if any_ or field:
                fields.append(bytes(field))
                records.append((rec_line, fields))
            fields, field, any_ = [], bytearray(), False
            if b == 0x0D and i + 1 < len(data) and data[i + 1] == 0x0A:
                i += 1
            line += 1
            rec_line = line
        else:
            field.append(b)
            any_ = True
        i += 1
    if in_quotes:
        return records, (quote_at, quote_field, rec_line)
    if any_ or field:
        fields.append(bytes(field))
        records.append((rec_line, fields))
    return records, None


def field_of(data, offset, delimiter=0x2C):
    """1-based field index of a byte offset on its (unquoted) line."""
    start = line_starts(data)[position(data, offset)[0] - 1]
    return data[start:offset].count(bytes([delimiter])) + 1


def report():
    out = []

    def say(name, text):
        out.append(f"{name}: {text}")

    for name in FILES:
        data = (HERE / name).read_bytes()
        size = len(data)
        if name.endswith(".xml"):
            facts = [f"{size} bytes", f"{len(line_starts(data))} lines"]
            if b"<!DOCTYPE" in data:
                o = data.index(b"<!DOCTYPE")
                facts.append("DOCTYPE at line %d col %d (offset %d)" % (*position(data, o), o))
            for needle in (b"&lol9;", b"&xxe;", b"&a;"):
                if needle in data:
                    o = data.index(needle)
                    facts.append("first %s at line %d col %d (offset %d)"
                                 % (needle.decode(), *position(data, o), o))
            if b"SYSTEM" in data:
                o = data.index(b"SYSTEM")
                facts.append("SYSTEM at line %d col %d" % position(data, o))
            if name == "deep-nesting.xml":
                o = data.index(b"<x>")
                ln, col = position(data, o)
                facts.append(f"first <x> at line {ln} col {col} (offset {o}); depth(rss)=1, "
                             f"depth(item)=3, the k-th <x> has depth 3+k and starts at col "
                             f"{col}+3(k-1); depth 257 -> k=254 col {col + 3 * 253}; "
                             f"depth 33 -> k=30 col {col + 3 * 29}")
                facts.append(f"max depth in file {3 + data.count(b'<x>')}")
            if name == "truncated.xml":
                ln, col = position(data, size)
                facts.append(f"EOF at line {ln} col {col} (offset {size}); last bytes "
                             f"{data[-20:]!r}; complete </item> count {data.count(b'</item>')}")
            say(name, "; ".join(facts))
            continue
        if name == "utf16-bom.csv":
            text = data[2:].decode("utf-16-le")
            recs, _ = csv_scan(text.encode("utf-8"))
            say(name, f"{size} bytes; first bytes {data[:4].hex(' ')}; BOM at offset 0; "
                      f"decoded: {len(recs) - 1} data records after the header, "
                      f"record lines {[r[0] for r in recs]}")
            continue
        if size == 0:
            say(name, "0 bytes")
            continue
        recs, unclosed = csv_scan(data)
        facts = [f"{size} bytes", f"{len(line_starts(data))} physical lines",
                 f"records (header incl.) at lines {[r[0] for r in recs]}",
                 f"field counts {[len(r[1]) for r in recs]}"]
        if unclosed:
            o, fld, ln = unclosed
            facts.append("UNCLOSED quote opens at line %d field %d char col %d (offset %d); "
                         "the quoted field runs to EOF (offset %d)"
                         % (position(data, o)[0], fld, position(data, o)[1], o, size))
        if b"\x00" in data:
            o = data.index(b"\x00")
            facts.append("NUL at line %d field %d char col %d (offset %d); NUL count %d"
                         % (position(data, o)[0], field_of(data, o), position(data, o)[1], o,
                            data.count(b"\x00")))
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            o = e.start
            facts.append("invalid UTF-8 byte 0x%02X at line %d field %d char col %d (offset %d); "
                         "offset within its line %d"
                         % (data[o], position(data, o)[0], field_of(data, o),
                            position(data, o)[1], o, o - line_starts(data)[position(data, o)[0] - 1]))
        ends = {"LF": data.count(b"\n") - data.count(b"\r\n"), "CRLF": data.count(b"\r\n"),
                "CR": data.count(b"\r") - data.count(b"\r\n")}
        facts.append(f"line ends {ends}")
        say(name, "; ".join(facts))
    print("\n".join(out))


def main(argv):
    if "--report" in argv:
        report()
        return 0
    differs = []
    for name, make in FILES.items():
        data = make()
        assert len(data) < 100_000, f"{name} is {len(data)} bytes"
        path = HERE / name
        if "--check" in argv:
            if not path.exists() or path.read_bytes() != data:
                differs.append(name)
        else:
            path.write_bytes(data)
    if "--check" in argv:
        if differs:
            print("differs from make_corpus.py:", ", ".join(differs))
            return 1
        print("corpus matches make_corpus.py")
        return 0
    report()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
