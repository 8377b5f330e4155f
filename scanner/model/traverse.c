#include "model/traverse.h"

#include <stdlib.h>
#include <string.h>

#include "model/families/family.h"
#include "model/numpy_traverse.h"
#include "model/objects/objects.h"
#include "model/pyobj.h"
#include "model/walker.h"

bool traverse_is_gc(struct target *t, const struct type_info *ti, uint64_t obj)
{
    if (!ti->gc_type)
        return false;
    if (!ti->gc_if_heap)
        return true;
    return (u64_at(t, obj + (uint64_t)t->L->tp_flags) & (uint64_t)t->L->flag_heaptype) != 0;
}

bool traverse_object(struct target *t, const struct type_info *ti, uint64_t obj, visit_fn visit,
                     void *ctx, bool unnamed)
{
    const struct py_layout *L = t->L;
    struct walker w = {t, obj, visit, ctx, false, unnamed};
    if (ti->subtype)
        traverse_subtype(&w, ti, obj);
    if (ti->visit_own_type)
        emit(&w, ti->addr, rel_quiet(rel_inter("ob_type")));
    switch (ti->traverse) {
    case TRAVERSE_NONE:
        return true;
    case TRAVERSE_OPAQUE:
    case TRAVERSE_KIND_COUNT:
        return false;
    case TRAVERSE_TUPLE:
        visit_array(&w, obj + (uint64_t)L->tuple_ob_item, (int64_t)u64_at(t, obj + (uint64_t)L->ob_size),
                    REL_INDEX, 0);
        return true;
    case TRAVERSE_LIST:
        visit_array(&w, u64_at(t, obj + (uint64_t)L->list_ob_item),
                    (int64_t)u64_at(t, obj + (uint64_t)L->ob_size), REL_INDEX, 0);
        return true;
    case TRAVERSE_DICT:
        return traverse_dict(&w, obj);
    case TRAVERSE_SET:
        return traverse_set(&w, obj);
    case TRAVERSE_TYPE: {
        static const struct {
            size_t field;
            struct relation rel;
        } fields[] = {
            {offsetof(struct py_layout, tp_dict), {REL_ATTR, 0, "__dict__", false}},
            {offsetof(struct py_layout, tp_cache), {REL_INTERATTR, 0, "tp_cache", false}},
            {offsetof(struct py_layout, tp_mro), {REL_ATTR, 0, "__mro__", false}},
            {offsetof(struct py_layout, tp_bases), {REL_ATTR, 0, "__bases__", false}},
            {offsetof(struct py_layout, tp_base), {REL_ATTR, 0, "__base__", false}},
            {offsetof(struct py_layout, ht_module), {REL_INTERATTR, 0, "ht_module", false}},
        };
        if (!(u64_at(t, obj + (uint64_t)L->tp_flags) & (uint64_t)L->flag_heaptype))
            return true;
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            int64_t off = py_layout_field(L, fields[i].field);
            if (off >= 0)
                visit_at(&w, obj + (uint64_t)off, fields[i].rel);
        }
        return true;
    }
    case TRAVERSE_FUNCTION: {
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
                visit_at(&w, obj + (uint64_t)offs[i],
                         (struct relation){REL_ATTR, 0, names[i], i == 2 || i >= 12});
        return true;
    }
    case TRAVERSE_CELL:
        visit_attr(&w, obj + (uint64_t)L->cell_ref, "cell_contents");
        return true;
    case TRAVERSE_METHOD:
        visit_attr(&w, obj + (uint64_t)L->method_func, "__func__");
        visit_attr(&w, obj + (uint64_t)L->method_self, "__self__");
        return true;
    case TRAVERSE_DESCR:
        visit_attr(&w, obj + (uint64_t)L->descr_type, "__objclass__");
        return true;
    case TRAVERSE_CLASSMETHOD:
        /* Since 3.10 __wrapped__ is a member at the same offset. */
        visit_attr(&w, obj + (uint64_t)L->cm_callable,
                   t->minor >= 10 ? "__func__\x1f__wrapped__" : "__func__");
        visit_attr(&w, obj + (uint64_t)L->cm_dict, "__dict__");
        return true;
    case TRAVERSE_PROPERTY:
        static const char *const names[] = {"fget", "fset", "fdel", "__doc__", "__name__"};
        for (int64_t i = 0; i < L->prop_fields && i < 5; i++)
            visit_at(&w, obj + (uint64_t)(L->prop_get + i * 8), (struct relation){REL_ATTR, 0, names[i], i == 4});
        return true;
    case TRAVERSE_CFUNCTION: {
        visit_attr(&w, obj + (uint64_t)L->cfunc_self, "__self__");
        visit_attr(&w, obj + (uint64_t)L->cfunc_module, "__module__");
        if (L->cfunc_class >= 0) {
            uint64_t ml = u64_at(t, obj + (uint64_t)L->cfunc_ml);
            int32_t flags = 0;
            if (ml)
                mem_read(t->mem, ml + (uint64_t)L->methoddef_ml_flags, &flags, sizeof flags);
            if (flags & L->meth_method)
                visit_at(&w, obj + (uint64_t)L->cfunc_class, rel_quiet(rel_inter("mm_class")));
        }
        return true;
    }
    case TRAVERSE_WEAKREF:
        visit_attr(&w, obj + (uint64_t)L->weakref_callback, "__callback__");
        return true;
    case TRAVERSE_MODULE:
        visit_attr(&w, obj + (uint64_t)L->module_md_dict, "__dict__");
        return traverse_module_state(&w, obj);
    case TRAVERSE_NAMESPACE:
        visit_attr(&w, obj + (uint64_t)L->namespace_dict, "__dict__");
        return true;
    case TRAVERSE_SLICE:
        visit_attr(&w, obj + (uint64_t)L->slice_start, "start");
        visit_attr(&w, obj + (uint64_t)L->slice_stop, "stop");
        visit_attr(&w, obj + (uint64_t)L->slice_step, "step");
        return true;
    case TRAVERSE_MAPPINGPROXY:
        visit_inter(&w, obj + (uint64_t)L->mappingproxy_mapping, "mapping");
        return true;
    case TRAVERSE_METHODWRAPPER:
        visit_at(&w, obj + (uint64_t)L->methodwrapper_descr, rel_quiet(rel_inter("descr")));
        visit_attr(&w, obj + (uint64_t)L->methodwrapper_self, "__self__");
        return true;
    case TRAVERSE_DEFAULTDICT:
        visit_attr(&w, obj + (uint64_t)L->defaultdict_factory, "default_factory");
        return traverse_dict(&w, obj);
    case TRAVERSE_ODICT:
        return traverse_odict(&w, obj);
    case TRAVERSE_DEQUE:
        return traverse_deque(&w, obj);
    case TRAVERSE_GENERATOR:
        return traverse_generator(&w, obj);
    case TRAVERSE_FRAME:
        return traverse_frame(&w, obj);
    case TRAVERSE_STRUCTSEQ:
        return traverse_structseq(&w, ti, obj);
    case TRAVERSE_EXCEPTION: {
        const int64_t offs[] = {L->exc_dict, L->exc_args, L->exc_notes, L->exc_traceback,
                                L->exc_context, L->exc_cause};
        static const char *const names[] = {"__dict__", "args", "__notes__", "__traceback__",
                                            "__context__", "__cause__"};
        /* Getsets, not members, but the dict: heapy relates only that. */
        for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++)
            if (offs[i] >= 0)
                visit_at(&w, obj + (uint64_t)offs[i], (struct relation){REL_ATTR, 0, names[i], i > 0});
        return true;
    }
    case TRAVERSE_TRACEBACK:
        visit_attr(&w, obj + (uint64_t)L->tb_next, "tb_next");
        visit_attr(&w, obj + (uint64_t)L->tb_frame, "tb_frame");
        return true;
    case TRAVERSE_ASYNCGEN:
        visit_at(&w, obj + (uint64_t)L->asyncgen_finalizer, rel_quiet(rel_inter("ag_origin_or_finalizer")));
        return traverse_generator(&w, obj);
    case TRAVERSE_MEMORYVIEW:
        visit_at(&w, obj + (uint64_t)L->memoryview_mbuf, rel_quiet(rel_inter("mbuf")));
        return true;
    case TRAVERSE_MANAGEDBUFFER:
        visit_at(&w, obj + (uint64_t)L->managedbuffer_obj, rel_quiet(rel_inter("master.obj")));
        return true;
    case TRAVERSE_CODE:
        visit_at(&w, obj + (uint64_t)L->code_consts, rel_quiet(rel_attr("co_consts")));
        return true;
    case TRAVERSE_CONTEXTVAR:
        visit_attr(&w, obj + (uint64_t)L->contextvar_name, "name");
        /* not var_cached: a borrowed reference, which contextvar_tp_traverse
         * leaves out (3.8 to 3.15) */
        visit_at(&w, obj + (uint64_t)L->contextvar_default, rel_quiet(rel_inter("var_default")));
        return true;
    case TRAVERSE_LRU_CACHE:
        return traverse_lru_cache(&w, obj);
    case TRAVERSE_NUMPY_UFUNC:
        return numpy_ufunc_traverse(t, obj, visit, ctx);
    case TRAVERSE_FAMILY:
        /* A subtype's part has visited a managed dict already. */
        if (ti->family->dict && !ti->subtype && traverse_has_managed_dict(t, ti))
            visit_managed_dict(&w, ti, obj);
        return family_traverse(t, ti, obj, visit_unnamed, &w);
    case TRAVERSE_FIELDS: {
        /* The lists count from the 16-byte head of the default build; the
         * free-threaded build's longer head moves every field after it. */
        int64_t shift = py_head_shift(t);
        for (const int64_t *f = ti->fields; *f >= 0; f++)
            visit_at(&w, obj + (uint64_t)(*f + shift), rel_none);
        return true;
    }
    }
    return false;
}
