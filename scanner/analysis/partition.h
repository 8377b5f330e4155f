/* A partition of a set of objects into kinds, as heapy's Stat holds it. */
#ifndef PYHEAPSCAN_PARTITION_H
#define PYHEAPSCAN_PARTITION_H

#include <stddef.h>
#include <stdint.h>

#include "model/heap.h"
#include "analysis/referrers.h"

enum classifier {
    BY_CLODO,   /* heapy's default: the class, or "dict of <owner's class>" */
    BY_TYPE,
    BY_CLASS,   /* the class: in Python 3 the type (guppy3 has no Class of its own) */
    BY_SIZE,    /* the individual size */
    BY_MODULE,  /* each module by name, everything else "~module" */
    BY_ID,      /* one row per object (heapy's IdFormat) */
    BY_IDSET,   /* one row per object, named by its brief */
    BY_VIA,     /* the relations the object is referred to by */
    BY_RCS,     /* the kinds of its referrers */
    BY_UNITY,   /* everything in one row */
};

struct partition_row {
    const char *kind;  /* borrowed from the heap's type table, or from names */
    uint64_t count;
    uint64_t size;
    uint64_t retained; /* MAT's retained size of the row's set, when has_retained */
};

struct partition {
    enum classifier by;
    bool id_format;           /* BY_ID: heapy's IdFormat table */
    bool has_retained;        /* rows[k].retained set (partition_retained.c) */
    size_t nretained;         /* ... for the first nretained rows */
    char id_kind[256];        /* its label's kind: "<str>", "<mixed>" */
    const char *kind_header;  /* heapy's column title, e.g. "Type" */
    uint64_t count, size;
    struct partition_row *rows;  /* sorted by size descending, then kind */
    size_t nrows;
    char **names;                /* kinds made for this partition ("dict of X", sizes) */
    size_t nnames, names_cap;
};

/* The classifier called name, or -1. */
int classifier_from_name(const char *name);

/* Partitions every object of h.  False when out of memory (or when clodo
 * is asked of a heap without dict owners). */
int partition_build(const struct heap *h, enum classifier by, struct partition *out);
/* Partitions the objects of h whose indices are listed (NULL: the first n);
 * via and rcs need the referrers, others take NULL. */
int partition_build_subset(const struct heap *h, enum classifier by, const struct referrers *r,
                           const uint32_t *indices, size_t n, struct partition *out);

/* Whether the classifier needs the referrers (and, for via, edge labels). */
bool classifier_needs_referrers(enum classifier by);
void partition_free(struct partition *p);

const char *classifier_name(enum classifier by);

#endif
