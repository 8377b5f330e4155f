"""Benchmark of the dominator tree, retained sizes and paths, in one run on
the million-object target (bench/target.py): the plain default scan against
the same scan with --retained, `top` (dominators, retained sizes, a path per
object), `suspects` (dominators, retained sizes, the suspects and their
accumulation points, with the HTML page too) and `--by via` (which builds
what top builds but the dominators: relation names, the referrer index) and
`refs` (which builds exactly what top builds: relations, referrers, owners,
texts).  Each run's time and peak RSS
(wait4); the extra peak memory of `top` over `refs` per reachable object is
the dominators' and the distances' share.

usage: python3 bench/whyalive.py BUILD_DIR [PYTHON] [NOBJECTS] [REPEATS]
(REPEATS: runs of each, the median kept; 3 unless told)"""
import json
import os
import statistics
import subprocess
import sys
import time

build = sys.argv[1]
python = sys.argv[2] if len(sys.argv) > 2 else "/usr/bin/python3"
nobjects = sys.argv[3] if len(sys.argv) > 3 else "1000000"
repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 3
here = os.path.dirname(os.path.abspath(__file__))
scanner = os.path.join(build, "scanner", "pyheapscan")


def run(args):
    """(seconds, peak RSS in KiB, stdout) of one scanner run."""
    t0 = time.perf_counter()
    p = subprocess.Popen([scanner] + args, stdout=subprocess.PIPE)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit("%s exited %d" % (args, p.returncode))
    return time.perf_counter() - t0, usage.ru_maxrss, out


target = subprocess.Popen([python, os.path.join(here, "target.py"), nobjects],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
target.stdout.readline()
assert target.stdout.readline() == b"READY\n"
pid = str(target.pid)
runs = {
    "plain (default scan)": ["-p", pid, "--format", "json"],
    "--retained (10 rows)": ["-p", pid, "--retained", "--format", "json", "--top", "10"],
    "--by via": ["-p", pid, "--by", "via", "--format", "json", "--top", "10"],
    "top -n 10": ["top", "-p", pid, "--format", "json"],
    "suspects": ["suspects", "-p", pid, "--format", "json"],
    "suspects --format html": ["suspects", "-p", pid, "--format", "html"],
}
results = {name: [] for name in runs}
for _ in range(repeats):
    for name, args in runs.items():
        results[name].append(run(args))
# refs builds exactly what top builds (relations, referrers, owners, texts)
# and computes nothing more: top's peak over it is the dominators' and the
# distances'.  The object asked about: the first retainer.
first = json.loads(results["top -n 10"][0][2])["objects"][0]["address"]
results["refs (same graph)"] = [run(["refs", "-p", pid, first]) for _ in range(repeats)]
target.stdin.write(b"x")
target.stdin.close()
target.wait()

reachable = json.loads(results["plain (default scan)"][0][2])["count"]
med = {name: (statistics.median(r[0] for r in rs), max(r[1] for r in rs)) for name, rs in results.items()}
plain_t, plain_rss = med["plain (default scan)"]
print("target: %s, %s objects asked, %d reachable" % (python, nobjects, reachable))
for name, (t, rss) in med.items():
    print("  %-22s %7.3f s (%.2fx plain)  peak RSS %7.1f MiB" % (name, t, t / plain_t, rss / 1024))
t_ret = med["--retained (10 rows)"][0]
print("  --retained adds %.3f s = %.2fx the plain scan's own time (aim <= 1x)" % (t_ret - plain_t, (t_ret - plain_t) / plain_t))
extra = (med["top -n 10"][1] - med["refs (same graph)"][1]) * 1024
print("  top's peak memory over refs: %.1f MiB = %.1f bytes per reachable object (aim <= 24)"
      % (extra / 2**20, extra / reachable))
print("  --retained's peak memory over plain: %.1f bytes per reachable object"
      % ((med["--retained (10 rows)"][1] - plain_rss) * 1024 / reachable))
for name in ("suspects", "suspects --format html"):
    extra = (med[name][1] - med["refs (same graph)"][1]) * 1024
    print("  %s: peak memory over refs %.1f MiB = %.1f bytes per reachable object; time %.2fx plain, %.2fx refs"
          % (name, extra / 2**20, extra / reachable, med[name][0] / plain_t, med[name][0] / med["refs (same graph)"][0]))
