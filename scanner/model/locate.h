/* Fitting a layout to one target: what a patch release may move is found in
 * the target's memory and every field the scan starts from is validated
 * before use.
 *
 * A layout is generated per minor version (and per patch level where they
 * differ); the fields of objects, types, interpreter and thread states the
 * scanner reads hold within a minor, but _PyRuntimeState grows between patch
 * releases (3.12.1 -> 3.12.5 added a global string, moving everything after
 * it by 48 bytes, the embedded main interpreter included).  So the main
 * interpreter is reached through the runtime's pointer to it, that pointer is
 * found by what it points to, and the gc list heads are found by their
 * neighbours pointing back.  A field that does not validate stops the scan
 * with its name, the layout tried and what was found. */
#ifndef PYHEAPSCAN_LOCATE_H
#define PYHEAPSCAN_LOCATE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/errors.h"
#include "model/target.h"

/* What the target must turn out to be, from outside its heap. */
struct locate_want {
    uint32_t version_hex;     /* Py_Version or sys.hexversion; 0: only the minor is known */
    uint64_t runtime_size;    /* _PyRuntime's symbol size; 0 if unknown */
};

/* Fits t->layout (a copy of a generated layout) to the target at t->runtime:
 * locates the main interpreter and the gc list heads, and validates the
 * interpreter's thread list, sys, modules and builtins.  On success sets
 * t->interp and t->gc_state and appends to note what it moved ("" when
 * nothing).  On failure err names the field, the layout and what was found. */
bool layout_fit(struct target *t, const struct locate_want *want, char *note, size_t note_cap,
                struct error *err);

/* Whether interp is a main interpreter state under t->layout: its first
 * thread state points back at it.  Exposed for discover's probing. */
bool locate_interp_valid(struct target *t, uint64_t interp);

/* The main interpreter as the layout's runtime field gives it, or else the
 * nearest pointer in _PyRuntime that validates; 0 when none does.  Sets the
 * field in t->layout to where it was found. */
uint64_t locate_main_interp(struct target *t, uint64_t runtime_size);

#endif
