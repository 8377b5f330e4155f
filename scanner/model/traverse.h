/* tp_traverse, re-done from memory: the references an object holds, as
 * gc.get_referents reports them, plus the keys of dicts (which CPython's
 * dict_traverse skips when they are str).  One function per type family,
 * chosen once per type (traverse_describe). */
#ifndef PYHEAPSCAN_TRAVERSE_H
#define PYHEAPSCAN_TRAVERSE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/relation.h"
#include "model/target.h"
#include "model/types.h"

/* Fills the traversal fields of ti (its flags and basicsize already read). */
void traverse_describe(struct type_table *tt, struct target *t, struct type_info *ti);

/* Called with every referent and the relation heapy would name it by. */
typedef void (*visit_fn)(void *ctx, uint64_t referent, struct relation rel);

/* Where obj's __dict__ pointer is by its type's tp_dictoffset (negative:
 * from the end of a var-sized object).  Not for managed dicts. */
uint64_t traverse_dict_pointer(struct target *t, const struct type_info *ti, uint64_t obj);

/* Whether ti's instances keep their dict where the interpreter manages it
 * (Py_TPFLAGS_MANAGED_DICT, 3.11+) rather than at tp_dictoffset. */
bool traverse_has_managed_dict(const struct target *t, const struct type_info *ti);

/* Whether gc.get_referents would traverse obj at all (PyObject_IS_GC). */
bool traverse_is_gc(struct target *t, const struct type_info *ti, uint64_t obj);

/* The name of local i of a code object and whether it is a cell or free
 * variable: from co_localsplusnames and co_localspluskinds (3.11+), or from
 * co_varnames, co_cellvars and co_freevars. */
bool traverse_local_name(struct target *t, uint64_t code, int64_t i, char *name, size_t cap, bool *cell);

/* Calls visit for every referent of obj.  Returns false when the type's
 * traversal is not modelled, or memory was unreadable: the referents given
 * are then incomplete.  unnamed: the relations are given by kind, with no
 * name or key looked up where that costs reads of their own (an instance's
 * attribute names, from its type's shared keys). */
bool traverse_object(struct target *t, const struct type_info *ti, uint64_t obj, visit_fn visit,
                     void *ctx, bool unnamed);

#endif
