"""Benchmark: the scanner against references measured in the same run.

Prints the target's stop time against a raw process_vm_readv copy of its
writable mappings (aim: at most 1.2x), and the scanner's whole run against the
in-process gc.get_objects() + sys.getsizeof walk (aim: at most 5x), plus the
scanner's peak RSS.  Ratios, not absolute times: these machines are noisy."""
import json
import os
import resource
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

target = subprocess.Popen([python, os.path.join(here, "target.py"), nobjects],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
inproc_line = target.stdout.readline().split()
assert target.stdout.readline() == b"READY\n"
inproc, count, size = float(inproc_line[1]), int(inproc_line[2]), int(inproc_line[3])

raws, stops, totals, rss = [], [], [], 0
for _ in range(5):
    out = subprocess.run([raw_copy, str(target.pid)], stdout=subprocess.PIPE, check=True).stdout.split()
    raws.append(float(out[0]))
    copied = int(out[1])
    t0 = time.perf_counter()
    p = subprocess.run([scanner, "-p", str(target.pid), "--set", "gc", "--by", "type", "--format",
                        "json"], stdout=subprocess.PIPE, check=True)
    totals.append(time.perf_counter() - t0)
    r = json.loads(p.stdout)
    stops.append(r["timing"]["stopped_seconds"])
    rss = max(rss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
alls, defaults = [], []
for _ in range(3):
    t0 = time.perf_counter()
    p = subprocess.run([scanner, "-p", str(target.pid), "--set", "all", "--format", "json"],
                       stdout=subprocess.PIPE, check=True)
    alls.append(time.perf_counter() - t0)
    all_count = json.loads(p.stdout)["count"]
    t0 = time.perf_counter()
    p = subprocess.run([scanner, "-p", str(target.pid), "--format", "json"], stdout=subprocess.PIPE,
                       check=True)
    defaults.append(time.perf_counter() - t0)
    default_count = json.loads(p.stdout)["count"]
# The per-object classifiers: relation names, the reverse index, texts.
per_object = {}
for by in ("via", "rcs", "id"):
    t0 = time.perf_counter()
    subprocess.run([scanner, "-p", str(target.pid), "--by", by, "--format", "json", "--top", "10"],
                   stdout=subprocess.PIPE, check=True)
    per_object[by] = time.perf_counter() - t0
target.stdin.write(b"x")
target.stdin.close()
target.wait()

raw, stop, total = statistics.median(raws), statistics.median(stops), statistics.median(totals)
print("target: %s, %d gc objects in-process, %d found by the scanner, %.1f MiB writable memory"
      % (python, count, r["count"], copied / 2**20))
print("  in-process gc.get_objects()+getsizeof: %8.3f s (best of 3)" % inproc)
print("  raw process_vm_readv copy:             %8.3f s (median of 5)" % raw)
print("  scanner: target stopped                %8.3f s  = %.2fx the raw copy (aim <= 1.2x)"
      % (stop, stop / raw))
print("  scanner --set gc --by type, end to end %8.3f s  = %.2fx the in-process walk (aim <= 5x)"
      % (total, total / inproc))
print("  scanner default (reachable, clodo):    %8.3f s  = %.2fx (%d objects)"
      % (statistics.median(defaults), statistics.median(defaults) / inproc, default_count))
print("  scanner --set all (%d objects, edges): %8.3f s  = %.2fx the in-process gc walk"
      % (all_count, statistics.median(alls), statistics.median(alls) / inproc))
for by, seconds in per_object.items():
    print("  scanner --by %-5s (reachable):         %8.3f s  = %.2fx" % (by, seconds, seconds / inproc))
print("  scanner: peak RSS                      %8.1f MiB (%.2fx the writable memory)"
      % (rss / 1024, rss * 1024 / copied))
