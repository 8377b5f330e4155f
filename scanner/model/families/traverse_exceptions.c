/* Exceptions whose struct adds object fields to BaseException's (Objects/
 * exceptions.c): their traverse visits BaseException's fields, then the
 * added ones, which each type describes as its members (tp_members), so
 * that no offset is typed here. */
#include "family.h"

/* 3.8's _ssl makes SSLError with a traverse of its own that visits the
 * instance's type too (as 3.9+ heap types do). */
static bool own_type(struct target *t, const struct type_info *ti, uint64_t obj, family_visit_fn visit,
                     void *ctx)
{
    (void)t;
    (void)obj;
    visit(ctx, ti->addr);
    return true;
}

#define EXCEPTION(name, minor) {name, minor, 99, NULL, true, false, true, NULL, NULL}

static const struct family_entry entries[] = {
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
    {"ssl.SSLError", 8, 8, NULL, true, false, true, own_type, NULL},
};

const struct family family_exceptions = {"exceptions", entries, sizeof entries / sizeof entries[0]};
