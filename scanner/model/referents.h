/* The object graph's edges, and the objects only edges lead to: every
 * referent of every gc-tracked object (untracked tuples and dicts, str, int,
 * code, static types...), found once each. */
#ifndef PYHEAPSCAN_REFERENTS_H
#define PYHEAPSCAN_REFERENTS_H

#include <stdbool.h>

#include "base/errors.h"
#include "model/heap.h"
#include "model/referents_ahead.h"
#include "model/target.h"

/* Traverses every object of h (appending the objects first seen as
 * referents, and traversing them in turn when they are GC containers), and
 * records every edge.  Sizes are computed too: of the new objects, and of
 * the gc objects (gc_walk leaves them out when the edges are built).  The
 * gc objects' referents come from ahead, a worker started with the gc walk
 * (it ends it), or one started here. */
bool heap_add_referents(struct target *t, struct heap *h, struct ahead *ahead, struct error *err);

/* The index of the object at addr, adding it (and what it leads to) when it
 * is a new one; UINT32_MAX when addr is no object (or on error, err set). */
uint32_t heap_add_object(struct target *t, struct heap *h, uint64_t addr, struct error *err);

/* The 32-bit label of a relation, its names interned in names. */
uint32_t relation_label(struct target *t, struct name_table *names, struct relation rel);

/* An edge's label as h keeps them: 0 without labels, the kind alone when
 * that is all it keeps. */
uint32_t heap_edge_label(struct target *t, struct heap *h, struct relation rel);

#endif
