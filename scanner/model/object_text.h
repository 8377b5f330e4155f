/* The text that names an object in heapy's per-object tables and pympler's
 * kinds, read once from memory and kept in the heap (and in snapshots):
 * a str's or bytes' first bytes, an int's, float's, bool's or None's repr,
 * a module's name, a function's "module.name", a builtin's name, a type's
 * heapy name, a code object's "file:line:name", a frame's code name. */
#ifndef PYHEAPSCAN_OBJECT_TEXT_H
#define PYHEAPSCAN_OBJECT_TEXT_H

#include <stdbool.h>

#include "base/errors.h"
#include "model/heap.h"
#include "model/target.h"

/* Reads the texts of every object of h that has one (of the types wanted
 * says yes to; NULL: of all).  strings_too: also the values (str and bytes
 * contents, numbers): not with --redact. */
bool heap_keep_texts(struct target *t, struct heap *h, bool strings_too,
                     bool (*wanted)(const struct type_info *ti), struct error *err);

/* The text kept for object i, NULL when none (length: its full length). */
const char *heap_text(const struct heap *h, uint32_t i, uint64_t *length, uint32_t *kept);

/* A long str's last 14 characters, NULL when not kept. */
const char *heap_text_tail(const struct heap *h, uint32_t i);

#endif
