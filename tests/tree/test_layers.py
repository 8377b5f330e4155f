"""The scanner's includes name their layer and point down: base/ <
source/ < model/ < stacks/ < store/ < analysis/ < output/ < commands/ <
the top (cli.c, scan.c, main.c).  symbols/ and layouts/ sit below
them all and include nothing of the scanner.  An include that names no
layer, or one that points up, fails with its file and line."""
import os
import re
import sys

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
ORDER = ["symbols", "layouts", "base", "source", "model", "stacks", "store", "analysis", "output", "commands", "."]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
TOP_HEADERS = {"cli.h", "scan.h"}


def layer_of(path):
    """The layer a scanner file (relative to scanner/) is in."""
    head = path.split("/")[0]
    return head if "/" in path else "."


def main():
    failures, checked = [], 0
    scanner = os.path.join(TOP, "scanner")
    for root, _, files in os.walk(scanner):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            rel = os.path.relpath(os.path.join(root, name), scanner)
            mine = layer_of(rel)
            text = open(os.path.join(root, name)).read()
            for m in INCLUDE.finditer(text):
                inc = m.group(1)
                line = text.count("\n", 0, m.start()) + 1
                checked += 1
                if "/" not in inc:
                    if inc in TOP_HEADERS and mine == ".":
                        continue
                    failures.append("scanner/%s:%d: #include \"%s\" names no layer" % (rel, line, inc))
                    continue
                theirs = inc.split("/")[0]
                if theirs not in ORDER:
                    failures.append("scanner/%s:%d: #include \"%s\": no such layer" % (rel, line, inc))
                elif ORDER.index(theirs) > ORDER.index(mine):
                    failures.append("scanner/%s:%d: %s/ includes %s, a layer above it" % (rel, line, mine, inc))
    for below in ("symbols", "layouts"):
        for name in sorted(os.listdir(os.path.join(TOP, below))):
            if name.endswith((".c", ".h")):
                text = open(os.path.join(TOP, below, name)).read()
                for m in INCLUDE.finditer(text):
                    checked += 1
                    if m.group(1).split("/")[0] in ORDER[2:]:
                        failures.append("%s/%s: includes the scanner's %s" % (below, name, m.group(1)))
    for f in failures:
        print("FAIL " + f)
    print("%d includes checked" % checked)
    print("%d passed, %d failed" % (0 if failures else 1, 1 if failures else 0))
    sys.exit(1 if failures else 0)


main()
