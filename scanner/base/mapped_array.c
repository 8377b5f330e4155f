#include "base/mapped_array.h"

#include "base/prefault.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The bytes n entries of elem bytes take, in whole pages; 0 on overflow. */
static size_t mapped_bytes(size_t n, size_t elem)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (elem && n > (SIZE_MAX - page) / elem)
        return 0;
    return (n * elem + page - 1) / page * page;
}

void *mapped_array_reserve(size_t n, size_t elem)
{
    size_t bytes = mapped_bytes(n ? n : 1, elem);
    if (!bytes)
        return NULL;
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

void *mapped_array_grow(void *p, size_t old, size_t new, size_t elem)
{
    size_t old_bytes = mapped_bytes(old ? old : 1, elem), new_bytes = mapped_bytes(new, elem);
    if (!new_bytes)
        return NULL;
    if (new_bytes <= old_bytes)
        return p;
    void *q = mremap(p, old_bytes, new_bytes, MREMAP_MAYMOVE);
    return q == MAP_FAILED ? NULL : q;
}

void mapped_array_free(void *p, size_t n, size_t elem)
{
    if (p)
        munmap(p, mapped_bytes(n ? n : 1, elem));
}

void *array_grow(void *p, size_t old, size_t new, size_t elem, bool mapped)
{
    if (mapped)
        return mapped_array_grow(p, old, new, elem);
    if (elem && new > SIZE_MAX / elem)
        return NULL;
    void *q = realloc(p, new * elem);
    if (q)
        prefault_grown(q, old * elem, new * elem);
    return q;
}

void array_free(void *p, size_t n, size_t elem, bool mapped)
{
    if (mapped)
        mapped_array_free(p, n, elem);
    else
        free(p);
}
