"""Benchmark: how the gc-tracked objects are found, on the same heap size in
two builds of one minor: the default build's walk of its gc lists against
the free-threaded build's walk of its mimalloc heaps (pages, free lists,
blocks; mimalloc_walk.c).

Each interpreter runs bench/target.py with NOBJECTS gc objects; the scanner
then scans it ROUNDS times with --set gc --by type (what the walk finds,
sized and classified; no traversal).  Printed per interpreter: the objects
found, the median stop and the median time after the stop (the walk plus
sizes and types, the same code after the walk in both builds), and the
ratio of the latter between the two builds.

usage: walk.py BUILD DEFAULT_PYTHON FREE_THREADED_PYTHON [NOBJECTS]
  a PYTHON written ROOT:PATH runs in the chroot ROOT (the fleet's Debian
  interpreters), with target.py copied into ROOT/tmp."""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

build, default_py, ft_py = sys.argv[1:4]
nobjects = sys.argv[4] if len(sys.argv) > 4 else "1000000"
here = os.path.dirname(os.path.abspath(__file__))
scanner = os.path.join(build, "scanner", "pyheapscan")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def measure(python):
    """(gc.get_objects() count, gc objects found, median stop, median
    seconds after the stop)."""
    root, _, exe = python.rpartition(":")
    tmp = tempfile.mkdtemp(dir=os.path.join(root, "tmp") if root else None)
    shutil.copy(os.path.join(here, "target.py"), tmp)
    script = os.path.join(tmp[len(root):], "target.py")
    target = subprocess.Popen((["chroot", root] if root else []) + [exe, script, nobjects],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        inproc = target.stdout.readline().decode().split()
        assert target.stdout.readline().decode().split() == ["READY"], "target did not start"
        stops, after, count = [], [], 0
        for _ in range(ROUNDS):
            p = subprocess.run([scanner, "-p", str(target.pid), "--set", "gc", "--by", "type",
                                "--format", "json"], stdout=subprocess.PIPE, check=True, timeout=600)
            doc = json.loads(p.stdout)
            stops.append(doc["timing"]["stopped_seconds"])
            after.append(doc["timing"]["total_seconds"] - doc["timing"]["stopped_seconds"])
            count = doc["count"]
        return int(inproc[2]), count, statistics.median(stops), statistics.median(after)
    finally:
        target.stdin.write(b"quit\n")
        target.stdin.close()
        target.wait()
        shutil.rmtree(tmp, ignore_errors=True)


rows = [(py, measure(py)) for py in (default_py, ft_py)]
print("%-60s %10s %10s %9s %12s" % ("interpreter", "gc.get_objects", "found", "stop s", "after stop s"))
for py, (inproc, found, stop, after) in rows:
    print("%-60s %10d %10d %9.3f %12.3f" % (py, inproc, found, stop, after))
print("free-threaded / default, after the stop: %.2fx (median of %d)"
      % (rows[1][1][3] / rows[0][1][3], ROUNDS))
