/* `suspects`: MAT's leak suspects of one heap, and for a series of heaps
 * the kinds that grow with where their new objects hang; text and JSON
 * (README.md). */
#ifndef PYHEAPSCAN_FORMAT_SUSPECTS_H
#define PYHEAPSCAN_FORMAT_SUSPECTS_H

#include <stdbool.h>
#include <stdio.h>

#include "output/format_paths.h"
#include "analysis/growth.h"
#include "analysis/suspects.h"

/* The suspects of w's heap (w->d and w->c set), at most limit kinds of what
 * accumulates under each (0: all).  False when out of memory. */
bool format_suspects(FILE *out, const struct why_alive *w, const struct suspects *s, double percent, size_t limit);

/* A series of nheaps: the growing kinds (at most limit, 0 all; each located
 * with m[k]) in the last heap w, then its suspects. */
bool format_growth(FILE *out, const struct why_alive *w, const struct growth *g, const struct merged_paths *m,
                   size_t nheaps, const struct suspects *s, double percent, size_t limit);

#endif
