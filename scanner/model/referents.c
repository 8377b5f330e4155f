#include "model/referents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "base/prefault.h"
#include "base/progress.h"
#include "model/pyobj.h"
#include "model/pyrepr.h"
#include "model/referents_ahead.h"
#include "model/sizes.h"
#include "model/traverse.h"

struct collect {
    struct target *t;
    struct heap *h;
    bool oom;
    struct ahead *ahead; /* reading the gc objects' referents on another core, or NULL */
};

/* A pointer leads to an object when its type is a ready type (its own type
 * a type) with a readable name.  where: the copied region addr lies in, or
 * NULL. */
static uint32_t object_type(struct target *t, struct heap *h, uint64_t addr, const struct region_groups *where)
{
    const struct py_layout *L = t->L;
    uint64_t type, meta, meta_flags, flags, name;
    char buf[8];
    uint32_t known;
    if (where && where->end - addr >= (uint64_t)L->ob_type + 8)
        memcpy(&type, where->data + (addr - where->start) + L->ob_type, 8);
    else if (!mem_u64(t->mem, addr + (uint64_t)L->ob_type, &type))
        return UINT32_MAX;
    if (!type)
        return UINT32_MAX;
    if (type_table_find(&h->types, type, &known))
        return known; /* a type already validated */
    if (!mem_u64(t->mem, type + (uint64_t)L->ob_type, &meta) || !meta ||
        !mem_u64(t->mem, meta + (uint64_t)L->tp_flags, &meta_flags) ||
        !(meta_flags & (uint64_t)L->flag_type_subclass) ||
        !mem_u64(t->mem, type + (uint64_t)L->tp_flags, &flags) || !(flags & (uint64_t)L->flag_ready) ||
        !mem_u64(t->mem, type + (uint64_t)L->tp_name, &name) || !name ||
        !mem_cstring(t->mem, name, buf, sizeof buf))
        return UINT32_MAX;
    return type_table_intern(&h->types, t, type);
}

static bool push_edge(struct heap *h, uint32_t to, uint32_t label)
{
    if (h->nedges == UINT32_MAX)
        return false; /* edge_start's offsets are 4 bytes */
    if (h->nedges == h->edge_cap && !heap_edges_grow(h))
        return false;
    if (h->edge_kind)
        h->edge_kind[h->nedges] = rel_label_kind_byte(label);
    else if (h->want_labels)
        h->edge_label[h->nedges] = label;
    h->edge_to[h->nedges++] = to;
    return true;
}

uint32_t relation_label(struct target *t, struct name_table *names, struct relation rel)
{
    char text[512];
    const char *name = rel.name;
    uint32_t quiet = rel.quiet ? REL_QUIET : 0;
    switch (rel.kind) {
    case REL_INDEX:
    case REL_KEY:
    case REL_KEY_UNSEEN:
    case REL_STACK:
    case REL_INSET:
        return rel.arg <= REL_LABEL_PAYLOAD ? REL_LABEL(rel.kind, rel.arg) | quiet : REL_LABEL(REL_NONE, 0);
    case REL_VALUE:
        /* The key as Python shows it; a key of another kind by its type and
         * address, as object.__repr__ shows it. */
        if (!rel.arg)
            return REL_LABEL(REL_NONE, 0);
        if (!py_repr_value(t, rel.arg, text, sizeof text))
            snprintf(text, sizeof text, "<object at %#llx>", (unsigned long long)rel.arg);
        name = text;
        break;
    case REL_ATTR:
        /* An attribute named by a str in the target (an inline value's key). */
        if (!name && rel.arg && py_str_utf8(t, rel.arg, text, sizeof text))
            name = text;
        break;
    case REL_INTERATTR:
    case REL_LOCAL:
    case REL_CELL:
    case REL_ROOT:
        break;
    case REL_NONE:
        return REL_LABEL(REL_NONE, 0);
    }
    uint32_t id = name_table_intern(names, name ? name : "?");
    if (id == UINT32_MAX || id > REL_LABEL_PAYLOAD)
        return REL_LABEL(REL_NONE, 0);
    return REL_LABEL(rel.kind, id) | quiet;
}

uint32_t heap_edge_label(struct target *t, struct heap *h, struct relation rel)
{
    if (!h->want_labels)
        return 0;
    /* A value's label is its key's repr, an attribute's its name read from
     * the target: most of a labelled scan's time, when only kinds are read. */
    if (h->label_kinds_only)
        return relation_kind_label(rel);
    return relation_label(t, &h->names, rel);
}

/* The index of the object at addr, added when it is seen for the first
 * time; UINT32_MAX when addr leads to no object, or out of memory (oom). */
static uint32_t referent_index(struct collect *c, uint64_t addr)
{
    struct heap *h = c->h;
    const struct region_groups *where;
    uint32_t idx = heap_find_where(h, addr, &where);
    if (idx == UINT32_MAX) {
        uint32_t type = object_type(c->t, h, addr, where);
        if (type == UINT32_MAX)
            return UINT32_MAX; /* not an object: a tagged value, a stale or corrupt pointer */
        if (!ahead_heap_reserve(c->ahead, h, 1)) {
            c->oom = true;
            return UINT32_MAX;
        }
        idx = (uint32_t)h->count;
        heap_push(h, addr, type, ORIGIN_REFERENT);
        bool exact;
        h->size[idx] = object_getsizeof(c->t, &h->types.v[type], addr, &exact);
        if (!exact)
            h->origin[idx] |= OBJECT_INEXACT_SIZE;
        if (!heap_index_add_in(h, where, addr, idx)) {
            c->oom = true;
            return UINT32_MAX;
        }
    }
    return idx;
}

static void on_referent(void *p, uint64_t addr, struct relation rel)
{
    struct collect *c = p;
    if (c->oom)
        return;
    uint32_t idx = referent_index(c, addr);
    if (idx != UINT32_MAX && !push_edge(c->h, idx, heap_edge_label(c->t, c->h, rel)))
        c->oom = true;
}

/* A weakref's referent, kept beside the edges (it is none).  wr_object is
 * the field before wr_callback in PyWeakReference in every version the
 * scanner reads (Include/weakrefobject.h 3.8, Include/cpython/weakrefobject.h
 * 3.11-3.15: PyObject_HEAD, wr_object, wr_callback, hash, ...); the layout
 * generated from the headers gives wr_callback. */
static bool note_weakref(struct target *t, struct heap *h, uint32_t i)
{
    uint64_t referent = 0;
    if (t->L->weakref_callback < 8 || !mem_u64(t->mem, h->addr[i] + (uint64_t)t->L->weakref_callback - 8, &referent))
        return true;
    if (!GROW(h->weakrefs, h->weakrefs_cap, h->nweakrefs + 1, 64))
        return false;
    h->weakrefs[h->nweakrefs++] = (struct heap_weakref){i, referent};
    return true;
}

/* A referent's lookup misses the caches where the heap is bigger than
 * them: its group in the index, and a new object's header, are asked for
 * this many referents ahead. */
#define PREFETCH_AHEAD 16

static void prefetch_referent(struct collect *c, uint64_t addr)
{
    const struct region_groups *r = region_index_region(&c->h->regions, addr);
    if (r) {
        __builtin_prefetch(&r->group[(addr - r->start) >> 10]);
        __builtin_prefetch(r->data + (addr - r->start));
    }
}

/* Object i's referents, as the worker read them: true when it had them. */
static bool take_ahead(struct collect *c, uint32_t i)
{
    struct ahead_object got;
    if (!c->ahead || i >= ahead_count(c->ahead) || !ahead_take(c->ahead, i, &got))
        return false;
    if (got.opaque)
        c->h->origin[i] |= OBJECT_OPAQUE;
    if (c->h->refcnt)
        c->h->refcnt[i] = got.refcnt;
    c->h->size[i] = got.size;
    if (!got.exact)
        c->h->origin[i] |= OBJECT_INEXACT_SIZE;
    if (got.rel) {
        for (uint32_t k = 0; k < got.n && !c->oom; k++) {
            if (k + PREFETCH_AHEAD < got.n)
                prefetch_referent(c, got.addr[k + PREFETCH_AHEAD]);
            on_referent(c, got.addr[k], got.rel[k]);
        }
        return true;
    }
    /* No relation to pass along, the label being none or a kind's byte (a
     * relation copied by value for each was a fifth of this loop at 9M
     * objects). */
    for (uint32_t k = 0; k < got.n && !c->oom; k++) {
        if (k + PREFETCH_AHEAD < got.n)
            prefetch_referent(c, got.addr[k + PREFETCH_AHEAD]);
        uint32_t idx = referent_index(c, got.addr[k]);
        uint32_t label = got.kind ? rel_label_of_kind_byte(got.kind[k]) : 0;
        if (idx != UINT32_MAX && !push_edge(c->h, idx, label))
            c->oom = true;
    }
    return true;
}

/* Traverses the objects [h->traversed, h->count), the count growing as
 * referents are first seen, recording their edges; the gc objects' come
 * from the worker when there is one. */
static bool traverse_rest(struct target *t, struct heap *h, struct ahead *ahead, struct error *err)
{
    struct collect c = {t, h, false, ahead};
    for (size_t i = h->traversed; i < h->count; i++) {
        if ((!h->edge_start || i + 2 > h->edge_start_cap) && !heap_edge_start_room(h, i + 2))
            return fail(err, EXIT_INTERNAL, "out of memory");
        h->edge_start[i] = (uint32_t)h->nedges;
        progress_note("referents", i);
        /* Interning the referents' types may move the table: ti is good
         * until the first referent is taken. */
        const struct type_info *ti = &h->types.v[h->type[i]];
        bool weakref = ti->traverse == TRAVERSE_WEAKREF;
        if (!take_ahead(&c, (uint32_t)i)) {
            if (i < h->gc_count) { /* a referent's size came with it */
                bool exact;
                h->size[i] = object_getsizeof(t, ti, h->addr[i], &exact);
                if (!exact)
                    h->origin[i] |= OBJECT_INEXACT_SIZE;
                if (h->refcnt)
                    h->refcnt[i] = py_refcount(t, h->addr[i]);
            }
            if (traverse_is_gc(t, ti, h->addr[i])) {
                const struct type_info copy = *ti;
                if (!traverse_object(t, &copy, h->addr[i], on_referent, &c, !h->want_labels || h->label_kinds_only))
                    h->origin[i] |= OBJECT_OPAQUE;
            }
        }
        if (weakref && !note_weakref(t, h, (uint32_t)i))
            c.oom = true;
        if (c.oom)
            return fail(err, EXIT_INTERNAL, "out of memory");
        h->edge_start[i + 1] = (uint32_t)h->nedges;
        h->traversed = i + 1;
    }
    return true;
}

bool heap_add_referents(struct target *t, struct heap *h, struct ahead *ahead, struct error *err)
{
    /* Room for about twice the gc objects at once: no rehash for the common
     * heap, where the referents add as many objects again. */
    /* the gc objects the worker indexed as the walk found them, then the rest */
    if (!ahead_index_back(ahead, h) || (!h->regions.v && !h->index_slots && !heap_index_regions(h, t->mem)) ||
        !heap_index_all(h, h->count * 2)) {
        ahead_end(ahead);
        return fail(err, EXIT_INTERNAL, "out of memory");
    }
    h->traversed = 0;
    h->nweakrefs = 0;
    h->weakrefs_known = true;
    if (!ahead && h->gc_count >= AHEAD_MIN_OBJECTS)
        ahead = ahead_walked(ahead_start(t, h, h->want_labels, h->label_kinds_only), h);
    /* the gc objects' reference counts are read beside (extra_edges.c keeps them) */
    free(h->refcnt);
    h->refcnt = ahead && ahead_reads_refcounts(ahead) ? malloc((h->gc_count ? h->gc_count : 1) * sizeof *h->refcnt)
                                                       : NULL;
    h->refcnt_read = 0;
    bool ok = traverse_rest(t, h, ahead, err);
    ahead_end(ahead);
    if (!ok)
        return false;
    if (h->refcnt)
        h->refcnt_read = h->gc_count;
    h->closure_count = h->count;
    return true;
}

uint32_t heap_add_object(struct target *t, struct heap *h, uint64_t addr, struct error *err)
{
    struct collect c = {t, h, false, NULL};
    uint32_t idx = heap_find(h, addr);
    if (idx != UINT32_MAX)
        return idx;
    size_t before = h->nedges;
    on_referent(&c, addr, rel_none);
    if (c.oom) {
        fail(err, EXIT_INTERNAL, "out of memory");
        return UINT32_MAX;
    }
    if (h->nedges == before)
        return UINT32_MAX; /* not an object */
    h->nedges = before;    /* on_referent recorded an edge nobody has */
    idx = heap_find(h, addr);
    return idx != UINT32_MAX && traverse_rest(t, h, NULL, err) ? idx : UINT32_MAX;
}
