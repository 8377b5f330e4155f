"""Benchmark of `stacks`: a target of 50 threads, each 30 frames deep
(bench/stacks_target.py), on Debian's 3.11.  Prints, measured in the same
run: how long `stacks` stops the target and its end-to-end time, the same
with --native, and as the reference gdb's `thread apply all py-bt` (the
python3.11-dbg gdb extension) over the same target, with the ratios.
Medians of 5 runs (gdb: 3): these machines are noisy.

usage: python3 bench/stacks.py BUILD_DIR [PYTHON]"""
import json
import os
import statistics
import subprocess
import sys
import time

build = sys.argv[1]
python = sys.argv[2] if len(sys.argv) > 2 else "/usr/bin/python3.11"
here = os.path.dirname(os.path.abspath(__file__))
scanner = os.path.join(build, "scanner", "pyheapscan")

target = subprocess.Popen([python, os.path.join(here, "stacks_target.py"), "50", "30"],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
assert target.stdout.readline() == b"READY\n"


def run_stacks(extra):
    stops, totals, frames = [], [], 0
    for _ in range(5):
        t0 = time.perf_counter()
        p = subprocess.run([scanner, "stacks", "-p", str(target.pid), "--format", "json"] + extra,
                           stdout=subprocess.PIPE, check=True)
        totals.append(time.perf_counter() - t0)
        doc = json.loads(p.stdout)
        stops.append(doc["timing"]["stopped_seconds"])
        frames = sum(len(t["frames"]) for t in doc["threads"])
    return statistics.median(stops), statistics.median(totals), frames


def run_gdb():
    totals, frames = [], 0
    for _ in range(3):
        t0 = time.perf_counter()
        p = subprocess.run(["gdb", "-batch", "-p", str(target.pid), "-ex", "thread apply all py-bt"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
        totals.append(time.perf_counter() - t0)
        frames = p.stdout.decode().count("File \"")
    return statistics.median(totals), frames


try:
    stop, total, frames = run_stacks([])
    nstop, ntotal, _ = run_stacks(["--native"])
    gdb, gdb_frames = run_gdb()
finally:
    target.stdin.close()
    target.wait(timeout=60)

print("stacks of 50 threads x 30 frames (%d Python frames; gdb's py-bt printed %d)" % (frames, gdb_frames))
print("  stacks:          stopped %.4f s, end to end %.3f s" % (stop, total))
print("  stacks --native: stopped %.4f s, end to end %.3f s" % (nstop, ntotal))
print("  gdb py-bt:       end to end %.3f s (the target is stopped throughout)" % gdb)
print("  ratios to gdb's end to end: stacks stop %.4fx, stacks %.3fx, --native %.3fx"
      % (stop / gdb, total / gdb, ntotal / gdb))
