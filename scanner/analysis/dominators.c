#include "analysis/dominators.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/reach.h"

#define NONE UINT32_MAX

/* Depth-first numbering from the virtual root (number 0): num[object] its
 * number (NONE: not reached), vert[k] the object numbered k, parent[k] the
 * number of its parent in the DFS tree.  The stack is the tree path from
 * the root to the current vertex, so parent[] is the stack; at[k] is where
 * vertex k is in its edges (across its two runs). */
static size_t number_depth_first(const struct heap *h, uint32_t *num, uint32_t *vert, uint32_t *parent,
                                 uint32_t *at)
{
    size_t next = 1;
    vert[0] = NONE;
    parent[0] = NONE;
    for (size_t r = 0; r < h->nroots; r++) {
        uint32_t o = h->roots[r].object;
        if (num[o] != NONE)
            continue;
        uint32_t k = (uint32_t)next++;
        num[o] = k;
        vert[k] = o;
        parent[k] = 0;
        at[k] = 0;
        while (k != 0) {
            struct edge_run run[2];
            heap_edge_runs(h, vert[k], run);
            uint64_t e = at[k];
            if (e >= run[0].n + run[1].n) {
                k = parent[k];
                continue;
            }
            at[k] = (uint32_t)(e + 1);
            uint32_t w = e < run[0].n ? run[0].to[e] : run[1].to[e - run[0].n];
            if (num[w] != NONE)
                continue;
            uint32_t c = (uint32_t)next++;
            num[w] = c;
            vert[c] = w;
            parent[c] = k;
            at[c] = 0;
            k = c;
        }
    }
    return next;
}

/* Lengauer-Tarjan's EVAL with path compression, without recursion or a
 * stack: the way up reverses the ancestor pointers, the way down restores
 * them compressed, carrying the smallest semi-dominator's label down. */
static uint32_t eval(uint32_t v, uint32_t *ancestor, uint32_t *label, const uint32_t *semi)
{
    if (ancestor[v] == NONE)
        return v;
    uint32_t x = v, prev = NONE;
    while (ancestor[ancestor[x]] != NONE) {
        uint32_t up = ancestor[x];
        ancestor[x] = prev;
        prev = x;
        x = up;
    }
    /* x's ancestor is its tree's root: x is compressed already */
    while (prev != NONE) {
        uint32_t y = prev;
        prev = ancestor[y];
        if (semi[label[x]] < semi[label[y]])
            label[y] = label[x];
        ancestor[y] = ancestor[x];
        x = y;
    }
    return label[v];
}

/* The DFS number of a referrer entry's referrer: 0 for a root. */
static uint32_t pred_number(const struct referrers *r, const uint32_t *num, uint64_t e)
{
    uint32_t from = r->from[e];
    return from == REFERRER_ROOT || from == REFERRER_FRAME ? 0 : num[from];
}

bool dominators_compute(const struct heap *h, const struct referrers *r, struct dominators *d)
{
    memset(d, 0, sizeof *d);
    size_t n = h->count, cap = n + 1;
    if (cap >= UINT32_MAX - 2)
        return false;
    uint32_t *num = malloc((n ? n : 1) * sizeof *num);
    uint32_t *vert = malloc(cap * sizeof *vert);
    uint32_t *parent = malloc(cap * sizeof *parent);
    uint32_t *semi = malloc(cap * sizeof *semi);   /* the DFS's positions first */
    bool ok = num && vert && parent && semi;
    size_t nv = 0;
    if (ok) {
        memset(num, 0xff, n * sizeof *num);
        nv = number_depth_first(h, num, vert, parent, semi);
    }
    /* semi-dominators, in decreasing DFS number; a vertex's predecessors
     * are its referrers (the reachable ones, and the roots) */
    uint32_t *label = ok ? malloc(nv * sizeof *label) : NULL;
    uint32_t *ancestor = ok ? malloc(nv * sizeof *ancestor) : NULL;
    ok = ok && label && ancestor;
    if (ok) {
        for (uint32_t k = 0; k < nv; k++) {
            semi[k] = label[k] = k;
            ancestor[k] = NONE;
        }
        for (size_t w = nv - 1; w >= 1; w--) {
            uint32_t o = vert[w];
            for (uint64_t e = r->start[o]; e < r->start[o + 1]; e++) {
                uint32_t p = pred_number(r, num, e);
                if (p == NONE)
                    continue;   /* an unreachable referrer (a heap without reach bits) */
                uint32_t u = eval(p, ancestor, label, semi);
                if (semi[u] < semi[w])
                    semi[w] = semi[u];
            }
            ancestor[w] = parent[w];
        }
    }
    free(label);
    free(ancestor);
    free(num);
    /* immediate dominators, in place of the semi-dominators: the nearest
     * common ancestor of the DFS parent and the semi-dominator, climbing the
     * part of the tree already final (numbers below w) */
    if (ok) {
        uint32_t *idom = semi;
        idom[0] = NONE;
        for (size_t w = 1; w < nv; w++) {
            uint32_t x = parent[w], sw = semi[w];
            while (x > sw)
                x = idom[x];
            idom[w] = x;
        }
        d->idom = malloc((n ? n : 1) * sizeof *d->idom);
        d->retained = calloc(n ? n : 1, sizeof *d->retained);
        ok = d->idom && d->retained;
        if (ok) {
            for (size_t i = 0; i < n; i++)
                d->idom[i] = DOMINATOR_NONE;
            /* a dominator has a smaller DFS number than what it dominates:
             * summing in decreasing numbers finishes each before its turn */
            for (size_t w = nv - 1; w >= 1; w--) {
                uint32_t o = vert[w];
                d->retained[o] += h->size[o];
                d->idom[o] = idom[w] == 0 ? DOMINATOR_ROOT : vert[idom[w]];
                if (idom[w] != 0)
                    d->retained[vert[idom[w]]] += d->retained[o];
            }
            d->nreachable = nv - 1;
        }
    }
    free(semi);
    free(vert);
    free(parent);
    if (!ok)
        dominators_free(d);
    return ok;
}

void dominators_free(struct dominators *d)
{
    free(d->idom);
    free(d->retained);
    memset(d, 0, sizeof *d);
}

bool dominator_children_build(const struct heap *h, const struct dominators *d, struct dominator_children *c)
{
    size_t n = h->count;
    c->start = calloc(n + 2, sizeof *c->start);
    c->child = malloc((d->nreachable ? d->nreachable : 1) * sizeof *c->child);
    uint64_t *fill = malloc((n + 1) * sizeof *fill);
    if (!c->start || !c->child || !fill) {
        free(fill);
        dominator_children_free(c);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t p = d->idom[i];
        if (p != DOMINATOR_NONE)
            c->start[(p == DOMINATOR_ROOT ? n : p) + 1]++;
    }
    for (size_t i = 0; i <= n; i++)
        c->start[i + 1] += c->start[i];
    memcpy(fill, c->start, (n + 1) * sizeof *fill);
    for (size_t i = 0; i < n; i++) {
        uint32_t p = d->idom[i];
        if (p != DOMINATOR_NONE)
            c->child[fill[p == DOMINATOR_ROOT ? n : p]++] = (uint32_t)i;
    }
    free(fill);
    return true;
}

struct by_retained {
    uint64_t retained;
    uint32_t object;
};

static int bigger_first(const void *a, const void *b)
{
    const struct by_retained *x = a, *y = b;
    if (x->retained != y->retained)
        return x->retained < y->retained ? 1 : -1;
    return x->object < y->object ? -1 : x->object > y->object;
}

uint32_t *dominator_children_sorted(const struct dominators *d, const struct dominator_children *c, uint32_t i,
                                    size_t *n)
{
    uint64_t from = c->start[i], to = c->start[i + 1];
    struct by_retained *kids = malloc((to - from ? to - from : 1) * sizeof *kids);
    uint32_t *out = malloc((to - from ? to - from : 1) * sizeof *out);
    if (!kids || !out) {
        free(kids);
        free(out);
        return NULL;
    }
    for (uint64_t k = from; k < to; k++)
        kids[k - from] = (struct by_retained){d->retained[c->child[k]], c->child[k]};
    qsort(kids, to - from, sizeof *kids, bigger_first);
    for (uint64_t k = 0; k < to - from; k++)
        out[k] = kids[k].object;
    free(kids);
    *n = to - from;
    return out;
}

void dominator_children_free(struct dominator_children *c)
{
    free(c->start);
    free(c->child);
    memset(c, 0, sizeof *c);
}

uint64_t retained_of_set(const struct heap *h, const uint8_t *in)
{
    size_t n = h->count;
    uint8_t *seen = calloc(n ? n : 1, 1);
    uint32_t *queue = malloc((n ? n : 1) * sizeof *queue);
    if (!seen || !queue) {
        free(seen);
        free(queue);
        return UINT64_MAX;
    }
    /* what the roots still reach once the set is gone */
    size_t q = 0;
    for (size_t r = 0; r < h->nroots; r++) {
        uint32_t o = h->roots[r].object;
        if (!seen[o] && !in[o]) {
            seen[o] = 1;
            queue[q++] = o;
        }
    }
    while (q) {
        struct edge_run run[2];
        heap_edge_runs(h, queue[--q], run);
        for (int k = 0; k < 2; k++)
            for (uint64_t e = 0; e < run[k].n; e++) {
                uint32_t w = run[k].to[e];
                if (!seen[w] && !in[w]) {
                    seen[w] = 1;
                    queue[q++] = w;
                }
            }
    }
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        if (!seen[i] && h->reach && (h->reach[i] & REACH_ROOTED))
            total += h->size[i];
    free(seen);
    free(queue);
    return total;
}
