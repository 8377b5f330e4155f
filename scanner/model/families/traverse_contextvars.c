/* contextvars (Python/context.c, Python/hamt.c, 3.8 to 3.15): a Context's
 * variables live in a HAMT whose nodes are objects of their own. */
#include "model/families/family.h"

#include "model/pyobj.h"

/* PyContext {ctx_prev, ctx_vars, ctx_weakreflist, ctx_entered}. */
static const int64_t context[] = {16, 24, -1};
/* PyContextToken {tok_ctx, tok_var, tok_oldval, tok_used}. */
static const int64_t token[] = {16, 24, 32, -1};
/* PyHamtObject {h_root, h_weakreflist, h_count}; PyHamtIterator {hi_obj,
 * ...} (the items, keys and values iterators). */
static const int64_t first[] = {16, -1};

static void visit_items(struct target *t, uint64_t items, int64_t n, family_visit_fn visit, void *ctx)
{
    for (int64_t i = 0; i < n; i++) {
        uint64_t v = u64_at(t, items + (uint64_t)i * 8);
        if (v)
            visit(ctx, v);
    }
}

/* PyHamtNode_Bitmap and _Collision {PyObject_VAR_HEAD, a 32-bit bitmap or
 * hash, then ob_size keys and values}. */
static bool var_node(struct target *t, const struct type_info *ti, uint64_t obj, family_visit_fn visit,
                     void *ctx)
{
    (void)ti;
    int64_t n = (int64_t)u64_at(t, obj + 16); /* ob_size */
    if (n < 0 || n > 64)
        return false;
    visit_items(t, obj + 32, n, visit, ctx);
    return true;
}

/* PyHamtNode_Array {a_array[32], a_count}. */
static bool array_node(struct target *t, const struct type_info *ti, uint64_t obj, family_visit_fn visit,
                       void *ctx)
{
    (void)ti;
    visit_items(t, obj + 16, 32, visit, ctx);
    return true;
}

static const struct family_entry entries[] = {
    {"_contextvars.Context", 8, 99, context, false, false, false, NULL, NULL},
    {"_contextvars.Token", 8, 99, token, false, false, false, NULL, NULL},
    {"Context", 8, 9, context, false, false, false, NULL, NULL}, /* tp_names up to 3.9 */
    {"Token", 8, 9, token, false, false, false, NULL, NULL},
    {"hamt", 8, 99, first, false, false, false, NULL, NULL},
    {"items", 8, 99, first, false, false, false, NULL, NULL},
    {"keys", 8, 99, first, false, false, false, NULL, NULL},
    {"values", 8, 99, first, false, false, false, NULL, NULL},
    {"hamt_bitmap_node", 8, 99, NULL, false, false, false, var_node, NULL},
    {"hamt_collision_node", 8, 99, NULL, false, false, false, var_node, NULL},
    {"hamt_array_node", 8, 99, NULL, false, false, false, array_node, NULL},
};

const struct family family_contextvars = {"contextvars", entries, sizeof entries / sizeof entries[0]};
