/* The reverse of the object graph: who refers to each object, by which
 * relation, and the roots that name it.  Heapy's referrers come from its
 * traversal from the roots, so a reachable object's referrers are the
 * reachable ones; an unreachable object's are whatever refers to it. */
#ifndef PYHEAPSCAN_REFERRERS_H
#define PYHEAPSCAN_REFERRERS_H

#include <stdbool.h>
#include <stdint.h>

#include "model/heap.h"

#define REFERRER_ROOT UINT32_MAX        /* the referrer is heapy's RootState */
#define REFERRER_FRAME (UINT32_MAX - 1) /* ... a 3.11+ frame (no object until asked for) */

struct referrers {
    uint64_t *start;   /* object i's referrers: [start[i], start[i + 1]) */
    uint32_t *from;    /* the referrer's index, or REFERRER_ROOT */
    uint32_t *label;   /* the relation (REL_ROOT: the root's name id); NULL without labels */
};

/* Builds the index over the edges, heapy's extra edges and the roots.
 * False when out of memory. */
bool referrers_build(struct heap *h, struct referrers *r);
void referrers_free(struct referrers *r);

#endif
