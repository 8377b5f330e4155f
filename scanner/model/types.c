#include "model/types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "model/families/family.h"
#include "model/pyobj.h"
#include "model/target.h"
#include "model/traverse.h"

void type_table_init(struct type_table *tt)
{
    memset(tt, 0, sizeof *tt);
}

void type_table_free(struct type_table *tt)
{
    for (size_t i = 0; i < tt->naliases; i++)
        free(tt->aliases[i].name);
    free(tt->aliases);
    for (size_t i = 0; i < tt->count; i++) {
        free(tt->v[i].name);
        free(tt->v[i].sizeof_definer);
        free(tt->v[i].plain_name);
        free(tt->v[i].traverse_definer);
        free(tt->v[i].traverse_why);
        free(tt->v[i].slots);
        free(tt->v[i].members);
        for (size_t k = 0; tt->v[i].slot_names && k < tt->v[i].nslots; k++)
            free(tt->v[i].slot_names[k]);
        free(tt->v[i].slot_names);
    }
    free(tt->v);
    for (size_t i = 0; i < tt->ncode_reads; i++)
        free(tt->code_reads[i].code);
    free(tt->code_reads);
    free(tt->code_known);
    free(tt->slot_addr);
    free(tt->slot_index);
    memset(tt, 0, sizeof *tt);
}

static size_t hash_addr(uint64_t a)
{
    a ^= a >> 33;
    a *= 0xff51afd7ed558ccdULL;
    a ^= a >> 33;
    return (size_t)a;
}

static bool index_insert(struct type_table *tt, uint64_t addr, uint32_t idx)
{
    if ((tt->count + 1) * 2 > tt->slots) {
        size_t slots = tt->slots ? tt->slots * 2 : 256;
        uint64_t *a = calloc(slots, sizeof *a);
        uint32_t *x = calloc(slots, sizeof *x);
        if (!a || !x) {
            free(a);
            free(x);
            return false;
        }
        for (size_t i = 0; i < tt->slots; i++) {
            if (!tt->slot_addr[i])
                continue;
            size_t j = hash_addr(tt->slot_addr[i]) & (slots - 1);
            while (a[j])
                j = (j + 1) & (slots - 1);
            a[j] = tt->slot_addr[i];
            x[j] = tt->slot_index[i];
        }
        free(tt->slot_addr);
        free(tt->slot_index);
        tt->slot_addr = a;
        tt->slot_index = x;
        tt->slots = slots;
    }
    size_t j = hash_addr(addr) & (tt->slots - 1);
    while (tt->slot_addr[j])
        j = (j + 1) & (tt->slots - 1);
    tt->slot_addr[j] = addr;
    tt->slot_index[j] = idx;
    return true;
}

bool type_table_find(const struct type_table *tt, uint64_t addr, uint32_t *idx)
{
    if (!tt->slots)
        return false;
    size_t j = hash_addr(addr) & (tt->slots - 1);
    while (tt->slot_addr[j]) {
        if (tt->slot_addr[j] == addr) {
            *idx = tt->slot_index[j];
            return true;
        }
        j = (j + 1) & (tt->slots - 1);
    }
    return false;
}

/* The raw tp_name C string. */
static bool read_tp_name(struct target *t, uint64_t type, char *out, size_t cap)
{
    uint64_t p;
    return mem_u64(t->mem, type + (uint64_t)t->L->tp_name, &p) && p &&
           mem_cstring(t->mem, p, out, cap);
}

static bool type_flags(struct target *t, uint64_t type, uint64_t *flags)
{
    return mem_u64(t->mem, type + (uint64_t)t->L->tp_flags, flags);
}

/* The module and the name of a type, as type.__module__ and type.__name__
 * would give them. */
static void module_and_name(struct target *t, uint64_t type, bool heap, char *module, size_t mcap,
                            char *name, size_t ncap)
{
    const struct py_layout *L = t->L;
    char tp_name[512];
    if (!read_tp_name(t, type, tp_name, sizeof tp_name))
        snprintf(tp_name, sizeof tp_name, "<unreadable type at 0x%llx>", (unsigned long long)type);
    if (heap) {
        uint64_t ht_name, dict;
        if (!mem_u64(t->mem, type + (uint64_t)L->ht_name, &ht_name) ||
            !py_str_utf8(t, ht_name, name, ncap))
            snprintf(name, ncap, "%.255s", tp_name);
        module[0] = '\0';
        if (mem_u64(t->mem, type + (uint64_t)L->tp_dict, &dict)) {
            uint64_t mod = py_dict_get_str(t, dict, "__module__");
            if (!mod || !py_str_utf8(t, mod, module, mcap))
                module[0] = '\0';
        }
        if (!module[0]) /* type.__module__ raises: heapy's own fallback */
            snprintf(module, mcap, "<unknown module>");
        return;
    }
    char *dot = strrchr(tp_name, '.');
    if (dot) {
        *dot = '\0';
        snprintf(module, mcap, "%.255s", tp_name);
        snprintf(name, ncap, "%.255s", dot + 1);
    } else {
        snprintf(module, mcap, "builtins");
        snprintf(name, ncap, "%.255s", tp_name);
    }
}

struct named_type {
    char *key;
    uint64_t type;
};

struct alias_collect {
    struct target *t;
    struct named_type *v;
    size_t n, cap;
    bool oom;
};

/* Keeps the dict entries whose value is a type (its type has the
 * type-subclass flag). */
static bool collect_types(void *p, uint64_t key, uint64_t value)
{
    struct alias_collect *c = p;
    uint64_t flags;
    char name[256];
    if (!type_flags(c->t, py_type_of(c->t, value), &flags) ||
        !(flags & (uint64_t)c->t->L->flag_type_subclass) || !py_str_utf8(c->t, key, name, sizeof name))
        return true;
    if (!GROW(c->v, c->cap, c->n + 1, 64)) {
        c->oom = true;
        return false;
    }
    c->v[c->n].key = strdup(name);
    c->v[c->n].type = value;
    if (!c->v[c->n].key) {
        c->oom = true;
        return false;
    }
    c->n++;
    return true;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct named_type *)a)->key, ((const struct named_type *)b)->key);
}

static int by_type(const void *a, const void *b)
{
    uint64_t x = ((const struct type_alias *)a)->type, y = ((const struct type_alias *)b)->type;
    return x < y ? -1 : x > y;
}

static bool set_alias(struct type_table *tt, uint64_t type, const char *prefix, const char *key)
{
    char buf[300];
    snprintf(buf, sizeof buf, "%s%s", prefix, key);
    for (size_t i = 0; i < tt->naliases; i++) {
        if (tt->aliases[i].type == type) {
            char *s = strdup(buf);
            if (!s)
                return false;
            free(tt->aliases[i].name);
            tt->aliases[i].name = s;
            return true;
        }
    }
    struct type_alias *grown = realloc(tt->aliases, (tt->naliases + 1) * sizeof *grown);
    if (!grown)
        return false;
    tt->aliases = grown;
    tt->aliases[tt->naliases].type = type;
    tt->aliases[tt->naliases].name = strdup(buf);
    return tt->aliases[tt->naliases++].name != NULL;
}

/* heapy's map, built as its Summary_str builds it: the types module's types
 * as "types.<key>", then the builtins' as "<key>", each in key order so that
 * the last key naming a type wins (types.BuiltinMethodType, OSError). */
static bool add_aliases_from(struct type_table *tt, struct target *t, uint64_t dict, const char *prefix)
{
    struct alias_collect c = {t, NULL, 0, 0, false};
    bool ok = true;
    if (dict)
        py_dict_foreach(t, dict, collect_types, &c);
    if (c.oom)
        ok = false;
    if (c.n > 1)
        qsort(c.v, c.n, sizeof *c.v, by_key);
    for (size_t i = 0; i < c.n && ok; i++)
        ok = set_alias(tt, c.v[i].type, prefix, c.v[i].key);
    for (size_t i = 0; i < c.n; i++)
        free(c.v[i].key);
    free(c.v);
    return ok;
}

bool type_table_load_aliases(struct type_table *tt, struct target *t)
{
    const struct py_layout *L = t->L;
    uint64_t modules = 0, builtins = 0, types_dict = 0;
    mem_u64(t->mem, t->interp + (uint64_t)L->interp_modules, &modules);
    mem_u64(t->mem, t->interp + (uint64_t)L->interp_builtins, &builtins);
    uint64_t types_module = modules ? py_dict_get_str(t, modules, "types") : 0;
    if (types_module)
        mem_u64(t->mem, types_module + (uint64_t)L->module_md_dict, &types_dict);
    tt->types_module_seen = types_dict != 0;
    if (!add_aliases_from(tt, t, types_dict, "types.") || !add_aliases_from(tt, t, builtins, ""))
        return false;
    /* structseq_traverse likewise, from sys.float_info's type, when it is not
     * simply tuple's. */
    uint64_t sysdict = 0;
    mem_u64(t->mem, t->interp + (uint64_t)L->interp_sysdict, &sysdict);
    uint64_t float_info = sysdict ? py_dict_get_str(t, sysdict, "float_info") : 0;
    if (float_info) {
        uint64_t type = py_type_of(t, float_info), base = 0, fn = 0, base_fn = 0;
        mem_u64(t->mem, type + (uint64_t)L->tp_traverse, &fn);
        mem_u64(t->mem, type + (uint64_t)L->tp_base, &base);
        if (base)
            mem_u64(t->mem, base + (uint64_t)L->tp_traverse, &base_fn);
        if (fn != base_fn)
            tt->structseq_traverse = fn;
    }
    /* subtype_traverse is static in CPython: learn its address from a class
     * every interpreter defines in Python, importlib's ModuleSpec. */
    uint64_t bootstrap = modules ? py_dict_get_str(t, modules, "_frozen_importlib") : 0, bdict = 0;
    if (bootstrap && mem_u64(t->mem, bootstrap + (uint64_t)L->module_md_dict, &bdict) && bdict) {
        uint64_t spec = py_dict_get_str(t, bdict, "ModuleSpec");
        if (spec)
            mem_u64(t->mem, spec + (uint64_t)L->tp_traverse, &tt->subtype_traverse);
    }
    /* type's tp_is_gc, from the type of builtins' int */
    uint64_t int_type = builtins ? py_dict_get_str(t, builtins, "int") : 0;
    if (int_type)
        mem_u64(t->mem, py_type_of(t, int_type) + (uint64_t)L->tp_is_gc, &tt->type_is_gc);
    if (tt->naliases > 1)
        qsort(tt->aliases, tt->naliases, sizeof *tt->aliases, by_type);
    /* numpy's version and scalar types, before any type is classified. */
    numpy_model_load(&t->numpy, t);
    return true;
}

static const char *alias_of(const struct type_table *tt, uint64_t type)
{
    size_t lo = 0, hi = tt->naliases;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tt->aliases[mid].type == type)
            return tt->aliases[mid].name;
        if (tt->aliases[mid].type < type)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The names the types module gives static types, for a target that never
 * imported it (heapy imports it itself).  Key: tp_name; the minor versions
 * whose types.py defines the name. */
static const struct {
    const char *tp_name, *alias;
    int min_minor, max_minor;
} types_module_names[] = {
    {"async_generator", "types.AsyncGeneratorType", 8, 99},
    {"builtin_function_or_method", "types.BuiltinMethodType", 8, 99},
    {"cell", "types.CellType", 8, 99},
    {"classmethod_descriptor", "types.ClassMethodDescriptorType", 8, 99},
    {"code", "types.CodeType", 8, 99},
    {"coroutine", "types.CoroutineType", 8, 99},
    {"frame", "types.FrameType", 8, 99},
    {"generator", "types.GeneratorType", 8, 99},
    {"getset_descriptor", "types.GetSetDescriptorType", 8, 99},
    {"mappingproxy", "types.MappingProxyType", 8, 99},
    {"member_descriptor", "types.MemberDescriptorType", 8, 99},
    {"method_descriptor", "types.MethodDescriptorType", 8, 99},
    {"method", "types.MethodType", 8, 99},
    {"method-wrapper", "types.MethodWrapperType", 8, 99},
    {"traceback", "types.TracebackType", 8, 99},
    {"wrapper_descriptor", "types.WrapperDescriptorType", 8, 99},
    {"ellipsis", "types.EllipsisType", 10, 99},
    {"NoneType", "types.NoneType", 10, 99},
    {"NotImplementedType", "types.NotImplementedType", 10, 99},
    {"PyCapsule", "types.CapsuleType", 14, 99},
};

/* heapy's Summary_str.str_type: function and module are short, then the
 * alias map, else "<module>.<__name__>". */
static char *heapy_name(const struct type_table *tt, struct target *t, uint64_t type, bool heap)
{
    char module[256], name[256], out[520];
    if (!heap) {
        char tp_name[64];
        if (read_tp_name(t, type, tp_name, sizeof tp_name) &&
            (strcmp(tp_name, "function") == 0 || strcmp(tp_name, "module") == 0))
            return strdup(tp_name);
    }
    const char *alias = alias_of(tt, type);
    if (alias)
        return strdup(alias);
    if (!heap && !tt->types_module_seen) {
        char tp_name[64];
        if (read_tp_name(t, type, tp_name, sizeof tp_name))
            for (size_t i = 0; i < sizeof types_module_names / sizeof types_module_names[0]; i++)
                if (strcmp(tp_name, types_module_names[i].tp_name) == 0 &&
                    t->minor >= types_module_names[i].min_minor &&
                    t->minor <= types_module_names[i].max_minor)
                    return strdup(types_module_names[i].alias);
    }
    module_and_name(t, type, heap, module, sizeof module, name, sizeof name);
    snprintf(out, sizeof out, "%s.%s", module, name);
    return strdup(out);
}

/* Does the static type list __sizeof__ among its tp_methods? */
static bool methods_define_sizeof(struct target *t, uint64_t type)
{
    const struct py_layout *L = t->L;
    uint64_t methods;
    if (!mem_u64(t->mem, type + (uint64_t)L->tp_methods, &methods) || !methods)
        return false;
    for (int i = 0; i < 1000; i++) {
        uint64_t ml_name;
        if (!mem_u64(t->mem, methods + (uint64_t)(i * L->methoddef_size + L->methoddef_ml_name),
                     &ml_name) ||
            !ml_name)
            return false;
        char buf[16];
        if (mem_cstring(t->mem, ml_name, buf, sizeof buf) && strcmp(buf, "__sizeof__") == 0)
            return true;
    }
    return false;
}

/* Finds the first class of type's MRO that defines __sizeof__. */
static void classify_sizeof(struct target *t, struct type_info *ti)
{
    const struct py_layout *L = t->L;
    ti->size_kind = SIZE_UNMODELLED;
    uint64_t mro;
    int64_t n;
    if (!mem_u64(t->mem, ti->addr + (uint64_t)L->tp_mro, &mro) || !mro ||
        !mem_i64(t->mem, mro + (uint64_t)L->ob_size, &n) || n <= 0 || n > 4096)
        return;
    for (int64_t i = 0; i < n; i++) {
        uint64_t base, flags;
        if (!mem_u64(t->mem, mro + (uint64_t)L->tuple_ob_item + (uint64_t)i * 8, &base) ||
            !type_flags(t, base, &flags))
            return;
        bool defines;
        bool python_level = false;
        if (flags & (uint64_t)L->flag_heaptype) {
            uint64_t dict, fn = 0;
            if (mem_u64(t->mem, base + (uint64_t)L->tp_dict, &dict) && dict)
                fn = py_dict_get_str(t, dict, "__sizeof__");
            defines = fn != 0;
            if (defines) {
                char tn[64];
                uint64_t ft = py_type_of(t, fn);
                /* A method descriptor comes from C (PyType_FromSpec); anything
                 * else is Python code the scanner cannot run. */
                python_level = !(read_tp_name(t, ft, tn, sizeof tn) && strcmp(tn, "method_descriptor") == 0);
            }
        } else {
            defines = methods_define_sizeof(t, base);
        }
        if (!defines)
            continue;
        char definer[256];
        if (!read_tp_name(t, base, definer, sizeof definer))
            return;
        ti->sizeof_definer = strdup(python_level ? "<python code>" : definer);
        if (python_level)
            return;
        /* object.__sizeof__ is the rule every other one builds on. */
        if (strcmp(definer, "object") == 0) {
            ti->size_kind = SIZE_OBJECT;
            return;
        }
        const struct family_entry *e = family_find_size(t, definer);
        if (e) {
            ti->size_family = e;
            ti->size_kind = family_size_kind(e);
            if (!e->by_layout)
                ti->family_basicsize = (int64_t)u64_at(t, base + (uint64_t)t->L->tp_basicsize) - py_head_shift(t);
        }
        return;
    }
}

/* Whether type's MRO holds the class module.name. */
static bool mro_has(struct target *t, uint64_t type, const char *module, const char *name)
{
    const struct py_layout *L = t->L;
    uint64_t mro = u64_at(t, type + (uint64_t)L->tp_mro), flags;
    int64_t n = mro ? (int64_t)u64_at(t, mro + (uint64_t)L->ob_size) : 0;
    for (int64_t i = 0; i < n && i < 4096; i++) {
        uint64_t base = u64_at(t, mro + (uint64_t)L->tuple_ob_item + (uint64_t)i * 8);
        char m[256], nm[256];
        if (!base || !type_flags(t, base, &flags))
            return false;
        module_and_name(t, base, (flags & (uint64_t)L->flag_heaptype) != 0, m, sizeof m, nm, sizeof nm);
        if (strcmp(m, module) == 0 && strcmp(nm, name) == 0)
            return true;
    }
    return false;
}

/* str(type) as pympler shows it: without "<class '...'>", module.name or a
 * builtin's bare name; an enum class keeps its metaclass's repr,
 * "<enum 'Name'>" ("<flag 'Name'>" for flags, 3.11+). */
static char *plain_name(struct target *t, uint64_t type, bool heap)
{
    char module[256], name[256], joined[520], mm[256], mn[256];
    module_and_name(t, type, heap, module, sizeof module, name, sizeof name);
    uint64_t meta = py_type_of(t, type), meta_flags = 0;
    if (meta && type_flags(t, meta, &meta_flags) && (meta_flags & (uint64_t)t->L->flag_heaptype)) {
        module_and_name(t, meta, true, mm, sizeof mm, mn, sizeof mn);
        if (strcmp(mm, "enum") == 0 && (strcmp(mn, "EnumType") == 0 || strcmp(mn, "EnumMeta") == 0)) {
            bool flag = t->minor >= 11 && mro_has(t, type, "enum", "Flag");
            snprintf(joined, sizeof joined, "<%s '%s'>", flag ? "flag" : "enum", name);
            return strdup(joined);
        }
    }
    if (strcmp(module, "builtins") == 0)
        snprintf(joined, sizeof joined, "%s", name);
    else
        snprintf(joined, sizeof joined, "%s.%s", module, name);
    return strdup(joined);
}

uint32_t type_table_intern(struct type_table *tt, struct target *t, uint64_t addr)
{
    uint32_t idx;
    if (type_table_find(tt, addr, &idx))
        return idx;
    const struct py_layout *L = t->L;
    struct type_info ti;
    memset(&ti, 0, sizeof ti);
    ti.addr = addr;
    if (!addr || !type_flags(t, addr, &ti.flags) ||
        !mem_i64(t->mem, addr + (uint64_t)L->tp_basicsize, &ti.basicsize) ||
        !mem_i64(t->mem, addr + (uint64_t)L->tp_itemsize, &ti.itemsize))
        return UINT32_MAX;
    ti.heaptype = (ti.flags & (uint64_t)L->flag_heaptype) != 0;
    {
        char tp_name[8];
        ti.exact_dict = !ti.heaptype && read_tp_name(t, addr, tp_name, sizeof tp_name) &&
                        strcmp(tp_name, "dict") == 0;
    }
    ti.name = heapy_name(tt, t, addr, ti.heaptype);
    if (!ti.name)
        return UINT32_MAX;
    ti.plain_name = plain_name(t, addr, ti.heaptype);
    classify_sizeof(t, &ti);
    traverse_describe(tt, t, &ti);
    if (!GROW(tt->v, tt->cap, tt->count + 1, 256)) {
        free(ti.name);
        free(ti.sizeof_definer);
        return UINT32_MAX;
    }
    idx = (uint32_t)tt->count;
    tt->v[tt->count++] = ti;
    if (!index_insert(tt, addr, idx))
        return UINT32_MAX;
    return idx;
}

bool type_table_append(struct type_table *tt, const struct type_info *ti)
{
    if (!GROW(tt->v, tt->cap, tt->count + 1, 256))
        return false;
    uint32_t idx = (uint32_t)tt->count;
    tt->v[tt->count++] = *ti;
    return index_insert(tt, ti->addr, idx);
}
