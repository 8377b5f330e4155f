/* heapy follows more than tp_traverse: every type's dict (static types'
 * too, from the interpreter on 3.12+), mro, bases, base and cache, a heap
 * type's names, slots and module, and a code object's constants, names and
 * tables.  The model hands those edges to the analyses beside tp_traverse's
 * (h->extra_*, kept apart: they decide reachability, not gc.get_referents),
 * with the gc objects' reference counts (h->refcnt), so that reachability
 * reads the graph alone. */
#ifndef PYHEAPSCAN_EXTRA_EDGES_H
#define PYHEAPSCAN_EXTRA_EDGES_H

#include <stdbool.h>

#include "errors.h"
#include "heap.h"
#include "target.h"

/* Needs the objects and their edges (heap_add_referents); adds the objects
 * the extra edges lead to. */
bool heap_add_extra_edges(struct target *t, struct heap *h, struct error *err);

#endif
