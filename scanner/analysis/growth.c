#include "analysis/growth.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/classify.h"

static const struct diff_row *find_row(const struct heap_diff *d, const char *kind)
{
    for (size_t k = 0; k < d->nrows; k++)
        if (strcmp(d->rows[k].kind, kind) == 0)
            return &d->rows[k];
    return NULL;
}

bool growth_add_step(struct growth *g, const struct heap_diff *d)
{
    size_t s = g->steps;
    if (s == 0) {
        g->kinds = calloc(d->nrows ? d->nrows : 1, sizeof *g->kinds);
        if (!g->kinds)
            return false;
        for (size_t k = 0; k < d->nrows; k++) {
            if (d->rows[k].count <= 0)
                continue;
            struct growing_kind *gk = &g->kinds[g->nkinds];
            if (!(gk->kind = strdup(d->rows[k].kind)))
                return false;
            gk->holder = UINT32_MAX;
            gk->count[0] = d->rows[k].count;
            gk->size[0] = d->rows[k].size;
            g->nkinds++;
        }
        g->steps = 1;
        return true;
    }
    size_t kept = 0;
    for (size_t k = 0; k < g->nkinds; k++) {
        const struct diff_row *row = find_row(d, g->kinds[k].kind);
        if (!row || row->count <= 0) {
            free(g->kinds[k].kind);
            continue;
        }
        g->kinds[k].count[s] = row->count;
        g->kinds[k].size[s] = row->size;
        g->kinds[kept++] = g->kinds[k];
    }
    g->nkinds = kept;
    g->steps++;
    return true;
}

static int more_growth_first(const void *a, const void *b)
{
    const struct growing_kind *x = a, *y = b;
    if (x->size_growth != y->size_growth)
        return x->size_growth > y->size_growth ? -1 : 1;
    return strcmp(x->kind, y->kind);
}

void growth_rank(struct growth *g)
{
    for (size_t k = 0; k < g->nkinds; k++) {
        g->kinds[k].size_growth = 0;
        for (size_t s = 0; s < g->steps; s++)
            g->kinds[k].size_growth += g->kinds[k].size[s];
    }
    qsort(g->kinds, g->nkinds, sizeof *g->kinds, more_growth_first);
}

bool growth_locate(struct growing_kind *k, const struct heap_diff *d, const struct referrers *r,
                   const uint32_t *dist, struct merged_paths *m)
{
    const struct heap *h = d->after_heap;
    uint32_t *members = malloc((d->nfresh ? d->nfresh : 1) * sizeof *members);
    struct text t = {0};
    if (!members)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < d->nfresh; i++) {
        text_clear(&t);
        classify_clodo(h, d->fresh[i], &t);
        if (t.s && strcmp(t.s, k->kind) == 0)
            members[n++] = d->fresh[i];
    }
    bool ok = !t.oom;
    text_free(&t);
    memset(m, 0, sizeof *m);
    ok = ok && paths_merge(h, r, dist, members, n, m);
    free(members);
    if (!ok)
        return false;
    k->fresh = m->members;
    k->fresh_reached = m->members - m->unreached;
    k->holder = UINT32_MAX;
    /* down from the virtual root while one node carries every path */
    uint64_t at = 0;
    for (bool deeper = k->fresh_reached > 0; deeper;) {
        deeper = false;
        for (size_t c = at + 1; c < m->n; c++)
            if (m->node[c].parent == at && m->node[c].count == k->fresh_reached) {
                at = c;
                deeper = true;
                break;
            }
    }
    if (at) {
        k->holder = m->node[at].object;
        k->holder_node = at;
    }
    return true;
}

void growth_free(struct growth *g)
{
    for (size_t k = 0; k < g->nkinds; k++)
        free(g->kinds[k].kind);
    free(g->kinds);
    memset(g, 0, sizeof *g);
}
