"""The benchmark's target: about a million gc-tracked objects.  Measures the
in-process reference (gc.get_objects() plus sys.getsizeof over every object,
what heapy-like tools do inside), prints it, says READY and blocks on stdin."""
import gc
import os
import sys
import time


class Item:
    def __init__(self, i):
        self.i = i
        self.tags = [i]


def build(n):
    # Two gc objects each: an instance and its list, a dict and its list.
    items = [Item(i) for i in range(n // 4)]
    groups = [{"k": i, "v": [i, str(i)]} for i in range(n // 4)]
    return items, groups


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
os.write(1, ("INPROC %.6f %d %d\nREADY\n" % (best, count, total)).encode())
os.read(0, 1)
