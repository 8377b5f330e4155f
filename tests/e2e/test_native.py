"""Native stacks against gdb: the stacks fixture's threads stand still;
`stacks --native` unwinds each thread with libdwfl over the scanner's copy
of the stop, then gdb (Debian's, the oracle) prints `thread apply all bt`
of the same threads held with SIGSTOP.  Every native frame the scanner
shows must be one of gdb's physical frames, in gdb's order, with gdb's
function for it (gdb names the innermost inlined function at a pc and the
physical one last: that last name is compared); the merged stack holds
every Python frame, in order, each eval-loop entry replaced by the frames
it runs; and the kernel's core of the same target (SIGABRT) unwinds to the
same frames for every thread but the one that took the signal.  Both
readers read one stop: the fixture's threads parked in system calls that
only the test ends (the kernel shows each there before the test begins),
the target held with SIGSTOP while the scanner and then gdb read it.

gdb shows frames libdwfl's CFI walk does not (tail calls gdb infers from
DW_TAG_call_site, glibc's futex wrappers): the share of gdb's frames found
is printed per interpreter, and must be at least 60%."""
import json
import os
import re
import signal
import subprocess
import sys

import harness
from test_stacks import abort_core, end, parked_target

# The host's static build with Debian's debug information, pyenv's shared
# build (symbols from its .symtab, no debug information), and Debian's
# stripped static builds in chroots, whose debug information only the
# chroot's python3.X-dbg has (found under the target's root by build-id).
IDS = ["sys-3.11", "pyenv-3.12", "trixie-3.13", "sid-3.14"]
SUFFIX = re.compile(r"(@.*|(\.(lto_priv|constprop|isra|part|cold)(\.\d+)?)+)$")


def gdb_frames(pid):
    """LWP -> [(pc, physical function name)], newest first.  gdb reads the
    target's files and debug information under its root (a chroot's)."""
    root = "/proc/%d/root" % pid
    out = subprocess.run(["gdb", "-nx", "-batch", "-iex", "set sysroot " + root,
                          "-iex", "set debug-file-directory %s/usr/lib/debug:/usr/lib/debug" % root,
                          "/proc/%d/exe" % pid, "-p", str(pid), "-ex", "thread apply all bt"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300).stdout.decode()
    threads, lwp = {}, None
    for line in out.splitlines():
        m = re.match(r"Thread \S+ \((?:Thread 0x\w+ \()?LWP (\d+)", line)
        if m:
            lwp = int(m.group(1))
            threads[lwp] = []
            continue
        m = re.match(r"#\d+\s+(?:(0x[0-9a-f]+) in )?(\S+) \(", line)
        if not m or lwp is None:
            continue
        if m.group(1) or not threads[lwp]:
            threads[lwp].append([int(m.group(1), 16) if m.group(1) else None, m.group(2)])
        else:
            threads[lwp][-1][1] = m.group(2)  # an outer function of the same pc
    return threads


def name(n):
    """A function's name with what distinguishes aliases of one address
    taken off: GCC's clone suffixes, symbol versions, and glibc's internal
    aliases (__GI___clock_nanosleep, __clock_nanosleep and clock_nanosleep
    are one function: gdb and the symbol table each pick one)."""
    if n in (None, "??"):
        return ""
    n = SUFFIX.sub("", n)
    if n.startswith("__GI_"):
        n = n[len("__GI_"):]
    return n.lstrip("_")


def check_against_gdb(doc, gdb):
    failures, found, total = [], 0, 0
    for th in doc["threads"]:
        mine = [(int(f["pc"], 16), name(f["function"])) for f in th.get("native", [])]
        theirs = [(pc, name(n)) for pc, n in gdb.get(th["native_id"], [])]
        total += len(theirs)
        k = 0
        for pc, fn in mine:
            while k < len(theirs) and theirs[k][0] is not None and theirs[k][0] != pc:
                k += 1
            if k == len(theirs) and mine:
                failures.append("thread %s: frame %#x %s is not among gdb's (in order)" % (th["name"], pc, fn))
                break
            if theirs[k][1] != fn and theirs[k][0] is not None:
                failures.append("thread %s: %#x is %s, gdb says %s" % (th["name"], pc, fn, theirs[k][1]))
            found += 1
            k += 1
        if not mine:
            failures.append("thread %s: no native frames" % th["name"])
    return failures, found, total


def check_merged(doc):
    failures = []
    for th in doc["threads"]:
        merged = th.get("merged", [])
        python = [i for kind, i in merged if kind == "python"]
        if python != list(range(len(th["frames"]))):
            failures.append("thread %s: the merged stack holds Python frames %s of %d"
                            % (th["name"], python, len(th["frames"])))
        evals_left = [i for kind, i in merged if kind == "native" and th["native"][i]["eval"]]
        if evals_left and python != list(range(len(th["frames"]))):
            failures.append("thread %s: eval entries %s left" % (th["name"], evals_left))
    return failures


def check(interp):
    cells = ["-", "-", "-"]
    target = parked_target(interp)
    failures = []
    try:
        # One stop for both readers: the target held with SIGSTOP, the
        # scanner's stacks of it, then gdb's of the very same registers.
        os.kill(target.pid, signal.SIGSTOP)
        try:
            if not harness.wait_state(target.pid, ("T",)):
                raise AssertionError("the target did not stop on SIGSTOP (state %s)"
                                     % harness.proc_state(target.pid))
            doc = json.loads(harness.run_scanner(["stacks", "-p", str(target.pid), "--native",
                                                  "--format", "json"]).stdout)
            if harness.proc_state(target.pid) != "T":
                raise AssertionError("the scanner did not leave the stopped target stopped (state %s)"
                                     % harness.proc_state(target.pid))
            gdb = gdb_frames(target.pid)
        finally:
            os.kill(target.pid, signal.SIGCONT)
        fails, found, total = check_against_gdb(doc, gdb)
        failures += fails
        cells[0] = harness.ratio(found, total)
        if total and found < 0.6 * total:
            failures.append("only %d of gdb's %d frames found" % (found, total))
        merged = check_merged(doc)
        failures += merged
        cells[1] = "ok" if not merged else "FAIL"
        why = harness.wait_parked(target.pid, (harness.SYS_READ, 0))
        core, how = (None, why) if why else abort_core(target)
        if core is None:
            failures.append("no core: %s" % how)
        else:
            try:
                # The kernel names the files the target mapped as it saw
                # them: a chroot's own paths.
                root = ["--sysroot", interp.root] if interp.root.rstrip("/") else []
                dead = json.loads(harness.run_scanner(["stacks", "--core", core, "--native",
                                                       "--format", "json"] + root).stdout)
            finally:
                os.unlink(core)
            hit = dead["crash"]["tid"] if dead["crash"] else None
            live = {t["native_id"]: [f["pc"] for f in t.get("native", [])] for t in doc["threads"]}
            same = all(live.get(t["native_id"]) == [f["pc"] for f in t.get("native", [])]
                       for t in dead["threads"] if t["native_id"] != hit)
            cells[2] = "same" if same else "DIFFERENT"
            if not same:
                failures.append("core: native frames differ from the live stop's")
    except Exception as e:
        failures.append("%s" % e)
    return failures + end(target), cells


def main():
    results = harness.Results("native stacks against gdb's thread apply all bt",
                              ["gdb's frames found", "merged", "core"])
    for interp in harness.select(lambda i: i.id in IDS):
        failures, cells = check(interp)
        results.add(interp, cells, failures)
    sys.exit(results.report())


main()
