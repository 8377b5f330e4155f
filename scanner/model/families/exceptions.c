/* Exceptions (Objects/exceptions.c) and tracebacks.  BaseException and the
 * subclasses that add no object fields visit its fields; those whose struct
 * adds some visit BaseException's fields, then the added ones, which each
 * type describes as its members (tp_members), so that no offset is typed
 * here. */
#include "model/families/family.h"

#define EXCEPTION(name, minor) {.definer = (name), .min_minor = (minor), .exception_fields = true, .members = true}

/* BaseException's own fields (heapy relates only the dict: the others are
 * getsets), and the traceback's link and frame (Python/traceback.c). */
static bool exception_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    const struct py_layout *L = w->t->L;
    const int64_t offs[] = {L->exc_dict, L->exc_args, L->exc_notes, L->exc_traceback, L->exc_context, L->exc_cause};
    static const char *const names[] = {"__dict__", "args", "__notes__", "__traceback__", "__context__",
                                        "__cause__"};
    for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++)
        if (offs[i] >= 0)
            visit_at(w, obj + (uint64_t)offs[i], (struct relation){REL_ATTR, 0, names[i], i > 0});
    return true;
}

static bool traceback_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_attr(w, obj + (uint64_t)w->t->L->tb_next, "tb_next");
    visit_attr(w, obj + (uint64_t)w->t->L->tb_frame, "tb_frame");
    return true;
}

static const struct family_entry entries[] = {
    {.definer = "BaseException", .by_layout = true, .traverse = exception_traverse,
     .traverse_kind = TRAVERSE_EXCEPTION},
    {.definer = "traceback", .by_layout = true, .traverse = traceback_traverse,
     .traverse_kind = TRAVERSE_TRACEBACK},
    EXCEPTION("OSError", 8),
    EXCEPTION("ImportError", 8),
    EXCEPTION("SyntaxError", 8),
    EXCEPTION("StopIteration", 8),
    EXCEPTION("SystemExit", 8),
    EXCEPTION("NameError", 10),
    EXCEPTION("AttributeError", 10),
    EXCEPTION("UnicodeError", 8),
    EXCEPTION("UnicodeEncodeError", 8),
    EXCEPTION("UnicodeDecodeError", 8),
    EXCEPTION("UnicodeTranslateError", 8),
    EXCEPTION("BaseExceptionGroup", 11),
};

const struct family family_exceptions = FAMILY("exceptions", entries);
