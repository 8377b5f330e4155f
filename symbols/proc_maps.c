#include "proc_maps.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One line: "start-end perms offset dev inode   path". The path may contain
 * spaces and is everything after the inode and its padding. */
static bool parse_line(const char *line, size_t len, struct map_entry *e)
{
    char perms[5];
    unsigned long long start, end, offset, inode;
    unsigned dev_major, dev_minor;
    int consumed = 0;
    char *copy = strndup(line, len);
    if (!copy)
        return false;
    int n = sscanf(copy, "%llx-%llx %4s %llx %x:%x %llu %n", &start, &end, perms, &offset,
                   &dev_major, &dev_minor, &inode, &consumed);
    if (n < 7 || strlen(perms) != 4 || end < start) {
        free(copy);
        return false;
    }
    e->start = start;
    e->end = end;
    e->offset = offset;
    e->inode = inode;
    e->readable = perms[0] == 'r';
    e->writable = perms[1] == 'w';
    e->executable = perms[2] == 'x';
    e->shared = perms[3] == 's';
    e->path = strdup(copy + consumed);
    free(copy);
    return e->path != NULL;
}

bool proc_maps_parse(const char *text, struct proc_maps *out, size_t *bad_line)
{
    out->entries = NULL;
    out->count = 0;
    size_t cap = 0, lineno = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        if (len > 0) {
            if (out->count == cap) {
                cap = cap ? cap * 2 : 64;
                struct map_entry *grown = realloc(out->entries, cap * sizeof *grown);
                if (!grown)
                    goto fail;
                out->entries = grown;
            }
            if (!parse_line(p, len, &out->entries[out->count]))
                goto fail;
            out->count++;
        }
        p += len + (nl ? 1 : 0);
    }
    return true;
fail:
    if (bad_line)
        *bad_line = lineno;
    proc_maps_free(out);
    errno = EINVAL;
    return false;
}

bool proc_maps_read(pid_t pid, struct proc_maps *out)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            close(fd);
            errno = ENOMEM;
            return false;
        }
        if (len + 1 >= cap) {
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                buf = NULL;
                continue;
            }
            buf = grown;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int saved = errno;
            free(buf);
            close(fd);
            errno = saved;
            return false;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    bool ok = proc_maps_parse(buf, out, NULL);
    free(buf);
    return ok;
}

void proc_maps_free(struct proc_maps *maps)
{
    for (size_t i = 0; i < maps->count; i++)
        free(maps->entries[i].path);
    free(maps->entries);
    maps->entries = NULL;
    maps->count = 0;
}

const struct map_entry *proc_maps_find(const struct proc_maps *maps, uint64_t addr)
{
    size_t lo = 0, hi = maps->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct map_entry *e = &maps->entries[mid];
        if (addr < e->start)
            hi = mid;
        else if (addr >= e->end)
            lo = mid + 1;
        else
            return e;
    }
    return NULL;
}

bool map_entry_is_special(const struct map_entry *e)
{
    return strcmp(e->path, "[vvar]") == 0 || strcmp(e->path, "[vsyscall]") == 0 ||
           strcmp(e->path, "[vvar_vclock]") == 0;
}
