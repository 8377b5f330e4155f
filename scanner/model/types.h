/* Type objects of the target: their names as heapy prints them, their flags,
 * and which __sizeof__ decides their instances' sizes. */
#ifndef PYHEAPSCAN_TYPES_H
#define PYHEAPSCAN_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct target;
struct family_entry;
struct traverse_code;
struct code_known;

/* The C implementation of __sizeof__ an object's type inherits, as
 * snapshots record it (their numbers do not change) and analyses single
 * some out; the code of each is its family's (model/families/). */
enum size_kind {
    SIZE_OBJECT,       /* object.__sizeof__: basicsize + ob_size * itemsize */
    SIZE_LIST,
    SIZE_DICT,
    SIZE_SET,
    SIZE_STR,
    SIZE_INT,
    SIZE_BYTES,
    SIZE_BYTEARRAY,
    SIZE_TYPE,
    SIZE_CODE,
    SIZE_FRAME,
    SIZE_GENERATOR,
    SIZE_DEQUE,
    SIZE_ODICT,
    SIZE_BUFFERED,
    SIZE_BYTESIO,
    SIZE_STRUCT,
    SIZE_UNMODELLED,   /* a __sizeof__ the scanner has no model of (Python code, unknown C) */
    /* After SIZE_UNMODELLED: snapshots written before them stay readable. */
    SIZE_NUMPY_ARRAY,  /* numpy.ndarray (model/families/numpy.c) */
    SIZE_NUMPY_SCALAR, /* numpy.generic */
    SIZE_FAMILY,       /* a family's of its own (model/families/) */
    SIZE_KIND_COUNT,   /* not a kind: their number */
};

/* The C tp_traverse an object's type uses (after subtype_traverse's part for
 * classes defined in Python), as snapshots record it; the code of each is
 * its family's (model/families/). */
enum traverse_kind {
    TRAVERSE_NONE,        /* not a GC type: no referents */
    TRAVERSE_OPAQUE,      /* a traverse the scanner has no model of */
    TRAVERSE_TUPLE,
    TRAVERSE_LIST,
    TRAVERSE_DICT,
    TRAVERSE_SET,
    TRAVERSE_TYPE,
    TRAVERSE_FUNCTION,
    TRAVERSE_CELL,
    TRAVERSE_METHOD,
    TRAVERSE_DESCR,
    TRAVERSE_CLASSMETHOD,
    TRAVERSE_PROPERTY,
    TRAVERSE_CFUNCTION,
    TRAVERSE_WEAKREF,
    TRAVERSE_MODULE,
    TRAVERSE_NAMESPACE,
    TRAVERSE_SLICE,
    TRAVERSE_MAPPINGPROXY,
    TRAVERSE_METHODWRAPPER,
    TRAVERSE_DEFAULTDICT,
    TRAVERSE_ODICT,
    TRAVERSE_DEQUE,
    TRAVERSE_FIELDS,      /* a fixed list of object fields */
    TRAVERSE_GENERATOR,   /* generator, coroutine (and their frame) */
    TRAVERSE_FRAME,
    TRAVERSE_LRU_CACHE,   /* functools._lru_cache_wrapper */
    TRAVERSE_CONTEXTVAR,
    TRAVERSE_ASYNCGEN,
    TRAVERSE_EXCEPTION,   /* BaseException and the subclasses that add no object fields */
    TRAVERSE_TRACEBACK,
    TRAVERSE_MEMORYVIEW,
    TRAVERSE_MANAGEDBUFFER,
    TRAVERSE_STRUCTSEQ,   /* sys.float_info, os.stat_result, ...: visible and hidden fields */
    TRAVERSE_NUMPY_UFUNC, /* numpy.ufunc */
    TRAVERSE_FAMILY,      /* a family's of its own (model/families/) */
    TRAVERSE_CODE,        /* a code object where it is a gc type (3.13t+): its co_consts */
    TRAVERSE_FROM_CODE,   /* fields read from the traverse function's machine code
                             (model/traverse_code.c), no table describing it */
    TRAVERSE_KIND_COUNT,  /* not a kind: their number */
};

struct type_info {
    uint64_t addr;
    char *name;            /* heapy's rendering: "str", "types.CodeType", "__main__.Node" */
    char *sizeof_definer;  /* tp_name of the class whose __sizeof__ applies */
    char *plain_name;      /* str(type) inside <class '...'>: "code", "__main__.Node"
                              (NULL when loaded from a snapshot) */
    uint64_t flags;
    int64_t basicsize, itemsize;
    bool heaptype;
    bool exact_dict;       /* the builtin dict type itself (heapy's Clodo owns only these) */
    enum size_kind size_kind;

    /* Traversal (traverse.c) */
    bool gc_type;              /* Py_TPFLAGS_HAVE_GC */
    bool gc_if_heap;           /* tp_is_gc is type's: an instance is GC only when a heap type
                                  (any other tp_is_gc, greenlet's: taken as GC, its
                                  traverse says what the object holds) */
    bool subtype;              /* tp_traverse is subtype_traverse (a class statement) */
    bool visit_type;           /* subtype_traverse visits the type itself */
    bool dict_by_offset;       /* ... and the dict at tp_dictoffset */
    int64_t dictoffset;
    enum traverse_kind traverse;  /* of the first base not using subtype_traverse */
    char *traverse_definer;    /* tp_name of that base, for reports */
    char *traverse_why;        /* TRAVERSE_OPAQUE: why the scanner could not model it (NULL
                                  when loaded from a snapshot) */
    bool visit_own_type;       /* a heap type's C traverse visits Py_TYPE(self) (3.9+) */
    int64_t *slots;            /* offsets of T_OBJECT_EX members along the subtype chain */
    char **slot_names;         /* ... and their names (NULL when loaded from a snapshot) */
    size_t nslots;
    const struct family_entry *traverse_family; /* what traverses the C part; NULL: nothing
                                                   (TRAVERSE_NONE) or unmodelled */
    const struct family_entry *size_family;     /* what measures it; NULL: object.__sizeof__
                                                   (SIZE_OBJECT) or unmodelled */
    int64_t *members;      /* the family definer's object members (tp_members) */
    const struct traverse_code *traverse_code; /* TRAVERSE_FROM_CODE: what its code visits
                                                  (the type table's) */
    const struct family_entry *code_base;      /* ... the model of the base traverse it calls */
    enum table_check {
        TABLE_NOT_CHECKED, /* not a fixed-field table, or not asked (target.check_tables) */
        TABLE_AGREES,      /* the traverse function's code visits exactly the table's fields */
        TABLE_DIFFERS,
        TABLE_CODE_UNREAD, /* the reader does not understand the code */
    } table_check;
    int64_t family_basicsize;  /* the family definer's basicsize, counted as with the
                                  default build's 16-byte head (as the family's
                                  functions see the object): tells apart the
                                  layouts one minor has had */
    size_t nmembers;
};

/* A name heapy gives a type regardless of its module: the types module's
 * names ("types.CodeType") and the builtins' ("int", "OSError"). */
struct type_alias {
    uint64_t type;
    char *name;
};

/* A traverse function read from its code, once a scan. */
struct code_read {
    uint64_t fn;
    struct traverse_code *code;
};

struct type_table {
    uint64_t subtype_traverse;   /* address of CPython's subtype_traverse, 0 if unknown */
    uint64_t structseq_traverse; /* ... of structseq_traverse, 0 if it has none of its own */
    uint64_t type_is_gc;         /* type's tp_is_gc: GC only when a heap type */
    bool types_module_seen;      /* the target imported `types`: its names are aliases */
    struct type_alias *aliases;  /* sorted by type address */
    size_t naliases;
    struct type_info *v;
    size_t count, cap;
    struct code_read *code_reads; /* the traverse functions read from their code */
    size_t ncode_reads, code_reads_cap;
    struct code_known *code_known; /* what the reader need not read (traverse_describe.c) */
    uint64_t *slot_addr;   /* open-addressing index: address -> slot_index + 1 */
    uint32_t *slot_index;
    size_t slots;          /* power of two */
};

void type_table_init(struct type_table *tt);

/* Learns heapy's aliases from the target's builtins and types module; call
 * before the first type_table_intern.  False when out of memory. */
bool type_table_load_aliases(struct type_table *tt, struct target *t);
void type_table_free(struct type_table *tt);

/* Adds a type described elsewhere (a snapshot); takes ownership of its
 * strings.  False when out of memory. */
bool type_table_append(struct type_table *tt, const struct type_info *ti);

/* The index of a type already described, without reading anything. */
bool type_table_find(const struct type_table *tt, uint64_t addr, uint32_t *idx);

/* The index of the type at addr, describing it on first sight.  Returns
 * UINT32_MAX when it cannot be read as a type object. */
uint32_t type_table_intern(struct type_table *tt, struct target *t, uint64_t addr);

#endif
