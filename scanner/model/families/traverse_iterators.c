/* The builtins' iterators and views (CPython's Objects/): small fixed
 * structs, the same from 3.8 to 3.15.  Offsets after PyObject_HEAD (16
 * bytes); each entry names the struct it reads. */
#include "model/families/family.h"

/* {it_index, it_seq}: seqiterobject (iterobject.c), listiterobject and
 * listreviterobject (listobject.c), tupleiterobject (tupleobject.c),
 * striterobject (bytesobject.c), bytearrayiterobject, unicodeiterobject,
 * reversedobject (enumobject.c: index, seq), memory_iterator (3.11+,
 * memoryobject.c). */
static const int64_t after_index[] = {24, -1};
/* setiterobject {si_set, ...}; _PyDictViewObject {dv_dict};
 * gaiterobject {obj} (genericaliasobject.c); coroutine_wrapper
 * {cw_coroutine}; async_generator_wrapped_value {agw_val}. */
static const int64_t first[] = {16, -1};
/* dictiterobject {di_dict, di_used, di_pos, di_result, len}. */
static const int64_t dictiter[] = {16, 40, -1};
/* enumobject {en_index, en_sit, en_result, en_longindex}. */
static const int64_t enumerate[] = {24, 32, 40, -1};
/* zipobject {tuplesize, ittuple, result, strict}. */
static const int64_t zip[] = {24, 32, -1};
/* mapobject {iters, func}; filterobject {func, it}; calliterobject
 * {it_callable, it_sentinel}; async_generator_asend {ags_gen, ags_sendval};
 * async_generator_athrow {agt_gen, agt_args}; anextawaitableobject
 * {wrapped, default_value} (iterobject.c, 3.10+). */
static const int64_t two[] = {16, 24, -1};
/* superobject {type, obj, obj_type}. */
static const int64_t super[] = {16, 24, 32, -1};
/* odictiterobject {kind, di_odict, di_size, di_state, di_current,
 * di_result} (odictobject.c). */
static const int64_t odictiter[] = {24, 48, 56, -1};
/* dequeiterobject {index, b, deque, state, counter} (_collectionsmodule.c). */
static const int64_t dequeiter[] = {32, -1};

static const struct family_entry entries[] = {
    {"iterator", 8, 99, after_index, false, false, false, NULL, NULL},
    {"list_iterator", 8, 99, after_index, false, false, false, NULL, NULL},
    {"list_reverseiterator", 8, 99, after_index, false, false, false, NULL, NULL},
    {"tuple_iterator", 8, 99, after_index, false, false, false, NULL, NULL},
    {"bytes_iterator", 8, 99, after_index, false, false, false, NULL, NULL},
    {"bytearray_iterator", 8, 99, after_index, false, false, false, NULL, NULL},
    {"str_iterator", 8, 99, after_index, false, false, false, NULL, NULL},
    {"str_ascii_iterator", 8, 99, after_index, false, false, false, NULL, NULL},
    {"reversed", 8, 99, after_index, false, false, false, NULL, NULL},
    {"memory_iterator", 8, 99, after_index, false, false, false, NULL, NULL},
    {"set_iterator", 8, 99, first, false, false, false, NULL, NULL},
    {"dict_keys", 8, 99, first, false, false, false, NULL, NULL},
    {"dict_values", 8, 99, first, false, false, false, NULL, NULL},
    {"dict_items", 8, 99, first, false, false, false, NULL, NULL},
    {"generic_alias_iterator", 8, 99, first, false, false, false, NULL, NULL},
    {"coroutine_wrapper", 8, 99, first, false, false, false, NULL, NULL},
    {"async_generator_wrapped_value", 8, 99, first, false, false, false, NULL, NULL},
    {"dict_keyiterator", 8, 99, dictiter, false, false, false, NULL, NULL},
    {"dict_valueiterator", 8, 99, dictiter, false, false, false, NULL, NULL},
    {"dict_itemiterator", 8, 99, dictiter, false, false, false, NULL, NULL},
    {"dict_reversekeyiterator", 8, 99, dictiter, false, false, false, NULL, NULL},
    {"dict_reversevalueiterator", 8, 99, dictiter, false, false, false, NULL, NULL},
    {"dict_reverseitemiterator", 8, 99, dictiter, false, false, false, NULL, NULL},
    {"enumerate", 8, 99, enumerate, false, false, false, NULL, NULL},
    {"zip", 8, 99, zip, false, false, false, NULL, NULL},
    {"map", 8, 99, two, false, false, false, NULL, NULL},
    {"filter", 8, 99, two, false, false, false, NULL, NULL},
    {"callable_iterator", 8, 99, two, false, false, false, NULL, NULL},
    {"async_generator_asend", 8, 99, two, false, false, false, NULL, NULL},
    {"async_generator_athrow", 8, 99, two, false, false, false, NULL, NULL},
    {"anext_awaitable", 10, 99, two, false, false, false, NULL, NULL},
    {"super", 8, 99, super, false, false, false, NULL, NULL},
    {"odict_iterator", 8, 99, odictiter, false, false, false, NULL, NULL},
    {"odict_keyiterator", 8, 99, odictiter, false, false, false, NULL, NULL},
    {"odict_valueiterator", 8, 99, odictiter, false, false, false, NULL, NULL},
    {"odict_itemiterator", 8, 99, odictiter, false, false, false, NULL, NULL},
    {"_collections._deque_iterator", 8, 99, dequeiter, false, false, false, NULL, NULL},
    {"_collections._deque_reverse_iterator", 8, 99, dequeiter, false, false, false, NULL, NULL},
    {"collections._deque_iterator", 8, 99, dequeiter, false, false, false, NULL, NULL},
    {"collections._deque_reverse_iterator", 8, 99, dequeiter, false, false, false, NULL, NULL},
};

const struct family family_iterators = {"iterators", entries, sizeof entries / sizeof entries[0]};
