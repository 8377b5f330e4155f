"""Free-threaded builds (--disable-gil), which keep no gc lists: the scanner
walks mimalloc's heaps instead.  On every free-threaded interpreter of the
fleet (extras: fixtures/fleet/extra.tsv rows "<release>t"), against the
target's own truth at the stop:
- the gc-tracked objects (--set gc) equal gc.get_objects() by address, type
  name and sys.getsizeof (the fixture freezes nothing: 3.13t's
  gc.get_objects() would include frozen objects, 3.14t's leaves them out);
- the objects that allocator threads made, the live ones' and those of a
  thread that exited before the stop (its pages then sit in abandoned
  segments), are all among them;
- the whole set (--set all) equals the closure of gc.get_objects() under
  gc.get_referents plus dict keys, by address, type name and size;
- every gc object's referents include gc.get_referents(obj), by address.
A machine whose fleet has no free-threaded build names it as not tested,
as for every extra."""
import sys

import harness

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.13"]
ALLOCATORS = 3


def scan(pid, which):
    """address -> (type name, size) of the scanner's set which."""
    p = harness.run_scanner(["-p", str(pid), "--set", which, "--format", "objects"])
    out = {}
    for line in p.stdout.decode().splitlines():
        a, s, _, name = line.split("\t")[:4]
        out[int(a, 16)] = (name, int(s))
    return out


def referents(pid):
    """address -> the referents the scanner gives each gc object."""
    p = harness.run_scanner(["-p", str(pid), "--set", "gc", "--format", "referents"])
    return {int(w[0], 16): {int(x, 16) for x in w[1:]}
            for w in (line.split() for line in p.stdout.decode().splitlines())}


def compare(what, found, truth):
    """Failures of found against truth: missing, extra, names, sizes."""
    failures = []
    missing = sorted(set(truth) - set(found))
    extra = sorted(set(found) - set(truth))
    common = set(truth) & set(found)
    names = sorted(a for a in common if truth[a][0] != found[a][0])
    sizes = sorted(a for a in common if truth[a][1] >= 0 and truth[a][1] != found[a][1])
    for label, addrs, table in (("missing", missing, truth), ("not in the truth", extra, found)):
        if addrs:
            failures.append("%s: %d objects %s: %s" % (what, len(addrs), label, harness.first_differences(
                ["0x%x %s" % (a, table[a][0]) for a in addrs])))
    if names:
        failures.append("%s: type names differ: %s" % (what, harness.first_differences(
            ["0x%x %s != %s" % (a, found[a][0], truth[a][0]) for a in names])))
    if sizes:
        failures.append("%s: sizes differ: %s" % (what, harness.first_differences(
            ["0x%x %s %d != %d" % (a, truth[a][0], found[a][1], truth[a][1]) for a in sizes])))
    return failures, harness.ratio(len(common) - len(names) - len(sizes), len(truth))


def check(interp):
    try:
        target = harness.Target(interp, args=["--allocators", str(ALLOCATORS)])
    except Exception as e:
        return ["fixture did not start: %s" % e], ("-",) * 5
    try:
        gc_found = scan(target.pid, "gc")
        all_found = scan(target.pid, "all")
        refs = referents(target.pid)
    except Exception as e:  # the target must not outlive a failed test
        target.kill()
        return ["scan failed: %s" % e], ("-",) * 5
    alive = target.finish()
    truth = target.gc_objects()
    failures, gc_cell = compare("--set gc", gc_found, truth)
    made = [row.split() for row in target.truth.get("A", [])]
    lost = [(a, name) for a, name in made if int(a, 16) not in gc_found]
    threads = {name for _, name in made}
    if len(threads) != ALLOCATORS + 1:
        failures.append("the fixture's allocator threads made objects in %d threads, not %d"
                        % (len(threads), ALLOCATORS + 1))
    if lost:
        failures.append("%d objects made by other threads not found: %s" % (len(lost), harness.first_differences(
            ["%s (%s)" % pair for pair in lost])))
    closure = dict(truth)
    names = target.truth["types"]
    for row in target.truth["reached"]:
        a, t, s = row.split()
        closure[int(a, 16)] = (names[t], int(s))
    all_failures, all_cell = compare("--set all", all_found, closure)
    failures += all_failures
    truth_refs = [row.split() for row in target.truth["referents"]]
    short = [w[0] for w in truth_refs if not {int(x, 16) for x in w[1:]} <= refs.get(int(w[0], 16), set())]
    if short:
        failures.append("referents incomplete for %d gc objects: %s" % (len(short), harness.first_differences(
            ["0x%s %s" % (a, truth[int(a, 16)][0]) for a in short])))
    if not alive:
        failures.append("target did not run on after the scan")
    return failures, (gc_cell, harness.ratio(len(made) - len(lost), len(made)), all_cell,
                      harness.ratio(len(truth_refs) - len(short), len(truth_refs)), "yes" if alive else "NO")


def main():
    harness.per_interpreter("free-threaded builds: mimalloc heap walk vs the target's truth",
                            ["--set gc", "other threads' objects", "--set all", "referents",
                             "alive after"],
                            MINORS, check, freethreaded=True)


main()
