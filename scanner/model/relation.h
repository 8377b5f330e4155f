/* How a referrer holds a referent, named as heapy names relations ("[0]",
 * ".attr", "['key']", ".keys()[3]", ".f_locals['x']", "->ob_type").
 * Traversal reports one with every referent; the heap keeps it per edge as
 * a 32-bit label: the kind in the top 4 bits, a number, a name or the key's
 * object index below. */
#ifndef PYHEAPSCAN_RELATION_H
#define PYHEAPSCAN_RELATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum relation_kind {
    REL_NONE = 0,    /* no name: heapy's '??' */
    REL_INDEX,       /* [n]: tuple, list, deque items */
    REL_KEY,         /* .keys()[n]: a dict key, n its position */
    REL_VALUE,       /* [key]: a dict value; the label holds the key's object index */
    REL_ATTR,        /* .name */
    REL_INTERATTR,   /* ->name: a C field without a Python name */
    REL_LOCAL,       /* .f_locals['name'] */
    REL_CELL,        /* .f_locals ['name']: a cell or free variable */
    REL_STACK,       /* ->f_valuestack[n] */
    REL_INSET,       /* list(_)[n]: a set member */
    REL_ROOT,        /* .name of heapy's RootState (roots only, never on an edge) */
    REL_KEY_UNSEEN,  /* .keys()[n] too, of a str-keys table: gc.get_referents leaves it out (3.11+) */
};

/* What traversal reports: kind with a number (INDEX, KEY, STACK, INSET), a
 * name valid for the call (ATTR, INTERATTR, LOCAL, CELL) or the key's
 * address (VALUE). */
struct relation {
    enum relation_kind kind;
    uint64_t arg;       /* REL_ATTR without a name: the address of the str naming it */
    const char *name;
    bool quiet;         /* REL_QUIET */
};

/* Several names for one field, as heapy reports them all (classmethod's
 * __func__ and __wrapped__ share a slot): separated by this byte. */
#define REL_NAME_SEPARATOR '\x1f'

/* A relation heapy's relate functions do not report (a getset rather than a
 * member, ->ob_type, a generator's locals): named for `refs`, left out of
 * Via, as heapy leaves it out. */
#define REL_QUIET 0x08000000u
#define REL_LABEL_PAYLOAD 0x07FFFFFFu
#define REL_LABEL(kind, payload) (((uint32_t)(kind) << 28) | ((payload) & REL_LABEL_PAYLOAD))
#define REL_LABEL_KIND(label) ((enum relation_kind)((label) >> 28))
#define REL_LABEL_ARG(label) ((label) & REL_LABEL_PAYLOAD)
#define REL_LABEL_QUIET(label) (((label) & REL_QUIET) != 0)

/* rel's label by its kind alone (no name, index nor key). */
static inline uint32_t relation_kind_label(struct relation rel)
{
    return REL_LABEL(rel.kind, 0) | (rel.quiet ? REL_QUIET : 0);
}

/* Such a label in a byte (its kind and quiet bit, the payload being 0),
 * and back: a graph labelled by kind alone keeps a byte an edge. */
static inline uint8_t rel_label_kind_byte(uint32_t label)
{
    return (uint8_t)(label >> 24);
}

static inline uint32_t rel_label_of_kind_byte(uint8_t byte)
{
    return (uint32_t)byte << 24;
}

static inline struct relation rel_attr(const char *name)
{
    return (struct relation){REL_ATTR, 0, name, false};
}

static inline struct relation rel_inter(const char *name)
{
    return (struct relation){REL_INTERATTR, 0, name, false};
}

static inline struct relation rel_quiet(struct relation rel)
{
    rel.quiet = true;
    return rel;
}

static inline struct relation rel_num(enum relation_kind kind, uint64_t n)
{
    return (struct relation){kind, n, NULL, false};
}

static const struct relation rel_none = {REL_NONE, 0, NULL, false};

/* Interned names: labels carry an id, the table the text. */
struct name_table {
    char *chars;
    size_t len, cap;
    uint32_t *start;     /* name id -> offset in chars */
    size_t count, start_cap;
    uint32_t *slot;      /* open addressing: id + 1, 0 empty */
    size_t nslots;
};

void name_table_free(struct name_table *nt);
/* The id of s, added on first sight; UINT32_MAX when out of memory. */
uint32_t name_table_intern(struct name_table *nt, const char *s);
static inline const char *name_table_get(const struct name_table *nt, uint32_t id)
{
    return id < nt->count ? nt->chars + nt->start[id] : "?";
}

/* The relation as heapy writes it with the source left out: "[0]", ".a",
 * "['k']", "->tp_cache", ".i0_modules" (a root); for Via, a set member is
 * always "list(_)[0]", as heapy reports it.  Returns the length. */
size_t relation_render(const struct name_table *names, uint32_t label, bool heapy_set_index,
                       char *out, size_t cap);

/* Python's repr of a str given as UTF-8 (quotes chosen as Python chooses
 * them, escapes for control characters); at most cap-1 bytes, truncated. */
size_t py_repr_str(const char *s, size_t len, char *out, size_t cap);

#endif
