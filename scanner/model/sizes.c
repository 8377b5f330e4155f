#include "model/sizes.h"

#include "model/numpy_sizes.h"
#include "model/families/family.h"
#include "model/pyobj.h"

static int64_t i64_at(struct target *t, uint64_t addr)
{
    return (int64_t)u64_at(t, addr);
}

static uint8_t u8_at(struct target *t, uint64_t addr)
{
    uint8_t v = 0;
    mem_read(t->mem, addr, &v, 1);
    return v;
}

static int32_t i32_at(struct target *t, uint64_t addr)
{
    int32_t v = 0;
    mem_read(t->mem, addr, &v, 4);
    return v;
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
static uint64_t dict_keys_size(struct target *t, uint64_t keys)
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
    if (i64_at(t, keys + (uint64_t)L->dk_refcnt) == 1)
        res += dict_keys_size(t, keys);
    return res;
}

static uint64_t str_sizeof(struct target *t, uint64_t obj)
{
    const struct py_layout *L = t->L;
    uint64_t length = u64_at(t, obj + (uint64_t)L->str_length);
    uint32_t state = (uint32_t)i32_at(t, obj + (uint64_t)L->str_state);
    uint64_t kind = (state >> L->str_state_kind_shift) & 7;
    bool compact = (state >> L->str_state_compact_shift) & 1;
    bool ascii = (state >> L->str_state_ascii_shift) & 1;
    uint64_t size, data;
    if (compact && ascii) {
        size = (uint64_t)L->str_ascii_size + length + 1;
        data = obj + (uint64_t)L->str_ascii_size;
    } else if (compact) {
        size = (uint64_t)L->str_compact_size + (length + 1) * kind;
        data = obj + (uint64_t)L->str_compact_size;
    } else {
        data = u64_at(t, obj + (uint64_t)L->str_data);
        size = (uint64_t)L->str_unicode_size + (data ? (length + 1) * kind : 0);
    }
    if (L->str_wstr >= 0) {
        uint64_t wstr = u64_at(t, obj + (uint64_t)L->str_wstr);
        if (wstr && wstr != data) {
            uint64_t wlen = (compact && ascii) ? length
                                               : u64_at(t, obj + (uint64_t)L->str_wstr_length);
            size += (wlen + 1) * (uint64_t)L->wchar_size;
        }
    }
    if (!(compact && ascii)) {
        uint64_t utf8 = u64_at(t, obj + (uint64_t)L->str_utf8);
        if (utf8 && utf8 != data)
            size += u64_at(t, obj + (uint64_t)L->str_utf8_length) + 1;
    }
    return size;
}

/* int.__sizeof__: 3.8 - 3.11.1 count the digits (0 has none); 3.11.2 counts
 * at least one; 3.12 also takes the subclass's basicsize. */
static uint64_t int_sizeof(struct target *t, const struct type_info *ti, uint64_t obj)
{
    const struct py_layout *L = t->L;
    uint64_t ndigits;
    if (L->long_lv_tag >= 0) {
        ndigits = u64_at(t, obj + (uint64_t)L->long_lv_tag) >> 3;
        return (uint64_t)ti->basicsize + (ndigits ? ndigits : 1) * (uint64_t)ti->itemsize;
    }
    uint64_t size = u64_at(t, obj + (uint64_t)L->ob_size);
    ndigits = (int64_t)size < 0 ? -size : size; /* unsigned: INT64_MIN must not trap */
    if (ndigits == 0 && t->minor == 11 && t->micro >= 2)
        ndigits = 1;
    return (uint64_t)L->long_basicsize + ndigits * (uint64_t)L->long_digit_size;
}

static uint64_t type_sizeof(struct target *t, uint64_t obj)
{
    const struct py_layout *L = t->L;
    uint64_t flags = u64_at(t, obj + (uint64_t)L->tp_flags);
    if (!(flags & (uint64_t)L->flag_heaptype))
        return (uint64_t)L->type_size;
    uint64_t size = (uint64_t)L->heaptype_size;
    uint64_t cached = u64_at(t, obj + (uint64_t)L->ht_cached_keys);
    if (cached)
        size += dict_keys_size(t, cached);
    return size;
}

static uint64_t var_sizeof(struct target *t, const struct type_info *ti, uint64_t obj);

/* The code object a frame or generator runs. */
static uint64_t code_of_frame(struct target *t, uint64_t frame_obj)
{
    const struct py_layout *L = t->L;
    if (L->frame_code >= 0)
        return u64_at(t, frame_obj + (uint64_t)L->frame_code);
    uint64_t iframe = u64_at(t, frame_obj + (uint64_t)L->frame_f_frame);
    return iframe ? u64_at(t, iframe + (uint64_t)L->iframe_code) & ~(uint64_t)3 : 0;
}

static uint64_t frame_slots(struct target *t, uint64_t code)
{
    const struct py_layout *L = t->L;
    /* 64-bit sums: corrupt fields must not overflow an int. */
    if (L->code_framesize >= 0 && L->frame_specials_size >= 0)
        return (uint64_t)((int64_t)i32_at(t, code + (uint64_t)L->code_framesize) - L->frame_specials_size);
    return (uint64_t)((int64_t)i32_at(t, code + (uint64_t)L->code_nlocalsplus) +
                      (int64_t)i32_at(t, code + (uint64_t)L->code_stacksize));
}

static uint64_t frame_sizeof(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    const struct py_layout *L = t->L;
    uint64_t code = code_of_frame(t, obj);
    if (!code) {
        *exact = false;
        return (uint64_t)ti->basicsize;
    }
    if (L->frame_data < 0) {
        /* <= 3.10: f_localsplus holds locals, cells, frees and the stack. */
        uint64_t cells = u64_at(t, code + (uint64_t)L->code_cellvars);
        uint64_t frees = u64_at(t, code + (uint64_t)L->code_freevars);
        uint64_t extras = (uint64_t)(int64_t)i32_at(t, code + (uint64_t)L->code_stacksize) +
                          (uint64_t)(int64_t)i32_at(t, code + (uint64_t)L->code_nlocals) +
                          (cells ? u64_at(t, cells + (uint64_t)L->ob_size) : 0) +
                          (frees ? u64_at(t, frees + (uint64_t)L->ob_size) : 0);
        return (uint64_t)L->frame_basicsize + extras * 8;
    }
    return (uint64_t)L->frame_data + (uint64_t)L->iframe_localsplus + frame_slots(t, code) * 8;
}

static uint64_t generator_sizeof(struct target *t, const struct type_info *ti, uint64_t obj,
                                 bool *exact)
{
    const struct py_layout *L = t->L;
    if (L->gen_iframe < 0) /* <= 3.10: object.__sizeof__ */
        return var_sizeof(t, ti, obj);
    /* 3.11 keeps gi_code; later versions only the frame's code (tagged on 3.14). */
    uint64_t code = L->gen_code >= 0
                        ? u64_at(t, obj + (uint64_t)L->gen_code)
                        : u64_at(t, obj + (uint64_t)(L->gen_iframe + L->iframe_code)) & ~(uint64_t)3;
    if (!code) {
        *exact = false;
        return (uint64_t)ti->basicsize;
    }
    return (uint64_t)L->gen_iframe + (uint64_t)L->iframe_localsplus + frame_slots(t, code) * 8;
}

static uint64_t var_sizeof(struct target *t, const struct type_info *ti, uint64_t obj)
{
    uint64_t size = (uint64_t)ti->basicsize;
    if (ti->itemsize > 0)
        size += (uint64_t)i64_at(t, obj + (uint64_t)t->L->ob_size) * (uint64_t)ti->itemsize;
    return size;
}

/* code.__sizeof__: 3.11+ the object with its inline bytecode; before, the
 * cell-to-argument map and the opcache; always the co_extra block. */
static uint64_t code_sizeof(struct target *t, const struct type_info *ti, uint64_t obj)
{
    const struct py_layout *L = t->L;
    uint64_t size;
    if (L->code_cell2arg < 0) {
        size = (uint64_t)ti->basicsize +
               u64_at(t, obj + (uint64_t)L->ob_size) * (uint64_t)(ti->itemsize > 0 ? ti->itemsize : 0);
        size = (size + 7) & ~(uint64_t)7;
    } else {
        size = (uint64_t)ti->basicsize;
        uint64_t cells = u64_at(t, obj + (uint64_t)L->code_cellvars);
        if (u64_at(t, obj + (uint64_t)L->code_cell2arg) && cells)
            size += u64_at(t, cells + (uint64_t)L->ob_size) * 8;
        if (L->code_opcache >= 0 && u64_at(t, obj + (uint64_t)L->code_opcache)) {
            uint64_t co_code = u64_at(t, obj + (uint64_t)L->code_co_code);
            size += u64_at(t, co_code + (uint64_t)L->ob_size) / 2;
            size += (uint64_t)u8_at(t, obj + (uint64_t)L->code_opcache_size) *
                    (uint64_t)L->opcache_entry_size;
        }
    }
    uint64_t extra = u64_at(t, obj + (uint64_t)L->code_extra);
    if (extra)
        size += 16 + (u64_at(t, extra) - 1) * 8;
    return size;
}

static uint64_t type_sizeof_only(struct target *t, const struct type_info *ti, uint64_t obj,
                                 bool *exact)
{
    const struct py_layout *L = t->L;
    switch (ti->size_kind) {
    case SIZE_OBJECT:
    case SIZE_BYTES:
        return var_sizeof(t, ti, obj);
    case SIZE_LIST:
        return (uint64_t)ti->basicsize + u64_at(t, obj + (uint64_t)L->list_allocated) * 8;
    case SIZE_DICT:
        return dict_sizeof(t, ti, obj);
    case SIZE_SET: {
        uint64_t table = u64_at(t, obj + (uint64_t)L->set_table);
        uint64_t size = (uint64_t)ti->basicsize;
        if (table != obj + (uint64_t)L->set_smalltable)
            size += (u64_at(t, obj + (uint64_t)L->set_mask) + 1) * (uint64_t)L->setentry_size;
        return size;
    }
    case SIZE_STR:
        return str_sizeof(t, obj);
    case SIZE_INT:
        return int_sizeof(t, ti, obj);
    case SIZE_BYTEARRAY:
        if (L->bytearray_bytes_object >= 0) {
            /* 3.15+: the buffer is a bytes object, counted with its header. */
            /* An empty one shares the empty bytes singleton: not counted. */
            uint64_t b = u64_at(t, obj + (uint64_t)L->bytearray_bytes_object);
            uint64_t n = b ? u64_at(t, b + (uint64_t)L->ob_size) : 0;
            return (uint64_t)ti->basicsize + (n ? (uint64_t)L->bytes_basicsize + n : 0);
        }
        return (uint64_t)ti->basicsize + u64_at(t, obj + (uint64_t)L->bytearray_alloc);
    case SIZE_TYPE:
        return type_sizeof(t, obj);
    case SIZE_FRAME:
        return frame_sizeof(t, ti, obj, exact);
    case SIZE_GENERATOR:
        return generator_sizeof(t, ti, obj, exact);
    case SIZE_DEQUE: {
        uint64_t blocklen = (uint64_t)L->deque_blocklen;
        uint64_t left = u64_at(t, obj + (uint64_t)L->deque_leftindex);
        uint64_t n = u64_at(t, obj + (uint64_t)L->ob_size);
        uint64_t blocks = (left + n + blocklen - 1) / blocklen;
        return (uint64_t)ti->basicsize + blocks * (blocklen + 2) * 8;
    }
    case SIZE_ODICT: {
        uint64_t size = dict_sizeof(t, ti, obj);
        size += 8 * u64_at(t, obj + (uint64_t)L->odict_fast_nodes_size);
        if (u64_at(t, obj + (uint64_t)L->odict_first))
            size += (uint64_t)L->odict_node_size * u64_at(t, obj + (uint64_t)L->dict_ma_used);
        return size;
    }
    case SIZE_BUFFERED: {
        uint64_t size = (uint64_t)ti->basicsize;
        if (u64_at(t, obj + (uint64_t)L->buffered_buffer))
            size += u64_at(t, obj + (uint64_t)L->buffered_buffer_size);
        return size;
    }
    case SIZE_BYTESIO: {
        /* The buffer counts when the BytesIO holds the only reference. */
        uint64_t size = (uint64_t)ti->basicsize;
        uint64_t buf = u64_at(t, obj + (uint64_t)L->bytesio_buf);
        if (buf && py_refcount(t, buf) == 1)
            size += (uint64_t)L->bytes_basicsize + u64_at(t, buf + (uint64_t)L->ob_size);
        return size;
    }
    case SIZE_STRUCT: {
        /* One formatcode per code, plus the terminating one. */
        uint64_t codes = u64_at(t, obj + (uint64_t)L->struct_s_codes), n = 1;
        uint64_t es = (uint64_t)L->struct_formatcode_size;
        while (codes && n < (1u << 24) && u64_at(t, codes + (n - 1) * es))
            n++;
        return (uint64_t)ti->basicsize + n * es;
    }
    case SIZE_CODE:
        return code_sizeof(t, ti, obj);
    case SIZE_NUMPY_ARRAY:
        return numpy_array_sizeof(t, ti, obj, exact);
    case SIZE_NUMPY_SCALAR:
        return numpy_scalar_sizeof(t, ti, obj, exact);
    case SIZE_FAMILY: {
        /* Given the object as if its head were the default build's (16
         * bytes; the free-threaded build's is longer): the family's
         * offsets count from that head (family.h). */
        uint64_t size = ti->family_size->size(t, ti, obj + (uint64_t)py_head_shift(t));
        if (size)
            return size;
        break; /* a layout the family does not know */
    }
    case SIZE_UNMODELLED:
    case SIZE_KIND_COUNT:
        break;
    }
    *exact = false;
    return var_sizeof(t, ti, obj);
}

/* What sys.getsizeof adds to __sizeof__. */
static uint64_t header_size(struct target *t, const struct type_info *ti, uint64_t obj)
{
    const struct py_layout *L = t->L;
    bool gc = (ti->flags & (uint64_t)L->flag_have_gc) != 0;
    if (t->minor <= 10) {
        /* PyObject_IS_GC: a type with tp_is_gc (type itself) is GC only
         * for heap types. */
        if (gc && ti->size_kind == SIZE_TYPE) {
            uint64_t flags = u64_at(t, obj + (uint64_t)L->tp_flags);
            gc = (flags & (uint64_t)L->flag_heaptype) != 0;
        }
        return gc ? (uint64_t)L->gc_head_size : 0;
    }
    if (t->minor >= 13 && ti->size_kind == SIZE_TYPE) {
        uint64_t flags = u64_at(t, obj + (uint64_t)L->tp_flags);
        if (!(flags & (uint64_t)L->flag_heaptype))
            return 0;
    }
    uint64_t pre = gc ? (uint64_t)L->gc_head_size : 0;
    uint64_t managed = 0;
    if (L->flag_managed_dict > 0)
        managed |= (uint64_t)L->flag_managed_dict;
    if (L->flag_managed_weakref > 0)
        managed |= (uint64_t)L->flag_managed_weakref;
    if (ti->flags & managed)
        pre += 2 * 8;
    return pre;
}

uint64_t object_getsizeof(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    *exact = true;
    return type_sizeof_only(t, ti, obj, exact) + header_size(t, ti, obj);
}
