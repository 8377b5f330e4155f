/* Leak suspects, Eclipse MAT's way, over the dominator tree: the objects
 * (and the kinds) that keep more than a threshold share of the reachable
 * heap alive, each with its accumulation point: the object reached by going
 * down the dominator tree while one child keeps most of its parent's
 * retained size.  Python's roots are coarse (sys.modules holds every module,
 * a module's dict every global, a thread's frame every local): those are
 * where the heap hangs from, not what accumulates, so the candidates are the
 * objects dominated by the virtual root or by such a holder.  Reads the
 * graph alone. */
#ifndef PYHEAPSCAN_SUSPECTS_H
#define PYHEAPSCAN_SUSPECTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/dominators.h"
#include "model/heap.h"

/* A child keeping at least this share of its parent's retained size is
 * followed down to the accumulation point. */
#define SUSPECT_FOLLOW_SHARE 0.8

struct suspect {
    uint32_t object;        /* the suspect */
    uint32_t accumulation;  /* its accumulation point (the suspect itself when no child keeps most) */
    unsigned depth;         /* dominator-tree steps from the suspect down to it */
};

struct kind_suspect {
    char *kind;             /* clodo kind of several candidates */
    uint64_t members, retained;
    uint32_t biggest;       /* the member retaining most */
};

struct suspects {
    uint64_t reachable_size, threshold;  /* bytes */
    struct suspect *objects;             /* biggest retained first */
    size_t nobjects;
    struct kind_suspect *kinds;          /* kinds whose members together pass the threshold */
    size_t nkinds;
};

/* Finds the suspects: retained size >= percent % of the reachable heap.
 * False when out of memory. */
bool suspects_find(const struct heap *h, const struct dominators *d, const struct dominator_children *c,
                   double percent, struct suspects *out);
void suspects_free(struct suspects *s);

/* The objects the dominator tree holds below i (i excluded), in *out
 * (malloc'd).  False when out of memory. */
bool dominated_objects(const struct heap *h, const struct dominator_children *c, uint32_t i, uint32_t **out,
                       size_t *n);

#endif
