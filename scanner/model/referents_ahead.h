/* The gc objects' referents read on a second core, ahead of the thread that
 * builds the graph from them.
 *
 * Building the edges is two kinds of work: reading each object's referents
 * out of the copy (its traversal: dict entries, list items, instance
 * values, every one a cache miss), and finding each referent among the
 * objects or adding it (the index, types, sizes).  The second must run in
 * the objects' order, since a referent's index is the order in which it is
 * first seen; the first need not.  So a worker thread traverses the gc
 * objects in order, a block at a time, and hands each block's referent
 * addresses (and relations, when the graph keeps them) to the main thread,
 * which takes them exactly as it takes those of its own traversal.
 *
 * The worker reads the copy only, through a memory of its own that has no
 * fallback and no caches, and notes damage on a target of its own: an
 * object whose traversal would read outside the copy (a read-only mapping
 * of the live process, a core's file) or meets damage is marked to be
 * traversed again by the main thread, where both are handled and reported
 * in their order.  It starts with the gc walk, which hands it each block of
 * objects as it finds them, with the types interned for them.  It copies a
 * block's addresses and types out of the heap under a lock the main thread
 * holds while the heap's arrays grow (ahead_heap_reserve), reads a copy of
 * the type table, and keeps within 64 blocks of the main thread, and
 * within 8 MB of blocks when it keeps relations (its blocks are memory not
 * freed yet). */
#ifndef PYHEAPSCAN_REFERENTS_AHEAD_H
#define PYHEAPSCAN_REFERENTS_AHEAD_H

#include <stdbool.h>
#include <stdint.h>

#include "model/heap.h"
#include "model/relation.h"
#include "model/target.h"

struct ahead;

/* Objects a block: the worker takes the gc walk's objects this many at a
 * time. */
#define AHEAD_BLOCK 2048u

/* A worker for the gc objects of h, or NULL when there is no second core or
 * no memory (then the main thread traverses them all, as before).  It may
 * start before the gc walk and traverse the objects as the walk finds them
 * (ahead_publish), so that its work overlaps the walk's; t is copied at
 * the first hand-over, once the walk has read what it reads first (the
 * target's numpy), and must outlive the worker.  with_relations
 * keeps each referent's relation, kinds_only beside it its kind alone (a
 * byte, no name copied: what a graph labelled by kind reads).  Each
 * object's size and reference count are read too. */
struct ahead *ahead_start(struct target *t, const struct heap *h, bool with_relations, bool kinds_only);

/* Hands the worker the objects walked so far, and the types interned for
 * them (a may be NULL). */
void ahead_publish(struct ahead *a, const struct heap *h);

/* Below this many gc objects, a worker started after the walk costs more
 * than it saves. */
#define AHEAD_MIN_OBJECTS 4096u

/* Waits until the worker has read every whole block handed to it (as far
 * as it may run ahead): for a test only (a may be NULL). */
void ahead_wait_published(struct ahead *a);

/* The walk is over: h->gc_count objects in all.  Returns a, or NULL when it
 * was ended (more objects than its indices hold). */
struct ahead *ahead_walked(struct ahead *a, const struct heap *h);

/* Object i's referents, as the worker read them.  False when the main
 * thread is to traverse it itself. */
struct ahead_object {
    bool opaque; /* traverse_object said its type is not modelled */
    uint64_t size; /* object_getsizeof's, and whether it is exact */
    bool exact;
    uint32_t refcnt; /* py_refcount's */
    uint32_t n;
    const uint64_t *addr;
    const struct relation *rel; /* NULL without relations */
    const uint8_t *kind;        /* with kinds alone: each referent's label's top byte */
};
bool ahead_take(struct ahead *a, uint32_t i, struct ahead_object *out);

/* Whether the worker reads each object's reference count (ahead_object's
 * refcnt), as where the target's threads hold counts of their own. */
bool ahead_reads_refcounts(const struct ahead *a);

/* How many objects the worker covers, once walked: the indices below are
 * for ahead_take. */
uint32_t ahead_count(const struct ahead *a);

/* heap_reserve, while the worker does not read the arrays that may move
 * (a may be NULL). */
bool ahead_heap_reserve(struct ahead *a, struct heap *h, size_t more);

/* The worker also adds the objects handed over to h's address index (its
 * regions built, nothing in it yet), while the main thread reads no index:
 * the gc walk's objects are indexed on the other core as they are found. */
void ahead_index(struct ahead *a, struct heap *h);

/* The main thread takes the index back: the worker adds no more, and
 * h->indexed says how many of the first objects it holds.  False when the
 * worker ran out of memory for it.  (Ended before, the worker leaves the
 * index empty again.) */
bool ahead_index_back(struct ahead *a, struct heap *h);

/* Stops the worker (at its next block) and frees everything. */
void ahead_end(struct ahead *a);

#endif
