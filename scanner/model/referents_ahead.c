#include "model/referents_ahead.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "model/pyobj.h"
#include "model/sizes.h"
#include "base/threads.h"
#include "model/traverse.h"

/* Objects a block (AHEAD_BLOCK).  A block the main thread is done with goes
 * back to the worker (the spare list), its buffers grown and their pages
 * faulted in. */
#define BLOCK AHEAD_BLOCK
/* How far the worker may run ahead: the blocks it holds cost memory that
 * the main thread has not freed yet (MAX_AHEAD_BYTES bounds it too).  Far
 * enough to even out the runs of objects that cost one thread more than
 * the other (a heap's instances and then its dicts): with 8 blocks each
 * thread waited for the other a sixth of the time at 9M objects; with 128
 * the phase took a sixth less.  64 were as fast as 128 (alternating runs,
 * 1M and 9M objects) and held 6.5 MB less at the peak of a 1M-object scan
 * (a block is about 130 KB without relations). */
#define MAX_AHEAD 64u
/* ... and, with relations, as far as the blocks done and not yet given
 * back hold this many bytes: a block is then about 0.4 MB (128 of them
 * raised pympler's peak RSS by 50 MB).  Without relations the bound slowed
 * the referents at 9M objects from 3.0 to 4.9 s, and 128 blocks cost no
 * peak RSS. */
#define MAX_AHEAD_BYTES ((size_t)8 << 20)
/* A block given back with buffers larger than this gives them up. */
#define SPARE_BYTES_KEPT ((size_t)1 << 20)
/* The blocks alive at once: the worker's, up to MAX_AHEAD past the main
 * thread's, and the main thread's own; block k sits at k % RING. */
#define RING (MAX_AHEAD + 1u)
/* The worker's copy of the type table has room for this many types; an
 * object of a type past them is the main thread's to traverse.  Only its
 * pages in use are memory. */
#define MAX_TYPES 65536u
/* Objects the worker adds to the index at a time. */
#define INDEX_CHUNK 4096u

#define REDO UINT32_MAX        /* the main thread traverses the object */
#define OPAQUE_BIT 0x80000000u /* in a count: traverse_object said false */

struct block {
    uint64_t object[BLOCK]; /* the block's objects and types, copied from the heap under the lock */
    uint32_t type[BLOCK];
    uint32_t count[BLOCK]; /* referents per object, or REDO */
    uint64_t size[BLOCK];
    bool exact[BLOCK];
    uint32_t refcnt[BLOCK];
    uint32_t *start;       /* each object's first referent in addr[] */
    uint64_t *addr;
    uint8_t *kind; /* with kinds alone: each referent's label's top byte (heap.h, edge_kind) */
    struct relation *rel;
    size_t n, cap;
    char *text; /* the relations' names, copied: a traversal's may not outlive it */
    size_t ntext, text_cap;
    struct block *next_spare;
    size_t bytes; /* what its buffers hold, counted in held while it is out */
};

/* The fields each thread writes lie on cache lines of their own: the
 * worker writes its memory's region hint on almost every read, and the
 * main thread reads the block table for every object. */
struct ahead {
    /* set before the worker starts, read by both */
    struct type_info *types; /* a copy (MAX_TYPES room): the main thread's table may move;
                                entries are appended under the lock, never changed */
    const struct heap *h;    /* its addr[] and type[] read under the lock only */
    bool with_relations;
    bool kinds_only; /* the relations' kinds alone: a byte each, no names copied */
    bool refcounts;  /* each object's reference count read too (extra_edges.c needs them all
                        where threads hold counts of their own) */
    struct block *blocks[RING]; /* an entry is written by the worker before ready passes it */
    pthread_t thread;
    /* the main thread's */
    _Alignas(64) uint32_t taken_block; /* the block it reads; UINT32_MAX: none */
    /* under the lock: blocks [0, ready) are done; the heap's arrays move */
    _Alignas(64) pthread_mutex_t lock;
    pthread_cond_t changed;
    uint32_t ready;
    uint32_t taken;  /* blocks the main thread has begun: the worker keeps within MAX_AHEAD */
    size_t held;     /* bytes of the blocks done and not given back: within MAX_AHEAD_BYTES
                        when with_relations */
    size_t published;     /* objects [0, published) of h are there to traverse */
    bool walked;          /* the gc walk is over: nobjects is set */
    uint32_t nobjects;    /* the gc objects, once walked */
    uint32_t types_copied; /* types[0, types_copied) are filled in */
    struct block *spare; /* blocks the main thread is done with, for the worker to fill again */
    atomic_bool quit;
    /* The address index of the objects handed over, added by the worker
     * while the main thread walks (it reads no index until the referents):
     * [0, indexed) are in it; indexing while the worker adds a chunk
     * outside the lock; index_back once the main thread has taken it. */
    struct heap *index_heap;
    size_t indexed;
    bool indexing, index_back, index_failed;
    const struct target *source; /* the main thread's, copied into t at the first hand-over */
    bool viewing;                /* t is set up */
    /* the worker's own view: the copy, no fallback, no caches */
    _Alignas(64) struct target t;
    struct memory mem;
    bool needed_fallback;
};

struct recording {
    struct ahead *a;
    struct block *b;
    bool oom;
};

static bool grow_text(struct block *b, size_t need)
{
    return GROW(b->text, b->text_cap, need, 4096);
}

static bool grow_referents(struct block *b, bool with_relations, bool kinds_only)
{
    size_t cap = b->cap ? b->cap * 2 : 4096;
    uint64_t *addr = realloc(b->addr, cap * sizeof *addr);
    if (!addr)
        return false;
    b->addr = addr;
    if (kinds_only) {
        uint8_t *kind = realloc(b->kind, cap * sizeof *kind);
        if (!kind)
            return false;
        b->kind = kind;
    }
    if (with_relations) {
        struct relation *rel = realloc(b->rel, cap * sizeof *rel);
        if (!rel)
            return false;
        b->rel = rel;
    }
    b->cap = cap;
    return true;
}

static void record(void *ctx, uint64_t addr, struct relation rel)
{
    struct recording *r = ctx;
    struct block *b = r->b;
    bool with_relations = r->a->with_relations;
    if (r->oom || (b->n == b->cap && !grow_referents(b, with_relations, r->a->kinds_only))) {
        r->oom = true;
        return;
    }
    b->addr[b->n] = addr;
    if (r->a->kinds_only)
        b->kind[b->n] = rel_label_kind_byte(relation_kind_label(rel));
    if (with_relations) {
        if (rel.name) {
            size_t len = strlen(rel.name) + 1;
            if (!grow_text(b, b->ntext + len)) {
                r->oom = true;
                return;
            }
            memcpy(b->text + b->ntext, rel.name, len);
            rel.name = (const char *)(uintptr_t)(b->ntext + 1); /* an offset until the block is done */
            b->ntext += len;
        }
        b->rel[b->n] = rel;
    }
    b->n++;
}

static void traverse_block(struct ahead *a, struct block *b, uint32_t first, uint32_t n, uint32_t ntypes)
{
    struct recording r = {a, b, false};
    for (uint32_t i = first; i < first + n; i++) {
        size_t mark = b->n, text_mark = b->ntext;
        b->start[i - first] = (uint32_t)mark;
        if (b->type[i - first] >= ntypes) {
            b->count[i - first] = REDO;
            continue;
        }
        a->needed_fallback = false;
        /* the counts alone: damage_note writes the text when both are 0,
         * and a memset of the whole (its text too) was half this loop's
         * own time */
        a->t.damage.lengths = a->t.damage.cycles = 0;
        const struct type_info *ti = &a->types[b->type[i - first]];
        uint64_t obj = b->object[i - first];
        b->size[i - first] = object_getsizeof(&a->t, ti, obj, &b->exact[i - first]);
        b->refcnt[i - first] = a->refcounts ? py_refcount(&a->t, obj) : 0;
        bool opaque = traverse_is_gc(&a->t, ti, obj) && !traverse_object(&a->t, ti, obj, record, &r, !a->with_relations);
        if (a->needed_fallback || a->t.damage.lengths || a->t.damage.cycles || r.oom ||
            b->n - mark >= OPAQUE_BIT) {
            b->n = mark;
            b->ntext = text_mark;
            b->count[i - first] = REDO;
            r.oom = false;
        } else {
            b->count[i - first] = (uint32_t)(b->n - mark) | (opaque ? OPAQUE_BIT : 0);
        }
    }
    for (size_t k = 0; a->with_relations && k < b->n; k++)
        if (b->rel[k].name)
            b->rel[k].name = b->text + ((uintptr_t)b->rel[k].name - 1);
}

static void free_block(struct block *b)
{
    if (!b)
        return;
    free(b->start);
    free(b->addr);
    free(b->kind);
    free(b->rel);
    free(b->text);
    free(b);
}

/* A block given back keeps its buffers for the next, unless one object of
 * it had so many referents (a list of a million items) that they would
 * count against MAX_AHEAD_BYTES every time the block goes out again: with
 * relations, a block once grown past the bound kept the worker within a
 * block of the main thread, each waiting for the other at every block (a
 * third of pympler's scan at 1M objects). */
static void shrink_spare(struct block *b)
{
    if (b->bytes <= SPARE_BYTES_KEPT)
        return;
    free(b->addr);
    free(b->kind);
    free(b->rel);
    free(b->text);
    b->addr = NULL;
    b->kind = NULL;
    b->rel = NULL;
    b->text = NULL;
    b->cap = b->text_cap = 0;
}

/* Whether the worker may go on to block k, as far as the main thread goes:
 * within MAX_AHEAD blocks of it, and with relations within MAX_AHEAD_BYTES
 * (under the lock). */
static bool within_reach(const struct ahead *a, uint32_t k)
{
    return k < a->taken + MAX_AHEAD && !(a->with_relations && a->held >= MAX_AHEAD_BYTES);
}

/* Whether block k is there to traverse: its objects walked, or the walk
 * over (under the lock). */
static bool block_walked(const struct ahead *a, uint32_t k)
{
    return a->walked || a->published >= ((size_t)k + 1) * BLOCK;
}

/* Objects handed over and not in the index yet, while the worker keeps it
 * (under the lock). */
static bool index_due(const struct ahead *a)
{
    return a->index_heap && !a->index_back && !a->index_failed && a->indexed < a->published;
}

/* Adds the next objects handed over to the index: their addresses copied
 * under the lock (the heap's arrays move), added outside it.  Called and
 * returns under the lock. */
static void index_chunk(struct ahead *a, uint64_t *addr)
{
    size_t first = a->indexed, n = a->published - first;
    if (n > INDEX_CHUNK)
        n = INDEX_CHUNK;
    memcpy(addr, a->h->addr + first, n * sizeof *addr);
    a->indexing = true;
    pthread_mutex_unlock(&a->lock);
    bool ok = true;
    for (size_t j = 0; j < n && ok; j++)
        ok = heap_index_add(a->index_heap, addr[j], (uint32_t)(first + j));
    pthread_mutex_lock(&a->lock);
    a->indexing = false;
    a->indexed = first + n;
    a->index_failed = !ok;
    pthread_cond_broadcast(&a->changed);
}

static void *worker(void *arg)
{
    struct ahead *a = arg;
    uint64_t *index_addr = malloc(INDEX_CHUNK * sizeof *index_addr);
    for (uint32_t k = 0;; k++) {
        /* a block taken already, its buffers grown and their pages in;
         * the index first, which the main thread needs before the
         * referents (it adds what the worker did not) */
        pthread_mutex_lock(&a->lock);
        while ((!within_reach(a, k) || !block_walked(a, k) || (index_addr && index_due(a))) &&
               !atomic_load(&a->quit)) {
            if (index_addr && index_due(a))
                index_chunk(a, index_addr);
            else
                pthread_cond_wait(&a->changed, &a->lock);
        }
        if (atomic_load(&a->quit) || (a->walked && (size_t)k * BLOCK >= a->nobjects)) {
            pthread_mutex_unlock(&a->lock);
            break;
        }
        uint32_t first = k * BLOCK;
        uint32_t n = a->walked && a->nobjects - first < BLOCK ? a->nobjects - first : BLOCK;
        struct block *b = a->spare;
        if (b)
            a->spare = b->next_spare;
        pthread_mutex_unlock(&a->lock);
        if (b) {
            b->n = b->ntext = 0;
        } else if ((b = calloc(1, sizeof *b)) && !(b->start = malloc(BLOCK * sizeof *b->start))) {
            free(b);
            b = NULL;
        }
        if (b) {
            pthread_mutex_lock(&a->lock);
            memcpy(b->object, a->h->addr + first, n * sizeof *b->object);
            memcpy(b->type, a->h->type + first, n * sizeof *b->type);
            uint32_t ntypes = a->types_copied;
            pthread_mutex_unlock(&a->lock);
            traverse_block(a, b, first, n, ntypes);
            b->bytes = sizeof *b + BLOCK * sizeof *b->start + b->text_cap +
                       b->cap * (sizeof *b->addr + (a->with_relations ? sizeof *b->rel : 0) +
                                 (a->kinds_only ? sizeof *b->kind : 0));
        }
        /* a block that could not be made: its objects are the main thread's */
        pthread_mutex_lock(&a->lock);
        if (b)
            a->held += b->bytes;
        a->blocks[k % RING] = b;
        a->ready = k + 1;
        pthread_cond_broadcast(&a->changed);
        pthread_mutex_unlock(&a->lock);
    }
    free(index_addr);
    return NULL;
}

/* The worker's view of the target, made at the first hand-over (under the
 * lock, before the worker reads anything): the gc walk loads what the
 * target's numpy is before it finds the first object. */
static void set_up_view(struct ahead *a)
{
    if (a->viewing)
        return;
    a->t = *a->source;
    memset(&a->t.damage, 0, sizeof a->t.damage);
    memory_view_copy(&a->mem, a->source->mem, &a->needed_fallback);
    a->t.mem = &a->mem;
    a->viewing = true;
}

/* Appends the types interned since the last call to the worker's copy
 * (under the lock). */
static void copy_types(struct ahead *a, const struct heap *h)
{
    size_t end = h->types.count < MAX_TYPES ? h->types.count : MAX_TYPES;
    if (end > a->types_copied) {
        memcpy(a->types + a->types_copied, h->types.v + a->types_copied,
               (end - a->types_copied) * sizeof *a->types);
        a->types_copied = (uint32_t)end;
    }
}

struct ahead *ahead_start(struct target *t, const struct heap *h, bool with_relations, bool kinds_only)
{
    if (threads_allowed() < 2)
        return NULL;
    struct ahead *a = aligned_alloc(64, (sizeof *a + 63) & ~(size_t)63);
    if (!a)
        return NULL;
    memset(a, 0, sizeof *a);
    a->types = malloc(MAX_TYPES * sizeof *a->types);
    if (!a->types) {
        free(a);
        return NULL;
    }
    a->h = h;
    a->refcounts = t->L && t->L->tstate_refcounts_values >= 0;
    a->with_relations = with_relations && !kinds_only;
    a->kinds_only = with_relations && kinds_only;
    a->taken_block = UINT32_MAX;
    a->source = t;
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->changed, NULL);
    atomic_init(&a->quit, false);
    if (pthread_create(&a->thread, NULL, worker, a) != 0) {
        pthread_mutex_destroy(&a->lock);
        pthread_cond_destroy(&a->changed);
        free(a->types);
        free(a);
        return NULL;
    }
    return a;
}

/* Hands the worker the objects [0, count) and their types; walked: all of
 * the gc objects. */
static void hand_over(struct ahead *a, const struct heap *h, size_t count, bool walked)
{
    pthread_mutex_lock(&a->lock);
    set_up_view(a);
    copy_types(a, h);
    a->published = count;
    if (walked) {
        a->nobjects = (uint32_t)count;
        a->walked = true;
    }
    pthread_cond_broadcast(&a->changed);
    pthread_mutex_unlock(&a->lock);
}

void ahead_publish(struct ahead *a, const struct heap *h)
{
    if (a)
        hand_over(a, h, h->count, false);
}

void ahead_wait_published(struct ahead *a)
{
    if (!a)
        return;
    pthread_mutex_lock(&a->lock);
    while ((size_t)a->ready * BLOCK < a->published && within_reach(a, a->ready))
        pthread_cond_wait(&a->changed, &a->lock);
    pthread_mutex_unlock(&a->lock);
}

struct ahead *ahead_walked(struct ahead *a, const struct heap *h)
{
    if (!a)
        return NULL;
    if (h->gc_count > UINT32_MAX - BLOCK) {
        ahead_end(a);
        return NULL;
    }
    hand_over(a, h, h->gc_count, true);
    return a;
}

uint32_t ahead_count(const struct ahead *a)
{
    return a && a->walked ? a->nobjects : 0;
}

bool ahead_take(struct ahead *a, uint32_t i, struct ahead_object *out)
{
    uint32_t k = i / BLOCK;
    if (k != a->taken_block) {
        pthread_mutex_lock(&a->lock);
        /* the blocks are taken in order: the one before is done with */
        struct block *done = a->taken_block != UINT32_MAX ? a->blocks[a->taken_block % RING] : NULL;
        if (done) {
            a->held -= done->bytes;
            a->blocks[a->taken_block % RING] = NULL;
            shrink_spare(done);
            done->next_spare = a->spare;
            a->spare = done;
        }
        a->taken = k + 1;
        pthread_cond_broadcast(&a->changed);
        while (a->ready <= k)
            pthread_cond_wait(&a->changed, &a->lock);
        pthread_mutex_unlock(&a->lock);
        a->taken_block = k;
    }
    const struct block *b = a->blocks[k % RING];
    if (!b || b->count[i % BLOCK] == REDO)
        return false;
    uint32_t at = b->start[i % BLOCK];
    out->opaque = (b->count[i % BLOCK] & OPAQUE_BIT) != 0;
    out->size = b->size[i % BLOCK];
    out->exact = b->exact[i % BLOCK];
    out->refcnt = b->refcnt[i % BLOCK];
    out->n = b->count[i % BLOCK] & ~OPAQUE_BIT;
    out->addr = b->addr + at;
    out->rel = b->rel ? b->rel + at : NULL;
    out->kind = b->kind ? b->kind + at : NULL;
    return true;
}

bool ahead_heap_reserve(struct ahead *a, struct heap *h, size_t more)
{
    if (!a || h->count + more <= h->cap)
        return heap_reserve(h, more); /* nothing moves */
    pthread_mutex_lock(&a->lock);
    bool ok = heap_reserve(h, more);
    pthread_mutex_unlock(&a->lock);
    return ok;
}

void ahead_index(struct ahead *a, struct heap *h)
{
    if (!a)
        return;
    pthread_mutex_lock(&a->lock);
    a->index_heap = h;
    pthread_cond_broadcast(&a->changed);
    pthread_mutex_unlock(&a->lock);
}

bool ahead_index_back(struct ahead *a, struct heap *h)
{
    if (!a || !a->index_heap)
        return true;
    pthread_mutex_lock(&a->lock);
    while (a->indexing)
        pthread_cond_wait(&a->changed, &a->lock);
    if (!a->index_back)
        h->indexed = a->indexed;
    a->index_back = true;
    bool ok = !a->index_failed;
    pthread_mutex_unlock(&a->lock);
    return ok;
}

void ahead_end(struct ahead *a)
{
    if (!a)
        return;
    pthread_mutex_lock(&a->lock);
    atomic_store(&a->quit, true);
    pthread_cond_broadcast(&a->changed);
    pthread_mutex_unlock(&a->lock);
    pthread_join(a->thread, NULL);
    /* Ended before the main thread took the index (a list cut back, an
     * error): what it holds may be of objects that go. */
    if (a->index_heap && !a->index_back && a->indexed)
        heap_index_forget(a->index_heap, a->source->mem);
    for (uint32_t k = 0; k < RING; k++)
        free_block(a->blocks[k]);
    while (a->spare) {
        struct block *b = a->spare;
        a->spare = b->next_spare;
        free_block(b);
    }
    pthread_mutex_destroy(&a->lock);
    pthread_cond_destroy(&a->changed);
    free(a->types);
    free(a);
}

bool ahead_reads_refcounts(const struct ahead *a)
{
    return a->refcounts;
}
