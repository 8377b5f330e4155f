/* Which traversal a type's instances get, decided once per type from its
 * tp_traverse and the class that brought it (the "definer"): a class
 * statement's part (its slots, dict and type), then the family entry
 * (model/families/) for the definer, or none the scanner knows. */
#include "model/traverse.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/grow.h"
#include "base/progress.h"
#include "model/families/family.h"
#include "model/pyobj.h"
#include "model/traverse_code.h"

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

enum { KNOWN_BASES_MAX = 256 };

/* The traverse functions the reader names rather than reads: those of the
 * builtins that have a model (type's, BaseException's, ...), with it. */
struct code_known {
    struct traverse_code_known known;
    uint64_t bases[KNOWN_BASES_MAX];
    const struct family_entry *entries[KNOWN_BASES_MAX];
};

static struct code_known *known_of(struct type_table *tt, struct target *t)
{
    if (tt->code_known)
        return tt->code_known;
    struct code_known *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    for (size_t i = 0; i < tt->naliases && k->known.nbases < KNOWN_BASES_MAX; i++) {
        uint64_t type = tt->aliases[i].type;
        uint64_t fn = u64_at(t, type + (uint64_t)t->L->tp_traverse);
        if (!fn || fn == tt->subtype_traverse)
            continue;
        bool have = false;
        for (size_t b = 0; b < k->known.nbases; b++)
            have |= k->bases[b] == fn;
        char *name = tp_name_of(t, type);
        const struct family_entry *e = name ? family_find_traverse(t, name) : NULL;
        free(name);
        /* an entry that reads its definer's members needs that definer */
        if (have || !e || (e->members && !e->by_layout))
            continue;
        k->bases[k->known.nbases] = fn;
        k->entries[k->known.nbases++] = e;
    }
    k->known.bases = k->bases;
    k->known.get_dict_ptr = t->api_functions[TARGET_API_GET_DICT_PTR];
    k->known.visit_managed_dict[0] = t->api_functions[TARGET_API_VISIT_MANAGED_DICT];
    k->known.visit_managed_dict[1] = t->api_functions[TARGET_API_VISIT_MANAGED_DICT_12];
    tt->code_known = k;
    return k;
}

/* The traverse function fn read from its code, once a scan (NULL: out of
 * memory). */
static const struct traverse_code *code_of(struct type_table *tt, struct target *t, uint64_t fn)
{
    for (size_t i = 0; i < tt->ncode_reads; i++)
        if (tt->code_reads[i].fn == fn)
            return tt->code_reads[i].code;
    struct traverse_code *code = malloc(sizeof *code);
    if (!code || !GROW(tt->code_reads, tt->code_reads_cap, tt->ncode_reads + 1, 16)) {
        free(code);
        return NULL;
    }
    double started = monotonic_seconds();
    const struct code_known *k = known_of(tt, t);
    traverse_code_read(target_read_code, t, fn, k ? &k->known : NULL, code);
    progress_account("traverse code read", started);
    tt->code_reads[tt->ncode_reads++] = (struct code_read){fn, code};
    return code;
}

/* A type no table describes: its traverse function fn read from its code,
 * when the reader understands it; the fields it visits inside the type's
 * basicsize become the type's members. */
static void from_code(struct type_table *tt, struct target *t, struct type_info *ti, uint64_t fn)
{
    const struct traverse_code *code = code_of(tt, t, fn);
    char why[192];
    if (!code) {
        ti->traverse_why = strdup("out of memory reading its traverse function");
        return;
    }
    if (!code->understood) {
        snprintf(why, sizeof why, "its traverse function (0x%" PRIx64 ") %s", fn, code->why);
        ti->traverse_why = strdup(why);
        return;
    }
    for (size_t i = 0; i < code->nconditions; i++) {
        const struct traverse_code_condition *c = &code->conditions[i];
        int64_t end = c->pointer >= 0 ? c->pointer + 8 : c->offset + c->width;
        if ((c->pointer >= 0 ? c->pointer : c->offset) < 16 || end > ti->basicsize) {
            snprintf(why, sizeof why, "its traverse function (0x%" PRIx64 ") tests a flag outside its %" PRId64
                     "-byte objects", fn, ti->basicsize);
            ti->traverse_why = strdup(why);
            return;
        }
    }
    for (size_t i = 0; i < code->narrays; i++) {
        const struct traverse_code_array *a = &code->arrays[i];
        if (a->pointer < 16 || a->pointer + 8 > ti->basicsize ||
            (a->stride && (a->count_field < 16 || a->count_field + a->count_width > ti->basicsize))) {
            snprintf(why, sizeof why, "its traverse function (0x%" PRIx64 ") follows the pointer at +%" PRId64
                     " or a length at +%" PRId64 ", outside its %" PRId64 "-byte objects", fn, a->pointer,
                     a->count_field, ti->basicsize);
            ti->traverse_why = strdup(why);
            return;
        }
    }
    for (size_t i = 0; i < code->nfields; i++)
        if (code->fields[i] < 16 || code->fields[i] + 8 > ti->basicsize) {
            /* a field past the object: not its layout */
            snprintf(why, sizeof why, "its traverse function (0x%" PRIx64 ") visits offset %" PRId64
                     ", outside its %" PRId64 "-byte objects", fn, code->fields[i], ti->basicsize);
            ti->traverse_why = strdup(why);
            return;
        }
    int64_t *members = malloc((code->nfields ? code->nfields : 1) * sizeof *members);
    if (!members)
        return;
    memcpy(members, code->fields, code->nfields * sizeof *members);
    free(ti->members);
    ti->members = members;
    ti->nmembers = code->nfields;
    ti->traverse_code = code;
    ti->code_base = code->base >= 0 ? tt->code_known->entries[code->base] : NULL;
    ti->traverse_family = &family_from_code_entry;
    ti->traverse = TRAVERSE_FROM_CODE;
}

static int by_offset(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* A fixed-field table against the traverse function's own code: the same
 * fields, visited unconditionally (what tests/unit/test_traverse_code.c
 * asks of the files with symbols, here of any target's memory). */
static void check_table(struct type_table *tt, struct target *t, struct type_info *ti,
                        const struct family_entry *e, uint64_t fn)
{
    if (!e->fields || e->traverse || e->members || e->visits_dict || e->exception_fields || e->by_layout)
        return;
    const struct traverse_code *code = code_of(tt, t, fn);
    ti->traverse_code = code; /* shown beside the table's answer (--format types) */
    if (!code || !code->understood || code->base >= 0 || code->narrays || code->visits_dict) {
        ti->table_check = TABLE_CODE_UNREAD;
        return;
    }
    int64_t want[TRAVERSE_CODE_FIELDS];
    size_t n = 0;
    int64_t shift = py_head_shift(t);
    for (const int64_t *f = e->fields; *f >= 0 && n < TRAVERSE_CODE_FIELDS; f++)
        want[n++] = *f + shift;
    for (const int64_t *f = e->debug_fields; t->debug && f && *f >= 0 && n < TRAVERSE_CODE_FIELDS; f++)
        want[n++] = *f + shift;
    qsort(want, n, sizeof *want, by_offset);
    bool same = n == code->nfields;
    for (size_t i = 0; same && i < n; i++)
        same = want[i] == code->fields[i] && !code->field_guards[i].zero && !code->field_guards[i].nonzero;
    ti->table_check = same ? TABLE_AGREES : TABLE_DIFFERS;
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
    /* type's tp_is_gc, or one that forwards to it (numpy's DTypeMeta's) */
    uint64_t is_gc = u64_at(t, ti->addr + (uint64_t)L->tp_is_gc);
    ti->gc_if_heap = is_gc && (!tt->type_is_gc || is_gc == tt->type_is_gc ||
                               traverse_code_forwards_to(target_read_code, t, is_gc) == tt->type_is_gc);
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
        ti->traverse_family = &family_structseq_entry;
        ti->traverse = TRAVERSE_STRUCTSEQ;
        ti->traverse_definer = tp_name_of(t, base);
        ti->visit_own_type = t->minor >= 9 && ti->heaptype;
        return;
    }
    uint64_t definer = traverse_definer(t, base, fn);
    ti->traverse_definer = tp_name_of(t, definer);
    ti->traverse = TRAVERSE_OPAQUE;
    int64_t definer_size = (int64_t)u64_at(t, definer + (uint64_t)L->tp_basicsize);
    const struct family_entry *e = ti->traverse_definer ? family_find_traverse(t, ti->traverse_definer) : NULL;
    /* A field past the definer's own size would be read from the next block
     * of the heap (the 3.13 scanner lost the 3.12 one's memo): a table that
     * does not fit this build leaves the type unmodelled, never guessed. */
    if (e && family_fields_fit(e, definer_size)) {
        ti->traverse_family = e;
        ti->traverse = family_traverse_kind(e);
        if (!e->by_layout)
            ti->family_basicsize = definer_size - py_head_shift(t);
        if (e->members)
            family_read_members(t, definer, ti);
        if (t->check_tables)
            check_table(tt, t, ti, e, fn);
    } else {
        from_code(tt, t, ti, fn);
    }
    /* Since 3.9 the traverse of a heap type (PyType_FromSpec) visits the
     * type; the definer tells whether the C type is one.  A traverse read
     * from its code says it itself (multidict 6.4's views, heap types,
     * forget it). */
    if (!ti->subtype)
        ti->visit_own_type = t->minor >= 9 && traverse_visits_type(t, definer, fn) && ti->traverse != TRAVERSE_TYPE;
    if (ti->traverse == TRAVERSE_FROM_CODE && !ti->traverse_code->visits_type_if)
        ti->visit_own_type = ti->traverse_code->visits_type;
}
