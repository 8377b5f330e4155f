"""The benchmark's target: n gc-tracked objects (a million by default).

Measures the in-process reference (gc.get_objects() plus sys.getsizeof over
every object), prints it, says READY, then obeys one command a line on
stdin:
  busy     loop until the next line, timing each iteration (a service at
           work), then answer "GAP <longest gap between iterations, s>"
  heapy    guppy3's hp.heap() and its table: "HEAPY <s>"
  byrcs    hp.heap().byrcs and its table: "BYRCS <s>"
  pympler  pympler's summary.summarize(muppy.get_objects()) and its table:
           "PYMPLER <s>"
  quit
A reference that cannot be imported answers "<NAME> skipped <reason>".
guppy3 and pympler are looked for in PYHEAPSCAN_BENCH_REFS (a colon list of
directories; default: the fleet cache's ref/guppy3 and ref/pympler)."""
import gc
import os
import select
import sys
import time

refs = os.environ.get("PYHEAPSCAN_BENCH_REFS",
                      "/var/cache/pyheapscan-fleet/ref/guppy3:/var/cache/pyheapscan-fleet/ref/pympler")
sys.path[:0] = [d for d in refs.split(":") if d]


class Item:
    def __init__(self, i):
        self.i = i
        self.tags = [i]


def build(n):
    # Two gc objects each: an instance and its list, a dict and its list.
    items = [Item(i) for i in range(n // 4)]
    groups = [{"k": i, "v": [i, str(i)]} for i in range(n // 4)]
    return items, groups


def reply(text):
    os.write(1, (text + "\n").encode())


def busy():
    """Iterates until stdin has a line; the longest gap is what a stop cost
    this loop (a scheduler's preemption on a loaded machine costs it too)."""
    longest, prev = 0.0, time.perf_counter()
    while True:
        for _ in range(64):
            t = time.perf_counter()
            if t - prev > longest:
                longest = t - prev
            prev = t
        if select.select([0], [], [], 0)[0]:
            return longest


def timed(name, run):
    try:
        t0 = time.perf_counter()
        run()
        reply("%s %.6f" % (name, time.perf_counter() - t0))
    except ImportError as e:
        reply("%s skipped %s" % (name, e))


def heapy_table():
    from guppy import hpy
    str(hpy().heap())


def heapy_byrcs():
    from guppy import hpy
    str(hpy().heap().byrcs)


def pympler_summary():
    from pympler import muppy, summary
    list(summary.format_(summary.summarize(muppy.get_objects())))


n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
heap = build(n)
gc.collect()
gc.disable()
best = None
for _ in range(3):
    t0 = time.perf_counter()
    objs = gc.get_objects()
    total = 0
    for o in objs:
        total += sys.getsizeof(o)
    dt = time.perf_counter() - t0
    count = len(objs)
    del objs
    best = dt if best is None else min(best, dt)
reply("INPROC %.6f %d %d\nREADY" % (best, count, total))
stdin = os.fdopen(0, "r")
for line in stdin:
    cmd = line.strip()
    if cmd == "busy":
        longest = busy()
        stdin.readline()
        reply("GAP %.6f" % longest)
    elif cmd == "heapy":
        timed("HEAPY", heapy_table)
    elif cmd == "byrcs":
        timed("BYRCS", heapy_byrcs)
    elif cmd == "pympler":
        timed("PYMPLER", pympler_summary)
    else:
        break
