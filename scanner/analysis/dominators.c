#include "dominators.h"

#include <stdlib.h>
#include <string.h>

#include "reach.h"

#define NONE UINT32_MAX

/* Depth-first numbering from the virtual root (number 0): num[object] its
 * number (NONE: not reached), vert[k] the object numbered k, parent[k] the
 * number of its parent in the DFS tree.  The stack holds, per open vertex,
 * the position of its next edge across its two runs of edges. */
static size_t number_depth_first(const struct heap *h, uint32_t *num, uint32_t *vert, uint32_t *parent,
                                 uint32_t *stack_v, uint64_t *stack_at)
{
    size_t next = 1, sp = 0;
    vert[0] = NONE;
    parent[0] = NONE;
    for (size_t r = 0; r < h->nroots; r++) {
        uint32_t o = h->roots[r].object;
        if (num[o] != NONE)
            continue;
        num[o] = (uint32_t)next;
        vert[next] = o;
        parent[next++] = 0;
        stack_v[sp] = o;
        stack_at[sp++] = 0;
        while (sp) {
            uint32_t v = stack_v[sp - 1];
            struct edge_run run[2];
            heap_edge_runs(h, v, run);
            uint64_t at = stack_at[sp - 1];
            if (at >= run[0].n + run[1].n) {
                sp--;
                continue;
            }
            stack_at[sp - 1] = at + 1;
            uint32_t w = at < run[0].n ? run[0].to[at] : run[1].to[at - run[0].n];
            if (num[w] != NONE)
                continue;
            num[w] = (uint32_t)next;
            vert[next] = w;
            parent[next++] = num[v];
            stack_v[sp] = w;
            stack_at[sp++] = 0;
        }
    }
    return next;
}

/* Predecessors in DFS numbers, as CSR: the virtual root precedes every
 * root's object, each reached object precedes its referents. */
static bool build_predecessors(const struct heap *h, const uint32_t *num, const uint32_t *vert, size_t nv,
                               uint32_t **pstart_out, uint32_t **pred_out)
{
    uint32_t *pstart = calloc(nv + 1, sizeof *pstart);
    if (!pstart)
        return false;
    uint64_t total = 0;
    for (size_t r = 0; r < h->nroots; r++, total++)
        pstart[num[h->roots[r].object] + 1]++;
    for (size_t k = 1; k < nv; k++) {
        struct edge_run run[2];
        heap_edge_runs(h, vert[k], run);
        for (int q = 0; q < 2; q++)
            for (uint64_t e = 0; e < run[q].n; e++, total++)
                pstart[num[run[q].to[e]] + 1]++;
    }
    if (total >= UINT32_MAX) {   /* u32 offsets keep the index small; beyond, give up cleanly */
        free(pstart);
        return false;
    }
    for (size_t k = 0; k < nv; k++)
        pstart[k + 1] += pstart[k];
    uint32_t *pred = malloc((total ? total : 1) * sizeof *pred);
    uint32_t *fill = malloc(nv * sizeof *fill);
    if (!pred || !fill) {
        free(pstart);
        free(pred);
        free(fill);
        return false;
    }
    memcpy(fill, pstart, nv * sizeof *fill);
    for (size_t r = 0; r < h->nroots; r++)
        pred[fill[num[h->roots[r].object]]++] = 0;
    for (size_t k = 1; k < nv; k++) {
        struct edge_run run[2];
        heap_edge_runs(h, vert[k], run);
        for (int q = 0; q < 2; q++)
            for (uint64_t e = 0; e < run[q].n; e++)
                pred[fill[num[run[q].to[e]]]++] = (uint32_t)k;
    }
    free(fill);
    *pstart_out = pstart;
    *pred_out = pred;
    return true;
}

/* Lengauer-Tarjan's EVAL with path compression, without recursion: the
 * chain of ancestors still to compress goes on an explicit stack. */
static uint32_t eval(uint32_t v, uint32_t *ancestor, uint32_t *label, const uint32_t *semi, uint32_t *stack)
{
    if (ancestor[v] == NONE)
        return v;
    size_t sp = 0;
    uint32_t x = v;
    while (ancestor[ancestor[x]] != NONE) {
        stack[sp++] = x;
        x = ancestor[x];
    }
    while (sp) {
        uint32_t y = stack[--sp], a = ancestor[y];
        if (semi[label[a]] < semi[label[y]])
            label[y] = label[a];
        ancestor[y] = ancestor[a];
    }
    return label[v];
}

bool dominators_compute(const struct heap *h, struct dominators *d)
{
    memset(d, 0, sizeof *d);
    size_t n = h->count, cap = n + 1;
    if (cap >= UINT32_MAX - 2)
        return false;
    uint32_t *num = malloc((n ? n : 1) * sizeof *num);
    uint32_t *vert = malloc(cap * sizeof *vert);
    uint32_t *parent = malloc(cap * sizeof *parent);
    uint32_t *stack_v = malloc(cap * sizeof *stack_v);
    uint64_t *stack_at = malloc(cap * sizeof *stack_at);
    bool ok = num && vert && parent && stack_v && stack_at;
    size_t nv = 0;
    if (ok) {
        memset(num, 0xff, n * sizeof *num);
        nv = number_depth_first(h, num, vert, parent, stack_v, stack_at);
    }
    free(stack_at);
    uint32_t *pstart = NULL, *pred = NULL;
    ok = ok && build_predecessors(h, num, vert, nv, &pstart, &pred);
    /* semi-dominators, in decreasing DFS number */
    uint32_t *semi = ok ? malloc(nv * sizeof *semi) : NULL;
    uint32_t *label = ok ? malloc(nv * sizeof *label) : NULL;
    uint32_t *ancestor = ok ? malloc(nv * sizeof *ancestor) : NULL;
    ok = ok && semi && label && ancestor;
    if (ok) {
        for (uint32_t k = 0; k < nv; k++) {
            semi[k] = label[k] = k;
            ancestor[k] = NONE;
        }
        for (size_t w = nv - 1; w >= 1; w--) {
            for (uint32_t p = pstart[w]; p < pstart[w + 1]; p++) {
                uint32_t u = eval(pred[p], ancestor, label, semi, stack_v);
                if (semi[u] < semi[w])
                    semi[w] = semi[u];
            }
            ancestor[w] = parent[w];
        }
    }
    free(pstart);
    free(pred);
    free(label);
    free(ancestor);
    free(stack_v);
    /* immediate dominators: the nearest common ancestor of the DFS parent
     * and the semi-dominator, climbing the tree already built (idom[k] in
     * parent[]'s place, numbers below k are final) */
    if (ok) {
        uint32_t *idom = parent;
        for (size_t w = 1; w < nv; w++) {
            uint32_t x = idom[w];
            while (x > semi[w])
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
    free(num);
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
