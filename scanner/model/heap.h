/* The object graph every analysis reads: flat arrays, one slot per object,
 * no allocation per object (heaps of ten million objects are normal). */
#ifndef PYHEAPSCAN_HEAP_H
#define PYHEAPSCAN_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/region_index.h"
#include "model/relation.h"
#include "model/types.h"

/* Where an object was found. */
enum object_origin {
    ORIGIN_GC_GENERATION = 0,   /* + generation number */
    ORIGIN_GC_PERMANENT = 15,
    ORIGIN_REFERENT = 16,       /* found as the referent of another object */
};

/* Bits of origin[] beside the origin itself: what the scanner could not
 * model for this object, so that every set counts its own. */
#define ORIGIN_MASK 0x3F
#define OBJECT_INEXACT_SIZE 0x40   /* __sizeof__ not modelled */
#define OBJECT_OPAQUE 0x80         /* tp_traverse not modelled */

struct heap_content {
    uint64_t length;   /* the object's whole length: characters of a str, bytes of bytes */
    uint32_t kept;     /* how many bytes of its beginning are kept in data (UTF-8 for str) */
    uint32_t tail;     /* a long str's last characters follow, after a NUL: their bytes */
    uint32_t object;   /* whose: contents are kept in the objects' order */
    char *data;
};

/* At most this many bytes of a str or bytes are kept: enough for a repr. */
#define HEAP_CONTENT_KEEP 256

/* An edge from heapy's RootState: the object and the name heapy gives it. */
struct heap_root {
    uint32_t object;
    /* 0: heapy's RootState refers to it by name.  Else the relation by which
     * the frame called name refers to it (3.11+ frames are no objects until
     * asked for: their contents are roots of their own). */
    uint32_t frame_label;
    char name[56];
};

/* A weak reference and the address it refers to.  Weak references are no
 * edges (tp_traverse does not report a weakref's referent, and heapy does not
 * follow it); `paths` says what only they lead to. */
struct heap_weakref {
    uint32_t weakref;   /* the weakref object's index */
    uint64_t referent;  /* wr_object: an address, maybe of no object found */
};

struct heap_slot {
    uint64_t addr;  /* 0: empty */
    uint64_t index;
};

struct heap {
    size_t count, cap;
    uint64_t *addr;        /* object address (PyObject*) */
    uint32_t *type;        /* index into types */
    uint64_t *size;        /* sys.getsizeof */
    uint8_t *origin;       /* enum object_origin | OBJECT_* bits */
    bool arrays_mapped;    /* addr..origin are mappings (heap_reserve_untouched), not malloc's */
    struct type_table types;

    /* Edges, once heap_add_referents ran: the referents of object i are
     * edge_to[edge_start[i] .. edge_start[i + 1]) (object indices).  The
     * offsets are 4 bytes, half of what 8 cost in memory touched (the
     * scan's time follows it); a heap has fewer than 2^32 edges (push_edge
     * refuses more), as it has fewer than 2^32 objects. */
    uint32_t *edge_start;
    size_t edge_start_cap;
    size_t traversed;          /* objects [0, traversed) have their edges */
    uint32_t *edge_to;
    uint32_t *edge_label;      /* per edge: its relation (relation.h), when labels are kept */
    uint8_t *edge_kind;        /* ... or, labelled by kind alone, the label's top byte (its
                                  kind and quiet bit; the payload is 0): a quarter of
                                  the memory.  Read both through heap_label. */
    uint64_t nedges, edge_cap;
    uint64_t edges_room;       /* edges to reserve at the first (heap_reserve_untouched); 0: grow by malloc */
    bool edges_mapped;         /* edge_to and its labels are mappings of edge_cap entries, not malloc's */
    bool edge_start_mapped;    /* edge_start is a mapping of edge_start_cap entries */
    bool want_labels;          /* set before heap_add_referents: label every edge */
    bool label_kinds_only;     /* ... with its kind alone (no name, index nor key): what
                                  --set muppy reads, at a fraction of the names' cost */
    struct name_table names;   /* the names labels refer to */
    /* heapy's edges beside tp_traverse (reach.c): a type's dict, mro,
     * bases..., a code object's constants and names.  Few objects have
     * them (types and code, a thousandth of a heap), so they are kept by
     * object: extra_from lists those objects in order, their edges are
     * extra_first[k] .. extra_first[k + 1] in extra_to[] (and extra_label[]
     * when labels are kept), and extra_has has a bit for each of the first
     * extra_count objects, set for those listed.  An offset per object,
     * as the edges have, was an array as big as the object count, faulted
     * in and summed for a few thousand objects.  extra_first is NULL when
     * the heap has no extra edges computed. */
    uint32_t *extra_from, *extra_first;
    size_t nextra_from;
    uint64_t *extra_has;
    size_t extra_count;
    uint32_t *extra_to, *extra_label;
    uint64_t nextra;
    size_t gc_count;           /* objects [0, gc_count) are the gc-tracked ones */
    size_t closure_count;      /* [0, closure_count): those and their referents (--set all);
                                  the roots' own objects follow */
    bool collecting;           /* stopped inside a collection */

    /* str and bytes contents (for names and reprs), when kept: object index
     * -> the first bytes, and the full length. */
    uint32_t *content_of;      /* count entries, UINT32_MAX = none; NULL when few objects have
                                  texts (contents are then looked up by their object) */
    struct heap_content *contents;
    size_t ncontents, contents_cap;
    uint32_t *dict_owned_by;   /* per exact dict: its owner's object index + 1, 0 none
                                  (owners.c): zero pages, but for the dicts that have one */
    struct heap_root *roots;   /* roots.c */
    size_t nroots, roots_cap;
    uint8_t *reach;            /* per object: REACH_* (reach.c), NULL until computed */
    uint32_t *refcnt;          /* per gc object (only their counts tell held from garbage):
                                  ob_refcnt's low 32 bits, from the extra edges until
                                  heap_reach, its only reader, frees it */
    size_t refcnt_read;        /* refcnt[0, refcnt_read): read beside the referents already */
    struct heap_weakref *weakrefs;  /* every weakref traversed (referents.c) */
    size_t nweakrefs, weakrefs_cap;
    bool weakrefs_known;       /* false for a snapshot that predates them */

    /* address -> index: the copied regions' groups where the heap was read
     * from memory (heap_index_regions), else open addressing, key and value
     * side by side so that a probe costs one cache miss */
    struct region_index regions;
    struct heap_slot *index;
    size_t index_slots, index_used;
    size_t indexed;            /* objects [0, indexed) are in it (heap_index_all goes on from there) */
};

void heap_init(struct heap *h);
void heap_free(struct heap *h);
bool heap_reserve(struct heap *h, size_t more);

/* Room for every object a copy of copied_bytes can hold, reserved and not
 * touched (memory only as it fills): the arrays never move.  glibc grows
 * a big array by moving its mapping (mremap) to wherever the kernel finds
 * room, and a huge page moved by other than a multiple of 2 MiB is split
 * into 4 KiB pages: most of a 1M-object graph's arrays were 4 KiB pages,
 * each zeroed at a fifth of a huge page's speed and a TLB entry each.
 * Alternating runs on live targets: the gc walk at 1M objects 0.036 ->
 * 0.029 s, a whole scan at 9M 2.59 -> 2.40 s. */
void heap_reserve_untouched(struct heap *h, uint64_t copied_bytes);

/* Room for more edges (edge_to, and edge_label or edge_kind as the labels
 * are kept): the first time, the reservation heap_reserve_untouched sized;
 * then doubled.  False when out of memory. */
bool heap_edges_grow(struct heap *h);

/* Room for n entries of edge_start.  False when out of memory. */
bool heap_edge_start_room(struct heap *h, size_t n);

static inline void heap_push(struct heap *h, uint64_t addr, uint32_t type, uint8_t origin)
{
    size_t i = h->count++;
    h->addr[i] = addr;
    h->type[i] = type;
    h->size[i] = 0;
    h->origin[i] = origin;
}

/* Object i's edges, as two runs: tp_traverse's, then heapy's extra ones
 * (a type's dict, mro, bases..., a code object's tables); label is NULL
 * when relations are not kept. */
struct edge_run {
    const uint32_t *to, *label;
    uint64_t n;
};

/* Where object i is in extra_from (it is there). */
static inline size_t heap_extra_slot(const struct heap *h, uint32_t i)
{
    size_t lo = 0, hi = h->nextra_from;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->extra_from[mid] <= i)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static inline void heap_edge_runs(const struct heap *h, uint32_t i, struct edge_run run[2])
{
    run[0] = run[1] = (struct edge_run){NULL, NULL, 0};
    if (i < h->traversed) {
        uint64_t at = h->edge_start[i];
        run[0] = (struct edge_run){h->edge_to + at, h->edge_label ? h->edge_label + at : NULL,
                                   h->edge_start[i + 1] - at};
    }
    if (i < h->extra_count && (h->extra_has[i >> 6] >> (i & 63) & 1)) {
        size_t k = heap_extra_slot(h, i);
        uint64_t at = h->extra_first[k];
        run[1] = (struct edge_run){h->extra_to + at, h->extra_label ? h->extra_label + at : NULL,
                                   h->extra_first[k + 1] - at};
    }
}

/* The extra edges listed by object (heap.h): begin with room for nfrom
 * objects (false when out of memory), list each in order with its first
 * edge, end with the edges' count. */
bool heap_extra_begin(struct heap *h, size_t nfrom);
void heap_extra_list(struct heap *h, uint32_t i, uint32_t first);
void heap_extra_end(struct heap *h, uint32_t end);

/* The extra edges from a start offset per object (count + 1 of them, as a
 * snapshot keeps them), the edges already in extra_to; start is the
 * caller's still.  False when out of memory. */
bool heap_extra_from_starts(struct heap *h, const uint32_t *start);

/* A start offset per object (count + 1), as heap_extra_from_starts takes
 * them; NULL when out of memory.  The caller frees it. */
uint32_t *heap_extra_starts(const struct heap *h);

/* Counts the objects listed (indices NULL: the first n) carrying the
 * OBJECT_* bit. */
uint64_t heap_count_flag(const struct heap *h, uint8_t flag, const uint32_t *indices, size_t n);

/* The owner of exact dict i (h->dict_owned_by set), UINT32_MAX when none. */
static inline uint32_t heap_dict_owner(const struct heap *h, uint32_t i)
{
    return h->dict_owned_by[i] - 1;
}

/* Whether the edges have labels, and edge e's. */
static inline bool heap_has_labels(const struct heap *h)
{
    return h->edge_label || h->edge_kind;
}

static inline uint32_t heap_label(const struct heap *h, uint64_t e)
{
    return h->edge_label ? h->edge_label[e] : h->edge_kind ? rel_label_of_kind_byte(h->edge_kind[e]) : 0;
}

/* The index of the object at addr, or UINT32_MAX. */
uint32_t heap_find(const struct heap *h, uint64_t addr);

/* Records obj's index (after heap_push); false when out of memory. */
bool heap_index_add(struct heap *h, uint64_t addr, uint32_t index);

/* heap_find, saying which copied region addr lies in (*where, NULL when in
 * none): the caller reads the object there, and adds it there
 * (heap_index_add_in), without searching for the region again. */
static inline uint32_t heap_find_where(const struct heap *h, uint64_t addr, const struct region_groups **where)
{
    const struct region_groups *r = h->index_slots ? region_index_region(&h->regions, addr) : NULL;
    *where = r;
    return r ? region_index_lookup(&h->regions, r, addr) : heap_find(h, addr);
}

/* heap_index_add for an address heap_find_where placed in where. */
static inline bool heap_index_add_in(struct heap *h, const struct region_groups *where, uint64_t addr,
                                     uint32_t index)
{
    return where ? region_index_add(&h->regions, (struct region_groups *)where, addr, index)
                 : heap_index_add(h, addr, index);
}

/* Indexes, from now on, the objects inside m's regions by their place in
 * them (call before indexing anything).  False when out of memory. */
bool heap_index_regions(struct heap *h, const struct memory *m);

/* Empties the index: the regions' groups made anew over m (none when out
 * of memory), the hash freed. */
void heap_index_forget(struct heap *h, const struct memory *m);

/* Indexes every object of h (a heap loaded or built without the index, or
 * its first objects indexed already: h->indexed), with room for that many
 * objects in all.  False when out of memory. */
bool heap_index_all(struct heap *h, size_t room);

#endif
