/* Two heaps compared: heapy's diff table (kinds whose count or size
 * changed), and the objects new in the later one by identity. */
#ifndef PYHEAPSCAN_DIFF_H
#define PYHEAPSCAN_DIFF_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "errors.h"
#include "heap.h"
#include "partition.h"

/* heapy's A is after, its B is before: the table shows after - before. */
bool write_diff(FILE *out, struct heap *before, struct heap *after, enum classifier by,
                enum output_format format, size_t max_rows, struct error *err);

#endif
