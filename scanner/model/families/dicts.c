/* dict (Objects/dictobject.c) and 3.15's frozendict: the entries (a key
 * by its position, a value by its key) and _PyDict_SizeOf. */
#include "model/families/dicts.h"

#include "model/families/family.h"

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

bool dicts_traverse(struct walker *w, uint64_t obj)
{
    bool str_keys;
    struct dict_walk d = {w, 0, REL_KEY, &str_keys};
    return py_dict_foreach_keys(w->t, obj, &str_keys, dict_entry, &d);
}

static bool dict_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    return dicts_traverse(w, obj);
}

static uint64_t usable_fraction(uint64_t n)
{
    return (n << 1) / 3;
}

/* _PyDict_KeysSize, from a header read at once (before 3.11 the table
 * holds general entries only, their indices counted in index_bytes). */
static uint64_t keys_size_of(const struct py_layout *L, const struct py_keys_header *k)
{
    if (L->dk_size < 0 && k->log2_size > 40)
        return 0;
    uint64_t es = k->general ? (uint64_t)L->dk_entry_size : (uint64_t)L->dk_unicode_entry_size;
    return (uint64_t)L->dk_header_size + k->index_bytes + usable_fraction((uint64_t)k->size) * es;
}

/* _PyDict_KeysSize: from the header read at once, else field by field (a
 * header the copy does not hold whole, or cut short) */
uint64_t dict_keys_sizeof(struct target *t, uint64_t keys)
{
    const struct py_layout *L = t->L;
    struct py_keys_header k;
    if (py_dict_keys_header(t, keys, &k))
        return keys_size_of(L, &k);
    if (L->dk_size >= 0) {
        uint64_t size = u64_at(t, keys + (uint64_t)L->dk_size);
        uint64_t ix = size <= 0xff ? 1 : size <= 0xffff ? 2 : size <= 0xffffffffULL ? 4 : 8;
        return (uint64_t)L->dk_header_size + ix * size +
               (uint64_t)L->dk_entry_size * usable_fraction(size);
    }
    unsigned log2_size = u8_at(t, keys + (uint64_t)L->dk_log2_size);
    unsigned log2_index = u8_at(t, keys + (uint64_t)L->dk_log2_index_bytes);
    uint8_t kind = u8_at(t, keys + (uint64_t)L->dk_kind);
    uint64_t es = kind == 0 ? (uint64_t)L->dk_entry_size : (uint64_t)L->dk_unicode_entry_size;
    if (log2_size > 40 || log2_index > 40)
        return 0;
    return (uint64_t)L->dk_header_size + ((uint64_t)1 << log2_index) +
           usable_fraction((uint64_t)1 << log2_size) * es;
}

/* _PyDict_SizeOf */
uint64_t dict_sizeof(struct target *t, const struct type_info *ti, uint64_t obj)
{
    const struct py_layout *L = t->L;
    uint64_t keys = u64_at(t, obj + (uint64_t)L->dict_ma_keys);
    uint64_t values = u64_at(t, obj + (uint64_t)L->dict_ma_values);
    uint64_t res = (uint64_t)ti->basicsize;
    if (!keys)
        return res;
    struct py_keys_header k;
    if (py_dict_keys_header(t, keys, &k)) {
        if (values)
            res += (L->dk_size >= 0 ? usable_fraction((uint64_t)k.size)
                                    : (uint64_t)k.nentries + (uint64_t)k.usable) * 8;
        return k.refcnt == 1 ? res + keys_size_of(L, &k) : res;
    }
    if (values) {
        if (L->dk_size >= 0)
            res += usable_fraction(u64_at(t, keys + (uint64_t)L->dk_size)) * 8;
        else
            res += (u64_at(t, keys + (uint64_t)L->dk_nentries) +
                    u64_at(t, keys + (uint64_t)L->dk_usable)) * 8;
    }
    if ((int64_t)u64_at(t, keys + (uint64_t)L->dk_refcnt) == 1)
        res += dict_keys_sizeof(t, keys);
    return res;
}

static uint64_t dict_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    return dict_sizeof(t, ti, obj);
}

static const struct family_entry entries[] = {
    {.definer = "dict", .by_layout = true, .traverse = dict_traverse, .traverse_kind = TRAVERSE_DICT,
     .size = dict_size, .size_kind = SIZE_DICT},
    {.definer = "frozendict", .by_layout = true, .traverse = dict_traverse, .traverse_kind = TRAVERSE_DICT,
     .size = dict_size, .size_kind = SIZE_DICT},
};

const struct family family_dicts = FAMILY("dicts", entries);
