"""Crash facts from the kernel's cores of fixtures that crash on purpose
(fixtures/crash_facts_fixture.py): `stacks --core` names the signal and its
si_code, the fault address and what it falls in, the thread that took the
signal (by the kernel id it wrote before crashing), and the faulting
instruction, whose memory operand, worked out from the core's registers,
must be the very address the kernel reported; the crashing thread's Python
frames end at the line that crashed.  `triage` shows that thread first,
its merged stack with the crashing Python frame, the heap's rows, on one
screen; the signature of two crashes of the same kind is the same, of
different kinds different — two crashes in glibc's strlen through
ctypes.string_at from two Python functions (string_a, string_b) too.  A C stack overflow (3.8-3.11) is named as one:
the fault in the guard page below the crashing thread's stack pointer."""
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

import harness

# A spread: the host's static build, a shared pyenv build of each
# generation of frames (<= 3.10, 3.11+), and a chroot.
IDS = ["sys-3.11", "pyenv-3.8", "pyenv-3.12", "sid-3.14"]
MODES = {
    "null": ("SIGSEGV", "SEGV_MAPERR", signal.SIGSEGV),
    "readonly": ("SIGSEGV", "SEGV_ACCERR", signal.SIGSEGV),
    "abort": ("SIGABRT", "SI_TKILL", signal.SIGABRT),
    # Into the guard page below a thread's stack (a PROT_NONE mapping).
    "overflow": ("SIGSEGV", "SEGV_ACCERR", signal.SIGSEGV),
    # glibc's strlen near NULL, from two Python functions: two signatures
    "string_a": ("SIGSEGV", "SEGV_MAPERR", signal.SIGSEGV),
    "string_b": ("SIGSEGV", "SEGV_MAPERR", signal.SIGSEGV),
}
# C stack overflows through the recursion limit: 3.12 and later bound C
# recursion by themselves (a RecursionError, no crash).
OVERFLOWS = ("3.8", "3.9", "3.10", "3.11")


def crash_core(interp, mode, workdir):
    """Runs the fixture until it crashes; (truth, core path) or an error."""
    root = interp.root.rstrip("/")
    run = tempfile.mkdtemp(prefix="crash-", dir=os.path.join(root, "tmp") if root else workdir)
    inner = run[len(root):] if root else run
    shutil.copy(os.path.join(harness.FIXTURES, "crash_facts_fixture.py"), run)
    script = "cd %s && exec %s crash_facts_fixture.py %s/truth %s" % (inner, interp.exe, inner, mode)
    cmd = ["/bin/sh", "-c", script]
    if root:
        cmd = [shutil.which("chroot") or "/usr/sbin/chroot", root] + cmd

    def unlimited():
        resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    p = subprocess.run(cmd, preexec_fn=unlimited, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120, env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"})
    cores = [f for f in os.listdir(run) if f.startswith("core")]
    if p.returncode != -MODES[mode][2] or len(cores) != 1:
        shutil.rmtree(run, ignore_errors=True)
        raise AssertionError("%s: ended with %s, cores %s: %s" % (mode, p.returncode, cores,
                                                                 p.stderr.decode()[-300:]))
    truth = {}
    for line in open(os.path.join(run, "truth")):
        k, _, v = line.rstrip("\n").partition(" ")
        truth[k] = v
    return truth, os.path.join(run, cores[0]), run


def check_mode(interp, mode, workdir, signatures):
    failures = []
    truth, core, run = crash_core(interp, mode, workdir)
    try:
        root = ["--sysroot", interp.root] if interp.root.rstrip("/") else []
        doc = json.loads(harness.run_scanner(["stacks", "--core", core, "--native", "--format", "json"] + root).stdout)
        triage = json.loads(harness.run_scanner(["triage", "--core", core, "--format", "json"] + root).stdout)
        text = harness.run_scanner(["triage", "--core", core] + root).stdout.decode()
    finally:
        shutil.rmtree(run, ignore_errors=True)
    signatures.setdefault(mode, []).append(triage["signature"]["hash"])
    if triage["thread"]["native_id"] != int(truth["tid"]):
        failures.append("%s: triage shows thread %s first, not the crashing %s"
                        % (mode, triage["thread"]["native_id"], truth["tid"]))
    if not [f for f in triage["thread"]["frames"] if f["type"] == "python" and f["qualname"] == truth["function"]]:
        failures.append("%s: triage's merged stack lacks the Python frame that crashed" % mode)
    # One frame schema: each of triage's frames is, whole, one of stacks'
    # frames of the same thread (its Python frames, or its native ones).
    same = [t for t in doc["threads"] if t["native_id"] == triage["thread"]["native_id"]]
    stacks_frames = [f for t in same for f in t["frames"] + t.get("native", [])]
    for f in triage["thread"]["frames"]:
        if f not in stacks_frames:
            failures.append("%s: triage's frame %s is none of stacks' frames of that thread" % (mode, f))
            break
    if not triage["heap"].get("rows"):
        failures.append("%s: triage shows no heap rows: %s" % (mode, triage["heap"]))
    keys = ("signal_name", "code_name", "fault_address", "fault_where", "tid", "operand_address")
    if [triage["crash"][k] for k in keys] != [doc["crash"][k] for k in keys]:
        failures.append("%s: triage's crash facts differ from stacks'" % mode)
    if len(text.splitlines()) > 120:
        failures.append("%s: triage's text is %d lines" % (mode, len(text.splitlines())))
    c = doc["crash"]
    name, code, _ = MODES[mode]
    if not c:
        return ["%s: no crash facts" % mode]
    if (c["signal_name"], c["code_name"]) != (name, code):
        failures.append("%s: %s %s, expected %s %s" % (mode, c["signal_name"], c["code_name"], name, code))
    if c["tid"] != int(truth["tid"]):
        failures.append("%s: faulting thread %s, expected %s" % (mode, c["tid"], truth["tid"]))
    addr = int(truth["addr"])
    if mode == "abort":
        if c["fault_address"] is not None:
            failures.append("abort: a fault address %s" % c["fault_address"])
    elif mode == "overflow":
        # Where the stack pointer met the guard page is not known in
        # advance; what it fell in is.
        where = "a guard page below thread %s's stack pointer (a stack overflow)" % truth["tid"]
        if c["fault_address"] is None or c["fault_where"] != where:
            failures.append("overflow: fault at %s in %r, expected %r" % (c["fault_address"], c["fault_where"], where))
        if not [i for i in c["instructions"] if i["faulting"]]:
            failures.append("overflow: no faulting instruction")
    else:
        # strlen may read its first block aligned down: near NULL, not at 0x18
        if mode.startswith("string") and c["fault_address"] is not None and int(c["fault_address"], 16) < 0x1000:
            addr = int(c["fault_address"], 16)
        if c["fault_address"] is None or int(c["fault_address"], 16) != addr:
            failures.append("%s: fault address %s, expected %#x" % (mode, c["fault_address"], addr))
        where = ("NULL + %#x" % addr if addr else "NULL") if mode in ("null", "string_a", "string_b") \
            else "%s (%s)" % (truth["path"], truth["perms"])
        if c["fault_where"] != where:
            failures.append("%s: fault in %r, expected %r" % (mode, c["fault_where"], where))
        if not [i for i in c["instructions"] if i["faulting"]]:
            failures.append("%s: no faulting instruction" % mode)
        if c["operand_address"] is None or int(c["operand_address"], 16) != addr:
            failures.append("%s: the faulting instruction's operand (%s) makes %s, not the fault "
                            "address %#x" % (mode, c["operand"], c["operand_address"], addr))
    first = doc["threads"][0] if doc["threads"] else None
    # the crashing line's frame: the newest, but below ctypes.string_at (Python)
    depth = 2 if mode.startswith("string") else 1
    if not first or first["native_id"] != int(truth["tid"]):
        failures.append("%s: the crashing thread is not shown first" % mode)
    elif (truth["function"], int(truth["line"])) not in [(f["function"], f["line"]) for f in first["frames"][:depth]]:
        failures.append("%s: the crashing thread's newest frames are %s, expected %s:%s"
                        % (mode, first["frames"][:depth], truth["function"], truth["line"]))
    return failures


def main():
    if open("/proc/sys/kernel/core_pattern").read().startswith("|"):
        harness.fatal("core_pattern hands cores to a program: the kernel's cores cannot be read here")
    workdir = tempfile.mkdtemp(prefix="pyheapscan-crash-")
    results = harness.Results("crash facts and triage from the kernel's cores", list(MODES) + ["signature"])
    for interp in harness.select(lambda i: i.id in IDS):
        failures, cells, signatures = [], [], {}
        for mode in list(MODES) + ["null"]:  # the null crash twice: its signature must repeat
            if mode == "overflow" and interp.minor not in OVERFLOWS:
                cells.append("n/a (%s)" % interp.minor)
                continue
            try:
                fails = check_mode(interp, mode, workdir, signatures)
            except Exception as e:
                fails = ["%s" % e]
            failures += fails
            if len(cells) < len(MODES):
                cells.append("ok" if not fails else "FAIL")
        same = len(set(signatures.get("null", []))) == 1 and len(signatures.get("null", [])) == 2
        distinct = len({v[0] for v in signatures.values() if v}) == len(signatures)
        cells.append("%s, %s" % ("repeats" if same else "CHANGES", "distinct" if distinct else "SHARED"))
        if not same:
            failures.append("two null crashes have signatures %s" % signatures.get("null"))
        if not distinct:
            failures.append("different crashes share a signature: %s" % signatures)
        results.add(interp, cells, failures)
    shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(results.report())


if __name__ == "__main__":
    main()
