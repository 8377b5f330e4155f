#include "source/memory.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/grow.h"

void memory_init(struct memory *m)
{
    memset(m, 0, sizeof *m);
}

static bool refuse(void *ctx, uint64_t addr, void *out, size_t len)
{
    (void)addr;
    (void)out;
    (void)len;
    if (ctx)
        *(bool *)ctx = true;
    return false;
}

void memory_view_copy(struct memory *view, const struct memory *m, bool *refused)
{
    memory_init(view);
    view->regions = m->regions;
    view->count = m->count;
    view->borrowed = true;
    view->fallback = refuse;
    view->fallback_ctx = refused;
}

void memory_free(struct memory *m)
{
    for (size_t i = 0; i < m->page_slots; i++)
        free(m->pages[i].data);
    free(m->pages);
    free(m->strings);
    for (size_t i = 0; i < m->count && !m->borrowed; i++)
        mem_free_buffer(m->regions[i].data, m->regions[i].end - m->regions[i].start);
    free(m->regions);
    memory_init(m);
}

unsigned char *mem_alloc_buffer(size_t len)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void mem_free_buffer(unsigned char *p, size_t len)
{
    if (p)
        munmap(p, len);
}

bool memory_add_region(struct memory *m, uint64_t start, uint64_t end, unsigned char *data)
{
    if (m->count && m->regions[m->count - 1].end > start)
        return false;
    if (!GROW(m->regions, m->cap, m->count + 1, 64))
        return false;
    m->regions[m->count++] = (struct mem_region){start, end, data};
    m->copied_bytes += end - start;
    return true;
}

/* The region holding addr, by search (the last region found was tried
 * first, inline, by mem_view). */
static const struct mem_region *search_region(struct memory *m, uint64_t addr)
{
    /* The one before last: reads alternate between two regions (an object
     * in the heap, its type or a referent in another mapping). */
    if (m->before_last < m->count) {
        const struct mem_region *r = &m->regions[m->before_last];
        if (addr >= r->start && addr < r->end) {
            m->before_last = m->last;
            m->last = (size_t)(r - m->regions);
            return r;
        }
    }
    size_t lo = 0, hi = m->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct mem_region *r = &m->regions[mid];
        if (addr < r->start)
            hi = mid;
        else if (addr >= r->end)
            lo = mid + 1;
        else {
            m->before_last = m->last;
            m->last = mid;
            return r;
        }
    }
    return NULL;
}

static const struct mem_region *find_region(struct memory *m, uint64_t addr)
{
    if (m->last < m->count) {
        const struct mem_region *r = &m->regions[m->last];
        if (addr >= r->start && addr < r->end)
            return r;
    }
    return search_region(m, addr);
}

const void *mem_view_search(struct memory *m, uint64_t addr, size_t len)
{
    const struct mem_region *r = search_region(m, addr);
    if (!r || len > r->end - addr)
        return NULL;
    return r->data + (addr - r->start);
}

#define PAGE 4096u

/* The cached copy of the page at addr (page-aligned), read through the
 * fallback the first time; NULL when it cannot be read. */
static const unsigned char *cached_page(struct memory *m, uint64_t addr)
{
    if (m->npages * 2 >= m->page_slots) {
        size_t slots = m->page_slots ? m->page_slots * 2 : 1024;
        struct cached_page *grown = calloc(slots, sizeof *grown);
        if (!grown)
            return NULL;
        for (size_t i = 0; i < m->page_slots; i++) {
            if (!m->pages[i].addr)
                continue;
            size_t j = (size_t)((m->pages[i].addr / PAGE) * 0x9E3779B97F4A7C15ULL) & (slots - 1);
            while (grown[j].addr)
                j = (j + 1) & (slots - 1);
            grown[j] = m->pages[i];
        }
        free(m->pages);
        m->pages = grown;
        m->page_slots = slots;
    }
    size_t j = (size_t)((addr / PAGE) * 0x9E3779B97F4A7C15ULL) & (m->page_slots - 1);
    while (m->pages[j].addr && m->pages[j].addr != addr + 1)
        j = (j + 1) & (m->page_slots - 1);
    if (m->pages[j].addr)
        return m->pages[j].data;
    unsigned char *data = malloc(PAGE);
    if (data && !m->fallback(m->fallback_ctx, addr, data, PAGE)) {
        free(data);
        data = NULL;
    }
    m->pages[j] = (struct cached_page){addr + 1, data};
    m->npages++;
    return data;
}

/* Reads through the page cache; false when a page cannot be read. */
static bool read_cached(struct memory *m, uint64_t addr, unsigned char *out, size_t len)
{
    while (len) {
        uint64_t page = addr & ~(uint64_t)(PAGE - 1);
        const unsigned char *data = cached_page(m, page);
        if (!data)
            return false;
        size_t n = PAGE - (size_t)(addr - page);
        if (n > len)
            n = len;
        memcpy(out, data + (addr - page), n);
        out += n;
        addr += n;
        len -= n;
    }
    return true;
}

static bool read_span_pages(struct memory *m, uint64_t addr, uint64_t len)
{
    for (uint64_t page = addr & ~(uint64_t)(PAGE - 1); page < addr + len; page += PAGE)
        if (!cached_page(m, page))
            return false;
    return true;
}

bool mem_span(struct memory *m, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return true;
    if (addr + len < addr)
        return false;
    const struct mem_region *r = find_region(m, addr);
    if (!r) {
        unsigned char byte;
        if (m->page_cache) /* every page of it: a span is read page by page */
            return len / PAGE < (1u << 20) && read_span_pages(m, addr, len);
        return m->fallback && m->fallback(m->fallback_ctx, addr, &byte, 1) &&
               m->fallback(m->fallback_ctx, addr + len - 1, &byte, 1);
    }
    /* Adjacent regions (two mappings the kernel kept apart) read as one. */
    for (size_t i = (size_t)(r - m->regions); i < m->count; i++) {
        if (addr + len <= m->regions[i].end)
            return true;
        if (i + 1 == m->count || m->regions[i + 1].start != m->regions[i].end)
            return false;
    }
    return false;
}

bool mem_array(struct memory *m, uint64_t addr, uint64_t n, uint64_t size)
{
    if (size && n > UINT64_MAX / size)
        return false;
    return mem_span(m, addr, n * size);
}

bool mem_zero_region(struct memory *m, uint64_t addr, uint64_t *start, uint64_t *end)
{
    const struct mem_region *r = find_region(m, addr);
    if (!r)
        return false;
    for (uint64_t i = 0; i < r->end - r->start; i++)
        if (r->data[i])
            return false;
    *start = r->start;
    *end = r->end;
    return true;
}

bool mem_read(struct memory *m, uint64_t addr, void *out, size_t len)
{
    unsigned char *dst = out;
    while (len > 0) {
        const struct mem_region *r = find_region(m, addr);
        if (!r && m->page_cache)
            return m->fallback && read_cached(m, addr, dst, len);
        if (!r)
            return m->fallback && m->fallback(m->fallback_ctx, addr, dst, len);
        size_t n = r->end - addr < len ? (size_t)(r->end - addr) : len;
        memcpy(dst, r->data + (addr - r->start), n);
        dst += n;
        addr += n;
        len -= n;
    }
    return true;
}

#define STRING_SLOTS 4096u

static struct cached_string *string_slot(struct memory *m, uint64_t addr)
{
    if (!m->cache_strings || find_region(m, addr))
        return NULL;
    if (!m->strings && !(m->strings = calloc(STRING_SLOTS, sizeof *m->strings)))
        return NULL;
    return &m->strings[(size_t)((addr * 0x9E3779B97F4A7C15ULL) >> 52) & (STRING_SLOTS - 1)];
}

static bool read_cstring(struct memory *m, uint64_t addr, char *out, size_t cap);

bool mem_cstring(struct memory *m, uint64_t addr, char *out, size_t cap)
{
    if (cap == 0)
        return false;
    struct cached_string *c = string_slot(m, addr);
    if (c && c->addr == addr && addr) {
        /* what the read would give: the string, cut to cap - 1 bytes */
        size_t n = strlen(c->text);
        if (n > cap - 1)
            n = cap - 1;
        memcpy(out, c->text, n);
        out[n] = '\0';
        return true;
    }
    if (!read_cstring(m, addr, out, cap))
        return false;
    size_t n = strnlen(out, cap);
    /* Only a string read whole: a cut one says nothing of a longer cap. */
    if (c && addr && n < cap - 1 && n < MEM_CACHED_STRING) {
        c->addr = addr;
        memcpy(c->text, out, n + 1);
    }
    return true;
}

static bool read_cstring(struct memory *m, uint64_t addr, char *out, size_t cap)
{
    size_t i = 0;
    /* Read in small chunks that do not cross a page, so that a string near
     * the end of a mapping is still found. */
    while (i + 1 < cap) {
        uint64_t a = addr + i;
        size_t chunk = 64 - (a & 63);
        if (chunk > cap - 1 - i)
            chunk = cap - 1 - i;
        if (!mem_read(m, a, out + i, chunk))
            return false;
        void *nul = memchr(out + i, '\0', chunk);
        if (nul)
            return true;
        i += chunk;
    }
    out[cap - 1] = '\0';
    return true;
}
