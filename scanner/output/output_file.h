/* Output that is never half-written: a temporary file beside the target,
 * renamed into place only when everything was written. */
#ifndef PYHEAPSCAN_OUTPUT_FILE_H
#define PYHEAPSCAN_OUTPUT_FILE_H

#include <stdbool.h>
#include <stdio.h>

#include "errors.h"

struct output_file {
    FILE *fp;
    char *final_path;  /* NULL for stdout */
    char *tmp_path;
};

bool output_open(struct output_file *o, const char *path, struct error *err);
/* The same, with the file's mode (a snapshot: 0600). */
bool output_open_mode(struct output_file *o, const char *path, unsigned mode, struct error *err);
/* Flushes and renames into place; on any failure removes the temporary file. */
bool output_commit(struct output_file *o, struct error *err);
/* Removes the temporary file (after an error elsewhere). */
void output_abandon(struct output_file *o);

#endif
