#include "model/pyobj.h"

#include <string.h>

uint64_t py_type_of(struct target *t, uint64_t obj)
{
    uint64_t type = 0;
    if (!mem_u64(t->mem, obj + (uint64_t)t->L->ob_type, &type))
        return 0;
    return type;
}

/* Include/object.h (3.13t, 3.14t): the shared count sits above two state
 * bits; a local count of UINT32_MAX marks an immortal object. */
#define REF_SHARED_SHIFT 2

uint32_t py_refcount(struct target *t, uint64_t obj)
{
    const struct py_layout *L = t->L;
    if (!L->py_gil_disabled)
        return (uint32_t)u64_at(t, obj + (uint64_t)L->ob_refcnt);
    uint32_t local = 0;
    mem_read(t->mem, obj + (uint64_t)L->ob_ref_local, &local, sizeof local);
    if (local == UINT32_MAX)
        return UINT32_MAX;
    int64_t shared = (int64_t)u64_at(t, obj + (uint64_t)L->ob_ref_shared);
    int64_t count = (int64_t)local + (shared >> REF_SHARED_SHIFT);
    /* A deferred object's count carries a bias that no reference holds
     * (one in 3.13t, _Py_REF_DEFERRED in 3.14t); the collector's
     * update_refs takes it off, and so does this. */
    uint8_t bits = 0;
    mem_read(t->mem, obj + (uint64_t)L->ob_gc_bits, &bits, 1);
    if (L->gc_bits_deferred > 0 && (bits & L->gc_bits_deferred))
        count -= L->ref_deferred;
    return count < 0 ? 0 : count > UINT32_MAX - 1 ? UINT32_MAX - 1 : (uint32_t)count;
}

static size_t put_utf8(char *out, uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

bool py_str_utf8(struct target *t, uint64_t obj, char *out, size_t cap)
{
    return py_str_utf8_from(t, obj, 0, out, cap);
}

bool py_str_utf8_from(struct target *t, uint64_t obj, int64_t start, char *out, size_t cap)
{
    const struct py_layout *L = t->L;
    if (cap == 0)
        return false;
    out[0] = '\0';
    int64_t length;
    uint32_t state;
    if (!mem_i64(t->mem, obj + (uint64_t)L->str_length, &length) ||
        !mem_read(t->mem, obj + (uint64_t)L->str_state, &state, sizeof state) || length < 0)
        return false;
    unsigned kind = (state >> L->str_state_kind_shift) & 7;
    bool compact = (state >> L->str_state_compact_shift) & 1;
    bool ascii = (state >> L->str_state_ascii_shift) & 1;
    uint64_t data;
    if (compact)
        data = obj + (uint64_t)(ascii ? L->str_ascii_size : L->str_compact_size);
    else if (!mem_u64(t->mem, obj + (uint64_t)L->str_data, &data) || data == 0)
        return false;
    if (kind != 1 && kind != 2 && kind != 4)
        return false;
    size_t n = 0;
    unsigned char buf[256];
    for (int64_t i = start < 0 ? 0 : start; i < length;) {
        size_t chunk_chars = sizeof buf / kind;
        if ((int64_t)chunk_chars > length - i)
            chunk_chars = (size_t)(length - i);
        if (!mem_read(t->mem, data + (uint64_t)i * kind, buf, chunk_chars * kind))
            return false;
        for (size_t k = 0; k < chunk_chars; k++) {
            uint32_t c = kind == 1 ? buf[k] : kind == 2 ? ((uint16_t *)buf)[k] : ((uint32_t *)buf)[k];
            char enc[4];
            size_t len = put_utf8(enc, c);
            if (n + len >= cap) {
                out[n] = '\0';
                return true;
            }
            memcpy(out + n, enc, len);
            n += len;
        }
        i += (int64_t)chunk_chars;
    }
    out[n] = '\0';
    return true;
}

/* Where entry i of a keys object is, and how to read it. */
struct dict_view {
    uint64_t entries;
    uint64_t entry_size;
    uint64_t key_off, value_off;  /* within an entry */
    int64_t nentries;
    uint64_t values;              /* split table values array, or 0 */
};

static bool keys_view(struct target *t, uint64_t keys, uint64_t values, struct dict_view *v);

/* A field of n bytes (1 or 8) at off of the header at keys: from hdr when
 * it was read at once, else read alone. */
static bool header_field(struct target *t, const unsigned char *hdr, uint64_t keys, int64_t off, size_t n,
                         uint64_t *out)
{
    *out = 0;
    if (hdr) {
        memcpy(out, hdr + off, n);
        return true;
    }
    return off >= 0 && mem_read(t->mem, keys + (uint64_t)off, out, n);
}

bool py_dict_keys_header(struct target *t, uint64_t keys, struct py_keys_header *k)
{
    const struct py_layout *L = t->L;
    /* The header at once where the copy holds it (every dict is read so: a
     * field at a time was most of a dict's traversal), else field by field. */
    const unsigned char *hdr = L->dk_indices > 0 ? mem_view(t->mem, keys, (size_t)L->dk_indices) : NULL;
    uint64_t refcnt, nentries, usable;
    if (!header_field(t, hdr, keys, L->dk_nentries, 8, &nentries))
        return false;
    /* (the count and the usable room are read by those who need them) */
    k->refcnt = header_field(t, hdr, keys, L->dk_refcnt, 8, &refcnt) ? (int64_t)refcnt : 0;
    k->usable = header_field(t, hdr, keys, L->dk_usable, 8, &usable) ? (int64_t)usable : 0;
    k->nentries = (int64_t)nentries;
    k->general = true;
    if (L->dk_size >= 0) {
        uint64_t size;
        if (!header_field(t, hdr, keys, L->dk_size, 8, &size) || (int64_t)size <= 0)
            return false;
        k->size = (int64_t)size;
        uint64_t ix = size <= 0xff ? 1 : size <= 0xffff ? 2 : size <= 0xffffffffULL ? 4 : 8;
        k->index_bytes = size * ix;
        k->log2_size = 0;
    } else {
        uint64_t log2_size, log2_index, kind;
        if (!header_field(t, hdr, keys, L->dk_log2_size, 1, &log2_size) ||
            !header_field(t, hdr, keys, L->dk_log2_index_bytes, 1, &log2_index) ||
            !header_field(t, hdr, keys, L->dk_kind, 1, &kind) || log2_index > 40)
            return false;
        k->log2_size = (unsigned)log2_size;
        k->size = log2_size <= 40 ? (int64_t)1 << log2_size : 0;
        k->index_bytes = (uint64_t)1 << log2_index;
        k->general = kind == 0;
    }
    return true;
}

static bool dict_view(struct target *t, uint64_t dict, struct dict_view *v)
{
    const struct py_layout *L = t->L;
    uint64_t keys, values;
    if (!mem_u64(t->mem, dict + (uint64_t)L->dict_ma_keys, &keys) ||
        !mem_u64(t->mem, dict + (uint64_t)L->dict_ma_values, &values) || keys == 0)
        return false;
    return keys_view(t, keys, values, v);
}

uint64_t py_shared_key(struct target *t, uint64_t keys, int64_t i)
{
    struct dict_view v;
    uint64_t key = 0;
    if (!keys_view(t, keys, 0, &v) || i < 0 || i >= v.nentries ||
        !mem_u64(t->mem, v.entries + (uint64_t)i * v.entry_size + v.key_off, &key))
        return 0;
    return key;
}

static bool keys_view(struct target *t, uint64_t keys, uint64_t values, struct dict_view *v)
{
    const struct py_layout *L = t->L;
    struct py_keys_header k;
    if (!py_dict_keys_header(t, keys, &k) || k.nentries < 0)
        return false;
    v->nentries = k.nentries;
    v->entries = keys + (uint64_t)L->dk_indices + k.index_bytes;
    if (k.general) {
        v->entry_size = (uint64_t)L->dk_entry_size;
        v->key_off = 8;
        v->value_off = 16;
    } else {
        v->entry_size = (uint64_t)L->dk_unicode_entry_size;
        v->key_off = 0;
        v->value_off = 8;
    }
    v->values = 0;
    if (values)
        v->values = values + (uint64_t)(L->dict_values_prefix > 0 ? L->dict_values_prefix : 0);
    /* Every entry the count claims must be there to read. */
    return target_items(t, v->entries, (uint64_t)v->nentries, v->entry_size, "dict keys", keys) &&
           (!v->values || target_items(t, v->values, (uint64_t)v->nentries, 8, "dict values", values));
}

bool py_dict_foreach_keys(struct target *t, uint64_t dict, bool *str_keys, py_dict_visit_fn fn, void *ctx)
{
    struct dict_view v;
    if (str_keys)
        *str_keys = false;
    if (!dict_view(t, dict, &v))
        return false;
    if (str_keys)
        *str_keys = t->L->dk_kind >= 0 && v.key_off == 0;
    /* The entries (and a split table's values) at once where the copy
     * holds them whole, which it does for all but a torn heap's. */
    const unsigned char *entries = mem_view(t->mem, v.entries, (size_t)((uint64_t)v.nentries * v.entry_size));
    const unsigned char *values = v.values ? mem_view(t->mem, v.values, (size_t)v.nentries * 8) : NULL;
    for (int64_t i = 0; i < v.nentries; i++) {
        uint64_t e = v.entries + (uint64_t)i * v.entry_size;
        uint64_t key, value;
        if (entries)
            memcpy(&key, entries + (uint64_t)i * v.entry_size + v.key_off, 8);
        else if (!mem_u64(t->mem, e + v.key_off, &key))
            return false;
        if (v.values && values) {
            memcpy(&value, values + (uint64_t)i * 8, 8);
        } else if (v.values) {
            if (!mem_u64(t->mem, v.values + (uint64_t)i * 8, &value))
                return false;
        } else if (entries) {
            memcpy(&value, entries + (uint64_t)i * v.entry_size + v.value_off, 8);
        } else if (!mem_u64(t->mem, e + v.value_off, &value)) {
            return false;
        }
        if (key == 0 || value == 0)
            continue;
        if (!fn(ctx, key, value))
            break;
    }
    return true;
}

bool py_dict_foreach(struct target *t, uint64_t dict, py_dict_visit_fn fn, void *ctx)
{
    return py_dict_foreach_keys(t, dict, NULL, fn, ctx);
}

struct find_ctx {
    struct target *t;
    const char *name;
    size_t len;
    uint64_t found;
};

static bool find_visit(void *p, uint64_t key, uint64_t value)
{
    struct find_ctx *c = p;
    int64_t length;
    if (!mem_i64(c->t->mem, key + (uint64_t)c->t->L->str_length, &length) ||
        length != (int64_t)c->len)
        return true;
    char buf[256];
    if (c->len >= sizeof buf || !py_str_utf8(c->t, key, buf, sizeof buf))
        return true;
    if (strcmp(buf, c->name) == 0) {
        c->found = value;
        return false;
    }
    return true;
}

uint64_t py_dict_get_str(struct target *t, uint64_t dict, const char *name)
{
    struct find_ctx c = {t, name, strlen(name), 0};
    if (!dict)
        return 0;
    py_dict_foreach(t, dict, find_visit, &c);
    return c.found;
}

bool py_long_value(struct target *t, uint64_t obj, int64_t *out)
{
    const struct py_layout *L = t->L;
    int64_t ndigits;
    int sign;
    if (L->long_lv_tag >= 0) {
        uint64_t tag;
        if (!mem_u64(t->mem, obj + (uint64_t)L->long_lv_tag, &tag))
            return false;
        ndigits = (int64_t)(tag >> 3);
        sign = 1 - (int)(tag & 3);
    } else {
        int64_t size;
        if (!mem_i64(t->mem, obj + (uint64_t)L->ob_size, &size))
            return false;
        sign = size < 0 ? -1 : size > 0;
        ndigits = size < 0 ? -size : size;
    }
    if (ndigits > 2)
        return false;
    uint32_t d[2] = {0, 0};
    if (ndigits && !mem_read(t->mem, obj + (uint64_t)L->long_digit, d, (size_t)ndigits * 4))
        return false;
    int64_t v = (int64_t)d[0] | ((int64_t)d[1] << 30);
    *out = sign < 0 ? -v : v;
    return true;
}

/* The interpreter's state entry of a static type, if it is the one. */
static uint64_t static_state_dict(struct target *t, uint64_t array, uint64_t index, uint64_t type)
{
    const struct py_layout *L = t->L;
    uint64_t state = array + index * (uint64_t)L->static_state_size, owner, dict;
    if (!mem_u64(t->mem, state + (uint64_t)L->static_state_type, &owner) || owner != type ||
        !mem_u64(t->mem, state + (uint64_t)L->static_state_dict, &dict))
        return 0;
    return dict;
}

uint64_t py_type_dict(struct target *t, uint64_t type)
{
    const struct py_layout *L = t->L;
    uint64_t dict = 0, flags = 0, subclasses = 0;
    if (!mem_u64(t->mem, type + (uint64_t)L->tp_dict, &dict))
        return 0;
    if (dict || L->types_builtins < 0 || !mem_u64(t->mem, type + (uint64_t)L->tp_flags, &flags) ||
        (flags & (uint64_t)L->flag_heaptype))
        return dict;
    /* tp_subclasses holds the index plus one. */
    if (!mem_u64(t->mem, type + (uint64_t)L->tp_subclasses, &subclasses) || subclasses == 0)
        return 0;
    uint64_t index = subclasses - 1;
    if (index < (uint64_t)L->static_builtins_max &&
        (dict = static_state_dict(t, t->interp + (uint64_t)L->types_builtins, index, type)))
        return dict;
    if (L->types_extensions >= 0 && index < (uint64_t)L->static_extensions_max)
        return static_state_dict(t, t->interp + (uint64_t)L->types_extensions, index, type);
    return 0;
}
