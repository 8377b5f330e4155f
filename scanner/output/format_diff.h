/* Printing a diff of two heaps (analysis/diff.c computes it). */
#ifndef PYHEAPSCAN_FORMAT_DIFF_H
#define PYHEAPSCAN_FORMAT_DIFF_H

#include <stdio.h>

#include "output/output_format.h"
#include "analysis/diff.h"

/* heapy's DiffFormat table then the new objects' partition (text), one JSON
 * object (json), or one line per new object (objects). */
void format_diff(FILE *out, const struct heap_diff *d, enum output_format format, size_t max_rows);

#endif
