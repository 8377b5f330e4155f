#include "source/copy_buffers.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "source/pagemap.h"
#include "source/memory.h"
#include "base/threads.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

/* A big anonymous mapping is mostly a reservation (mimalloc's GiB in a
 * free-threaded build): the copy reads only its pages in use (pagemap), and
 * faulting the whole of it in would cost what that saves, so it gets a
 * buffer of its own with only those pages faulted in. */
#define LARGEST_ANONYMOUS_READIED ((uint64_t)256 << 20)

#define HUGE_PAGE ((size_t)2 << 20)

static bool copied_mapping(const struct map_entry *e)
{
    return e->readable && e->writable && !map_entry_is_special(e);
}

static bool reservation(const struct map_entry *e)
{
    return e->inode == 0 && e->end - e->start > LARGEST_ANONYMOUS_READIED;
}

/* One mapping for every buffer, aligned to and rounded up to huge pages:
 * the kernel backs a huge page only where one fits whole, and most of a
 * Python heap's mappings are a few arenas long, each too short alone (their
 * copies into 4 KiB pages took several times as long). */
static unsigned char *map_arena(size_t len)
{
    unsigned char *p = mem_alloc_buffer(len + HUGE_PAGE);
    if (!p)
        return NULL;
    size_t head = (HUGE_PAGE - ((uintptr_t)p & (HUGE_PAGE - 1))) & (HUGE_PAGE - 1);
    if (head)
        mem_free_buffer(p, head);
    mem_free_buffer(p + head + len, HUGE_PAGE - head);
    return p + head;
}

/* Writes a byte to every page where the kernel has no MADV_POPULATE_WRITE. */
static void populate(unsigned char *p, size_t len)
{
    if (madvise(p, len, MADV_POPULATE_WRITE) == 0)
        return;
    for (size_t off = 0; off < len; off += 4096)
        ((volatile unsigned char *)p)[off] = 0;
}

struct populate_part {
    unsigned char *p;
    size_t len;
};

static void *populate_thread(void *arg)
{
    struct populate_part *part = arg;
    populate(part->p, part->len);
    return NULL;
}

/* Below this an arena is faulted in by one thread: a thread's start costs
 * more than the kernel's zeroing of a few huge pages. */
#define PARALLEL_FAULT_MIN ((size_t)64 << 20)
#define FAULT_THREADS_MAX 4

static void fault_in(unsigned char *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    /* Fewer faults now, fewer TLB misses in the copy and when the analyses
     * read it. */
    madvise(p, len, MADV_HUGEPAGE);
#endif
    /* The kernel's zeroing of the fresh pages is most of the time before
     * the stop (and a third of a scan's CPU): each core zeroes a part. */
    size_t cpus = threads_allowed();
    size_t parts = len < PARALLEL_FAULT_MIN || cpus < 2 ? 1 : (cpus < FAULT_THREADS_MAX ? cpus : FAULT_THREADS_MAX);
    size_t part_len = ((len / parts) + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    struct populate_part part[FAULT_THREADS_MAX];
    pthread_t thread[FAULT_THREADS_MAX];
    bool started[FAULT_THREADS_MAX] = {false};
    for (size_t i = 1; i < parts && i * part_len < len; i++) {
        size_t at = i * part_len;
        part[i] = (struct populate_part){p + at, len - at < part_len ? len - at : part_len};
        started[i] = pthread_create(&thread[i], NULL, populate_thread, &part[i]) == 0;
        if (!started[i])
            populate(part[i].p, part[i].len);
    }
    populate(p, len < part_len ? len : part_len);
    for (size_t i = 1; i < parts; i++)
        if (started[i])
            pthread_join(thread[i], NULL);
}

/* A buffer for the reservation e whose pages now in use are faulted in
 * (the copy will write those, and few others); NULL without pagemap. */
static unsigned char *ready_reservation(const struct map_entry *e, struct pagemap *pagemap)
{
    size_t len = (size_t)(e->end - e->start), pages = len / 4096;
    uint64_t *entries = pagemap ? pagemap_pages_in_use(pagemap, e->start, len) : NULL;
    unsigned char *p = entries ? mem_alloc_buffer(len) : NULL;
    if (!p) {
        free(entries);
        return NULL;
    }
#ifdef MADV_HUGEPAGE
    madvise(p, len, MADV_HUGEPAGE);
#endif
    size_t at = 0, first, n;
    while ((n = pagemap_next_run(entries, pages, &at, &first))) {
        populate(p + first * 4096, n * 4096);
    }
    free(entries);
    return p;
}

void copy_buffers_prepare(struct copy_buffers *b, const struct proc_maps *maps, struct pagemap *pagemap)
{
    memset(b, 0, sizeof *b);
    size_t n = 0, total = 0;
    for (size_t i = 0; i < maps->count; i++)
        if (copied_mapping(&maps->entries[i])) {
            n++;
            if (!reservation(&maps->entries[i]))
                total += (size_t)(maps->entries[i].end - maps->entries[i].start);
        }
    size_t arena_len = (total + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    b->v = calloc(n + 1, sizeof *b->v);
    if (!b->v)
        return;
    unsigned char *arena = arena_len ? map_arena(arena_len) : NULL;
    if (arena)
        fault_in(arena, arena_len);
    size_t at = 0;
    for (size_t i = 0; i < maps->count; i++) {
        const struct map_entry *e = &maps->entries[i];
        if (!copied_mapping(e))
            continue;
        size_t len = (size_t)(e->end - e->start);
        if (reservation(e)) {
            unsigned char *own = ready_reservation(e, pagemap);
            if (own)
                b->v[b->count++] = (struct copy_buffer){e->start, len, own};
            continue;
        }
        if (!arena)
            continue;
        b->v[b->count++] = (struct copy_buffer){e->start, len, arena + at};
        at += len;
    }
    /* the rounding, unmapped with what is not taken (sorted last) */
    if (arena && arena_len > at)
        b->v[b->count++] = (struct copy_buffer){UINT64_MAX, arena_len - at, arena + at};
}

unsigned char *copy_buffers_take(struct copy_buffers *b, uint64_t start, size_t len)
{
    size_t lo = 0, hi = b->count; /* made in the maps' order: sorted by start */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->v[mid].start < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == b->count || b->v[lo].start != start || !b->v[lo].data)
        return NULL;
    struct copy_buffer *c = &b->v[lo];
    unsigned char *p = c->data;
    if (len < c->len) {
        /* The mapping shrank while the target ran: the tail is not wanted. */
        mem_free_buffer(p + len, c->len - len);
    } else if (len > c->len) {
        /* It grew: the faulted pages keep their place, the rest is new. */
        void *q = mremap(p, c->len, len, MREMAP_MAYMOVE);
        if (q == MAP_FAILED)
            return NULL;
        p = q;
    }
    c->data = NULL;
    return p;
}

void copy_buffers_free(struct copy_buffers *b)
{
    for (size_t i = 0; i < b->count; i++)
        mem_free_buffer(b->v[i].data, b->v[i].len);
    free(b->v);
    memset(b, 0, sizeof *b);
}
