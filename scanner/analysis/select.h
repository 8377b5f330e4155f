/* Which objects an analysis looks at: the set asked for (--set) and the
 * kinds and addresses asked for (--where). */
#ifndef PYHEAPSCAN_SELECT_H
#define PYHEAPSCAN_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/errors.h"
#include "model/heap.h"

/* The objects of the set called name, in a heap of a 3.minor interpreter:
 * NULL with *n set for a prefix of the heap (gc, all), else a list.  False
 * (err set) when the heap cannot answer. */
bool select_set(const char *name, const struct heap *h, int minor, uint32_t **indices, size_t *n,
                struct error *err);

/* Keeps, of the objects listed (NULL: the first *n), those EXPR names:
 * kinds (clodo or type names) and addresses joined left to right by " | ",
 * " & ", " - ".  *indices becomes a list. */
bool select_where(const char *expr, const struct heap *h, uint32_t **indices, size_t *n,
                  struct error *err);

#endif
