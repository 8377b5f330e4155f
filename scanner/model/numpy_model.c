#include "model/numpy_model.h"

#include <stdio.h>
#include <string.h>

#include "model/pyobj.h"
#include "model/target.h"

static bool tp_name_is(struct target *t, uint64_t type, const char *name)
{
    char buf[64];
    uint64_t p = u64_at(t, type + (uint64_t)t->L->tp_name);
    return p && mem_cstring(t->mem, p, buf, sizeof buf) && strcmp(buf, name) == 0;
}

/* The __dict__ of module name in sys.modules, 0 when not imported. */
static uint64_t module_dict(struct target *t, const char *name)
{
    uint64_t modules = u64_at(t, t->interp + (uint64_t)t->L->interp_modules);
    uint64_t mod = modules ? py_dict_get_str(t, modules, name) : 0;
    return mod ? u64_at(t, mod + (uint64_t)t->L->module_md_dict) : 0;
}

/* The field of a struct sequence named name, found through its type's
 * tp_members (numpy 1.x typeinfo entries differ in their fields: typeinfo
 * and typeinforanged).  0 when it has none. */
static uint64_t structseq_field(struct target *t, uint64_t obj, const char *name)
{
    const struct py_layout *L = t->L;
    uint64_t members = u64_at(t, py_type_of(t, obj) + (uint64_t)L->tp_members);
    for (int i = 0; members && i < 64; i++) {
        uint64_t m = members + (uint64_t)(i * L->memberdef_size);
        uint64_t name_ptr = u64_at(t, m); /* PyMemberDef starts with its name */
        char buf[32];
        if (!name_ptr)
            return 0;
        if (mem_cstring(t->mem, name_ptr, buf, sizeof buf) && strcmp(buf, name) == 0)
            return u64_at(t, obj + u64_at(t, m + (uint64_t)L->memberdef_offset));
    }
    return 0;
}

static bool derives_from_dtype(struct target *t, uint64_t type)
{
    for (int depth = 0; type && depth < 32; depth++) {
        if (tp_name_is(t, type, "numpy.dtype"))
            return true;
        type = u64_at(t, type + (uint64_t)t->L->tp_base);
    }
    return false;
}

int64_t numpy_int_of_size(struct target *t, uint64_t addr, int64_t size)
{
    if (size == 4) {
        int32_t v = 0;
        mem_read(t->mem, addr, &v, sizeof v);
        return v;
    }
    return (int64_t)u64_at(t, addr);
}

static void add_scalar_type(struct numpy_model *np, uint64_t type, int64_t elsize, char kind)
{
    if (!type || elsize < 0 || np->nscalars == NUMPY_MAX_SCALAR_TYPES)
        return;
    for (size_t i = 0; i < np->nscalars; i++)
        if (np->scalars[i].type == type)
            return;
    np->scalars[np->nscalars++] = (struct numpy_scalar_type){type, elsize, kind};
}

struct typeinfo_walk {
    struct numpy_model *np;
    struct target *t;
};

/* One entry of numpy's typeinfo: a struct sequence (char, num, bits, ...,
 * type) up to numpy 1.x, the builtin dtype itself from numpy 2.0 on; the
 * abstract scalar types (generic, number...) are skipped. */
static bool typeinfo_entry(void *ctx, uint64_t key, uint64_t value)
{
    struct typeinfo_walk *w = ctx;
    struct target *t = w->t;
    const struct numpy_layout *NL = w->np->NL;
    (void)key;
    uint64_t bits = structseq_field(t, value, "bits");
    uint64_t type = structseq_field(t, value, "type");
    if (bits && type) {
        int64_t n;
        char kind[8] = "";
        uint64_t ch = structseq_field(t, value, "char");
        if (ch)
            py_str_utf8(t, ch, kind, sizeof kind);
        if (py_long_value(t, bits, &n))
            add_scalar_type(w->np, type, n / 8, kind[0]);
    } else if (derives_from_dtype(t, py_type_of(t, value))) {
        char kind = 0;
        mem_read(t->mem, value + (uint64_t)NL->descr_kind, &kind, 1);
        add_scalar_type(w->np, u64_at(t, value + (uint64_t)NL->descr_typeobj),
                        numpy_int_of_size(t, value + (uint64_t)NL->descr_elsize, NL->descr_elsize_size), kind);
    }
    return true;
}

void numpy_model_load(struct numpy_model *np, struct target *t)
{
    memset(np, 0, sizeof *np);
    uint64_t numpy_dict = module_dict(t, "numpy");
    if (!numpy_dict)
        return;
    np->present = true;
    uint64_t version = py_dict_get_str(t, numpy_dict, "__version__");
    int major, minor;
    if (!version || !py_str_utf8(t, version, np->version, sizeof np->version) ||
        sscanf(np->version, "%d.%d", &major, &minor) != 2) {
        snprintf(np->version, sizeof np->version, "(unreadable version)");
        major = minor = -1;
    }
    np->NL = numpy_layout_find(major, minor);
    if (!np->NL) {
        char known[256];
        numpy_layout_keys(known, sizeof known);
        fprintf(stderr,
                "pyheapscan: warning: numpy %s has no layout in this build (there are layouts for "
                "numpy %s): its arrays and scalars keep basic sizes, flagged as not modelled\n",
                np->version, known[0] ? known : "none");
        return;
    }
    /* The C core is numpy._core._multiarray_umath since numpy 2.0. */
    uint64_t core = module_dict(t, "numpy._core._multiarray_umath");
    if (!core)
        core = module_dict(t, "numpy.core._multiarray_umath");
    uint64_t typeinfo = core ? py_dict_get_str(t, core, "typeinfo") : 0;
    struct typeinfo_walk w = {np, t};
    if (typeinfo)
        py_dict_foreach(t, typeinfo, typeinfo_entry, &w);
}

const struct numpy_scalar_type *numpy_scalar_type_of(const struct numpy_model *np, struct target *t,
                                                     uint64_t type)
{
    for (int depth = 0; type && depth < 32; depth++) {
        for (size_t i = 0; i < np->nscalars; i++)
            if (np->scalars[i].type == type)
                return &np->scalars[i];
        type = u64_at(t, type + (uint64_t)t->L->tp_base);
    }
    return NULL;
}
