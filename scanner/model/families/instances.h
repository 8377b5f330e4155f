/* What a class statement adds to the objects of its C base: the part of
 * an instance subtype_traverse visits (its slots, its dict, its type), and
 * a managed dict or the inline values standing for it (3.11+).  Not a
 * family: every family's traverse follows it for a subclass defined in
 * Python. */
#ifndef PYHEAPSCAN_INSTANCES_H
#define PYHEAPSCAN_INSTANCES_H

#include <stdint.h>

#include "model/types.h"
#include "model/walker.h"

void traverse_subtype(struct walker *w, const struct type_info *ti, uint64_t obj);
void visit_managed_dict(struct walker *w, const struct type_info *ti, uint64_t obj);

#endif
