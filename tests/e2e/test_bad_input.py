"""Each bad input gets one clear line on stderr and its own exit code, and
the target is left as it was."""
import os
import subprocess
import sys
import time

import harness

EXIT_USAGE, EXIT_NO_PROCESS, EXIT_PERMISSION, EXIT_NOT_PYTHON, EXIT_TARGET_GONE = 2, 3, 4, 5, 7
EXIT_NO_OBJECT, EXIT_TRACED = 13, 14


class Case:
    def __init__(self, name):
        self.name = name
        self.failures = []

    def expect_exit(self, p, code, words):
        err = p.stderr.decode(errors="replace") if isinstance(p.stderr, bytes) else p.stderr
        lines = err.splitlines()
        if p.returncode != code:
            self.failures.append("exit %d, expected %d (stderr: %r)" % (p.returncode, code, err))
        if len(lines) != 1 or not lines[0].startswith("pyheapscan: "):
            self.failures.append("expected one 'pyheapscan: ' line on stderr, got %r" % err)
        for w in words:
            if w not in err:
                self.failures.append("message lacks %r: %r" % (w, err))
        if p.stdout:
            self.failures.append("wrote to stdout: %r" % p.stdout[:200])


def dead_pid():
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def no_such_process():
    c = Case("no such process")
    c.expect_exit(harness.run_scanner(["-p", str(dead_pid())], check=False), EXIT_NO_PROCESS,
                  ["no process with pid"])
    return c


def not_python():
    c = Case("not a Python process (sleep)")
    sleeper = subprocess.Popen(["sleep", "120"])
    try:
        why = harness.wait_parked(sleeper.pid, (harness.SYS_CLOCK_NANOSLEEP, 0))
        if why:
            c.failures.append("sleep: %s" % why)
        p = harness.run_scanner(["-p", str(sleeper.pid)], check=False)
        c.expect_exit(p, EXIT_NOT_PYTHON, ["is not a CPython process", "sleep"])
        state = harness.proc_state(sleeper.pid)
        if state not in ("S", "R"):
            c.failures.append("sleep left in state %s" % state)
    finally:
        sleeper.kill()
        sleeper.wait()
    return c


def not_permitted():
    c = Case("not permitted (unprivileged scanner, root target)")
    target = harness.Target(harness.system_python())
    try:
        scanner = harness.scanner_path()
        p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            "--inh-caps=-all", scanner, "-p", str(target.pid)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        c.expect_exit(p, EXIT_PERMISSION, ["not permitted", "CAP_SYS_PTRACE", "ptrace"])
        if target.state() in ("T", "t"):
            c.failures.append("target left stopped")
    finally:
        if not target.finish():
            c.failures.append("target did not run on")
    return c


# A tracer of its own: seizes the pid given, says so, and holds it until its
# stdin closes (then exits, which detaches it without stopping the target).
SEIZER = """
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
PTRACE_SEIZE = 0x4206
if libc.ptrace(PTRACE_SEIZE, int(sys.argv[1]), None, None) != 0:
    sys.exit("seize failed: errno %d" % ctypes.get_errno())
print("seized", flush=True)
sys.stdin.read()
"""


def already_traced():
    """A target that another process traces: named with that tracer's pid
    and command, its own exit code, and the target runs on."""
    c = Case("already traced by another process")
    target = harness.Target(harness.system_python())
    seizer = subprocess.Popen([sys.executable, "-c", SEIZER, str(target.pid)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = seizer.stdout.readline().decode()
        if line.strip() != "seized":
            c.failures.append("the test's own tracer could not seize the target: %r %r"
                              % (line, seizer.stderr.read()))
            return c
        p = harness.run_scanner(["-p", str(target.pid)], check=False)
        c.expect_exit(p, EXIT_TRACED, ["already traced by process %d (python3" % seizer.pid])
    finally:
        seizer.stdin.close()
        seizer.wait(timeout=60)
        if target.state() in ("T", "t"):
            c.failures.append("target left stopped")
        if not target.finish():
            c.failures.append("target did not run on")
    return c


def target_exits_during_scan():
    c = Case("target exits during the scan")
    target = harness.Target(harness.system_python())
    scanner = harness.start_scanner(["-p", str(target.pid)], env={"PYHEAPSCAN_TEST_PAUSE": "stopped"})
    try:
        if not harness.wait_state(scanner.pid, ("T",)):
            c.failures.append("scanner never reached the pause")
        # The tracer hears of the death first: the target is reaped only
        # once the scanner goes on.
        target.proc.kill()
        os.kill(scanner.pid, 18)  # SIGCONT
        out, err = scanner.communicate(timeout=120)
        scanner.stdout, scanner.stderr = out, err
        c.expect_exit(scanner, EXIT_TARGET_GONE, ["exited during the scan"])
    finally:
        if scanner.poll() is None:
            scanner.kill()
        target.kill()
    return c


def target_exited_not_reaped():
    """A target that has exited but is not reaped yet (a zombie) maps no
    files: it is said to have exited, not to be something other than a
    CPython."""
    c = Case("target exited, not yet reaped")
    target = harness.Target(harness.system_python())
    try:
        target.proc.kill()
        if not harness.wait_state(target.pid, ("Z",)):
            c.failures.append("target never became a zombie")
        c.expect_exit(harness.run_scanner(["-p", str(target.pid)], check=False), EXIT_TARGET_GONE,
                      ["process %d has exited" % target.pid])
    finally:
        target.kill()
    return c


def usage_errors():
    c = Case("usage errors")
    c.expect_exit(harness.run_scanner([], check=False), EXIT_USAGE, ["-p PID"])
    c.expect_exit(harness.run_scanner(["-p", "1", "--format", "xml"], check=False), EXIT_USAGE,
                  ["--format"])
    c.expect_exit(harness.run_scanner(["-p", "abc"], check=False), EXIT_USAGE, ["process id"])
    c.expect_exit(harness.run_scanner(["-p", "1", "--by", "klass"], check=False), EXIT_USAGE, ["--by"])
    c.expect_exit(harness.run_scanner(["refs", "-p", "1"], check=False), EXIT_USAGE, ["address"])
    c.expect_exit(harness.run_scanner(["suspects", "-p", "1", "--threshold", "0"], check=False), EXIT_USAGE,
                  ["--threshold"])
    c.expect_exit(harness.run_scanner(["-p", "1", "--threshold", "5"], check=False), EXIT_USAGE,
                  ["--threshold goes with suspects"])
    c.expect_exit(harness.run_scanner(["-p", "1", "--format", "html"], check=False), EXIT_USAGE,
                  ["html is the report of suspects"])
    c.expect_exit(harness.run_scanner(["suspects", "-p", "1", "A", "B"], check=False), EXIT_USAGE,
                  ["a series"])
    return c


def refs_of_no_object():
    """refs at an address where no object is: its own exit code, and the
    target runs on."""
    c = Case("refs at an address that holds no object")
    target = harness.Target(harness.system_python(), fixture="relations_fixture.py")
    try:
        p = harness.run_scanner(["refs", "-p", str(target.pid), "0x10"], check=False)
        c.expect_exit(p, EXIT_NO_OBJECT, ["no object at 0x10"])
    finally:
        if not target.finish():
            c.failures.append("target did not run on")
    return c


def main():
    cases = [no_such_process(), not_python(), not_permitted(), already_traced(), target_exits_during_scan(), target_exited_not_reaped(),
             usage_errors(), refs_of_no_object()]
    failed = 0
    for c in cases:
        print("%-55s %s" % (c.name, "ok" if not c.failures else "FAIL"))
        for f in c.failures:
            print("    " + f)
        failed += bool(c.failures)
    print("%d passed, %d failed" % (len(cases) - failed, failed))
    sys.exit(1 if failed else 0)


main()
