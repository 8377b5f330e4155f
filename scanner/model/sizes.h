/* sys.getsizeof, computed from memory: the __sizeof__ the object's type
 * inherits, plus the GC header and pre-header the interpreter adds. */
#ifndef PYHEAPSCAN_SIZES_H
#define PYHEAPSCAN_SIZES_H

#include <stdbool.h>
#include <stdint.h>

#include "model/target.h"
#include "model/types.h"

/* The size of obj; *exact is false when the type's __sizeof__ is not
 * modelled (the size then is basicsize + ob_size * itemsize + headers). */
uint64_t object_getsizeof(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact);

#endif
