"""Snapshots and diffs: a heap saved and loaded prints what the live scan
printed; --redact leaves contents out; the diff between two snapshots of a
fixture that grows shows exactly the objects it grew by (the target's own
truth); corrupt and truncated snapshots are refused, never crash."""
import json
import os
import stat
import sys
import tempfile

import harness

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11"]
MUTATIONS = int(os.environ.get("PYHEAPSCAN_SNAPSHOT_MUTATIONS", "1000"))
EXIT_BAD_SNAPSHOT = 12


def without_timing(text):
    d = json.loads(text)
    d.pop("timing")
    d.pop("source")
    return d


def round_trip(target, workdir):
    failures = []
    snap = os.path.join(workdir, "heap.phs")
    harness.run_scanner(["-p", str(target.pid), "--save", snap, "--format", "json"])
    if stat.S_IMODE(os.stat(snap).st_mode) != 0o600:
        failures.append("snapshot mode %o, not 600" % stat.S_IMODE(os.stat(snap).st_mode))
    for s in ("gc", "all", "reachable", "unreachable", "garbage", "held"):
        for f in ("json", "objects", "referents", "text"):
            live = harness.run_scanner(["-p", str(target.pid), "--set", s, "--format", f]).stdout
            loaded = harness.run_scanner(["--load", snap, "--set", s, "--format", f]).stdout
            same = without_timing(live) == without_timing(loaded) if f == "json" else live == loaded
            if not same:
                failures.append("--set %s --format %s differs after save and load" % (s, f))
    redacted = os.path.join(workdir, "redacted.phs")
    harness.run_scanner(["-p", str(target.pid), "--save", redacted, "--redact", "--format", "json"])
    if os.path.getsize(redacted) >= os.path.getsize(snap):
        failures.append("--redact did not leave the contents out")
    a = harness.run_scanner(["--load", redacted, "--set", "all", "--format", "objects"]).stdout
    b = harness.run_scanner(["--load", snap, "--set", "all", "--format", "objects"]).stdout
    if a != b:
        failures.append("a redacted snapshot has other objects")
    return failures, snap


def growth(target, before_snap, workdir):
    """Diff of the snapshot before and the one after growing: by identity,
    the new gc objects are exactly those the target's truth added."""
    failures = []
    truth_before = {int(r.split()[0], 16) for r in target.truth["objects"]}
    truth_after = target.grow()
    after_objects = {int(r.split()[0], 16) for r in truth_after["objects"]}
    expected = after_objects - truth_before
    after_snap = os.path.join(workdir, "after.phs")
    harness.run_scanner(["-p", str(target.pid), "--save", after_snap, "--format", "json"])
    p = harness.run_scanner(["diff", before_snap, after_snap, "--set", "gc", "--format", "objects"])
    found = {int(l.split("\t")[0], 16) for l in p.stdout.decode().splitlines()}
    if found != expected:
        failures.append("new objects differ from the truth: %d missing, %d extra"
                        % (len(expected - found), len(found - expected)))
    names = harness.Counter(truth_after["types"][r.split()[1]] for r in truth_after["objects"]
                            if int(r.split()[0], 16) in expected)
    doc = json.loads(harness.run_scanner(["diff", before_snap, after_snap, "--set", "gc",
                                          "--by", "type", "--format", "json"]).stdout)
    new_kinds = {r["kind"]: r["count"] for r in doc["new"]["rows"]}
    if new_kinds != dict(names):
        failures.append("new objects by kind %s, the truth says %s" % (new_kinds, dict(names)))
    if new_kinds.get("__main__.Grown") != 100:
        failures.append("expected 100 new __main__.Grown, got %s" % new_kinds.get("__main__.Grown"))
    # A live pid works as a source too, and the text is heapy's DiffFormat.
    text = harness.run_scanner(["diff", before_snap, str(target.pid)]).stdout.decode()
    if not text.startswith("Summary of difference operation (A-B).\n        Count     Size\n"):
        failures.append("diff text does not start as heapy's: %r" % text[:80])
    return failures


def corruption(snap, workdir):
    """Truncated and bit-flipped snapshots are refused (exit 12), never crash,
    never cost much more than the clean snapshot."""
    def mutant(rng, i, data):
        b = bytearray(data)
        if i % 2 == 0:
            return bytes(b[:rng.randrange(0, len(b))])
        for _ in range(rng.randrange(1, 8)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        return bytes(b)

    path = os.path.join(workdir, "mutant.phs")
    return harness.fuzz(path, snap, mutant, MUTATIONS,
                        ["--load", path, "--set", "all", "--format", "json"],
                        lambda rc: rc == EXIT_BAD_SNAPSHOT)


def main():
    results = harness.Results("snapshots: save, load, diff", ["round trip", "diff = growth"])
    corrupt_source = None
    workdir = tempfile.mkdtemp(prefix="pyheapscan-snapshots-")
    for interp in harness.select(lambda i: i.minor in MINORS):
        sub = os.path.join(workdir, interp.id)
        os.makedirs(sub)
        target = harness.Target(interp)
        try:
            rt, snap = round_trip(target, sub)
            gr = growth(target, snap, sub)
        except Exception as e:
            rt, gr = ["%s" % e], []
        alive = target.finish()
        failures = rt + gr + ([] if alive else ["target did not run on"])
        results.add(interp, ("ok" if not rt else "FAIL", "ok" if not gr else "FAIL"), failures)
        if corrupt_source is None and not rt:
            corrupt_source = snap
    rc = results.report()
    bad, summary = corruption(corrupt_source, workdir) if corrupt_source \
        else (["no snapshot to corrupt"], "")
    print("%-60s %s" % ("%d corrupt or truncated snapshots are refused" % MUTATIONS,
                         "ok" if not bad else "FAIL"))
    print("    " + summary)
    for f in bad:
        print("    " + f)
    print("%d passed, %d failed" % (int(not bad), int(bool(bad))))
    harness.clear_workdir(workdir, bool(rc or bad))
    sys.exit(1 if rc or bad else 0)


main()
