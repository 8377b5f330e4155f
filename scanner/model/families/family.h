/* Type families: every type whose objects the scanner can measure and
 * traverse from memory, one family a file, as CPython's Objects/ has them
 * (sequences.c, dicts.c, frames.c ... io.c, numpy.c).  Each file holds a
 * table of entries; an entry answers, for the class that brings the C code
 * (the "definer": the topmost base sharing the type's tp_traverse, or the
 * first class of its MRO defining __sizeof__) and a range of CPython minors,
 * the scanner's two questions: what an object points to (its tp_traverse)
 * and how big it is (its __sizeof__).  registry.c lists the families.
 *
 * Adding a family: a file here with its table, one line in registry.c, one
 * in meson.build. */
#ifndef PYHEAPSCAN_FAMILY_H
#define PYHEAPSCAN_FAMILY_H

#include <stdbool.h>
#include <stdint.h>

#include "model/target.h"
#include "model/types.h"
#include "model/walker.h"

/* What an object points to, handed to the walker (emit, visit_at ...);
 * false when memory says the object is not what the entry expects (its
 * referents are then flagged as incomplete). */
typedef bool (*family_traverse_fn)(struct walker *w, const struct type_info *ti, uint64_t obj);

/* How big an object is: its __sizeof__, without the GC header
 * sys.getsizeof adds.  0, or *exact set false: a layout the entry does not
 * know (the size is flagged). */
typedef uint64_t (*family_size_fn)(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact);

struct family_entry {
    const char *definer;       /* tp_name of the class that brings the C code */
    int min_minor, max_minor;  /* CPython 3.min_minor to 3.max_minor; 0: unbounded */

    /* Where the entry's offsets come from.  false (most): offsets typed from
     * CPython's (or the library's) C structs, counted from the default
     * build's 16-byte object head; the fields are read at that offset plus
     * the longer head of a free-threaded build, and the functions are given
     * the object's address plus that difference (py_head_shift), so that
     * they read at the typed offsets.  true: the functions read the
     * interpreter's own layouts (t->L, t->numpy.NL), with the object's real
     * address. */
    bool by_layout;
    bool needs_numpy_layout;   /* only when the target's numpy has a layout */

    /* What it points to (tp_traverse), in this order: */
    bool exception_fields;     /* BaseException's fields first */
    const int64_t *fields;     /* object fields at these offsets (-1 ends); a
                                  list that does not fit inside the definer's
                                  basicsize leaves the type unmodelled */
    const int64_t *debug_fields; /* more fields a debug build's struct has and visits
                                  (#ifdef Py_DEBUG in the C source) */
    bool members;              /* the T_OBJECT/T_OBJECT_EX members the definer
                                  describes itself with (tp_members) */
    bool visits_dict;          /* the instance dict: at tp_dictoffset, or managed */
    family_traverse_fn traverse; /* anything else */
    /* The kind recorded for the type (snapshots keep it; analyses single
     * out frames, dicts, weakrefs ... by it).  Left out: TRAVERSE_FAMILY. */
    enum traverse_kind traverse_kind;

    /* How big it is (__sizeof__) */
    family_size_fn size;
    /* Recorded as the traverse kind is.  Left out: SIZE_FAMILY (SIZE_OBJECT,
     * zero, is object.__sizeof__'s own rule, which no entry gives). */
    enum size_kind size_kind;
};

struct family {
    const char *name;
    const struct family_entry *v;
    size_t n;
};

#define FAMILY(fname, table) {(fname), (table), sizeof(table) / sizeof((table)[0])}

/* The families the scanner knows (registry.c), and how many. */
extern const struct family *const family_registry[];
extern const size_t family_registry_count;

/* The entry whose traverse (or __sizeof__) definer brings for this target,
 * or NULL. */
const struct family_entry *family_find_traverse(const struct target *t, const char *definer);
const struct family_entry *family_find_size(const struct target *t, const char *definer);

/* Whether e answers what a type points to (any part of a traverse). */
bool family_entry_traverses(const struct family_entry *e);

/* The kinds recorded for a type that e answers for. */
enum traverse_kind family_traverse_kind(const struct family_entry *e);
enum size_kind family_size_kind(const struct family_entry *e);

/* Whether every field of e lies inside an object of the definer's basicsize
 * (a table that does not fit the build is not guessed with). */
bool family_fields_fit(const struct family_entry *e, int64_t basicsize);

/* Reads the object members of the type at definer into ti->members. */
void family_read_members(struct target *t, uint64_t definer, struct type_info *ti);

/* The referents of obj by its entry (ti->traverse_family). */
bool family_traverse(struct walker *w, const struct type_info *ti, uint64_t obj);

/* The __sizeof__ of obj by its entry (ti->size_family); *exact false, and
 * object.__sizeof__'s rule, when the entry does not know the layout. */
uint64_t family_sizeof(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact);

/* object.__sizeof__: basicsize + ob_size * itemsize. */
uint64_t family_object_sizeof(struct target *t, const struct type_info *ti, uint64_t obj);

/* Helpers of the families' functions. */

/* Visits the object pointer at addr, if any, unnamed. */
static inline void family_visit_word(struct walker *w, uint64_t addr)
{
    visit_at(w, addr, rel_none);
}

/* Visits the n objects at items, one each stride bytes (the object pointer
 * first in each item); false, with the damage noted, when the count claims
 * more memory than there is (what names the array, of the object at obj). */
bool family_visit_array(struct walker *w, uint64_t items, uint64_t n, uint64_t stride, const char *what,
                        uint64_t obj);

/* strlen + 1 of the C string at addr, as a __sizeof__ counts one; 0 for
 * none or an unreadable one; at most 1 MiB. */
uint64_t family_c_string_size(struct target *t, uint64_t addr);

/* The referents a standard module's m_traverse visits in its state (at
 * state, of size bytes as its PyModuleDef says) when that module's layout
 * is one module_states.c knows: 1 done; 0 the module is known but not
 * this layout, or its memory is damaged (flag it); -1 no entry for it. */
int family_module_state(struct walker *w, const char *name, uint64_t module, uint64_t state, int64_t size);

/* The referents faulthandler's m_traverse visits when name is
 * "faulthandler": 1 done; 0 the words it reads could not be placed (a
 * stripped file up to 3.11) or are damaged; -1 another module. */
int family_faulthandler(struct walker *w, const char *name);

/* The entry of struct sequences (structseq.c), chosen by their traverse
 * function's address rather than by a definer's name. */
extern const struct family_entry family_structseq_entry;

/* The entry of a type no table describes whose traverse function was read
 * from its machine code (model/traverse_code.c, families/from_code.c): the
 * fields it visits are the type's members (ti->members, offsets from the
 * object's real head), the blocks it points to ti->traverse_code's. */
extern const struct family_entry family_from_code_entry;

#endif
