"""Reachability from heapy's roots, and the unreachable split: the fixture's
cycles dropped with the collector off land in --set garbage (50 GarbageNode),
the objects it keeps alive with a bare Py_IncRef land in --set held (7 Leaked
and their lists), none of them is reachable, and every Node (referenced from
the fixture's module) is.  With --freethreaded after the minors: on the
fleet's free-threaded builds instead (extras; those lacking are named as not
tested), where the counts are local plus shared."""
import json
import sys

import harness

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11"]
FREETHREADED = "--freethreaded" in sys.argv[2:]


def kinds(pid, which):
    p = harness.run_scanner(["-p", str(pid), "--set", which, "--by", "type", "--format", "json"])
    return {r["kind"]: r["count"] for r in json.loads(p.stdout)["rows"]}


def check(interp):
    failures = []
    target = harness.Target(interp, fixture="reach_fixture.py")
    try:
        reachable = kinds(target.pid, "reachable")
        garbage = kinds(target.pid, "garbage")
        held = kinds(target.pid, "held")
    except Exception as e:
        target.kill()
        return ["scan failed: %s" % e], ("-", "-", "-")
    alive = target.finish()
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
    if reachable.get("__main__.Node") != types["__main__.Node"]:
        failures.append("%s Node reachable of %d" % (reachable.get("__main__.Node"), types["__main__.Node"]))
    if not alive:
        failures.append("target did not run on")
    return failures, ("%s" % garbage.get("__main__.GarbageNode"), "%s" % held.get("__main__.Leaked"),
                      "%s/%d" % (reachable.get("__main__.Node"), types["__main__.Node"]))


def main():
    harness.per_interpreter("reachability and the unreachable split",
                            ["garbage GarbageNode", "held Leaked", "reachable Node"],
                            MINORS, check, freethreaded=FREETHREADED)


main()
