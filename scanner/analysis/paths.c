#include "analysis/paths.h"

#include <stdlib.h>
#include <string.h>

#include "base/grow.h"

bool paths_distances(const struct heap *h, uint32_t **dist_out)
{
    size_t n = h->count;
    uint32_t *dist = malloc((n ? n : 1) * sizeof *dist);
    uint32_t *queue = malloc((n ? n : 1) * sizeof *queue);
    if (!dist || !queue) {
        free(dist);
        free(queue);
        return false;
    }
    memset(dist, 0xff, n * sizeof *dist);
    size_t head = 0, tail = 0;
    for (size_t r = 0; r < h->nroots; r++) {
        uint32_t o = h->roots[r].object;
        if (dist[o] == PATH_UNREACHED) {
            dist[o] = 1;
            queue[tail++] = o;
        }
    }
    while (head < tail) {
        uint32_t v = queue[head++];
        struct edge_run run[2];
        heap_edge_runs(h, v, run);
        for (int k = 0; k < 2; k++)
            for (uint64_t e = 0; e < run[k].n; e++) {
                uint32_t w = run[k].to[e];
                if (dist[w] == PATH_UNREACHED) {
                    dist[w] = dist[v] + 1;
                    queue[tail++] = w;
                }
            }
    }
    free(queue);
    *dist_out = dist;
    return true;
}

/* The next referrer entry of x, from *at on, one step nearer the roots:
 * a root's own entry when x is a root's object, else a referrer one edge
 * nearer.  UINT64_MAX when none is left. */
static uint64_t next_step(const struct referrers *r, const uint32_t *dist, uint32_t x, uint64_t at)
{
    for (; at < r->start[x + 1]; at++) {
        uint32_t from = r->from[at];
        bool root = from == REFERRER_ROOT || from == REFERRER_FRAME;
        if (root ? dist[x] == 1 : dist[from] != PATH_UNREACHED && dist[from] + 1 == dist[x])
            return at;
    }
    return UINT64_MAX;
}

size_t paths_shortest(const struct heap *h, const struct referrers *r, const uint32_t *dist, uint32_t target,
                      size_t max, path_fn fn, void *ctx)
{
    (void)h;
    uint32_t len = dist[target];
    if (len == PATH_UNREACHED || len == 0)
        return 0;
    uint64_t *step = malloc(len * sizeof *step), *cursor = malloc(len * sizeof *cursor);
    uint32_t *obj = malloc(len * sizeof *obj);
    if (!step || !cursor || !obj) {
        free(step);
        free(cursor);
        free(obj);
        return SIZE_MAX;
    }
    /* depth first backwards: level k holds obj[k] and where its referrers
     * are read up to; every referrer one nearer leads on to a root, so the
     * search meets no dead end */
    size_t found = 0, level = len - 1;
    obj[level] = target;
    cursor[level] = r->start[target];
    for (;;) {
        uint64_t e = next_step(r, dist, obj[level], cursor[level]);
        if (e == UINT64_MAX) {
            if (++level == len)
                break;
            continue;
        }
        cursor[level] = e + 1;
        step[level] = e;
        if (level == 0) {
            found++;
            if (!fn(ctx, step, obj, len) || (max && found == max))
                break;
            continue;
        }
        level--;
        obj[level] = r->from[e];
        cursor[level] = r->start[obj[level]];
    }
    free(step);
    free(cursor);
    free(obj);
    return found;
}

/* (parent node, referrer entry) -> node, open addressing */
struct node_index {
    uint32_t *slot;   /* node + 1, 0 empty */
    size_t nslots;
};

static size_t slot_of(uint32_t parent, uint64_t step, size_t nslots)
{
    uint64_t k = (step * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)parent * 0xC2B2AE3D27D4EB4Full);
    return (size_t)(k ^ (k >> 29)) & (nslots - 1);
}

static bool grow_index(struct node_index *ix, const struct merged_paths *m)
{
    size_t nslots = ix->nslots ? ix->nslots * 2 : 1024;
    uint32_t *slot = calloc(nslots, sizeof *slot);
    if (!slot)
        return false;
    for (size_t k = 1; k < m->n; k++) {
        size_t s = slot_of(m->node[k].parent, m->node[k].step, nslots);
        while (slot[s])
            s = (s + 1) & (nslots - 1);
        slot[s] = (uint32_t)k + 1;
    }
    free(ix->slot);
    ix->slot = slot;
    ix->nslots = nslots;
    return true;
}

/* The child of parent held by step, made on first sight; UINT32_MAX when
 * out of memory. */
static uint32_t child(struct merged_paths *m, struct node_index *ix, uint32_t parent, uint64_t step, uint32_t object)
{
    if ((m->n + 1) * 2 > ix->nslots && !grow_index(ix, m))
        return UINT32_MAX;
    size_t s = slot_of(parent, step, ix->nslots);
    for (; ix->slot[s]; s = (s + 1) & (ix->nslots - 1)) {
        struct merged_node *c = &m->node[ix->slot[s] - 1];
        if (c->parent == parent && c->step == step)
            return ix->slot[s] - 1;
    }
    if (!GROW(m->node, m->cap, m->n + 1, 64))
        return UINT32_MAX;
    m->node[m->n] = (struct merged_node){parent, object, step, 0, false};
    ix->slot[s] = (uint32_t)m->n + 1;
    return (uint32_t)m->n++;
}

bool paths_merge(const struct heap *h, const struct referrers *r, const uint32_t *dist, const uint32_t *members,
                 size_t nmembers, struct merged_paths *out)
{
    (void)h;
    memset(out, 0, sizeof *out);
    out->cap = 64;
    out->node = malloc(out->cap * sizeof *out->node);
    uint32_t maxlen = 0;
    for (size_t k = 0; k < nmembers; k++)
        if (dist[members[k]] != PATH_UNREACHED && dist[members[k]] > maxlen)
            maxlen = dist[members[k]];
    uint64_t *step = malloc((maxlen + 1) * sizeof *step);
    uint32_t *obj = malloc((maxlen + 1) * sizeof *obj);
    struct node_index ix = {0};
    bool ok = out->node && step && obj;
    if (ok) {
        out->node[0] = (struct merged_node){UINT32_MAX, UINT32_MAX, UINT64_MAX, 0, false};
        out->n = 1;
    }
    out->members = nmembers;
    for (size_t k = 0; ok && k < nmembers; k++) {
        uint32_t x = members[k], len = dist[x];
        if (len == PATH_UNREACHED) {
            out->unreached++;
            continue;
        }
        /* its first shortest path, walked back */
        for (uint32_t level = len; level-- > 0;) {
            obj[level] = x;
            step[level] = next_step(r, dist, x, r->start[x]);
            x = r->from[step[level]];
        }
        uint32_t node = 0;
        out->node[0].count++;
        for (uint32_t level = 0; ok && level < len; level++) {
            node = child(out, &ix, node, step[level], obj[level]);
            ok = node != UINT32_MAX;
            if (ok)
                out->node[node].count++;
        }
        if (ok)
            out->node[node].member = true;
    }
    free(ix.slot);
    free(step);
    free(obj);
    if (!ok)
        merged_paths_free(out);
    return ok;
}

void merged_paths_free(struct merged_paths *m)
{
    free(m->node);
    memset(m, 0, sizeof *m);
}
