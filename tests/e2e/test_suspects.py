"""Leak suspects (fixtures/leak_fixture.py): a module-level registry whose
sessions dict gains lists of bytes that are never removed, among a steady
heap of small module-level tables.  In one scan (live, and a snapshot of the
same stop) the first suspect `suspects` names is the registry, by address,
its accumulation point is the sessions dict, by address, with exactly the
retained size the fixture sums with sys.getsizeof, and its path from a root
names REGISTRY; a threshold above the registry's share names no such
suspect.  From a series of three snapshots taken as the registry grows
(`--load A --load B --load C`, and the sources named as diff names them),
the kind that gained most bytes at every step hangs from the sessions dict,
as do the new lists; the last heap's suspect is again the registry with
that accumulation point; and `-o` writes the same document.

Below a Cython object (the Debian interpreters the extension zoo runs on):
the registry is an object of a cdef class (a frozenlist.FrozenList, or a
cytoolz.curry where frozenlist's extension does not load) whose lists
accumulate in a list its cdef field holds: `suspects` names it first, that
list as its accumulation point with the retained size the fixture sums,
and a path through its field ("['REGISTRY']->field+32": a cdef field has
no name in memory)."""
import json
import os
import sys

import harness

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11"]


def check_suspect(doc, truth, what, holder="['REGISTRY']", key_kind="bytes"):
    """Failures of a `suspects` document against the fixture's truth."""
    registry, acc = truth["registry"], truth["accumulation"]
    if not doc["objects"]:
        return ["%s: no suspect named" % what]
    first = doc["objects"][0]
    out = []
    if int(first["address"], 16) != registry:
        out.append("%s: first suspect %s %s, the registry is %#x" % (what, first["address"], first["kind"], registry))
    point = first["accumulation_point"]
    if int(point["address"], 16) != acc:
        out.append("%s: accumulation point %s %s, the sessions dict is %#x"
                   % (what, point["address"], point["kind"], acc))
    if point["retained"] != truth["acc_retained"]:
        out.append("%s: accumulation point retains %d, the fixture sums %d"
                   % (what, point["retained"], truth["acc_retained"]))
    if not first["path"].endswith(holder) or not point["path"].startswith(first["path"]):
        out.append("%s: paths %r, %r" % (what, first["path"], point["path"]))
    kinds = {k["kind"]: k["count"] for k in first["accumulated"]["kinds"]}
    if kinds.get("list", 0) < truth["entries"] or kinds.get(key_kind, 0) < 8 * truth["entries"]:
        out.append("%s: accumulated kinds %s" % (what, kinds))
    return out


def check_growth(doc, truth, what):
    acc = truth["accumulation"]
    out = []
    if doc["heaps"] != 3 or not doc["growing"]:
        return ["%s: %d heaps, growing kinds %s" % (what, doc["heaps"], doc["growing"])]
    top = doc["growing"][0]
    if not top["holder"] or int(top["holder"]["address"], 16) != acc:
        out.append("%s: the kind that grew most (%s) is held through %s, not the sessions dict %#x"
                   % (what, top["kind"], top["holder"], acc))
    lists = [k for k in doc["growing"] if k["kind"] == "list"]
    if not lists:
        out.append("%s: lists do not grow at every step: %s" % (what, [k["kind"] for k in doc["growing"]]))
    else:
        k = lists[0]
        if min(k["count_growth"]) < 1 or not k["holder"] or int(k["holder"]["address"], 16) != acc:
            out.append("%s: lists grew by %s, held through %s" % (what, k["count_growth"], k["holder"]))
    sizes = [k["bytes_gained"] for k in doc["growing"]]
    if sizes != sorted(sizes, reverse=True):
        out.append("%s: growing kinds not ranked by bytes gained: %s" % (what, sizes))
    return out + check_suspect(doc["suspects"], truth, what + ", last heap")


def take_series(target, snaps, grow_first=False):
    """Saves the target's heap into each of snaps, letting it grow between
    them (and before the first with grow_first); returns the truth measured
    at the last one."""
    truth = target.truth
    for k, snap in enumerate(snaps):
        if k or grow_first:
            truth = target.grow()
        harness.run_scanner(["-p", str(target.pid), "--save", snap, "--top", "1"])
    return truth


def checked(target, body, cells):
    """Runs body() -> failures on the target: killed when body raises, else
    let go and required to run on; returns (failures, cells), the last
    cell saying whether every check passed."""
    try:
        failures = body()
    except Exception as e:
        target.kill()
        return ["failed: %s" % e], cells
    if not target.finish():
        failures.append("target did not run on")
    cells[-1] = "yes" if not failures else "no"
    return failures, cells


def check(interp):
    target = harness.Target(interp, fixture="leak_fixture.py")
    live = ["-p", str(target.pid)]
    snaps = [os.path.join(target.workdir, "heap%d.snap" % k) for k in (1, 2, 3)]
    cells = ["-", "-", "-"]

    def body():
        failures = []
        truth = target.truth
        doc = json.loads(harness.run_scanner(["suspects"] + live + ["--format", "json"]).stdout)
        failures += check_suspect(doc, truth, "live")
        cells[0] = "%.1f%%" % doc["objects"][0]["percent"] if doc["objects"] else "none"
        high = json.loads(harness.run_scanner(["suspects"] + live + ["--threshold", "99.9", "--format", "json"]).stdout)
        if any(int(o["address"], 16) == truth["registry"] for o in high["objects"]):
            failures.append("--threshold 99.9 still names the registry")
        harness.run_scanner(live + ["--save", snaps[0], "--top", "1"])
        offline = json.loads(harness.run_scanner(["suspects", "--load", snaps[0], "--format", "json"]).stdout)
        if offline != doc:
            failures.append("the snapshot's suspects differ from the live scan's")
        truth = take_series(target, snaps[1:], grow_first=True)
        series = ["suspects", "--load", snaps[0], "--load", snaps[1], "--load", snaps[2], "--format", "json"]
        grown = json.loads(harness.run_scanner(series).stdout)
        failures += check_growth(grown, truth, "series")
        cells[1] = "%s via %#x" % (grown["growing"][0]["kind"], truth["accumulation"]) if grown["growing"] else "none"
        report = os.path.join(target.workdir, "suspects.json")
        harness.run_scanner(["suspects"] + snaps + ["--format", "json", "-o", report])
        with open(report) as f:
            if json.load(f) != grown:
                failures.append("suspects A B C -o FILE wrote another document than --load A --load B --load C")
        text = harness.run_scanner(["suspects"] + snaps).stdout.decode()
        if ("%#x" % truth["accumulation"]) not in text or ("%#x" % truth["registry"]) not in text:
            failures.append("the text does not name both the registry and its accumulation point")
        return failures

    return checked(target, body, cells)


def check_cython(interp):
    """The leak below a Cython cdef class: one live scan."""
    target = harness.Target(interp, fixture="leak_fixture.py", args=("2000", "--cython"))
    cells = ["-", "-", "-"]

    def body():
        doc = json.loads(harness.run_scanner(["suspects", "-p", str(target.pid), "--format", "json"]).stdout)
        failures = check_suspect(doc, target.truth, "below a Cython object")
        if doc["objects"]:
            first = doc["objects"][0]
            cells[0] = "%.1f%%" % first["percent"]
            cells[1] = "%s -> %s" % (first["kind"], first["accumulation_point"]["kind"])
            kind = target.truth["kind"][0]
            if first["kind"] != kind:
                failures.append("the first suspect is a %s, not the %s" % (first["kind"], kind))
            # through the cdef field, named by its offset (no name is in memory)
            below = first["accumulation_point"]["path"][len(first["path"]):]
            if not below.startswith("->field+"):
                failures.append("the accumulation point hangs below the %s by %r, not its field" % (kind, below))
        return failures

    return checked(target, body, cells)


def main():
    import extension_expectations
    results = harness.Results("Leak suspects of a registry that grows, in one scan and from three snapshots",
                              ["registry's share", "grew most, held via", "all checks"])
    for interp in harness.select(lambda i: i.minor in MINORS):
        failures, cells = check(interp)
        results.add(interp, cells, failures)
    # A registry below a Cython object, where the extension zoo's libraries are.
    for interp in harness.select(lambda i: i.minor in MINORS and i.id in extension_expectations.INTERPRETERS):
        failures, cells = check_cython(interp)
        results.add(harness.Interpreter([interp.version, interp.flavour + ",cython-holder", interp.root,
                                         interp.exe, interp.incdir, interp.id + "/cython"]), cells, failures)
    sys.exit(results.report())


if __name__ == "__main__":
    main()
