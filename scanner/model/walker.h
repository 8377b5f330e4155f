/* The state of one object's traversal and the ways its referents are
 * handed on: named by the relation heapy's relate would give them, or
 * unnamed.  Shared by traverse.c's dispatch and the files of
 * model/objects/, one per family of the interpreter's own types; inline
 * because every edge of the heap passes here. */
#ifndef PYHEAPSCAN_WALKER_H
#define PYHEAPSCAN_WALKER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "model/damage.h"
#include "model/pyobj.h"
#include "model/relation.h"
#include "model/target.h"
#include "model/traverse.h"

struct walker {
    struct target *t;
    uint64_t obj;  /* the object traversed, named when its memory is damaged */
    visit_fn visit;
    void *ctx;
    bool quiet;  /* inside a generator: heapy relates none of it */
    bool unnamed; /* relations by kind alone: no name or key looked up (traverse_object) */
};

static inline void emit(struct walker *w, uint64_t referent, struct relation rel)
{
    if (w->quiet)
        rel.quiet = true;
    w->visit(w->ctx, referent, rel);
}

static inline void visit_at(struct walker *w, uint64_t addr, struct relation rel)
{
    uint64_t p = u64_at(w->t, addr);
    if (p)
        emit(w, p, rel);
}

static inline void visit_attr(struct walker *w, uint64_t addr, const char *name)
{
    visit_at(w, addr, rel_attr(name));
}

static inline void visit_inter(struct walker *w, uint64_t addr, const char *name)
{
    visit_at(w, addr, rel_inter(name));
}

/* A family's referent (model/families/family.h): heapy's relate names none. */
static inline void visit_unnamed(void *ctx, uint64_t referent)
{
    emit(ctx, referent, rel_none);
}

/* items[0 .. n), each related by kind with its position + first.  A count
 * that claims more memory than there is visits nothing. */
static inline void visit_array(struct walker *w, uint64_t items, int64_t n, enum relation_kind kind,
                        int64_t first)
{
    if (n <= 0 || !target_items(w->t, items, (uint64_t)n, 8, "object", w->obj))
        return;
    const unsigned char *v = mem_view(w->t->mem, items, (size_t)n * 8);
    for (int64_t i = 0; i < n; i++) {
        uint64_t p;
        if (v)
            memcpy(&p, v + i * 8, 8); /* a corrupt pointer may be misaligned */
        else
            p = u64_at(w->t, items + (uint64_t)i * 8);
        if (p)
            emit(w, p, rel_num(kind, (uint64_t)(i + first)));
    }
}

#endif
