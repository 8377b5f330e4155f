/* The gc-tracked objects of the main interpreter: its generation lists and
 * the permanent generation (gc.freeze()), walked from memory; in a
 * free-threaded build, its mimalloc heaps (mimalloc_walk.h). */
#ifndef PYHEAPSCAN_GC_WALK_H
#define PYHEAPSCAN_GC_WALK_H

#include <stdbool.h>

#include "base/errors.h"
#include "model/heap.h"
#include "model/referents_ahead.h"
#include "model/target.h"

/* Appends every gc-tracked object to h, with its type, and its size unless
 * sizes is false (heap_add_referents then gives them).  Sets *collecting
 * when the target was stopped inside a collection (then some objects sit on
 * lists anchored on the C stack and are missed).  *ahead, a worker reading
 * the referents (or NULL), is handed the objects as they are found; it is
 * ended and set to NULL when the walk takes objects back (a list that runs
 * in a cycle). */
bool gc_walk(struct target *t, struct heap *h, bool *collecting, bool sizes, struct ahead **ahead,
             struct error *err);

#endif
