"""The target is never left stopped, whatever happens to the scanner: it is
killed, interrupted or crashes while the target is stopped.  A target that
was already stopped (SIGSTOP) before the scan stays stopped after it."""
import os
import signal
import sys

import harness


def scan_interrupted(how):
    """Stops the scanner while the target is stopped, does `how` to it, and
    checks the target runs on."""
    failures = []
    target = harness.Target(harness.system_python(), args=["--threads", "3"])
    env = {"PYHEAPSCAN_TEST_PAUSE": "stopped"}
    if how == "crash":
        env = {"PYHEAPSCAN_TEST_CRASH": "stopped"}
    scanner = harness.start_scanner(["-p", str(target.pid)], env=env)
    try:
        if how == "crash":
            scanner.wait(timeout=120)
            if scanner.returncode != -signal.SIGSEGV:
                failures.append("scanner ended with %s, expected SIGSEGV" % scanner.returncode)
        else:
            if not harness.wait_state(scanner.pid, ("T",)):
                failures.append("scanner never reached the pause")
            if harness.proc_state(target.pid) not in ("t", "T"):
                failures.append("target was not stopped during the scan (state %s)" %
                                harness.proc_state(target.pid))
            if how == "SIGKILL":
                scanner.kill()
            else:
                os.kill(scanner.pid, getattr(signal, how))
                os.kill(scanner.pid, signal.SIGCONT)
            scanner.wait(timeout=120)
            expected = -getattr(signal, how)
            if scanner.returncode != expected:
                failures.append("scanner ended with %s, expected %s" % (scanner.returncode, expected))
        # Every thread of the target runs again.
        for tid in os.listdir("/proc/%d/task" % target.pid):
            if not harness.wait_state(int(tid), ("S", "R"), timeout=10):
                failures.append("thread %s left in state %s" % (tid, harness.proc_state(int(tid))))
    finally:
        if scanner.poll() is None:
            scanner.kill()
            scanner.wait()
    if not target.finish():
        failures.append("target did not run on")
    return failures


def prestopped_target_stays_stopped():
    failures = []
    target = harness.Target(harness.system_python(), args=["--threads", "2"])
    os.kill(target.pid, signal.SIGSTOP)
    harness.wait_state(target.pid, ("T",))
    p = harness.run_scanner(["-p", str(target.pid), "--format", "json"], check=False)
    if p.returncode != 0:
        failures.append("scan of a stopped target failed: %s" % p.stderr.decode())
    for tid in os.listdir("/proc/%d/task" % target.pid):
        state = harness.proc_state(int(tid))
        if state != "T":
            failures.append("thread %s of a stopped target is in state %s after the scan" % (tid, state))
    os.kill(target.pid, signal.SIGCONT)
    if not target.finish():
        failures.append("target did not run on after SIGCONT")
    return failures


def mem_file_fallback_reads_the_same():
    """Without process_vm_readv (kernels lacking it) /proc/PID/mem serves."""
    failures = []
    target = harness.Target(harness.system_python())
    try:
        a = harness.run_scanner(["-p", str(target.pid), "--format", "objects"]).stdout
        b = harness.run_scanner(["-p", str(target.pid), "--format", "objects"],
                                env={"PYHEAPSCAN_NO_PROCESS_VM_READV": "1"}).stdout
        if a != b or not a:
            failures.append("the /proc/PID/mem scan differs (%d vs %d bytes)" % (len(a), len(b)))
    finally:
        if not target.finish():
            failures.append("target did not run on")
    return failures


def main():
    cases = [
        ("scanner killed (SIGKILL) while the target is stopped", lambda: scan_interrupted("SIGKILL")),
        ("scanner terminated (SIGTERM) while the target is stopped", lambda: scan_interrupted("SIGTERM")),
        ("scanner interrupted (SIGINT) while the target is stopped", lambda: scan_interrupted("SIGINT")),
        ("scanner hung up (SIGHUP) while the target is stopped", lambda: scan_interrupted("SIGHUP")),
        ("scanner crashes (SIGSEGV) while the target is stopped", lambda: scan_interrupted("crash")),
        ("a target stopped before the scan stays stopped", prestopped_target_stays_stopped),
        ("/proc/PID/mem reads what process_vm_readv reads", mem_file_fallback_reads_the_same),
    ]
    failed = 0
    for name, fn in cases:
        failures = fn()
        print("%-60s %s" % (name, "ok" if not failures else "FAIL"))
        for f in failures:
            print("    " + f)
        failed += bool(failures)
    print("%d passed, %d failed" % (len(cases) - failed, failed))
    sys.exit(1 if failed else 0)


main()
