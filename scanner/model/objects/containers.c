#include "model/objects/objects.h"

#include <stdlib.h>
#include <string.h>

struct dict_walk {
    struct walker *w;
    uint64_t position;
    enum relation_kind key;  /* REL_KEY */
    const bool *str_keys;    /* set before the first entry: gc does not visit the keys
                                (REL_KEY_UNSEEN) */
};

/* heapy names a key by its position among the entries, a value by its key. */
static bool dict_entry(void *ctx, uint64_t key, uint64_t value)
{
    struct dict_walk *d = ctx;
    emit(d->w, key, rel_num(*d->str_keys ? REL_KEY_UNSEEN : d->key, d->position++));
    emit(d->w, value, (struct relation){REL_VALUE, key, NULL, false});
    return true;
}

bool traverse_dict(struct walker *w, uint64_t obj)
{
    bool str_keys;
    struct dict_walk d = {w, 0, REL_KEY, &str_keys};
    return py_dict_foreach_keys(w->t, obj, &str_keys, dict_entry, &d);
}

bool traverse_set(struct walker *w, uint64_t obj)
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

bool traverse_deque(struct walker *w, uint64_t obj)
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

bool traverse_odict(struct walker *w, uint64_t obj)
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

/* structseq_traverse: every field, the hidden ones too: their number is the
 * type's n_fields. */
bool traverse_structseq(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    int64_t n = -1;
    uint64_t dict = py_type_dict(w->t, ti->addr);
    uint64_t n_fields = dict ? py_dict_get_str(w->t, dict, "n_fields") : 0;
    if (!n_fields || !py_long_value(w->t, n_fields, &n) || n < 0)
        return false;
    visit_array(w, obj + (uint64_t)w->t->L->tuple_ob_item, n, REL_INDEX, 0);
    return true;
}
