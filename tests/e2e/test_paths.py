"""Paths from heapy's roots (fixtures/whyalive_fixture.py): markers held in
known ways (a module global, a class attribute, a closure cell, a list in a
dict in an instance, a frame's local, another thread's local); for each the
scanner's shortest paths (`paths ADDR`) are exactly the one the fixture
wrote, as heapy writes it; a marker in cyclic garbage that only a weakref
refers to is said to be reachable only through a weak reference; the merged
paths of the markers' kind fold exactly those paths into one tree with
counts; and a snapshot saved at the stop answers the same offline."""
import json
import os
import sys

import harness

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11"]


def merged_paths(tree):
    """The path string of every member node of a merged-paths tree."""
    by_id = {n["node"]: n for n in tree}
    out = []
    for n in tree:
        if not n["member"]:
            continue
        parts, k = [], n["node"]
        while k in by_id:
            parts.append(by_id[k]["relation"])
            k = by_id[k]["parent"]
        out.append("".join(reversed(parts)))
    return sorted(out)


def check(interp):
    target = harness.Target(interp, fixture="whyalive_fixture.py")
    markers = [line.split(" ", 2) for line in target.truth["path"]]
    weak = target.truth["weak"][0]
    failures = []
    right = 0
    live = ["-p", str(target.pid)]
    snap = os.path.join(target.workdir, "heap.snap")
    weak_said = False
    try:
        answers = {}
        for name, addr, expected in markers:
            doc = json.loads(harness.run_scanner(["paths"] + live + [addr, "--format", "json"]).stdout)
            answers[addr] = doc
            if doc["paths"] == [expected] and doc["reachable"]:
                right += 1
            else:
                failures.append("%s at %s: paths %r, want exactly [%r]" % (name, addr, doc["paths"], expected))
        doc = json.loads(harness.run_scanner(["paths"] + live + [weak, "--format", "json"]).stdout)
        text = harness.run_scanner(["paths"] + live + [weak]).stdout.decode()
        weak_said = (not doc["reachable"] and doc["paths"] == [] and doc["weakly_referenced_by"] not in (None, "unknown")
                     and "reachable only through a weak reference" in text)
        if not weak_said:
            failures.append("the weakly held marker at %s: %r / %r" % (weak, doc, text))
        # The kind's merged paths: the reachable markers' paths, folded.
        doc = json.loads(harness.run_scanner(["paths"] + live + ["--where", "__main__.Marker",
                                                                 "--format", "json"]).stdout)
        want = sorted(expected for _, _, expected in markers)
        got = merged_paths(doc["tree"])
        roots = sum(n["count"] for n in doc["tree"] if n["parent"] == 0)
        if got != want or doc["members"] != len(markers) or roots != len(markers):
            failures.append("merged paths of __main__.Marker: %d members, %d through roots, paths %s; want %s"
                            % (doc["members"], roots, got, want))
        # Offline: the snapshot gives the same answers.
        harness.run_scanner(live + ["--save", snap, "--top", "1"])
        for name, addr, expected in markers:
            doc = json.loads(harness.run_scanner(["paths", "--load", snap, addr, "--format", "json"]).stdout)
            if doc["paths"] != [expected]:
                failures.append("%s from the snapshot: %r" % (name, doc["paths"]))
        doc = json.loads(harness.run_scanner(["paths", "--load", snap, weak, "--format", "json"]).stdout)
        if doc["weakly_referenced_by"] in (None, "unknown"):
            failures.append("the snapshot does not tell the weakly held marker: %r" % doc)
    except Exception as e:
        target.kill()
        return ["scan failed: %s" % e], ("-", "-", "-")
    if not target.finish():
        failures.append("target did not run on")
    return failures, ("%d/%d" % (right, len(markers)), "yes" if weak_said else "no",
                      "yes" if not failures else "no")


def main():
    harness.per_interpreter("Shortest paths from the roots to markers held in known ways",
                            ["paths exact", "weakref said", "all checks"], MINORS, check)


main()
