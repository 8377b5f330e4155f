/* Reachability from the roots, and the unreachable heap split as heapy
 * cannot: cyclic garbage that gc.collect() would free (every reference to it
 * comes from inside it), and what references no root explains keep alive
 * (a reference count held by C code: a leak). */
#ifndef PYHEAPSCAN_REACH_H
#define PYHEAPSCAN_REACH_H

#include <stdbool.h>

#include "errors.h"
#include "heap.h"

#define REACH_ROOTED 1    /* reachable from a root */
#define REACH_GARBAGE 2   /* unreachable, referenced only from unreachable objects */
#define REACH_HELD 4      /* unreachable, but held by references from outside the heap */

/* Fills h->reach from the graph alone: the edges, heapy's extra edges and
 * the gc objects' reference counts (heap_add_referents,
 * heap_add_extra_edges), and the roots (heap_add_roots). */
bool heap_reach(struct heap *h, struct error *err);

#endif
