/* An attribute of an instance of a class defined in Python, read wherever
 * its version keeps it: a __dict__, the 3.11+ values beside the object, a
 * __slots__ member. */
#ifndef PYHEAPSCAN_INSTANCE_ATTR_H
#define PYHEAPSCAN_INSTANCE_ATTR_H

#include <stdint.h>

#include "model/target.h"
#include "model/types.h"

/* The value of obj's attribute name, 0 when it has none or it cannot be
 * read.  types describes obj's type (type_table_load_aliases done). */
uint64_t py_instance_attr(struct target *t, struct type_table *types, uint64_t obj, const char *name);

#endif
