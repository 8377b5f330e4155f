/* Type families of the standard library's C code, each in a file of its own
 * (traverse_iterators.c, traverse_itertools.c, traverse_io.c ...), each
 * answering for its types the scanner's two questions: what an object
 * refers to (its tp_traverse) and how big it is (its __sizeof__).  A family
 * is a table of entries keyed by the tp_name of the class that brings the
 * traverse function or __sizeof__ (the "definer", as types.c and traverse_describe.c
 * find it); family.c holds the list of families. */
#ifndef PYHEAPSCAN_FAMILY_H
#define PYHEAPSCAN_FAMILY_H

#include <stdbool.h>
#include <stdint.h>

#include "model/target.h"
#include "model/types.h"

typedef void (*family_visit_fn)(void *ctx, uint64_t referent);

struct family_entry {
    const char *definer;
    int min_minor, max_minor;  /* the CPython minors the entry holds for */
    /* What its traverse visits, in this order: */
    const int64_t *fields;     /* object fields at these offsets (-1 ends), each
                                  only when inside the type's basicsize; these
                                  and the functions' offsets count from the
                                  default build's 16-byte head (a free-threaded
                                  build's longer head moves them all) */
    bool members;              /* the T_OBJECT/T_OBJECT_EX members the definer
                                  describes itself with (tp_members) */
    bool dict;                 /* the instance dict: at the type's tp_dictoffset,
                                  or managed (objects/instances.c visits that one) */
    bool exception;            /* BaseException's fields first */
    /* anything else, by a function; false when memory says the object is
     * not what the entry expects */
    bool (*traverse)(struct target *t, const struct type_info *ti, uint64_t obj, family_visit_fn visit,
                     void *ctx);
    /* __sizeof__ (without the GC header sys.getsizeof adds); NULL: none;
     * 0 from it: a layout the entry does not know (the size is flagged) */
    uint64_t (*size)(struct target *t, const struct type_info *ti, uint64_t obj);
};

struct family {
    const char *name;
    const struct family_entry *v;
    size_t n;
};

extern const struct family family_iterators, family_itertools, family_contextvars, family_exceptions,
    family_io, family_library, family_typing, family_asyncio, family_pickle,
    family_ctypes, family_parser;

/* The entry for a traverse (or a __sizeof__) brought by definer, or NULL. */
const struct family_entry *family_find_traverse(const char *definer, int minor);
const struct family_entry *family_find_size(const char *definer, int minor);

/* Whether every field of e lies inside an object of the definer's basicsize
 * (a table that does not fit the build is not guessed with). */
bool family_fields_fit(const struct family_entry *e, int64_t basicsize);

/* Reads the object members of the type at definer into ti->members. */
void family_read_members(struct target *t, uint64_t definer, struct type_info *ti);

/* Visits the object pointer at addr, if any. */
void family_visit_word(struct target *t, uint64_t addr, family_visit_fn visit, void *ctx);

/* Visits the n objects at items, one each stride bytes (the object pointer
 * first in each item); false, with the damage noted, when the count claims
 * more memory than there is (what names the array, of the object at obj). */
bool family_visit_array(struct target *t, uint64_t items, uint64_t n, uint64_t stride, const char *what,
                        uint64_t obj, family_visit_fn visit, void *ctx);

/* strlen + 1 of the C string at addr, as a __sizeof__ counts one; 0 for
 * none or an unreadable one; at most 1 MiB. */
uint64_t family_c_string_size(struct target *t, uint64_t addr);

/* The referents a standard module's m_traverse visits in its state (at
 * state, of size bytes as its PyModuleDef says) when that module's layout
 * is one module_states.c knows: 1 done; 0 the module is known but not
 * this layout, or its memory is damaged (flag it); -1 no entry for it. */
int family_module_state(struct target *t, const char *name, uint64_t module, uint64_t state, int64_t size,
                        family_visit_fn visit, void *ctx);

/* The referents faulthandler's m_traverse visits when name is
 * "faulthandler": 1 done; 0 the words it reads could not be placed (a
 * stripped file up to 3.11) or are damaged; -1 another module. */
int family_faulthandler(struct target *t, const char *name, family_visit_fn visit, void *ctx);

/* The referents of obj by its family entry (ti->family). */
bool family_traverse(struct target *t, const struct type_info *ti, uint64_t obj, family_visit_fn visit,
                     void *ctx);

#endif
