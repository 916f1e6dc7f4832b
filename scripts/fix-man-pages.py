#!/usr/bin/env python3
"""Post-processes the pages ArgumentParser's generate-manual writes (scripts/generate-docs.sh).

- One EXIT STATUS section per page, listing mkt's statuses (taken from the table `mkt --help`
  prints, which is SysExit.table) instead of the generic `.Ex -std` sentence; the root page's
  description no longer repeats it as plain text.
- Blank lines in descriptions become paragraph breaks (`.Pp`), which mdoc expects; indented
  example lines are kept as literal displays.
Usage: fix-man-pages.py DIR
"""
import pathlib
import re
import sys

folder = pathlib.Path(sys.argv[1])
root = (folder / "mkt.1").read_text()
statuses = re.findall(r"^  (\d+)\s+(.+)$", root.split("EXIT STATUS", 1)[1].split(".Bl", 1)[0], re.M)
if not statuses:
    sys.exit("fix-man-pages: no EXIT STATUS table found in mkt.1")
section = ['.Sh "EXIT STATUS"', ".Bl -tag -width 4n"]
for code, meaning in statuses:
    section += [".It %s" % code, meaning]
section.append(".El")

for page in sorted(folder.glob("*.1")):
    text = page.read_text()
    # The root page's description ends with the statuses as plain lines: drop them there.
    text = re.sub(r"\nEXIT STATUS\n(?:  \d+ .*\n)+", "\n", text)
    text = text.replace('.Sh "EXIT STATUS"\n.Ex -std\n', "\n".join(section) + "\n")
    lines, out, literal = text.split("\n"), [], False
    for line in lines:
        if line == "":
            if literal:
                out.append(".Ed")
                literal = False
            out.append(".Pp")
            continue
        if line.startswith("  ") and not line.startswith("."):
            if not literal:
                out.append(".Bd -literal -offset indent")
                literal = True
            out.append(line.strip())
            continue
        if literal:
            out.append(".Ed")
            literal = False
        out.append(line)
    if literal:
        out.append(".Ed")
    # No paragraph break right before a section, a list or at the end.
    cleaned = []
    for index, line in enumerate(out):
        following = out[index + 1] if index + 1 < len(out) else ""
        if line == ".Pp" and (following.startswith((".Sh", ".Bl", ".El", ".Pp", ".It")) or following == ""):
            continue
        cleaned.append(line)
    page.write_text("\n".join(cleaned) + ("\n" if not cleaned[-1] == "" else ""))
