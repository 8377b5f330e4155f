#include "analysis/reach.h"

#include <stdlib.h>
#include <string.h>

#include "base/prefault.h"

static void visit(struct heap *h, uint32_t j, uint32_t *queue, size_t *n, uint8_t bit,
                  uint8_t within, uint8_t clear)
{
    if (h->reach[j] & bit)
        return;
    if (within && !(h->reach[j] & within))
        return;
    h->reach[j] = (uint8_t)((h->reach[j] & ~clear) | bit);
    queue[(*n)++] = j;
}

/* Marks, with bit, everything reachable from the queued objects through the
 * edges and the extra ones, staying inside objects whose reach is `within`
 * (0: any). */
static void flood(struct heap *h, uint32_t *queue, size_t n, uint8_t bit, uint8_t within, uint8_t clear)
{
    while (n) {
        struct edge_run run[2];
        heap_edge_runs(h, queue[--n], run);
        for (int k = 0; k < 2; k++)
            for (uint64_t e = 0; e < run[k].n; e++)
                visit(h, run[k].to[e], queue, &n, bit, within, clear);
    }
}

bool heap_reach(struct heap *h, reach_refcount_fn refcount, void *ctx, struct error *err)
{
    size_t n = h->count;
    free(h->reach);
    h->reach = calloc(n ? n : 1, 1);
    uint32_t *queue = malloc((n ? n : 1) * sizeof *queue);
    /* references from inside the garbage, counted for the gc objects alone:
     * only their counts are known */
    size_t ngc = h->gc_count;
    uint32_t *internal = calloc(ngc ? ngc : 1, sizeof *internal);
    if (!h->reach || (!h->refcnt && !refcount) || !queue || !internal) {
        free(queue);
        free(internal);
        return fail(err, EXIT_INTERNAL, "out of memory");
    }
    /* (internal's pages are touched for the garbage alone: mapped untouched) */
    prefault_async(h->reach, n);
    /* 1. Reachable from the roots. */
    size_t q = 0;
    for (size_t r = 0; r < h->nroots; r++) {
        uint32_t i = h->roots[r].object;
        if (!(h->reach[i] & REACH_ROOTED)) {
            h->reach[i] = REACH_ROOTED;
            queue[q++] = i;
        }
    }
    flood(h, queue, q, REACH_ROOTED, 0, 0);
    /* 2. The rest is garbage until shown held: references from inside it
     * are counted; a reference count above them comes from outside. */
    for (size_t i = 0; i < n; i++)
        if (!(h->reach[i] & REACH_ROOTED))
            h->reach[i] = REACH_GARBAGE;
    for (size_t i = 0; i < n && i < h->traversed; i++) {
        if (!(h->reach[i] & REACH_GARBAGE) || i >= h->gc_count)
            continue;
        for (uint64_t e = h->edge_start[i]; e < h->edge_start[i + 1]; e++) {
            uint32_t j = h->edge_to[e];
            if ((h->reach[j] & REACH_GARBAGE) && j < h->gc_count)
                internal[j]++;
        }
    }
    q = 0;
    for (size_t i = 0; i < h->gc_count; i++) {
        if (!(h->reach[i] & REACH_GARBAGE))
            continue;
        if ((h->refcnt ? h->refcnt[i] : refcount(ctx, (uint32_t)i)) > internal[i]) {
            h->reach[i] = REACH_HELD;
            queue[q++] = (uint32_t)i;
        }
    }
    /* 3. What the held objects lead to is held too. */
    flood(h, queue, q, REACH_HELD, REACH_GARBAGE, REACH_GARBAGE);
    free(queue);
    free(internal);
    /* Nothing else reads the counts: their memory goes before the owners'
     * and the texts' arrays are first touched, where the scan peaks. */
    free(h->refcnt);
    h->refcnt = NULL;
    return true;
}
