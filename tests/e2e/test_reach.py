"""Reachability from heapy's roots, and the unreachable split: the fixture's
cycles dropped with the collector off land in --set garbage (50 GarbageNode),
the objects it keeps alive with a bare Py_IncRef land in --set held (7 Leaked
and their lists), none of them is reachable, and every Node (referenced from
the fixture's module) is, and so is the DeepMarker that only the oldest of
a thread's 6000 frames holds.  With --freethreaded after the minors: on the
fleet's free-threaded builds instead (extras; those lacking are named as not
tested), where the counts are the collector's (local plus shared, less a
deferred object's bias, plus 3.14t's per-thread counts); the fixture then
also drops cycles of classes, instances and functions (one made by a thread
that exited), and the gc-tracked part of --set garbage must hold every
object the target's own collector then finds (gc.collect() with
DEBUG_SAVEALL, after the scan), and nothing else but tuples (the collector
untracks a tuple of untracked items instead of listing it)."""
import json
import sys

import harness

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11"]
FREETHREADED = "--freethreaded" in sys.argv[2:]


def kinds(pid, which):
    p = harness.run_scanner(["-p", str(pid), "--set", which, "--by", "type", "--format", "json"])
    return {r["kind"]: r["count"] for r in json.loads(p.stdout)["rows"]}


def objects(pid, which):
    """address -> type name of the scanner's set which."""
    p = harness.run_scanner(["-p", str(pid), "--set", which, "--format", "objects"])
    return {int(w[0], 16): w[3] for w in (line.split("\t") for line in p.stdout.decode().splitlines())}


def check_collected(gc_set, garbage, collected):
    """Failures of the scanner's gc-tracked garbage against the collector's."""
    if collected is None:
        return ["the fixture wrote no collected.txt"], "-"
    truth = {int(a, 16) for a in collected.split()}
    found = {a: name for a, name in garbage.items() if a in gc_set}
    missing = sorted(truth - set(found))
    extra = sorted(a for a in set(found) - truth if found[a] != "tuple")
    failures = []
    if missing:
        failures.append("%d objects the collector found are not in --set garbage: %s" % (
            len(missing), harness.first_differences(["0x%x" % a for a in missing])))
    if extra:
        failures.append("%d objects of --set garbage the collector did not find: %s" % (
            len(extra), harness.first_differences(["0x%x %s" % (a, found[a]) for a in extra])))
    return failures, harness.ratio(len(truth) - len(missing), len(truth))


def check(interp):
    failures = []
    target = harness.Target(interp, fixture="reach_fixture.py",
                            args=["--collected"] if FREETHREADED else [])
    try:
        reachable = kinds(target.pid, "reachable")
        garbage = kinds(target.pid, "garbage")
        held = kinds(target.pid, "held")
        if FREETHREADED:
            gc_set = objects(target.pid, "gc")
            garbage_objects = objects(target.pid, "garbage")
    except Exception as e:
        target.kill()
        return ["scan failed: %s" % e], ("-",) * (5 if FREETHREADED else 4)
    alive, collected = target.finish_reading("collected.txt")
    types = {"__main__.Node": target.truth["nodes"]}
    if garbage.get("__main__.GarbageNode") != 50 or held.get("__main__.GarbageNode"):
        failures.append("GarbageNode: %s in garbage, %s held (want 50, 0)"
                        % (garbage.get("__main__.GarbageNode"), held.get("__main__.GarbageNode")))
    if held.get("__main__.Leaked") != 7 or garbage.get("__main__.Leaked"):
        failures.append("Leaked: %s held, %s in garbage (want 7, 0)"
                        % (held.get("__main__.Leaked"), garbage.get("__main__.Leaked")))
    for name in ("__main__.GarbageNode", "__main__.Leaked"):
        if reachable.get(name):
            failures.append("%d %s reachable" % (reachable[name], name))
    deep = [(which, sets.get("__main__.DeepMarker")) for which, sets in
            (("reachable", reachable), ("garbage", garbage), ("held", held))]
    if deep != [("reachable", 1), ("garbage", None), ("held", None)]:
        failures.append("the DeepMarker %d frames down: %s (want 1 reachable)" % (target.truth["deep"], deep))
    if reachable.get("__main__.Node") != types["__main__.Node"]:
        failures.append("%s Node reachable of %d" % (reachable.get("__main__.Node"), types["__main__.Node"]))
    if not alive:
        failures.append("target did not run on")
    cells = ("%s" % garbage.get("__main__.GarbageNode"), "%s" % held.get("__main__.Leaked"),
             "%s/%d" % (reachable.get("__main__.Node"), types["__main__.Node"]),
             "reachable" if deep[0][1] == 1 else "held" if deep[2][1] else "-")
    if FREETHREADED:
        collected_failures, cell = check_collected(gc_set, garbage_objects, collected)
        failures += collected_failures
        cells += (cell,)
    return failures, cells


def main():
    harness.per_interpreter("reachability and the unreachable split",
                            ["garbage GarbageNode", "held Leaked", "reachable Node", "DeepMarker"]
                            + (["collector's garbage"] if FREETHREADED else []),
                            MINORS, check, freethreaded=FREETHREADED)


main()
