/* Whose __dict__ each dict is, as heapy's Clodo classifier asks: the
 * object whose dict pointer (tp_dictoffset, or the managed dict of 3.11+)
 * leads to it.  Only exact dicts are owned; the rest are classified by their
 * type. */
#ifndef PYHEAPSCAN_OWNERS_H
#define PYHEAPSCAN_OWNERS_H

#include <stdbool.h>

#include "base/errors.h"
#include "model/heap.h"
#include "model/target.h"

/* Fills h->dict_owned_by (heap_dict_owner reads it) for
 * every object, the candidate owners being every object of h (the gc
 * objects, and the static types among the referents).  Needs the address
 * index (heap_add_referents). */
bool heap_find_dict_owners(struct target *t, struct heap *h, struct error *err);

/* The same on another core, beside an analysis that reads the graph and
 * neither the target nor h->dict_owned_by (reachability): owners_begin starts
 * it (false when there is no second core: call heap_find_dict_owners
 * then), owners_end waits for it and returns its result.  Meanwhile
 * nothing else may read the target's memory or add to h. */
struct owners_beside;
struct owners_beside *owners_begin(struct target *t, struct heap *h);
bool owners_end(struct owners_beside *b, struct error *err);

#endif
