/* Exceptions whose struct adds object fields to BaseException's (Objects/
 * exceptions.c): their traverse visits BaseException's fields, then the
 * added ones, which each type describes as its members (tp_members), so
 * that no offset is typed here. */
#include "model/families/family.h"

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
};

const struct family family_exceptions = {"exceptions", entries, sizeof entries / sizeof entries[0]};
