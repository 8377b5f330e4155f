#include "reach.h"

#include <stdlib.h>
#include <string.h>

#include "pyobj.h"
#include "referents.h"

/* heapy follows more than tp_traverse: every type's dict (static types'
 * too, from the interpreter on 3.12+), mro, bases, base and cache, a heap
 * type's names, slots and module, and a code object's constants, names and
 * tables.  Those edges decide reachability only: they are kept apart. */
struct extra_edges {
    uint32_t *from, *to;
    size_t n, cap;
};

static bool extra_add(struct extra_edges *x, uint32_t from, uint32_t to)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 4096;
        uint32_t *f = realloc(x->from, cap * sizeof *f);
        if (!f)
            return false;
        x->from = f;
        uint32_t *t = realloc(x->to, cap * sizeof *t);
        if (!t)
            return false;
        x->to = t;
        x->cap = cap;
    }
    x->from[x->n] = from;
    x->to[x->n++] = to;
    return true;
}

static bool follow(struct target *t, struct heap *h, struct extra_edges *x, uint32_t from,
                   uint64_t addr, struct error *err)
{
    if (!addr)
        return true;
    uint32_t to = heap_add_object(t, h, addr, err);
    if (to == UINT32_MAX)
        return err->code == EXIT_OK;
    return extra_add(x, from, to) || fail(err, EXIT_INTERNAL, "out of memory");
}

static bool heapy_edges(struct target *t, struct heap *h, struct extra_edges *x, struct error *err)
{
    const struct py_layout *L = t->L;
    for (size_t i = 0; i < h->count; i++) {
        enum size_kind k = h->types.v[h->type[i]].size_kind;
        uint64_t obj = h->addr[i];
        if (k == SIZE_TYPE) {
            bool heap = (u64_at(t, obj + (uint64_t)L->tp_flags) & (uint64_t)L->flag_heaptype) != 0;
            const int64_t type_fields[] = {L->tp_mro, L->tp_bases, L->tp_base, L->tp_cache};
            if (!follow(t, h, x, (uint32_t)i, py_type_dict(t, obj), err))
                return false;
            for (size_t f = 0; f < sizeof type_fields / sizeof type_fields[0]; f++)
                if (!follow(t, h, x, (uint32_t)i, u64_at(t, obj + (uint64_t)type_fields[f]), err))
                    return false;
            /* tp_subclasses: a dict, or on 3.12+ static builtin types an
             * index, which is no object and is dropped. */
            if (!follow(t, h, x, (uint32_t)i, u64_at(t, obj + (uint64_t)L->tp_subclasses), err))
                return false;
            const int64_t heap_fields[] = {L->ht_name, L->ht_slots, L->ht_qualname, L->ht_module};
            for (size_t f = 0; heap && f < sizeof heap_fields / sizeof heap_fields[0]; f++)
                if (heap_fields[f] >= 0 &&
                    !follow(t, h, x, (uint32_t)i, u64_at(t, obj + (uint64_t)heap_fields[f]), err))
                    return false;
        } else if (k == SIZE_CODE) {
            const int64_t code_fields[] = {L->code_consts, L->code_names, L->code_filename,
                                           L->code_name, L->code_qualname, L->code_exceptiontable,
                                           L->code_localsplusnames, L->code_localspluskinds,
                                           L->code_varnames, L->code_linetable, L->code_co_code,
                                           L->code_cellvars, L->code_freevars};
            for (size_t f = 0; f < sizeof code_fields / sizeof code_fields[0]; f++)
                if (code_fields[f] >= 0 &&
                    !follow(t, h, x, (uint32_t)i, u64_at(t, obj + (uint64_t)code_fields[f]), err))
                    return false;
        }
    }
    return true;
}


/* The extra edges as CSR: start[i] .. start[i + 1] in to[]. */
struct extra_csr {
    uint64_t *start;
    uint32_t *to;
};

static bool extra_csr(const struct extra_edges *x, size_t count, struct extra_csr *c)
{
    c->start = calloc(count + 1, sizeof *c->start);
    c->to = malloc((x->n ? x->n : 1) * sizeof *c->to);
    if (!c->start || !c->to)
        return false;
    for (size_t e = 0; e < x->n; e++)
        c->start[x->from[e] + 1]++;
    for (size_t i = 0; i < count; i++)
        c->start[i + 1] += c->start[i];
    uint64_t *fill = malloc((count + 1) * sizeof *fill);
    if (!fill)
        return false;
    memcpy(fill, c->start, (count + 1) * sizeof *fill);
    for (size_t e = 0; e < x->n; e++)
        c->to[fill[x->from[e]]++] = x->to[e];
    free(fill);
    return true;
}

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
 * edges (and the extra ones when given), staying inside objects whose reach
 * is `within` (0: any). */
static void flood(struct heap *h, const struct extra_csr *x, uint32_t *queue, size_t n, uint8_t bit,
                  uint8_t within, uint8_t clear)
{
    while (n) {
        uint32_t i = queue[--n];
        if (i < h->traversed)
            for (uint64_t e = h->edge_start[i]; e < h->edge_start[i + 1]; e++)
                visit(h, h->edge_to[e], queue, &n, bit, within, clear);
        if (x)
            for (uint64_t e = x->start[i]; e < x->start[i + 1]; e++)
                visit(h, x->to[e], queue, &n, bit, within, clear);
    }
}

bool heap_reach(struct target *t, struct heap *h, struct error *err)
{
    struct extra_edges x = {0};
    struct extra_csr xc = {0};
    if (!heapy_edges(t, h, &x, err) || !extra_csr(&x, h->count, &xc)) {
        free(x.from);
        free(x.to);
        free(xc.start);
        free(xc.to);
        return err->code != EXIT_OK ? false : fail(err, EXIT_INTERNAL, "out of memory");
    }
    free(x.from);
    free(x.to);
    size_t n = h->count;
    free(h->reach);
    free(h->refcnt);
    h->reach = calloc(n ? n : 1, 1);
    h->refcnt = calloc(n ? n : 1, sizeof *h->refcnt);
    uint32_t *queue = malloc((n ? n : 1) * sizeof *queue);
    uint32_t *internal = calloc(n ? n : 1, sizeof *internal);
    if (!h->reach || !h->refcnt || !queue || !internal) {
        free(queue);
        free(internal);
        free(xc.start);
        free(xc.to);
        return fail(err, EXIT_INTERNAL, "out of memory");
    }
    /* 1. Reachable from the roots. */
    size_t q = 0;
    for (size_t r = 0; r < h->nroots; r++) {
        uint32_t i = h->roots[r].object;
        if (!(h->reach[i] & REACH_ROOTED)) {
            h->reach[i] = REACH_ROOTED;
            queue[q++] = i;
        }
    }
    flood(h, &xc, queue, q, REACH_ROOTED, 0, 0);
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
        uint64_t word = 0;
        mem_u64(t->mem, h->addr[i] + (uint64_t)t->L->ob_refcnt, &word);
        h->refcnt[i] = (uint32_t)word;
        if (h->refcnt[i] > internal[i]) {
            h->reach[i] = REACH_HELD;
            queue[q++] = (uint32_t)i;
        }
    }
    /* 3. What the held objects lead to is held too. */
    flood(h, &xc, queue, q, REACH_HELD, REACH_GARBAGE, REACH_GARBAGE);
    free(queue);
    free(internal);
    free(xc.start);
    free(xc.to);
    return true;
}
