/* heapy follows more than tp_traverse: every type's dict (static types'
 * too, from the interpreter on 3.12+), mro, bases, base and cache, a heap
 * type's names, slots and module, and a code object's constants, names and
 * tables.  The model hands those edges to the analyses beside tp_traverse's
 * (h->extra_*, kept apart: they decide reachability, not gc.get_referents),
 * with what reachability needs of the gc objects' reference counts. */
#ifndef PYHEAPSCAN_EXTRA_EDGES_H
#define PYHEAPSCAN_EXTRA_EDGES_H

#include <stdbool.h>

#include "base/errors.h"
#include "model/heap.h"
#include "model/target.h"

/* Needs the objects and their edges (heap_add_referents); adds the objects
 * the extra edges lead to. */
bool heap_add_extra_edges(struct target *t, struct heap *h, struct error *err);

/* The gc objects' reference counts where h->refcnt leaves them out: read
 * from the copy on demand (heap_reach's refcount), through a view of its
 * own, since another thread reads the target meanwhile (the dicts'
 * owners).  A count out of the copied memory reads 0.  NULL when out of
 * memory. */
struct refcount_reader;
struct refcount_reader *heap_refcount_reader(const struct target *t, const struct heap *h);
uint32_t heap_refcount_read(void *reader, uint32_t i);
void heap_refcount_reader_free(struct refcount_reader *r);

#endif
