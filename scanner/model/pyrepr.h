/* Python's repr of the simple values a heap's names are made of (dict keys
 * in relation names, values in heapy's per-object tables): str, bytes, int,
 * float, bool, None, read from the target's memory. */
#ifndef PYHEAPSCAN_PYREPR_H
#define PYHEAPSCAN_PYREPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/target.h"

/* repr(obj) in out (NUL-terminated, truncated at cap-1 bytes) when obj is one
 * of those values; false for any other object. */
bool py_repr_value(struct target *t, uint64_t obj, char *out, size_t cap);

/* Python's repr of a double: the shortest text that reads back the same. */
void py_repr_float(double v, char *out, size_t cap);

#endif
