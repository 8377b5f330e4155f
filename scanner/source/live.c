#include "live.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

void live_reader_init(struct live_reader *r, pid_t pid)
{
    r->pid = pid;
    r->mem_fd = -1;
    r->use_mem_file = getenv("PYHEAPSCAN_NO_PROCESS_VM_READV") != NULL;
}

void live_reader_close(struct live_reader *r)
{
    if (r->mem_fd >= 0)
        close(r->mem_fd);
    r->mem_fd = -1;
}

/* Returns bytes read (possibly short), or -1. */
static ssize_t read_some(struct live_reader *r, uint64_t addr, void *out, size_t len)
{
    if (!r->use_mem_file) {
        struct iovec local = {out, len};
        struct iovec remote = {(void *)(uintptr_t)addr, len};
        ssize_t n = process_vm_readv(r->pid, &local, 1, &remote, 1, 0);
        if (n >= 0 || errno != ENOSYS)
            return n;
        r->use_mem_file = true;
    }
    if (r->mem_fd < 0) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/mem", (int)r->pid);
        r->mem_fd = open(path, O_RDONLY | O_CLOEXEC);
        if (r->mem_fd < 0)
            return -1;
    }
    ssize_t n;
    do
        n = pread(r->mem_fd, out, len, (off_t)addr);
    while (n < 0 && errno == EINTR);
    return n;
}

bool live_read(void *reader, uint64_t addr, void *out, size_t len)
{
    struct live_reader *r = reader;
    size_t done = 0;
    while (done < len) {
        ssize_t n = read_some(r, addr + done, (char *)out + done, len - done);
        if (n <= 0)
            return false;
        done += (size_t)n;
    }
    return true;
}

/* Copies [start, end) into one buffer; unreadable pages split the range. */
static bool copy_range(struct live_reader *r, uint64_t start, uint64_t end, struct memory *m,
                       struct error *err)
{
    const uint64_t page = 4096;
    while (start < end) {
        size_t len = (size_t)(end - start);
        unsigned char *buf = mem_alloc_buffer(len);
        if (!buf)
            return fail(err, EXIT_INTERNAL, "out of memory copying %zu bytes of the target", len);
        size_t done = 0;
        while (done < len) {
            ssize_t n = read_some(r, start + done, buf + done, len - done);
            if (n <= 0)
                break;
            done += (size_t)n;
        }
        if (done < len)
            done &= ~(size_t)(page - 1); /* partial reads stop at a page boundary */
        if (done == 0) {
            int e = errno;
            mem_free_buffer(buf, len);
            if (e == ESRCH)
                return fail(err, EXIT_TARGET_GONE, "process %d exited during the scan", (int)r->pid);
            start += page; /* an unreadable page: skip it */
            continue;
        }
        if (done < len)
            mem_free_buffer(buf + done, len - done);
        if (!memory_add_region(m, start, start + done, buf))
            return fail(err, EXIT_INTERNAL, "out of memory recording a region");
        start += done;
    }
    return true;
}

bool live_copy_ranges(struct live_reader *r, const uint64_t *starts, const uint64_t *ends, size_t n,
                      struct memory *m, struct error *err)
{
    for (size_t i = 0; i < n; i++)
        if (!copy_range(r, starts[i], ends[i], m, err))
            return false;
    return true;
}

bool live_copy_writable(struct live_reader *r, const struct proc_maps *maps, struct memory *m,
                        struct error *err)
{
    for (size_t i = 0; i < maps->count; i++) {
        const struct map_entry *e = &maps->entries[i];
        if (!e->readable || !e->writable || map_entry_is_special(e))
            continue;
        if (!copy_range(r, e->start, e->end, m, err))
            return false;
    }
    return true;
}
