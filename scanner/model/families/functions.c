/* Functions and what binds them (Objects/funcobject.c, cellobject.c,
 * classobject.c, methodobject.c): function, cell, method, classmethod and
 * staticmethod, builtin_function_or_method. */
#include "model/families/family.h"

static bool function_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    const struct py_layout *L = w->t->L;
    const int64_t offs[] = {L->func_code, L->func_globals, L->func_builtins, L->func_module,
                            L->func_defaults, L->func_kwdefaults, L->func_doc, L->func_name,
                            L->func_dict, L->func_closure, L->func_annotations, L->func_qualname,
                            L->func_typeparams, L->func_annotate};
    static const char *const names[] = {"__code__", "__globals__", "__builtins__", "__module__",
                                        "__defaults__", "__kwdefaults__", "__doc__", "__name__",
                                        "__dict__", "__closure__", "__annotations__",
                                        "__qualname__", "__type_params__", "__annotate__"};
    /* heapy's function relate knows neither builtins nor the 3.12+ fields. */
    for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++)
        if (offs[i] >= 0)
            visit_at(w, obj + (uint64_t)offs[i], (struct relation){REL_ATTR, 0, names[i], i == 2 || i >= 12});
    return true;
}

static bool cell_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_attr(w, obj + (uint64_t)w->t->L->cell_ref, "cell_contents");
    return true;
}

static bool method_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_attr(w, obj + (uint64_t)w->t->L->method_func, "__func__");
    visit_attr(w, obj + (uint64_t)w->t->L->method_self, "__self__");
    return true;
}

static bool classmethod_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    /* Since 3.10 __wrapped__ is a member at the same offset. */
    visit_attr(w, obj + (uint64_t)w->t->L->cm_callable, w->t->minor >= 10 ? "__func__\x1f__wrapped__" : "__func__");
    visit_attr(w, obj + (uint64_t)w->t->L->cm_dict, "__dict__");
    return true;
}

static bool cfunction_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    struct target *t = w->t;
    const struct py_layout *L = t->L;
    visit_attr(w, obj + (uint64_t)L->cfunc_self, "__self__");
    visit_attr(w, obj + (uint64_t)L->cfunc_module, "__module__");
    if (L->cfunc_class >= 0) {
        uint64_t ml = u64_at(t, obj + (uint64_t)L->cfunc_ml);
        int32_t flags = 0;
        if (ml)
            mem_read(t->mem, ml + (uint64_t)L->methoddef_ml_flags, &flags, sizeof flags);
        if (flags & L->meth_method)
            visit_at(w, obj + (uint64_t)L->cfunc_class, rel_quiet(rel_inter("mm_class")));
    }
    return true;
}

static const struct family_entry entries[] = {
    {.definer = "function", .by_layout = true, .traverse = function_traverse, .traverse_kind = TRAVERSE_FUNCTION},
    {.definer = "cell", .by_layout = true, .traverse = cell_traverse, .traverse_kind = TRAVERSE_CELL},
    {.definer = "method", .by_layout = true, .traverse = method_traverse, .traverse_kind = TRAVERSE_METHOD},
    {.definer = "classmethod", .by_layout = true, .traverse = classmethod_traverse,
     .traverse_kind = TRAVERSE_CLASSMETHOD},
    {.definer = "staticmethod", .by_layout = true, .traverse = classmethod_traverse,
     .traverse_kind = TRAVERSE_CLASSMETHOD},
    {.definer = "builtin_function_or_method", .by_layout = true, .traverse = cfunction_traverse,
     .traverse_kind = TRAVERSE_CFUNCTION},
};

const struct family family_functions = FAMILY("functions", entries);
