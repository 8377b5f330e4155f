/* What the target's numpy is, read from its memory: its version (the numpy
 * module's __version__), the layout generated for that release series, and
 * the element size of each of its scalar types (numpy's own typeinfo
 * table).  Loaded once per scan, before the first type is classified. */
#ifndef PYHEAPSCAN_NUMPY_MODEL_H
#define PYHEAPSCAN_NUMPY_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "layouts/numpy_layout.h"

struct target;

#define NUMPY_MAX_SCALAR_TYPES 64

/* A builtin scalar type and the element size of its dtype (0: flexible, its
 * kind says how a scalar of it is measured). */
struct numpy_scalar_type {
    uint64_t type;
    int64_t elsize;
    char kind;  /* the dtype's kind: 'S' bytes, 'U' str, 'V' void, ... */
};

struct numpy_model {
    bool present;                     /* sys.modules has numpy */
    char version[32];                 /* numpy.__version__ */
    const struct numpy_layout *NL;    /* NULL: no layout for this numpy */
    size_t nscalars;                  /* 0: typeinfo not found */
    struct numpy_scalar_type scalars[NUMPY_MAX_SCALAR_TYPES];
};

/* Reads the target's numpy into np (zeroed when it has none); warns once on
 * stderr when numpy is there but no layout fits its version. */
void numpy_model_load(struct numpy_model *np, struct target *t);

/* A field of the given size (4 or 8 bytes, as the numpy layout says) read
 * as a signed integer. */
int64_t numpy_int_of_size(struct target *t, uint64_t addr, int64_t size);

/* The builtin scalar type type is, or derives from (NULL: none). */
const struct numpy_scalar_type *numpy_scalar_type_of(const struct numpy_model *np, struct target *t,
                                                     uint64_t type);

#endif
