#include "source/file_resolver.h"

#include <stdio.h>
#include <sys/stat.h>

/* Opens the file behind a mapping as the scanner can see it.  The path in
 * /proc/PID/maps is relative to the reader's root when the file is visible
 * from here (a chroot), or the target's own path (a container): try it as
 * is, under /proc/PID/root, then through map_files, and take the first whose
 * inode is the mapped one. */
static struct elf_file *open_mapped_elf(void *ctx, const struct map_entry *e, struct error *err)
{
    (void)err;
    pid_t pid = *(pid_t *)ctx;
    char candidates[3][4200];
    snprintf(candidates[0], sizeof candidates[0], "%s", e->path);
    snprintf(candidates[1], sizeof candidates[1], "/proc/%d/root%s", (int)pid, e->path);
    snprintf(candidates[2], sizeof candidates[2], "/proc/%d/map_files/%llx-%llx", (int)pid,
             (unsigned long long)e->start, (unsigned long long)e->end);
    for (int i = 0; i < 3; i++) {
        struct stat st;
        if (stat(candidates[i], &st) != 0 || (uint64_t)st.st_ino != e->inode)
            continue;
        char err[512];
        struct elf_file *f = elf_file_open(candidates[i], err, sizeof err);
        if (f)
            return f;
    }
    return NULL;
}

struct file_resolver live_files(pid_t *pid, const char *what)
{
    struct file_resolver r = {open_mapped_elf, pid, what, ""};
    snprintf(r.root, sizeof r.root, "/proc/%d/root", (int)*pid);
    return r;
}
