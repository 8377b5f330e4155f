/* The classifiers whose kinds are made per object rather than per type:
 * module, via, rcs, idset, and heapy's per-object renderings (id).  Each
 * writes the kind's name as heapy's table prints it. */
#ifndef PYHEAPSCAN_CLASSIFY_H
#define PYHEAPSCAN_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/heap.h"
#include "analysis/referrers.h"

/* A growing text. */
struct text {
    char *s;
    size_t len, cap;
    bool oom;
};

void text_add(struct text *t, const char *s, size_t n);
void text_adds(struct text *t, const char *s);
void text_clear(struct text *t);
void text_free(struct text *t);

/* heapy's Clodo kind of object i: its type, "dict of X", "dict (no owner)". */
void classify_clodo(const struct heap *h, uint32_t i, struct text *out);

/* The kinds: each appends the name to out (cleared first). */
void classify_module(const struct heap *h, uint32_t i, struct text *out);
void classify_via(const struct heap *h, const struct referrers *r, uint32_t i, struct text *out);
void classify_rcs(const struct heap *h, const struct referrers *r, uint32_t i, struct text *out);
void classify_idset(const struct heap *h, uint32_t i, struct text *out);

/* heapy's rendering of one object in an IdFormat table (its "Value",
 * "Name", "Address*Length"... column) and the column's header for a table
 * of that kind.  mixed: a table of several kinds ("kind: render", the
 * owner of a dict shortened as heapy shortens it). */
void classify_render(const struct heap *h, uint32_t i, bool mixed, struct text *out);
const char *classify_render_header(const struct heap *h, uint32_t i);

/* How objects of equal size follow each other in an IdFormat table: by
 * value (numbers), by address (objects rendered by address), or by their
 * kept text (str, names). */
enum id_order { ID_BY_VALUE, ID_BY_ADDRESS, ID_BY_TEXT };
enum id_order classify_id_order(const struct heap *h, uint32_t i);

#endif
