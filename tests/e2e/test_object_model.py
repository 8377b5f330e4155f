"""The object model, from memory alone, against the target's own truth:
- the objects the scanner reconstructs (--set all) equal the closure of
  gc.get_objects() under gc.get_referents, plus the keys of every dict;
- their type names equal and their sizes equal sys.getsizeof;
- for every gc-tracked object, the scanner's referents include
  gc.get_referents(obj), by address.
Also on the patch releases built from extra sources (fixtures/fleet/extra.tsv),
which no layout was generated from: they must pass exactly alike."""
import sys
from collections import Counter

import harness

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11"]


def scan_all(pid):
    p = harness.run_scanner(["-p", str(pid), "--set", "all", "--format", "objects"])
    objects = {}
    for line in p.stdout.decode().splitlines():
        a, s, gen, name = line.split("\t")[:4]
        objects[int(a, 16)] = (name, int(s), gen)
    p = harness.run_scanner(["-p", str(pid), "--set", "gc", "--format", "referents"])
    referents = {}
    for line in p.stdout.decode().splitlines():
        words = line.split()
        referents[int(words[0], 16)] = {int(w, 16) for w in words[1:]}
    return objects, referents


def truth_of(target):
    names = target.truth["types"]
    objects = {}
    for row in target.truth["objects"] + target.truth["reached"]:
        a, t, s = row.split()
        objects[int(a, 16)] = (names[t], int(s))
    referents = {}
    for row in target.truth["referents"]:
        words = row.split()
        referents[int(words[0], 16)] = {int(w, 16) for w in words[1:]}
    return objects, referents


def summarize(addrs, table, limit=8):
    kinds = Counter(table[a][0] for a in addrs)
    return ", ".join("%s x%d" % kv for kv in kinds.most_common(limit))


def check(interp):
    failures = []
    try:
        target = harness.Target(interp)
    except Exception as e:
        return ["fixture did not start: %s" % e], ("-", "-", "-")
    try:
        objects, referents = scan_all(target.pid)
    except Exception as e:
        target.kill()
        return ["scan failed: %s" % e], ("-", "-", "-")
    alive = target.finish()
    truth, truth_refs = truth_of(target)
    # gc.get_objects() leaves the permanent generation out; so does the truth.
    permanent = {a for a, v in objects.items() if v[2] == "p"}
    found = {a: v for a, v in objects.items() if a not in permanent}
    missing = set(truth) - set(found)
    extra = set(found) - set(truth) - set().union(*(referents.get(a, set()) for a in permanent))
    common = set(truth) & set(found)
    bad_names = [a for a in common if truth[a][0] != found[a][0]]
    sized = [a for a in common if truth[a][1] >= 0]
    bad_sizes = [a for a in sized if truth[a][1] != found[a][1]]
    bad_refs = [a for a in truth_refs if not truth_refs[a] <= referents.get(a, set())]
    if missing:
        failures.append("%d objects missing: %s" % (len(missing), summarize(missing, truth)))
    if extra:
        failures.append("%d objects not in the truth: %s" % (len(extra), summarize(extra, found)))
    if bad_names:
        failures.append("type names differ: " + harness.first_differences(
            ["0x%x %s != %s" % (a, found[a][0], truth[a][0]) for a in bad_names]))
    if bad_sizes:
        failures.append("sizes differ: %s; e.g. %s" % (summarize(bad_sizes, truth), harness.first_differences(
            ["0x%x %s %d != %d" % (a, truth[a][0], found[a][1], truth[a][1]) for a in bad_sizes], 4)))
    if bad_refs:
        failures.append("referents incomplete for %d gc objects: %s" % (len(bad_refs), summarize(bad_refs, truth)))
    if not alive:
        failures.append("target did not run on after the scan")
    cells = (harness.ratio(len(common), len(truth)),
             harness.ratio(len(sized) - len(bad_sizes), len(sized)),
             harness.ratio(len(truth_refs) - len(bad_refs), len(truth_refs)))
    return failures, cells


def main():
    harness.per_interpreter("object model: scanner (--set all) vs the closure of gc.get_objects()",
                            ["objects matched", "sizes matched", "referents matched"],
                            MINORS, check, extra=True)


main()
