/* `paths` and `top`: shortest paths from the roots written as heapy writes
 * them, merged paths, and the biggest retainers with the dominator tree
 * below them; text and JSON (README.md). */
#ifndef PYHEAPSCAN_FORMAT_PATHS_H
#define PYHEAPSCAN_FORMAT_PATHS_H

#include "output/json_writer.h"
#include <stdbool.h>
#include <stdio.h>

#include "analysis/classify.h"
#include "analysis/dominators.h"
#include "model/heap.h"
#include "analysis/paths.h"
#include "analysis/referrers.h"

/* The path as heapy writes it: "hp.Root.i0_modules['__main__'].__dict__['x']". */
void path_render(const struct heap *h, const struct referrers *r, const uint64_t *step, const uint32_t *obj,
                 size_t len, struct text *out);

/* What paths/top print alongside: the graph's indexes. */
struct why_alive {
    const struct heap *h;
    const struct referrers *r;
    const uint32_t *dist;
    const struct dominators *d;            /* top only */
    const struct dominator_children *c;    /* top --depth only */
    bool weak_known;                       /* the heap lists its weak references */
    uint32_t weak_holder;                  /* paths ADDR: a weakref to it, UINT32_MAX none */
    struct json_writer *json;              /* JSON's writer, NULL for text */
};

/* One object on one line (text), or its fields (JSON, without braces):
 * address, kind, size, retained size (with the tree), rendering. */
void why_describe(FILE *out, const struct why_alive *w, uint32_t i, struct text *t);

/* The first shortest path from the roots to i, as heapy writes it ("" when
 * none).  False when out of memory. */
bool why_first_path(const struct why_alive *w, uint32_t i, struct text *out);

/* `paths ADDR`: the object and at most max (0 all) of its shortest paths.
 * False when out of memory. */
bool format_paths(FILE *out, const struct why_alive *w, uint32_t target, size_t max);

/* `paths --where KIND`: the members' merged paths, at most limit (0: all)
 * children a node, those through which most members' paths go.  False when
 * out of memory. */
bool format_merged_paths(FILE *out, const struct why_alive *w, const struct merged_paths *m, const char *where,
                         size_t limit);

/* `top`: the objects listed (biggest retained first), each with its shortest
 * path, and depth levels of the dominator tree below (at most rows children
 * each).  False when out of memory. */
bool format_top(FILE *out, const struct why_alive *w, const uint32_t *objects, size_t n, unsigned depth, size_t rows);

#endif
