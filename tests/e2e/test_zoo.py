"""The zoo: every C type of every fleet interpreter, object by object.

fixtures/zoo_fixture.py enumerates the types the target build defines in C
(builtins, every extension module it ships, every static type), makes
instances of them in their several states, and measures the truth of its
whole heap.  For every object of the target's closure whose type is one of
those, by address:
- the scanner (--set all) has it;
- its size equals sys.getsizeof;
- its referents include gc.get_referents(obj).
A type is modelled when all its objects pass; flagged when the scanner says
it could not model a size (s) or referents (r) of one of them — allowed only
for the types tests/e2e/zoo_expectations.py lists as unreadable, or (apart)
as not modelled yet, with the reason; wrong (a failure) when an object fails where no flag says so.  A
type with no instance must be listed in NO_INSTANCE.  An entry of either
list that no interpreter needed any more is a failure too: the lists only
shrink.

And the hand-written tables are checked against the code they describe:
--format types reads the traverse function of every type a fixed-field
table models, in this target's memory (stripped builds too), and a table
whose fields differ from what the code visits is a failure."""
import sys
from collections import defaultdict

import harness
import zoo_expectations

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11"]
# --freethreaded: the free-threaded builds of those minors (extras) instead.
FREE_THREADED = "--freethreaded" in sys.argv[2:]


def scan(pid):
    """address -> (size, flags, generation, type name), and address -> referents, of --set all."""
    p = harness.run_scanner(["-p", str(pid), "--set", "all", "--format", "objects"])
    objects = {}
    # A name that is not UTF-8 is the scanner's misreading: kept, visible.
    for line in p.stdout.decode(errors="backslashreplace").splitlines():
        a, s, gen, name, flags = line.split("\t")
        objects[int(a, 16)] = (int(s), flags, gen, name)
    p2 = harness.run_scanner(["-p", str(pid), "--set", "all", "--format", "referents"])
    for q in (p, p2):  # a sanitizer build reports on stderr and may go on
        err = q.stderr.decode(errors="replace")
        if "runtime error" in err or "Sanitizer" in err:
            raise AssertionError("sanitizer report: " + err[-1500:])
    p = p2
    referents = {}
    for line in p.stdout.decode().splitlines():
        words = line.split()
        referents[int(words[0], 16)] = {int(w, 16) for w in words[1:]}
    return objects, referents


def table_checks(pid):
    """--format types' table_check column: kind -> [(type name, what its code visits)]."""
    p = harness.run_scanner(["-p", str(pid), "--set", "all", "--format", "types"])
    checks = {"agrees": [], "differs": [], "unread": []}
    for line in p.stdout.decode(errors="backslashreplace").splitlines()[1:]:
        words = line.split("\t")
        if words[9] in checks:
            checks[words[9]].append((words[1], words[8]))
    return checks


def truth_of(target):
    """The C types (address -> name), every object's type and size, and the
    referents of every object."""
    ctypes = {}
    for row in target.truth.get("C", []):
        a, name = row.split(" ", 1)
        ctypes[int(a, 16)] = name
    objects = {}
    for row in target.truth["objects"] + target.truth["reached"]:
        a, t, s = row.split()
        objects[int(a, 16)] = (int(t, 16), int(s))
    referents = {}
    for row in target.truth["referents"]:
        words = row.split()
        referents[int(words[0], 16)] = {int(w, 16) for w in words[1:]}
    return ctypes, objects, referents


def behind_opaque(truth, truth_refs, objects):
    """The objects the scanner lacks only because they hang from objects
    whose referents it says it could not read (flag r): those it warned
    about."""
    hidden = set()
    stack = [r for a, (_size, flags, _g, _n) in objects.items() if "r" in flags
             for r in truth_refs.get(a, ())]
    while stack:
        r = stack.pop()
        if r in hidden or r in objects or r not in truth:
            continue
        hidden.add(r)
        stack.extend(truth_refs.get(r, ()))
    return hidden


def judge(ctypes, truth, truth_refs, objects, referents):
    """Per type name: its objects' problems, split by whether a flag owns
    them.  Returns (instances per type, wrong, flagged) keyed by name, and
    the number of objects missing only behind flagged ones."""
    hidden = behind_opaque(truth, truth_refs, objects)
    count = defaultdict(int)
    wrong = defaultdict(list)    # name -> ["0x... size 48 != 56", ...]
    flagged = defaultdict(set)   # name -> {"s", "r"}
    for a, (t, size) in truth.items():
        name = ctypes.get(t)
        if name is None:
            continue
        count[name] += 1
        if a not in objects:
            if a not in hidden:
                wrong[name].append("0x%x missing from --set all" % a)
            continue
        got, flags = objects[a][:2]
        if "s" in flags:
            flagged[name].add("size")
        if "r" in flags:
            flagged[name].add("referents")
        if size >= 0 and got != size and "s" not in flags:
            wrong[name].append("0x%x size %d != %d" % (a, got, size))
        lost = truth_refs.get(a, set()) - referents.get(a, set())
        if lost and "r" not in flags:
            wrong[name].append("0x%x lacks %d referents (%s)" % (
                a, len(lost), ", ".join(sorted(ctypes.get(truth[r][0], "?") if r in truth else "?"
                                               for r in lost)[:4])))
    return count, wrong, flagged, len(hidden)


def check(interp, needed):
    try:
        target = harness.Target(interp, "zoo_fixture.py", companions=("heap_fixture.py",), timeout=300)
    except SystemExit:
        raise
    except Exception as e:
        return ["fixture did not start: %s" % e], ["-"] * 6
    try:
        objects, referents = scan(target.pid)
        checks = table_checks(target.pid)
    except Exception as e:
        target.kill()
        return ["scan failed: %s" % e], ["-"] * 6
    alive = target.finish()
    ctypes, truth, truth_refs = truth_of(target)
    count, wrong, flagged, hidden = judge(ctypes, truth, truth_refs, objects, referents)
    names = set(ctypes.values())
    made = {n for n in names if count[n]}
    failures = ["%s: its table differs from its traverse function's code, which visits %s" % (n, visits)
                for n, visits in checks["differs"]]
    for n in sorted(wrong):
        failures.append("%s wrong (not flagged): %s" % (n, harness.first_differences(wrong[n], 3)))
    for n in sorted(flagged):
        if n in zoo_expectations.UNREADABLE:
            needed["unreadable"].add(n)
        elif n in zoo_expectations.NOT_YET_MODELLED:
            needed["not_yet_modelled"].add(n)

        else:
            failures.append("%s flagged (%s) and not listed as unreadable" % (n, "+".join(sorted(flagged[n]))))
    absent = sorted(names - made)
    for n in absent:
        if n in zoo_expectations.NO_INSTANCE:
            needed["no_instance"].add(n)
        else:
            failures.append("%s has no instance and is not listed in NO_INSTANCE" % n)
    modelled = made - set(wrong) - set(flagged)
    # Nor may the scanner find objects the target's closure does not have
    # (a field read where the type holds none); the permanent generation's
    # are not in gc.get_objects().
    permanent = {a for a, v in objects.items() if v[2] == "p"}
    seen = set().union(*(referents.get(a, set()) for a in permanent)) if permanent else set()
    # The fixture's list holding the measured objects until the scan.
    held = {int(k.split()[1], 16) for k in target.truth.get("K", [])}
    extra = [a for a in objects if a not in truth and a not in permanent and a not in seen
             and a not in held]
    if extra:
        kinds = defaultdict(int)
        for a in extra:
            kinds[objects[a][3]] += 1
        holders = defaultdict(int)
        extra_set = set(extra)
        for a, refs in referents.items():
            if refs & extra_set:
                holders[objects[a][3] if a in objects else "?"] += 1
        failures.append("%d objects the target's closure does not have: %s (held by %s)" % (
            len(extra), ", ".join("%s x%d" % kv for kv in sorted(kinds.items(), key=lambda kv: -kv[1])[:8]),
            ", ".join("%s x%d" % kv for kv in sorted(holders.items(), key=lambda kv: -kv[1])[:8])))
    print("%s: %d C types, %d made (%d objects, %d of them out of --set all behind flagged ones), "
          "%d modelled, %d flagged: %s" % (
        interp.id, len(names), len(made), sum(count.values()), hidden, len(modelled), len(flagged),
        ", ".join("%s (%s)" % (n, "+".join(sorted(flagged[n]))) for n in sorted(flagged)) or "none"),
        flush=True)
    print("%s: fixed-field tables against their traverse's code: %d agree, %d differ, %d not readable" % (
        interp.id, len(checks["agrees"]), len(checks["differs"]), len(checks["unread"])), flush=True)
    if absent:
        print("%s: no instance: %s" % (interp.id, ", ".join(absent)), flush=True)
    skipped = target.truth.get("S", [])
    if skipped:
        print("%s: modules not imported: %s" % (interp.id, "; ".join(skipped)), flush=True)
    if not alive:
        failures.append("target did not run on after the scan")
    return failures, [len(names), len(made), sum(count.values()), len(modelled), len(flagged),
                      len(wrong)]


def main():
    results = harness.Results("zoo: every C type, per object, against sys.getsizeof and gc.get_referents",
                              ["C types", "made", "objects", "modelled", "flagged", "wrong"])
    needed = {"unreadable": set(), "not_yet_modelled": set(), "no_instance": set()}
    interps = harness.select(lambda i: i.minor in MINORS, extra=FREE_THREADED, freethreaded=FREE_THREADED)
    for interp in interps:
        failures, cells = check(interp, needed)
        results.add(interp, cells, failures)
    # The lists only shrink: an entry no interpreter needed is stale (judged
    # only on a run over the whole fleet's minors), one more row.
    if FREE_THREADED:
        results.not_tested += ["%s (not in this machine's fleet)" % v
                               for v in harness.extra_not_tested(MINORS, freethreaded=True)]
    elif set(MINORS) >= {"3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"}:
        stale = []
        for kind, listed in (("unreadable", zoo_expectations.UNREADABLE),
                             ("not_yet_modelled", zoo_expectations.NOT_YET_MODELLED),
                             ("no_instance", zoo_expectations.NO_INSTANCE)):
            stale += ["%s is listed in %s but no interpreter needs it" % (n, kind.upper())
                      for n in sorted(set(listed) - needed[kind])]
        lists = harness.Interpreter(["-", "lists", "-", "-", "-", "stale list entries"])
        results.add(lists, [len(zoo_expectations.UNREADABLE), "-", "-", "-",
                            len(zoo_expectations.NOT_YET_MODELLED), len(stale)], stale)
    sys.exit(results.report())


if __name__ == "__main__":
    main()
