/* pyrsistent's C vector (pvectorcmodule.c): PVector {PyObject_HEAD;
 * unsigned count, shift; VNode *root, *tail; weakreflist}, VNode {void
 * *items[32]; unsigned refCount}: a trie whose inner nodes hold nodes and
 * whose leaves hold the objects, `shift` bits of the index per level of 5,
 * and a tail leaf.  Its traverse recurses through the trie, which the code
 * reader does not follow; the layout is the module's since its first
 * release (checked by the extension zoo, object by object). */
#include "model/families/family.h"

enum { BRANCH = 32, BITS = 5, SHIFT_MAX = 35 };

/* The leaf objects below node, a node of the level shift says. */
static bool visit_node(struct walker *w, uint64_t node, unsigned shift, uint64_t obj, uint64_t *budget)
{
    if (!node)
        return true;
    if (!target_items(w->t, node, BRANCH, 8, "a pyrsistent vector's node", obj) || !*budget)
        return false;
    (*budget)--;
    for (uint64_t i = 0; i < BRANCH; i++) {
        uint64_t item = u64_at(w->t, node + i * 8);
        if (!item)
            continue;
        if (shift == 0)
            visit_unnamed(w, item);
        else if (!visit_node(w, item, shift - BITS, obj, budget))
            return false;
    }
    return true;
}

static bool pvector_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    uint32_t count = (uint32_t)i32_at(w->t, obj + 16), shift = (uint32_t)i32_at(w->t, obj + 20);
    if (shift > SHIFT_MAX || shift % BITS)
        return false;
    /* no more nodes than a vector of count items has (leaves and the inner
     * nodes above them), so that a damaged trie ends */
    uint64_t budget = 2 * ((uint64_t)count / BRANCH + 1) + SHIFT_MAX / BITS + 1;
    return visit_node(w, u64_at(w->t, obj + 24), shift, obj, &budget) &&
           visit_node(w, u64_at(w->t, obj + 32), 0, obj, &budget);
}

static const struct family_entry entries[] = {
    {.definer = "pvectorc.PVector", .by_layout = true, .traverse = pvector_traverse},
};

const struct family family_pyrsistent = FAMILY("pyrsistent", entries);
