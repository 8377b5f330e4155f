#include "model/numpy_traverse.h"

static void visit_field(struct target *t, uint64_t addr, struct relation rel, visit_fn visit, void *ctx)
{
    uint64_t p = u64_at(t, addr);
    if (p)
        visit(ctx, p, rel);
}

bool numpy_ufunc_traverse(struct target *t, uint64_t obj, visit_fn visit, void *ctx)
{
    const struct numpy_layout *NL = t->numpy.NL;
    if (!NL)
        return false;
    /* heapy relates none of these but the dict (a tp_dictoffset). */
    visit_field(t, obj + (uint64_t)NL->ufunc_obj, rel_quiet(rel_inter("obj")), visit, ctx);
    int32_t identity = 0;
    mem_read(t->mem, obj + (uint64_t)NL->ufunc_identity, &identity, sizeof identity);
    if (identity == NL->ufunc_identity_is_value)
        visit_field(t, obj + (uint64_t)NL->ufunc_identity_value, rel_quiet(rel_inter("identity_value")),
                    visit, ctx);
    if (NL->ufunc_dict >= 0)
        visit_field(t, obj + (uint64_t)NL->ufunc_dict, rel_attr("__dict__"), visit, ctx);
    return true;
}
