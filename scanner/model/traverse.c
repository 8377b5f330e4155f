#include "traverse.h"

#include <stdlib.h>
#include <string.h>

#include "numpy_traverse.h"
#include "family.h"
#include "pyobj.h"

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
 * a count; methodcaller: name, args, kwds.  ast.AST: its dict. */
static const int64_t struct_fields[] = {40, -1};
static const int64_t partial_fields[] = {16, 24, 32, 40, -1};
static const int64_t getter_fields[] = {24, -1};
static const int64_t methodcaller_fields[] = {16, 24, 32, -1};
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
    {"operator.methodcaller", methodcaller_fields, 8, 13}, /* 14+: families/traverse_library.c */
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
        /* A heap C base's traverse visits Py_TYPE(self): this very type. */
        ti->visit_own_type = base_fn && (base_flags & (uint64_t)L->flag_heaptype) && t->minor >= 9;
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
    /* The class that brought this traverse function: the topmost base that
     * still shares it. */
    uint64_t definer = base;
    for (int depth = 0; depth < 256; depth++) {
        uint64_t up = u64_at(t, definer + (uint64_t)L->tp_base);
        if (!up || u64_at(t, up + (uint64_t)L->tp_traverse) != fn)
            break;
        definer = up;
    }
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
        ti->family_basicsize = (int64_t)u64_at(t, definer + (uint64_t)L->tp_basicsize);
        if (ti->family->members)
            family_read_members(t, definer, ti);
    }
    /* Since 3.9 the traverse of a heap type (PyType_FromSpec) visits the
     * type; the definer tells whether the C type is one. */
    uint64_t definer_flags = u64_at(t, definer + (uint64_t)L->tp_flags);
    if (!ti->subtype)
        ti->visit_own_type = t->minor >= 9 && (definer_flags & (uint64_t)L->flag_heaptype) &&
                             ti->traverse != TRAVERSE_TYPE;
}

bool traverse_is_gc(struct target *t, const struct type_info *ti, uint64_t obj)
{
    if (!ti->gc_type)
        return false;
    if (!ti->gc_if_heap)
        return true;
    return (u64_at(t, obj + (uint64_t)t->L->tp_flags) & (uint64_t)t->L->flag_heaptype) != 0;
}

struct walker {
    struct target *t;
    uint64_t obj;  /* the object traversed, named when its memory is damaged */
    visit_fn visit;
    void *ctx;
    bool quiet;  /* inside a generator: heapy relates none of it */
};

static void emit(struct walker *w, uint64_t referent, struct relation rel)
{
    if (w->quiet)
        rel.quiet = true;
    w->visit(w->ctx, referent, rel);
}

static void visit_at(struct walker *w, uint64_t addr, struct relation rel)
{
    uint64_t p = u64_at(w->t, addr);
    if (p)
        emit(w, p, rel);
}

static void visit_attr(struct walker *w, uint64_t addr, const char *name)
{
    visit_at(w, addr, rel_attr(name));
}

static void visit_inter(struct walker *w, uint64_t addr, const char *name)
{
    visit_at(w, addr, rel_inter(name));
}

/* A family's referent (model/families/family.h): heapy's relate names none. */
static void visit_unnamed(void *ctx, uint64_t referent)
{
    emit(ctx, referent, rel_none);
}

/* items[0 .. n), each related by kind with its position + first.  A count
 * that claims more memory than there is visits nothing. */
static void visit_array(struct walker *w, uint64_t items, int64_t n, enum relation_kind kind,
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

struct dict_walk {
    struct walker *w;
    uint64_t position;
    enum relation_kind key;  /* REL_KEY, or REL_KEY_UNSEEN when gc does not visit the keys */
};

/* heapy names a key by its position among the entries, a value by its key. */
static bool dict_entry(void *ctx, uint64_t key, uint64_t value)
{
    struct dict_walk *d = ctx;
    emit(d->w, key, rel_num(d->key, d->position++));
    emit(d->w, value, (struct relation){REL_VALUE, key, NULL, false});
    return true;
}

static bool traverse_dict(struct walker *w, uint64_t obj)
{
    struct dict_walk d = {w, 0, py_dict_str_keys(w->t, obj) ? REL_KEY_UNSEEN : REL_KEY};
    return py_dict_foreach(w->t, obj, dict_entry, &d);
}

static bool traverse_set(struct walker *w, uint64_t obj)
{
    const struct py_layout *L = w->t->L;
    uint64_t table = u64_at(w->t, obj + (uint64_t)L->set_table);
    int64_t mask = (int64_t)u64_at(w->t, obj + (uint64_t)L->set_mask);
    if (!table || mask < 0 ||
        !target_items(w->t, table, (uint64_t)mask + 1, (uint64_t)L->setentry_size, "set", obj))
        return false;
    uint64_t position = 0;
    for (int64_t i = 0; i <= mask; i++) {
        uint64_t key = u64_at(w->t, table + (uint64_t)(i * L->setentry_size));
        if (!key)
            continue;
        /* The dummy marking deleted slots is a static object of its own type. */
        uint64_t type = py_type_of(w->t, key);
        uint64_t name = u64_at(w->t, type + (uint64_t)L->tp_name);
        char buf[32];
        if (name && mem_cstring(w->t->mem, name, buf, sizeof buf) && strcmp(buf, "<dummy key> type") == 0)
            continue;
        emit(w, key, rel_num(REL_INSET, position++));
    }
    return true;
}

static bool traverse_deque(struct walker *w, uint64_t obj)
{
    const struct py_layout *L = w->t->L;
    int64_t n = (int64_t)u64_at(w->t, obj + (uint64_t)L->ob_size);
    uint64_t block = u64_at(w->t, obj + (uint64_t)L->deque_leftblock);
    int64_t index = (int64_t)u64_at(w->t, obj + (uint64_t)L->deque_leftindex);
    int64_t blocklen = L->deque_blocklen;
    if (n < 0 || index < 0 || index >= blocklen)
        return false;
    /* A block is {leftlink, items[blocklen], rightlink}; every one the
     * items claim must be readable, and the chain must not cycle. */
    uint64_t block_bytes = 8 + (uint64_t)blocklen * 8 + 8;
    struct chain_guard guard;
    chain_guard_init(&guard, block);
    for (int64_t i = 0; i < n; i++) {
        if (!block || !mem_span(w->t->mem, block, block_bytes)) {
            damage_note(&w->t->damage, false, "deque at 0x%llx claims %lld items",
                        (unsigned long long)obj, (long long)n);
            return false;
        }
        visit_at(w, block + 8 + (uint64_t)index * 8, rel_quiet(rel_num(REL_INDEX, (uint64_t)i)));
        if (++index == blocklen) {
            block = u64_at(w->t, block + 8 + (uint64_t)blocklen * 8);
            index = 0;
            if (!chain_guard_step(&guard, block)) {
                damage_note(&w->t->damage, true, "deque at 0x%llx", (unsigned long long)obj);
                return false;
            }
        }
    }
    return true;
}

static bool traverse_odict(struct walker *w, uint64_t obj)
{
    const struct py_layout *L = w->t->L;
    visit_at(w, obj + (uint64_t)L->odict_inst_dict, rel_quiet(rel_attr("__dict__")));
    uint64_t node = u64_at(w->t, obj + (uint64_t)L->odict_first);
    struct chain_guard guard;
    chain_guard_init(&guard, node);
    for (uint64_t steps = 0; node; steps++) {
        visit_at(w, node, rel_num(REL_KEY, steps)); /* the node's key */
        node = u64_at(w->t, node + (uint64_t)L->odict_node_next);
        if (!chain_guard_step(&guard, node)) {
            damage_note(&w->t->damage, true, "OrderedDict at 0x%llx", (unsigned long long)obj);
            return false;
        }
    }
    return traverse_dict(w, obj);
}

/* A frame slot: 3.14 stack references carry tag bits (bit 0: deferred; both
 * low bits: a tagged int, not a pointer). */
static void visit_slot(struct walker *w, uint64_t value, struct relation rel)
{
    if (w->t->L->iframe_stackpointer >= 0) {
        if ((value & 3) == 3)
            return;
        value &= ~(uint64_t)3;
    }
    if (value)
        emit(w, value, rel);
}

bool traverse_local_name(struct target *t, uint64_t code, int64_t i, char *name, size_t cap, bool *cell)
{
    const struct py_layout *L = t->L;
    *cell = false;
    uint64_t names;
    if (L->code_localsplusnames >= 0) {
        names = u64_at(t, code + (uint64_t)L->code_localsplusnames);
        uint64_t kinds = u64_at(t, code + (uint64_t)L->code_localspluskinds);
        uint8_t kind = 0;
        if (kinds && mem_read(t->mem, kinds + (uint64_t)L->bytes_sval + (uint64_t)i, &kind, 1))
            *cell = (kind & 0xC0) != 0; /* CO_FAST_CELL, CO_FAST_FREE */
    } else {
        int32_t nlocals = 0;
        mem_read(t->mem, code + (uint64_t)L->code_nlocals, &nlocals, sizeof nlocals);
        names = u64_at(t, code + (uint64_t)L->code_varnames);
        if (i >= nlocals) {
            *cell = true;
            i -= nlocals;
            names = u64_at(t, code + (uint64_t)L->code_cellvars);
            int64_t ncells = names ? (int64_t)u64_at(t, names + (uint64_t)L->ob_size) : 0;
            if (i >= ncells) {
                i -= ncells;
                names = u64_at(t, code + (uint64_t)L->code_freevars);
            }
        }
    }
    if (!names || i < 0 || i >= (int64_t)u64_at(t, names + (uint64_t)L->ob_size))
        return false;
    return py_str_utf8(t, u64_at(t, names + (uint64_t)L->tuple_ob_item + (uint64_t)i * 8), name, cap);
}

/* A frame's fast locals (named as locals or cells) and then its value
 * stack (numbered from its bottom). */
static void visit_localsplus(struct walker *w, uint64_t code, uint64_t slots, int64_t nlocalsplus,
                            int64_t n, bool tagged)
{
    /* A cell variable's slot holds the cell: heapy names it as a local too
     * (its ".f_locals [x]" is for the cell's contents, which the frame does
     * not traverse). */
    char name[128];
    if (n <= 0 || !target_items(w->t, slots, (uint64_t)n, 8, "frame", w->obj))
        return;
    for (int64_t i = 0; i < n; i++) {
        uint64_t v = u64_at(w->t, slots + (uint64_t)i * 8);
        struct relation rel = rel_num(REL_STACK, (uint64_t)(i - nlocalsplus));
        bool cell;
        if (i < nlocalsplus && traverse_local_name(w->t, code, i, name, sizeof name, &cell))
            rel = (struct relation){REL_LOCAL, 0, name, false};
        else if (i < nlocalsplus)
            rel = rel_none;
        if (tagged)
            visit_slot(w, v, rel);
        else if (v)
            emit(w, v, rel);
    }
}

/* _PyFrame_Traverse (3.11+): the interpreter frame of a generator or of a
 * frame object that owns it. */
static void traverse_iframe(struct walker *w, uint64_t f)
{
    const struct py_layout *L = w->t->L;
    /* Named as heapy's frame relate names them: its locals became a C
     * field in 3.13, its function's field was f_func in 3.11. */
    visit_at(w, f + (uint64_t)L->iframe_frame_obj, rel_quiet(rel_inter("frame_obj")));
    visit_at(w, f + (uint64_t)L->iframe_locals,
             w->t->minor >= 13 ? rel_inter("f_locals") : rel_attr("f_locals"));
    visit_slot(w, u64_at(w->t, f + (uint64_t)L->iframe_func),
               rel_inter(w->t->minor == 11 ? "f_func" : "f_funcobj"));
    uint64_t code = u64_at(w->t, f + (uint64_t)L->iframe_code);
    visit_slot(w, code, rel_attr("f_code"));
    if (L->iframe_stackpointer >= 0)
        code &= ~(uint64_t)3;
    uint64_t locals = f + (uint64_t)L->iframe_localsplus;
    int64_t n;
    if (L->iframe_stackpointer >= 0) {
        uint64_t sp = u64_at(w->t, f + (uint64_t)L->iframe_stackpointer);
        n = sp >= locals ? (int64_t)((sp - locals) / 8) : 0;
    } else {
        int32_t top = 0;
        mem_read(w->t->mem, f + (uint64_t)L->iframe_stacktop, &top, sizeof top);
        n = top;
    }
    int32_t nlocalsplus = 0;
    if (code)
        mem_read(w->t->mem, code + (uint64_t)L->code_nlocalsplus, &nlocalsplus, sizeof nlocalsplus);
    visit_localsplus(w, code, locals, nlocalsplus, n, true);
}

static bool traverse_generator_fields(struct walker *w, uint64_t obj);

/* heapy relates a generator by its members only: gi_code and gi_frame up
 * to 3.10, nothing since (getsets); the rest is named but quiet. */
static bool traverse_generator(struct walker *w, uint64_t obj)
{
    bool was_quiet = w->quiet;
    w->quiet = true;
    bool ok = traverse_generator_fields(w, obj);
    w->quiet = was_quiet;
    return ok;
}

static bool traverse_generator_fields(struct walker *w, uint64_t obj)
{
    const struct py_layout *L = w->t->L;
    bool members = L->gen_frame >= 0;
    if (L->gen_code >= 0)
        visit_at(w, obj + (uint64_t)L->gen_code, (struct relation){REL_ATTR, 0, "gi_code", !members});
    visit_attr(w, obj + (uint64_t)L->gen_name, "__name__");
    visit_attr(w, obj + (uint64_t)L->gen_qualname, "__qualname__");
    visit_inter(w, obj + (uint64_t)L->gen_exc_value, "gi_exc_state");
    if (L->gen_frame >= 0) {
        /* <= 3.10: the frame is an object of its own. */
        visit_at(w, obj + (uint64_t)L->gen_frame, (struct relation){REL_ATTR, 0, "gi_frame", false});
        visit_inter(w, obj + (uint64_t)L->gen_exc_type, "gi_exc_state");
        visit_inter(w, obj + (uint64_t)L->gen_exc_traceback, "gi_exc_state");
        return true;
    }
    int8_t state = 0;
    mem_read(w->t->mem, obj + (uint64_t)L->gen_frame_state, &state, 1);
    if (state < L->frame_cleared)
        traverse_iframe(w, obj + (uint64_t)L->gen_iframe);
    else if (w->t->minor >= 14)
        /* Objects/genobject.c gen_traverse, 3.14+: a finished generator
         * still visits its code (a deferred reference may be all that keeps
         * it alive). */
        visit_slot(w, u64_at(w->t, obj + (uint64_t)L->gen_iframe + (uint64_t)L->iframe_code), rel_attr("f_code"));
    return true;
}

static bool traverse_frame(struct walker *w, uint64_t obj)
{
    const struct py_layout *L = w->t->L;
    visit_attr(w, obj + (uint64_t)L->frame_back, "f_back");
    visit_attr(w, obj + (uint64_t)L->frame_trace, "f_trace");
    if (L->frame_f_frame >= 0) {
        uint64_t f = u64_at(w->t, obj + (uint64_t)L->frame_f_frame);
        uint8_t owner = 0xff;
        if (f)
            mem_read(w->t->mem, f + (uint64_t)L->iframe_owner, &owner, 1);
        if (owner == L->frame_owned_by_frame_object)
            traverse_iframe(w, f);
        return true;
    }
    /* <= 3.10 */
    uint64_t code = u64_at(w->t, obj + (uint64_t)L->frame_code);
    visit_attr(w, obj + (uint64_t)L->frame_code, "f_code");
    visit_attr(w, obj + (uint64_t)L->frame_builtins, "f_builtins");
    visit_attr(w, obj + (uint64_t)L->frame_globals, "f_globals");
    visit_attr(w, obj + (uint64_t)L->frame_locals, "f_locals");
    if (!code)
        return false;
    uint64_t cells = u64_at(w->t, code + (uint64_t)L->code_cellvars);
    uint64_t frees = u64_at(w->t, code + (uint64_t)L->code_freevars);
    int32_t nlocals = 0;
    mem_read(w->t->mem, code + (uint64_t)L->code_nlocals, &nlocals, sizeof nlocals);
    uint64_t slots = (uint64_t)(int64_t)nlocals +
                     (cells ? u64_at(w->t, cells + (uint64_t)L->ob_size) : 0) +
                     (frees ? u64_at(w->t, frees + (uint64_t)L->ob_size) : 0);
    visit_localsplus(w, code, obj + (uint64_t)L->frame_basicsize, (int64_t)slots, (int64_t)slots, false);
    uint64_t stack = u64_at(w->t, obj + (uint64_t)L->frame_valuestack);
    if (L->frame_stackdepth >= 0) {
        int32_t depth = 0;
        mem_read(w->t->mem, obj + (uint64_t)L->frame_stackdepth, &depth, sizeof depth);
        visit_array(w, stack, depth, REL_STACK, 0);
    } else {
        uint64_t top = u64_at(w->t, obj + (uint64_t)L->frame_stacktop);
        if (top && top >= stack)
            visit_array(w, stack, (int64_t)((top - stack) / 8), REL_STACK, 0);
    }
    return true;
}

/* Standard modules whose m_traverse visits the object pointers of their
 * state: the scanner visits every word of the state that leads to a valid
 * object (referents.c validates each).  A counter in the state cannot pass
 * for an object in practice; the object-model test checks the result
 * against gc.get_referents on every fleet interpreter.  Exact per-module
 * field lists would be better still. */
static const char *const object_state_modules[] = {
    "_abc", "_bz2", "_collections", "_functools", "_io", "_json", "_locale", "_lzma",
    "_operator", "_random", "_sha512", "_signal", "_sre", "_struct", "_thread", "binascii",
    "grp", "io" /* _io's md_name */, "itertools", "posix", "pwd", "time", "zlib",
    /* found by the zoo test; their traverse visits the str of their state */
    "select", "pyexpat", "_posixsubprocess", "_ctypes",
};

/* Modules found by the zoo test whose m_traverse visits the object pointers
 * of their state but its str: interned names (_ssl's str_library,
 * _elementtree's str_append...) their traverse leaves out.  Beside
 * objects the states hold integers and C pointers that lead to no object
 * (_ssl's keylog lock).  _ssl's error-code dicts are 3,600 str, tuple and
 * int objects of any heap that imports ssl.  The states whose traverse
 * walks C structures or leaves objects out (atexit up to 3.9, _asyncio,
 * _zoneinfo, _decimal, _datetime, _dbm, _gdbm, _hmac) are
 * model/families/module_states.c's.  Left out: faulthandler (up to 3.13.5)
 * visits the files it keeps in the runtime's state, not its module's. */
static const char *const object_state_modules_but_str[] = {
    "_ssl", "_pickle", "_elementtree", "_csv", "termios", "_hashlib", "resource", "audioop", "array", "_sha1", "_sha2", "_sha256", "_sha3", "_md5", "_blake2",
    "_queue", "_multibytecodec", "_lsprof", "spwd", "nis", "_tokenize", "_sqlite3", "mmap",
    "_socket", "_curses", "unicodedata", "_zstd", "_remote_debugging", "_interpreters", "_interpqueues", "_interpchannels",
    "_xxsubinterpreters", "_xxinterpchannels",
};

static bool is_str(struct target *t, uint64_t obj)
{
    char name[8];
    uint64_t type = py_type_of(t, obj), tp_name = type ? u64_at(t, type + (uint64_t)t->L->tp_name) : 0;
    return tp_name && mem_cstring(t->mem, tp_name, name, sizeof name) && strcmp(name, "str") == 0;
}

/* module_traverse: the module's dict, then its C state through m_traverse. */
static bool traverse_module_state(struct walker *w, uint64_t obj)
{
    const struct py_layout *L = w->t->L;
    int64_t size;
    if (L->module_md_def >= 0) {
        uint64_t def = u64_at(w->t, obj + (uint64_t)L->module_md_def);
        if (!def || !u64_at(w->t, def + (uint64_t)L->moduledef_traverse))
            return true;
        size = (int64_t)u64_at(w->t, def + (uint64_t)L->moduledef_size);
    } else {
        if (!u64_at(w->t, obj + (uint64_t)L->module_state_traverse))
            return true;
        size = (int64_t)u64_at(w->t, obj + (uint64_t)L->module_state_size);
    }
    uint64_t state = u64_at(w->t, obj + (uint64_t)L->module_md_state);
    if (size > 0 && !state)
        return true; /* m_traverse is not called without state */
    char name[64] = "";
    uint64_t name_obj = u64_at(w->t, obj + (uint64_t)L->module_md_name);
    if (!name_obj || !py_str_utf8(w->t, name_obj, name, sizeof name))
        return false;
    int known = family_module_state(w->t, name, obj, state, size, visit_unnamed, w);
    if (known >= 0)
        return known == 1;
    for (size_t i = 0; i < sizeof object_state_modules / sizeof object_state_modules[0]; i++) {
        if (strcmp(name, object_state_modules[i]) != 0)
            continue;
        if (size <= 0 || size % 8 || size > 4096)
            return false;
        visit_array(w, state, size / 8, REL_NONE, 0);
        return true;
    }
    for (size_t i = 0; i < sizeof object_state_modules_but_str / sizeof object_state_modules_but_str[0]; i++) {
        if (strcmp(name, object_state_modules_but_str[i]) != 0)
            continue;
        if (size <= 0 || size % 8 || size > 4096)
            return false;
        for (int64_t k = 0; k < size / 8; k++) {
            uint64_t p = u64_at(w->t, state + (uint64_t)k * 8);
            if (p && !is_str(w->t, p))
                emit(w, p, rel_none);
        }
        return true;
    }
    return false; /* an m_traverse the scanner does not model */
}

/* structseq_traverse: every field, the hidden ones too: their number is the
 * type's n_fields. */
static bool traverse_structseq(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    int64_t n = -1;
    uint64_t dict = py_type_dict(w->t, ti->addr);
    uint64_t n_fields = dict ? py_dict_get_str(w->t, dict, "n_fields") : 0;
    if (!n_fields || !py_long_value(w->t, n_fields, &n) || n < 0)
        return false;
    visit_array(w, obj + (uint64_t)w->t->L->tuple_ob_item, n, REL_INDEX, 0);
    return true;
}

/* Modules/_functoolsmodule.c: the object starts with the root link
 * {head, prev, next, hash, key, result} of a ring of such links, whose keys
 * and results it visits; then its object fields (3.10 added kwd_mark and the
 * link type to the struct). */
static bool traverse_lru_cache(struct walker *w, uint64_t obj)
{
    static const int64_t old_fields[] = {72, 88, 112, 120, -1};          /* cache, func, info type, dict */
    static const int64_t new_fields[] = {72, 88, 112, 120, 128, 136, -1}; /* + kwd_mark, link type */
    const int64_t next = 24, key = 40, result = 48;
    uint64_t link = u64_at(w->t, obj + (uint64_t)next);
    struct chain_guard guard;
    chain_guard_init(&guard, link);
    while (link && link != obj) {
        visit_at(w, link + (uint64_t)result, rel_none);
        visit_at(w, link + (uint64_t)key, rel_none);
        link = u64_at(w->t, link + (uint64_t)next);
        if (!chain_guard_step(&guard, link)) {
            damage_note(&w->t->damage, true, "lru_cache at 0x%llx", (unsigned long long)obj);
            return false;
        }
    }
    for (const int64_t *f = w->t->minor >= 10 ? new_fields : old_fields; *f >= 0; f++)
        visit_at(w, obj + (uint64_t)*f, rel_none);
    return link == obj;
}

/* Where an instance's __dict__ pointer is (tp_dictoffset, possibly negative). */
uint64_t traverse_dict_pointer(struct target *t, const struct type_info *ti, uint64_t obj)
{
    const struct py_layout *L = t->L;
    /* Unsigned arithmetic: a corrupt ob_size must wrap, not overflow. */
    uint64_t off = (uint64_t)ti->dictoffset;
    if (ti->dictoffset < 0) {
        uint64_t n = u64_at(t, obj + (uint64_t)L->ob_size);
        if ((int64_t)n < 0)
            n = -n;
        uint64_t size = (uint64_t)ti->basicsize + n * (uint64_t)ti->itemsize;
        off += (size + 7) & ~(uint64_t)7;
    }
    return obj + off;
}

/* The values of an instance whose dict was never materialised, and their
 * number (the type's shared keys decide how many there are). */
static void visit_values(struct walker *w, const struct type_info *ti, uint64_t values)
{
    const struct py_layout *L = w->t->L;
    uint64_t keys = u64_at(w->t, ti->addr + (uint64_t)L->ht_cached_keys);
    if (!keys)
        return;
    int64_t n = (int64_t)u64_at(w->t, keys + (uint64_t)L->dk_nentries);
    if (n <= 0 || !target_items(w->t, values, (uint64_t)n, 8, "object", w->obj))
        return;
    for (int64_t i = 0; i < n; i++) {
        uint64_t v = u64_at(w->t, values + (uint64_t)i * 8);
        if (v) /* an attribute named by its key in the type's shared keys */
            emit(w, v, (struct relation){REL_ATTR, py_shared_key(w->t, keys, i), NULL, false});
    }
}

bool traverse_has_managed_dict(const struct target *t, const struct type_info *ti)
{
    return t->L->flag_managed_dict > 0 && (ti->flags & (uint64_t)t->L->flag_managed_dict);
}

/* The dict of an instance whose type manages it (3.11+), as
 * PyObject_VisitManagedDict gives it. */
static void visit_managed_dict(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    const struct py_layout *L = t->L;
    uint64_t word = u64_at(t, obj + (uint64_t)L->managed_dict_offset);
    if (L->managed_values_offset < -1) { /* -1: absent */
        /* 3.11: values and dict side by side, both visited. */
        uint64_t values = u64_at(t, obj + (uint64_t)L->managed_values_offset);
        if (values)
            visit_values(w, ti, values);
        if (word)
            emit(w, word, rel_attr("__dict__"));
    } else if (L->managed_dict_tagged) {
        /* 3.12: an odd word is values - 1. */
        if (word & 1)
            visit_values(w, ti, word + 1);
        else if (word)
            emit(w, word, rel_attr("__dict__"));
    } else {
        /* 3.13+: valid inline values are visited, else the dict; since
         * gh-130327 (3.13.3, 3.14) a dict, when there is one, always
         * wins (it visits the inline values it points to). */
        bool dict_first = t->minor > 13 || (t->minor == 13 && t->micro >= 3);
        if (dict_first && word) {
            emit(w, word, rel_attr("__dict__"));
            return;
        }
        if (L->flag_inline_values > 0 && (ti->flags & (uint64_t)L->flag_inline_values)) {
            uint64_t values = obj + (uint64_t)ti->basicsize;
            uint8_t hdr[4] = {0};
            mem_read(t->mem, values, hdr, sizeof hdr);
            if (hdr[3]) {
                visit_values(w, ti, values + (uint64_t)L->dict_values_prefix);
                return;
            }
        }
        if (word)
            emit(w, word, rel_attr("__dict__"));
    }
}

static void traverse_subtype(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    for (size_t i = 0; i < ti->nslots; i++)
        visit_attr(w, obj + (uint64_t)ti->slots[i], ti->slot_names ? ti->slot_names[i] : "?");
    if (traverse_has_managed_dict(t, ti))
        visit_managed_dict(w, ti, obj);
    else if (ti->dict_by_offset && ti->dictoffset)
        visit_attr(w, traverse_dict_pointer(t, ti, obj), "__dict__");
    if (ti->visit_type)
        emit(w, ti->addr, rel_quiet(rel_inter("ob_type")));
}

bool traverse_object(struct target *t, const struct type_info *ti, uint64_t obj, visit_fn visit,
                     void *ctx)
{
    const struct py_layout *L = t->L;
    struct walker w = {t, obj, visit, ctx, false};
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
        visit_at(&w, obj + (uint64_t)L->contextvar_default, rel_quiet(rel_inter("var_default")));
        if (L->contextvar_cached >= 0)  /* no cache in a free-threaded build */
            visit_at(&w, obj + (uint64_t)L->contextvar_cached, rel_quiet(rel_inter("var_cached")));
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
        int64_t shift = L->object_size - 16;
        for (const int64_t *f = ti->fields; *f >= 0; f++)
            visit_at(&w, obj + (uint64_t)(*f + shift), rel_none);
        return true;
    }
    }
    return false;
}
