/* _Py_DebugOffsets (CPython 3.13+): the interpreter's own description of its
 * layout, at the start of _PyRuntime.  The scanner uses it to detect
 * free-threaded builds before reading anything else, and to cross-check the
 * generated layout: a disagreement stops the scan. */
#ifndef PYHEAPSCAN_DEBUG_OFFSETS_H
#define PYHEAPSCAN_DEBUG_OFFSETS_H

#include <stdbool.h>
#include <stdint.h>

#include "errors.h"
#include "target.h"

/* Reads the header at runtime.  Returns false when there is no cookie;
 * otherwise fills the version and the free-threaded flag. */
bool debug_offsets_header(struct memory *m, uint64_t runtime, uint64_t *version,
                          uint64_t *free_threaded);

/* Checks every field the target's _Py_DebugOffsets and t->L both give.
 * True when they agree (or the version has no debug offsets). */
bool debug_offsets_check(struct target *t, struct error *err);

#endif
