/* Saved heaps: the reconstructed object graph, its types, and the facts of
 * the interpreter it came from, in a versioned binary file that every
 * analysis can load instead of a live process or a core.  The format is
 * documented in README.md ("Snapshot format"). */
#ifndef PYHEAPSCAN_SNAPSHOT_H
#define PYHEAPSCAN_SNAPSHOT_H

#include <stdbool.h>

#include "base/errors.h"
#include "model/heap.h"
#include "model/object_text.h"
#include "model/target.h"
#include "store/scan_facts.h"

/* Writes h (all of it: the gc objects, their referents, the edges) with the
 * facts of t, atomically, mode 0600.  redact: no str or bytes contents. */
bool snapshot_save(const char *path, const struct heap *h, const struct target *t,
                   const struct scan_facts *facts, bool redact, struct error *err);

/* Reads a snapshot into h and t (t->mem is NULL: only the saved graph is
 * there).  A corrupt or truncated file is refused with EXIT_BAD_SNAPSHOT. */
bool snapshot_load(const char *path, struct heap *h, struct target *t, struct scan_facts *facts,
                   struct error *err);

#endif
