/* The types without referents whose __sizeof__ is their own: str
 * (Objects/unicodeobject.c), int (longobject.c), bytes and bytearray. */
#include "model/families/family.h"

static uint64_t str_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)ti, (void)exact;
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
static uint64_t int_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
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

static uint64_t bytes_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    return family_object_sizeof(t, ti, obj);
}

static uint64_t bytearray_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    const struct py_layout *L = t->L;
    if (L->bytearray_bytes_object >= 0) {
        /* 3.15+: the buffer is a bytes object, counted with its header. */
        /* An empty one shares the empty bytes singleton: not counted. */
        uint64_t b = u64_at(t, obj + (uint64_t)L->bytearray_bytes_object);
        uint64_t n = b ? u64_at(t, b + (uint64_t)L->ob_size) : 0;
        return (uint64_t)ti->basicsize + (n ? (uint64_t)L->bytes_basicsize + n : 0);
    }
    return (uint64_t)ti->basicsize + u64_at(t, obj + (uint64_t)L->bytearray_alloc);
}

static const struct family_entry entries[] = {
    {.definer = "str", .by_layout = true, .size = str_size, .size_kind = SIZE_STR},
    {.definer = "int", .by_layout = true, .size = int_size, .size_kind = SIZE_INT},
    {.definer = "bytes", .by_layout = true, .size = bytes_size, .size_kind = SIZE_BYTES},
    {.definer = "bytearray", .by_layout = true, .size = bytearray_size, .size_kind = SIZE_BYTEARRAY},
};

const struct family family_scalars = FAMILY("scalars", entries);
