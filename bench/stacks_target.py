"""A target for bench/stacks.py: THREADS threads, each DEPTH Python frames
deep, blocked on a lock; says READY, then waits for its stdin to close."""
import sys
import threading

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 50
DEPTH = int(sys.argv[2]) if len(sys.argv) > 2 else 30
gate = threading.Lock()
gate.acquire()
started = threading.Barrier(THREADS + 1)


def dive(n):
    if n == 0:
        started.wait()
        gate.acquire()
        gate.release()
    else:
        dive(n - 1)


threads = [threading.Thread(target=dive, args=(DEPTH - 4,), daemon=True) for _ in range(THREADS)]
for t in threads:
    t.start()
started.wait()
print("READY", flush=True)
sys.stdin.read()
gate.release()
