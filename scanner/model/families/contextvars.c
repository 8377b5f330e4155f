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

static void visit_items(struct walker *w, uint64_t items, int64_t n)
{
    struct target *t = w->t;
    for (int64_t i = 0; i < n; i++) {
        uint64_t v = u64_at(t, items + (uint64_t)i * 8);
        if (v)
            emit(w, v, rel_none);
    }
}

/* PyHamtNode_Bitmap and _Collision {PyObject_VAR_HEAD, a 32-bit bitmap or
 * hash, then ob_size keys and values}. */
static bool var_node(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    (void)ti;
    int64_t n = (int64_t)u64_at(t, obj + 16); /* ob_size */
    if (n < 0 || n > 64)
        return false;
    visit_items(w, obj + 32, n);
    return true;
}

/* PyHamtNode_Array {a_array[32], a_count}. */
static bool array_node(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_items(w, obj + 16, 32);
    return true;
}

/* ContextVar (Python/context.c): its name and default; not var_cached, a
 * borrowed reference contextvar_tp_traverse leaves out (3.8 to 3.15). */
static bool contextvar_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_attr(w, obj + (uint64_t)w->t->L->contextvar_name, "name");
    visit_at(w, obj + (uint64_t)w->t->L->contextvar_default, rel_quiet(rel_inter("var_default")));
    return true;
}

static const struct family_entry entries[] = {
    {.definer = "_contextvars.ContextVar", .by_layout = true, .traverse = contextvar_traverse,
     .traverse_kind = TRAVERSE_CONTEXTVAR},
    {.definer = "ContextVar", .by_layout = true, .traverse = contextvar_traverse, /* its tp_name up to 3.9 */
     .traverse_kind = TRAVERSE_CONTEXTVAR},
    {.definer = "_contextvars.Context", .fields = context},
    {.definer = "_contextvars.Token", .fields = token},
    {.definer = "Context", .max_minor = 9, .fields = context}, /* tp_names up to 3.9 */
    {.definer = "Token", .max_minor = 9, .fields = token},
    {.definer = "hamt", .fields = first},
    {.definer = "items", .fields = first},
    {.definer = "keys", .fields = first},
    {.definer = "values", .fields = first},
    {.definer = "hamt_bitmap_node", .traverse = var_node},
    {.definer = "hamt_collision_node", .traverse = var_node},
    {.definer = "hamt_array_node", .traverse = array_node},
};

const struct family family_contextvars = FAMILY("contextvars", entries);
