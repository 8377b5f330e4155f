/* The gc-tracked objects of a free-threaded CPython (3.13t), which keeps no
 * gc lists: every object is a block of a mimalloc page, and the collector
 * finds the tracked ones by visiting the pages of each thread state's gc
 * heaps and of the segments that exited threads abandoned
 * (Python/gc_free_threading.c: gc_visit_heaps_lock_held).  The same walk,
 * from memory, bounded by what the scanner holds. */
#ifndef PYHEAPSCAN_MIMALLOC_WALK_H
#define PYHEAPSCAN_MIMALLOC_WALK_H

#include <stdbool.h>

#include "base/errors.h"
#include "model/heap.h"
#include "model/target.h"

/* Whether t's layout describes mimalloc's structures well enough to walk
 * them; else why not, into why. */
bool mimalloc_walk_possible(const struct py_layout *L, char *why, size_t cap);

/* Appends every allocated block of the gc heaps whose object is tracked
 * (frozen ones with the permanent generation's origin), with its type.  A
 * page, list or segment that leaves the memory held, or does not fit its
 * segment, is cut and counted in t->damage. */
bool mimalloc_walk(struct target *t, struct heap *h, struct error *err);

#endif
