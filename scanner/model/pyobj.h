/* Reading the few CPython objects the scanner needs to understand itself:
 * strings (names), dicts (type and module namespaces), small ints. */
#ifndef PYHEAPSCAN_PYOBJ_H
#define PYHEAPSCAN_PYOBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/target.h"

/* ob_type of obj, 0 when unreadable. */
uint64_t py_type_of(struct target *t, uint64_t obj);

/* How much longer this build's object head is than the default build's
 * 16 bytes (PyObject_HEAD): free-threaded and Py_TRACE_REFS builds put
 * their extra words first.  The hand-typed field offsets of the library
 * types count from the 16-byte head and move by this. */
static inline int64_t py_head_shift(const struct target *t)
{
    return t->L->object_size - 16;
}

/* obj's reference count as Py_REFCNT gives it, low 32 bits: ob_refcnt; in a
 * free-threaded build the owner's local count plus the shared one. */
uint32_t py_refcount(struct target *t, uint64_t obj);

/* The contents of a str as UTF-8, NUL-terminated, truncated to cap-1 bytes.
 * False when obj is not a readable str. */
bool py_str_utf8(struct target *t, uint64_t obj, char *out, size_t cap);
/* ... from its character start on. */
bool py_str_utf8_from(struct target *t, uint64_t obj, int64_t start, char *out, size_t cap);

/* Calls fn(ctx, key, value) for every entry of a dict, in insertion order.
 * Returns false when the dict is unreadable; fn returns false to stop. */
typedef bool (*py_dict_visit_fn)(void *ctx, uint64_t key, uint64_t value);
bool py_dict_foreach(struct target *t, uint64_t dict, py_dict_visit_fn fn, void *ctx);

/* py_dict_foreach, telling before the first entry whether the table holds
 * only str keys (py_dict_str_keys): the dict is read once for both. */
bool py_dict_foreach_keys(struct target *t, uint64_t dict, bool *str_keys, py_dict_visit_fn fn, void *ctx);

/* A dict keys object's header (PyDictKeysObject up to its indices), read
 * at once where the copy holds it.  False when its count, table size or
 * index size cannot be read (or the index size is absurd). */
struct py_keys_header {
    int64_t refcnt, nentries, usable; /* 0 where unreadable (but the count) */
    int64_t size;          /* the hash table's slots (3.11+: 0 when log2_size is absurd) */
    unsigned log2_size;    /* 3.11+ */
    uint64_t index_bytes;  /* the indices' bytes, before the entries */
    bool general;          /* entries with a hash (not 3.11's str-only kind) */
};
bool py_dict_keys_header(struct target *t, uint64_t keys, struct py_keys_header *k);

/* The key of entry i of a split table's shared keys (an instance's inline
 * values are in the same order), 0 when unreadable. */
uint64_t py_shared_key(struct target *t, uint64_t keys, int64_t i);

/* The value stored under the str key name, or 0. */
uint64_t py_dict_get_str(struct target *t, uint64_t dict, const char *name);

/* A type's __dict__: tp_dict, or for static builtin types on 3.12+ the
 * interpreter's copy.  0 when it has none. */
uint64_t py_type_dict(struct target *t, uint64_t type);

/* The value of an int object that fits in 63 bits. */
bool py_long_value(struct target *t, uint64_t obj, int64_t *out);

#endif
