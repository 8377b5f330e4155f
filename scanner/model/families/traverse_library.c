/* Single types of the library's extension modules: array.array
 * (Modules/arraymodule.c), decimal.Decimal (Modules/_decimal/_decimal.c),
 * xml.etree.ElementTree.Element (Modules/_elementtree.c), 3.8 to 3.15. */
#include "family.h"

#include "pyobj.h"

static const int64_t none[] = {-1};

/* arrayobject {PyObject_VAR_HEAD, ob_item, allocated, ob_descr, ...};
 * arraydescr {char typecode; int itemsize; ...}: __sizeof__ counts the
 * allocated items. */
static uint64_t array_size(struct target *t, const struct type_info *ti, uint64_t obj)
{
    int32_t itemsize = 0;
    uint64_t descr = u64_at(t, obj + 40);
    if (descr)
        mem_read(t->mem, descr + 4, &itemsize, sizeof itemsize);
    return (uint64_t)ti->basicsize + u64_at(t, obj + 32) * (uint64_t)(itemsize > 0 ? itemsize : 0);
}

/* PyDecObject {hash, mpd_t {uint8 flags, exp, digits, len, alloc, data},
 * data[4]}: digits count when they are not in the object (no STATIC,
 * SHARED or CONST data flag, mpdecimal.h). */
static uint64_t decimal_size(struct target *t, const struct type_info *ti, uint64_t obj)
{
    uint8_t flags = 0xff;
    mem_read(t->mem, obj + 24, &flags, 1);
    uint64_t size = (uint64_t)ti->basicsize;
    if (!(flags & 0xE0))
        size += u64_at(t, obj + 56) * 8;
    return size;
}

/* ElementObject {tag, text, tail, extra, weakreflist}: text and tail carry
 * a flag in their low bit (JOIN_OBJ); ElementObjectExtra {attrib, length,
 * allocated, children, _children[4]}. */
static bool element_traverse(struct target *t, const struct type_info *ti, uint64_t obj,
                             family_visit_fn visit, void *ctx)
{
    (void)ti;
    uint64_t tag = u64_at(t, obj + 16), text = u64_at(t, obj + 24) & ~(uint64_t)1,
             tail = u64_at(t, obj + 32) & ~(uint64_t)1, extra = u64_at(t, obj + 40);
    if (tag)
        visit(ctx, tag);
    if (text)
        visit(ctx, text);
    if (tail)
        visit(ctx, tail);
    if (!extra)
        return true;
    uint64_t attrib = u64_at(t, extra);
    if (attrib)
        visit(ctx, attrib);
    int64_t n = (int64_t)u64_at(t, extra + 8);
    uint64_t children = u64_at(t, extra + 24);
    if (n < 0 || n > (1 << 24))
        return false;
    for (int64_t i = 0; i < n; i++) {
        uint64_t c = u64_at(t, children + (uint64_t)i * 8);
        if (c)
            visit(ctx, c);
    }
    return true;
}

static uint64_t element_size(struct target *t, const struct type_info *ti, uint64_t obj)
{
    uint64_t extra = u64_at(t, obj + 40), size = (uint64_t)ti->basicsize;
    if (extra) {
        size += 64;
        if (u64_at(t, extra + 24) != extra + 32)
            size += u64_at(t, extra + 16) * 8;
    }
    return size;
}

static const struct family_entry entries[] = {
    {"array.array", 8, 99, none, false, false, false, NULL, array_size},
    {"decimal.Decimal", 8, 99, NULL, false, false, false, NULL, decimal_size},
    {"xml.etree.ElementTree.Element", 8, 99, NULL, false, false, false, element_traverse, element_size},
};

const struct family family_library = {"library", entries, sizeof entries / sizeof entries[0]};
