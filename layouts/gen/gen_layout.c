/* Writes the struct layout of the CPython whose headers it is compiled against.
 *
 * Built by layouts/regenerate.sh against each fleet interpreter's installed
 * headers (internal ones included, hence Py_BUILD_CORE), run on this machine,
 * never linked into the scanner.  Output: one "name value" line per field of
 * layouts/fields.def, -1 for a field the version lacks.  The scanner embeds
 * these files; offsets are never typed by hand, except for the few structs
 * CPython does not install a header for (marked "not in the installed
 * headers" below: their shape is a documented fact of that version). */

#define Py_BUILD_CORE 1
#include <Python.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#if PY_VERSION_HEX < 0x03090000
#include <internal/pycore_pystate.h>
#else
#include <internal/pycore_runtime.h>
#include <internal/pycore_interp.h>
#include <internal/pycore_gc.h>
#endif
#if PY_VERSION_HEX >= 0x030A0000
#include <internal/pycore_moduleobject.h>
#endif
#if PY_VERSION_HEX >= 0x030B0000
#include <internal/pycore_dict.h>
#include <internal/pycore_frame.h>
#endif
#include <frameobject.h>
#include <structmember.h>
#include <internal/pycore_context.h>
#if PY_VERSION_HEX >= 0x030D0000 || PY_VERSION_HEX < 0x030B0000
#include <internal/pycore_code.h>
#endif
#if PY_VERSION_HEX >= 0x030E0000
#include <internal/pycore_interpframe.h>  /* FRAME_SPECIALS_SIZE moved here */
#endif
#if PY_VERSION_HEX >= 0x030C0000
#include <internal/pycore_signal.h>  /* Py_NSIG */
#else
#include <signal.h>
#endif
#if defined(Py_GIL_DISABLED)
#include <internal/pycore_tstate.h>  /* _PyThreadStateImpl and its mimalloc heaps */
#define GEN_FREE_THREADED_MIMALLOC 1
#endif

#define EMIT(name, value) printf("%s %lld\n", (name), (long long)(value))
#define OFF(name, type, member) EMIT(name, offsetof(type, member))
#define SIZE(name, type) EMIT(name, sizeof(type))
#define ABSENT(name) EMIT(name, -1)

/* Bit position of a bitfield: set it to 1 in a zeroed copy and find the bit. */
static long long bit_of(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 8; k++)
            if (b[i] & (1u << k))
                return (long long)(i * 8 + k);
    return -1;
}

#define BITPOS(name, type, field, word_member)                                \
    do {                                                                      \
        type probe_;                                                          \
        memset(&probe_, 0, sizeof probe_);                                    \
        probe_.field = 1;                                                     \
        EMIT(name, bit_of((const char *)&probe_ + offsetof(type, word_member), \
                          sizeof probe_.word_member));                        \
    } while (0)

#if PY_VERSION_HEX < 0x030A0000
/* Objects/moduleobject.c (3.8, 3.9): not in the installed headers. */
typedef struct {
    PyObject_HEAD
    PyObject *md_dict;
    struct PyModuleDef *md_def;
    void *md_state;
    PyObject *md_weaklist;
    PyObject *md_name;
} gen_module_object;
#else
typedef PyModuleObject gen_module_object;
#endif

#if PY_VERSION_HEX < 0x030B0000
/* Objects/dict-common.h (3.8 - 3.10): not in the installed headers. */
typedef struct {
    Py_hash_t me_hash;
    PyObject *me_key;
    PyObject *me_value;
} gen_dict_key_entry;
typedef struct {
    Py_ssize_t dk_refcnt;
    Py_ssize_t dk_size;
    void *dk_lookup;
    Py_ssize_t dk_usable;
    Py_ssize_t dk_nentries;
    char dk_indices[];
} gen_dict_keys;
#endif

static void emit_meta(void)
{
    /* Which headers: a comment, since several patch releases share a layout. */
    printf("# headers %s (PY_VERSION_HEX 0x%08lx)\n", PY_VERSION, (unsigned long)PY_VERSION_HEX);
#ifdef Py_DEBUG
    EMIT("py_debug", 1);
#else
    EMIT("py_debug", 0);
#endif
#ifdef Py_GIL_DISABLED
    EMIT("py_gil_disabled", 1);
#else
    EMIT("py_gil_disabled", 0);
#endif
#ifdef Py_TRACE_REFS
    EMIT("py_trace_refs", 1);
#else
    EMIT("py_trace_refs", 0);
#endif
}

static void emit_runtime(void)
{
    SIZE("runtime_size", _PyRuntimeState);
    OFF("runtime_interpreters_head", _PyRuntimeState, interpreters.head);
    OFF("runtime_interpreters_main", _PyRuntimeState, interpreters.main);
#if PY_VERSION_HEX < 0x03090000
    OFF("runtime_gc", _PyRuntimeState, gc);
#else
    ABSENT("runtime_gc");
#endif

    SIZE("interp_size", PyInterpreterState);
    OFF("interp_next", PyInterpreterState, next);
#if PY_VERSION_HEX < 0x030B0000
    OFF("interp_threads_head", PyInterpreterState, tstate_head);
#else
    OFF("interp_threads_head", PyInterpreterState, threads.head);
#endif
#if PY_VERSION_HEX < 0x03090000
    ABSENT("interp_gc");
#else
    OFF("interp_gc", PyInterpreterState, gc);
#endif
#if PY_VERSION_HEX < 0x030C0000
    OFF("interp_modules", PyInterpreterState, modules);
#else
    OFF("interp_modules", PyInterpreterState, imports.modules);
#endif
    OFF("interp_sysdict", PyInterpreterState, sysdict);
    OFF("interp_builtins", PyInterpreterState, builtins);
}

#if PY_VERSION_HEX < 0x030C0000
/* Modules/faulthandler.c (3.8 - 3.11): not in the installed headers.  The
 * two static structs begin with these members; user_signal_t has the
 * members 3.12 moved into pycore_faulthandler.h's struct
 * faulthandler_user_signal, its previous handler a struct sigaction. */
struct gen_faulthandler_fatal_error {
    int enabled;
    PyObject *file;
};
struct gen_faulthandler_thread {
    PyObject *file;
};
struct gen_faulthandler_user_signal {
    int enabled;
    PyObject *file;
    int fd;
    int all_threads;
    int chain;
    struct sigaction previous;
    PyInterpreterState *interp;
};
#endif

static void emit_faulthandler(void)
{
#if PY_VERSION_HEX >= 0x030C0000
    OFF("runtime_faulthandler_fatal_file", _PyRuntimeState, faulthandler.fatal_error.file);
    OFF("runtime_faulthandler_thread_file", _PyRuntimeState, faulthandler.thread.file);
    OFF("runtime_faulthandler_user_signals", _PyRuntimeState, faulthandler.user_signals);
    ABSENT("faulthandler_static_fatal_file");
    ABSENT("faulthandler_static_thread_file");
    SIZE("faulthandler_user_signal_size", struct faulthandler_user_signal);
    OFF("faulthandler_user_signal_file", struct faulthandler_user_signal, file);
    EMIT("faulthandler_nsig", Py_NSIG);
#else
    ABSENT("runtime_faulthandler_fatal_file");
    ABSENT("runtime_faulthandler_thread_file");
    ABSENT("runtime_faulthandler_user_signals");
    OFF("faulthandler_static_fatal_file", struct gen_faulthandler_fatal_error, file);
    OFF("faulthandler_static_thread_file", struct gen_faulthandler_thread, file);
    SIZE("faulthandler_user_signal_size", struct gen_faulthandler_user_signal);
    OFF("faulthandler_user_signal_file", struct gen_faulthandler_user_signal, file);
    EMIT("faulthandler_nsig", NSIG);
#endif
}

static void emit_gc(void)
{
#ifdef Py_GIL_DISABLED
    /* PyGC_Head is declared but never placed before an object, and
     * _PyType_PreHeaderSize (pycore_object.h) does not count it. */
    EMIT("gc_head_size", 0);
#else
    SIZE("gc_head_size", PyGC_Head);
#endif
#if defined(Py_GIL_DISABLED) && PY_VERSION_HEX >= 0x030E0000
    /* 3.14t names its generations young and old[2], in the place and shape
     * of generations[3], and keeps no generation0 pointer. */
    OFF("gc_generations", struct _gc_runtime_state, young);
#else
    OFF("gc_generations", struct _gc_runtime_state, generations);
#endif
    SIZE("gc_generation_size", struct gc_generation);
    EMIT("gc_num_generations", NUM_GENERATIONS);
    OFF("gc_permanent_generation", struct _gc_runtime_state, permanent_generation);
    OFF("gc_collecting", struct _gc_runtime_state, collecting);
#if defined(Py_GIL_DISABLED) && PY_VERSION_HEX >= 0x030E0000
    ABSENT("gc_generation0");
#else
    OFF("gc_generation0", struct _gc_runtime_state, generation0);
#endif
    SIZE("gc_state_size", struct _gc_runtime_state);
}

static void emit_object(void)
{
    SIZE("object_size", PyObject);
#ifdef Py_GIL_DISABLED
    ABSENT("ob_refcnt");
    OFF("ob_tid", PyObject, ob_tid);
    OFF("ob_gc_bits", PyObject, ob_gc_bits);
    OFF("ob_ref_local", PyObject, ob_ref_local);
    OFF("ob_ref_shared", PyObject, ob_ref_shared);
    EMIT("gc_bits_tracked", _PyGC_BITS_TRACKED);
    EMIT("gc_bits_frozen", _PyGC_BITS_FROZEN);
    EMIT("gc_bits_deferred", _PyGC_BITS_DEFERRED);
#ifdef _Py_REF_DEFERRED
    /* 3.14+: _PyObject_SetDeferredRefcount adds it to the shared count. */
    EMIT("ref_deferred", _Py_REF_DEFERRED);
#else
    /* 3.13 (Objects/object.c, _PyObject_SetDeferredRefcount) adds one local
     * reference, which gc_free_threading.c's update_refs takes off. */
    EMIT("ref_deferred", 1);
#endif
#else
    static const char *const free_threaded_only[] = {
        "ob_tid", "ob_gc_bits", "ob_ref_local", "ob_ref_shared", "gc_bits_tracked", "gc_bits_frozen",
        "gc_bits_deferred", "ref_deferred",
    };
    OFF("ob_refcnt", PyObject, ob_refcnt);
    for (size_t i = 0; i < sizeof free_threaded_only / sizeof free_threaded_only[0]; i++)
        ABSENT(free_threaded_only[i]);
#endif
    OFF("ob_type", PyObject, ob_type);
    OFF("ob_size", PyVarObject, ob_size);
}

/* Where a free-threaded build keeps its objects: mimalloc 2.1 as 3.13 and
 * 3.14 vendor it (Objects/mimalloc of 3.13.0 and 3.14.7 differ in comments
 * and in when a page's QSBR goal is cleared, not in these structs).  Other
 * builds have none of these fields. */
static void emit_mimalloc(void)
{
    static const char *const names[] = {
        "tstate_mimalloc_heaps", "tstate_mimalloc_initialized", "mi_heap_id_gc",
        "mi_heap_id_gc_pre", "mi_heap_size", "mi_heap_pages", "mi_heap_thread_delayed_free",
        "mi_page_queue_size", "mi_page_queue_first", "mi_bin_full", "mi_page_size",
        "mi_page_slice_count", "mi_page_slice_offset", "mi_page_tag_bit", "mi_page_capacity",
        "mi_page_free", "mi_page_used", "mi_page_xblock_size", "mi_page_local_free",
        "mi_page_xthread_free", "mi_page_next", "mi_segment_slices", "mi_segment_slice_entries",
        "mi_segment_abandoned_next", "mi_segment_size", "mi_segment_slice_size",
        "mi_huge_block_size", "mi_encode_freelist", "mi_padding_size",
        "interp_mimalloc_abandoned", "interp_mimalloc_abandoned_visited",
    };
#ifdef GEN_FREE_THREADED_MIMALLOC
    (void)names;
    OFF("tstate_mimalloc_heaps", _PyThreadStateImpl, mimalloc.heaps);
    OFF("tstate_mimalloc_initialized", _PyThreadStateImpl, mimalloc.initialized);
    EMIT("mi_heap_id_gc", _Py_MIMALLOC_HEAP_GC);
    EMIT("mi_heap_id_gc_pre", _Py_MIMALLOC_HEAP_GC_PRE);
    SIZE("mi_heap_size", mi_heap_t);
    OFF("mi_heap_pages", mi_heap_t, pages);
    OFF("mi_heap_thread_delayed_free", mi_heap_t, thread_delayed_free);
    SIZE("mi_page_queue_size", mi_page_queue_t);
    OFF("mi_page_queue_first", mi_page_queue_t, first);
    EMIT("mi_bin_full", MI_BIN_FULL);
    SIZE("mi_page_size", mi_page_t);
    OFF("mi_page_slice_count", mi_page_t, slice_count);
    OFF("mi_page_slice_offset", mi_page_t, slice_offset);
    {
        mi_page_t probe;
        memset(&probe, 0, sizeof probe);
        probe.tag = 1;
        EMIT("mi_page_tag_bit", bit_of(&probe, sizeof probe));
    }
    OFF("mi_page_capacity", mi_page_t, capacity);
    OFF("mi_page_free", mi_page_t, free);
    OFF("mi_page_used", mi_page_t, used);
    OFF("mi_page_xblock_size", mi_page_t, xblock_size);
    OFF("mi_page_local_free", mi_page_t, local_free);
    OFF("mi_page_xthread_free", mi_page_t, xthread_free);
    OFF("mi_page_next", mi_page_t, next);
    OFF("mi_segment_slices", mi_segment_t, slices);
    OFF("mi_segment_slice_entries", mi_segment_t, slice_entries);
    OFF("mi_segment_abandoned_next", mi_segment_t, abandoned_next);
    EMIT("mi_segment_size", MI_SEGMENT_SIZE);
    EMIT("mi_segment_slice_size", MI_SEGMENT_SLICE_SIZE);
    EMIT("mi_huge_block_size", MI_HUGE_BLOCK_SIZE);
#if MI_ENCODE_FREELIST
    EMIT("mi_encode_freelist", 1);
#else
    EMIT("mi_encode_freelist", 0);
#endif
    EMIT("mi_padding_size", MI_PADDING_SIZE);
    OFF("interp_mimalloc_abandoned", PyInterpreterState, mimalloc.abandoned_pool.abandoned);
    OFF("interp_mimalloc_abandoned_visited", PyInterpreterState,
        mimalloc.abandoned_pool.abandoned_visited);
#else
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        ABSENT(names[i]);
#endif
}

/* What 3.14t adds: some references to objects with a unique id (heap types,
 * code objects, module globals) are counted in per-thread arrays, which the
 * collector merges into the objects' shared counts before it counts
 * (uniqueid.c, _PyObject_MergePerThreadRefcounts); and a thread other than
 * the first may run its own copy of a code's bytecode (thread-local
 * bytecode, Include/cpython/code.h).  -1 in every other build. */
static void emit_free_threaded_314(void)
{
    static const char *const names[] = {
        "tstate_refcounts_values", "tstate_refcounts_size", "interp_unique_ids_table",
        "interp_unique_ids_size", "iframe_tlbc_index", "code_co_tlbc",
    };
#if defined(Py_GIL_DISABLED) && PY_VERSION_HEX >= 0x030E0000
    (void)names;
    OFF("tstate_refcounts_values", _PyThreadStateImpl, refcounts.values);
    OFF("tstate_refcounts_size", _PyThreadStateImpl, refcounts.size);
    OFF("interp_unique_ids_table", PyInterpreterState, unique_ids.table);
    OFF("interp_unique_ids_size", PyInterpreterState, unique_ids.size);
    OFF("iframe_tlbc_index", _PyInterpreterFrame, tlbc_index);
    OFF("code_co_tlbc", PyCodeObject, co_tlbc);
#else
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        ABSENT(names[i]);
#endif
}

static void emit_type(void)
{
    SIZE("type_size", PyTypeObject);
    OFF("tp_name", PyTypeObject, tp_name);
    OFF("tp_basicsize", PyTypeObject, tp_basicsize);
    OFF("tp_itemsize", PyTypeObject, tp_itemsize);
    OFF("tp_flags", PyTypeObject, tp_flags);
    OFF("tp_base", PyTypeObject, tp_base);
    OFF("tp_dict", PyTypeObject, tp_dict);
    OFF("tp_mro", PyTypeObject, tp_mro);
    OFF("tp_bases", PyTypeObject, tp_bases);
    OFF("tp_dictoffset", PyTypeObject, tp_dictoffset);
    OFF("tp_weaklistoffset", PyTypeObject, tp_weaklistoffset);
    OFF("tp_members", PyTypeObject, tp_members);
    OFF("tp_methods", PyTypeObject, tp_methods);
    SIZE("methoddef_size", PyMethodDef);
    OFF("methoddef_ml_name", PyMethodDef, ml_name);
    OFF("tp_is_gc", PyTypeObject, tp_is_gc);
    OFF("tp_subclasses", PyTypeObject, tp_subclasses);
    SIZE("heaptype_size", PyHeapTypeObject);
    OFF("ht_name", PyHeapTypeObject, ht_name);
    OFF("ht_slots", PyHeapTypeObject, ht_slots);
    OFF("ht_qualname", PyHeapTypeObject, ht_qualname);
    OFF("ht_cached_keys", PyHeapTypeObject, ht_cached_keys);
#if PY_VERSION_HEX >= 0x03090000
    OFF("ht_module", PyHeapTypeObject, ht_module);
#else
    ABSENT("ht_module");
#endif

    EMIT("flag_heaptype", Py_TPFLAGS_HEAPTYPE);
    EMIT("flag_have_gc", Py_TPFLAGS_HAVE_GC);
    EMIT("flag_type_subclass", Py_TPFLAGS_TYPE_SUBCLASS);
    EMIT("flag_ready", Py_TPFLAGS_READY);
#ifdef Py_TPFLAGS_MANAGED_DICT
    EMIT("flag_managed_dict", Py_TPFLAGS_MANAGED_DICT);
#else
    ABSENT("flag_managed_dict");
#endif
#ifdef Py_TPFLAGS_MANAGED_WEAKREF
    EMIT("flag_managed_weakref", Py_TPFLAGS_MANAGED_WEAKREF);
#else
    ABSENT("flag_managed_weakref");
#endif
#ifdef Py_TPFLAGS_INLINE_VALUES
    EMIT("flag_inline_values", Py_TPFLAGS_INLINE_VALUES);
#else
    ABSENT("flag_inline_values");
#endif
#ifdef _Py_TPFLAGS_STATIC_BUILTIN
    EMIT("flag_static_builtin", _Py_TPFLAGS_STATIC_BUILTIN);
#else
    ABSENT("flag_static_builtin");
#endif
}

static void emit_containers(void)
{
    SIZE("list_size", PyListObject);
    OFF("list_ob_item", PyListObject, ob_item);
    OFF("list_allocated", PyListObject, allocated);
    EMIT("tuple_basicsize", offsetof(PyTupleObject, ob_item));
    OFF("tuple_ob_item", PyTupleObject, ob_item);

    SIZE("dict_size", PyDictObject);
    OFF("dict_ma_used", PyDictObject, ma_used);
    OFF("dict_ma_keys", PyDictObject, ma_keys);
    OFF("dict_ma_values", PyDictObject, ma_values);
#if PY_VERSION_HEX < 0x030B0000
    SIZE("dk_header_size", gen_dict_keys);
    OFF("dk_refcnt", gen_dict_keys, dk_refcnt);
    OFF("dk_size", gen_dict_keys, dk_size);
    ABSENT("dk_log2_size");
    ABSENT("dk_log2_index_bytes");
    ABSENT("dk_kind");
    OFF("dk_usable", gen_dict_keys, dk_usable);
    OFF("dk_nentries", gen_dict_keys, dk_nentries);
    OFF("dk_indices", gen_dict_keys, dk_indices);
    SIZE("dk_entry_size", gen_dict_key_entry);
    ABSENT("dk_unicode_entry_size");
#else
    SIZE("dk_header_size", PyDictKeysObject);
    OFF("dk_refcnt", PyDictKeysObject, dk_refcnt);
    ABSENT("dk_size");
    OFF("dk_log2_size", PyDictKeysObject, dk_log2_size);
    OFF("dk_log2_index_bytes", PyDictKeysObject, dk_log2_index_bytes);
    OFF("dk_kind", PyDictKeysObject, dk_kind);
    OFF("dk_usable", PyDictKeysObject, dk_usable);
    OFF("dk_nentries", PyDictKeysObject, dk_nentries);
    OFF("dk_indices", PyDictKeysObject, dk_indices);
    SIZE("dk_entry_size", PyDictKeyEntry);
    SIZE("dk_unicode_entry_size", PyDictUnicodeEntry);
#endif
#if PY_VERSION_HEX >= 0x030D0000
    OFF("dict_values_prefix", PyDictValues, values);
#else
    ABSENT("dict_values_prefix");
#endif

    SIZE("set_size", PySetObject);
    OFF("set_fill", PySetObject, fill);
    OFF("set_used", PySetObject, used);
    OFF("set_mask", PySetObject, mask);
    OFF("set_table", PySetObject, table);
    OFF("set_smalltable", PySetObject, smalltable);
    SIZE("setentry_size", setentry);
}

static void emit_str(void)
{
    SIZE("str_ascii_size", PyASCIIObject);
    SIZE("str_compact_size", PyCompactUnicodeObject);
    SIZE("str_unicode_size", PyUnicodeObject);
    OFF("str_length", PyASCIIObject, length);
    OFF("str_state", PyASCIIObject, state);
    BITPOS("str_state_kind_shift", PyASCIIObject, state.kind, state);
    BITPOS("str_state_compact_shift", PyASCIIObject, state.compact, state);
    BITPOS("str_state_ascii_shift", PyASCIIObject, state.ascii, state);
    OFF("str_utf8_length", PyCompactUnicodeObject, utf8_length);
    OFF("str_utf8", PyCompactUnicodeObject, utf8);
#if PY_VERSION_HEX < 0x030C0000
    OFF("str_wstr", PyASCIIObject, wstr);
    OFF("str_wstr_length", PyCompactUnicodeObject, wstr_length);
#else
    ABSENT("str_wstr");
    ABSENT("str_wstr_length");
#endif
    OFF("str_data", PyUnicodeObject, data);
    SIZE("wchar_size", wchar_t);
}

static void emit_scalars(void)
{
#if PY_VERSION_HEX >= 0x030C0000
    EMIT("long_basicsize", offsetof(PyLongObject, long_value.ob_digit));
    OFF("long_digit", PyLongObject, long_value.ob_digit);
    OFF("long_lv_tag", PyLongObject, long_value.lv_tag);
#else
    EMIT("long_basicsize", offsetof(PyLongObject, ob_digit));
    OFF("long_digit", PyLongObject, ob_digit);
    ABSENT("long_lv_tag");
#endif
    SIZE("long_digit_size", digit);
    SIZE("float_size", PyFloatObject);
    SIZE("complex_size", PyComplexObject);
    EMIT("bytes_basicsize", offsetof(PyBytesObject, ob_sval) + 1);
    OFF("bytes_sval", PyBytesObject, ob_sval);
    SIZE("bytearray_size", PyByteArrayObject);
    OFF("bytearray_alloc", PyByteArrayObject, ob_alloc);
#if PY_VERSION_HEX >= 0x030F0000
    OFF("bytearray_bytes_object", PyByteArrayObject, ob_bytes_object);
#else
    ABSENT("bytearray_bytes_object");
#endif
    SIZE("module_size", gen_module_object);
    OFF("module_md_state", gen_module_object, md_state);
    OFF("module_md_name", gen_module_object, md_name);
#if PY_VERSION_HEX >= 0x030F0000
    /* 3.15 keeps the state's size and traverse in the module itself. */
    ABSENT("module_md_def");
    OFF("module_state_size", gen_module_object, md_state_size);
    OFF("module_state_traverse", gen_module_object, md_state_traverse);
#else
    OFF("module_md_def", gen_module_object, md_def);
    ABSENT("module_state_size");
    ABSENT("module_state_traverse");
#endif
    OFF("moduledef_size", PyModuleDef, m_size);
    OFF("moduledef_traverse", PyModuleDef, m_traverse);
    OFF("module_md_dict", gen_module_object, md_dict);
}

static void emit_code_frames(void)
{
#if PY_VERSION_HEX >= 0x030B0000
    EMIT("code_basicsize", offsetof(PyCodeObject, co_code_adaptive));
    EMIT("code_itemsize", sizeof(_Py_CODEUNIT));
    OFF("code_nlocalsplus", PyCodeObject, co_nlocalsplus);
    ABSENT("code_cell2arg");
    ABSENT("code_zombieframe");
    ABSENT("code_opcache");
    ABSENT("code_opcache_size");
    ABSENT("opcache_entry_size");
    ABSENT("code_co_code");
#else
    SIZE("code_basicsize", PyCodeObject);
    EMIT("code_itemsize", 0);
    ABSENT("code_nlocalsplus");
    OFF("code_cell2arg", PyCodeObject, co_cell2arg);
    OFF("code_zombieframe", PyCodeObject, co_zombieframe);
    OFF("code_opcache", PyCodeObject, co_opcache);
    OFF("code_opcache_size", PyCodeObject, co_opcache_size);
    SIZE("opcache_entry_size", _PyOpcache);
    OFF("code_co_code", PyCodeObject, co_code);
#endif
    OFF("code_stacksize", PyCodeObject, co_stacksize);
    OFF("code_nlocals", PyCodeObject, co_nlocals);
    OFF("code_firstlineno", PyCodeObject, co_firstlineno);
#if PY_VERSION_HEX >= 0x030B0000
    OFF("code_ncellvars", PyCodeObject, co_ncellvars);
    OFF("code_nfreevars", PyCodeObject, co_nfreevars);
    ABSENT("code_cellvars");
    ABSENT("code_freevars");
#else
    ABSENT("code_ncellvars");
    ABSENT("code_nfreevars");
    OFF("code_cellvars", PyCodeObject, co_cellvars);
    OFF("code_freevars", PyCodeObject, co_freevars);
#endif
#if PY_VERSION_HEX >= 0x030C0000
    OFF("code_framesize", PyCodeObject, co_framesize);
#else
    ABSENT("code_framesize");
#endif
    OFF("code_extra", PyCodeObject, co_extra);

#if PY_VERSION_HEX >= 0x030B0000
    EMIT("frame_basicsize", offsetof(PyFrameObject, _f_frame_data));
    EMIT("frame_itemsize", sizeof(PyObject *));
    ABSENT("frame_code");
    OFF("frame_f_frame", PyFrameObject, f_frame);
    OFF("frame_data", PyFrameObject, _f_frame_data);
#if PY_VERSION_HEX >= 0x030D0000
    OFF("iframe_code", _PyInterpreterFrame, f_executable);
#else
    OFF("iframe_code", _PyInterpreterFrame, f_code);
#endif
    OFF("iframe_localsplus", _PyInterpreterFrame, localsplus);
#else
    EMIT("frame_basicsize", offsetof(PyFrameObject, f_localsplus));
    EMIT("frame_itemsize", sizeof(PyObject *));
    OFF("frame_code", PyFrameObject, f_code);
    ABSENT("frame_f_frame");
    ABSENT("frame_data");
    ABSENT("iframe_code");
    ABSENT("iframe_localsplus");
#endif
#ifdef FRAME_SPECIALS_SIZE
    EMIT("frame_specials_size", FRAME_SPECIALS_SIZE);
#else
    ABSENT("frame_specials_size");
#endif
#if PY_VERSION_HEX < 0x030C0000
    OFF("gen_code", PyGenObject, gi_code);
#else
    ABSENT("gen_code");
#endif
#if PY_VERSION_HEX >= 0x030B0000
    OFF("gen_iframe", PyGenObject, gi_iframe);
#else
    ABSENT("gen_iframe");
#endif
    SIZE("gen_basicsize", PyGenObject);
    SIZE("coro_basicsize", PyCoroObject);
    SIZE("asyncgen_basicsize", PyAsyncGenObject);
}

static void emit_extension_facts(void)
{
    /* Modules/_collectionsmodule.c: not in the installed headers; BLOCKLEN
     * has been 64 in every version since 3.5. */
    EMIT("deque_blocklen", 64);
    /* dequeobject: PyObject_VAR_HEAD, leftblock, rightblock, leftindex. */
    EMIT("deque_leftindex", sizeof(PyVarObject) + 2 * sizeof(void *));
    /* Objects/odictobject.c: PyODictObject is a PyDictObject followed by
     * od_first, od_last, od_fast_nodes, od_fast_nodes_size; a node is
     * {key, hash, next, prev}. */
    EMIT("odict_first", sizeof(PyDictObject));
    EMIT("odict_fast_nodes_size", sizeof(PyDictObject) + 3 * sizeof(void *));
    EMIT("odict_node_size", 4 * sizeof(void *));
    /* Modules/_io/bufferedio.c "buffered": char *buffer after PyObject_HEAD,
     * raw, five ints and abs_pos; buffer_size after five Py_off_t, the lock
     * and the owner.  Measured the same from the head in 3.8 - 3.13 (and
     * 3.13t, whose head is longer). */
    EMIT("buffered_buffer", sizeof(PyObject) + 40);
    EMIT("buffered_buffer_size", sizeof(PyObject) + 104);
    /* Modules/_io/bytesio.c: PyObject *buf right after the head. */
    EMIT("bytesio_buf", sizeof(PyObject));
    /* Modules/_struct.c PyStructObject: head, s_size, s_len, s_codes; a
     * formatcode is {fmtdef, offset, size, repeat}, the array ends with a
     * NULL fmtdef. */
    EMIT("struct_s_codes", sizeof(PyObject) + 2 * sizeof(Py_ssize_t));
    EMIT("struct_formatcode_size", 4 * sizeof(void *));
}

/* What the traversals (tp_traverse from memory) need. */
static void emit_traverse(void)
{
    OFF("tp_traverse", PyTypeObject, tp_traverse);
    OFF("tp_cache", PyTypeObject, tp_cache);
    SIZE("memberdef_size", PyMemberDef);
    OFF("memberdef_type", PyMemberDef, type);
    OFF("memberdef_offset", PyMemberDef, offset);
    EMIT("member_t_object_ex", T_OBJECT_EX);

    OFF("func_code", PyFunctionObject, func_code);
    OFF("func_globals", PyFunctionObject, func_globals);
#if PY_VERSION_HEX >= 0x030A0000
    OFF("func_builtins", PyFunctionObject, func_builtins);
#else
    ABSENT("func_builtins");
#endif
    OFF("func_module", PyFunctionObject, func_module);
    OFF("func_defaults", PyFunctionObject, func_defaults);
    OFF("func_kwdefaults", PyFunctionObject, func_kwdefaults);
    OFF("func_doc", PyFunctionObject, func_doc);
    OFF("func_name", PyFunctionObject, func_name);
    OFF("func_dict", PyFunctionObject, func_dict);
    OFF("func_closure", PyFunctionObject, func_closure);
    OFF("func_annotations", PyFunctionObject, func_annotations);
    OFF("func_qualname", PyFunctionObject, func_qualname);
#if PY_VERSION_HEX >= 0x030C0000
    OFF("func_typeparams", PyFunctionObject, func_typeparams);
#else
    ABSENT("func_typeparams");
#endif
#if PY_VERSION_HEX >= 0x030E0000
    OFF("func_annotate", PyFunctionObject, func_annotate);
#else
    ABSENT("func_annotate");
#endif

    OFF("cell_ref", PyCellObject, ob_ref);
    OFF("method_func", PyMethodObject, im_func);
    OFF("method_self", PyMethodObject, im_self);
    OFF("descr_type", PyDescrObject, d_type);
    OFF("cfunc_ml", PyCFunctionObject, m_ml);
    OFF("methoddef_ml_flags", PyMethodDef, ml_flags);
#ifdef METH_METHOD
    EMIT("meth_method", METH_METHOD);
#else
    ABSENT("meth_method");
#endif
    OFF("cfunc_self", PyCFunctionObject, m_self);
    OFF("cfunc_module", PyCFunctionObject, m_module);
#if PY_VERSION_HEX >= 0x03090000
    OFF("cfunc_class", PyCMethodObject, mm_class);
#else
    ABSENT("cfunc_class");
#endif
    OFF("weakref_callback", PyWeakReference, wr_callback);
    OFF("slice_start", PySliceObject, start);
    OFF("slice_stop", PySliceObject, stop);
    OFF("slice_step", PySliceObject, step);

    /* Where an instance keeps its managed dict (3.11+): the word before the
     * GC header, 3 pointers before the object; 3.11 keeps its values one
     * word further, 3.12 tags values in the dict word (values - 1). */
#if defined(MANAGED_DICT_OFFSET)
    /* 3.13+ name it (pycore_object.h): one word before the object in a
     * free-threaded build, which has no GC header. */
    EMIT("managed_dict_offset", MANAGED_DICT_OFFSET);
#elif PY_VERSION_HEX >= 0x030B0000
    EMIT("managed_dict_offset", -3 * (long long)sizeof(PyObject *));
#else
    ABSENT("managed_dict_offset");
#endif
#if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030C0000
    EMIT("managed_values_offset", -4 * (long long)sizeof(PyObject *));
#else
    ABSENT("managed_values_offset");
#endif
#if PY_VERSION_HEX >= 0x030C0000 && PY_VERSION_HEX < 0x030D0000
    EMIT("managed_dict_tagged", 1);
#else
    EMIT("managed_dict_tagged", 0);
#endif

    /* Objects/funcobject.c classmethod and staticmethod: {head, callable,
     * dict}.  Objects/descrobject.c property: {head, get, set, del, doc,
     * name (3.10+)}.  Objects/namespaceobject.c: {head, dict}. Not in the
     * installed headers. */
    EMIT("cm_callable", sizeof(PyObject));
    EMIT("cm_dict", sizeof(PyObject) + sizeof(void *));
    EMIT("prop_get", sizeof(PyObject));
#if PY_VERSION_HEX >= 0x030A0000
    EMIT("prop_fields", 5);
#else
    EMIT("prop_fields", 4);
#endif
    EMIT("namespace_dict", sizeof(PyObject));
    /* Objects/descrobject.c mappingproxy {head, mapping}; method-wrapper
     * {head, descr, self}. */
    EMIT("mappingproxy_mapping", sizeof(PyObject));
    EMIT("methodwrapper_descr", sizeof(PyObject));
    EMIT("methodwrapper_self", sizeof(PyObject) + sizeof(void *));
    /* Modules/_collectionsmodule.c: defaultdict is a dict followed by
     * default_factory; a deque block is {leftlink, data[BLOCKLEN],
     * rightlink}, the deque {VAR_HEAD, leftblock, ...}.  Objects/odictobject.c:
     * od_inst_dict follows od_first, od_last, od_fast_nodes, its size, the
     * resize sentinel and od_state; a node is {key, hash, next, prev}. */
    EMIT("defaultdict_factory", sizeof(PyDictObject));
    EMIT("deque_leftblock", sizeof(PyVarObject));
    EMIT("odict_inst_dict", sizeof(PyDictObject) + 6 * sizeof(void *));
    EMIT("odict_node_next", 2 * sizeof(void *));
}

/* Generators and frames: what their traverse visits. */
static void emit_frames(void)
{
#if PY_VERSION_HEX >= 0x030B0000
    OFF("gen_name", PyGenObject, gi_name);
    OFF("gen_qualname", PyGenObject, gi_qualname);
    OFF("gen_exc_value", PyGenObject, gi_exc_state.exc_value);
    OFF("gen_frame_state", PyGenObject, gi_frame_state);
    ABSENT("gen_frame");
    ABSENT("gen_exc_type");
    ABSENT("gen_exc_traceback");
#if PY_VERSION_HEX >= 0x030D0000
    OFF("iframe_func", _PyInterpreterFrame, f_funcobj);
#elif PY_VERSION_HEX >= 0x030C0000
    OFF("iframe_func", _PyInterpreterFrame, f_funcobj);
#else
    OFF("iframe_func", _PyInterpreterFrame, f_func);
#endif
    OFF("iframe_locals", _PyInterpreterFrame, f_locals);
    OFF("iframe_frame_obj", _PyInterpreterFrame, frame_obj);
    OFF("iframe_owner", _PyInterpreterFrame, owner);
#if PY_VERSION_HEX >= 0x030E0000
    OFF("iframe_stackpointer", _PyInterpreterFrame, stackpointer);
    ABSENT("iframe_stacktop");
#else
    ABSENT("iframe_stackpointer");
    OFF("iframe_stacktop", _PyInterpreterFrame, stacktop);
#endif
    EMIT("frame_cleared", FRAME_CLEARED);
    EMIT("frame_owned_by_frame_object", FRAME_OWNED_BY_FRAME_OBJECT);
    OFF("frame_back", PyFrameObject, f_back);
    OFF("frame_trace", PyFrameObject, f_trace);
    ABSENT("frame_builtins");
    ABSENT("frame_globals");
    ABSENT("frame_locals");
    ABSENT("frame_valuestack");
    ABSENT("frame_stacktop");
    ABSENT("frame_stackdepth");
#else
    OFF("gen_name", PyGenObject, gi_name);
    OFF("gen_qualname", PyGenObject, gi_qualname);
    OFF("gen_exc_value", PyGenObject, gi_exc_state.exc_value);
    ABSENT("gen_frame_state");
    OFF("gen_frame", PyGenObject, gi_frame);
    OFF("gen_exc_type", PyGenObject, gi_exc_state.exc_type);
    OFF("gen_exc_traceback", PyGenObject, gi_exc_state.exc_traceback);
    ABSENT("iframe_func");
    ABSENT("iframe_locals");
    ABSENT("iframe_frame_obj");
    ABSENT("iframe_owner");
    ABSENT("iframe_stackpointer");
    ABSENT("iframe_stacktop");
    ABSENT("frame_cleared");
    ABSENT("frame_owned_by_frame_object");
    OFF("frame_back", PyFrameObject, f_back);
    OFF("frame_trace", PyFrameObject, f_trace);
    OFF("frame_builtins", PyFrameObject, f_builtins);
    OFF("frame_globals", PyFrameObject, f_globals);
    OFF("frame_locals", PyFrameObject, f_locals);
    OFF("frame_valuestack", PyFrameObject, f_valuestack);
#if PY_VERSION_HEX >= 0x030A0000
    ABSENT("frame_stacktop");
    OFF("frame_stackdepth", PyFrameObject, f_stackdepth);
#else
    OFF("frame_stacktop", PyFrameObject, f_stacktop);
    ABSENT("frame_stackdepth");
#endif
#endif
}

/* Static builtin types keep their __dict__ in the interpreter (3.12+):
 * interp->types.builtins[index], the index (plus one) in tp_subclasses; 3.13
 * adds an array for static types of extension modules. */
static void emit_static_types(void)
{
#if PY_VERSION_HEX >= 0x030D0000
    OFF("types_builtins", PyInterpreterState, types.builtins.initialized);
    OFF("types_extensions", PyInterpreterState, types.for_extensions.initialized);
    SIZE("static_state_size", managed_static_type_state);
    OFF("static_state_type", managed_static_type_state, type);
    OFF("static_state_dict", managed_static_type_state, tp_dict);
    EMIT("static_builtins_max", _Py_MAX_MANAGED_STATIC_BUILTIN_TYPES);
    EMIT("static_extensions_max", _Py_MAX_MANAGED_STATIC_EXT_TYPES);
#elif PY_VERSION_HEX >= 0x030C0000
    OFF("types_builtins", PyInterpreterState, types.builtins);
    ABSENT("types_extensions");
    SIZE("static_state_size", static_builtin_state);
    OFF("static_state_type", static_builtin_state, type);
    OFF("static_state_dict", static_builtin_state, tp_dict);
    EMIT("static_builtins_max", _Py_MAX_STATIC_BUILTIN_TYPES);
    ABSENT("static_extensions_max");
#else
    ABSENT("types_builtins");
    ABSENT("types_extensions");
    ABSENT("static_state_size");
    ABSENT("static_state_type");
    ABSENT("static_state_dict");
    ABSENT("static_builtins_max");
    ABSENT("static_extensions_max");
#endif
}

static void emit_contextvar(void)
{
    OFF("exc_dict", PyBaseExceptionObject, dict);
    OFF("exc_args", PyBaseExceptionObject, args);
#if PY_VERSION_HEX >= 0x030B0000
    OFF("exc_notes", PyBaseExceptionObject, notes);
#else
    ABSENT("exc_notes");
#endif
    OFF("exc_traceback", PyBaseExceptionObject, traceback);
    OFF("exc_context", PyBaseExceptionObject, context);
    OFF("exc_cause", PyBaseExceptionObject, cause);
    OFF("tb_next", PyTracebackObject, tb_next);
    OFF("tb_frame", PyTracebackObject, tb_frame);
    OFF("memoryview_mbuf", PyMemoryViewObject, mbuf);
    OFF("managedbuffer_obj", _PyManagedBufferObject, master.obj);
#if PY_VERSION_HEX >= 0x030B0000
    OFF("asyncgen_finalizer", PyAsyncGenObject, ag_origin_or_finalizer);
#else
    OFF("asyncgen_finalizer", PyAsyncGenObject, ag_finalizer);
#endif
    OFF("contextvar_name", PyContextVar, var_name);
    OFF("contextvar_default", PyContextVar, var_default);
    /* var_cached is borrowed: the traverse leaves it out */
}

/* Roots (heapy's RootState): interpreter fields, thread states, frames. */
static void emit_roots(void)
{
#if PY_VERSION_HEX >= 0x030C0000
    OFF("interp_importlib", PyInterpreterState, imports.importlib);
    OFF("interp_import_func", PyInterpreterState, imports.import_func);
#else
    OFF("interp_importlib", PyInterpreterState, importlib);
    OFF("interp_import_func", PyInterpreterState, import_func);
#endif
#if PY_VERSION_HEX >= 0x030D0000
    OFF("interp_codec_search_path", PyInterpreterState, codecs.search_path);
    OFF("interp_codec_search_cache", PyInterpreterState, codecs.search_cache);
    OFF("interp_codec_error_registry", PyInterpreterState, codecs.error_registry);
#else
    OFF("interp_codec_search_path", PyInterpreterState, codec_search_path);
    OFF("interp_codec_search_cache", PyInterpreterState, codec_search_cache);
    OFF("interp_codec_error_registry", PyInterpreterState, codec_error_registry);
#endif
    OFF("interp_dict", PyInterpreterState, dict);
    OFF("interp_builtins_copy", PyInterpreterState, builtins_copy);
#if PY_VERSION_HEX >= 0x030C0000
    OFF("interp_sysdict_copy", PyInterpreterState, sysdict_copy);
#else
    ABSENT("interp_sysdict_copy");
#endif

    OFF("ts_next", PyThreadState, next);
    OFF("ts_thread_id", PyThreadState, thread_id);
    OFF("ts_interp", PyThreadState, interp);
#if PY_VERSION_HEX >= 0x030D0000
    ABSENT("ts_frame");
    ABSENT("ts_cframe");
    ABSENT("cframe_current_frame");
    OFF("ts_current_frame", PyThreadState, current_frame);
#elif PY_VERSION_HEX >= 0x030B0000
    ABSENT("ts_frame");
    OFF("ts_cframe", PyThreadState, cframe);
    OFF("cframe_current_frame", _PyCFrame, current_frame);
    ABSENT("ts_current_frame");
#else
    OFF("ts_frame", PyThreadState, frame);
    ABSENT("ts_cframe");
    ABSENT("cframe_current_frame");
    ABSENT("ts_current_frame");
#endif
    OFF("ts_c_profileobj", PyThreadState, c_profileobj);
    OFF("ts_c_traceobj", PyThreadState, c_traceobj);
#if PY_VERSION_HEX >= 0x030C0000
    ABSENT("ts_curexc_type");
    ABSENT("ts_curexc_value");
    ABSENT("ts_curexc_traceback");
    OFF("ts_current_exception", PyThreadState, current_exception);
#else
    OFF("ts_curexc_type", PyThreadState, curexc_type);
    OFF("ts_curexc_value", PyThreadState, curexc_value);
    OFF("ts_curexc_traceback", PyThreadState, curexc_traceback);
    ABSENT("ts_current_exception");
#endif
    OFF("ts_exc_value", PyThreadState, exc_state.exc_value);
#if PY_VERSION_HEX < 0x030B0000
    OFF("ts_exc_type", PyThreadState, exc_state.exc_type);
    OFF("ts_exc_traceback", PyThreadState, exc_state.exc_traceback);
#else
    ABSENT("ts_exc_type");
    ABSENT("ts_exc_traceback");
#endif
    OFF("ts_dict", PyThreadState, dict);
    OFF("ts_async_exc", PyThreadState, async_exc);
    OFF("ts_async_gen_firstiter", PyThreadState, async_gen_firstiter);
    OFF("ts_async_gen_finalizer", PyThreadState, async_gen_finalizer);
    OFF("ts_context", PyThreadState, context);
#if PY_VERSION_HEX >= 0x030B0000
    OFF("iframe_previous", _PyInterpreterFrame, previous);
    OFF("iframe_globals", _PyInterpreterFrame, f_globals);
    OFF("iframe_builtins", _PyInterpreterFrame, f_builtins);
#else
    ABSENT("iframe_previous");
    ABSENT("iframe_globals");
    ABSENT("iframe_builtins");
#endif
    /* Frames that are not Python code's own (entry/shim frames): owner at
     * or above this value.  3.12, 3.13: FRAME_OWNED_BY_CSTACK; 3.14+: the
     * interpreter's own and the C stack's. */
#if PY_VERSION_HEX >= 0x030E0000
    EMIT("frame_owner_not_python", FRAME_OWNED_BY_INTERPRETER);
#elif PY_VERSION_HEX >= 0x030C0000
    EMIT("frame_owner_not_python", FRAME_OWNED_BY_CSTACK);
#else
    ABSENT("frame_owner_not_python");
#endif
}

/* Code objects' fields heapy follows (code is not gc-tracked, heapy traverses
 * it itself). */
static void emit_code_refs(void)
{
    OFF("code_consts", PyCodeObject, co_consts);
    OFF("code_names", PyCodeObject, co_names);
    OFF("code_filename", PyCodeObject, co_filename);
    OFF("code_name", PyCodeObject, co_name);
#if PY_VERSION_HEX >= 0x030B0000
    OFF("code_qualname", PyCodeObject, co_qualname);
    OFF("code_exceptiontable", PyCodeObject, co_exceptiontable);
    OFF("code_localsplusnames", PyCodeObject, co_localsplusnames);
    OFF("code_localspluskinds", PyCodeObject, co_localspluskinds);
    ABSENT("code_varnames");
#else
    ABSENT("code_qualname");
    ABSENT("code_exceptiontable");
    ABSENT("code_localsplusnames");
    ABSENT("code_localspluskinds");
    OFF("code_varnames", PyCodeObject, co_varnames);
#endif
#if PY_VERSION_HEX >= 0x030A0000
    OFF("code_linetable", PyCodeObject, co_linetable);
#else
    OFF("code_linetable", PyCodeObject, co_lnotab);
#endif
}

/* What a thread's stack needs: where each frame is in its code (the line
 * comes from the code's line table) and which thread holds the GIL. */
static void emit_stacks(void)
{
    OFF("code_flags", PyCodeObject, co_flags);
#if PY_VERSION_HEX >= 0x030D0000
    ABSENT("frame_lasti");
    OFF("iframe_instr", _PyInterpreterFrame, instr_ptr);
#elif PY_VERSION_HEX >= 0x030B0000
    ABSENT("frame_lasti");
    OFF("iframe_instr", _PyInterpreterFrame, prev_instr);
#else
    OFF("frame_lasti", PyFrameObject, f_lasti);
    ABSENT("iframe_instr");
#endif
#if PY_VERSION_HEX >= 0x030C0000
    ABSENT("runtime_gil");
    OFF("interp_gil", PyInterpreterState, ceval.gil);
#else
    OFF("runtime_gil", _PyRuntimeState, ceval.gil);
    ABSENT("interp_gil");
#endif
    OFF("gil_last_holder", struct _gil_runtime_state, last_holder);
    OFF("gil_locked", struct _gil_runtime_state, locked);
    OFF("ts_exc_info", PyThreadState, exc_info);
    OFF("stackitem_exc_value", _PyErr_StackItem, exc_value);
#if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030C0000
    OFF("iframe_is_entry", _PyInterpreterFrame, is_entry);
#else
    ABSENT("iframe_is_entry");
#endif
}

static void emit_debug_offsets(void)
{
#if PY_VERSION_HEX >= 0x030D0000
    SIZE("dbg_size", _Py_DebugOffsets);
    OFF("dbg_version", _Py_DebugOffsets, version);
    OFF("dbg_free_threaded", _Py_DebugOffsets, free_threaded);
#define P(field, member) OFF("dbg_" #field, _Py_DebugOffsets, member);
#else
    ABSENT("dbg_size");
    ABSENT("dbg_version");
    ABSENT("dbg_free_threaded");
#define P(field, member) ABSENT("dbg_" #field);
#endif
#include "../debug_offsets.def"
#undef P
}

int main(void)
{
    emit_meta();
    emit_runtime();
    emit_faulthandler();
    emit_gc();
    emit_object();
    emit_mimalloc();
    emit_free_threaded_314();
    emit_type();
    emit_containers();
    emit_str();
    emit_scalars();
    emit_code_frames();
    emit_extension_facts();
    emit_debug_offsets();
    emit_traverse();
    emit_frames();
    emit_static_types();
    emit_contextvar();
    emit_roots();
    emit_code_refs();
    emit_stacks();
    return 0;
}
