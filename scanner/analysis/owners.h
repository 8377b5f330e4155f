/* Whose __dict__ each dict is, as heapy's Clodo classifier asks: the
 * object whose dict pointer (tp_dictoffset, or the managed dict of 3.11+)
 * leads to it.  Only exact dicts are owned; the rest are classified by their
 * type. */
#ifndef PYHEAPSCAN_OWNERS_H
#define PYHEAPSCAN_OWNERS_H

#include <stdbool.h>

#include "errors.h"
#include "heap.h"
#include "target.h"

/* Fills h->dict_owner (the owner's type index, UINT32_MAX for none) for
 * every object, the candidate owners being every object of h (the gc
 * objects, and the static types among the referents).  Needs the address
 * index (heap_add_referents). */
bool heap_find_dict_owners(struct target *t, struct heap *h, struct error *err);

#endif
