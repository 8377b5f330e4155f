/* Kinds that grow across a series of heaps (snapshots, cores, processes
 * taken one after the other): those whose count rises from each heap to the
 * next, ranked by the bytes they gained, and where the objects new in the
 * last heap hang: the deepest object their merged shortest paths all go
 * through. */
#ifndef PYHEAPSCAN_GROWTH_H
#define PYHEAPSCAN_GROWTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/diff.h"
#include "analysis/paths.h"

#define GROWTH_MAX_HEAPS 16

struct growing_kind {
    char *kind;
    int64_t count[GROWTH_MAX_HEAPS - 1], size[GROWTH_MAX_HEAPS - 1];  /* per step: after - before */
    int64_t size_growth;                     /* the steps' sum */
    uint64_t fresh, fresh_reached;           /* objects new in the last heap; those the roots reach */
    uint32_t holder;                         /* index in the last heap, UINT32_MAX none */
    uint64_t holder_node;                    /* its node in the merged paths */
};

struct growth {
    size_t steps;
    struct growing_kind *kinds;
    size_t nkinds;
};

/* Takes one step's diff (step 0 first): a kind stays while its count grows
 * at every step.  False when out of memory. */
bool growth_add_step(struct growth *g, const struct heap_diff *d);
/* Ranks the kinds by bytes gained, biggest first. */
void growth_rank(struct growth *g);
/* The new objects of kind k (d: the last step's diff) and where their
 * merged paths meet: k->holder and m (to be freed by the caller).  False
 * when out of memory. */
bool growth_locate(struct growing_kind *k, const struct heap_diff *d, const struct referrers *r,
                   const uint32_t *dist, struct merged_paths *m);
void growth_free(struct growth *g);

#endif
