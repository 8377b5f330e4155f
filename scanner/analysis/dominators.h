/* The dominator tree of the reachable graph and the retained sizes it gives
 * (Eclipse MAT's two views of "what keeps this alive").  A virtual root sits
 * above heapy's roots; the edges are those heap_reach floods over
 * (tp_traverse's and heapy's extra ones), so that the tree spans exactly the
 * reachable set.  Reads the graph alone, never the target's memory. */
#ifndef PYHEAPSCAN_DOMINATORS_H
#define PYHEAPSCAN_DOMINATORS_H

#include <stdbool.h>
#include <stdint.h>

#include "model/heap.h"
#include "analysis/referrers.h"

#define DOMINATOR_ROOT UINT32_MAX         /* dominated by the virtual root alone */
#define DOMINATOR_NONE (UINT32_MAX - 1)   /* unreachable from the roots */

struct dominators {
    uint32_t *idom;       /* per object: its immediate dominator's index, or the above */
    uint64_t *retained;   /* per object: its size and the sizes of all it dominates (0 unreachable) */
    size_t nreachable;    /* objects reachable from the roots */
};

/* Computes the tree by semi-NCA (Georgiadis' variant of Lengauer-Tarjan),
 * iteratively: six u32 arrays indexed by object or DFS number at the peak
 * (24 bytes an object), no recursion, no allocation per object.  The
 * predecessors are the referrers index (referrers_build over the same
 * heap, with its reach bits).  False when out of memory. */
bool dominators_compute(const struct heap *h, const struct referrers *r, struct dominators *d);
void dominators_free(struct dominators *d);

/* The children of each object in the tree, as CSR: the children of i are
 * child[start[i] .. start[i + 1]); the virtual root's are at index
 * h->count.  False when out of memory. */
struct dominator_children {
    uint64_t *start;
    uint32_t *child;
};
bool dominator_children_build(const struct heap *h, const struct dominators *d,
                              struct dominator_children *c);
void dominator_children_free(struct dominator_children *c);

/* The children of i (h->count: the virtual root's), biggest retained size
 * first, ties by index; malloc'd, their number in *n.  NULL when out of
 * memory. */
uint32_t *dominator_children_sorted(const struct dominators *d, const struct dominator_children *c, uint32_t i,
                                    size_t *n);

/* MAT's retained size of a set (in[i] true for its members): the sizes of
 * the reachable objects that no root reaches once the set is gone; the set's
 * own reachable members count.  Floods the graph once.  UINT64_MAX when out
 * of memory. */
uint64_t retained_of_set(const struct heap *h, const uint8_t *in);

#endif
