/* ctypes: its metatypes and StgDict up to 3.12, CField and CThunkObject.
 *
 * The metatypes (Modules/_ctypes/_ctypes.c): PyCStructType,
 * UnionType, PyCPointerType and PyCFuncPtrType share CDataType_traverse,
 * which visits the proto of the class's StgDict (when its tp_dict is one)
 * and then what PyType_Type's traverse visits of a class.  StgDictObject
 * (ctypes.h, 3.11.3 and 3.12.5's sources) {PyDictObject dict, size, align,
 * length, ffi_type ffi_type_pointer (libffi's {size, alignment, type,
 * elements}: 24 bytes), proto, ...}: proto lies 48 bytes past the dict
 * struct, whose size the StgDict type's base (dict) gives. */
#include "model/families/family.h"

#include <string.h>

#include "model/pyobj.h"
#include "model/families/dicts.h"

enum { STGDICT_PROTO_AFTER_DICT = 48 };

static bool metatype_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    (void)ti;
    const struct py_layout *L = t->L;
    uint64_t dict = u64_at(t, obj + (uint64_t)L->tp_dict), stgdict_type = dict ? py_type_of(t, dict) : 0;
    char name[16] = "";
    uint64_t tp_name = stgdict_type ? u64_at(t, stgdict_type + (uint64_t)L->tp_name) : 0;
    if (tp_name && mem_cstring(t->mem, tp_name, name, sizeof name) && strcmp(name, "StgDict") == 0) {
        uint64_t base = u64_at(t, stgdict_type + (uint64_t)L->tp_base);
        int64_t dict_size = base ? (int64_t)u64_at(t, base + (uint64_t)L->tp_basicsize) : 0;
        if (dict_size < 16)
            return false;
        family_visit_word(w, dict + (uint64_t)dict_size + STGDICT_PROTO_AFTER_DICT);
    }
    /* type_traverse: only a heap type's fields. */
    if (!(u64_at(t, obj + (uint64_t)L->tp_flags) & (uint64_t)L->flag_heaptype))
        return true;
    const int64_t offs[] = {L->tp_dict, L->tp_cache, L->tp_mro, L->tp_bases, L->tp_base, L->ht_module};
    for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++)
        if (offs[i] >= 0)
            family_visit_word(w, obj + (uint64_t)offs[i]);
    return true;
}

/* StgDict's __sizeof__ (3.8-3.12): _PyDict_SizeOf (which already counts
 * the StgDict's basicsize), the StgDict's fields past the dict once more,
 * its format string, its shape (ndim sizes) and the ffi elements array
 * (length + 1 pointers) when there is one.  Past the dict struct: size,
 * align, length (16), ffi_type {size, alignment, type, elements (40)},
 * proto, three C functions, argtypes, converters, restype, checker, flags,
 * format (120), ndim (128), shape. */
static uint64_t stgdict_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    const struct py_layout *L = t->L;
    uint64_t base = u64_at(t, ti->addr + (uint64_t)L->tp_base);
    int64_t dict_size = base ? (int64_t)u64_at(t, base + (uint64_t)L->tp_basicsize) : 0;
    if (dict_size < 16 || ti->family_basicsize < dict_size + 136)
        return 0;
    uint64_t d = (uint64_t)dict_size, size = dict_sizeof(t, ti, obj);
    size += (uint64_t)(ti->family_basicsize - dict_size);
    uint64_t f = u64_at(t, obj + d + 120), format = f ? family_c_string_size(t, f) : 0;
    if (f && !format)
        return 0;
    size += format;
    int32_t ndim = 0;
    mem_read(t->mem, obj + d + 128, &ndim, sizeof ndim);
    size += (uint64_t)(ndim > 0 ? ndim : 0) * 8;
    if (u64_at(t, obj + d + 40))
        size += (u64_at(t, obj + d + 16) + 1) * 8;
    return size;
}

/* CFieldObject (3.8-3.11) {offset, size, index, proto, getfunc, setfunc,
 * anonymous}: its traverse visits proto.  CThunkObject (a var object)
 * {pcl_write, pcl_exec, ffi_cif (32 bytes), flags, converters, callable,
 * restype, ...}: it visits the three objects (callbacks.c; checked against
 * gc.get_referents on 3.8, 3.10, 3.11). */
/* 3.14+: ctypes.CField {byte_offset, byte_size, index, proto, getfunc,
 * setfunc, anonymous and two bit-field bytes, name}: its traverse still
 * visits proto alone, not name (3.14.7's Modules/_ctypes/ctypes.h and
 * cfield.c; 3.15, without a source here, has the same 80 bytes and, as its
 * words and gc.get_referents show, proto at 40 and name at 72 unvisited). */
static const int64_t cfield[] = {40, -1};
static const int64_t cthunk[] = {80, 88, 96, -1};

static const struct family_entry entries[] = {
    {.definer = "StgDict", .max_minor = 12, .size = stgdict_size},
    {.definer = "_ctypes.CField", .max_minor = 11, .fields = cfield},
    {.definer = "ctypes.CField", .min_minor = 14, .fields = cfield},
    {.definer = "_ctypes.CThunkObject", .max_minor = 11, .fields = cthunk},
    {.definer = "_ctypes.PyCStructType", .max_minor = 12, .traverse = metatype_traverse},
    {.definer = "_ctypes.UnionType", .max_minor = 12, .traverse = metatype_traverse},
    {.definer = "_ctypes.PyCPointerType", .max_minor = 12, .traverse = metatype_traverse},
    {.definer = "_ctypes.PyCFuncPtrType", .max_minor = 12, .traverse = metatype_traverse},
};

const struct family family_ctypes = FAMILY("ctypes", entries);
