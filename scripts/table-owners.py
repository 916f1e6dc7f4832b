#!/usr/bin/env python3
"""One owner per table: each SQLite table is written by exactly one module.

Modules are the folders Sources/Platform/<Module>/ and Sources/<Target>/ (Server, mkt, Importers,
MktCore; the command line, mkt, should write nothing). scripts/table-owners.txt gives each
table's owner, `table module` a line (`#` comments). To change an owner, edit its line and move
the SQL that writes the table into the new owner, which the other modules then call.

Reads the string literals of every .swift file under Sources/ ("..." and \"\"\"...\"\"\", with
\\(...) interpolations) and finds the SQL writes in them, outside SQL comments: INSERT [OR ...]
INTO t, REPLACE INTO t, UPDATE [OR ...] t SET, DELETE FROM t (an upsert is an INSERT); t may be
quoted and prefixed main. or temp. Exempt: Store's schema migrations (`registerMigration`
closures, their triggers included, and the `static let` statements they run by name), and temporary tables written by the module creating them.
A table named by interpolation, `DELETE FROM \\(table)`, must loop over a literal list just
above (`for table in ["a", "b"] {`); otherwise it is an error, as is a GRDB record type.

Prints `path:line: module M writes table T (owner: O)` for each write outside the owner and
exits 1 if there is any, or if a table is written or created but missing from the owners file.
  --list   each table, its owner and the modules that write it (* = not the owner)
"""
import bisect
import os
import re
import sys
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OWNERS = os.path.join(ROOT, "scripts", "table-owners.txt")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}
NAME = r"(?:\"[^\"]+\"|`[^`]+`|\[[^\]]+\]|\\\([^)]*\)|\w+)"
TABLE = r"((?:%s\s*\.\s*)?%s)" % (NAME, NAME)
WRITE = re.compile(
    r"\b(?:(?:INSERT(?:\s+OR\s+\w+)?|REPLACE)\s+INTO\s+%s"
    r"|(?<!DO\s)UPDATE(?:\s+OR\s+\w+)?\s+%s(?:\s+(?:AS\s+)?\w+)?\s+SET\b"
    r"|DELETE\s+FROM\s+%s)" % (TABLE, TABLE, TABLE), re.I)
CREATE = re.compile(
    r"\bCREATE\s+(TEMP\s+|TEMPORARY\s+)?(?:VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?" + TABLE,
    re.I)
OPENING = re.compile(r'(#*)("""|")')
LINE_COMMENT = re.compile(r"//[^\n]*")
DANGLING = re.compile(  # "DELETE FROM " + table: the table is not in the literal (uppercase only)
    r"\b(?:(?:INSERT(?: OR \w+)?|REPLACE) INTO|UPDATE(?: OR \w+)?|DELETE FROM)\s*\Z")
RECORDS = re.compile(r"\b(?:\w*PersistableRecord|databaseTableName|deleteAll|updateAll)\b")


class Swift:
    """A Swift file split into its string literals and its code (comments, literals blanked)."""

    def __init__(self, text):
        self.text, self.code, self.literals = text, list(text), []  # literals: (content, offsets)
        self.scan(0, inside=False)
        self.code = "".join(self.code)

    def scan(self, i, inside):
        """Code from i; inside an interpolation, returns the index after its closing `)`."""
        t, depth = self.text, 0
        while i < len(t):
            opening = OPENING.match(t, i)
            if t.startswith("//", i):
                end = LINE_COMMENT.match(t, i).end()
            elif t.startswith("/*", i):  # Swift's block comments nest
                end, nested = i + 2, 1
                while nested and end < len(t):
                    nested += t.startswith("/*", end) - t.startswith("*/", end)
                    end += 2 if t[end:end + 2] in ("/*", "*/") else 1
            elif opening:
                end = self.string(opening)
            else:
                if inside and t[i] == ")" and depth == 0:
                    return i + 1
                depth += {"(": 1, ")": -1}.get(t[i], 0) if inside else 0
                i += 1
                continue
            self.code[i:end] = [c if c == "\n" else " " for c in self.code[i:end]]
            i = end
        return i

    def string(self, opening):
        """Records the literal that `opening` starts; returns the index after it."""
        t, hashes, quote = self.text, opening.group(1), opening.group(2)
        close, escape, i = quote + hashes, "\\" + hashes, opening.end()
        content, offsets = [], []
        while i < len(t) and not t.startswith(close, i):
            if t.startswith(escape, i) and i + len(escape) < len(t):
                k = i + len(escape)
                if t[k] == "(":
                    end = self.scan(k + 1, inside=True)
                    piece = "\\(%s)" % re.sub(r"[^\w.]+", "_", t[k + 1:end - 1])
                elif t[k] == "u" and t.startswith("{", k + 1):
                    end, piece = t.find("}", k) + 1, "?"
                elif t[k] == "\n":
                    end, piece = k + 1, ""
                else:
                    end, piece = k + 1, ESCAPES.get(t[k], t[k])
                content.append(piece)
                offsets += [i] * len(piece)
                i = end
            elif quote == '"' and t[i] == "\n":  # an unterminated literal: stop at the line end
                break
            else:
                content.append(t[i])
                offsets.append(i)
                i += 1
        self.literals.append(("".join(content), offsets))
        return i + len(close)


def without_sql_comments(sql):
    """The SQL with its comments and the insides of its '...' strings blanked."""
    out, i = list(sql), 0
    while i < len(sql):
        start = end = after = i + 1  # by default, nothing to blank
        if sql.startswith("--", i) or sql.startswith("/*", i):
            end = sql.find("\n" if sql[i] == "-" else "*/", i + 2)
            start, end = i, len(sql) if end < 0 else end + (0 if sql[i] == "-" else 2)
            after = end
        elif sql[i] == "'":
            stop = start
            while stop < len(sql) and (sql[stop] != "'" or sql.startswith("''", stop)):
                stop += 2 if sql.startswith("''", stop) else 1
            if stop < len(sql):  # an unclosed ' is an apostrophe, or the quote of a fragment
                end, after = stop, stop + 1
        out[start:end] = [" " if c != "\n" else c for c in sql[start:end]]
        i = after
    return "".join(out)


def table_name(raw):
    """`main."Stock"` -> stock; interpolations are kept as `\\(expr)`."""
    parts = re.findall(NAME, raw)
    if len(parts) == 2 and parts[0].strip('"`[]').lower() in ("main", "temp"):
        parts = parts[1:]
    return parts[-1].strip('"`[]').lower() if not parts[-1].startswith("\\(") else parts[-1]


def module_of(path):
    parts = os.path.relpath(path, ROOT).split(os.sep)
    return parts[2] if parts[1] == "Platform" else parts[1]


def migration_spans(code):
    """The (start, end) of each `registerMigration(...) { ... }` closure in the code."""
    spans = []
    for match in re.finditer(r"\bregisterMigration\s*\(", code):
        start = code.find("{", match.end())
        end, depth = start + 1, 1
        while depth and end < len(code):
            depth, end = depth + {"{": 1, "}": -1}.get(code[end], 0), end + 1
        spans.append((start, end))
        # A migration whose statements are a constant of their own: `sql: createOrders`.
        for name in re.findall(r"\bsql:\s*(?:Self\.)?(\w+)\s*\)", code[start:end]):
            # Its literal is blanked in `code`: it ends where code starts again.
            constant = re.search(r"\bstatic let %s =\s*" % name, code)
            if constant:
                spans.append((constant.start(), constant.end()))
    return spans


def resolve(expr, text, offset):
    """The names in `for expr in ["a", "b"]` just above offset, or [] when there is none."""
    loops = list(re.finditer(r"\bfor\s+%s\s+in\s+\[([^\]]*)\]" % re.escape(expr), text[:offset]))
    if not loops or text.count("\n", loops[-1].end(), offset) > 3:
        return []
    return [name.lower() for name in re.findall(r'"(\w+)"', loops[-1].group(1))]


def scan(path, writes, created, errors):
    text = open(path, encoding="utf-8").read()
    swift, module = Swift(text), module_of(path)
    lines = [0] + [m.end() for m in re.finditer("\n", text)]
    spans = migration_spans(swift.code) if module == "Store" else []
    rel = os.path.relpath(path, ROOT)
    for match in RECORDS.finditer(swift.code):
        line = bisect.bisect_right(lines, match.start())
        errors.append("%s:%d: GRDB record type: this lint only reads SQL, extend it" % (rel, line))
    for content, offsets in swift.literals:
        sql = without_sql_comments(content)
        for match in CREATE.finditer(sql):
            temp = match.group(1) or match.group(2).lower().startswith("temp")
            created[table_name(match.group(2))].add((module, bool(temp)))
        for match in list(WRITE.finditer(sql)) + list(DANGLING.finditer(sql)):
            offset = offsets[match.start()]
            if any(a <= offset < b for a, b in spans):
                continue
            line = bisect.bisect_right(lines, offset)
            # the table of the alternative that matched; none after a dangling write
            tables = [table_name(match.group(match.lastindex))] if match.lastindex else ["\\(?)"]
            if tables[0].startswith("\\("):
                tables = resolve(tables[0][2:-1], text, offset)
                if not tables:
                    errors.append("%s:%d: no table name in `%s`: write it out, or loop over a "
                                  "literal list just above" % (rel, line, match.group(0).strip()))
            writes += [(rel, line, module, table) for table in tables]


def read_owners(modules, errors):
    owners = {}
    for number, line in enumerate(open(OWNERS, encoding="utf-8"), 1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if len(fields) != 2 or fields[1] not in modules:
            errors.append("scripts/table-owners.txt:%d: expected `table module`, a module of %s"
                          % (number, ", ".join(sorted(modules))))
        elif fields[0].lower() in owners:
            errors.append("scripts/table-owners.txt:%d: %s is listed twice" % (number, fields[0]))
        else:
            owners[fields[0].lower()] = fields[1]
    return owners


def main():
    writes, created, errors = [], defaultdict(set), []
    paths = sorted(os.path.join(folder, name) for folder, _, names in os.walk(ROOT + "/Sources")
                   for name in names if name.endswith(".swift"))
    modules = {module_of(path) for path in paths}
    for path in paths:
        scan(path, writes, created, errors)
    owners = read_owners(modules, errors)
    for table, made in sorted(created.items()):
        temp = {module for module, is_temp in made if is_temp}
        if table not in owners and len(temp) < len(made):
            errors.append("table %s is created but missing from scripts/table-owners.txt" % table)
        elif table not in owners:  # a temporary table: its creator owns it
            owners[table] = "/".join(sorted(temp))
    for table in sorted(set(owners) - set(created)):
        errors.append("scripts/table-owners.txt: %s is never created: drop its line" % table)
    violations, writers = [], defaultdict(lambda: defaultdict(int))
    for rel, line, module, table in writes:
        writers[table][module] += 1
        if table not in owners:
            errors.append("%s:%d: module %s writes table %s, missing from "
                          "scripts/table-owners.txt" % (rel, line, module, table))
        elif owners[table] != module:
            violations.append("%s:%d: module %s writes table %s (owner: %s)"
                              % (rel, line, module, table, owners[table]))
    if "--list" in sys.argv[1:]:
        print("%-28s %-16s %s" % ("table", "owner", "writers (* = not the owner)"))
        for table in sorted(set(owners) | set(writers)):
            owner = owners.get(table, "-")
            names = ["%s%s (%d)" % (m, "" if m == owner else "*", n)
                     for m, n in sorted(writers[table].items())]
            print("%-28s %-16s %s" % (table, owner, ", ".join(names) or "-"))
        return 0
    print("\n".join(errors + violations), end="\n" if errors or violations else "")
    if errors or violations:
        print("table-owners: %d write(s) outside the owner, %d other error(s) (see %s)"
              % (len(violations), len(errors), os.path.relpath(__file__, ROOT)), file=sys.stderr)
    return 1 if errors or violations else 0


if __name__ == "__main__":
    sys.exit(main())
