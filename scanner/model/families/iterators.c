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
    {.definer = "iterator", .fields = after_index},
    {.definer = "list_iterator", .fields = after_index},
    {.definer = "list_reverseiterator", .fields = after_index},
    {.definer = "tuple_iterator", .fields = after_index},
    {.definer = "bytes_iterator", .fields = after_index},
    {.definer = "bytearray_iterator", .fields = after_index},
    {.definer = "str_iterator", .fields = after_index},
    {.definer = "str_ascii_iterator", .fields = after_index},
    {.definer = "reversed", .fields = after_index},
    {.definer = "memory_iterator", .fields = after_index},
    {.definer = "set_iterator", .fields = first},
    {.definer = "dict_keys", .fields = first},
    {.definer = "dict_values", .fields = first},
    {.definer = "dict_items", .fields = first},
    {.definer = "generic_alias_iterator", .fields = first},
    {.definer = "coroutine_wrapper", .fields = first},
    {.definer = "async_generator_wrapped_value", .fields = first},
    {.definer = "dict_keyiterator", .fields = dictiter},
    {.definer = "dict_valueiterator", .fields = dictiter},
    {.definer = "dict_itemiterator", .fields = dictiter},
    {.definer = "dict_reversekeyiterator", .fields = dictiter},
    {.definer = "dict_reversevalueiterator", .fields = dictiter},
    {.definer = "dict_reverseitemiterator", .fields = dictiter},
    {.definer = "enumerate", .fields = enumerate},
    {.definer = "zip", .fields = zip},
    {.definer = "map", .fields = two},
    {.definer = "filter", .fields = two},
    {.definer = "callable_iterator", .fields = two},
    {.definer = "async_generator_asend", .fields = two},
    /* 3.15's visits two fields more: read from its code */
    {.definer = "async_generator_athrow", .max_minor = 14, .fields = two},
    {.definer = "anext_awaitable", .min_minor = 10, .fields = two},
    {.definer = "super", .fields = super},
    {.definer = "odict_iterator", .fields = odictiter},
    {.definer = "odict_keyiterator", .fields = odictiter},
    {.definer = "odict_valueiterator", .fields = odictiter},
    {.definer = "odict_itemiterator", .fields = odictiter},
    {.definer = "_collections._deque_iterator", .fields = dequeiter},
    {.definer = "_collections._deque_reverse_iterator", .fields = dequeiter},
    {.definer = "collections._deque_iterator", .fields = dequeiter},
    {.definer = "collections._deque_reverse_iterator", .fields = dequeiter},
};

const struct family family_iterators = FAMILY("iterators", entries);
