"""Benchmark: the scanner against references measured in the same run, on
the same heap (ratios, not absolute times: these machines are noisy).

The pause: the target's stop as the scanner reports it and as a busy target
sees it (its longest gap between loop iterations), against a raw
process_vm_readv copy of its writable mappings into fresh buffers and into
buffers already faulted in (aim: at most 1.1x the warm copy).
End to end: the default scan, --by rcs and --format pympler against
heapy's hp.heap() and its table, heapy's byrcs and pympler's summary, each
run inside the target (aims: 10x, 10x and 20x faster); references that are
not installed are skipped with the reason.  The scanner's peak RSS against
the target's (aim: at most 1.2x + 48 bytes an object).

usage: run.py BUILD [PYTHON] [NOBJECTS]"""
import json
import os
import statistics
import subprocess
import sys
import time

build = sys.argv[1]
python = sys.argv[2] if len(sys.argv) > 2 else "/usr/bin/python3"
nobjects = sys.argv[3] if len(sys.argv) > 3 else "1000000"
here = os.path.dirname(os.path.abspath(__file__))
scanner = os.path.join(build, "scanner", "pyheapscan")
raw_copy = os.path.join(build, "bench", "raw_copy")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
E2E_RUNS = 5  # each scan end to end, the median shown

target = subprocess.Popen([python, os.path.join(here, "target.py"), nobjects],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def ask(cmd):
    target.stdin.write((cmd + "\n").encode())
    target.stdin.flush()


def answer():
    return target.stdout.readline().decode().split()


def run_scanner(args, env=None):
    """(seconds, stdout, peak RSS in bytes) of one scan of the target; env
    adds to the environment (its stderr then goes to phases[])."""
    t0 = time.perf_counter()
    p = subprocess.Popen([scanner, "-p", str(target.pid)] + args, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE if env else None, env=dict(os.environ, **(env or {})))
    out = p.stdout.read()
    if env:
        phases[:] = p.stderr.read().decode().splitlines()
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("scanner %s failed" % " ".join(args))
    return seconds, out, usage.ru_maxrss * 1024


def target_rss():
    with open("/proc/%d/status" % target.pid) as f:
        return next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmRSS:"))


phases = []
inproc_line = answer()
assert answer() == ["READY"]
inproc, count = float(inproc_line[1]), int(inproc_line[2])

# The pause.  Each round: both raw copies while the target sleeps, then a
# scan while it loops, and the same time looping without a scan (what the
# machine's own noise costs the loop).
fresh, warm, huge, stops, gaps, idle_gaps = [], [], [], [], [], []
for _ in range(ROUNDS):
    out = subprocess.run([raw_copy, str(target.pid)], stdout=subprocess.PIPE, check=True).stdout.split()
    fresh.append(float(out[0]))
    copied = int(out[1])
    out = subprocess.run([raw_copy, str(target.pid), "warm"], stdout=subprocess.PIPE, check=True).stdout.split()
    warm.append(float(out[0]))
    out = subprocess.run([raw_copy, str(target.pid), "warm-huge"], stdout=subprocess.PIPE, check=True).stdout.split()
    huge.append(float(out[0]))
    ask("busy")
    time.sleep(0.2)
    t0 = time.perf_counter()
    _, out, _ = run_scanner(["--set", "gc", "--by", "type", "--format", "json"])
    scan_seconds = time.perf_counter() - t0
    ask("gap")
    gaps.append(float(answer()[1]))
    stops.append(json.loads(out)["timing"]["stopped_seconds"])
    ask("busy")
    time.sleep(0.2 + scan_seconds)
    ask("gap")
    idle_gaps.append(float(answer()[1]))

# End to end, the target idle.  The scans take turns, round after round:
# this machine's noise comes in spells, and a spell should not fall on
# one scan's runs.  Each measured run follows one of the same scan: a run
# after a scan that held more memory paid to fault in what that one had
# just given back (the default after pympler's 1.3x slower at 1M).
scans = {"default": [], "--by rcs": ["--by", "rcs"], "--format pympler": ["--format", "pympler"]}
times, rss, reachable = {name: [] for name in scans}, 0, 0
one_thread = []
for _ in range(E2E_RUNS):
    for name, args in scans.items():
        args = args + ([] if "--format" in args else ["--format", "json"])
        run_scanner(args)
        seconds, out, peak = run_scanner(args)
        times[name].append(seconds)
        rss = max(rss, peak)
        if name == "default":
            reachable = json.loads(out)["count"]
            # the same scan kept to one core, and one's phases, alternating
            one_thread.append(run_scanner(["--format", "json"], {"PYHEAPSCAN_THREADS": "1"})[0])
            run_scanner(["--format", "json"], {"PYHEAPSCAN_TIMES": "1"})
t_rss = target_rss()

refs = {}
for name, cmd in (("default", "heapy"), ("--by rcs", "byrcs"), ("--format pympler", "pympler")):
    ask(cmd)
    a = answer()
    refs[name] = float(a[1]) if a[1] != "skipped" else " ".join(a[2:])
ask("quit")
target.stdin.close()
target.wait()

med = statistics.median
print("target: %s, %d gc objects, %d reachable, %.1f MiB writable memory, RSS %.1f MiB"
      % (python, count, reachable, copied / 2**20, t_rss / 2**20))
print("pause (median of %d):" % ROUNDS)
print("  raw copy into fresh buffers:     %7.3f s" % med(fresh))
print("  raw copy into faulted-in buffers:%7.3f s" % med(warm))
print("  ... into faulted-in huge pages:%7.3f s (the scanner's buffers are these)" % med(huge))
print("  scanner's stop, as it reports:   %7.3f s = %.2fx the warm copy, %.2fx the warm huge, %.2fx the fresh"
      " (aim <= 1.1x warm)" % (med(stops), med(stops) / med(warm), med(stops) / med(huge), med(stops) / med(fresh)))
print("  target's longest gap, scanned:   %7.3f s = %.2fx the warm copy, %.2fx the warm huge (not scanned: %.3f s)"
      % (med(gaps), med(gaps) / med(warm), med(gaps) / med(huge), med(idle_gaps)))
print("end to end (median of %d), against the same report made inside the target (one run):" % E2E_RUNS)
aims = {"default": ("heapy hp.heap() + table", 10), "--by rcs": ("heapy byrcs", 10),
        "--format pympler": ("pympler summary", 20)}
for name in scans:
    t = med(times[name])
    what, aim = aims[name]
    ref = refs[name]
    if isinstance(ref, float):
        print("  %-17s %7.3f s; %s %7.3f s: %5.1fx faster (aim >= %dx)" % (name, t, what, ref, ref / t, aim))
    else:
        print("  %-17s %7.3f s; %s skipped: %s" % (name, t, what, ref))
print("  default on one core (PYHEAPSCAN_THREADS=1): %.3f s = %.2fx the default's"
      % (med(one_thread), med(one_thread) / med(times["default"])))
print("  in-process gc.get_objects()+getsizeof: %.3f s (best of 3)" % inproc)
print("phases of the default scan (its last run, PYHEAPSCAN_TIMES=1):")
for line in phases:
    if ": time: " in line and " 0.000 s" not in line:
        print("  " + line.split(": time: ", 1)[1])
limit = 1.2 * t_rss + 48 * reachable
print("peak RSS: %.1f MiB = %.2fx the target's; aim <= 1.2x + 48 B/object = %.1f MiB (%s)"
      % (rss / 2**20, rss / t_rss, limit / 2**20, "met" if rss <= limit else "not met"))
