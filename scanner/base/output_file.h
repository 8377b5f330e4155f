/* Output that is never half-written: a regular file (or a name yet to be
 * made) gets a temporary file beside it, renamed into place only when
 * everything was written; symlinks are followed to the file they name.  A
 * destination that is no regular file (a device such as /dev/null, a FIFO,
 * a socket, /dev/stdout, /dev/fd/N, /proc/self/fd/N) is opened and written
 * in place: renaming over it would replace the node itself.  "-" is stdout. */
#ifndef PYHEAPSCAN_OUTPUT_FILE_H
#define PYHEAPSCAN_OUTPUT_FILE_H

#include <stdbool.h>
#include <stdio.h>

#include "base/errors.h"

struct output_file {
    FILE *fp;
    char *final_path;  /* NULL for stdout */
    char *tmp_path;    /* NULL when written in place */
};

bool output_open(struct output_file *o, const char *path, struct error *err);
/* The same, with the file's mode (a snapshot: 0600). */
bool output_open_mode(struct output_file *o, const char *path, unsigned mode, struct error *err);
/* Flushes and renames into place; on any failure removes the temporary file. */
bool output_commit(struct output_file *o, struct error *err);
/* Removes the temporary file (after an error elsewhere). */
void output_abandon(struct output_file *o);

#endif
