#include "model/extra_edges.h"

#include <stdlib.h>
#include <string.h>

#include "model/thread_walk.h"
#include "model/damage.h"
#include "base/prefault.h"
#include "model/pyobj.h"
#include "model/referents.h"

struct extra_edges {
    uint32_t *from, *to, *label;
    size_t n, cap;
};

static bool extra_add(struct extra_edges *x, uint32_t from, uint32_t to, uint32_t label)
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
        uint32_t *l = realloc(x->label, cap * sizeof *l);
        if (!l)
            return false;
        x->label = l;
        prefault_grown(f, x->cap * sizeof *f, cap * sizeof *f);
        prefault_grown(t, x->cap * sizeof *t, cap * sizeof *t);
        prefault_grown(l, x->cap * sizeof *l, cap * sizeof *l);
        x->cap = cap;
    }
    x->from[x->n] = from;
    x->label[x->n] = label;
    x->to[x->n++] = to;
    return true;
}

static bool follow(struct target *t, struct heap *h, struct extra_edges *x, uint32_t from,
                   uint64_t addr, struct relation rel, struct error *err)
{
    if (!addr)
        return true;
    uint32_t to = heap_add_object(t, h, addr, err);
    if (to == UINT32_MAX)
        return err->code == EXIT_OK;
    uint32_t label = heap_edge_label(t, h, rel);
    return extra_add(x, from, to, label) || fail(err, EXIT_INTERNAL, "out of memory");
}

struct named_field {
    int64_t offset;
    struct relation rel;
};

static bool heapy_edges(struct target *t, struct heap *h, struct extra_edges *x, struct error *err)
{
    const struct py_layout *L = t->L;
    for (size_t i = 0; i < h->count; i++) {
        enum size_kind k = h->types.v[h->type[i]].size_kind;
        uint64_t obj = h->addr[i];
        if (k == SIZE_TYPE) {
            bool heap = (u64_at(t, obj + (uint64_t)L->tp_flags) & (uint64_t)L->flag_heaptype) != 0;
            const struct named_field type_fields[] = {
                {L->tp_mro, rel_attr("__mro__")}, {L->tp_bases, rel_attr("__bases__")},
                {L->tp_base, rel_attr("__base__")}, {L->tp_cache, rel_inter("tp_cache")},
                /* tp_subclasses: a dict, or on 3.12+ static builtin types
                 * an index, which is no object and is dropped. */
                {L->tp_subclasses, rel_inter("tp_subclasses")},
            };
            if (!follow(t, h, x, (uint32_t)i, py_type_dict(t, obj), rel_attr("__dict__"), err))
                return false;
            for (size_t f = 0; f < sizeof type_fields / sizeof type_fields[0]; f++)
                if (!follow(t, h, x, (uint32_t)i, u64_at(t, obj + (uint64_t)type_fields[f].offset),
                            type_fields[f].rel, err))
                    return false;
            const struct named_field heap_fields[] = {
                {L->ht_name, rel_attr("__name__")}, {L->ht_slots, rel_attr("__slots__")},
                {L->ht_qualname, rel_attr("__qualname__")}, {L->ht_module, rel_inter("ht_module")},
            };
            for (size_t f = 0; heap && f < sizeof heap_fields / sizeof heap_fields[0]; f++)
                if (heap_fields[f].offset >= 0 &&
                    !follow(t, h, x, (uint32_t)i, u64_at(t, obj + (uint64_t)heap_fields[f].offset),
                            heap_fields[f].rel, err))
                    return false;
        } else if (k == SIZE_CODE) {
            const struct named_field code_fields[] = {
                {L->code_consts, rel_attr("co_consts")}, {L->code_names, rel_attr("co_names")},
                {L->code_filename, rel_attr("co_filename")}, {L->code_name, rel_attr("co_name")},
                {L->code_qualname, rel_attr("co_qualname")},
                {L->code_exceptiontable, rel_attr("co_exceptiontable")},
                {L->code_localsplusnames, rel_inter("co_localsplusnames")},
                {L->code_localspluskinds, rel_inter("co_localspluskinds")},
                {L->code_varnames, rel_attr("co_varnames")}, {L->code_linetable, rel_attr("co_linetable")},
                {L->code_co_code, rel_attr("co_code")}, {L->code_cellvars, rel_attr("co_cellvars")},
                {L->code_freevars, rel_attr("co_freevars")},
            };
            for (size_t f = 0; f < sizeof code_fields / sizeof code_fields[0]; f++)
                if (code_fields[f].offset >= 0 &&
                    !follow(t, h, x, (uint32_t)i, u64_at(t, obj + (uint64_t)code_fields[f].offset),
                            code_fields[f].rel, err))
                    return false;
        }
    }
    return true;
}

/* The extra edges kept in the heap by object (heap.h).  heapy_edges adds
 * them in their objects' order: it follows object i's fields while it is
 * at i, and an object it adds comes after every one before it. */
static bool extra_keep(const struct extra_edges *x, struct heap *h)
{
    free(h->extra_to);
    free(h->extra_label);
    h->extra_label = NULL;
    h->nextra = x->n;
    if (x->n >= UINT32_MAX)
        return false; /* extra_first's offsets are 4 bytes */
    h->extra_to = malloc((x->n ? x->n : 1) * sizeof *h->extra_to);
    if (h->want_labels)
        h->extra_label = malloc((x->n ? x->n : 1) * sizeof *h->extra_label);
    if (!h->extra_to || (h->want_labels && !h->extra_label))
        return false;
    size_t nfrom = 0;
    for (size_t e = 0; e < x->n; e++)
        nfrom += !e || x->from[e] != x->from[e - 1];
    if (!heap_extra_begin(h, nfrom))
        return false;
    for (size_t e = 0; e < x->n; e++) {
        if (!e || x->from[e] != x->from[e - 1])
            heap_extra_list(h, x->from[e], (uint32_t)e);
        h->extra_to[e] = x->to[e];
        if (h->extra_label)
            h->extra_label[e] = x->label[e];
    }
    heap_extra_end(h, (uint32_t)x->n);
    return true;
}

/* 3.14t: the references each thread counts in its own array for the
 * objects with a unique id, which the collector merges into their counts
 * before it counts (Python/uniqueid.c, _PyObject_MergePerThreadRefcounts).
 * An array or a table the scanner does not hold adds nothing. */
static void add_per_thread_refcounts(struct target *t, struct heap *h)
{
    const struct py_layout *L = t->L;
    uint64_t table, pool_size;
    if (L->tstate_refcounts_values < 0 ||
        !mem_u64(t->mem, t->interp + (uint64_t)L->interp_unique_ids_table, &table) ||
        !mem_u64(t->mem, t->interp + (uint64_t)L->interp_unique_ids_size, &pool_size) || !table)
        return;
    /* Roots have counted a damaged list already. */
    struct thread_walk threads;
    thread_walk_start(&threads, t, L, t->interp, false);
    for (uint64_t ts; (ts = thread_walk_next(&threads));) {
        uint64_t values, size;
        if (mem_u64(t->mem, ts + (uint64_t)L->tstate_refcounts_values, &values) &&
            mem_u64(t->mem, ts + (uint64_t)L->tstate_refcounts_size, &size) && values &&
            size <= pool_size) {
            const unsigned char *v = mem_view(t->mem, values, (size_t)size * 8);
            const unsigned char *objs = mem_view(t->mem, table, (size_t)size * 8);
            for (uint64_t i = 0; v && objs && i < size; i++) {
                int64_t n;
                uint64_t obj;
                memcpy(&n, v + i * 8, 8);
                memcpy(&obj, objs + i * 8, 8);
                uint32_t k = n ? heap_find(h, obj) : UINT32_MAX;
                if (k < h->gc_count && h->refcnt[k] != UINT32_MAX)
                    h->refcnt[k] = (uint32_t)((int64_t)h->refcnt[k] + n);
            }
        }
    }
}

bool heap_add_extra_edges(struct target *t, struct heap *h, struct error *err)
{
    struct extra_edges x = {0};
    bool ok = heapy_edges(t, h, &x, err) && extra_keep(&x, h);
    free(x.from);
    free(x.to);
    free(x.label);
    if (!ok)
        return err->code != EXIT_OK ? false : fail(err, EXIT_INTERNAL, "out of memory");
    /* The gc objects' reference counts, which tell held from garbage: read
     * by heap_refcount_read for the few the roots do not reach, but where
     * each thread holds counts of its own (a free-threaded build's), which
     * are added to every object's here; read with the referents when a
     * second core read those. */
    if (t->L->tstate_refcounts_values < 0) {
        free(h->refcnt);
        h->refcnt = NULL;
        return true;
    }
    if (!h->refcnt || h->refcnt_read != h->gc_count) {
        free(h->refcnt);
        h->refcnt = malloc((h->gc_count ? h->gc_count : 1) * sizeof *h->refcnt);
        if (!h->refcnt)
            return fail(err, EXIT_INTERNAL, "out of memory");
        prefault_async(h->refcnt, h->gc_count * sizeof *h->refcnt);
        for (size_t i = 0; i < h->gc_count; i++)
            h->refcnt[i] = py_refcount(t, h->addr[i]);
    }
    h->refcnt_read = 0;
    add_per_thread_refcounts(t, h);
    return true;
}

struct refcount_reader {
    struct target t;
    struct memory mem;
    const struct heap *h;
};

struct refcount_reader *heap_refcount_reader(const struct target *t, const struct heap *h)
{
    struct refcount_reader *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    r->t = *t;
    memory_view_copy(&r->mem, t->mem, NULL);
    r->t.mem = &r->mem;
    r->h = h;
    return r;
}

uint32_t heap_refcount_read(void *reader, uint32_t i)
{
    struct refcount_reader *r = reader;
    return py_refcount(&r->t, r->h->addr[i]);
}

void heap_refcount_reader_free(struct refcount_reader *r)
{
    free(r);
}
