/* What dicts.c lends the families built on a dict (OrderedDict,
 * defaultdict, ctypes' StgDict) and the type's cached keys. */
#ifndef PYHEAPSCAN_DICTS_H
#define PYHEAPSCAN_DICTS_H

#include <stdbool.h>
#include <stdint.h>

#include "model/target.h"
#include "model/types.h"
#include "model/walker.h"

/* dict_traverse: every entry, the keys too (CPython's skips str keys:
 * those come as REL_KEY_UNSEEN). */
bool dicts_traverse(struct walker *w, uint64_t obj);

/* _PyDict_SizeOf: the dict's (or a dict subclass instance's) own memory. */
uint64_t dict_sizeof(struct target *t, const struct type_info *ti, uint64_t obj);

/* _PyDict_KeysSize of the keys object at keys; 0 when unreadable. */
uint64_t dict_keys_sizeof(struct target *t, uint64_t keys);

#endif
