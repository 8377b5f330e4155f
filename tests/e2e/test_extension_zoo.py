"""The extension zoo: third-party types from Debian's python3-* packages,
object by object, on every fleet interpreter whose archive has them.

fixtures/extension_zoo_fixture.py imports a set of libraries (Cython 0.29
and 3.x, pybind11, PyO3, cffi, plain C), makes their objects in their
several states and measures the truth of its whole heap.  By address:
- every object of the target's closure is in --set all, but those hanging
  only below objects the scanner flags (their referents unread);
- the size of every object of a judged type (a C type no standard module
  makes) equals sys.getsizeof, or is flagged;
- its referents equal gc.get_referents (plus a dict's keys), or are
  flagged: not a referent fewer, not one more.
A flag is allowed only for the types extension_expectations.py lists, with
the reason; a listed type no interpreter needed is a failure (the list
only shrinks).  The table gives, per interpreter, the libraries imported,
the judged types, how the scanner modelled them (--format types: from
their traverse's code, by a table, nothing to visit) and the flagged ones.

A library that does not import is a failure unless its package is not in
that interpreter's archive today (provision.sh's state/<where>.extension
says "absent"); a maker that fails is one always."""
import os
import sys
from collections import defaultdict

import extension_expectations
import harness
import test_zoo

sys.path.insert(0, harness.FIXTURES)
import extension_zoo_fixture  # noqa: E402  (its LIBRARIES: module, package, binding)

# The Debian interpreters whose archive carries the libraries.
MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11", "3.13", "3.14"]


def scan_types(pid):
    """type address -> (how its traverse is modelled, reason), from --format types."""
    p = harness.run_scanner(["-p", str(pid), "--set", "all", "--format", "types"])
    types = {}
    for line in p.stdout.decode(errors="backslashreplace").splitlines()[1:]:
        words = line.split("\t")
        types[int(words[0], 16)] = (words[3], words[5])
    return types


def package_states(interp):
    """package -> "installed VERSION" | "absent" | "failed", as provision.sh
    left them for the interpreter's root (the host's or a suite's)."""
    where = "host" if interp.root in ("", "/") else os.path.basename(interp.root.rstrip("/"))
    states = {}
    try:
        with open(os.path.join(harness.FLEET_DIR, "state", where + ".extension")) as f:
            for line in f:
                package, _, state = line.strip().partition(" ")
                states[package] = state
    except OSError:
        pass
    return states


def check(interp, needed):
    try:
        target = harness.Target(interp, "extension_zoo_fixture.py",
                                companions=("heap_fixture.py", "zoo_fixture.py"), timeout=300)
    except SystemExit:
        raise
    except Exception as e:
        return ["fixture did not start: %s" % e], ["-"] * 8
    try:
        objects, referents = test_zoo.scan(target.pid)
        models = scan_types(target.pid)
    except Exception as e:
        target.kill()
        return ["scan failed: %s" % e], ["-"] * 8
    alive = target.finish()
    ctypes, truth, truth_refs = test_zoo.truth_of(target)
    failures = []
    libraries = target.truth.get("L", [])
    packages = {name: package for name, package, _binding in extension_zoo_fixture.LIBRARIES}
    states = package_states(interp)
    absent = []
    for row in target.truth.get("S", []):
        name = row.split(" ", 1)[0]
        state = states.get(packages.get(name), "not provisioned (run fixtures/fleet/provision.sh)")
        if state == "absent":
            absent.append("%s (%s)" % (name, packages[name]))
        else:
            failures.append("%s, whose package is %s: %s" % (name, state, row))
    for row in target.truth.get("M", []):
        failures.append(row)
    count, wrong, flagged, hidden = test_zoo.judge(ctypes, truth, truth_refs, objects, referents)
    # Not one referent more than gc.get_referents either.
    for a, (t, _size) in truth.items():
        name = ctypes.get(t)
        if name is None or a not in objects or "r" in objects[a][1]:
            continue
        extra = referents.get(a, set()) - truth_refs.get(a, set())
        if extra:
            wrong[name].append("0x%x has %d referents gc.get_referents does not give" % (a, len(extra)))
    # Every object of the closure, whatever its type.
    lost = [a for a in truth if a not in objects]
    hidden_set = test_zoo.behind_opaque(truth, truth_refs, objects)
    unexplained = [a for a in lost if a not in hidden_set]
    if unexplained:
        failures.append("%d objects of the closure missing from --set all and not behind a flagged one: %s" % (
            len(unexplained), ", ".join("0x%x" % a for a in unexplained[:5])))
    for n in sorted(wrong):
        failures.append("%s wrong (not flagged): %s" % (n, harness.first_differences(wrong[n], 3)))
    for n in sorted(flagged):
        if n in extension_expectations.UNREADABLE or n in extension_expectations.NOT_YET_MODELLED:
            needed.add(n)
        else:
            failures.append("%s flagged (%s) and not listed as unreadable" % (n, "+".join(sorted(flagged[n]))))
    how = defaultdict(set)
    for a, name in ctypes.items():
        if count[name] and a in models:
            how[models[a][0]].add(name)
    made = {n for n in ctypes.values() if count[n]}
    print("%s: %d libraries, %d judged types with objects (%d objects, %d behind flagged ones); "
          "traverse from code %d, by table %d, none %d; flagged: %s" % (
              interp.id, len(libraries), len(made), sum(count.values()), hidden,
              len(how["code"]), len(how["table"]), len(how["none"]),
              ", ".join("%s (%s)" % (n, "+".join(sorted(flagged[n]))) for n in sorted(flagged)) or "none"),
          flush=True)
    if absent:
        print("%s: not in this archive today: %s" % (interp.id, ", ".join(absent)), flush=True)
    for a, name in sorted(ctypes.items(), key=lambda kv: kv[1]):
        if count[name] and a in models and models[a][0] == "flagged":
            print("  %s: %s" % (name, models[a][1]), flush=True)
    if not alive:
        failures.append("target did not run on after the scan")
    return failures, [len(libraries), len(made), sum(count.values()), len(how["code"]), len(how["table"]),
                      len(flagged), len(wrong), len(unexplained)]


def main():
    results = harness.Results("extension zoo: third-party types, per object, against sys.getsizeof and "
                              "gc.get_referents",
                              ["libraries", "types", "objects", "from code", "by table", "flagged", "wrong",
                               "missing"])
    needed = set()
    interps = harness.select(lambda i: i.minor in MINORS and i.id in extension_expectations.INTERPRETERS)
    for interp in interps:
        failures, cells = check(interp, needed)
        results.add(interp, cells, failures)
    # An interpreter of the list the fleet lacks: provisioning failed.
    for name in sorted(extension_expectations.INTERPRETERS - {i.id for i in interps}):
        if name.split("-")[1] in MINORS:
            results.add(harness.Interpreter(["-", "-", "/", "-", "-", name]), ["-"] * 8,
                        ["%s is not in the fleet (fixtures/fleet/provision.sh)" % name])
    if set(MINORS) >= {"3.11", "3.13", "3.14"}:
        listed = set(extension_expectations.UNREADABLE) | set(extension_expectations.NOT_YET_MODELLED)
        stale = ["%s is listed in extension_expectations.py but no interpreter needs it" % n
                 for n in sorted(listed - needed)]
        lists = harness.Interpreter(["-", "lists", "-", "-", "-", "stale list entries"])
        results.add(lists, ["-"] * 5 + [len(listed), "-", len(stale)], stale)
    sys.exit(results.report())


if __name__ == "__main__":
    main()
