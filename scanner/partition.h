/* A partition of a set of objects into kinds, as heapy's Stat holds it. */
#ifndef PYHEAPSCAN_PARTITION_H
#define PYHEAPSCAN_PARTITION_H

#include <stddef.h>
#include <stdint.h>

#include "heap.h"

enum classifier {
    BY_CLODO,   /* heapy's default: the class, or "dict of <owner's class>" */
    BY_TYPE,
    BY_SIZE,    /* the individual size */
    BY_UNITY,   /* everything in one row */
};

struct partition_row {
    const char *kind;  /* borrowed from the heap's type table, or from names */
    uint64_t count;
    uint64_t size;
};

struct partition {
    enum classifier by;
    const char *kind_header;  /* heapy's column title, e.g. "Type" */
    uint64_t count, size;
    struct partition_row *rows;  /* sorted by size descending, then kind */
    size_t nrows;
    char **names;                /* kinds made for this partition ("dict of X", sizes) */
    size_t nnames;
};

/* The classifier called name, or -1. */
int classifier_from_name(const char *name);

/* Partitions every object of h.  False when out of memory (or when clodo
 * is asked of a heap without dict owners). */
int partition_build(const struct heap *h, enum classifier by, struct partition *out);
/* Partitions the objects of h whose indices are listed. */
int partition_build_subset(const struct heap *h, enum classifier by, const uint32_t *indices,
                           size_t n, struct partition *out);
void partition_free(struct partition *p);

const char *classifier_name(enum classifier by);

#endif
