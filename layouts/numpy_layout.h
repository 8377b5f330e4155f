/* One numpy struct layout: offsets, sizes and flag values of one numpy
 * release series (major.minor), as generated from its installed headers. */
#ifndef PYHEAPSCAN_NUMPY_LAYOUT_H
#define PYHEAPSCAN_NUMPY_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

struct numpy_layout {
    const char *key;  /* "1.24" */
    int major, minor;
#define X(name) int64_t name;
#include "numpy_fields.def"
#undef X
};

extern const struct numpy_layout numpy_layouts[];
extern const size_t numpy_layouts_count;

/* The layout of numpy major.minor; NULL when none was generated. */
const struct numpy_layout *numpy_layout_find(int major, int minor);

/* The keys there are, comma-separated ("1.19, 1.24, 2.2"), for messages. */
void numpy_layout_keys(char *out, size_t cap);

#endif
