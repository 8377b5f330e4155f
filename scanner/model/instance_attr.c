#include "model/instance_attr.h"

#include <string.h>

#include "model/pyobj.h"
#include "model/traverse.h"

/* The traversal of an instance names each of its attributes (a slot by its
 * member's name, an inline value by its key) or hands over its __dict__:
 * the attribute is looked for among those. */
struct attr_search {
    struct target *t;
    const char *name;
    uint64_t dict, found;
};

static void look(void *ctx, uint64_t referent, struct relation rel)
{
    struct attr_search *s = ctx;
    char key[128];
    if (s->found || rel.kind != REL_ATTR)
        return;
    if (rel.name && strcmp(rel.name, "__dict__") == 0)
        s->dict = referent;
    else if (rel.name ? strcmp(rel.name, s->name) == 0
                      : rel.arg && py_str_utf8(s->t, rel.arg, key, sizeof key) && strcmp(key, s->name) == 0)
        s->found = referent;
}

uint64_t py_instance_attr(struct target *t, struct type_table *types, uint64_t obj, const char *name)
{
    uint32_t ti = type_table_intern(types, t, py_type_of(t, obj));
    if (ti == UINT32_MAX)
        return 0;
    struct attr_search s = {t, name, 0, 0};
    traverse_object(t, &types->v[ti], obj, look, &s, false);
    if (!s.found && s.dict)
        s.found = py_dict_get_str(t, s.dict, name);
    return s.found;
}
