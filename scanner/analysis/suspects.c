#include "analysis/suspects.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/classify.h"

static bool is_module(const struct heap *h, uint32_t i)
{
    return strcmp(h->types.v[h->type[i]].name, "module") == 0;
}

/* Where the heap hangs from: a root's object, a module, a module's dict. */
static bool is_holder(const struct heap *h, uint32_t i)
{
    if (is_module(h, i))
        return true;
    if (h->dict_owned_by && heap_dict_owner(h, i) != UINT32_MAX && is_module(h, heap_dict_owner(h, i)))
        return true;
    for (size_t r = 0; r < h->nroots; r++)
        if (h->roots[r].object == i)
            return true;
    return false;
}

/* Down the tree while one child keeps most of its parent's retained size. */
static uint32_t accumulation_point(const struct dominators *d, const struct dominator_children *c, uint32_t i,
                                   unsigned *depth)
{
    *depth = 0;
    for (;;) {
        uint32_t best = UINT32_MAX;
        for (uint64_t k = c->start[i]; k < c->start[i + 1]; k++)
            if (best == UINT32_MAX || d->retained[c->child[k]] > d->retained[best])
                best = c->child[k];
        if (best == UINT32_MAX || (double)d->retained[best] < SUSPECT_FOLLOW_SHARE * (double)d->retained[i])
            return i;
        i = best;
        ++*depth;
    }
}

static int by_retained(const void *a, const void *b, void *ctx)
{
    const struct dominators *d = ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (d->retained[x] != d->retained[y])
        return d->retained[x] > d->retained[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

static int kind_by_name(const void *a, const void *b)
{
    return strcmp(((const struct kind_suspect *)a)->kind, ((const struct kind_suspect *)b)->kind);
}

static int kind_by_retained(const void *a, const void *b)
{
    const struct kind_suspect *x = a, *y = b;
    if (x->retained != y->retained)
        return x->retained > y->retained ? -1 : 1;
    return strcmp(x->kind, y->kind);
}

/* The candidates grouped by kind; those of several members passing the
 * threshold together are kept. */
static bool kind_suspects(const struct heap *h, const struct dominators *d, const uint32_t *cand, size_t n,
                          struct suspects *s)
{
    struct kind_suspect *k = calloc(n ? n : 1, sizeof *k);
    struct text t = {0};
    if (!k)
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        text_clear(&t);
        classify_clodo(h, cand[i], &t);
        k[i] = (struct kind_suspect){strdup(t.s ? t.s : "?"), 1, d->retained[cand[i]], cand[i]};
        ok = k[i].kind && !t.oom;
    }
    text_free(&t);
    size_t m = 0;
    if (ok) {
        qsort(k, n, sizeof *k, kind_by_name);
        for (size_t i = 0; i < n; i++) {
            if (m && strcmp(k[m - 1].kind, k[i].kind) == 0) {
                k[m - 1].members++;
                k[m - 1].retained += k[i].retained;
                if (d->retained[k[i].biggest] > d->retained[k[m - 1].biggest])
                    k[m - 1].biggest = k[i].biggest;
                free(k[i].kind);
            } else {
                k[m++] = k[i];
            }
        }
    }
    size_t kept = 0;
    for (size_t i = 0; i < (ok ? m : n); i++) {
        if (ok && k[i].members > 1 && k[i].retained >= s->threshold)
            k[kept++] = k[i];
        else
            free(k[i].kind);
    }
    qsort(k, kept, sizeof *k, kind_by_retained);
    s->kinds = k;
    s->nkinds = kept;
    return ok;
}

bool suspects_find(const struct heap *h, const struct dominators *d, const struct dominator_children *c,
                   double percent, struct suspects *s)
{
    memset(s, 0, sizeof *s);
    size_t n = h->count;
    for (size_t i = 0; i < n; i++)
        if (d->idom[i] == DOMINATOR_ROOT)
            s->reachable_size += d->retained[i];
    s->threshold = (uint64_t)((double)s->reachable_size * percent / 100.0);
    /* the candidates: below the virtual root, through holders only */
    uint32_t *stack = malloc((n ? n : 1) * sizeof *stack);
    uint32_t *cand = malloc((n ? n : 1) * sizeof *cand);
    if (!stack || !cand) {
        free(stack);
        free(cand);
        return false;
    }
    size_t sp = 0, ncand = 0;
    for (uint64_t k = c->start[n]; k < c->start[n + 1]; k++)
        stack[sp++] = c->child[k];
    while (sp) {
        uint32_t i = stack[--sp];
        if (!is_holder(h, i)) {
            cand[ncand++] = i;
            continue;
        }
        for (uint64_t k = c->start[i]; k < c->start[i + 1]; k++)
            stack[sp++] = c->child[k];
    }
    free(stack);
    qsort_r(cand, ncand, sizeof *cand, by_retained, (void *)d);
    size_t big = 0;
    while (big < ncand && d->retained[cand[big]] >= s->threshold && d->retained[cand[big]])
        big++;
    s->objects = calloc(big ? big : 1, sizeof *s->objects);
    if (!s->objects) {
        free(cand);
        return false;
    }
    for (size_t k = 0; k < big; k++) {
        s->objects[k].object = cand[k];
        s->objects[k].accumulation = accumulation_point(d, c, cand[k], &s->objects[k].depth);
    }
    s->nobjects = big;
    bool ok = kind_suspects(h, d, cand, ncand, s);
    free(cand);
    return ok;
}

void suspects_free(struct suspects *s)
{
    for (size_t k = 0; k < s->nkinds; k++)
        free(s->kinds[k].kind);
    free(s->kinds);
    free(s->objects);
    memset(s, 0, sizeof *s);
}

bool dominated_objects(const struct heap *h, const struct dominator_children *c, uint32_t i, uint32_t **out,
                       size_t *n)
{
    (void)h;
    size_t cap = 64;
    uint32_t *v = malloc(cap * sizeof *v);
    if (!v)
        return false;
    /* v doubles as the stack: everything before `next` is done */
    size_t have = 0, next = 0;
    uint32_t at = i;
    for (;;) {
        uint64_t kids = c->start[at + 1] - c->start[at];
        if (have + kids > cap) {
            while (have + kids > cap)
                cap *= 2;
            uint32_t *grown = realloc(v, cap * sizeof *v);
            if (!grown) {
                free(v);
                return false;
            }
            v = grown;
        }
        memcpy(v + have, c->child + c->start[at], kids * sizeof *v);
        have += kids;
        if (next == have)
            break;
        at = v[next++];
    }
    *out = v;
    *n = have;
    return true;
}
