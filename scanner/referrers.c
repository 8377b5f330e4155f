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

/* Calls add(r, from, to, label) for every edge of the graph, in one order. */
#define FOR_EACH_EDGE(h, BODY)                                                            \
    do {                                                                                  \
        for (uint32_t from = 0; from < (h)->traversed; from++)                            \
            for (uint64_t e = (h)->edge_start[from]; e < (h)->edge_start[from + 1]; e++) { \
                uint32_t to = (h)->edge_to[e];                                            \
                uint32_t label = (h)->edge_label ? (h)->edge_label[e] : 0;                \
                if (counts((h), from, to))                                                \
                    BODY                                                                  \
            }                                                                             \
        for (uint32_t from = 0; (h)->extra_start && from < (h)->count; from++)            \
            for (uint64_t e = (h)->extra_start[from]; e < (h)->extra_start[from + 1]; e++) { \
                uint32_t to = (h)->extra_to[e];                                           \
                uint32_t label = (h)->extra_label ? (h)->extra_label[e] : 0;              \
                if (counts((h), from, to))                                                \
                    BODY                                                                  \
            }                                                                             \
    } while (0)

bool referrers_build(struct heap *h, struct referrers *r)
{
    memset(r, 0, sizeof *r);
    size_t n = h->count;
    uint64_t total = 0;
    r->start = calloc(n + 2, sizeof *r->start);
    if (!r->start)
        return false;
    FOR_EACH_EDGE(h, {
        (void)label;
        r->start[to + 1]++;
        total++;
    });
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
    FOR_EACH_EDGE(h, {
        uint64_t at = fill[to]++;
        r->from[at] = from;
        if (labels)
            r->label[at] = label;
    });
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
