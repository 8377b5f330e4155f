/* numpy's own types, from memory with the layout of the target's numpy
 * (model/numpy_model.h): ufunc's traverse, and the __sizeof__ of ndarray
 * and of the scalar types.  ndarray and the scalars have no traverse: they
 * are not GC types in any numpy (arrayobject.c, scalartypes.c.src), and
 * gc.get_referents gives nothing for them. */
#include "model/families/family.h"
#include "model/numpy_model.h"

/* NPY_MAXDIMS is 32 up to numpy 1.x, 64 from 2.0 */
#define NUMPY_MAX_DIMS 64

/* ufunc_traverse (umath/ufunc_object.c): the wrapped object, the identity
 * value when the identity is one, and (2.2+) the ufunc's dict.  heapy
 * relates none of these but the dict (a tp_dictoffset). */
static bool ufunc_traverse(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    (void)ti;
    struct target *t = w->t;
    const struct numpy_layout *NL = t->numpy.NL;
    visit_at(w, obj + (uint64_t)NL->ufunc_obj, rel_quiet(rel_inter("obj")));
    int32_t identity = 0;
    mem_read(t->mem, obj + (uint64_t)NL->ufunc_identity, &identity, sizeof identity);
    if (identity == NL->ufunc_identity_is_value)
        visit_at(w, obj + (uint64_t)NL->ufunc_identity_value, rel_quiet(rel_inter("identity_value")));
    if (NL->ufunc_dict >= 0)
        visit_at(w, obj + (uint64_t)NL->ufunc_dict, rel_attr("__dict__"));
    return true;
}

/* ndarray.__sizeof__ (numpy's array_sizeof, methods.c): the object, its
 * dimensions and strides, and the data when the array owns it. */
static uint64_t array_sizeof(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    const struct numpy_layout *NL = t->numpy.NL;
    /* Up to 1.19 the constant NPY_SIZEOF_PYARRAYOBJECT, ndarray's own size,
     * whatever the subclass; from 1.20 on, the object's type's basicsize. */
    uint64_t size = NL->array_sizeof_fixed >= 0 ? (uint64_t)NL->array_sizeof_fixed : (uint64_t)ti->basicsize;
    int64_t nd = numpy_int_of_size(t, obj + (uint64_t)NL->array_nd, NL->array_nd_size);
    if (nd < 0 || nd > NUMPY_MAX_DIMS) {
        *exact = false;
        return size;
    }
    size += (uint64_t)nd * 2 * (uint64_t)NL->npy_intp_size;
    int64_t flags = numpy_int_of_size(t, obj + (uint64_t)NL->array_flags, NL->array_flags_size);
    if (!(flags & NL->flag_owndata))
        return size;
    /* PyArray_NBYTES: the element size times the product of the dimensions. */
    uint64_t descr = u64_at(t, obj + (uint64_t)NL->array_descr);
    uint64_t dims = u64_at(t, obj + (uint64_t)NL->array_dimensions);
    if (!descr || (nd > 0 && !dims)) {
        *exact = false;
        return size;
    }
    uint64_t nbytes = (uint64_t)numpy_int_of_size(t, descr + (uint64_t)NL->descr_elsize, NL->descr_elsize_size);
    for (int64_t i = 0; i < nd; i++)
        nbytes *= u64_at(t, dims + (uint64_t)i * (uint64_t)NL->npy_intp_size);
    return size + nbytes;
}

/* numpy.generic.__sizeof__ (gentype_sizeof, scalartypes.c.src): the
 * scalar's element size, its type's basicsize and its items. */
static uint64_t scalar_sizeof(struct target *t, const struct type_info *ti, uint64_t obj, bool *exact)
{
    const struct py_layout *L = t->L;
    const struct numpy_layout *NL = t->numpy.NL;
    uint64_t ob_size = ti->itemsize ? u64_at(t, obj + (uint64_t)L->ob_size) : 0;
    uint64_t size = (uint64_t)ti->basicsize + ob_size * (uint64_t)ti->itemsize;
    const struct numpy_scalar_type *st = numpy_scalar_type_of(&t->numpy, t, ti->addr);
    if (!st) {
        *exact = false;
        return size;
    }
    if (st->elsize > 0)
        return size + (uint64_t)st->elsize;
    /* A flexible type: PyArray_DescrFromScalar measures the scalar itself. */
    switch (st->kind) {
    case 'S':
        return size + u64_at(t, obj + (uint64_t)L->ob_size);
    case 'U':
        return size + 4 * u64_at(t, obj + (uint64_t)L->str_length);
    case 'V': {
        uint64_t descr = u64_at(t, obj + (uint64_t)NL->void_scalar_descr);
        if (descr)
            return size + (uint64_t)numpy_int_of_size(t, descr + (uint64_t)NL->descr_elsize, NL->descr_elsize_size);
        break;
    }
    default:
        break;
    }
    *exact = false;
    return size;
}

static const struct family_entry entries[] = {
    {.definer = "numpy.ufunc", .by_layout = true, .needs_numpy_layout = true, .traverse = ufunc_traverse,
     .traverse_kind = TRAVERSE_NUMPY_UFUNC},
    {.definer = "numpy.ndarray", .by_layout = true, .needs_numpy_layout = true, .size = array_sizeof,
     .size_kind = SIZE_NUMPY_ARRAY},
    {.definer = "numpy.generic", .by_layout = true, .needs_numpy_layout = true, .size = scalar_sizeof,
     .size_kind = SIZE_NUMPY_SCALAR},
};

const struct family family_numpy = FAMILY("numpy", entries);
