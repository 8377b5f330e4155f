/* The referents of the interpreter's own types, one file per family as
 * CPython's Objects/ has them: containers.c (dict, set, deque,
 * OrderedDict, struct sequences), frames.c (frames, interpreter frames,
 * generators), modules.c (a module's C state), instances.c (what an
 * instance of a class holds: slots, its dict or inline values), and
 * lru_cache.c.  traverse.c picks one per type (traverse_describe.c) and
 * calls it; each takes the walker of model/walker.h and returns false when
 * memory said the object is not what it expects. */
#ifndef PYHEAPSCAN_OBJECTS_H
#define PYHEAPSCAN_OBJECTS_H

#include <stdbool.h>
#include <stdint.h>

#include "model/types.h"
#include "model/walker.h"

/* containers.c */
bool traverse_dict(struct walker *w, uint64_t obj);
bool traverse_set(struct walker *w, uint64_t obj);
bool traverse_deque(struct walker *w, uint64_t obj);
bool traverse_odict(struct walker *w, uint64_t obj);
bool traverse_structseq(struct walker *w, const struct type_info *ti, uint64_t obj);

/* frames.c */
bool traverse_generator(struct walker *w, uint64_t obj);
bool traverse_frame(struct walker *w, uint64_t obj);

/* modules.c: what m_traverse visits in a module's C state. */
bool traverse_module_state(struct walker *w, uint64_t obj);

/* instances.c: a heap type's part of an instance (its slots, its dict,
 * its type), and a managed dict or the inline values standing for it. */
void traverse_subtype(struct walker *w, const struct type_info *ti, uint64_t obj);
void visit_managed_dict(struct walker *w, const struct type_info *ti, uint64_t obj);

/* lru_cache.c */
bool traverse_lru_cache(struct walker *w, uint64_t obj);

#endif
