#include "model/mimalloc_walk.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/damage.h"

/* The objects of the heap with the pre-header (managed dict and weakref
 * pointers) start two words into their blocks (Python/gc_free_threading.c,
 * 3.13: offset_pre).  A target whose allocator adds its debug words
 * (PYTHONMALLOC=*_debug) would shift both heaps; that is not modelled. */
#define PREHEADER_WORDS 2

/* A page holds at most 2^16 blocks: capacity is a uint16_t. */
#define MAX_BLOCKS 65536

/* Addresses seen, in an open-addressed set: pages walked (so that a page
 * reached twice through damaged links is walked once) and blocks on a heap's
 * delayed-free list. */
struct addr_set {
    uint64_t *slot;
    size_t cap, count;
};

static bool addr_set_add(struct addr_set *s, uint64_t a)
{
    if (2 * (s->count + 1) > s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        uint64_t *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return false;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slot[i])
                continue;
            size_t j = (size_t)(s->slot[i] >> 4) & (cap - 1);
            while (slot[j])
                j = (j + 1) & (cap - 1);
            slot[j] = s->slot[i];
        }
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    size_t j = (size_t)(a >> 4) & (s->cap - 1);
    while (s->slot[j]) {
        if (s->slot[j] == a)
            return true;
        j = (j + 1) & (s->cap - 1);
    }
    s->slot[j] = a;
    s->count++;
    return true;
}

static bool addr_set_has(const struct addr_set *s, uint64_t a)
{
    if (!s->cap)
        return false;
    size_t j = (size_t)(a >> 4) & (s->cap - 1);
    while (s->slot[j]) {
        if (s->slot[j] == a)
            return true;
        j = (j + 1) & (s->cap - 1);
    }
    return false;
}

struct walk {
    struct target *t;
    struct heap *h;
    struct addr_set pages, delayed;
    uint64_t free_map[MAX_BLOCKS / 64];
};

static uint32_t u32_in(const unsigned char *p, int64_t off)
{
    uint32_t v;
    memcpy(&v, p + off, sizeof v);
    return v;
}

static uint64_t u64_in(const unsigned char *p, int64_t off)
{
    uint64_t v;
    memcpy(&v, p + off, sizeof v);
    return v;
}

/* The node after node in a list read from memory, its link at next_off; 0
 * at the end, and where the link is unreadable or the list comes back on
 * itself (cut there and counted, as what). */
static uint64_t next_node(struct target *t, struct chain_guard *guard, uint64_t node,
                          int64_t next_off, const char *what, uint64_t owner)
{
    uint64_t next;
    if (!mem_u64(t->mem, node + (uint64_t)next_off, &next)) {
        damage_note(&t->damage, false, "%s 0x%" PRIx64 ": a link not in memory", what, owner);
        return 0;
    }
    if (next && !chain_guard_step(guard, next)) {
        damage_note(&t->damage, true, "%s 0x%" PRIx64, what, owner);
        return 0;
    }
    return next;
}

/* Marks the blocks of one free list in free_map; false when a link leaves
 * the page's blocks or comes back (the page is then not trusted). */
static bool mark_free_list(struct walk *w, uint64_t block, uint64_t pstart, uint64_t bsize,
                           uint64_t capacity)
{
    for (uint64_t steps = 0; block; steps++) {
        if (block < pstart || (block - pstart) % bsize || (block - pstart) / bsize >= capacity ||
            steps >= capacity)
            return false;
        uint64_t i = (block - pstart) / bsize;
        if (w->free_map[i / 64] & (UINT64_C(1) << (i % 64)))
            return false;
        w->free_map[i / 64] |= UINT64_C(1) << (i % 64);
        if (!mem_u64(w->t->mem, block, &block))
            return false;
    }
    return true;
}

/* The blocks of one page in use whose objects are tracked. */
static bool walk_page(struct walk *w, uint64_t page, uint64_t offset, struct error *err)
{
    struct target *t = w->t;
    const struct py_layout *L = t->L;
    if (!addr_set_add(&w->pages, page))
        return fail(err, EXIT_INTERNAL, "out of memory");
    const unsigned char *pg = mem_view(t->mem, page, (size_t)L->mi_page_size);
    if (!pg) {
        damage_note(&t->damage, false, "mimalloc page at 0x%" PRIx64 " not in memory", page);
        return true;
    }
    uint64_t used = u32_in(pg, L->mi_page_used), slice_count = u32_in(pg, L->mi_page_slice_count);
    uint64_t xblock = u32_in(pg, L->mi_page_xblock_size), capacity = 0;
    memcpy(&capacity, pg + L->mi_page_capacity, 2);
    if (used == 0)
        return true;
    /* The page is a slice of its segment, which is aligned to its size. */
    uint64_t seg_size = (uint64_t)L->mi_segment_size, slice_size = (uint64_t)L->mi_segment_slice_size;
    uint64_t segment = (page - 1) & ~(seg_size - 1);
    uint64_t slices = segment + (uint64_t)L->mi_segment_slices, entries;
    if (!mem_u64(t->mem, segment + (uint64_t)L->mi_segment_slice_entries, &entries) ||
        page < slices || (page - slices) % (uint64_t)L->mi_page_size ||
        (page - slices) / (uint64_t)L->mi_page_size >= entries || entries > seg_size / slice_size + 1 ||
        slice_count == 0 || xblock == 0) {
        damage_note(&t->damage, false, "mimalloc page at 0x%" PRIx64 " does not fit its segment",
                    page);
        return true;
    }
    uint64_t idx = (page - slices) / (uint64_t)L->mi_page_size;
    /* Where the blocks start: mimalloc 2.1 (Objects/mimalloc/segment.c,
     * _mi_segment_page_start_from_slice, as 3.13 vendors it) shifts small
     * blocks off the slice's start by three blocks (up to 64 bytes) or one
     * (up to 512). */
    uint64_t start_offset = 0;
    if (xblock >= 8 && xblock <= 64)
        start_offset = 3 * xblock;
    else if (xblock >= 8 && xblock <= 512)
        start_offset = xblock;
    uint64_t psize = slice_count * slice_size - start_offset;
    uint64_t bsize = xblock >= (uint64_t)L->mi_huge_block_size ? psize : xblock;
    uint64_t pstart = segment + idx * slice_size + start_offset;
    const unsigned char *blocks =
        capacity && capacity * bsize <= psize ? mem_view(t->mem, pstart, capacity * bsize) : NULL;
    if (!blocks) {
        damage_note(&t->damage, false,
                    "mimalloc page at 0x%" PRIx64 ": %" PRIu64 " blocks of %" PRIu64
                    " bytes beyond its slices or the memory held",
                    page, capacity, bsize);
        return true;
    }
    memset(w->free_map, 0, (capacity + 63) / 64 * 8);
    uint64_t thread_free = u64_in(pg, L->mi_page_xthread_free) & ~(uint64_t)3;
    if (!mark_free_list(w, u64_in(pg, L->mi_page_free), pstart, bsize, capacity) ||
        !mark_free_list(w, u64_in(pg, L->mi_page_local_free), pstart, bsize, capacity) ||
        !mark_free_list(w, thread_free, pstart, bsize, capacity)) {
        damage_note(&t->damage, false, "mimalloc page at 0x%" PRIx64 ": a free list leaves it",
                    page);
        return true;
    }
    uint64_t need = offset + (uint64_t)L->ob_type + 8;
    if (need > bsize)
        return true;  /* blocks too small to hold an object of this heap */
    const struct py_layout *lay = L;
    for (uint64_t i = 0; i < capacity; i++) {
        if (w->free_map[i / 64] & (UINT64_C(1) << (i % 64)))
            continue;
        uint64_t block = pstart + i * bsize;
        if (w->delayed.count && addr_set_has(&w->delayed, block))
            continue;
        const unsigned char *obj = blocks + i * bsize + offset;
        uint8_t bits = obj[lay->ob_gc_bits];
        if (!(bits & lay->gc_bits_tracked))
            continue;
        uint64_t type = u64_in(obj, lay->ob_type);
        uint32_t ti = type_table_intern(&w->h->types, t, type);
        if (ti == UINT32_MAX) {
            damage_note(&t->damage, false,
                        "object at 0x%" PRIx64 " has an unreadable type at 0x%" PRIx64,
                        block + offset, type);
            continue;
        }
        if (!heap_reserve(w->h, 1))
            return fail(err, EXIT_INTERNAL, "out of memory");
        heap_push(w->h, block + offset, ti,
                  (bits & lay->gc_bits_frozen) ? ORIGIN_GC_PERMANENT : ORIGIN_GC_GENERATION);
    }
    return true;
}

/* The offset of the object in the blocks of the heap with this tag, or -1
 * for the heaps of no gc objects. */
static int64_t object_offset(const struct py_layout *L, uint64_t tag)
{
    if (tag == (uint64_t)L->mi_heap_id_gc)
        return 0;
    if (tag == (uint64_t)L->mi_heap_id_gc_pre)
        return PREHEADER_WORDS * 8;
    return -1;
}

/* Every page of one of a thread's heaps: its page queues, one per size
 * class and the full pages'. */
static bool walk_heap(struct walk *w, uint64_t heap, uint64_t offset, struct error *err)
{
    const struct py_layout *L = w->t->L;
    for (int64_t q = 0; q <= L->mi_bin_full; q++) {
        uint64_t page;
        uint64_t head = heap + (uint64_t)(L->mi_heap_pages + q * L->mi_page_queue_size +
                                          L->mi_page_queue_first);
        if (!mem_u64(w->t->mem, head, &page)) {
            damage_note(&w->t->damage, false, "mimalloc heap at 0x%" PRIx64 " not in memory", heap);
            return true;
        }
        struct chain_guard guard;
        chain_guard_init(&guard, page);
        for (; page; page = next_node(w->t, &guard, page, L->mi_page_next,
                                      "mimalloc page queue of heap", heap))
            if (!addr_set_has(&w->pages, page) && !walk_page(w, page, offset, err))
                return false;
    }
    return true;
}

/* The blocks other threads freed into a full page of this heap, which
 * mimalloc has not yet put back on the page's lists: free all the same. */
static bool collect_delayed(struct walk *w, uint64_t heap, struct error *err)
{
    uint64_t block;
    if (!mem_u64(w->t->mem, heap + (uint64_t)w->t->L->mi_heap_thread_delayed_free, &block))
        return true;
    struct chain_guard guard;
    chain_guard_init(&guard, block);
    for (; block; block = next_node(w->t, &guard, block, 0, "mimalloc delayed-free list of heap",
                                     heap))
        if (!addr_set_add(&w->delayed, block))
            return fail(err, EXIT_INTERNAL, "out of memory");
    return true;
}

/* The gc heaps of every thread state whose mimalloc state is initialized;
 * pass 0 collects their delayed frees, pass 1 walks them. */
static bool walk_threads(struct walk *w, int pass, struct error *err)
{
    struct target *t = w->t;
    const struct py_layout *L = t->L;
    uint64_t ts;
    if (!mem_u64(t->mem, t->interp + (uint64_t)L->interp_threads_head, &ts))
        return fail(err, EXIT_BAD_HEAP, "the thread states of interpreter 0x%" PRIx64 " are unreadable",
                    t->interp);
    struct chain_guard guard;
    chain_guard_init(&guard, ts);
    while (ts) {
        int32_t initialized = 0;
        if (mem_read(t->mem, ts + (uint64_t)L->tstate_mimalloc_initialized, &initialized,
                     sizeof initialized) &&
            initialized) {
            int64_t ids[2] = {L->mi_heap_id_gc, L->mi_heap_id_gc_pre};
            for (int k = 0; k < 2; k++) {
                uint64_t heap = ts + (uint64_t)(L->tstate_mimalloc_heaps + ids[k] * L->mi_heap_size);
                bool ok = pass == 0 ? collect_delayed(w, heap, err)
                                    : walk_heap(w, heap, (uint64_t)object_offset(L, (uint64_t)ids[k]), err);
                if (!ok)
                    return false;
            }
        }
        ts = next_node(t, &guard, ts, L->ts_next, "thread state list of interpreter", t->interp);
    }
    return true;
}

/* The used pages of the gc heaps in one abandoned segment: its slices, after
 * the ones holding the segment's own header. */
static bool walk_segment(struct walk *w, uint64_t segment, struct error *err)
{
    struct target *t = w->t;
    const struct py_layout *L = t->L;
    uint64_t entries, slices = segment + (uint64_t)L->mi_segment_slices;
    uint64_t max_entries = (uint64_t)(L->mi_segment_size / L->mi_segment_slice_size) + 1;
    if (!mem_u64(t->mem, segment + (uint64_t)L->mi_segment_slice_entries, &entries) ||
        entries > max_entries) {
        damage_note(&t->damage, false, "abandoned mimalloc segment at 0x%" PRIx64, segment);
        return true;
    }
    for (uint64_t i = 0; i < entries;) {
        uint64_t slice = slices + i * (uint64_t)L->mi_page_size;
        const unsigned char *s = mem_view(t->mem, slice, (size_t)L->mi_page_size);
        uint64_t count = s ? u32_in(s, L->mi_page_slice_count) : 0;
        if (!count) {
            damage_note(&t->damage, false,
                        "abandoned mimalloc segment at 0x%" PRIx64 ": slice %" PRIu64, segment, i);
            return true;
        }
        /* The first slices hold the segment itself; used pages have a size. */
        if (i > 0 && u32_in(s, L->mi_page_xblock_size) > 0) {
            uint64_t tag = (s[L->mi_page_tag_bit / 8] >> (L->mi_page_tag_bit % 8)) & 15;
            int64_t offset = object_offset(L, tag);
            if (offset >= 0 && !addr_set_has(&w->pages, slice) &&
                !walk_page(w, slice, (uint64_t)offset, err))
                return false;
        }
        i += count;
    }
    return true;
}

/* The segments exited threads left in the interpreter's abandoned pool: the
 * list to visit (its head tagged with a counter in the bits below the
 * segment alignment) and the list visited. */
static bool walk_abandoned(struct walk *w, struct error *err)
{
    struct target *t = w->t;
    const struct py_layout *L = t->L;
    int64_t heads[2] = {L->interp_mimalloc_abandoned, L->interp_mimalloc_abandoned_visited};
    for (int k = 0; k < 2; k++) {
        uint64_t segment;
        if (!mem_u64(t->mem, t->interp + (uint64_t)heads[k], &segment))
            return fail(err, EXIT_BAD_HEAP, "the abandoned mimalloc segments are unreadable");
        segment &= ~((uint64_t)L->mi_segment_size - 1);
        struct chain_guard guard;
        chain_guard_init(&guard, segment);
        for (; segment; segment = next_node(t, &guard, segment, L->mi_segment_abandoned_next,
                                            "abandoned mimalloc segment list of interpreter",
                                            t->interp))
            if (!walk_segment(w, segment, err))
                return false;
    }
    return true;
}

bool mimalloc_walk_possible(const struct py_layout *L, char *why, size_t cap)
{
    if (L->mi_heap_pages < 0 || L->ob_gc_bits < 0 || L->interp_mimalloc_abandoned < 0) {
        snprintf(why, cap, "the %s layout does not describe its mimalloc heaps", L->key);
        return false;
    }
    if (L->mi_encode_freelist || L->mi_padding_size) {
        snprintf(why, cap, "its mimalloc encodes free lists and pads blocks (a debug build), which "
                           "the walk does not decode");
        return false;
    }
    return true;
}

bool mimalloc_walk(struct target *t, struct heap *h, struct error *err)
{
    struct walk *w = calloc(1, sizeof *w);
    if (!w)
        return fail(err, EXIT_INTERNAL, "out of memory");
    w->t = t;
    w->h = h;
    bool ok = walk_threads(w, 0, err) && walk_threads(w, 1, err) && walk_abandoned(w, err);
    free(w->pages.slot);
    free(w->delayed.slot);
    free(w);
    return ok;
}
