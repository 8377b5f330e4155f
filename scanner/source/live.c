#include "source/live.h"

#include "base/grow.h"
#include "source/copy_runs.h"

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
    pagemap_init(&r->pagemap, pid);
    r->use_mem_file = getenv("PYHEAPSCAN_NO_PROCESS_VM_READV") != NULL;
}

void live_reader_close(struct live_reader *r)
{
    if (r->mem_fd >= 0)
        close(r->mem_fd);
    pagemap_close(&r->pagemap);
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

#define PAGE_SIZE_4K 4096u

/* Reads into buf (len bytes at start) only the runs of pages in use; the
 * others stay as the fresh buffer has them, zeros.  False when a run could
 * not be read whole: the caller copies the range the plain way. */
static bool copy_pages_in_use(struct live_reader *r, uint64_t start, unsigned char *buf, size_t len,
                              const uint64_t *entries)
{
    size_t pages = len / PAGE_SIZE_4K, at = 0, first, n;
    while ((n = pagemap_next_run(entries, pages, &at, &first)))
        if (!live_read(r, start + first * PAGE_SIZE_4K, buf + first * PAGE_SIZE_4K, n * PAGE_SIZE_4K))
            return false;
    return true;
}

/* The destination of len bytes at start: the buffer prepared before the
 * stop (faulted in, zeros) when there is one, else a fresh one. */
static unsigned char *destination(struct copy_buffers *ready, uint64_t start, size_t len)
{
    unsigned char *buf = ready ? copy_buffers_take(ready, start, len) : NULL;
    return buf ? buf : mem_alloc_buffer(len);
}

/* Copies [start, end) into one buffer (the one made ready before the stop
 * when there is one); unreadable pages split the range.  anonymous: a
 * mapping of no file, whose pages never touched are zeros. */
static bool copy_range(struct live_reader *r, uint64_t start, uint64_t end, bool anonymous,
                       struct copy_buffers *ready, struct memory *m, struct error *err)
{
    const uint64_t page = 4096;
    if (anonymous && !r->use_mem_file) {
        size_t len = (size_t)(end - start);
        uint64_t *entries = pagemap_pages_in_use(&r->pagemap, start, len);
        unsigned char *buf = entries ? destination(ready, start, len) : NULL;
        bool ok = buf && copy_pages_in_use(r, start, buf, len, entries);
        free(entries);
        if (ok) {
            if (!memory_add_region(m, start, end, buf))
                return fail(err, EXIT_INTERNAL, "out of memory recording a region");
            return true;
        }
        if (buf)
            mem_free_buffer(buf, len);
    }
    while (start < end) {
        size_t len = (size_t)(end - start);
        unsigned char *buf = destination(ready, start, len);
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
        if (!copy_range(r, starts[i], ends[i], false, NULL, m, err))
            return false;
    return true;
}

/* A mapping in the copy: its buffer (NULL: copied the plain way) and its
 * runs [first, first + n) in the plan. */
struct planned_mapping {
    uint64_t start, end;
    bool anonymous;
    unsigned char *buf;
    size_t first, n;
};

struct copy_plan {
    struct planned_mapping *maps;
    size_t nmaps;
    struct copy_run *runs;
    size_t nruns, runs_cap;
};

/* Appends [addr, addr + len) to the plan, in pieces of COPY_RUN_MAX. */
static bool plan_run(struct copy_plan *p, uint64_t addr, unsigned char *buf, size_t len)
{
    for (size_t at = 0; at < len; at += COPY_RUN_MAX) {
        if (!GROW(p->runs, p->runs_cap, p->nruns + 1, 256))
            return false;
        size_t piece = len - at < COPY_RUN_MAX ? len - at : COPY_RUN_MAX;
        p->runs[p->nruns++] = (struct copy_run){addr + at, buf + at, piece, false};
    }
    return true;
}

/* Plans mapping e: its destination, and the runs to read into it (an
 * anonymous mapping's pages in use, another's whole range). */
static bool plan_mapping(struct live_reader *r, struct copy_plan *p, const struct map_entry *e,
                         struct copy_buffers *ready)
{
    struct planned_mapping *pm = &p->maps[p->nmaps++];
    *pm = (struct planned_mapping){e->start, e->end, e->inode == 0, NULL, p->nruns, 0};
    size_t len = (size_t)(e->end - e->start);
    uint64_t *entries = pm->anonymous ? pagemap_pages_in_use(&r->pagemap, e->start, len) : NULL;
    if (pm->anonymous && !entries)
        return true; /* no pagemap: the plain way */
    pm->buf = destination(ready, e->start, len);
    bool ok = true;
    if (pm->buf && entries) {
        size_t at = 0, first, n;
        while (ok && (n = pagemap_next_run(entries, len / PAGE_SIZE_4K, &at, &first)))
            ok = plan_run(p, e->start + first * PAGE_SIZE_4K, pm->buf + first * PAGE_SIZE_4K,
                          n * PAGE_SIZE_4K);
    } else if (pm->buf) {
        ok = plan_run(p, e->start, pm->buf, len);
    }
    free(entries);
    pm->n = p->nruns - pm->first;
    return ok;
}

static bool runs_read_whole(const struct copy_plan *p, const struct planned_mapping *pm)
{
    for (size_t k = pm->first; k < pm->first + pm->n; k++)
        if (!p->runs[k].ok)
            return false;
    return true;
}

/* The copy in three steps: every mapping's runs planned, read on the cores
 * the scan may use, then each mapping recorded in order; a mapping with a
 * run not read whole (an unreadable page inside it) is copied again the
 * plain way, which splits it at the pages it cannot read. */
static bool copy_planned(struct live_reader *r, const struct proc_maps *maps, struct copy_buffers *ready,
                         struct memory *m, struct error *err)
{
    struct copy_plan p = {0};
    p.maps = calloc(maps->count ? maps->count : 1, sizeof *p.maps);
    bool ok = p.maps != NULL;
    for (size_t i = 0; ok && i < maps->count; i++) {
        const struct map_entry *e = &maps->entries[i];
        if (e->readable && e->writable && !map_entry_is_special(e))
            ok = plan_mapping(r, &p, e, ready);
    }
    if (!ok) {
        for (size_t i = 0; p.maps && i < p.nmaps; i++)
            mem_free_buffer(p.maps[i].buf, (size_t)(p.maps[i].end - p.maps[i].start));
        free(p.maps);
        free(p.runs);
        return fail(err, EXIT_INTERNAL, "out of memory planning the copy");
    }
    copy_runs_read(r->pid, p.runs, p.nruns);
    for (size_t i = 0; i < p.nmaps; i++) {
        struct planned_mapping *pm = &p.maps[i];
        if (!ok) {
            mem_free_buffer(pm->buf, (size_t)(pm->end - pm->start));
        } else if (pm->buf && runs_read_whole(&p, pm)) {
            if (!memory_add_region(m, pm->start, pm->end, pm->buf)) {
                mem_free_buffer(pm->buf, (size_t)(pm->end - pm->start));
                ok = fail(err, EXIT_INTERNAL, "out of memory recording a region");
            }
        } else {
            mem_free_buffer(pm->buf, (size_t)(pm->end - pm->start));
            ok = copy_range(r, pm->start, pm->end, pm->anonymous, ready, m, err);
        }
    }
    free(p.maps);
    free(p.runs);
    return ok;
}

bool live_copy_writable(struct live_reader *r, const struct proc_maps *maps, struct copy_buffers *ready,
                        struct memory *m, struct error *err)
{
    if (!r->use_mem_file)
        return copy_planned(r, maps, ready, m, err);
    for (size_t i = 0; i < maps->count; i++) {
        const struct map_entry *e = &maps->entries[i];
        if (!e->readable || !e->writable || map_entry_is_special(e))
            continue;
        if (!copy_range(r, e->start, e->end, e->inode == 0, ready, m, err))
            return false;
    }
    return true;
}
