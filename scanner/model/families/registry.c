/* The families the scanner knows: adding one is a line here (and its file
 * in meson.build).  The interpreter's own types first, then the standard
 * library's extension modules, then third-party packages. */
#include "model/families/family.h"

extern const struct family family_sequences, family_dicts, family_sets, family_scalars, family_type_objects,
    family_functions, family_descriptors, family_code, family_frames, family_modules, family_exceptions,
    family_weakrefs, family_memoryview, family_slices_namespaces, family_iterators, family_collections,
    family_functools, family_contextvars, family_io, family_itertools, family_typing, family_asyncio,
    family_pickle, family_ctypes, family_parser, family_library, family_numpy, family_pyrsistent;

const struct family *const family_registry[] = {
    /* Objects/, Python/ */
    &family_sequences, &family_dicts, &family_sets, &family_scalars, &family_type_objects, &family_functions,
    &family_descriptors, &family_code, &family_frames, &family_modules, &family_exceptions, &family_weakrefs,
    &family_memoryview, &family_slices_namespaces, &family_iterators, &family_contextvars,
    /* Modules/ */
    &family_collections, &family_functools, &family_io, &family_itertools, &family_typing, &family_asyncio,
    &family_pickle, &family_ctypes, &family_parser, &family_library,
    /* third-party packages */
    &family_numpy, &family_pyrsistent,
};

const size_t family_registry_count = sizeof family_registry / sizeof family_registry[0];
