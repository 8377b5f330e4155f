#include "output_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool output_open(struct output_file *o, const char *path, struct error *err)
{
    return output_open_mode(o, path, 0644, err);
}

bool output_open_mode(struct output_file *o, const char *path, unsigned mode, struct error *err)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return true;
    }
    if (asprintf(&o->tmp_path, "%s.tmp.XXXXXX", path) < 0) {
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
    o->final_path = strdup(path);
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
    int bad = fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0;
    int e = errno;
    if (fclose(o->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    o->fp = NULL;
    if (!bad && rename(o->tmp_path, o->final_path) != 0) {
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
