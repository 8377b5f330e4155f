/* Two heaps compared: heapy's diff table (kinds whose count or size
 * changed), and the objects new in the later one by identity.  heapy's A is
 * after, its B is before: the rows are after - before.  output/format_diff.c
 * prints it. */
#ifndef PYHEAPSCAN_DIFF_H
#define PYHEAPSCAN_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/heap.h"
#include "analysis/partition.h"

struct diff_row {
    const char *kind;
    int64_t count, size;
};

struct heap_diff {
    struct partition before, after;
    struct diff_row *rows;     /* kinds whose count or size changed, largest |size| first */
    size_t nrows;
    uint32_t *fresh;           /* indices in after of the objects before did not have */
    size_t nfresh;
    struct partition fresh_rows;
    const struct heap *after_heap;
};

/* False when out of memory (d is then still freed by diff_free). */
bool diff_compute(struct heap *before, struct heap *after, enum classifier by, struct heap_diff *d);
void diff_free(struct heap_diff *d);

#endif
