"""Retained sizes against the target's own truth (fixtures/whyalive_fixture.py):
structures built only of private objects (a cache dict holding a private
subtree, two lists sharing one, a cycle held from one place, an object held
from two paths), whose dominators the fixture computes itself over
gc.get_referents and whose retained sizes it sums with sys.getsizeof.  The
scanner's retained size of every object of every structure (`top --where`)
equals the truth, by address; MAT's retained size of the set of the two
lists sharing one (`--retained` on a partition of exactly them) equals the
truth, which is more than the sum of the two; `--sort retained` orders the
rows; and a snapshot saved at the stop gives the same sizes offline."""
import json
import os
import sys

import harness

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11"]


def scanner_retained(source, addrs):
    """address -> retained, from `top --where A | B | ...` of every address."""
    where = " | ".join(hex(a) for a in addrs)
    doc = json.loads(harness.run_scanner(["top"] + source + ["--where", where, "-n", "0",
                                                             "--format", "json"]).stdout)
    return {int(o["address"], 16): o["retained"] for o in doc["objects"]}


def check(interp):
    target = harness.Target(interp, fixture="whyalive_fixture.py")
    truth = {}
    for line in target.truth["ret"]:
        a, r = line.split()
        truth[int(a)] = int(r)
    pair_a, pair_b, pair_truth = target.truth["pair"][0].split()
    failures = []
    live = ["-p", str(target.pid)]
    snap = os.path.join(target.workdir, "heap.snap")
    try:
        got = scanner_retained(live, truth)
        missing = sorted(set(truth) - set(got))
        if missing:
            failures.append("%d of %d structure objects not reported: %s"
                            % (len(missing), len(truth), [hex(a) for a in missing[:5]]))
        wrong = ["%s: %d, truth %d" % (hex(a), got[a], truth[a]) for a in sorted(truth)
                 if a in got and got[a] != truth[a]]
        if wrong:
            failures.append("%d retained sizes differ from the truth: %s"
                            % (len(wrong), harness.first_differences(wrong)))
        right = sum(1 for a in truth if got.get(a) == truth[a])
        # A set: the two lists sharing one retain it together.
        doc = json.loads(harness.run_scanner(live + ["--where", "%s | %s" % (pair_a, pair_b), "--by", "unity",
                                                     "--retained", "--format", "json"]).stdout)
        set_retained = doc["rows"][0].get("retained") if doc["rows"] else None
        alone = got.get(int(pair_a, 16), 0) + got.get(int(pair_b, 16), 0)
        if set_retained != int(pair_truth) or set_retained <= alone:
            failures.append("retained size of the pair: %r, the truth %s (the members' own: %d)"
                            % (set_retained, pair_truth, alone))
        # --sort retained orders every row by it.
        doc = json.loads(harness.run_scanner(live + ["--sort", "retained", "--format", "json"]).stdout)
        sizes = [r["retained"] for r in doc["rows"]]
        if len(sizes) != len(doc["rows"]) or sizes != sorted(sizes, reverse=True) or not sizes:
            failures.append("--sort retained: rows not ordered by retained size: %s" % sizes[:10])
        # Offline: a snapshot saved at the stop gives the same sizes.
        harness.run_scanner(live + ["--save", snap, "--top", "1"])
        offline = scanner_retained(["--load", snap], truth)
        if offline != scanner_retained(live, truth):
            failures.append("the snapshot's retained sizes differ from the live scan's")
    except Exception as e:
        target.kill()
        return ["scan failed: %s" % e], ("-", "-", "-")
    if not target.finish():
        failures.append("target did not run on")
    return failures, ("%d/%d" % (right, len(truth)), "%s/%s" % (set_retained, pair_truth),
                      "yes" if not failures else "no")


def main():
    harness.per_interpreter("Retained sizes of private structures against the target's dominators",
                            ["objects right", "pair set", "all checks"], MINORS, check)


main()
