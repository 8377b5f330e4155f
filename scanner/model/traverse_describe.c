/* Which traversal a type's instances get, decided once per type from its
 * tp_traverse and the class that brought it (the "definer"): one of the
 * interpreter's own families (model/objects/), a table of fixed fields, a
 * family of the standard library (model/families/), or none the scanner
 * knows. */
#include "model/traverse.h"

#include <stdlib.h>
#include <string.h>

#include "model/families/family.h"
#include "model/pyobj.h"

static const struct {
    const char *definer;
    enum traverse_kind kind;
} known_traverse[] = {
    {"tuple", TRAVERSE_TUPLE},
    {"list", TRAVERSE_LIST},
    {"dict", TRAVERSE_DICT},
    {"frozendict", TRAVERSE_DICT},
    {"set", TRAVERSE_SET},
    {"frozenset", TRAVERSE_SET},
    {"type", TRAVERSE_TYPE},
    {"function", TRAVERSE_FUNCTION},
    {"cell", TRAVERSE_CELL},
    {"method", TRAVERSE_METHOD},
    {"method_descriptor", TRAVERSE_DESCR},
    {"classmethod_descriptor", TRAVERSE_DESCR},
    {"getset_descriptor", TRAVERSE_DESCR},
    {"member_descriptor", TRAVERSE_DESCR},
    {"wrapper_descriptor", TRAVERSE_DESCR},
    {"classmethod", TRAVERSE_CLASSMETHOD},
    {"staticmethod", TRAVERSE_CLASSMETHOD},
    {"property", TRAVERSE_PROPERTY},
    {"builtin_function_or_method", TRAVERSE_CFUNCTION},
    {"weakref", TRAVERSE_WEAKREF},
    {"weakref.ReferenceType", TRAVERSE_WEAKREF},
    {"weakproxy", TRAVERSE_WEAKREF},
    {"weakref.ProxyType", TRAVERSE_WEAKREF},
    {"weakcallableproxy", TRAVERSE_WEAKREF},
    {"weakref.CallableProxyType", TRAVERSE_WEAKREF},
    {"module", TRAVERSE_MODULE},
    {"types.SimpleNamespace", TRAVERSE_NAMESPACE},
    {"slice", TRAVERSE_SLICE},
    {"mappingproxy", TRAVERSE_MAPPINGPROXY},
    {"method-wrapper", TRAVERSE_METHODWRAPPER},
    {"collections.defaultdict", TRAVERSE_DEFAULTDICT},
    {"collections.OrderedDict", TRAVERSE_ODICT},
    {"collections.deque", TRAVERSE_DEQUE},
    {"generator", TRAVERSE_GENERATOR},
    {"coroutine", TRAVERSE_GENERATOR},
    {"frame", TRAVERSE_FRAME},
    {"functools._lru_cache_wrapper", TRAVERSE_LRU_CACHE},
    {"_contextvars.ContextVar", TRAVERSE_CONTEXTVAR},
    {"ContextVar", TRAVERSE_CONTEXTVAR}, /* its tp_name up to 3.9 */
    {"async_generator", TRAVERSE_ASYNCGEN},
    {"BaseException", TRAVERSE_EXCEPTION},
    {"traceback", TRAVERSE_TRACEBACK},
    {"memoryview", TRAVERSE_MEMORYVIEW},
    {"managedbuffer", TRAVERSE_MANAGEDBUFFER},
    {"numpy.ufunc", TRAVERSE_NUMPY_UFUNC},
    {"code", TRAVERSE_CODE},
};

/* C types whose traverse visits a fixed set of object fields (and, as heap
 * types, their type).  Offsets follow from the structs in CPython's Modules/
 * (not installed headers): verified against gc.get_referents by the
 * object-model test on every fleet interpreter. */
static const int64_t abc_data_fields[] = {16, 24, 32, -1};   /* registry, cache, negative cache */
static const int64_t tuplegetter_fields[] = {24, -1};        /* doc (after the index) */
static const int64_t no_fields[] = {-1};                     /* only the type */
static const int64_t alias_fields[] = {16, 24, 32, -1};      /* origin, args, parameters */
static const int64_t union_fields[] = {16, 24, -1};          /* args, parameters */
static const int64_t union314_fields[] = {16, 24, 32, 40, -1}; /* args, (un)hashable args, parameters */
static const int64_t count_fields[] = {24, 32, -1};          /* long_cnt, long_step */
/* _json.Scanner {strict, object_hook, object_pairs_hook, parse_float,
 * parse_int, parse_constant} and then: 3.9-3.12 a memo dict (3.8 has it but
 * its traverse leaves it out; 3.13 dropped it), 3.15 an array_hook. */
static const int64_t scanner_fields[] = {24, 32, 40, 48, 56, 64, -1};
static const int64_t scanner_hook_fields[] = {24, 32, 40, 48, 56, -1};
static const int64_t pattern_fields[] = {32, 40, 48, -1};    /* groupindex, indexgroup, pattern */
/* Modules/_io: textio {head, ok, detached, chunk_size, buffer, encoding,
 * encoder, decoder, readnl, errors, writenl, 9 flags, encodefunc,
 * encoding_start_of_stream, decoded_chars, used, pending_bytes, count,
 * snapshot, b2cratio, raw, weakreflist, dict}; fileio keeps its dict after
 * fd, flags, blksize and weakreflist; buffered its raw first and its dict
 * after buffer_size and buffer_mask. */
static const int64_t textio_fields[] = {32, 40, 48, 56, 64, 72, 120, 136, 152, 168, 184, -1};
static const int64_t fileio_fields[] = {40, -1};
static const int64_t buffered_fields[] = {16, 136, -1};
/* Modules/_threadmodule.c localobject (3.13+): {head, args, kw, weakreflist,
 * localdicts, thread_watchdogs}. */
static const int64_t local313_fields[] = {16, 24, 40, 48, -1};
/* _struct.Struct: s_format after s_size, s_len, s_codes.  functools.partial:
 * fn, args, kw, dict.  operator.attrgetter/itemgetter: the attr or item after
 * a count; methodcaller: name (from 3.10), args, kwds.  ast.AST: its dict. */
static const int64_t struct_fields[] = {40, -1};
static const int64_t partial_fields[] = {16, 24, 32, 40, -1};
static const int64_t getter_fields[] = {24, -1};
static const int64_t methodcaller_fields[] = {16, 24, 32, -1};
static const int64_t methodcaller_fields_39[] = {24, 32, -1};  /* 3.8, 3.9: not the name */
static const int64_t ast_fields[] = {16, -1};
/* 3.15 lazy_import (PEP 810, Objects/lazyimportobject.c): builtins, from,
 * attr, code. */
static const int64_t lazy_import_fields[] = {16, 24, 32, 40, -1};
static const struct {
    const char *definer;
    const int64_t *fields;
    int min_minor, max_minor;
} field_traverses[] = {
    {"_abc._abc_data", abc_data_fields, 8, 99},
    {"_collections._tuplegetter", tuplegetter_fields, 8, 99},
    {"collections._tuplegetter", tuplegetter_fields, 8, 99},
    {"_thread.lock", no_fields, 8, 99},
    {"_thread.RLock", no_fields, 8, 99},
    {"types.GenericAlias", alias_fields, 8, 99},
    {"types.UnionType", union_fields, 8, 13},
    {"typing.Union", union314_fields, 14, 99},
    {"itertools.count", count_fields, 8, 99},
    {"_json.Scanner", scanner_hook_fields, 8, 8},
    {"_json.Scanner", scanner_fields, 9, 12},
    {"_json.Scanner", scanner_hook_fields, 13, 14},
    {"_json.Scanner", scanner_fields, 15, 99},
    {"re.Pattern", pattern_fields, 8, 99},
    {"_io.TextIOWrapper", textio_fields, 8, 99},
    {"_io.FileIO", fileio_fields, 8, 99},
    {"_io.BufferedReader", buffered_fields, 8, 99},
    {"_io.BufferedWriter", buffered_fields, 8, 99},
    {"_io.BufferedRandom", buffered_fields, 8, 99},
    {"_thread._local", local313_fields, 13, 99},
    {"_struct.Struct", struct_fields, 8, 99},
    {"functools.partial", partial_fields, 8, 99},
    {"operator.attrgetter", getter_fields, 8, 99},
    {"operator.itemgetter", getter_fields, 8, 99},
    {"operator.methodcaller", methodcaller_fields_39, 8, 9},
    {"operator.methodcaller", methodcaller_fields, 10, 13}, /* 14+: families/traverse_library.c */
    {"ast.AST", ast_fields, 8, 99},
    {"_ast.AST", ast_fields, 8, 99},
    {"lazy_import", lazy_import_fields, 15, 15},
};

static char *tp_name_of(struct target *t, uint64_t type)
{
    char buf[256];
    uint64_t p;
    if (!mem_u64(t->mem, type + (uint64_t)t->L->tp_name, &p) || !p ||
        !mem_cstring(t->mem, p, buf, sizeof buf))
        return strdup("?");
    return strdup(buf);
}

static bool add_slot(struct type_info *ti, int64_t offset, const char *name)
{
    int64_t *grown = realloc(ti->slots, (ti->nslots + 1) * sizeof *grown);
    if (!grown)
        return false;
    ti->slots = grown;
    char **names = realloc(ti->slot_names, (ti->nslots + 1) * sizeof *names);
    if (!names)
        return false;
    ti->slot_names = names;
    ti->slot_names[ti->nslots] = strdup(name);
    ti->slots[ti->nslots++] = offset;
    return true;
}

/* The T_OBJECT_EX members a heap type adds (its __slots__). */
static void collect_slots(struct target *t, uint64_t type, struct type_info *ti)
{
    const struct py_layout *L = t->L;
    int64_t n = (int64_t)u64_at(t, type + (uint64_t)L->ob_size);
    uint64_t meta = u64_at(t, type + (uint64_t)L->ob_type);
    int64_t meta_basicsize = (int64_t)u64_at(t, meta + (uint64_t)L->tp_basicsize);
    if (n <= 0 || n > 4096 || meta_basicsize <= 0)
        return;
    uint64_t members = type + (uint64_t)meta_basicsize;
    for (int64_t i = 0; i < n; i++) {
        uint64_t m = members + (uint64_t)(i * L->memberdef_size);
        int32_t kind = 0;
        mem_read(t->mem, m + (uint64_t)L->memberdef_type, &kind, sizeof kind);
        /* PyMemberDef starts with its name in every version. */
        char name[128] = "?";
        uint64_t name_ptr = u64_at(t, m);
        if (name_ptr)
            mem_cstring(t->mem, name_ptr, name, sizeof name);
        if (kind == L->member_t_object_ex)
            add_slot(ti, (int64_t)u64_at(t, m + (uint64_t)L->memberdef_offset), name);
    }
}

/* Heap C types (3.12+, Objects/typevarobject.c) whose traverse leaves
 * Py_TYPE(self) out, against the rule (found by the zoo test, through
 * 3.15). */
static const char *const traverse_without_type[] = {"typing.ParamSpecArgs", "typing.ParamSpecKwargs"};

/* The class that brought the traverse function fn to type: the topmost
 * base that still shares it. */
static uint64_t traverse_definer(struct target *t, uint64_t type, uint64_t fn)
{
    uint64_t definer = type;
    for (int depth = 0; depth < 256; depth++) {
        uint64_t up = u64_at(t, definer + (uint64_t)t->L->tp_base);
        if (!up || u64_at(t, up + (uint64_t)t->L->tp_traverse) != fn)
            break;
        definer = up;
    }
    return definer;
}

/* Whether fn, the traverse of type, visits Py_TYPE(self) (3.9+): the
 * class that brought it (the topmost base sharing it) must be a heap type
 * (PyType_FromSpec's convention), and not one of the exceptions above. */
static bool traverse_visits_type(struct target *t, uint64_t type, uint64_t fn)
{
    uint64_t definer = traverse_definer(t, type, fn);
    if (!(u64_at(t, definer + (uint64_t)t->L->tp_flags) & (uint64_t)t->L->flag_heaptype))
        return false;
    char *name = tp_name_of(t, definer);
    bool visits = true;
    for (size_t i = 0; name && i < sizeof traverse_without_type / sizeof traverse_without_type[0]; i++)
        visits &= strcmp(name, traverse_without_type[i]) != 0;
    free(name);
    return visits;
}

void traverse_describe(struct type_table *tt, struct target *t, struct type_info *ti)
{
    const struct py_layout *L = t->L;
    ti->gc_type = (ti->flags & (uint64_t)L->flag_have_gc) != 0;
    ti->gc_if_heap = u64_at(t, ti->addr + (uint64_t)L->tp_is_gc) != 0;
    ti->dictoffset = (int64_t)u64_at(t, ti->addr + (uint64_t)L->tp_dictoffset);
    ti->traverse = TRAVERSE_NONE;
    uint64_t fn = u64_at(t, ti->addr + (uint64_t)L->tp_traverse);
    if (!ti->gc_type || !fn)
        return;
    uint64_t base = ti->addr;
    ti->subtype = tt->subtype_traverse && fn == tt->subtype_traverse;
    if (ti->subtype) {
        for (int depth = 0; depth < 256 && base; depth++) {
            uint64_t f = u64_at(t, base + (uint64_t)L->tp_traverse);
            if (f != tt->subtype_traverse)
                break;
            collect_slots(t, base, ti);
            base = u64_at(t, base + (uint64_t)L->tp_base);
        }
        int64_t base_offset = base ? (int64_t)u64_at(t, base + (uint64_t)L->tp_dictoffset) : 0;
        ti->dict_by_offset = ti->dictoffset != base_offset;
        uint64_t base_flags = base ? u64_at(t, base + (uint64_t)L->tp_flags) : 0;
        uint64_t base_fn = base ? u64_at(t, base + (uint64_t)L->tp_traverse) : 0;
        /* 3.8 visits it whatever the base (3.8's SSLError, a heap C base:
         * found by the zoo test). */
        ti->visit_type = ti->heaptype && (t->minor < 9 || !base_fn || !(base_flags & (uint64_t)L->flag_heaptype));
        /* A heap C type's own traverse visits Py_TYPE(self): this very
         * type; one it inherits from a static type (3.9-3.11's SSLError
         * keeps OSError's) does not, and subtype_traverse leaves the type
         * to it all the same (found by the zoo test). */
        ti->visit_own_type = base_fn && t->minor >= 9 && traverse_visits_type(t, base, base_fn);
        fn = base_fn;
        if (!fn)
            return; /* only the subtype part */
    }
    if (tt->structseq_traverse && fn == tt->structseq_traverse) {
        ti->traverse = TRAVERSE_STRUCTSEQ;
        ti->traverse_definer = tp_name_of(t, base);
        ti->visit_own_type = t->minor >= 9 && ti->heaptype;
        return;
    }
    uint64_t definer = traverse_definer(t, base, fn);
    ti->traverse_definer = tp_name_of(t, definer);
    ti->traverse = TRAVERSE_OPAQUE;
    for (size_t k = 0; k < sizeof known_traverse / sizeof known_traverse[0]; k++)
        if (ti->traverse_definer && strcmp(known_traverse[k].definer, ti->traverse_definer) == 0)
            ti->traverse = known_traverse[k].kind;
    if (ti->traverse == TRAVERSE_NUMPY_UFUNC && !t->numpy.NL)
        ti->traverse = TRAVERSE_OPAQUE; /* no layout for this numpy */
    for (size_t k = 0; k < sizeof field_traverses / sizeof field_traverses[0]; k++)
        if (ti->traverse_definer && strcmp(field_traverses[k].definer, ti->traverse_definer) == 0 &&
            t->minor >= field_traverses[k].min_minor && t->minor <= field_traverses[k].max_minor) {
            ti->traverse = TRAVERSE_FIELDS;
            ti->fields = field_traverses[k].fields;
        }
    /* A field past the definer's own size would be read from the next block
     * of the heap (the 3.13 scanner lost the 3.12 one's memo): a table that
     * does not fit this build leaves the type unmodelled, never guessed. */
    if (ti->traverse == TRAVERSE_FIELDS) {
        int64_t size = (int64_t)u64_at(t, definer + (uint64_t)L->tp_basicsize);
        for (const int64_t *f = ti->fields; *f >= 0; f++)
            if (*f + 8 > size)
                ti->traverse = TRAVERSE_OPAQUE;
    }
    if (ti->traverse == TRAVERSE_OPAQUE && ti->traverse_definer &&
        (ti->family = family_find_traverse(ti->traverse_definer, t->minor)) &&
        !family_fields_fit(ti->family, (int64_t)u64_at(t, definer + (uint64_t)L->tp_basicsize)))
        ti->family = NULL; /* as for the field tables above */
    if (ti->family) {
        ti->traverse = TRAVERSE_FAMILY;
        ti->family_basicsize = (int64_t)u64_at(t, definer + (uint64_t)L->tp_basicsize) - py_head_shift(t);
        if (ti->family->members)
            family_read_members(t, definer, ti);
    }
    /* Since 3.9 the traverse of a heap type (PyType_FromSpec) visits the
     * type; the definer tells whether the C type is one. */
    if (!ti->subtype)
        ti->visit_own_type = t->minor >= 9 && traverse_visits_type(t, definer, fn) && ti->traverse != TRAVERSE_TYPE;
}
