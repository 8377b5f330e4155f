/* Rcs's kinds by number: an object's kind is the set of its referrers'
 * kinds, and a referrer's kind (its clodo, heapy's root or frame type) is a
 * function of a small number, its type or its dict's owner's type.  The set
 * is made of those numbers, sorted, and looked up; classify_rcs renders its
 * name once, from a referrer of each kind of the first object that has it.
 * Rendering and sorting the names for each of millions of objects was most
 * of an rcs table's time. */
#ifndef PYHEAPSCAN_RCS_KINDS_H
#define PYHEAPSCAN_RCS_KINDS_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis/classify.h"
#include "model/heap.h"
#include "analysis/referrers.h"
#include "model/relation.h"

struct rcs_kinds {
    const struct heap *h;
    const struct referrers *r;
    size_t nkeys;             /* a referrer kind's number is below this */
    uint32_t *single;         /* a lone referrer's kind number -> name id, UINT32_MAX: not yet */
    struct name_table sets;   /* the sets met, encoded */
    uint32_t *set_name;       /* set id -> name id */
    size_t set_cap;
    uint32_t *stamp;          /* kind number -> the object that met it last */
    uint32_t stamp_now;
    uint32_t *keys;           /* one object's referrers' kinds, each once, sorted (nkeys room) */
    uint32_t *reps;           /* ... and a referrer of each */
    char *code;               /* ... encoded (6 bytes a kind at most) */
    struct text name;
};

/* False when out of memory. */
bool rcs_kinds_init(struct rcs_kinds *k, const struct heap *h, const struct referrers *r);

/* Object i's rcs kind: the id of its name, as classify_rcs writes it, in
 * names (interned there at its first object); UINT32_MAX when out of
 * memory. */
uint32_t rcs_kind(struct rcs_kinds *k, uint32_t i, struct name_table *names);

void rcs_kinds_free(struct rcs_kinds *k);

#endif
