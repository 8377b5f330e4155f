/* heapy-style partitions with MAT's retained size per row: the bytes of the
 * objects only that row's set keeps alive (what would go if every member
 * went), which is not the sum of the members' own retained sizes: an object
 * two members share counts once, for the set, and for neither member. */
#ifndef PYHEAPSCAN_PARTITION_RETAINED_H
#define PYHEAPSCAN_PARTITION_RETAINED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/heap.h"
#include "analysis/partition.h"
#include "analysis/referrers.h"

/* Whether rows of this classifier can be given their retained size (every
 * one but id, whose rows are single objects: `top` answers for those). */
bool partition_retained_supported(enum classifier by);

/* Sets p->rows[k].retained for the first `rows` rows (0: all) of the
 * partition of the objects listed (NULL: the first n).  One flood of the
 * graph per row.  False when out of memory. */
bool partition_add_retained(struct partition *p, const struct heap *h, const struct referrers *r,
                            const uint32_t *indices, size_t n, size_t rows);

/* Orders the rows by retained size, biggest first (then by kind). */
void partition_sort_by_retained(struct partition *p);

#endif
