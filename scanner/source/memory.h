/* The target's memory as the analyses see it, whichever source it came from.
 *
 * Regions copied in bulk (from a stopped process, later from a core or a
 * snapshot) are served from local buffers; anything else goes to a fallback
 * reader (the live process's read-only mappings after it was resumed).  Every
 * analysis reads through this interface, so a live process and a core cost
 * one code path. */
#ifndef PYHEAPSCAN_MEMORY_H
#define PYHEAPSCAN_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mem_region {
    uint64_t start, end;
    unsigned char *data;  /* end - start bytes */
};

typedef bool (*mem_fallback_fn)(void *ctx, uint64_t addr, void *out, size_t len);

struct memory {
    struct mem_region *regions;  /* sorted by start, not overlapping */
    size_t count, cap;
    size_t last;                 /* index of the region that served the last lookup */
    size_t before_last;          /* ... and of the one before it */
    uint64_t copied_bytes;
    bool borrowed;               /* region data belongs to someone else (a mapped core) */
    mem_fallback_fn fallback;
    void *fallback_ctx;
    /* With page_cache set, what the fallback reads is kept a page at a
     * time (a stopped target read in place: one read a page, not a word). */
    bool page_cache;
    struct cached_page *pages;   /* open addressing by page address */
    size_t npages, page_slots;
    /* With cache_strings set, everything outside the regions is read-only
     * (all the writable memory was copied): C strings read there through
     * the fallback (type names, a syscall each) are kept, direct-mapped. */
    bool cache_strings;
    struct cached_string *strings;
};

#define MEM_CACHED_STRING 56

struct cached_string {
    uint64_t addr;                 /* 0: empty */
    char text[MEM_CACHED_STRING];  /* NUL-terminated: only strings shorter are kept */
};

struct cached_page {
    uint64_t addr;               /* page address + 1; 0: empty slot */
    unsigned char *data;         /* NULL: the page could not be read */
};

void memory_init(struct memory *m);
void memory_free(struct memory *m);

/* view: m's copied regions alone, borrowed, with hints of its own (for
 * another thread, or beside one that reads m meanwhile).  A read outside
 * them fails, and sets *refused (refused may be NULL); no fallback, no
 * cache. */
void memory_view_copy(struct memory *view, const struct memory *m, bool *refused);

/* Takes ownership of data (allocated with mem_alloc_buffer). Regions must be
 * added in ascending order. */
bool memory_add_region(struct memory *m, uint64_t start, uint64_t end, unsigned char *data);

/* Anonymous buffers for region contents (mmap: no page is touched until read). */
unsigned char *mem_alloc_buffer(size_t len);
void mem_free_buffer(unsigned char *p, size_t len);

/* A pointer to len bytes at addr inside one copied region, or NULL.
 * Inline for the region of the last read, where nearly every read falls
 * (every word of every traversal passes here). */
const void *mem_view_search(struct memory *m, uint64_t addr, size_t len);
static inline const void *mem_view(struct memory *m, uint64_t addr, size_t len)
{
    if (m->last < m->count) {
        const struct mem_region *r = &m->regions[m->last];
        if (addr >= r->start && addr < r->end)
            return len <= r->end - addr ? r->data + (addr - r->start) : NULL;
    }
    return mem_view_search(m, addr, len);
}

/* Whether len bytes at addr can all be read: inside the copied memory that
 * runs on from addr without a gap, or, where no copy holds addr, readable at
 * both ends through the fallback (a live target's read-only mappings).  The
 * check every count read from the target passes before a loop trusts it:
 * a corrupt length claims more memory than there is. */
bool mem_span(struct memory *m, uint64_t addr, uint64_t len);

/* mem_span for n items of size bytes each (false when n * size overflows). */
bool mem_array(struct memory *m, uint64_t addr, uint64_t n, uint64_t size);

/* True when addr lies in a region the scanner holds (a core's segment, a
 * copied mapping) whose every byte is zero; its bounds in *start, *end. */
bool mem_zero_region(struct memory *m, uint64_t addr, uint64_t *start, uint64_t *end);

/* Copies len bytes at addr, from the regions or the fallback. */
bool mem_read(struct memory *m, uint64_t addr, void *out, size_t len);

static inline bool mem_u64(struct memory *m, uint64_t addr, uint64_t *out)
{
    const void *p = mem_view(m, addr, 8);
    if (p) {
        __builtin_memcpy(out, p, 8);
        return true;
    }
    return mem_read(m, addr, out, 8);
}

static inline bool mem_i64(struct memory *m, uint64_t addr, int64_t *out)
{
    return mem_u64(m, addr, (uint64_t *)out);
}

/* Reads a NUL-terminated C string of at most cap-1 bytes. */
bool mem_cstring(struct memory *m, uint64_t addr, char *out, size_t cap);

#endif
