"""The report to look at (`suspects --format html`) and the graphs
(`--format dot`), on the leaking fixture (fixtures/leak_fixture.py) and a
series of three snapshots of it.  Debian's headless chromium loads each page
with no network (a network namespace of its own, and the page's own
Content-Security-Policy forbids fetching anything); the page says it
rendered, shows no script error and logs nothing to the console; the
suspects, the growth by kind and the heap table read back from the DOM equal
what `--format json` (and the partition's JSON with --retained) says; a
screenshot is taken and is a PNG of the window's size.  Graphviz's dot
renders the DOT of a suspect's accumulation point, of the paths to it and of
a dominator subtree."""
import html.parser
import json
import os
import shutil
import struct
import subprocess
import sys

import harness
import test_suspects

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11"]
WINDOW = (1200, 1600)


class Dom(html.parser.HTMLParser):
    """What the test reads back from the rendered page."""

    def __init__(self):
        super().__init__()
        self.rendered = None
        self.errors = []
        self.rows, self.suspects, self.growth, self.accumulated = [], [], [], []
        self.text_of = None   # (list, key) the next text goes to
        self.external = []    # any src/href: the page must load nothing

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "body":
            self.rendered = a.get("data-rendered")
        for k in ("src", "href"):
            if k in a:
                self.external.append(a[k])
        if "js-error" in cls:
            self.text_of = (self.errors, None)
            self.errors.append("")
        elif tag == "tr" and "row" in cls:
            self.rows.append({"kind": a["data-kind"], "count": int(a["data-count"]), "size": int(a["data-size"]),
                              "retained": int(a["data-retained"]) if a["data-retained"] else None})
        elif tag == "div" and "suspect" in cls and "kind-suspect" not in cls:
            self.suspects.append({"address": a["data-address"], "accumulation": a["data-accumulation"],
                                  "retained": int(a["data-retained"]), "kind": a["data-kind"], "accumulated": []})
        elif tag == "tr" and "accumulated" in cls:
            self.suspects[-1]["accumulated"].append({"kind": a["data-kind"], "count": int(a["data-count"]),
                                                     "size": int(a["data-size"])})
        elif tag == "tr" and "growth-row" in cls:
            self.growth.append({"kind": a["data-kind"], "bytes": int(a["data-bytes"])})
        elif tag == "div" and a.get("data-role") in ("path", "accumulation-path"):
            self.text_of = (self.suspects[-1], a["data-role"])
            self.suspects[-1][a["data-role"]] = ""

    def handle_data(self, data):
        if self.text_of:
            where, key = self.text_of
            if key is None:
                where[-1] += data
            else:
                where[key] += data

    def handle_endtag(self, tag):
        if tag == "div":
            self.text_of = None


def chromium(page, workdir, *mode):
    """Runs headless chromium on page in a network namespace of its own;
    returns (stdout, stderr)."""
    cmd = ["unshare", "-n", shutil.which("chromium") or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions", "--disable-background-networking",
           "--user-data-dir=" + os.path.join(workdir, "chromium-profile"), "--enable-logging=stderr", "--v=0",
           "--window-size=%d,%d" % WINDOW, "--virtual-time-budget=5000"] + list(mode) + ["file://" + page]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=180)
    if p.returncode != 0:
        raise AssertionError("chromium exited %d: %s" % (p.returncode, p.stderr.decode(errors="replace")[-1500:]))
    return p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def check_page(page, workdir, doc, table, what):
    """Failures of the page against the JSON it was made from."""
    out = []
    text = open(page, encoding="utf-8").read()
    if "http://" in text or "https://" in text:
        out.append("%s: the page names a URL" % what)
    dom_text, log = chromium(page, workdir, "--dump-dom")
    dom = Dom()
    dom.feed(dom_text)
    console = [line for line in log.splitlines() if ":CONSOLE" in line]
    if dom.rendered != "yes" or dom.errors or console:
        out.append("%s: rendered %r, script errors %s, console %s" % (what, dom.rendered, dom.errors, console[:3]))
    if dom.external:
        out.append("%s: the page refers to %s" % (what, dom.external[:3]))
    suspects = doc["suspects"] if "heaps" in doc else doc
    want = [{"address": s["address"], "accumulation": s["accumulation_point"]["address"], "retained": s["retained"],
             "kind": s["kind"], "path": s["path"],
             "accumulated": [{"kind": k["kind"], "count": k["count"], "size": k["size"]}
                             for k in s["accumulated"]["kinds"]]}
            for s in suspects["objects"]]
    got = [{k: v for k, v in s.items() if k != "accumulation-path"} for s in dom.suspects]
    if got != want or not want:
        out.append("%s: suspects in the page %s, in the JSON %s" % (what, got[:2], want[:2]))
    for s, j in zip(dom.suspects, suspects["objects"]):
        if j["accumulation_point"]["depth"] and s.get("accumulation-path") != j["accumulation_point"]["path"]:
            out.append("%s: accumulation path %r, the JSON's %r"
                       % (what, s.get("accumulation-path"), j["accumulation_point"]["path"]))
    if "heaps" in doc:
        want_growth = [{"kind": k["kind"], "bytes": k["bytes_gained"]} for k in doc["growing"]]
        if dom.growth != want_growth or not want_growth:
            out.append("%s: growth in the page %s, in the JSON %s" % (what, dom.growth[:3], want_growth[:3]))
    want_rows = [{"kind": r["kind"], "count": r["count"], "size": r["size"], "retained": r.get("retained")}
                 for r in table["rows"]]
    if dom.rows != want_rows or not want_rows:
        diffs = [(g, w) for g, w in zip(dom.rows, want_rows) if g != w]
        out.append("%s: heap table in the page (%d rows) differs from the partition's JSON (%d rows): %s"
                   % (what, len(dom.rows), len(want_rows), diffs[:3]))
    shot = os.path.join(workdir, os.path.basename(page) + ".png")
    chromium(page, workdir, "--screenshot=" + shot)
    with open(shot, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or struct.unpack(">II", head[16:24]) != WINDOW:
        out.append("%s: the screenshot is no %dx%d PNG" % (what, WINDOW[0], WINDOW[1]))
    return out


def check_dot(args, what):
    """dot -Tsvg renders the DOT the scanner writes for args."""
    graph = harness.run_scanner(args + ["--format", "dot"]).stdout
    p = subprocess.run(["dot", "-Tsvg"], input=graph, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if p.returncode != 0 or b"<svg" not in p.stdout or p.stderr.strip():
        return ["%s: dot -Tsvg exited %d: %s" % (what, p.returncode, p.stderr.decode(errors="replace")[:500])], graph
    return [], graph


def check(interp):
    target = harness.Target(interp, fixture="leak_fixture.py")
    snaps = [os.path.join(target.workdir, "heap%d.snap" % k) for k in (1, 2, 3)]
    cells = ["-", "-", "-"]

    def body():
        failures = []
        truth = test_suspects.take_series(target, snaps)
        last = ["--load", snaps[2]]
        table = json.loads(harness.run_scanner(last + ["--retained", "--top", "50", "--format", "json"]).stdout)
        single = json.loads(harness.run_scanner(["suspects"] + last + ["--format", "json"]).stdout)
        series = json.loads(harness.run_scanner(["suspects"] + snaps + ["--format", "json"]).stdout)
        pages = {"one heap": (["suspects"] + last, single), "series": (["suspects"] + snaps, series)}
        for what, (args, doc) in pages.items():
            page = os.path.join(target.workdir, what.replace(" ", "_") + ".html")
            harness.run_scanner(args + ["--format", "html", "-o", page])
            failures += check_page(page, target.workdir, doc, table, what)
        cells[0] = "%d rows, %d suspects" % (len(table["rows"]), len(single["objects"]))
        acc = "%#x" % truth["accumulation"]
        found, graph = check_dot(["suspects"] + last, "suspects")
        failures += found
        if ("o%x" % truth["accumulation"]).encode() not in graph or ("o%x" % truth["registry"]).encode() not in graph:
            failures.append("the suspects' graph lacks the registry or its accumulation point")
        failures += check_dot(["paths"] + last + [acc], "paths")[0]
        failures += check_dot(["top"] + last + ["-n", "3", "--depth", "2"], "top")[0]
        cells[1] = "3 graphs"
        return failures

    return test_suspects.checked(target, body, cells)


def main():
    for tool in ("chromium", "dot", "unshare"):
        if not shutil.which(tool):
            harness.fatal("%s not found (tools/install-deps.sh installs chromium and graphviz)" % tool)
    harness.per_interpreter("The HTML report in headless chromium and the DOT graphs in Graphviz",
                            ["page read back", "dot renders", "all checks"], MINORS, check)


main()
