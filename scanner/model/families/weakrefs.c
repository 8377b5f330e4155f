/* Objects/weakrefobject.c: references and proxies visit their callback
 * (the referent is what they do not hold). */
#include "model/families/family.h"

static bool weakref_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_attr(w, obj + (uint64_t)w->t->L->weakref_callback, "__callback__");
    return true;
}

#define WEAKREF(name) {.definer = (name), .by_layout = true, .traverse = weakref_traverse, .traverse_kind = TRAVERSE_WEAKREF}

static const struct family_entry entries[] = {
    WEAKREF("weakref"), WEAKREF("weakref.ReferenceType"),   WEAKREF("weakproxy"),
    WEAKREF("weakref.ProxyType"), WEAKREF("weakcallableproxy"), WEAKREF("weakref.CallableProxyType"),
};

const struct family family_weakrefs = FAMILY("weakrefs", entries);
