/* The roots of the heap, as heapy's RootState names them: the main
 * interpreter's fields (i0_modules, i0_sysdict, ...), each thread state's
 * (i0_t<tid>_dict, ...) and the references of every frame of every thread
 * (i0_t<tid>_f<k>, frames numbered from the oldest). */
#ifndef PYHEAPSCAN_ROOTS_H
#define PYHEAPSCAN_ROOTS_H

#include <stdbool.h>

#include "base/errors.h"
#include "model/heap.h"
#include "model/target.h"

/* Adds every root object to h (with what it leads to) and records them in
 * h->roots.  Needs heap_add_referents first. */
bool heap_add_roots(struct target *t, struct heap *h, struct error *err);

#endif
