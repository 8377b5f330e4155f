/* numpy's __sizeof__ rules, computed from memory with the layout of the
 * target's numpy (scanner/numpy_model.h). */
#ifndef PYHEAPSCAN_NUMPY_SIZES_H
#define PYHEAPSCAN_NUMPY_SIZES_H

#include <stdbool.h>
#include <stdint.h>

#include "model/target.h"
#include "model/types.h"

/* ndarray.__sizeof__ (numpy's array_sizeof, methods.c): the object, its
 * dimensions and strides, and the data when the array owns it. */
uint64_t numpy_array_sizeof(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact);

/* numpy.generic.__sizeof__ (gentype_sizeof, scalartypes.c.src): the
 * scalar's element size, its type's basicsize and its items. */
uint64_t numpy_scalar_sizeof(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact);

#endif
