/* The small arrays that grow as they are filled (regions, roots, types,
 * runs, rows...): doubled, from a first size, until they hold what is
 * needed.  The graph's big arrays are mapped instead (mapped_array.h). */
#ifndef PYHEAPSCAN_GROW_H
#define PYHEAPSCAN_GROW_H

#include <stdbool.h>
#include <stddef.h>

/* *pp (a pointer to an array of *cap entries of elem bytes) realloc'd to
 * hold at least need: *cap doubled from first (or from *cap) until it
 * does; the new entries are not initialised.  False when out of memory (or
 * the size overflows), *pp and *cap then as they were. */
bool grow_to(void *pp, size_t *cap, size_t need, size_t elem, size_t first);

/* GROW(p, cap, need, first): grow_to for the array p, its capacity cap. */
#define GROW(p, cap, need, first) grow_to(&(p), &(cap), (need), sizeof *(p), (first))

#endif
