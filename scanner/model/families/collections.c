/* Modules/_collectionsmodule.c and Objects/odictobject.c: deque (its
 * blocks), defaultdict (its factory, then the dict), OrderedDict (its
 * nodes' keys, then the dict) and the named tuple's field getter. */
#include "model/families/dicts.h"
#include "model/families/family.h"

static bool deque_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
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

static uint64_t deque_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    const struct py_layout *L = t->L;
    uint64_t blocklen = (uint64_t)L->deque_blocklen;
    uint64_t left = u64_at(t, obj + (uint64_t)L->deque_leftindex);
    uint64_t n = u64_at(t, obj + (uint64_t)L->ob_size);
    uint64_t blocks = (left + n + blocklen - 1) / blocklen;
    return (uint64_t)ti->basicsize + blocks * (blocklen + 2) * 8;
}

static bool defaultdict_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_attr(w, obj + (uint64_t)w->t->L->defaultdict_factory, "default_factory");
    return dicts_traverse(w, obj);
}

static bool odict_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
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
    return dicts_traverse(w, obj);
}

static uint64_t odict_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    const struct py_layout *L = t->L;
    uint64_t size = dict_sizeof(t, ti, obj);
    size += 8 * u64_at(t, obj + (uint64_t)L->odict_fast_nodes_size);
    if (u64_at(t, obj + (uint64_t)L->odict_first))
        size += (uint64_t)L->odict_node_size * u64_at(t, obj + (uint64_t)L->dict_ma_used);
    return size;
}

/* _tuplegetterobject {head, index, doc}: the doc (Modules/_collectionsmodule.c). */
static const int64_t tuplegetter_fields[] = {24, -1};

static const struct family_entry entries[] = {
    {.definer = "collections.deque", .by_layout = true, .traverse = deque_traverse,
     .traverse_kind = TRAVERSE_DEQUE, .size = deque_size, .size_kind = SIZE_DEQUE},
    {.definer = "collections.defaultdict", .by_layout = true, .traverse = defaultdict_traverse,
     .traverse_kind = TRAVERSE_DEFAULTDICT},
    {.definer = "collections.OrderedDict", .by_layout = true, .traverse = odict_traverse,
     .traverse_kind = TRAVERSE_ODICT, .size = odict_size, .size_kind = SIZE_ODICT},
    {.definer = "_collections._tuplegetter", .fields = tuplegetter_fields, .traverse_kind = TRAVERSE_FIELDS},
    {.definer = "collections._tuplegetter", .fields = tuplegetter_fields, .traverse_kind = TRAVERSE_FIELDS},
};

const struct family family_collections = FAMILY("collections", entries);
