/* One CPython struct layout: offsets, sizes and flag values of one
 * (minor version, release|debug) build, as generated from its headers. */
#ifndef PYHEAPSCAN_LAYOUT_H
#define PYHEAPSCAN_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

struct py_layout {
    const char *key;  /* "3.11-release" */
    int minor;
    int micro;  /* -1: every patch release; else the first one it applies to */
    int debug;
    const char *tested;  /* the patch levels it was generated from: "3.11.2 3.11.7" */
#define X(name) int64_t name;
#include "fields.def"
#undef X
};

/* The field of L at byte offset off of struct py_layout (offsetof), for
 * tables that name fields. */
static inline int64_t py_layout_field(const struct py_layout *L, size_t off)
{
    int64_t v;
    __builtin_memcpy(&v, (const char *)L + off, sizeof v);
    return v;
}

extern const struct py_layout py_layouts[];
extern const size_t py_layouts_count;

/* The layout for 3.<minor>.<micro>, debug or release build, free-threaded
 * or not: the one for every patch release, else the one of the greatest patch
 * level not above micro (the lowest when micro is below them all, or unknown:
 * -1).  NULL when the fleet gave no layout of that minor and build. */
const struct py_layout *py_layout_find(int minor, int micro, int debug, int free_threaded);

/* Whether 3.<minor>.<micro> is one of the patch levels L was generated from. */
int py_layout_tested(const struct py_layout *L, int micro);

#endif
