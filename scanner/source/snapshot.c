#include "snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "output_file.h"
#include "pyobj.h"

/* Layout: "PYHSNAP\0", u32 version, u32 flags, then sections until END:
 * u32 tag, u64 length, payload, u32 CRC-32 of the payload.  Integers are
 * little-endian; strings are u32 length + bytes. */
#define MAGIC "PYHSNAP"
/* 6: the relations end with the weak references (paths says what only
 * they lead to) */
#define VERSION 6
#define FLAG_REDACTED 1u

enum tag {
    TAG_FACTS = 1, TAG_TYPES = 2, TAG_OBJECTS = 3, TAG_EDGES = 4, TAG_CONTENTS = 5, TAG_OWNERS = 6, TAG_REACH = 7,
    TAG_RELATIONS = 8, TAG_END = 0xFFFF
};

/* ---- writing ------------------------------------------------------------- */

struct buf {
    unsigned char *p;
    size_t n, cap;
    bool oom;
};

static void put(struct buf *b, const void *data, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *grown = realloc(b->p, cap);
        if (!grown) {
            b->oom = true;
            return;
        }
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
}

static void put_u8(struct buf *b, uint8_t v) { put(b, &v, 1); }
static void put_u32(struct buf *b, uint32_t v) { put(b, &v, 4); }
static void put_u64(struct buf *b, uint64_t v) { put(b, &v, 8); }
static void put_str(struct buf *b, const char *s)
{
    uint32_t n = s ? (uint32_t)strlen(s) : 0;
    put_u32(b, n);
    put(b, s, n);
}

static void section(FILE *out, uint32_t tag, const struct buf *b)
{
    uint64_t len = b->n;
    uint32_t crc = (uint32_t)crc32(0L, b->p, (uInt)b->n);
    fwrite(&tag, 4, 1, out);
    fwrite(&len, 8, 1, out);
    if (b->n)
        fwrite(b->p, 1, b->n, out);
    fwrite(&crc, 4, 1, out);
}

bool snapshot_save(const char *path, const struct heap *h, const struct target *t,
                   const struct scan_facts *facts, bool redact, struct error *err)
{
    struct output_file out;
    if (!output_open_mode(&out, path, 0600, err))
        return false;
    fwrite(MAGIC, 1, 8, out.fp);
    uint32_t version = VERSION, flags = redact ? FLAG_REDACTED : 0;
    fwrite(&version, 4, 1, out.fp);
    fwrite(&flags, 4, 1, out.fp);

    struct buf b = {0};
    put_u32(&b, (uint32_t)t->pid);
    put_u32(&b, t->version_hex);
    put_u32(&b, (uint32_t)t->minor);
    put_u32(&b, (uint32_t)t->micro);
    put_u8(&b, t->debug);
    put_u8(&b, t->shared_libpython);
    put_u8(&b, t->pie);
    put_u8(&b, h->collecting);
    put_u32(&b, (uint32_t)facts->threads);
    put_str(&b, t->version_text);
    put_str(&b, t->layout_key);
    put_str(&b, t->binary);
    put_str(&b, facts->source);
    section(out.fp, TAG_FACTS, &b);

    b.n = 0;
    put_u64(&b, h->types.count);
    for (size_t i = 0; i < h->types.count; i++) {
        const struct type_info *ti = &h->types.v[i];
        put_u64(&b, ti->addr);
        put_u64(&b, ti->flags);
        put_u64(&b, (uint64_t)ti->basicsize);
        put_u64(&b, (uint64_t)ti->itemsize);
        put_u8(&b, (uint8_t)ti->size_kind);
        put_u8(&b, (uint8_t)ti->traverse);
        put_str(&b, ti->name);
        put_str(&b, ti->sizeof_definer);
        put_str(&b, ti->plain_name);
    }
    section(out.fp, TAG_TYPES, &b);

    b.n = 0;
    put_u64(&b, h->count);
    put_u64(&b, h->gc_count);
    put_u64(&b, h->closure_count);
    put(&b, h->addr, h->count * sizeof *h->addr);
    put(&b, h->type, h->count * sizeof *h->type);
    put(&b, h->size, h->count * sizeof *h->size);
    put(&b, h->origin, h->count * sizeof *h->origin);
    section(out.fp, TAG_OBJECTS, &b);

    b.n = 0;
    put_u64(&b, h->edge_start ? h->nedges : 0);
    if (h->edge_start) {
        put(&b, h->edge_start, (h->count + 1) * sizeof *h->edge_start);
        put(&b, h->edge_to, h->nedges * sizeof *h->edge_to);
    }
    section(out.fp, TAG_EDGES, &b);

    b.n = 0;
    size_t kept = 0;
    for (size_t i = 0; !redact && h->content_of && i < h->count; i++)
        kept += h->content_of[i] != UINT32_MAX;
    put_u64(&b, kept);
    for (size_t i = 0; kept && i < h->count; i++) {
        if (h->content_of[i] == UINT32_MAX)
            continue;
        const struct heap_content *c = &h->contents[h->content_of[i]];
        put_u64(&b, i);
        put_u64(&b, c->length);
        put_u32(&b, c->kept);
        put(&b, c->data, c->kept);
        put_u32(&b, c->tail);
        if (c->tail)
            put(&b, c->data + c->kept + 1, c->tail);
    }
    section(out.fp, TAG_CONTENTS, &b);

    b.n = 0;
    put_u8(&b, h->dict_owner != NULL);
    if (h->dict_owner)
        put(&b, h->dict_owner, h->count * sizeof *h->dict_owner);
    section(out.fp, TAG_OWNERS, &b);

    b.n = 0;
    put_u8(&b, h->reach != NULL);
    if (h->reach) {
        put(&b, h->reach, h->count);
        put_u64(&b, h->nroots);
        for (size_t i = 0; i < h->nroots; i++) {
            put_u32(&b, h->roots[i].object);
            put_u32(&b, h->roots[i].frame_label);
            put_str(&b, h->roots[i].name);
        }
    }
    section(out.fp, TAG_REACH, &b);

    b.n = 0;
    bool labels = h->edge_label && h->edge_start;
    put_u8(&b, labels);
    if (labels)
        put(&b, h->edge_label, h->nedges * sizeof *h->edge_label);
    put_u64(&b, h->names.count);
    for (size_t i = 0; i < h->names.count; i++)
        put_str(&b, name_table_get(&h->names, (uint32_t)i));
    put_u8(&b, h->extra_start != NULL);
    if (h->extra_start) {
        put_u64(&b, h->nextra);
        put(&b, h->extra_start, (h->count + 1) * sizeof *h->extra_start);
        put(&b, h->extra_to, h->nextra * sizeof *h->extra_to);
        put_u8(&b, h->extra_label != NULL);
        if (h->extra_label)
            put(&b, h->extra_label, h->nextra * sizeof *h->extra_label);
    }
    put_u8(&b, h->weakrefs_known);
    put_u64(&b, h->nweakrefs);
    for (size_t i = 0; i < h->nweakrefs; i++) {
        put_u32(&b, h->weakrefs[i].weakref);
        put_u64(&b, h->weakrefs[i].referent);
    }
    section(out.fp, TAG_RELATIONS, &b);

    b.n = 0;
    section(out.fp, TAG_END, &b);
    bool oom = b.oom;
    free(b.p);
    if (oom) {
        output_abandon(&out);
        return fail(err, EXIT_INTERNAL, "out of memory");
    }
    return output_commit(&out, err);
}

/* ---- reading ------------------------------------------------------------- */

struct reader {
    const unsigned char *p;
    size_t n, at;
    bool bad;
};

static bool take(struct reader *r, void *out, size_t n)
{
    if (r->bad || n > r->n - r->at) {
        r->bad = true;
        if (out)
            memset(out, 0, n);
        return false;
    }
    if (out)
        memcpy(out, r->p + r->at, n);
    r->at += n;
    return true;
}

static uint8_t get_u8(struct reader *r) { uint8_t v; take(r, &v, 1); return v; }
static uint32_t get_u32(struct reader *r) { uint32_t v; take(r, &v, 4); return v; }
static uint64_t get_u64(struct reader *r) { uint64_t v; take(r, &v, 8); return v; }

static char *get_str(struct reader *r)
{
    uint32_t n = get_u32(r);
    if (r->bad || n > r->n - r->at) {
        r->bad = true;
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (!s) {
        r->bad = true;
        return NULL;
    }
    take(r, s, n);
    s[n] = '\0';
    return s;
}

/* The payload of the next section, checked. */
static bool next_section(struct reader *file, uint32_t want, struct reader *out)
{
    uint32_t tag = get_u32(file);
    uint64_t len = get_u64(file);
    if (file->bad || tag != want || len > file->n - file->at || file->n - file->at - len < 4)
        return false;
    const unsigned char *payload = file->p + file->at;
    file->at += len;
    uint32_t crc = get_u32(file);
    if (crc != (uint32_t)crc32(0L, payload, (uInt)len))
        return false;
    *out = (struct reader){payload, (size_t)len, 0, false};
    return true;
}

static bool fill_array(struct reader *r, void **dst, size_t count, size_t elem)
{
    if (count > (r->n - r->at) / (elem ? elem : 1)) {
        r->bad = true;
        return false;
    }
    *dst = malloc(count ? count * elem : 1);
    return *dst && take(r, *dst, count * elem);
}

static bool load_from(struct reader *file, struct heap *h, struct target *t, struct scan_facts *facts)
{
    char magic[8];
    if (!take(file, magic, 8) || memcmp(magic, MAGIC, 8) != 0 || get_u32(file) != VERSION)
        return false;
    (void)get_u32(file); /* flags */
    struct reader r;
    if (!next_section(file, TAG_FACTS, &r))
        return false;
    t->pid = (pid_t)get_u32(&r);
    t->version_hex = get_u32(&r);
    t->minor = (int)get_u32(&r);
    t->micro = (int)get_u32(&r);
    t->debug = get_u8(&r);
    t->shared_libpython = get_u8(&r);
    t->pie = get_u8(&r);
    h->collecting = get_u8(&r);
    facts->threads = (int)get_u32(&r);
    char *version = get_str(&r), *key = get_str(&r), *binary = get_str(&r), *source = get_str(&r);
    if (version)
        snprintf(t->version_text, sizeof t->version_text, "%s", version);
    if (key)
        snprintf(t->layout_key, sizeof t->layout_key, "%s", key);
    /* Whether the layout was generated from this patch level: the committed
     * layouts say (the snapshot keeps the key, not the fitting). */
    t->layout_tested = false;
    for (size_t i = 0; key && i < py_layouts_count; i++)
        if (strcmp(py_layouts[i].key, key) == 0)
            t->layout_tested = py_layout_tested(&py_layouts[i], t->micro);
    if (binary)
        snprintf(t->binary, sizeof t->binary, "%s", binary);
    free(version);
    free(key);
    free(binary);
    free(source);
    if (r.bad || !next_section(file, TAG_TYPES, &r))
        return false;
    uint64_t ntypes = get_u64(&r);
    if (ntypes > r.n / 34)
        return false;
    for (uint64_t i = 0; i < ntypes && !r.bad; i++) {
        struct type_info ti;
        memset(&ti, 0, sizeof ti);
        ti.addr = get_u64(&r);
        ti.flags = get_u64(&r);
        ti.basicsize = (int64_t)get_u64(&r);
        ti.itemsize = (int64_t)get_u64(&r);
        ti.size_kind = (enum size_kind)get_u8(&r);
        ti.traverse = (enum traverse_kind)get_u8(&r);
        ti.name = get_str(&r);
        ti.sizeof_definer = get_str(&r);
        ti.plain_name = get_str(&r);
        /* Py_TPFLAGS_HEAPTYPE is 1 << 9 in every version. */
        ti.heaptype = (ti.flags & (1u << 9)) != 0;
        ti.exact_dict = ti.name && !ti.heaptype && strcmp(ti.name, "dict") == 0;
        if (!ti.name || ti.size_kind >= SIZE_KIND_COUNT || ti.traverse >= TRAVERSE_KIND_COUNT ||
            !type_table_append(&h->types, &ti)) {
            free(ti.name);
            free(ti.sizeof_definer);
            free(ti.plain_name);
            return false;
        }
    }
    if (r.bad || !next_section(file, TAG_OBJECTS, &r))
        return false;
    uint64_t count = get_u64(&r), gc_count = get_u64(&r), closure_count = get_u64(&r);
    if (gc_count > closure_count || closure_count > count || count > UINT32_MAX || count > r.n / 21)
        return false;
    if (!fill_array(&r, (void **)&h->addr, count, 8) || !fill_array(&r, (void **)&h->type, count, 4) ||
        !fill_array(&r, (void **)&h->size, count, 8) || !fill_array(&r, (void **)&h->origin, count, 1))
        return false;
    h->count = h->cap = count;
    h->gc_count = gc_count;
    h->closure_count = closure_count;
    for (size_t i = 0; i < count; i++)
        if (h->type[i] >= h->types.count)
            return false;
    if (!next_section(file, TAG_EDGES, &r))
        return false;
    uint64_t nedges = get_u64(&r);
    if (nedges) {
        if (!fill_array(&r, (void **)&h->edge_start, count + 1, 8) ||
            !fill_array(&r, (void **)&h->edge_to, nedges, 4))
            return false;
        h->nedges = h->edge_cap = nedges;
        h->traversed = count;
        for (size_t i = 0; i < count; i++)
            if (h->edge_start[i] > h->edge_start[i + 1] || h->edge_start[i + 1] > nedges)
                return false;
        if (h->edge_start[0] != 0)
            return false;
        for (uint64_t e = 0; e < nedges; e++)
            if (h->edge_to[e] >= count)
                return false;
    }
    if (!next_section(file, TAG_CONTENTS, &r))
        return false;
    uint64_t ncontents = get_u64(&r);
    if (ncontents > count || ncontents > r.n / 20)
        return false;
    h->content_of = malloc((count ? count : 1) * sizeof *h->content_of);
    h->contents = calloc(ncontents ? ncontents : 1, sizeof *h->contents);
    if (!h->content_of || !h->contents)
        return false;
    h->contents_cap = ncontents;
    for (size_t i = 0; i < count; i++)
        h->content_of[i] = UINT32_MAX;
    for (uint64_t k = 0; k < ncontents; k++) {
        uint64_t i = get_u64(&r), length = get_u64(&r);
        uint32_t kept = get_u32(&r);
        if (r.bad || i >= count || kept > HEAP_CONTENT_KEEP || kept > r.n - r.at)
            return false;
        char *data = malloc(kept + 1 + 64);
        if (!data)
            return false;
        take(&r, data, kept);
        data[kept] = '\0';
        uint32_t tail = get_u32(&r);
        if (tail > 14 * 4 || tail > r.n - r.at) {
            free(data);
            return false;
        }
        take(&r, data + kept + 1, tail);
        data[kept + 1 + tail] = '\0';
        h->contents[h->ncontents] = (struct heap_content){length, kept, tail, data};
        h->content_of[i] = (uint32_t)h->ncontents++;
    }
    if (!next_section(file, TAG_OWNERS, &r))
        return false;
    if (get_u8(&r)) {
        if (!fill_array(&r, (void **)&h->dict_owner, count, 4))
            return false;
        for (size_t i = 0; i < count; i++)
            if (h->dict_owner[i] != UINT32_MAX && h->dict_owner[i] >= count)
                return false;
    }
    if (r.bad || !next_section(file, TAG_REACH, &r))
        return false;
    if (get_u8(&r)) {
        if (!fill_array(&r, (void **)&h->reach, count, 1))
            return false;
        uint64_t nroots = get_u64(&r);
        if (nroots > r.n / 8)
            return false;
        h->roots = calloc(nroots ? nroots : 1, sizeof *h->roots);
        if (!h->roots)
            return false;
        h->roots_cap = nroots;
        for (uint64_t i = 0; i < nroots; i++) {
            uint32_t object = get_u32(&r);
            h->roots[i].frame_label = get_u32(&r);
            char *name = get_str(&r);
            if (!name || object >= count) {
                free(name);
                return false;
            }
            h->roots[i].object = object;
            snprintf(h->roots[i].name, sizeof h->roots[i].name, "%s", name);
            free(name);
            h->nroots++;
        }
    }
    if (r.bad || !next_section(file, TAG_RELATIONS, &r))
        return false;
    if (get_u8(&r) && (!h->edge_start || !fill_array(&r, (void **)&h->edge_label, h->nedges, 4)))
        return false;
    uint64_t nnames = get_u64(&r);
    if (nnames > r.n / 4)
        return false;
    for (uint64_t i = 0; i < nnames; i++) {
        char *name = get_str(&r);
        /* Names are distinct: a repeat would shift every later id. */
        bool ok = name && name_table_intern(&h->names, name) == i;
        free(name);
        if (!ok)
            return false;
    }
    if (get_u8(&r)) {
        uint64_t nextra = get_u64(&r);
        if (!fill_array(&r, (void **)&h->extra_start, count + 1, 8) ||
            !fill_array(&r, (void **)&h->extra_to, nextra, 4))
            return false;
        h->nextra = nextra;
        if (h->extra_start[0] != 0)
            return false;
        for (size_t i = 0; i < count; i++)
            if (h->extra_start[i] > h->extra_start[i + 1] || h->extra_start[i + 1] > nextra)
                return false;
        for (uint64_t e = 0; e < nextra; e++)
            if (h->extra_to[e] >= count)
                return false;
        if (get_u8(&r) && !fill_array(&r, (void **)&h->extra_label, nextra, 4))
            return false;
    }
    h->weakrefs_known = get_u8(&r);
    uint64_t nweak = get_u64(&r);
    if (nweak > r.n / 12)
        return false;
    h->weakrefs = malloc((nweak ? nweak : 1) * sizeof *h->weakrefs);
    if (!h->weakrefs)
        return false;
    h->weakrefs_cap = nweak;
    for (uint64_t i = 0; i < nweak; i++) {
        uint32_t from = get_u32(&r);
        uint64_t to = get_u64(&r);
        if (from >= count)
            return false;
        h->weakrefs[h->nweakrefs++] = (struct heap_weakref){from, to};
    }
    return !r.bad && next_section(file, TAG_END, &r) && file->at == file->n;
}

bool snapshot_load(const char *path, struct heap *h, struct target *t, struct scan_facts *facts,
                   struct error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(err, errno == ENOENT ? EXIT_BAD_SNAPSHOT : EXIT_PERMISSION, "%s: %s", path,
                    strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size == 0) {
        close(fd);
        return fail(err, EXIT_BAD_SNAPSHOT, "%s: empty, not a pyheapscan snapshot", path);
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return fail(err, EXIT_BAD_SNAPSHOT, "%s: %s", path, strerror(errno));
    struct reader file = {p, (size_t)st.st_size, 0, false};
    bool ok = load_from(&file, h, t, facts);
    munmap(p, (size_t)st.st_size);
    if (!ok)
        return fail(err, EXIT_BAD_SNAPSHOT,
                    "%s: not a pyheapscan snapshot of version %d, or corrupt or truncated", path,
                    VERSION);
    facts->source = "snapshot";
    return true;
}
