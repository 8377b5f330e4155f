"""Many crashes at once (`triage DIR`, issue 28): the kernel's cores of
fixtures/crash_facts_fixture.py crashing in its several ways, some twice,
in one directory with a file that is no core and a truncated core.  The
grouped report (JSON) has exactly one signature per way of crashing, each
with the right count and exactly the cores of that way; the truncated core
is named unreadable, the other file left out; the text names every
signature; the JUnit XML is read by junitparser (Debian's
python3-junitparser, run by the system python): a failed test case per
signature, an erroring one for the unreadable core.  And systemd-coredump's
way (a directory of zstd cores named core.COMM.UID.BOOT.PID.TIME.zst, here
made by hand): `triage --coredump` picks the newest core of a python
command (not a newer one of another command), `--coredump=PID` that
process's."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import harness
import test_crash

# The ways it crashes, and how many cores of each.
TIMES = {"null": 2, "readonly": 1, "abort": 2, "string_a": 2, "string_b": 1, "overflow": 1}
IDS = ["sys-3.11", "sid-3.14"]

JUNIT_CHECK = r"""
import sys
from junitparser import JUnitXml, Failure, Error
xml = JUnitXml.fromfile(sys.argv[1])
failed = errored = 0
for suite in xml:
    for case in suite:
        kinds = [type(r).__name__ for r in case.result]
        failed += kinds.count("Failure")
        errored += kinds.count("Error")
print(failed, errored)
"""


def coredump_dir(workdir, made, root):
    """--coredump over a directory laid out as systemd-coredump lays it."""
    d = os.path.join(workdir, "coredump")
    os.mkdir(d)
    boot = "0123456789abcdef0123456789abcdef"
    layout = [("python3\\x2e11", 4101, 1765000000000001, sorted(made["null"])[0]),
              ("python3\\x2e11", 4102, 1765000000000002, sorted(made["abort"])[0]),
              ("sleep", 4103, 1765000000000003, sorted(made["null"])[0])]
    for comm, pid, when, core in layout:
        name = os.path.join(d, "core.%s.0.%s.%d.%d.zst" % (comm, boot, pid, when))
        subprocess.run(["zstd", "-q", "-f", core, "-o", name], check=True)
    env = {"PYHEAPSCAN_COREDUMP_DIR": d}
    failures = []
    for args, want in (([], "SIGABRT"), (["--coredump=4101"], "SIGSEGV")):
        p = harness.run_scanner(["triage", args[0] if args else "--coredump", "--format", "json"] + root,
                                env=env, check=False)
        got = json.loads(p.stdout)["crash"]["signal_name"] if p.returncode == 0 else p.stderr.decode()[-200:]
        if got != want:
            failures.append("triage %s: %s, expected %s" % (args[0] if args else "--coredump", got, want))
    return failures


def check(interp):
    workdir = tempfile.mkdtemp(prefix="pyheapscan-triage-")
    cores = os.path.join(workdir, "cores")
    os.mkdir(cores)
    made = {}
    failures = []
    try:
        for mode, times in TIMES.items():
            if mode == "overflow" and interp.minor not in test_crash.OVERFLOWS:
                continue
            for k in range(times):
                _truth, core, run = test_crash.crash_core(interp, mode, workdir)
                name = os.path.join(cores, "core.%s.%d" % (mode, k))
                shutil.move(core, name)
                shutil.rmtree(run, ignore_errors=True)
                made.setdefault(mode, set()).add(name)
        with open(os.path.join(cores, "README"), "w") as f:
            f.write("not a core\n")
        some = sorted(made["null"])[0]
        truncated = os.path.join(cores, "core.truncated")
        with open(some, "rb") as src, open(truncated, "wb") as dst:
            dst.write(src.read(4096))
        root = ["--sysroot", interp.root] if interp.root.rstrip("/") else []
        doc = json.loads(harness.run_scanner(["triage", cores, "--format", "json"] + root).stdout)
        if doc["cores"] != sum(len(v) for v in made.values()) + 1:
            failures.append("%d cores read, %d made" % (doc["cores"], sum(len(v) for v in made.values()) + 1))
        groups = {frozenset(s["cores"]): s for s in doc["signatures"]}
        for mode, names in made.items():
            s = groups.get(frozenset(names))
            if not s:
                failures.append("%s: its %d cores are not one signature's: %s" % (
                    mode, len(names), [(g["count"], g["frames"]) for g in doc["signatures"]]))
            elif s["count"] != len(names):
                failures.append("%s: count %d, %d made" % (mode, s["count"], len(names)))
        if len(doc["signatures"]) != len(made):
            failures.append("%d signatures for %d ways of crashing" % (len(doc["signatures"]), len(made)))
        if [u["core"] for u in doc["unreadable"]] != [truncated]:
            failures.append("unreadable: %s, expected the truncated core" % doc["unreadable"])
        text = harness.run_scanner(["triage", cores] + root).stdout.decode()
        for s in doc["signatures"]:
            if s["signature"] not in text:
                failures.append("the text lacks signature %s" % s["signature"])
        junit = os.path.join(workdir, "triage.xml")
        harness.run_scanner(["triage", cores, "--format", "junit", "-o", junit] + root)
        p = subprocess.run(["/usr/bin/python3", "-c", JUNIT_CHECK, junit], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)
        if p.returncode != 0:
            failures.append("junitparser does not read it: %s" % p.stderr.decode()[-400:])
        elif p.stdout.decode().split() != [str(len(made)), "1"]:
            failures.append("junitparser reads %s failures and errors, expected %d and 1" % (
                p.stdout.decode().split(), len(made)))
        failures += coredump_dir(workdir, made, root)
        cells = [len(doc["signatures"]), doc["cores"], "yes" if not failures else "no"]
    except Exception as e:
        failures.append("failed: %s" % e)
        cells = ["-", "-", "no"]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return failures, cells


def main():
    if open("/proc/sys/kernel/core_pattern").read().startswith("|"):
        harness.fatal("core_pattern hands cores to a program: the kernel's cores cannot be read here")
    results = harness.Results("triage of many cores, grouped by signature (text, JSON, JUnit)",
                              ["signatures", "cores", "all checks"])
    for interp in harness.select(lambda i: i.id in IDS):
        failures, cells = check(interp)
        results.add(interp, cells, failures)
    sys.exit(results.report())


if __name__ == "__main__":
    main()
