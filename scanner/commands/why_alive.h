/* Why is it alive: what `refs`, `paths`, `top`, `suspects` and `--retained`
 * add to a scan once its graph is in hand (scan.c): the analyses
 * (referrers, dominators, paths, retained sizes of rows) run and their
 * outputs written. */
#ifndef PYHEAPSCAN_WHY_ALIVE_H
#define PYHEAPSCAN_WHY_ALIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "commands/options.h"
#include "base/errors.h"
#include "analysis/diff.h"
#include "output/format.h"
#include "analysis/growth.h"
#include "model/heap.h"
#include "analysis/partition.h"
#include "analysis/referrers.h"

/* --retained and --sort retained: the rows' retained sizes (all rows when
 * they are ordered by them, else the max_rows shown). */
bool add_retained(const struct options *o, struct heap *h, const struct referrers *refs,
                  const uint32_t *sel, size_t n, struct partition *p, size_t max_rows, struct error *err);

/* `paths ADDR` and `paths --where KIND` (the members: sel). */
bool write_paths(const struct options *o, struct heap *h, const struct referrers *refs,
                 const uint32_t *sel, size_t n, struct error *err);

/* `top`: the biggest retainers among sel, or with --by the kinds by
 * retained size. */
bool write_top(const struct options *o, struct scan_facts *facts, struct heap *h,
               const struct referrers *refs, const uint32_t *sel, size_t n, struct error *err);

/* `suspects` of one heap: MAT's leak suspects with their accumulation
 * points and paths. */
bool write_suspects(const struct options *o, struct heap *h, const struct referrers *refs, struct error *err);

/* `suspects` of a series of nheaps: the kinds g that grew at every step
 * (last: the last step's diff, whose after heap is last_heap), then the last
 * heap's suspects. */
bool write_series(const struct options *o, struct heap *last_heap, const struct heap_diff *last,
                  struct growth *g, size_t nheaps, struct error *err);

/* `refs`: one object of the heap (o->refs_addr), its referents and its
 * referrers (refs, freed here, as sel is). */
bool write_refs(const struct options *o, struct heap *h, struct referrers *refs, uint32_t *sel,
                struct error *err);

#endif
