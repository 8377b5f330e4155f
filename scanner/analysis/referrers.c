#include "analysis/referrers.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/reach.h"

/* Whether the edge from -> to is one heapy's referrer graph has: a rooted
 * object's referrers are rooted. */
static bool counts(const struct heap *h, uint32_t from, uint32_t to)
{
    return !h->reach || !(h->reach[to] & REACH_ROOTED) || (h->reach[from] & REACH_ROOTED);
}

/* Runs BODY with from, to and label set for every edge, tp_traverse's
 * first, then heapy's extra ones: each object's referrers come in that
 * order.  (A macro, so that both passes stay loops with no call per edge.) */
#define FOR_EACH_EDGE(h, BODY)                                                                  \
    do {                                                                                        \
        for (uint32_t from = 0; from < (h)->traversed; from++)                                  \
            for (uint64_t e = (h)->edge_start[from]; e < (h)->edge_start[from + 1]; e++) {      \
                uint32_t to = (h)->edge_to[e];                                                  \
                uint32_t label = heap_label((h), e);                                            \
                BODY                                                                            \
            }                                                                                   \
        for (size_t x = 0; x < (h)->nextra_from; x++)                                           \
            for (uint64_t e = (h)->extra_first[x]; e < (h)->extra_first[x + 1]; e++) {          \
                uint32_t from = (h)->extra_from[x], to = (h)->extra_to[e];                      \
                uint32_t label = (h)->extra_label ? (h)->extra_label[e] : 0;                    \
                BODY                                                                            \
            }                                                                                   \
    } while (0)

bool referrers_build(struct heap *h, struct referrers *r)
{
    memset(r, 0, sizeof *r);
    size_t n = h->count;
    uint64_t total = 0;
    /* Counts at i + 2, their sums make start[i + 1] object i's first, used
     * as its cursor while filling: it ends at i's end, i + 1's first.  No
     * second array of a cursor per object. */
    r->start = calloc(n + 2, sizeof *r->start);
    if (!r->start)
        return false;
    FOR_EACH_EDGE(h, {
        (void)label;
        if (counts(h, from, to)) {
            r->start[to + 2]++;
            total++;
        }
    });
    for (size_t k = 0; k < h->nroots; k++, total++)
        r->start[h->roots[k].object + 2]++;
    for (size_t i = 1; i < n + 2; i++)
        r->start[i] += r->start[i - 1];
    r->from = malloc((total ? total : 1) * sizeof *r->from);
    bool labels = heap_has_labels(h);
    if (labels)
        r->label = malloc((total ? total : 1) * sizeof *r->label);
    if (!r->from || (labels && !r->label)) {
        referrers_free(r);
        return false;
    }
    FOR_EACH_EDGE(h, {
        if (counts(h, from, to)) {
            uint64_t at = r->start[to + 1]++;
            r->from[at] = from;
            if (labels)
                r->label[at] = label;
        }
    });
    for (size_t k = 0; k < h->nroots; k++) {
        uint64_t at = r->start[h->roots[k].object + 1]++;
        r->from[at] = h->roots[k].frame_label ? REFERRER_FRAME : REFERRER_ROOT;
        if (labels && h->roots[k].frame_label) {
            r->label[at] = h->roots[k].frame_label;
        } else if (labels) {
            uint32_t id = name_table_intern(&h->names, h->roots[k].name);
            if (id == UINT32_MAX) {
                referrers_free(r);
                return false;
            }
            r->label[at] = REL_LABEL(REL_ROOT, id);
        }
    }
    return true;
}

void referrers_free(struct referrers *r)
{
    free(r->start);
    free(r->from);
    free(r->label);
    memset(r, 0, sizeof *r);
}
