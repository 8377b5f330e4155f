"""Post-mortem: a core of a stopped fixture (gcore) scans exactly as the
live process does (the whole JSON but its timing and source, and every
object's address, size and type with --set all); a scan kept to one thread
gives the same bytes as one on every core; compressed cores read the
same, from a file or from a pipe (--core -); a core from a crash says which signal killed the process; a missing or
different file the core needs is named with its build-id; mutated and
truncated cores never crash the scanner; a gc list bent into a cycle loses
exactly the objects after the bend, on one thread as on every core."""
import json
import os
import select
import signal
import struct
import subprocess
import sys
import tempfile

import harness

MINORS = sys.argv[1].split(",") if len(sys.argv) > 1 else ["3.11"]
MUTATIONS = int(os.environ.get("PYHEAPSCAN_CORE_MUTATIONS", "1000"))
EXIT_MISSING_FILE, EXIT_BAD_CORE = 11, 10
DOCUMENTED_EXITS = {0, 1, 5, 6, 8, 10, 11}


def comparable(js):
    d = json.loads(js)
    d.pop("timing")
    d.pop("source")
    return d


def scan_pair(pid, core, root):
    """(live, core) outputs: JSON and --set all objects."""
    # gcore runs from the host: the core names host paths, chroot or not.
    extra = []
    out = []
    for args in (["--format", "json"], ["--set", "all", "--format", "objects"]):
        live = harness.run_scanner(["-p", str(pid)] + args).stdout.decode()
        dead = harness.run_scanner(["--core", core] + extra + args).stdout.decode()
        out.append((live, dead))
    return out


def one_thread_same(core):
    """The scan on one thread is the scan on every core, byte for byte: the
    referents read ahead on a second core, sizes and relations included."""
    failures = []
    for args in (["--set", "all", "--format", "referents"], ["--by", "via"], ["--by", "rcs"],
                 ["--format", "pympler"]):
        runs = [harness.run_scanner(["--core", core] + args, env=env).stdout
                for env in ({"PYHEAPSCAN_THREADS": "1"}, None)]
        if runs[0] != runs[1]:
            failures.append("%s: one thread and all differ" % " ".join(args))
    return failures


def check(interp, workdir):
    failures = []
    target = harness.Target(interp)
    try:
        core = harness.gcore(target.pid, workdir)
        (lj, cj), (lo, co) = scan_pair(target.pid, core, interp.root)
    except Exception as e:
        target.kill()
        return ["%s" % e], ("-", "-"), None
    alive = target.finish()
    failures += one_thread_same(core)
    if comparable(lj) != comparable(cj):
        a, b = comparable(lj), comparable(cj)
        failures.append("JSON differs: %s" % {k: (a[k], b.get(k)) for k in a if a[k] != b.get(k)})
    live_objs = set(lo.splitlines())
    core_objs = set(co.splitlines())
    if live_objs != core_objs:
        failures.append("--set all objects differ: %d only live, %d only in the core"
                        % (len(live_objs - core_objs), len(core_objs - live_objs)))
    if not alive:
        failures.append("target did not run on after gcore and the scans")
    cells = (harness.ratio(len(live_objs & core_objs), len(live_objs)),
             "same" if comparable(lj) == comparable(cj) else "DIFFERENT")
    return failures, cells, core


def compressed(core, workdir):
    """Each compression a core may arrive in reads as the plain core does."""
    failures = []
    plain = harness.run_scanner(["--core", core, "--set", "all", "--format", "objects"]).stdout
    for tool, args, suffix in (("zstd", ["-q", "-f", "-k"], ".zst"), ("lz4", ["-q", "-f"], ".lz4"),
                               ("xz", ["-f", "-k", "-T2"], ".xz"), ("gzip", ["-f", "-k"], ".gz")):
        out = core + suffix
        if tool == "lz4":
            subprocess.run([tool] + args + [core, out], check=True)
        else:
            subprocess.run([tool] + args + [core], check=True)
        got = harness.run_scanner(["--core", out, "--set", "all", "--format", "objects"], check=False)
        if got.returncode != 0 or got.stdout != plain:
            failures.append("%s-compressed core: exit %d, %s" % (tool, got.returncode,
                            "same" if got.stdout == plain else "different output"))
        # ... and from a pipe (--core -), as a core_pattern handler gets it
        with open(out, "rb") as f:
            got = harness.run_scanner(["--core", "-", "--set", "all", "--format", "objects"], check=False,
                                      piped=f.read())
        if got.returncode != 0 or got.stdout != plain:
            failures.append("%s-compressed core from a pipe: exit %d, %s" % (tool, got.returncode,
                            "same" if got.stdout == plain else "different output"))
        os.unlink(out)
    with open(core, "rb") as f:
        got = harness.run_scanner(["--core", "-", "--set", "all", "--format", "objects"], check=False,
                                  piped=f.read())
    if got.returncode != 0 or got.stdout != plain:
        failures.append("core from a pipe: exit %d, %s" % (got.returncode,
                        "same" if got.stdout == plain else "different output"))
    return failures


def crash_core(workdir):
    """A core written when the fixture crashed (the kernel's, or gdb's when
    the kernel hands cores to a program)."""
    failures = []
    interp = harness.system_python()
    fixture = os.path.join(harness.FIXTURES, "crash_fixture.py")
    pattern = open("/proc/sys/kernel/core_pattern").read().strip()
    if not pattern.startswith("|"):
        import resource
        def unlimited():
            resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        crashdir = os.path.join(workdir, "crash")
        os.makedirs(crashdir)
        p = subprocess.run([interp.exe, fixture], cwd=crashdir, preexec_fn=unlimited,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        cores = sorted(f for f in os.listdir(crashdir) if f.startswith("core"))
        if p.returncode != -signal.SIGSEGV:
            return ["crash fixture ended with %s, not SIGSEGV" % p.returncode], None
        if not cores:
            return ["no core file in %s (core_pattern %r)" % (workdir, pattern)], None
        core = os.path.join(crashdir, cores[0])
        how = "kernel"
    else:
        core = os.path.join(workdir, "crash.core")
        subprocess.run(["gdb", "-batch", "-nx", "-ex", "run", "-ex", "gcore " + core,
                        "--args", interp.exe, fixture], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=300)
        how = "gdb"
    p = harness.run_scanner(["--core", core, "--format", "json"], check=False)
    if p.returncode != 0:
        return ["scan of the crash core (%s) failed: %s" % (how, p.stderr.decode())], how
    doc = json.loads(p.stdout)
    if doc["source"].get("signal") != signal.SIGSEGV:
        failures.append("the crash core says signal %s" % doc["source"].get("signal"))
    if "killed by signal %d" % signal.SIGSEGV not in p.stderr.decode():
        failures.append("no 'killed by signal' line: %r" % p.stderr.decode())
    kinds = {r["kind"]: r["count"] for r in doc["rows"]}
    if kinds.get("__main__.Survivor") != 500:
        failures.append("expected 500 __main__.Survivor, found %s" % kinds.get("__main__.Survivor"))
    return failures, how


def missing_and_wrong_files(core, workdir):
    failures = []
    p = harness.run_scanner(["--core", core, "--exe", os.path.join(workdir, "no-such-python")],
                            check=False)
    err = p.stderr.decode()
    if p.returncode != EXIT_MISSING_FILE or "build-id" not in err or "/python3.11" not in err:
        failures.append("missing file: exit %d, %r" % (p.returncode, err))
    p = harness.run_scanner(["--core", core, "--exe", "/usr/bin/python3.11d"], check=False)
    err = p.stderr.decode()
    if p.returncode != EXIT_MISSING_FILE or "another build" not in err:
        failures.append("wrong executable: exit %d, %r" % (p.returncode, err))
    p = harness.run_scanner(["--core", "/etc/hostname"], check=False)
    if p.returncode != EXIT_BAD_CORE:
        failures.append("not a core: exit %d, %r" % (p.returncode, p.stderr.decode()))
    return failures


def gc_objects(core, check=True):
    """{address: generation} of the core's gc objects, and the scan's stderr."""
    p = harness.run_scanner(["--core", core, "--set", "gc", "--format", "objects"], check=check)
    found = {}
    for line in p.stdout.decode().splitlines():
        fields = line.split("\t")
        found[int(fields[0], 16)] = fields[2]
    return found, p.stderr.decode()


# Two lists of 20000 lists: the oldest generation, and the permanent one
# (gc.freeze()) the walk takes after it.
BENT_PROGRAM = """
import gc, sys
frozen = [[] for i in range(20000)]
gc.collect()
gc.freeze()
kept = [[] for i in range(20000)]
gc.collect()
sys.stdout.write("ready\\n")
sys.stdout.flush()
sys.stdin.read()
"""


def bent_core(workdir):
    """A core of BENT_PROGRAM under the system's Python."""
    p = subprocess.Popen([harness.system_python().exe, "-c", BENT_PROGRAM], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        ready, _, _ = select.select([p.stdout], [], [], 60)
        if not ready or p.stdout.readline() != b"ready\n":
            raise AssertionError("the bent-list program did not get ready")
        return harness.gcore(p.pid, workdir)
    finally:
        p.kill()
        p.wait(timeout=60)


def cyclic_gc_list(workdir):
    """cyclic_gc_list_checks, a scan past its time bound or a core not made
    reported as a failure."""
    try:
        return cyclic_gc_list_checks(workdir)
    except (AssertionError, subprocess.TimeoutExpired) as e:
        return ["bent list: %s" % e]


def cyclic_gc_list_checks(workdir):
    """The oldest generation's list bent back 8000 nodes at its 9000th node
    (3.11's 16-byte gc head): the walk goes round until it notices, several
    blocks of objects past the ones it handed the worker reading referents,
    and cuts them off again; the permanent generation's list follows.  The
    scan keeps exactly the objects but those after the bend, warns of it,
    and gives the same bytes on one thread as on two.  (A worker left
    running gave the frozen objects the referents of the nodes cut off.)"""
    failures = []
    core = bent_core(workdir)
    clean, _ = gc_objects(core)
    nodes = {obj - 16 for obj in clean}
    segs = harness.core_segments(core)
    with open(core, "rb") as f:
        def word(addr):
            for vaddr, offset, filesz in segs:
                if vaddr <= addr and addr + 8 <= vaddr + filesz:
                    f.seek(offset + addr - vaddr)
                    return struct.unpack("<Q", f.read(8))[0], offset + addr - vaddr
            raise AssertionError("%#x is not in the core" % addr)

        def run_from(node, n):
            """The n nodes of the list from node, or None if it ends sooner."""
            out = [node]
            while len(out) < n:
                nxt = word(out[-1])[0] & ~3
                if nxt not in nodes:
                    return None
                out.append(nxt)
            return out

        # its first node's _gc_prev is the list's head, no node
        first = [obj - 16 for obj, gen in clean.items()
                 if gen == "2" and word(obj - 16 + 8)[0] & ~3 not in nodes]
        run = run_from(first[0], 9000) if len(first) == 1 else None
        if not run or sum(gen != "2" for gen in clean.values()) < 20000:
            os.unlink(core)
            return ["no run of 9000 nodes in generation 2 before 20000 frozen ones"]
        # a cycle of 8000: the walk notices after about that many nodes
        # more, so it hands the worker blocks of nodes it then takes back
        bend, back = run[8999], run[999]
        lost = set()
        node = word(bend)[0] & ~3
        while node in nodes:
            lost.add(node + 16)
            node = word(node)[0] & ~3
        at = word(bend)[1]
    # The worker's index of the gc objects (made during the walk on big
    # heaps only), made on this one: the same graph as the main thread's.
    runs = [harness.run_scanner(["--core", core, "--set", "all", "--format", "referents"], check=False,
                                env=dict({"PYHEAPSCAN_THREADS": "2"}, **extra)).stdout
            for extra in ({}, {"PYHEAPSCAN_TEST_INDEX_AHEAD": "1"})]
    if runs[0] != runs[1] or not runs[0]:
        failures.append("the worker's index of the gc objects gives another graph")
    with open(core, "r+b") as f:
        f.seek(at)
        f.write(struct.pack("<Q", back))
    try:
        found, err = gc_objects(core, check=False)
        if "gc list" not in err:
            failures.append("no word of the bent gc list: %r" % err)
        if set(found) != set(clean) - lost:
            failures.append("%d gc objects, %d expected (%d lost after the bend); %d unexpected, %d missing"
                            % (len(found), len(clean) - len(lost), len(lost),
                               len(set(found) - (set(clean) - lost)), len((set(clean) - lost) - set(found))))
        for args in (["--set", "all", "--format", "referents"], ["--by", "rcs"]):
            # the worker reads every block it was handed before the cut
            runs = [harness.run_scanner(["--core", core] + args, check=False,
                                        env=dict({"PYHEAPSCAN_TEST_PAUSE": "cycle", "PYHEAPSCAN_THREADS": n},
                                                 **extra)).stdout
                    for n, extra in (("1", {}), ("2", {}), ("2", {"PYHEAPSCAN_TEST_INDEX_AHEAD": "1"}))]
            if runs[0] != runs[1] or runs[0] != runs[2] or not runs[0]:
                failures.append("bent list, %s: one thread, two, and two with the worker's index differ"
                                % " ".join(args))
    finally:
        os.unlink(core)
    return failures


def mutations(core, workdir):
    """Truncated and byte-flipped cores: a documented exit code, one message
    line, never a crash or a sanitizer report, and never much slower than the
    clean core."""
    def mutant(rng, i, data):
        b = bytearray(data)
        if i % 3 == 0:
            return bytes(b[:rng.randrange(0, len(b))])
        # Where a flip hurts most: the headers, the notes, the segments' start.
        middle = len(data) // 2
        for _ in range(rng.randrange(1, 16)):
            if rng.random() < 0.7:
                k = rng.randrange(8192)
                pos = k if k < 4096 else middle + k - 4096
            else:
                pos = rng.randrange(len(b))
            b[pos] = rng.randrange(256)
        return bytes(b)

    path = os.path.join(workdir, "mutant.core")
    return harness.fuzz(path, core, mutant, MUTATIONS, ["--core", path, "--format", "json"],
                        lambda rc: rc in DOCUMENTED_EXITS)


def main():
    workdir = tempfile.mkdtemp(prefix="pyheapscan-cores-")
    rc, failed = 1, 1
    # The cores (gigabytes at times) go even when a check raises.
    try:
        results = harness.Results("cores: a gcore of the stopped fixture vs the live scan",
                                  ["--set all objects", "JSON"])
        first_core = None
        for interp in harness.select(lambda i: i.minor in MINORS):
            failures, cells, core = check(interp, workdir)
            results.add(interp, cells, failures)
            if core and interp.id == "sys-3.11":
                first_core = core
            elif core:
                os.unlink(core)
        extra = []
        if first_core:
            extra.append(("compressed cores (zstd, lz4, xz, gzip)", compressed(first_core, workdir)))
            extra.append(("missing and wrong files named with their build-ids",
                          missing_and_wrong_files(first_core, workdir)))
            extra.append(("a gc list bent into a cycle loses what follows the bend",
                          cyclic_gc_list(workdir)))
            fails, summary = mutations(first_core, workdir)
            extra.append(("%d truncated or flipped cores never crash the scanner" % MUTATIONS, fails))
        else:
            summary = ""
        crash_failures, how = crash_core(workdir)
        extra.append(("a crash core (%s) says SIGSEGV killed it" % how, crash_failures))
        rc = results.report()
        failed = 0
        for name, fails in extra:
            print("%-60s %s" % (name, "ok" if not fails else "FAIL"))
            for f in fails:
                print("    " + f)
            failed += bool(fails)
        if summary:
            print(summary)
        print("%d passed, %d failed" % (len(extra) - failed, failed))
    finally:
        harness.clear_workdir(workdir, bool(rc or failed))
    sys.exit(1 if rc or failed else 0)


main()
