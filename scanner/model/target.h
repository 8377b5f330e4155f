/* What the scanner knows about one target interpreter: where its memory is,
 * which layout it uses, and where its runtime and main interpreter live. */
#ifndef PYHEAPSCAN_TARGET_H
#define PYHEAPSCAN_TARGET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "layouts/layout.h"
#include "model/damage.h"
#include "source/memory.h"
#include "model/numpy_model.h"

/* The functions of target.api_functions, as discover.c names them. */
enum target_api {
    TARGET_API_GET_DICT_PTR,         /* _PyObject_GetDictPtr (pybind11's traverse) */
    TARGET_API_VISIT_MANAGED_DICT,   /* PyObject_VisitManagedDict (3.13+) */
    TARGET_API_VISIT_MANAGED_DICT_12, /* _PyObject_VisitManagedDict (3.12) */
    TARGET_API_COUNT,
};

struct target {
    struct memory *mem;
    const struct py_layout *L;  /* &layout once discovered */
    /* The generated layout fitted to this target: fields found in its memory
     * and its _Py_DebugOffsets replace the generated ones. */
    struct py_layout layout;
    bool layout_tested;       /* the target's patch level is one the layout was generated from */

    /* Version: PY_VERSION_HEX as the target reports it. */
    uint32_t version_hex;
    int minor, micro;
    bool debug;
    char version_text[32];    /* "3.11.2" */
    char layout_key[32];      /* the layout used ("3.11-release") */
    char layout_note[512];    /* what was found in memory instead of the layout ("" if nothing) */

    /* Where the interpreter came from. */
    char binary[4096];        /* path (as the target sees it) of the file holding _PyRuntime */
    bool shared_libpython;
    bool pie;
    uint64_t load_bias;

    uint64_t runtime;         /* &_PyRuntime */
    uint64_t runtime_size;    /* its symbol or section size, 0 if unknown */
    uint64_t interp;          /* main interpreter */
    uint64_t gc_state;        /* struct _gc_runtime_state of the main interpreter */
    pid_t pid;
    /* Where the words lie that faulthandler's m_traverse reads (the file of
     * fatal_error and of thread, the user_signals array): in _PyRuntime
     * from 3.12, in static variables up to 3.11.  0 when not known. */
    uint64_t faulthandler_fatal_file, faulthandler_thread_file, faulthandler_user_signals;
    /* CPython's functions that extension types' traverses call, which the
     * traverse code reader (traverse_code.h) knows the meaning of, by the
     * symbol table of the file holding _PyRuntime (0: not there). */
    uint64_t api_functions[TARGET_API_COUNT];
    /* --format types: compare each fixed-field table with its traverse
     * function's code (type_info.table_check) */
    bool check_tables;

    struct damage damage;     /* what corrupt memory made the scan cut short */
    struct numpy_model numpy; /* the numpy it imported, if any */
};


/* The word at addr, 0 when unreadable (the object model treats both alike:
 * a NULL or unreadable pointer is no reference). */
static inline uint64_t u64_at(struct target *t, uint64_t addr)
{
    uint64_t v = 0;
    mem_u64(t->mem, addr, &v);
    return v;
}

/* len bytes at addr of the target passed as ctx: the read callback of the
 * readers of machine code (model/code_decode.h's code_read_fn). */
static inline bool target_read_code(void *ctx, uint64_t addr, void *out, size_t len)
{
    return mem_read(((struct target *)ctx)->mem, addr, out, len);
}

/* The byte and the 32-bit int at addr, 0 when unreadable. */
static inline uint8_t u8_at(struct target *t, uint64_t addr)
{
    uint8_t v = 0;
    mem_read(t->mem, addr, &v, 1);
    return v;
}

static inline int32_t i32_at(struct target *t, uint64_t addr)
{
    int32_t v = 0;
    mem_read(t->mem, addr, &v, 4);
    return v;
}

/* Whether n items of size bytes at addr lie in readable memory, as a count
 * read from the target must before a loop trusts it; when they do not, the
 * damage is noted (what: the object or structure that claims them, at obj). */
static inline bool target_items(struct target *t, uint64_t addr, uint64_t n, uint64_t size,
                                const char *what, uint64_t obj)
{
    if (mem_array(t->mem, addr, n, size))
        return true;
    damage_note(&t->damage, false, "%s at 0x%llx claims %llu items", what, (unsigned long long)obj,
                (unsigned long long)n);
    return false;
}

#endif
