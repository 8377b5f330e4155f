#include "referrers.h"

#include <stdlib.h>
#include <string.h>

#include "reach.h"

/* Whether the edge from -> to is one heapy's referrer graph has: a rooted
 * object's referrers are rooted. */
static bool counts(const struct heap *h, uint32_t from, uint32_t to)
{
    return !h->reach || !(h->reach[to] & REACH_ROOTED) || (h->reach[from] & REACH_ROOTED);
}

bool referrers_build(struct heap *h, struct referrers *r)
{
    memset(r, 0, sizeof *r);
    size_t n = h->count;
    uint64_t total = 0;
    r->start = calloc(n + 2, sizeof *r->start);
    if (!r->start)
        return false;
    /* tp_traverse's edges first, then heapy's extra ones: each object's
     * referrers come in that order. */
    struct edge_run run[2];
    for (int k = 0; k < 2; k++)
        for (uint32_t from = 0; from < h->count; from++) {
            heap_edge_runs(h, from, run);
            for (uint64_t e = 0; e < run[k].n; e++)
                if (counts(h, from, run[k].to[e])) {
                    r->start[run[k].to[e] + 1]++;
                    total++;
                }
        }
    for (size_t k = 0; k < h->nroots; k++, total++)
        r->start[h->roots[k].object + 1]++;
    for (size_t i = 0; i < n; i++)
        r->start[i + 1] += r->start[i];
    uint64_t *fill = malloc((n + 1) * sizeof *fill);
    r->from = malloc((total ? total : 1) * sizeof *r->from);
    bool labels = h->edge_label != NULL;
    if (labels)
        r->label = malloc((total ? total : 1) * sizeof *r->label);
    if (!fill || !r->from || (labels && !r->label)) {
        free(fill);
        referrers_free(r);
        return false;
    }
    memcpy(fill, r->start, (n + 1) * sizeof *fill);
    for (int k = 0; k < 2; k++)
        for (uint32_t from = 0; from < h->count; from++) {
            heap_edge_runs(h, from, run);
            for (uint64_t e = 0; e < run[k].n; e++) {
                uint32_t to = run[k].to[e];
                if (!counts(h, from, to))
                    continue;
                uint64_t at = fill[to]++;
                r->from[at] = from;
                if (labels)
                    r->label[at] = run[k].label ? run[k].label[e] : 0;
            }
        }
    for (size_t k = 0; k < h->nroots; k++) {
        uint64_t at = fill[h->roots[k].object]++;
        r->from[at] = h->roots[k].frame_label ? REFERRER_FRAME : REFERRER_ROOT;
        if (labels && h->roots[k].frame_label) {
            r->label[at] = h->roots[k].frame_label;
        } else if (labels) {
            uint32_t id = name_table_intern(&h->names, h->roots[k].name);
            if (id == UINT32_MAX) {
                free(fill);
                referrers_free(r);
                return false;
            }
            r->label[at] = REL_LABEL(REL_ROOT, id);
        }
    }
    free(fill);
    return true;
}

void referrers_free(struct referrers *r)
{
    free(r->start);
    free(r->from);
    free(r->label);
    memset(r, 0, sizeof *r);
}
