#include "model/discover.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "symbols/elf_file.h"
#include "model/debug_offsets.h"
#include "model/faulthandler_code.h"
#include "model/locate.h"
#include "model/mimalloc_walk.h"
#include "model/pyobj.h"

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static bool is_libpython(const char *path)
{
    return strncmp(base_name(path), "libpython3", 10) == 0;
}

/* Up to 3.11 (3.11's file says Py_Version; older ones say nothing): the
 * static variables holding the files faulthandler's traverse visits, by
 * the symbol table, else by the traverse's code. */
static void find_faulthandler(struct elf_file *f, struct runtime_hint *hint)
{
    static const char *const names[] = {"thread", "fatal_error", "user_signals"};
    memset(hint->faulthandler_statics, 0, sizeof hint->faulthandler_statics);
    memset(hint->faulthandler_code_files, 0, sizeof hint->faulthandler_code_files);
    hint->faulthandler_code_signals = 0;
    if (hint->py_version >= 0x030C0000)
        return;
    uint64_t at[3];
    struct faulthandler_code code;
    if (elf_file_static_objects(f, "faulthandler.c", names, 3, at) == 3) {
        for (int k = 0; k < 3; k++)
            hint->faulthandler_statics[k] = at[k] + hint->load_bias;
    } else if (faulthandler_code_find(f, &code)) {
        hint->faulthandler_code_files[0] = code.files[0] + hint->load_bias;
        hint->faulthandler_code_files[1] = code.files[1] + hint->load_bias;
        hint->faulthandler_code_signals = code.user_signals + hint->load_bias;
    }
}

static bool try_file(const struct file_resolver *files, const struct proc_maps *maps,
                     const struct map_entry *e, struct runtime_hint *hint, struct error *err)
{
    struct elf_file *f = files->open(files->ctx, e, err);
    if (!f)
        return false;
    struct elf_symbol sym;
    struct elf_section sec;
    uint64_t vaddr, size;
    if (elf_file_symbol(f, "_PyRuntime", &sym)) {
        vaddr = sym.value;
        size = sym.size;
    } else if (elf_file_section(f, ".PyRuntime", &sec)) {
        vaddr = sec.addr;
        size = sec.size;
    } else {
        elf_file_close(f);
        return false;
    }
    /* The load bias: the mapping of file offset 0 of this very file (the
     * lowest one: ctypes may map the binary again elsewhere). */
    uint64_t base = 0;
    bool found = false;
    for (size_t i = 0; i < maps->count; i++) {
        const struct map_entry *m = &maps->entries[i];
        if (m->inode == e->inode && strcmp(m->path, e->path) == 0 && m->offset == 0) {
            base = m->start;
            found = true;
            break;
        }
    }
    hint->pie = elf_file_is_dyn(f);
    hint->load_bias = (found && hint->pie) ? base - elf_file_first_load_vaddr(f) : 0;
    hint->runtime = vaddr + hint->load_bias;
    hint->runtime_size = size;
    hint->shared_libpython = is_libpython(e->path);
    hint->py_version = 0;
    if (elf_file_symbol(f, "Py_Version", &sym)) {
        uint32_t v;
        if (elf_file_read(f, sym.value, &v, sizeof v))
            hint->py_version = v;
    }
    find_faulthandler(f, hint);
    static const char *const api_names[TARGET_API_COUNT] = {
        [TARGET_API_GET_DICT_PTR] = "_PyObject_GetDictPtr",
        [TARGET_API_VISIT_MANAGED_DICT] = "PyObject_VisitManagedDict",
        [TARGET_API_VISIT_MANAGED_DICT_12] = "_PyObject_VisitManagedDict",
    };
    for (int k = 0; k < TARGET_API_COUNT; k++)
        hint->api_functions[k] = elf_file_symbol(f, api_names[k], &sym) && sym.value ? sym.value + hint->load_bias : 0;
    snprintf(hint->binary, sizeof hint->binary, "%s", e->path);
    elf_file_close(f);
    return true;
}

bool discover_runtime(const struct file_resolver *files, const struct proc_maps *maps,
                      struct runtime_hint *hint, struct error *err)
{
    memset(hint, 0, sizeof *hint);
    /* libpython first: when both exist, the executable only links it. */
    for (int pass = 0; pass < 2; pass++) {
        const char *last = NULL;
        for (size_t i = 0; i < maps->count; i++) {
            const struct map_entry *e = &maps->entries[i];
            if (e->inode == 0 || e->path[0] != '/' || (last && strcmp(last, e->path) == 0))
                continue;
            last = e->path;
            if ((pass == 0) != is_libpython(e->path))
                continue;
            if (try_file(files, maps, e, hint, err))
                return true;
            if (err->code != EXIT_OK)
                return false; /* the resolver has said why */
        }
    }
    return fail(err, EXIT_NOT_PYTHON,
                "%s is not a CPython process: neither its executable nor any libpython it maps "
                "has a _PyRuntime symbol or a .PyRuntime section",
                files->what);
}

struct sys_facts {
    int64_t hexversion;
    char abiflags[16];
};

static bool read_sys(struct target *t, uint64_t interp, struct sys_facts *sf)
{
    uint64_t sysdict;
    if (!mem_u64(t->mem, interp + (uint64_t)t->L->interp_sysdict, &sysdict) || !sysdict)
        return false;
    uint64_t hex = py_dict_get_str(t, sysdict, "hexversion");
    if (!hex || !py_long_value(t, hex, &sf->hexversion))
        return false;
    uint64_t abi = py_dict_get_str(t, sysdict, "abiflags");
    if (!abi || !py_str_utf8(t, abi, sf->abiflags, sizeof sf->abiflags))
        sf->abiflags[0] = '\0';
    return true;
}

static void format_version(uint32_t hex, char *out, size_t cap)
{
    unsigned level = (hex >> 4) & 0xF, serial = hex & 0xF;
    const char *lv = level == 0xA ? "a" : level == 0xB ? "b" : level == 0xC ? "rc" : "";
    if (level == 0xF)
        snprintf(out, cap, "%u.%u.%u", hex >> 24, (hex >> 16) & 0xFF, (hex >> 8) & 0xFF);
    else
        snprintf(out, cap, "%u.%u.%u%s%u", hex >> 24, (hex >> 16) & 0xFF, (hex >> 8) & 0xFF, lv,
                 serial);
}

/* The words faulthandler's m_traverse reads: _PyRuntime's from 3.12, the
 * statics the symbol table or the traverse's code named up to 3.11. */
static void place_faulthandler(struct target *t, const struct runtime_hint *hint)
{
    const struct py_layout *L = t->L;
    t->faulthandler_fatal_file = t->faulthandler_thread_file = t->faulthandler_user_signals = 0;
    if (L->runtime_faulthandler_fatal_file >= 0) {
        t->faulthandler_fatal_file = t->runtime + (uint64_t)L->runtime_faulthandler_fatal_file;
        t->faulthandler_thread_file = t->runtime + (uint64_t)L->runtime_faulthandler_thread_file;
        t->faulthandler_user_signals = t->runtime + (uint64_t)L->runtime_faulthandler_user_signals;
    } else if (L->faulthandler_static_fatal_file >= 0 && hint->faulthandler_statics[0]) {
        t->faulthandler_thread_file = hint->faulthandler_statics[0] + (uint64_t)L->faulthandler_static_thread_file;
        t->faulthandler_fatal_file = hint->faulthandler_statics[1] + (uint64_t)L->faulthandler_static_fatal_file;
        t->faulthandler_user_signals = hint->faulthandler_statics[2];
    } else if (L->faulthandler_static_fatal_file >= 0 && hint->faulthandler_code_signals) {
        t->faulthandler_thread_file = hint->faulthandler_code_files[0];
        t->faulthandler_fatal_file = hint->faulthandler_code_files[1];
        t->faulthandler_user_signals = hint->faulthandler_code_signals;
    }
}

/* Reads sys through L, its main interpreter found from _PyRuntime's pointer
 * to it (validated: its first thread state points back). */
static bool probe_sys(struct target *t, const struct py_layout *L, const struct runtime_hint *hint,
                      struct sys_facts *sf)
{
    t->layout = *L;
    t->L = &t->layout;
    uint64_t interp = locate_main_interp(t, hint->runtime_size);
    return interp && read_sys(t, interp, sf) && (sf->hexversion >> 24) == 3 &&
           ((sf->hexversion >> 16) & 0xFF) == (int64_t)L->minor;
}

/* The layout to start from: one generated from this very patch level and
 * build (same _PyRuntime size) first; else the minor's of the nearest patch
 * level. */
static const struct py_layout *base_layout(int minor, int micro, bool debug, bool ft,
                                           uint64_t runtime_size, bool *tested)
{
    for (size_t i = 0; i < py_layouts_count; i++) {
        const struct py_layout *L = &py_layouts[i];
        if (L->minor == minor && L->debug == debug && (L->py_gil_disabled != 0) == ft &&
            py_layout_tested(L, micro) &&
            (!runtime_size || (uint64_t)L->runtime_size == runtime_size)) {
            *tested = true;
            return L;
        }
    }
    *tested = false;
    return py_layout_find(minor, micro, debug, ft);
}

/* A free-threaded build (3.13+) keeps no gc lists: its objects are found by
 * walking mimalloc's heaps, pages and blocks.  It is scanned with a layout
 * generated from such a build's own headers (release or debug) that
 * describes those heaps; else refused, naming what the scanner lacks. */
static bool free_threaded_supported(const struct runtime_hint *hint, uint32_t hex,
                                    struct error *err)
{
    char v[32], why[160];
    format_version(hex, v, sizeof v);
    int minor = (int)((hex >> 16) & 0xFF), micro = (int)((hex >> 8) & 0xFF);
    const struct py_layout *L = py_layout_find(minor, micro, 0, 1);
    if (!L)
        L = py_layout_find(minor, micro, 1, 1);
    if (!L)
        return fail(err, EXIT_UNSUPPORTED,
                    "CPython %s free-threaded build (%s): no free-threaded layout of 3.%d "
                    "(layouts/regenerate.sh makes one from a free-threaded build in the fleet)",
                    v, hint->binary, minor);
    if (!mimalloc_walk_possible(L, why, sizeof why))
        return fail(err, EXIT_UNSUPPORTED, "CPython %s free-threaded build (%s): %s", v,
                    hint->binary, why);
    return true;
}

bool discover_interpreter(const struct runtime_hint *hint, struct target *t, struct error *err)
{
    int want_minor = hint->py_version ? (int)((hint->py_version >> 16) & 0xFF) : -1;
    if (hint->py_version && (hint->py_version >> 24) != 3)
        return fail(err, EXIT_UNSUPPORTED, "%s: Py_Version 0x%08x is not a CPython 3 version",
                    hint->binary, hint->py_version);
    /* 3.13+ say at the start of _PyRuntime whether they are free-threaded:
     * know it before reading anything with a layout. */
    uint64_t dbg_version, dbg_ft;
    bool ft = want_minor >= 13 &&
              debug_offsets_header(t->mem, hint->runtime, &dbg_version, &dbg_ft) && dbg_ft;
    if (ft && !free_threaded_supported(hint, (uint32_t)dbg_version, err))
        return false;
    t->runtime = hint->runtime;
    /* Which version and build: read sys.hexversion and sys.abiflags with a
     * layout of the right size first, then with any of the minor (the
     * runtime's size is a fact of the build, not a key to the layout). */
    struct sys_facts sf;
    bool found = false;
    for (int pass = 0; pass < 2 && !found; pass++) {
        for (size_t i = 0; i < py_layouts_count && !found; i++) {
            const struct py_layout *L = &py_layouts[i];
            if ((want_minor >= 0 && L->minor != want_minor) || (L->py_gil_disabled != 0) != ft)
                continue;
            bool same_size = hint->runtime_size && (uint64_t)L->runtime_size == hint->runtime_size;
            if (pass == 0 ? !same_size : same_size)
                continue;
            found = probe_sys(t, L, hint, &sf);
        }
    }
    t->L = NULL;
    char v[32];
    if (!found && want_minor >= 0) {
        /* Py_Version names the minor: fit its layout to say which field
         * does not validate and what is there instead. */
        int micro = (int)((hint->py_version >> 8) & 0xFF);
        const struct py_layout *L = py_layout_find(want_minor, micro, 0, ft);
        if (!L)
            L = py_layout_find(want_minor, micro, 1, ft);
        if (L) {
            t->layout = *L;
            t->L = &t->layout;
            t->version_hex = hint->py_version;
            format_version(hint->py_version, t->version_text, sizeof t->version_text);
            char note[256];
            struct locate_want want = {hint->py_version, hint->runtime_size};
            if (!debug_offsets_apply(t, note, sizeof note, err) ||
                !layout_fit(t, &want, note, sizeof note, err))
                return false;
        }
    }
    if (!found) {
        if (want_minor >= 0) {
            format_version(hint->py_version, v, sizeof v);
            return fail(err, EXIT_UNSUPPORTED,
                        "CPython %s (Py_Version in %s, _PyRuntime of %llu bytes): no layout of "
                        "3.%d finds an interpreter state whose threads point back at it and whose "
                        "sys module gives that version",
                        v, hint->binary, (unsigned long long)hint->runtime_size, want_minor);
        }
        return fail(err, EXIT_UNSUPPORTED,
                    "%s has a _PyRuntime of %llu bytes at 0x%llx, but no known CPython layout "
                    "reads a consistent interpreter there (sys.hexversion not found)",
                    hint->binary, (unsigned long long)hint->runtime_size,
                    (unsigned long long)hint->runtime);
    }
    uint32_t hex = (uint32_t)sf.hexversion;
    int minor = (int)((hex >> 16) & 0xFF), micro = (int)((hex >> 8) & 0xFF);
    bool debug = strchr(sf.abiflags, 'd') != NULL;
    format_version(hex, v, sizeof v);
    if (strchr(sf.abiflags, 't') && !ft)
        return fail(err, EXIT_BAD_HEAP,
                    "CPython %s (%s): sys.abiflags says free-threaded, _Py_DebugOffsets does not",
                    v, hint->binary);
    bool tested;
    const struct py_layout *L = base_layout(minor, micro, debug, ft, hint->runtime_size, &tested);
    if (!L && ft)
        /* Only release free-threaded builds are in the fleet (3.13.0t,
         * 3.14.7t); a debug one also pads blocks and encodes mimalloc's free
         * lists, which mimalloc_walk.c does not decode. */
        return fail(err, EXIT_UNSUPPORTED,
                    "CPython %s free-threaded%s (%s): no free-threaded%s layout of 3.%d "
                    "(layouts/regenerate.sh makes one from such a build in the fleet)",
                    v, debug ? " debug build" : "", hint->binary, debug ? " debug" : "", minor);
    if (!L)
        return fail(err, EXIT_UNSUPPORTED, "CPython %s%s%s (%s): no layout for this version", v,
                    ft ? " free-threaded" : "", debug ? " debug build" : "", hint->binary);
    t->layout = *L;
    t->L = &t->layout;
    t->layout_tested = tested;
    t->version_hex = hex;
    t->minor = minor;
    t->micro = micro;
    t->debug = debug;
    snprintf(t->version_text, sizeof t->version_text, "%s", v);
    snprintf(t->layout_key, sizeof t->layout_key, "%s", L->key);
    snprintf(t->binary, sizeof t->binary, "%s", hint->binary);
    t->shared_libpython = hint->shared_libpython;
    t->pie = hint->pie;
    t->load_bias = hint->load_bias;
    t->runtime_size = hint->runtime_size;
    /* _Py_DebugOffsets (3.13+) first: what it gives wins; then what a patch
     * release may move, found and validated. */
    char moved[sizeof t->layout_note / 2];
    struct locate_want want = {hex, hint->runtime_size};
    t->layout_note[0] = '\0';
    if (!debug_offsets_apply(t, t->layout_note, sizeof t->layout_note, err) ||
        !layout_fit(t, &want, moved, sizeof moved, err))
        return false;
    place_faulthandler(t, hint);
    memcpy(t->api_functions, hint->api_functions, sizeof t->api_functions);
    if (moved[0]) {
        size_t n = strlen(t->layout_note);
        snprintf(t->layout_note + n, sizeof t->layout_note - n, "%s%s", n ? ", " : "", moved);
    }
    if (!tested)
        fprintf(stderr,
                "pyheapscan: note: CPython %s%s is a patch level the fleet did not test; scanned "
                "with the %s layout (generated from %s), every field it starts from validated%s%s\n",
                v, debug ? " debug build" : "", L->key, L->tested,
                t->layout_note[0] ? "; found in memory: " : "", t->layout_note);
    return true;
}
