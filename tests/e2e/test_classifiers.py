"""heapy's classifiers on the gc set, against the target's own truth:
unity is one row of everything; size is the histogram of sys.getsizeof;
clodo names the dict of every module "dict of module", gives a Node's dict
to __main__.Node exactly for the Nodes' __dict__ objects the fixture
recorded (those the gc tracks), and classifies the rest as type does."""
import json
import sys
from collections import Counter

import harness

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11"]


def rows(pid, by):
    p = harness.run_scanner(["-p", str(pid), "--set", "gc", "--by", by, "--format", "json"])
    doc = json.loads(p.stdout)
    return {r["kind"]: (r["count"], r["size"]) for r in doc["rows"]}, doc


def check(interp):
    failures = []
    target = harness.Target(interp)
    try:
        unity, _ = rows(target.pid, "unity")
        size, _ = rows(target.pid, "size")
        clodo, doc = rows(target.pid, "clodo")
        bytype, _ = rows(target.pid, "type")
        objects, _ = harness.scan_objects(target.pid)
    except Exception as e:
        target.kill()
        return ["scan failed: %s" % e], ("-",) * 3
    alive = target.finish()
    gc_truth = target.gc_objects()
    truth = list(gc_truth.values())
    # gc.get_objects() leaves out the permanent generation; the gc set has it.
    permanent = [(n, s) for n, s, g in objects.values() if g == "p"]
    truth += permanent
    count, total = len(truth), sum(s for _, s in truth)
    types = Counter(n for n, _ in truth)
    if unity != {"<Anything>": (count, total)}:
        failures.append("unity %s, the truth is %d objects, %d bytes" % (unity, count, total))
    hist = Counter()
    for _, s in truth:
        hist[s] += 1
    expect_size = {"%9d" % s: (n, s * n) for s, n in hist.items()}
    if size != expect_size:
        failures.append("size rows differ from the getsizeof histogram (%d vs %d rows)"
                        % (len(size), len(expect_size)))
    # The Nodes' __dict__ objects the fixture knows of, in the gc set when
    # tracked (a dict holding only atomic values is not).
    node_dicts = {int(r.split()[0], 16) for r in target.truth["node_dicts"]}
    want = sum(1 for d in node_dicts if d in gc_truth)
    got = clodo.get("dict of __main__.Node", (0, 0))[0]
    if got != want:
        failures.append("dict of __main__.Node: %d, expected %d" % (got, want))
    if clodo.get("dict of module", (0, 0))[0] != types["module"]:
        failures.append("dict of module: %s, %d modules" % (clodo.get("dict of module"), types["module"]))
    if "dict of __main__.Slotted" in clodo:
        failures.append("a Slotted instance owns a dict")
    dicts = sum(c for k, (c, _) in clodo.items() if k.startswith("dict of ") or k == "dict (no owner)")
    if dicts != bytype.get("dict", (0, 0))[0]:
        failures.append("clodo's dicts (%d) are not type's dicts (%d)" % (dicts, bytype.get("dict", (0, 0))[0]))
    others = {k: v for k, v in clodo.items() if not (k.startswith("dict of ") or k == "dict (no owner)")}
    if others != {k: v for k, v in bytype.items() if k != "dict"}:
        failures.append("clodo's non-dict rows differ from type's")
    if doc["count"] != count or doc["size"] != total:
        failures.append("clodo covers %d objects, %d bytes; the truth %d, %d"
                        % (doc["count"], doc["size"], count, total))
    if not alive:
        failures.append("target did not run on")
    return failures, ("ok" if not failures else "FAIL", "%d" % got, "%d" % types["module"])


def main():
    harness.per_interpreter("classifiers (gc set) vs the target's truth",
                            ["clodo/size/unity", "dict of Node", "modules"],
                            MINORS, check)


main()
