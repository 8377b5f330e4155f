/* Writes the struct layout of the numpy whose headers it is compiled against.
 *
 * Built by layouts/regenerate_numpy.sh against each fleet interpreter's
 * installed numpy headers (Debian ships them inside python3-numpy) and that
 * interpreter's Python.h, run on this machine, never linked into the
 * scanner.  Output: one "name value" line per field of
 * layouts/numpy_fields.def, -1 for a field the version lacks. */

/* The whole struct as this numpy itself is built, not the subset numpy 2's
 * headers show extensions that target older numpy by default. */
#define NPY_TARGET_VERSION NPY_API_VERSION
/* Only the types: no import_array() (it would need libpython to link). */
#define NO_IMPORT_ARRAY
#define PY_ARRAY_UNIQUE_SYMBOL gen_numpy_layout_api
#include <Python.h>
#include <numpy/arrayobject.h>
#include <numpy/arrayscalars.h>
#include <numpy/ufuncobject.h>
#include <stddef.h>
#include <stdio.h>

#define EMIT(name, value) printf("%s %lld\n", (name), (long long)(value))
#define OFF(name, type, member) EMIT(name, offsetof(type, member))
#define SIZE(name, type) EMIT(name, sizeof(type))
#define FIELD_SIZE(name, type, member) EMIT(name, sizeof(((type *)0)->member))
#define ABSENT(name) EMIT(name, -1)

/* NPY_x_API_VERSION of the releases that added fields (numpyconfig.h of
 * later numpy names them: 1.20 is 0x0e, 1.22 is 0x0f). */
#define GEN_NPY_1_20_API 0x0000000e
#define GEN_NPY_1_22_API 0x0000000f

int main(void)
{
    printf("# headers numpy C API 0x%08x\n", (unsigned)NPY_API_VERSION);
    EMIT("numpy_api_version", NPY_API_VERSION);
    SIZE("npy_intp_size", npy_intp);

    SIZE("array_size", PyArrayObject_fields);
    OFF("array_data", PyArrayObject_fields, data);
    OFF("array_nd", PyArrayObject_fields, nd);
    FIELD_SIZE("array_nd_size", PyArrayObject_fields, nd);
    OFF("array_dimensions", PyArrayObject_fields, dimensions);
    OFF("array_strides", PyArrayObject_fields, strides);
    OFF("array_base", PyArrayObject_fields, base);
    OFF("array_descr", PyArrayObject_fields, descr);
    OFF("array_flags", PyArrayObject_fields, flags);
    FIELD_SIZE("array_flags_size", PyArrayObject_fields, flags);
    OFF("array_weakreflist", PyArrayObject_fields, weakreflist);
#if NPY_API_VERSION >= GEN_NPY_1_20_API
    OFF("array_buffer_info", PyArrayObject_fields, _buffer_info);
#else
    ABSENT("array_buffer_info");
#endif
#if NPY_API_VERSION >= GEN_NPY_1_22_API
    OFF("array_mem_handler", PyArrayObject_fields, mem_handler);
#else
    ABSENT("array_mem_handler");
#endif
#ifdef NPY_SIZEOF_PYARRAYOBJECT
    EMIT("array_sizeof_fixed", NPY_SIZEOF_PYARRAYOBJECT);
#else
    ABSENT("array_sizeof_fixed");
#endif
    EMIT("flag_owndata", NPY_ARRAY_OWNDATA);

    SIZE("descr_size", PyArray_Descr);
    OFF("descr_typeobj", PyArray_Descr, typeobj);
    OFF("descr_kind", PyArray_Descr, kind);
    OFF("descr_type_num", PyArray_Descr, type_num);
    OFF("descr_elsize", PyArray_Descr, elsize);
    FIELD_SIZE("descr_elsize_size", PyArray_Descr, elsize);

    SIZE("void_scalar_size", PyVoidScalarObject);
    OFF("void_scalar_descr", PyVoidScalarObject, descr);

    OFF("ufunc_obj", PyUFuncObject, obj);
    OFF("ufunc_identity", PyUFuncObject, identity);
    OFF("ufunc_identity_value", PyUFuncObject, identity_value);
    /* The same C API version (0x13) with and without it (2.1, 2.2): the
     * regenerating script asks the compiler whether the field is there. */
#ifdef GEN_UFUNC_HAS_DICT
    OFF("ufunc_dict", PyUFuncObject, dict);
#else
    ABSENT("ufunc_dict");
#endif
    EMIT("ufunc_identity_is_value", PyUFunc_IdentityValue);
    return 0;
}
