/* parser.st (Modules/parsermodule.c, 3.8 and 3.9): __sizeof__ is the
 * object's basicsize plus _PyNode_SizeOf of its tree of C nodes
 * (Parser/node.c): one node for the root, then for every node its
 * children's array — XXXROUNDUP(n_nchildren) nodes, allocated in steps —
 * and its string with the NUL.  PyST_Object {st_node, ...}; node (node.h)
 * {short n_type, char *n_str (8), int n_lineno, int n_col_offset, int
 * n_nchildren (24), node *n_child (32), int n_end_lineno, int
 * n_end_col_offset}: 48 bytes, the children one array of nodes. */
#include "model/families/family.h"

#include <stdlib.h>

#include "model/pyobj.h"

enum { NODE_SIZE = 48, NODE_STR = 8, NODE_NCHILDREN = 24, NODE_CHILD = 32, MAX_NODES = 1 << 20 };

/* node.c's XXXROUNDUP: 0 or 1 as they are, up to 128 to a multiple of 4,
 * beyond to a power of 2 from 256. */
static uint64_t roundup(uint64_t n)
{
    if (n <= 1)
        return n;
    if (n <= 128)
        return (n + 3) & ~(uint64_t)3;
    uint64_t r = 256;
    while (r < n)
        r <<= 1;
    return r;
}

static uint64_t st_size(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    (void)exact;
    uint64_t root = u64_at(t, obj + 16), size = (uint64_t)ti->basicsize;
    if (!root)
        return size;
    uint64_t *stack = malloc(sizeof *stack * 1024), cap = 1024, top = 0, seen = 0;
    if (!stack)
        return 0;
    stack[top++] = root;
    size += NODE_SIZE;
    while (top) {
        uint64_t n = stack[--top];
        if (++seen > MAX_NODES) {
            free(stack);
            return 0; /* a tree this big is a damaged one: flagged */
        }
        int32_t nch = 0;
        mem_read(t->mem, n + NODE_NCHILDREN, &nch, sizeof nch);
        uint64_t child = u64_at(t, n + NODE_CHILD);
        size += family_c_string_size(t, u64_at(t, n + NODE_STR));
        if (!child || nch <= 0)
            continue;
        size += roundup((uint64_t)nch) * NODE_SIZE;
        if (!target_items(t, child, (uint64_t)nch, NODE_SIZE, "parser node", obj)) {
            free(stack);
            return 0;
        }
        if (top + (uint64_t)nch > cap) {
            cap = (top + (uint64_t)nch) * 2;
            uint64_t *grown = realloc(stack, sizeof *stack * cap);
            if (!grown) {
                free(stack);
                return 0;
            }
            stack = grown;
        }
        for (int32_t i = 0; i < nch; i++)
            stack[top++] = child + (uint64_t)i * NODE_SIZE;
    }
    free(stack);
    return size;
}

static const struct family_entry entries[] = {
    {.definer = "parser.st", .max_minor = 9, .size = st_size},
};

const struct family family_parser = FAMILY("parser", entries);
