#include "base/output_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/* The symlinks a destination is followed through before giving up, as the
 * kernel's own limit on a path (ELOOP). */
#define MAX_LINK_HOPS 40

bool output_open(struct output_file *o, const char *path, struct error *err)
{
    return output_open_mode(o, path, 0644, err);
}

/* A symlink in procfs (/proc/self/fd/N, and /dev/fd/N or /dev/stdout through
 * it) names an open file, often one with no path at all (a pipe, a socket):
 * it is opened, never replaced. */
static bool in_procfs(const char *link)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", link);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    struct statfs fs;
    return statfs(dir, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

/* Where the output goes: path with its symlinks followed (a dangling one
 * too: the file is made where it points).  Sets *through when the
 * destination is to be opened and written in place: anything but a regular
 * file or a name yet to be made (a device, a FIFO, a socket, an open file
 * named through procfs). */
static bool resolve_destination(const char *path, char *out, size_t size, bool *through)
{
    *through = false;
    snprintf(out, size, "%s", path);
    for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
        struct stat st;
        if (lstat(out, &st) != 0)
            return errno == ENOENT; /* a new file, made beside its name */
        if (!S_ISLNK(st.st_mode)) {
            *through = !S_ISREG(st.st_mode);
            return true;
        }
        if (in_procfs(out)) {
            *through = true;
            return true;
        }
        char target[PATH_MAX];
        ssize_t n = readlink(out, target, sizeof target - 1);
        if (n < 0)
            return false;
        target[n] = '\0';
        char *slash = strrchr(out, '/');
        if (target[0] == '/' || !slash) {
            snprintf(out, size, "%s", target);
        } else {
            char next[PATH_MAX];
            int k = snprintf(next, sizeof next, "%.*s/%s", (int)(slash - out), out, target);
            if (k < 0 || (size_t)k >= sizeof next)
                return false;
            snprintf(out, size, "%s", next);
        }
    }
    errno = ELOOP;
    return false;
}

/* The scanner's own descriptor a procfs link names (/proc/self/fd/N,
 * /proc/PID/fd/N of this process, which /dev/fd/N and /dev/stdout lead
 * to), or -1. */
static int own_descriptor(const char *link)
{
    int fd = -1, pid = -1, end = 0;
    if ((sscanf(link, "/proc/self/fd/%d%n", &fd, &end) == 1 || sscanf(link, "/dev/fd/%d%n", &fd, &end) == 1) &&
        link[end] == '\0')
        return fd;
    if (sscanf(link, "/proc/%d/fd/%d%n", &pid, &fd, &end) == 2 && link[end] == '\0' && pid == (int)getpid())
        return fd;
    return -1;
}

/* A destination that is not a regular file is written where it is: renaming
 * a file over /dev/null or a FIFO would replace the node itself.  One of
 * the scanner's own descriptors (-o /dev/stdout) is written through a copy
 * of it, at its offset and with its flags: reopening it would start a
 * file the shell opened for appending (>>) at its first byte, over what it
 * held. */
static bool open_through(struct output_file *o, const char *path, const char *dest, struct error *err)
{
    int own = own_descriptor(dest);
    int fd = own >= 0 ? fcntl(own, F_DUPFD_CLOEXEC, 0) : open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return fail(err, EXIT_OUTPUT, "cannot write %s: %s", path, strerror(errno));
    o->fp = fdopen(fd, "w");
    o->final_path = strdup(path);
    if (!o->fp || !o->final_path) {
        if (!o->fp)
            close(fd);
        output_abandon(o);
        return fail(err, EXIT_INTERNAL, "out of memory");
    }
    return true;
}

bool output_open_mode(struct output_file *o, const char *path, unsigned mode, struct error *err)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return true;
    }
    char dest[PATH_MAX];
    bool through;
    if (!resolve_destination(path, dest, sizeof dest, &through))
        return fail(err, EXIT_OUTPUT, "cannot write %s: %s", path, strerror(errno));
    if (through)
        return open_through(o, path, dest, err);
    if (asprintf(&o->tmp_path, "%s.tmp.XXXXXX", dest) < 0) {
        o->tmp_path = NULL;
        return fail(err, EXIT_INTERNAL, "out of memory");
    }
    int fd = mkstemp(o->tmp_path);
    if (fd < 0) {
        int e = errno;
        free(o->tmp_path);
        o->tmp_path = NULL;
        return fail(err, EXIT_OUTPUT, "cannot write %s: %s", path, strerror(e));
    }
    fchmod(fd, (mode_t)mode);
    o->fp = fdopen(fd, "w");
    o->final_path = strdup(dest);
    if (!o->fp || !o->final_path) {
        close(fd);
        output_abandon(o);
        return fail(err, EXIT_INTERNAL, "out of memory");
    }
    return true;
}

void output_abandon(struct output_file *o)
{
    if (o->fp && o->fp != stdout)
        fclose(o->fp);
    if (o->tmp_path)
        unlink(o->tmp_path);
    free(o->tmp_path);
    free(o->final_path);
    memset(o, 0, sizeof *o);
}

bool output_commit(struct output_file *o, struct error *err)
{
    if (o->fp == stdout) {
        if (fflush(stdout) != 0 || ferror(stdout))
            return fail(err, EXIT_OUTPUT, "cannot write the output: %s", strerror(errno));
        return true;
    }
    /* Written in place (no temporary file): a device or a pipe has nothing
     * to sync, and nothing to rename. */
    bool in_place = o->tmp_path == NULL;
    int bad = fflush(o->fp) != 0 || ferror(o->fp) || (!in_place && fsync(fileno(o->fp)) != 0);
    int e = errno;
    if (fclose(o->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    o->fp = NULL;
    if (!bad && !in_place && rename(o->tmp_path, o->final_path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        char path[4096];
        snprintf(path, sizeof path, "%s", o->final_path);
        output_abandon(o);
        return fail(err, EXIT_OUTPUT, "cannot write %s: %s", path, strerror(e));
    }
    free(o->tmp_path);
    free(o->final_path);
    memset(o, 0, sizeof *o);
    return true;
}
