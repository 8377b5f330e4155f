/* module (Objects/moduleobject.c): its dict, then what its m_traverse
 * visits in its C state: a module_states.c entry, faulthandler's files,
 * or every object word of a state that holds only objects.  And 3.15's
 * lazy import objects (PEP 810). */
#include <stdlib.h>
#include <string.h>

#include "model/families/family.h"

/* Standard modules whose m_traverse visits the object pointers of their
 * state: the scanner visits every word of the state that leads to a valid
 * object (referents.c validates each).  A counter in the state cannot pass
 * for an object in practice; the object-model test checks the result
 * against gc.get_referents on every fleet interpreter.  Exact per-module
 * field lists would be better still. */
static const char *const object_state_modules[] = {
    "_abc", "_bz2", "_collections", "_functools", "_io", "_json", "_locale", "_lzma",
    "_operator", "_random", "_sha512", "_signal", "_sre", "_struct", "_thread", "binascii",
    "grp", "io" /* _io's md_name */, "itertools", "posix", "pwd", "time", "zlib",
    /* found by the zoo test; their traverse visits the str of their state */
    "select", "pyexpat", "_posixsubprocess", "_ctypes",
};

/* Modules found by the zoo test whose m_traverse visits the object pointers
 * of their state but its str: interned names (_ssl's str_library,
 * _elementtree's str_append...) their traverse leaves out.  Beside
 * objects the states hold integers and C pointers that lead to no object
 * (_ssl's keylog lock).  _ssl's error-code dicts are 3,600 str, tuple and
 * int objects of any heap that imports ssl.  The states whose traverse
 * walks C structures or leaves objects out (atexit up to 3.9, _asyncio,
 * _zoneinfo, _decimal, _datetime, _dbm, _gdbm, _hmac) are
 * model/families/module_states.c's, faulthandler's (files kept in the
 * runtime, not in its module) faulthandler_files.c's. */
static const char *const object_state_modules_but_str[] = {
    "_ssl", "_pickle", "_elementtree", "_csv", "termios", "_hashlib", "resource", "audioop", "array", "_sha1", "_sha2", "_sha256", "_sha3", "_md5", "_blake2",
    "_queue", "_multibytecodec", "_lsprof", "spwd", "nis", "_tokenize", "_sqlite3", "mmap",
    "_socket", "_curses", "unicodedata", "_zstd", "_remote_debugging", "_interpreters", "_interpqueues", "_interpchannels",
    "_xxsubinterpreters", "_xxinterpchannels",
};

static bool is_str(struct target *t, uint64_t obj)
{
    char name[8];
    uint64_t type = py_type_of(t, obj), tp_name = type ? u64_at(t, type + (uint64_t)t->L->tp_name) : 0;
    return tp_name && mem_cstring(t->mem, tp_name, name, sizeof name) && strcmp(name, "str") == 0;
}

/* module_traverse: the module's dict, then its C state through m_traverse. */
static bool module_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    visit_attr(w, obj + (uint64_t)w->t->L->module_md_dict, "__dict__");
    const struct py_layout *L = w->t->L;
    int64_t size;
    if (L->module_md_def >= 0) {
        uint64_t def = u64_at(w->t, obj + (uint64_t)L->module_md_def);
        if (!def || !u64_at(w->t, def + (uint64_t)L->moduledef_traverse))
            return true;
        size = (int64_t)u64_at(w->t, def + (uint64_t)L->moduledef_size);
    } else {
        if (!u64_at(w->t, obj + (uint64_t)L->module_state_traverse))
            return true;
        size = (int64_t)u64_at(w->t, obj + (uint64_t)L->module_state_size);
    }
    uint64_t state = u64_at(w->t, obj + (uint64_t)L->module_md_state);
    if (size > 0 && !state)
        return true; /* m_traverse is not called without state */
    char name[64] = "";
    uint64_t name_obj = u64_at(w->t, obj + (uint64_t)L->module_md_name);
    if (!name_obj || !py_str_utf8(w->t, name_obj, name, sizeof name))
        return false;
    int known = family_faulthandler(w, name);
    if (known < 0)
        known = family_module_state(w, name, obj, state, size);
    if (known >= 0)
        return known == 1;
    for (size_t i = 0; i < sizeof object_state_modules / sizeof object_state_modules[0]; i++) {
        if (strcmp(name, object_state_modules[i]) != 0)
            continue;
        if (size <= 0 || size % 8 || size > 4096)
            return false;
        visit_array(w, state, size / 8, REL_NONE, 0);
        return true;
    }
    for (size_t i = 0; i < sizeof object_state_modules_but_str / sizeof object_state_modules_but_str[0]; i++) {
        if (strcmp(name, object_state_modules_but_str[i]) != 0)
            continue;
        if (size <= 0 || size % 8 || size > 4096)
            return false;
        for (int64_t k = 0; k < size / 8; k++) {
            uint64_t p = u64_at(w->t, state + (uint64_t)k * 8);
            if (p && !is_str(w->t, p))
                emit(w, p, rel_none);
        }
        return true;
    }
    return false; /* an m_traverse the scanner does not model */
}

/* lazy_import (Objects/lazyimportobject.c): builtins, from, attr, code. */
static const int64_t lazy_import_fields[] = {16, 24, 32, 40, -1};

static const struct family_entry entries[] = {
    {.definer = "module", .by_layout = true, .traverse = module_traverse, .traverse_kind = TRAVERSE_MODULE},
    {.definer = "lazy_import", .min_minor = 15, .max_minor = 15, .fields = lazy_import_fields,
     .traverse_kind = TRAVERSE_FIELDS},
};

const struct family family_modules = FAMILY("modules", entries);
