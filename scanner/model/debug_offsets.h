/* _Py_DebugOffsets (CPython 3.13+): the interpreter's own description of its
 * layout, at the start of _PyRuntime.  The scanner uses it to detect
 * free-threaded builds before reading anything else, and takes the offsets
 * it gives over the generated layout's. */
#ifndef PYHEAPSCAN_DEBUG_OFFSETS_H
#define PYHEAPSCAN_DEBUG_OFFSETS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/errors.h"
#include "model/target.h"

/* Reads the header at runtime.  Returns false when there is no cookie;
 * otherwise fills the version and the free-threaded flag. */
bool debug_offsets_header(struct memory *m, uint64_t runtime, uint64_t *version,
                          uint64_t *free_threaded);

/* Sets every field of t->layout that the target's _Py_DebugOffsets also
 * give to the target's value (they describe the running build; the layout
 * may be another patch level's), appending the ones that differed to note.
 * False when a 3.13+ target has no or inconsistent debug offsets. */
bool debug_offsets_apply(struct target *t, char *note, size_t note_cap, struct error *err);

#endif
