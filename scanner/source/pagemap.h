/* Which pages of a live process exist (/proc/PID/pagemap): the copy reads
 * only those of a big anonymous mapping.  Below the live reader and the
 * copy's buffers, which both ask it. */
#ifndef PYHEAPSCAN_PAGEMAP_H
#define PYHEAPSCAN_PAGEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct pagemap {
    pid_t pid;
    int fd; /* /proc/PID/pagemap, opened on first need; -2: unreadable */
};

void pagemap_init(struct pagemap *pm, pid_t pid);
void pagemap_close(struct pagemap *pm);

/* The pagemap entries of the pages of [start, start + len), one a 4 KiB
 * page, from /proc/PID/pagemap (to free); NULL when it cannot be read.
 * mimalloc (the free-threaded build's allocator) reserves a GiB of which a
 * process touches megabytes: copying only the pages in use keeps the stop
 * short, and what never existed reads as zeros. */
uint64_t *pagemap_pages_in_use(struct pagemap *pm, uint64_t start, size_t len);

/* Whether a pagemap entry's page exists: present, or swapped out. */
static inline bool pagemap_page_in_use(uint64_t entry)
{
    return (entry & (3ull << 62)) != 0;
}

/* The next run of pages in use among the n pagemap entries, from *at on:
 * its first page in *first and its length in pages (0: none is left);
 * *at moves past it. */
size_t pagemap_next_run(const uint64_t *entries, size_t n, size_t *at, size_t *first);

#endif
