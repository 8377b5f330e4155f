/* Reachability from the roots, and the unreachable heap split as heapy
 * cannot: cyclic garbage that gc.collect() would free (every reference to it
 * comes from inside it), and what references no root explains keep alive
 * (a reference count held by C code: a leak). */
#ifndef PYHEAPSCAN_REACH_H
#define PYHEAPSCAN_REACH_H

#include <stdbool.h>
#include <stdint.h>

#include "base/errors.h"
#include "model/heap.h"

#define REACH_ROOTED 1    /* reachable from a root */
#define REACH_GARBAGE 2   /* unreachable, referenced only from unreachable objects */
#define REACH_HELD 4      /* unreachable, but held by references from outside the heap */

/* The reference count of gc object i (its low 32 bits). */
typedef uint32_t (*reach_refcount_fn)(void *ctx, uint32_t i);

/* Fills h->reach from the graph: the edges and heapy's extra edges
 * (heap_add_referents, heap_add_extra_edges), the roots (heap_add_roots),
 * and the reference counts of the gc objects the roots do not reach (a
 * few, in most heaps): from h->refcnt when it holds them, else asked of
 * refcount. */
bool heap_reach(struct heap *h, reach_refcount_fn refcount, void *ctx, struct error *err);

#endif
