/* Finding the interpreter in a target: the file holding _PyRuntime, its
 * address, the CPython version and build, the main interpreter and its gc. */
#ifndef PYHEAPSCAN_DISCOVER_H
#define PYHEAPSCAN_DISCOVER_H

#include <stdbool.h>
#include <sys/types.h>

#include "symbols/proc_maps.h"
#include "base/errors.h"
#include "source/file_resolver.h"
#include "model/target.h"

/* What the files alone say, before the target is stopped. */
struct runtime_hint {
    char binary[4096];       /* path as the target sees it */
    uint64_t runtime;        /* address of _PyRuntime in the target */
    uint64_t runtime_size;   /* symbol or section size, 0 if unknown */
    uint32_t py_version;     /* Py_Version (3.11+), 0 when the file has none */
    bool shared_libpython;
    bool pie;
    uint64_t load_bias;
    /* up to 3.11: faulthandler.c's static thread, fatal_error and
     * user_signals, where a symbol table names them (0: not found) */
    uint64_t faulthandler_statics[3];
    /* else, from its traverse's code: the two words holding its files and
     * the one holding user_signals (faulthandler_code.h; 0: not found) */
    uint64_t faulthandler_code_files[2], faulthandler_code_signals;
    /* CPython's functions extension types' traverses call (target.h's
     * api_functions; 0: not exported by this version) */
    uint64_t api_functions[TARGET_API_COUNT];
};


/* Looks for _PyRuntime (symbol, then .PyRuntime section) in every libpython
 * the target maps and in its executable. */
bool discover_runtime(const struct file_resolver *files, const struct proc_maps *maps,
                      struct runtime_hint *hint, struct error *err);

/* Chooses the layout, confirms the version from the target's own sys module
 * (sys.hexversion, sys.abiflags) and fills in t. t->mem must be set. */
bool discover_interpreter(const struct runtime_hint *hint, struct target *t, struct error *err);

#endif
