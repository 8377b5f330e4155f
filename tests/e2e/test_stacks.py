"""Thread stacks: `pyheapscan stacks` of a target whose threads stand
still at known places (fixtures/stacks_fixture.py) gives, for every thread,
the frames the thread measured itself (file, line, function, qualified
name, generator or not, newest first; with --locals each function frame's
locals by name, address and repr), its name and kernel id, and which
thread holds the GIL (one blocked in a C call that keeps it); the kernel's core of the
same target, killed by SIGABRT, reads the same."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

import harness

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11"]


def expected(truth):
    out = {}
    for t in json.loads(truth["J"][0]).values():
        out[t["ident"]] = {"name": t["name"], "native_id": t["native_id"], "holds_gil": t["holds_gil"],
                           "handling": t["handling"],
                           "frames": [(f["file"], f["line"], f["function"], f["qualname"], f["kind"])
                                      for f in t["frames"]]}
    return out


def found(doc):
    return {t["thread_id"]: {"name": t["name"], "native_id": t["native_id"], "holds_gil": t["holds_gil"],
                             "handling": t["handling"] and {"type": t["handling"]["type"],
                                                            "message": t["handling"]["message"]},
                             "frames": [(f["file"], f["line"], f["function"], f["qualname"], f["kind"])
                                        for f in t["frames"]]}
            for t in doc["threads"]}


def compare_locals(truth, doc):
    """Each measured frame's locals against the scanner's --locals: the same
    names, each at the same address, small values rendered as repr."""
    failures, checked = [], 0
    got = {t["thread_id"]: t["frames"] for t in doc["threads"]}
    for t in json.loads(truth["J"][0]).values():
        for k, frame in enumerate(t["frames"]):
            if frame["locals"] is None or k >= len(got.get(t["ident"], [])):
                continue
            mine = {l["name"]: l for l in got[t["ident"]][k].get("locals", [])}
            where = "thread %s frame %s" % (t["name"], frame["qualname"])
            if set(mine) != set(frame["locals"]):
                failures.append("%s: locals %s, expected %s" % (where, sorted(mine), sorted(frame["locals"])))
                continue
            for name, (ident, rendering) in frame["locals"].items():
                checked += 1
                if int(mine[name]["address"], 16) != ident:
                    failures.append("%s: %s at %s, expected %#x" % (where, name, mine[name]["address"], ident))
                elif rendering is not None and mine[name]["rendering"] != rendering:
                    failures.append("%s: %s = %s, expected %s" % (where, name, mine[name]["rendering"], rendering))
    return failures, checked


def compare(want, got, what):
    failures = []
    if set(want) != set(got):
        failures.append("%s: threads %s, expected %s" % (what, sorted(got), sorted(want)))
    frames = 0
    for ident in sorted(set(want) & set(got)):
        w, g = want[ident], got[ident]
        for key in ("name", "native_id", "holds_gil", "handling"):
            if w[key] != g[key]:
                failures.append("%s: thread %s %s: %r, expected %r" % (what, w["name"], key, g[key], w[key]))
        if w["frames"] != g["frames"]:
            failures.append("%s: thread %s frames:\n      got      %s\n      expected %s"
                            % (what, w["name"], g["frames"], w["frames"]))
        else:
            frames += len(w["frames"])
    return failures, frames


def release(target):
    """A byte down the gil-thread's FIFO: before READY it takes the GIL for
    good, after it lets go."""
    fd = os.open(os.path.join(target.workdir, "truth.txt.fifo"), os.O_WRONLY | os.O_NONBLOCK)
    os.write(fd, b"x")
    os.close(fd)


def end(target):
    """Lets a target that still runs (no core was made of it) go as the
    other tests do, or clears up after one the core's SIGABRT ended;
    returns what went wrong."""
    if target.proc.poll() is not None:
        target.kill()
        return []
    try:
        release(target)
    except OSError as e:
        return ["could not release the gil-thread: %s" % e]
    return [] if target.finish() else ["target did not run on"]


def abort_core(target):
    """The kernel's core of the target, killed by SIGABRT where it stands
    (a crash as CI meets it); gdb's gcore cannot read every thread stack
    (see gcore_check).  (None, why) when the kernel hands cores to a program instead."""
    pattern = open("/proc/sys/kernel/core_pattern").read().strip()
    if pattern.startswith("|"):
        return None, "core_pattern hands cores to a program (%s)" % pattern
    pid = target.pid
    cwd = os.readlink("/proc/%d/cwd" % pid)
    where = os.path.join(cwd, os.path.dirname(pattern)) if not pattern.startswith("/") else \
        os.path.dirname(pattern)
    def cores():
        return {f: os.stat(os.path.join(where, f)).st_mtime_ns for f in os.listdir(where)
                if f.startswith("core")}
    before = cores()
    subprocess.run(["prlimit", "--pid", str(pid), "--core=unlimited"], check=True)
    os.kill(pid, signal.SIGABRT)
    target.proc.wait(timeout=120)
    if target.proc.returncode != -signal.SIGABRT:
        return None, "the target ended with %s, not SIGABRT" % target.proc.returncode
    new = [f for f, mtime in cores().items() if before.get(f) != mtime]
    if len(new) != 1:
        return None, "expected one new core in %s, found %s" % (where, new)
    return os.path.join(where, new[0]), "kernel"


def gcore_check(target, interp, live, workdir, failures):
    """gdb's gcore of the same stop: each thread as live, or (where gcore
    wrote zeros for a thread stack it could not read whole: sid's glibc
    2.43 puts the guard page inside the mapping) cut where the zeros start, with
    the cut said and explained, the frames before it as live."""
    prefix = os.path.join(workdir, "gcore")
    subprocess.run(["gcore", "-o", prefix, str(target.pid)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=300)
    path = "%s.%d" % (prefix, target.pid)
    if not os.path.exists(path):
        failures.append("gcore: gdb wrote no core")
        return "FAIL"
    root = ["--sysroot", interp.root] if interp.root.rstrip("/") else []
    try:
        doc = json.loads(harness.run_scanner(["stacks", "--core", path, "--format", "json"] + root).stdout)
    finally:
        os.unlink(path)
    want = {t["native_id"]: t for t in live["threads"]}
    zeroed = 0
    for t in doc["threads"]:
        w = want.get(t["native_id"])
        if w is None:
            failures.append("gcore: thread %s is not in the live stop" % t["native_id"])
            continue
        frames = [f["frame"] for f in t["frames"]]
        whole = [f["frame"] for f in w["frames"]]
        if frames == whole and not t["cut_at"]:
            continue
        note = t.get("cut_note") or ""
        if t["cut_at"] and "only zeros" in note and frames == whole[:len(frames)]:
            zeroed += 1
            continue
        failures.append("gcore: thread %s: %d frames of %d, cut %s (%s)"
                        % (w["name"], len(frames), len(whole), t["cut_at"], note))
    if len(doc["threads"]) != len(live["threads"]):
        failures.append("gcore: %d threads, live %d" % (len(doc["threads"]), len(live["threads"])))
    return "same" if not zeroed else "%d cut at zeros" % zeroed


def parked_target(interp):
    """The stacks fixture once the kernel shows every thread parked where it
    stays, the gil-thread holding the GIL and the main thread in its read
    of stdin (fd 0)."""
    def parked_then_go(target):
        # Parked without the GIL: the main thread in its read of stdin, the
        # gil-thread in its read of the FIFO, waiting for this byte.
        why = harness.wait_parked(target.pid, (harness.SYS_READ, 0), timeout=120)
        if not why:
            release(target)
        return why
    # (harness.Target waits for them to park again after READY.)
    return harness.Target(interp, fixture="stacks_fixture.py", before_ready=parked_then_go)


def check(interp, workdir):
    cells = ["-", "-", "-", "-", "-", "-"]
    target = parked_target(interp)
    failures = []
    try:
        want = expected(target.truth)
        p = harness.run_scanner(["stacks", "-p", str(target.pid), "--format", "json"])
        live = json.loads(p.stdout)
        fails, frames = compare(want, found(live), "live")
        failures += fails
        nframes = sum(len(t["frames"]) for t in want.values())
        cells[0] = harness.ratio(frames, nframes)
        p = harness.run_scanner(["stacks", "-p", str(target.pid), "--locals", "--format", "json"])
        with_locals = json.loads(p.stdout)
        fails, nlocals = compare_locals(target.truth, with_locals)
        failures += fails
        cells[3] = "%d%s" % (nlocals, "" if not fails else " FAIL")
        # A snapshot keeps the stacks of its stop: stacks --load prints what
        # the live stacks printed, locals and all.
        snap = os.path.join(workdir, "stacks.snap")
        try:
            harness.run_scanner(["-p", str(target.pid), "--save", snap])
            same = True
            for extra, doc in (([], live), (["--locals"], with_locals)):
                loaded = json.loads(harness.run_scanner(["stacks", "--load", snap, "--format", "json"] + extra).stdout)
                loaded.pop("timing")
                doc = dict(doc)
                doc.pop("timing")
                if loaded != doc:
                    same = False
                    failures.append("snapshot%s: stacks --load differs from the live stacks" % (" " + extra[0] if extra else ""))
            cells[4] = "same" if same else "DIFFERENT"
        finally:
            if os.path.exists(snap):
                os.unlink(snap)
        gil = [t["name"] for t in live["threads"] if t["holds_gil"]]
        cells[1] = ",".join(gil) or "none"
        text = harness.run_scanner(["stacks", "-p", str(target.pid)]).stdout.decode()
        headers = [l for l in text.splitlines() if l.startswith("Thread ")]
        if len(headers) != len(want):
            failures.append("text: %d thread headers for %d threads" % (len(headers), len(want)))
        cells[5] = gcore_check(target, interp, live, workdir, failures)
        core, how = abort_core(target)
        if core is None:
            failures.append("no core: %s" % how)
        else:
            # The kernel names the files the target mapped as it saw them:
            # a chroot's own paths.
            root = ["--sysroot", interp.root] if interp.root.rstrip("/") else []
            try:
                p = harness.run_scanner(["stacks", "--core", core, "--format", "json"] + root)
            finally:
                os.unlink(core)
            dead = json.loads(p.stdout)
            same = found(dead) == found(live)
            cells[2] = "same" if same else "DIFFERENT"
            if not same:
                failures += compare(found(live), found(dead), "core")[0] or ["core: threads differ"]
            crash = dead["crash"] or {}
            if (crash.get("signal_name"), crash.get("code_name")) != ("SIGABRT", "SI_USER"):
                failures.append("core: crash facts %s, expected SIGABRT sent by kill (SI_USER)"
                                % ((crash.get("signal_name"), crash.get("code_name")),))
            if "killed by signal %d" % signal.SIGABRT not in p.stderr.decode():
                failures.append("core: no 'killed by signal' line: %r" % p.stderr.decode())
    except Exception as e:
        failures.append("%s" % e)
    return failures + end(target), cells


def main():
    workdir = tempfile.mkdtemp(prefix="pyheapscan-stacks-")
    results = harness.Results("stacks: every thread's frames against the thread's own measure",
                              ["frames matched", "GIL held by", "core", "locals", "snapshot", "gcore"])
    for interp in harness.select(lambda i: i.minor in MINORS):
        failures, cells = check(interp, workdir)
        results.add(interp, cells, failures)
    shutil.rmtree(workdir, ignore_errors=True)  # a failed save may leave its temporary file
    sys.exit(results.report())


if __name__ == "__main__":
    main()
