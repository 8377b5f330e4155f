#include "source/pagemap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PAGE_SIZE_4K 4096u

void pagemap_init(struct pagemap *r, pid_t pid)
{
    r->pid = pid;
    r->fd = -1;
}

void pagemap_close(struct pagemap *r)
{
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
}

uint64_t *pagemap_pages_in_use(struct pagemap *r, uint64_t start, size_t len)
{
    if (r->fd == -1) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/pagemap", (int)r->pid);
        r->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (r->fd < 0)
            r->fd = -2;
    }
    if (r->fd < 0)
        return NULL;
    size_t n = len / PAGE_SIZE_4K, bytes = n * sizeof(uint64_t);
    uint64_t *entries = malloc(bytes ? bytes : 1);
    if (!entries)
        return NULL;
    size_t done = 0;
    while (done < bytes) {
        ssize_t got = pread(r->fd, (char *)entries + done, bytes - done,
                            (off_t)(start / PAGE_SIZE_4K * sizeof(uint64_t) + done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            free(entries);
            return NULL;
        }
        done += (size_t)got;
    }
    return entries;
}

size_t pagemap_next_run(const uint64_t *entries, size_t n, size_t *at, size_t *first)
{
    size_t i = *at;
    while (i < n && !pagemap_page_in_use(entries[i]))
        i++;
    size_t j = i;
    while (j < n && pagemap_page_in_use(entries[j]))
        j++;
    *first = i;
    *at = j;
    return j - i;
}
