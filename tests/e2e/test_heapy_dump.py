"""A heapy Stat dump written by the scanner (--format heapy) reads back by
heapy's own load rules (guppy3's Use.load / Part.py): the loader line first,
'.<name>: <value>' headers until the first '.r:' row, rows split on their
first two spaces (IdFormat's, of --by id, on the first), the terminator '.end: ' + the loader line; its count,
size and rows equal the scanner's JSON of the same scan, for every
classifier."""
import json
import sys

import harness

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11"]
REQUIRED = ("format", "timemade", "count", "size", "kindheader", "kindname", "numrows")


def load_stat(lines):
    """heapy's loader, as its documentation and source describe it."""
    it = iter(lines)
    first = next(it)
    if not first.startswith(".loader:") or first.split(":", 1)[1].strip() != "_load_stat":
        raise ValueError("no loader line: %r" % first)
    header, rows = {}, []
    for line in it:
        if line == ".end: " + first:
            break
        if line.startswith(".r:"):
            if header.get("format") == "IdFormat":  # "size name", a count of one
                size, name = line[3:].lstrip().split(" ", 1)
                rows.append((1, int(size), name))
            else:
                count, size, name = line[3:].lstrip().split(" ", 2)
                rows.append((int(count), int(size), name))
            continue
        if rows:
            raise ValueError("header after rows: %r" % line)
        name, _, value = line[1:].partition(":")
        value = value.strip()
        header[name] = float(value) if name == "timemade" else (int(value) if value.lstrip("-").isdigit() else value)
    else:
        raise ValueError("no terminator")
    missing = [k for k in REQUIRED if k not in header]
    if missing:
        raise ValueError("missing headers %s" % missing)
    if header["numrows"] != len(rows):
        raise ValueError("numrows %d, %d rows" % (header["numrows"], len(rows)))
    return header, rows


def check(interp):
    failures = []
    target = harness.Target(interp)
    try:
        for by in ("clodo", "type", "size", "unity", "module", "via", "rcs", "idset", "id"):
            dump = harness.run_scanner(["-p", str(target.pid), "--by", by, "--format", "heapy"]).stdout
            doc = json.loads(harness.run_scanner(["-p", str(target.pid), "--by", by, "--format",
                                                  "json"]).stdout)
            header, rows = load_stat(dump.decode().splitlines())
            if header["format"] != ("IdFormat" if by == "id" else "SetFormat"):
                failures.append("%s: format %r" % (by, header["format"]))
            if (header["count"], header["size"]) != (doc["count"], doc["size"]):
                failures.append("%s: count/size %s, JSON %s" % (by, (header["count"], header["size"]),
                                                               (doc["count"], doc["size"])))
            if rows != [(r["count"], r["size"], r["kind"]) for r in doc["rows"]]:
                failures.append("%s: rows differ from the JSON's" % by)
            if sum(c for c, _, _ in rows) != header["count"] or sum(s for _, s, _ in rows) != header["size"]:
                failures.append("%s: rows do not add up to the totals" % by)
            if [s for _, s, _ in rows] != sorted((s for _, s, _ in rows), reverse=True):
                failures.append("%s: rows not in size-descending order" % by)
    except Exception as e:
        failures.append("%s" % e)
    if not target.finish():
        failures.append("target did not run on")
    return failures, ("ok" if not failures else "FAIL",)


def main():
    harness.per_interpreter("heapy Stat dumps read back by heapy's load rules",
                            ["round trip"],
                            MINORS, check)


main()
