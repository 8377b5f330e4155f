/* How far the walks of a target's threads and frames go (model/thread_walk.c):
 * one bound each, named once, past which a chain is taken to be damaged
 * (a real one is far shorter) and cut. */
#ifndef PYHEAPSCAN_WALK_LIMITS_H
#define PYHEAPSCAN_WALK_LIMITS_H

/* Python frames of one thread: a recursion of sys.setrecursionlimit(10**5). */
#define PY_FRAMES_MAX 100000

/* Thread states of one interpreter. */
#define PY_THREADS_MAX 65536

#endif
