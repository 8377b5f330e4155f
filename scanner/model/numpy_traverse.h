/* numpy's tp_traverse functions the scanner models, from memory with the
 * layout of the target's numpy (scanner/numpy_model.h).  ndarray and the
 * scalar types have none: they are not GC types in any numpy (arrayobject.c,
 * scalartypes.c.src), and gc.get_referents gives nothing for them. */
#ifndef PYHEAPSCAN_NUMPY_TRAVERSE_H
#define PYHEAPSCAN_NUMPY_TRAVERSE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/target.h"
#include "model/traverse.h"

/* ufunc_traverse (umath/ufunc_object.c): the wrapped object, the identity
 * value when the identity is one, and (2.2+) the ufunc's dict. */
bool numpy_ufunc_traverse(struct target *t, uint64_t obj, visit_fn visit, void *ctx);

#endif
