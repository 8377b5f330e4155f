"""The gc-tracked objects the scanner finds equal gc.get_objects() at the stop
point: the same addresses, the same type names as heapy prints them, sizes
equal to sys.getsizeof, with a writable mapping in the target whose tail
cannot be read (the copy splits it there).  After the scan the target runs
on."""
import sys

import harness

# Every fleet interpreter of these minors must pass; the fleet itself fails
# the run when an expected interpreter is missing (fixtures/fleet).
MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11"]


def check(interp):
    failures = []
    try:
        # a mapping with pages it cannot read: the copy splits it there
        target = harness.Target(interp, args=["--threads", "2", "--unreadable-tail"])
    except Exception as e:
        return ["fixture did not start: %s" % e], ("-", "-", "-", "-")
    try:
        truth = target.gc_objects()
        found, stderr = harness.scan_objects(target.pid)
        state_after = target.state()
    except Exception as e:  # the target must not outlive a failed test
        target.kill()
        return ["scan failed: %s" % e], ("-", "-", "-", "-")
    alive = target.finish()
    # gc.get_objects() leaves out the permanent generation (gc.freeze(), and
    # on 3.12+ what the interpreter freezes itself); its count is the truth.
    permanent = {a for a in found if found[a][2] == "p"}
    if len(permanent) != target.truth["freeze_count"]:
        failures.append("%d objects in the permanent generation, gc.get_freeze_count() says %d"
                        % (len(permanent), target.truth["freeze_count"]))
    found = {a: v for a, v in found.items() if a not in permanent}
    missing = sorted(set(truth) - set(found))
    extra = sorted(set(found) - set(truth))
    common = set(truth) & set(found)
    bad_names = sorted(a for a in common if truth[a][0] != found[a][0])
    bad_sizes = sorted(a for a in common if truth[a][1] != found[a][1])
    if missing:
        failures.append("%d objects missing: %s" % (len(missing), harness.first_differences(
            ["0x%x %s" % (a, truth[a][0]) for a in missing])))
    if extra:
        failures.append("%d objects not in gc.get_objects(): %s" % (len(extra), harness.first_differences(
            ["0x%x %s" % (a, found[a][0]) for a in extra])))
    if bad_names:
        failures.append("type names differ: " + harness.first_differences(
            ["0x%x %s != %s" % (a, found[a][0], truth[a][0]) for a in bad_names]))
    if bad_sizes:
        failures.append("sizes differ: " + harness.first_differences(
            ["0x%x %s %d != %d" % (a, truth[a][0], found[a][1], truth[a][1]) for a in bad_sizes]))
    if state_after in ("T", "t"):
        failures.append("target left stopped (state %s)" % state_after)
    if not alive:
        failures.append("target did not run on after the scan")
    cells = (harness.ratio(len(common), len(truth)),
             harness.ratio(len(common) - len(bad_names), len(truth)),
             harness.ratio(len(common) - len(bad_sizes), len(truth)),
             "yes" if alive else "NO")
    return failures, cells


def main():
    harness.per_interpreter("gc walk: scanner vs gc.get_objects() at the same stop",
                            ["addresses", "type names", "sizes", "alive after"],
                            MINORS, check)


main()
