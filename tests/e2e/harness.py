"""Shared pieces of the end-to-end tests: the fleet, fixture targets, the
scanner, and the comparisons against the truth measured inside the target.

Every test runs real interpreters.  A target is started under its own root
(chroot(1) for the Debian chroots, so the scanner must resolve its files
through /proc/PID/root), builds its heap, measures the truth and blocks; the
test scans it, compares, then checks that it answers and exits cleanly."""
import atexit
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(SOURCE_ROOT, "fixtures")
FLEET_DIR = os.environ.get("PYHEAPSCAN_FLEET_DIR", "/var/cache/pyheapscan-fleet")
SCANNER = os.environ.get("PYHEAPSCAN", "")
IN_CI = os.environ.get("CI") == "true"


class Interpreter:
    def __init__(self, row):
        self.version, self.flavour, self.root, self.exe, self.incdir, self.id = row
        self.minor = ".".join(self.version.split(".")[:2])

    @property
    def debug(self):
        return "debug" in self.flavour.split(",")

    @property
    def extra(self):
        """Built from an extra source release (fixtures/fleet/extra.tsv)."""
        return "extra" in self.flavour.split(",")

    @property
    def freethreaded(self):
        """A free-threaded build (--disable-gil): a flavour of its version."""
        return "freethreaded" in self.flavour.split(",")

    @property
    def extra_name(self):
        """Its row's name in fixtures/fleet/extra.tsv: the release, with a
        "t" for the free-threaded build of it."""
        return self.version + ("t" if self.freethreaded else "")

    def __repr__(self):
        return "%s (%s %s)" % (self.id, self.version, self.flavour)


def fleet(extra=False, freethreaded=False):
    """The fleet's interpreters; with extra, also those built from extra
    source releases (patch levels no layout was generated from).  The
    free-threaded builds only with freethreaded, and then only they."""
    path = os.path.join(FLEET_DIR, "fleet.tsv")
    if not os.path.exists(path):
        fatal("no fleet at %s: run fixtures/fleet/provision.sh" % path)
    rows = [line.rstrip("\n").split("\t") for line in open(path)]
    return [i for i in (Interpreter(r) for r in rows[1:] if len(r) == 6)
            if (extra or not i.extra) and i.freethreaded == freethreaded]


def extra_not_tested(minors, freethreaded=False):
    """The extra patch releases of fixtures/fleet/extra.tsv of these minors
    that this machine's fleet lacks (their source is not in its cache);
    with freethreaded, the free-threaded ones ("3.13.0t") instead."""
    have = {i.extra_name for i in fleet(extra=True, freethreaded=freethreaded) if i.extra}
    rows = [line.rstrip("\n").split("\t")
            for line in open(os.path.join(FIXTURES, "fleet", "extra.tsv"))]
    return [r[0] for r in rows[1:]
            if r and r[0] not in have and r[0].endswith("t") == freethreaded
            and ".".join(r[0].split(".")[:2]) in minors]


def select(pred, extra=False, freethreaded=False):
    """The fleet interpreters a test covers.  The free-threaded builds are
    extras: a machine may have none (then they are named as not tested)."""
    chosen = [i for i in fleet(extra, freethreaded) if pred(i)]
    if not chosen and not freethreaded:
        fatal("no fleet interpreter matches this test")
    return chosen


def fatal(msg):
    print("FATAL: " + msg, flush=True)
    sys.exit(1)


def scanner_path():
    if not SCANNER or not os.access(SCANNER, os.X_OK):
        fatal("set PYHEAPSCAN to the built scanner (meson test does)")
    return SCANNER


def read_truth(path):
    """The fixture's truth file (fixtures/heap_fixture.py) as a dict."""
    truth = {"objects": [], "reached": [], "referents": [], "types": {}, "node_dicts": []}
    kinds = {"O": "objects", "R": "reached", "F": "referents", "D": "node_dicts"}
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            continue
        tag, rest = line.split(" ", 1) if " " in line else (line, "")
        if tag in kinds:
            truth[kinds[tag]].append(rest)
        elif tag == "T":
            addr, name = rest.split(" ", 1)
            truth["types"][addr] = name
        elif " " in rest or not rest.lstrip("-").isdigit():
            truth.setdefault(tag, []).append(rest)  # lines of text: every one kept
        else:
            truth[tag] = int(rest)
    return truth


# Every fixture still running when the test ends, however it ends: a
# fixture whose test died before letting it go may block for ever (the
# stacks fixture's gil-thread holds the GIL until a byte comes down its FIFO,
# so not even its stdin's end reaches it), so the harness kills what is left.
_running_targets = set()


def _kill_running_targets():
    for target in list(_running_targets):
        target.kill()


atexit.register(_kill_running_targets)
# meson ends a test past its timeout with SIGTERM, which would skip atexit.
signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def die_with_parent():
    """In a child before exec: killed when the test that started it dies,
    however it dies (SIGKILL, a cancelled CI run), so that no fixture
    outlives its test (the stacks fixture would block for ever, holding the
    GIL and its chroot busy).  The setting survives chroot(1)'s exec."""
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


def no_core():
    """In a scanner child before exec: a scanner that crashes (the attach
    test crashes one on purpose, a fuzzed core may) leaves no core behind."""
    import resource
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class Target:
    """A fixture program running under one interpreter, stopped at its
    measured state."""

    def __init__(self, interp, fixture="heap_fixture.py", args=(), timeout=180, companions=(),
                 before_ready=None):
        self.interp = interp
        root = interp.root.rstrip("/") or "/"
        base = os.path.join(root, "tmp") if root != "/" else None
        self.workdir = tempfile.mkdtemp(prefix="pyheapscan-test-", dir=base)
        for name in (fixture,) + tuple(companions):  # companions: modules it imports
            shutil.copy(os.path.join(FIXTURES, name), self.workdir)
        inner = self.workdir[len(root):] if root != "/" else self.workdir
        self.truth_path = os.path.join(self.workdir, "truth.txt")
        cmd = [interp.exe, os.path.join(inner, fixture), os.path.join(inner, "truth.txt")]
        cmd += list(args)
        if root != "/":
            chroot = shutil.which("chroot") or shutil.which("chroot", path="/usr/sbin:/sbin")
            if not chroot:
                fatal("chroot(1) not found")
            cmd = [chroot, root] + cmd
        env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, preexec_fn=die_with_parent)
        _running_targets.add(self)
        self.pid = self._python_pid()
        # A fixture that says READY only when the test has seen it somewhere
        # (the stacks fixture: its threads parked) and answered.
        why = before_ready(self) if before_ready else None
        if why:
            self.kill()
            fatal("%r: fixture did not reach its place before READY: %s" % (interp, why))
        line = self._readline(timeout)
        if line != b"READY\n":
            err = self.proc.stderr.read().decode(errors="replace") if self.proc.poll() is not None else ""
            self.kill()
            fatal("%r: fixture did not get ready (said %r) %s" % (interp, line, err[-2000:]))
        # Every fixture blocks reading its stdin after READY: the test goes
        # on once the kernel shows it there, every other thread parked too,
        # so that each reader after this one sees the same process.
        why = wait_parked(self.pid, (SYS_READ, 0))
        if why:
            self.kill()
            fatal("%r: fixture did not park after READY: %s" % (interp, why))
        try:
            self.truth = read_truth(self.truth_path)
        except (OSError, ValueError) as e:
            self.kill()  # the target and its working directory go with the error
            fatal("%r: unreadable truth file: %s" % (interp, e))

    def _python_pid(self):
        # chroot(1) execs the interpreter: same pid.
        return self.proc.pid

    def _readline(self, timeout):
        import select as sel
        deadline = time.time() + timeout
        buf = b""
        while not buf.endswith(b"\n"):
            left = deadline - time.time()
            if left <= 0:
                return buf
            r, _, _ = sel.select([self.proc.stdout], [], [], left)
            if not r:
                return buf
            ch = os.read(self.proc.stdout.fileno(), 1)
            if not ch:
                return buf
            buf += ch
        return buf

    def grow(self, timeout=180):
        """Asks the fixture to grow; returns the truth measured after."""
        self.proc.stdin.write(b"g")
        self.proc.stdin.flush()
        line = self._readline(timeout)
        if line != b"READY\n":
            raise AssertionError("fixture did not grow (said %r)" % line)
        why = wait_parked(self.pid, (SYS_READ, 0))
        if why:
            raise AssertionError("fixture did not park after growing: %s" % why)
        return read_truth(self.truth_path + ".2")

    def state(self):
        """The kernel's state letter for the target (R, S, T, t, Z...)."""
        with open("/proc/%d/stat" % self.pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0]

    def finish(self):
        """Lets the target go on; True when it answers and exits 0."""
        return self.finish_reading(None)[0]

    def finish_reading(self, name):
        """finish(), and the text of the file name (None: absent) that the
        fixture wrote in its working directory after it went on."""
        try:
            self.proc.stdin.write(b"x")
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass
        line = self._readline(60)
        try:
            rc = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            rc = None
        text = None
        if name:
            try:
                with open(os.path.join(self.workdir, name)) as f:
                    text = f.read()
            except OSError:
                pass
        self.cleanup()
        return line == b"ALIVE\n" and rc == 0, text

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.cleanup()

    def cleanup(self):
        if self.proc.poll() is not None:  # one that would not end stays for the kill at exit
            _running_targets.discard(self)
        shutil.rmtree(self.workdir, ignore_errors=True)

    # --- the truth -----------------------------------------------------------
    def gc_objects(self):
        """address -> (heapy type name, sys.getsizeof)"""
        names = self.truth["types"]
        out = {}
        for row in self.truth["objects"]:
            a, t, s = row.split()
            out[int(a, 16)] = (names[t], int(s))
        return out


def run_scanner(args, check=True, env=None, piped=None):
    """The scanner's run; piped: bytes written to its standard input through a pipe."""
    cmd = [scanner_path()] + list(args)
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e, timeout=600,
                       preexec_fn=no_core, input=piped)
    if check and p.returncode != 0:
        raise AssertionError("%s exited %d: %s" % (" ".join(cmd), p.returncode,
                                                     p.stderr.decode(errors="replace")))
    return p


def gcore(pid, directory):
    """A core of the running process pid, written by gdb's gcore (which
    stops it for the time it takes and lets it go)."""
    prefix = os.path.join(directory, "core")
    p = subprocess.run(["gcore", "-o", prefix, str(pid)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=300)
    path = "%s.%d" % (prefix, pid)
    if p.returncode != 0 or not os.path.exists(path):
        raise AssertionError("gcore failed: %s" % p.stderr.decode(errors="replace")[-500:])
    return path


def core_segments(path):
    """[(vaddr, offset, filesz)] of the core's PT_LOAD headers."""
    with open(path, "rb") as f:
        head = f.read(64)
        phoff, = struct.unpack_from("<Q", head, 32)
        phentsize, phnum = struct.unpack_from("<HH", head, 54)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    out = []
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack_from("<IIQQQQ", table, i * phentsize)
        if p_type == 1:  # PT_LOAD
            out.append((p_vaddr, p_offset, p_filesz))
    return out


def scan_objects(pid):
    """address -> (type name, size, generation) as the scanner reports them."""
    p = run_scanner(["-p", str(pid), "--set", "gc", "--format", "objects"])
    out = {}
    for line in p.stdout.decode().splitlines():
        a, s, gen, name = line.split("\t")[:4]
        out[int(a, 16)] = (name, int(s), gen)
    return out, p.stderr.decode()


class Results:
    """Collects per-interpreter checks; prints a table and the failures."""

    def __init__(self, title, columns):
        self.title = title
        self.columns = columns
        self.rows = []
        self.failures = []
        self.not_tested = []  # optional interpreters (extras) this machine lacks

    def add(self, interp, cells, failures):
        self.rows.append((interp, cells))
        self.failures += ["%s: %s" % (interp.id, f) for f in failures]

    def report(self):
        if not self.rows and not self.failures and self.not_tested:
            # Nothing to run here: meson's SKIP (exit 77), which tools/test.sh
            # counts as skipped only for a test whose every line names an
            # optional interpreter as not tested.
            for v in self.not_tested:
                print("not tested: %s" % v)
            print("0 passed, 0 failed, %d skipped" % len(self.not_tested), flush=True)
            return 77
        print()
        print(self.title)
        head = ["interpreter", "version", "flavour"] + self.columns
        table = [head] + [[i.id, i.version, i.flavour] + list(c) for i, c in self.rows]
        widths = [max(len(str(r[k])) for r in table) for k in range(len(head))]
        for r in table:
            print("  ".join(str(v).ljust(w) for v, w in zip(r, widths)))
        for f in self.failures:
            print("FAIL " + f)
        # A failure counts against its row, or (a check of no interpreter)
        # as one failed check of its own.
        ids = {i.id for i, _ in self.rows}
        failing = {f.split(":")[0] for f in self.failures}
        passed = len(ids - failing)
        for v in self.not_tested:
            print("not tested: %s" % v)
        print("%d passed, %d failed" % (passed, len(failing | ids) - passed), flush=True)
        return 0 if not self.failures else 1


def ratio(n, d):
    return "%d/%d (%.1f%%)" % (n, d, 100.0 * n / d if d else 100.0)


def first_differences(pairs, limit=10):
    return "; ".join(pairs[:limit]) + (" ... (%d in all)" % len(pairs) if len(pairs) > limit else "")


def proc_state(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


def wait_state(pid, states, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc_state(pid) in states:
            return True
        time.sleep(0.01)
    return False


def thread_syscalls(pid):
    """tid -> (the kernel's /proc/PID/task/TID/syscall line: "NR ARG0 ... SP
    PC" for a thread blocked in a system call, "running" for one that runs,
    "-1 SP PC" for one blocked elsewhere; its context switches so far)."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/syscall" % (pid, tid)) as f:
                call = f.read().strip()
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                switches = tuple(l.split()[1] for l in f if "ctxt_switches:" in l)
        except OSError:
            continue  # a thread that ended meanwhile
        out[int(tid)] = (call, switches)
    return out


def wait_parked(pid, main_call=None, timeout=60):
    """Waits until every thread of pid is blocked in a system call, each in
    the same call at the same place, without a context switch, across reads
    50 ms apart (a thread still running in C is caught moving; one that
    wakes to poll, as in the GIL's 5 ms timed wait, by its switches), and
    the main thread in main_call (number, first argument), if given.  None
    when parked; else what the threads were doing."""
    deadline = time.time() + timeout
    before = None
    while True:
        now = thread_syscalls(pid)
        blocked = all(call.split()[0] not in ("running", "-1") for call, _ in now.values())
        main = now.get(pid, ("",))[0].split()
        main_ok = main_call is None or (len(main) > 1 and main[0] == str(main_call[0])
                                        and int(main[1], 16) == main_call[1])
        if blocked and main_ok and now == before:
            return None
        if time.time() > deadline:
            return "threads not parked after %ds: %s" % (timeout, now)
        before = now if blocked and main_ok else None
        time.sleep(0.05)


SYS_READ = 0
SYS_CLOCK_NANOSLEEP = 230  # x86-64; sleep(1)'s, with CLOCK_REALTIME (0)


def start_scanner(args, env=None):
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.Popen([scanner_path()] + list(args), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=e, preexec_fn=no_core)


def system_python():
    """The fleet's system interpreter (the quickest target)."""
    for i in fleet():
        if i.id == "sys-3.11":
            return i
    fatal("the fleet has no sys-3.11")


FUZZ_SEED = int(os.environ.get("PYHEAPSCAN_FUZZ_SEED", "1234"))
# A scan of a damaged image may cost at most this many clean scans.
FUZZ_MAX_RATIO = 5.0


def timed_scan(args, timeout):
    """(exit code or None when killed at the timeout, stderr, CPU seconds):
    CPU time, user and system, is what load on a shared machine leaves
    alone, so it is what the fuzz tests compare."""
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.Popen([scanner_path()] + list(args), stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, preexec_fn=no_core)
    try:
        _, err = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
        rc = None
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return rc, err.decode(errors="replace"), cpu


def clear_workdir(workdir, failed):
    """A test's folder of cores and mutants (gigabytes at times) goes when
    the test ends: after a failure too, unless PYHEAPSCAN_KEEP_FAILED=1 asks
    to keep it for inspection (the fuzz seed printed replays each mutant), so
    that failed runs do not pile up on the host."""
    if failed and os.environ.get("PYHEAPSCAN_KEEP_FAILED") == "1":
        print("kept for inspection: %s" % workdir)
        return
    if failed:
        print("removed %s (PYHEAPSCAN_KEEP_FAILED=1 keeps it)" % workdir)
    shutil.rmtree(workdir, ignore_errors=True)


def fuzz(path, clean, make_mutant, count, args, accept, seed=FUZZ_SEED):
    """Writes count mutants of the file clean to path and scans each with
    args.  Mutant i is make_mutant(random.Random("seed:i"), i, data): its seed
    alone remakes it.  The scanner must end with an exit code accept()
    takes, one message line at most, no sanitizer report, and within
    FUZZ_MAX_RATIO times the CPU time of the clean file's scan (the least of
    three); a mutant past that is run twice more and judged by its least.
    A scan still running at the timeout is killed and is a failure.  A
    failing mutant is kept beside path.  Returns (failures, summary)."""
    import random
    data = open(clean, "rb").read()
    with open(path, "wb") as f:
        f.write(data)
    base = []
    for _ in range(3):
        rc, err, cpu = timed_scan(args, 600)
        base.append(cpu)
    base_cpu = max(min(base), 0.001)
    timeout = max(30.0, 40 * base_cpu)
    failures = []
    slowest = (0.0, -1)
    for i in range(count):
        b = make_mutant(random.Random("%d:%d" % (seed, i)), i, data)
        with open(path, "wb") as f:
            f.write(b)
        rc, err, cpu = timed_scan(args, timeout)
        if rc is not None and cpu > FUZZ_MAX_RATIO * base_cpu:
            for _ in range(2):
                rc, err, again = timed_scan(args, timeout)
                cpu = min(cpu, again)
        problem = None
        if rc is None:
            problem = "still running after %.0f s (the clean scan takes %.2f s of CPU): killed" \
                      % (timeout, base_cpu)
        elif rc < 0 or not accept(rc) or "Sanitizer" in err or "runtime error" in err or \
                (rc and len(err.splitlines()) != 1):
            lines = [l for l in err.splitlines()
                     if "runtime error" in l or "ERROR:" in l or "SUMMARY" in l] or err.splitlines()[-1:]
            problem = "exit %d: %s" % (rc, " | ".join(lines)[:400])
        elif cpu > FUZZ_MAX_RATIO * base_cpu:
            problem = "took %.2f s of CPU, %.1f times the clean scan's %.2f s" \
                      % (cpu, cpu / base_cpu, base_cpu)
        if rc is not None and cpu > slowest[0]:
            slowest = (cpu, i)
        if problem:
            shutil.copy(path, "%s.%d" % (path, i))
            failures.append("mutant %d (seed %d:%d, kept as %s.%d): %s"
                            % (i, seed, i, path, i, problem))
            if len(failures) >= 5:
                break
    summary = ("slowest of %d mutants (seed %d): #%d, %.3f s of CPU against the clean scan's "
               "%.3f s: %.2fx (at most %.0fx)"
               % (count, seed, slowest[1], slowest[0], base_cpu, slowest[0] / base_cpu, FUZZ_MAX_RATIO))
    return failures, summary


def per_interpreter(title, columns, minors, check, extra=False, freethreaded=False):
    """Runs check(interp) -> (failures, cells) on every fleet interpreter of
    the minors, prints the table, and exits 0 only when all passed.  With
    extra, the interpreters built from extra source releases too; those this
    machine lacks are named as not tested, which is no failure.  With
    freethreaded, the free-threaded builds (extras) instead of the others."""
    extra = extra or freethreaded
    results = Results(title, columns)
    for interp in select(lambda i: i.minor in minors, extra, freethreaded):
        failures, cells = check(interp)
        results.add(interp, cells, failures)
    if extra:
        for v in extra_not_tested(minors, freethreaded):
            built = os.path.exists(os.path.join(FLEET_DIR, "extra-src", v, "configure"))
            results.not_tested.append("%s (%s)" % (v, "source in the fleet cache, not built: run provision.sh"
                                                   if built else "source not in the fleet cache"))
    sys.exit(results.report())
