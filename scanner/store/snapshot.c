#include "store/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "base/output_file.h"
#include "model/pyobj.h"
#include "store/snapshot_codec.h"
#include "store/snapshot_stacks.h"

/* Layout: "PYHSNAP\0", u32 version, u32 flags, then sections until END:
 * u32 tag, u64 length, payload, u32 CRC-32 of the payload.  Integers are
 * little-endian; strings are u32 length + bytes. */
#define MAGIC "PYHSNAP"
/* 6: the relations end with the weak references (paths says what only
 * they lead to); 7: the threads' stacks (stacks --load); 6 is still read */
#define VERSION 7
#define OLDEST_VERSION 6
#define FLAG_REDACTED 1u

enum tag {
    TAG_FACTS = 1, TAG_TYPES = 2, TAG_OBJECTS = 3, TAG_EDGES = 4, TAG_CONTENTS = 5, TAG_OWNERS = 6, TAG_REACH = 7,
    TAG_RELATIONS = 8, TAG_STACKS = 9, TAG_END = 0xFFFF
};

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
    snap_put_u32(&b, (uint32_t)t->pid);
    snap_put_u32(&b, t->version_hex);
    snap_put_u32(&b, (uint32_t)t->minor);
    snap_put_u32(&b, (uint32_t)t->micro);
    snap_put_u8(&b, t->debug);
    snap_put_u8(&b, t->shared_libpython);
    snap_put_u8(&b, t->pie);
    snap_put_u8(&b, h->collecting);
    snap_put_u32(&b, (uint32_t)facts->threads);
    snap_put_str(&b, t->version_text);
    snap_put_str(&b, t->layout_key);
    snap_put_str(&b, t->binary);
    snap_put_str(&b, facts->source);
    snap_section(out.fp, TAG_FACTS, &b);

    b.n = 0;
    snap_put_u64(&b, h->types.count);
    for (size_t i = 0; i < h->types.count; i++) {
        const struct type_info *ti = &h->types.v[i];
        snap_put_u64(&b, ti->addr);
        snap_put_u64(&b, ti->flags);
        snap_put_u64(&b, (uint64_t)ti->basicsize);
        snap_put_u64(&b, (uint64_t)ti->itemsize);
        snap_put_u8(&b, (uint8_t)ti->size_kind);
        snap_put_u8(&b, (uint8_t)ti->traverse);
        snap_put_str(&b, ti->name);
        snap_put_str(&b, ti->sizeof_definer);
        snap_put_str(&b, ti->plain_name);
    }
    snap_section(out.fp, TAG_TYPES, &b);

    b.n = 0;
    snap_put_u64(&b, h->count);
    snap_put_u64(&b, h->gc_count);
    snap_put_u64(&b, h->closure_count);
    snap_put(&b, h->addr, h->count * sizeof *h->addr);
    snap_put(&b, h->type, h->count * sizeof *h->type);
    snap_put(&b, h->size, h->count * sizeof *h->size);
    snap_put(&b, h->origin, h->count * sizeof *h->origin);
    snap_section(out.fp, TAG_OBJECTS, &b);

    b.n = 0;
    snap_put_u64(&b, h->edge_start ? h->nedges : 0);
    if (h->edge_start) {
        snap_put_u32s_wide(&b, h->edge_start, h->count + 1);
        snap_put(&b, h->edge_to, h->nedges * sizeof *h->edge_to);
    }
    snap_section(out.fp, TAG_EDGES, &b);

    b.n = 0;
    /* in their objects' order, as they are kept */
    size_t kept = redact ? 0 : h->ncontents;
    snap_put_u64(&b, kept);
    for (size_t k = 0; k < kept; k++) {
        const struct heap_content *c = &h->contents[k];
        snap_put_u64(&b, c->object);
        snap_put_u64(&b, c->length);
        snap_put_u32(&b, c->kept);
        snap_put(&b, c->data, c->kept);
        snap_put_u32(&b, c->tail);
        if (c->tail)
            snap_put(&b, c->data + c->kept + 1, c->tail);
    }
    snap_section(out.fp, TAG_CONTENTS, &b);

    b.n = 0;
    /* the owners as indices, UINT32_MAX for none */
    uint32_t *owners = h->dict_owned_by ? malloc((h->count ? h->count : 1) * sizeof *owners) : NULL;
    if (h->dict_owned_by && !owners)
        b.oom = true;
    snap_put_u8(&b, owners != NULL);
    for (size_t i = 0; owners && i < h->count; i++)
        owners[i] = heap_dict_owner(h, (uint32_t)i);
    if (owners)
        snap_put(&b, owners, h->count * sizeof *owners);
    free(owners);
    snap_section(out.fp, TAG_OWNERS, &b);

    b.n = 0;
    snap_put_u8(&b, h->reach != NULL);
    if (h->reach) {
        snap_put(&b, h->reach, h->count);
        snap_put_u64(&b, h->nroots);
        for (size_t i = 0; i < h->nroots; i++) {
            snap_put_u32(&b, h->roots[i].object);
            snap_put_u32(&b, h->roots[i].frame_label);
            snap_put_str(&b, h->roots[i].name);
        }
    }
    snap_section(out.fp, TAG_REACH, &b);

    b.n = 0;
    bool labels = h->edge_label && h->edge_start;
    snap_put_u8(&b, labels);
    if (labels)
        snap_put(&b, h->edge_label, h->nedges * sizeof *h->edge_label);
    snap_put_u64(&b, h->names.count);
    for (size_t i = 0; i < h->names.count; i++)
        snap_put_str(&b, name_table_get(&h->names, (uint32_t)i));
    /* the extra edges as a start offset per object, as the edges are */
    uint32_t *extra_start = h->extra_first ? heap_extra_starts(h) : NULL;
    if (h->extra_first && !extra_start)
        b.oom = true;
    snap_put_u8(&b, extra_start != NULL);
    if (extra_start) {
        snap_put_u64(&b, h->nextra);
        snap_put_u32s_wide(&b, extra_start, h->count + 1);
        free(extra_start);
        snap_put(&b, h->extra_to, h->nextra * sizeof *h->extra_to);
        snap_put_u8(&b, h->extra_label != NULL);
        if (h->extra_label)
            snap_put(&b, h->extra_label, h->nextra * sizeof *h->extra_label);
    }
    snap_put_u8(&b, h->weakrefs_known);
    snap_put_u64(&b, h->nweakrefs);
    for (size_t i = 0; i < h->nweakrefs; i++) {
        snap_put_u32(&b, h->weakrefs[i].weakref);
        snap_put_u64(&b, h->weakrefs[i].referent);
    }
    snap_section(out.fp, TAG_RELATIONS, &b);

    b.n = 0;
    bool stacks = facts->stacks && !facts->stacks_missing[0];
    snapshot_put_stacks(&b, stacks ? facts->stacks : NULL,
                        facts->stacks_missing[0] ? facts->stacks_missing : "they were not read", redact);
    snap_section(out.fp, TAG_STACKS, &b);

    b.n = 0;
    snap_section(out.fp, TAG_END, &b);
    bool oom = b.oom;
    free(b.p);
    if (oom) {
        output_abandon(&out);
        return fail(err, EXIT_INTERNAL, "out of memory");
    }
    return output_commit(&out, err);
}

static bool load_from(struct reader *file, struct heap *h, struct target *t, struct scan_facts *facts)
{
    char magic[8];
    if (!snap_take(file, magic, 8) || memcmp(magic, MAGIC, 8) != 0)
        return false;
    uint32_t format = snap_get_u32(file);
    if (format < OLDEST_VERSION || format > VERSION)
        return false;
    (void)snap_get_u32(file); /* flags */
    struct reader r;
    if (!snap_next_section(file, TAG_FACTS, &r))
        return false;
    t->pid = (pid_t)snap_get_u32(&r);
    t->version_hex = snap_get_u32(&r);
    t->minor = (int)snap_get_u32(&r);
    t->micro = (int)snap_get_u32(&r);
    t->debug = snap_get_u8(&r);
    t->shared_libpython = snap_get_u8(&r);
    t->pie = snap_get_u8(&r);
    h->collecting = snap_get_u8(&r);
    facts->threads = (int)snap_get_u32(&r);
    char *version = snap_get_str(&r), *key = snap_get_str(&r), *binary = snap_get_str(&r), *source = snap_get_str(&r);
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
    if (r.bad || !snap_next_section(file, TAG_TYPES, &r))
        return false;
    uint64_t ntypes = snap_get_u64(&r);
    if (ntypes > r.n / 34)
        return false;
    for (uint64_t i = 0; i < ntypes && !r.bad; i++) {
        struct type_info ti;
        memset(&ti, 0, sizeof ti);
        ti.addr = snap_get_u64(&r);
        ti.flags = snap_get_u64(&r);
        ti.basicsize = (int64_t)snap_get_u64(&r);
        ti.itemsize = (int64_t)snap_get_u64(&r);
        ti.size_kind = (enum size_kind)snap_get_u8(&r);
        ti.traverse = (enum traverse_kind)snap_get_u8(&r);
        ti.name = snap_get_str(&r);
        ti.sizeof_definer = snap_get_str(&r);
        ti.plain_name = snap_get_str(&r);
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
    if (r.bad || !snap_next_section(file, TAG_OBJECTS, &r))
        return false;
    uint64_t count = snap_get_u64(&r), gc_count = snap_get_u64(&r), closure_count = snap_get_u64(&r);
    if (gc_count > closure_count || closure_count > count || count > UINT32_MAX || count > r.n / 21)
        return false;
    if (!snap_fill_array(&r, (void **)&h->addr, count, 8) || !snap_fill_array(&r, (void **)&h->type, count, 4) ||
        !snap_fill_array(&r, (void **)&h->size, count, 8) || !snap_fill_array(&r, (void **)&h->origin, count, 1))
        return false;
    h->count = h->cap = count;
    h->gc_count = gc_count;
    h->closure_count = closure_count;
    for (size_t i = 0; i < count; i++)
        if (h->type[i] >= h->types.count)
            return false;
    if (!snap_next_section(file, TAG_EDGES, &r))
        return false;
    uint64_t nedges = snap_get_u64(&r);
    if (nedges) {
        if (!snap_fill_u32s_wide(&r, &h->edge_start, count + 1) ||
            !snap_fill_array(&r, (void **)&h->edge_to, nedges, 4))
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
    if (!snap_next_section(file, TAG_CONTENTS, &r))
        return false;
    uint64_t ncontents = snap_get_u64(&r);
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
        uint64_t i = snap_get_u64(&r), length = snap_get_u64(&r);
        uint32_t kept = snap_get_u32(&r);
        /* in their objects' order, once each, as saved */
        if (r.bad || i >= count || kept > HEAP_CONTENT_KEEP || kept > r.n - r.at ||
            (k && i <= h->contents[k - 1].object))
            return false;
        char *data = malloc(kept + 1 + 64);
        if (!data)
            return false;
        snap_take(&r, data, kept);
        data[kept] = '\0';
        uint32_t tail = snap_get_u32(&r);
        if (tail > 14 * 4 || tail > r.n - r.at) {
            free(data);
            return false;
        }
        snap_take(&r, data + kept + 1, tail);
        data[kept + 1 + tail] = '\0';
        h->contents[h->ncontents] = (struct heap_content){length, kept, tail, (uint32_t)i, data};
        h->content_of[i] = (uint32_t)h->ncontents++;
    }
    if (!snap_next_section(file, TAG_OWNERS, &r))
        return false;
    if (snap_get_u8(&r)) {
        /* indices, UINT32_MAX for none, kept as index + 1 */
        if (!snap_fill_array(&r, (void **)&h->dict_owned_by, count, 4))
            return false;
        for (size_t i = 0; i < count; i++) {
            uint32_t owner = h->dict_owned_by[i];
            if (owner != UINT32_MAX && owner >= count)
                return false;
            h->dict_owned_by[i] = owner + 1;
        }
    }
    if (r.bad || !snap_next_section(file, TAG_REACH, &r))
        return false;
    if (snap_get_u8(&r)) {
        if (!snap_fill_array(&r, (void **)&h->reach, count, 1))
            return false;
        uint64_t nroots = snap_get_u64(&r);
        if (nroots > r.n / 8)
            return false;
        h->roots = calloc(nroots ? nroots : 1, sizeof *h->roots);
        if (!h->roots)
            return false;
        h->roots_cap = nroots;
        for (uint64_t i = 0; i < nroots; i++) {
            uint32_t object = snap_get_u32(&r);
            h->roots[i].frame_label = snap_get_u32(&r);
            char *name = snap_get_str(&r);
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
    if (r.bad || !snap_next_section(file, TAG_RELATIONS, &r))
        return false;
    if (snap_get_u8(&r) && (!h->edge_start || !snap_fill_array(&r, (void **)&h->edge_label, h->nedges, 4)))
        return false;
    uint64_t nnames = snap_get_u64(&r);
    if (nnames > r.n / 4)
        return false;
    for (uint64_t i = 0; i < nnames; i++) {
        char *name = snap_get_str(&r);
        /* Names are distinct: a repeat would shift every later id. */
        bool ok = name && name_table_intern(&h->names, name) == i;
        free(name);
        if (!ok)
            return false;
    }
    if (snap_get_u8(&r)) {
        uint64_t nextra = snap_get_u64(&r);
        uint32_t *extra_start = NULL;
        bool ok = snap_fill_u32s_wide(&r, &extra_start, count + 1) &&
                  snap_fill_array(&r, (void **)&h->extra_to, nextra, 4);
        h->nextra = nextra;
        ok = ok && extra_start[0] == 0;
        for (size_t i = 0; ok && i < count; i++)
            ok = extra_start[i] <= extra_start[i + 1] && extra_start[i + 1] <= nextra;
        for (uint64_t e = 0; ok && e < nextra; e++)
            ok = h->extra_to[e] < count;
        ok = ok && heap_extra_from_starts(h, extra_start);
        free(extra_start);
        if (!ok)
            return false;
        if (snap_get_u8(&r) && !snap_fill_array(&r, (void **)&h->extra_label, nextra, 4))
            return false;
    }
    h->weakrefs_known = snap_get_u8(&r);
    uint64_t nweak = snap_get_u64(&r);
    if (nweak > r.n / 12)
        return false;
    h->weakrefs = malloc((nweak ? nweak : 1) * sizeof *h->weakrefs);
    if (!h->weakrefs)
        return false;
    h->weakrefs_cap = nweak;
    for (uint64_t i = 0; i < nweak; i++) {
        uint32_t from = snap_get_u32(&r);
        uint64_t to = snap_get_u64(&r);
        if (from >= count)
            return false;
        h->weakrefs[h->nweakrefs++] = (struct heap_weakref){from, to};
    }
    if (r.bad)
        return false;
    bool kept = false;
    if (format < 7)
        snprintf(facts->stacks_missing, sizeof facts->stacks_missing,
                 "it was saved in format %u, before snapshots kept stacks", format);
    else {
        struct thread_stacks unwanted = {0};
        struct thread_stacks *into = facts->stacks ? facts->stacks : &unwanted;
        bool ok = snap_next_section(file, TAG_STACKS, &r) &&
                  snapshot_get_stacks(&r, into, &kept, facts->stacks_missing, sizeof facts->stacks_missing);
        thread_stacks_free(&unwanted);
        if (!ok)
            return false;
    }
    return snap_next_section(file, TAG_END, &r) && file->at == file->n;
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
