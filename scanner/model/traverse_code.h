/* A type's tp_traverse read from its machine code (x86-64, System V):
 * which fields of the object it hands to the visit function.  Most
 * traverse functions are a run of Py_VISIT(self->field), perhaps a visit of
 * Py_TYPE(self) (a heap type's) and a call of the base type's traverse:
 * the reader follows every branch with capstone, keeping what each
 * register and stack slot holds (self, visit, arg, a field of self, a word
 * of memory it could read), and records the offset from self of every
 * object passed to visit with arg.  A base type's traverse that it can
 * name (a direct call, or a function pointer read from a type object in
 * memory) is read in turn, to a few levels.  Anything else — a loop over a
 * variable-length array, a call of a function it cannot follow, a visit
 * of something that is not a field — and the function is not understood:
 * the reason is said, and nothing is guessed.
 *
 * Beyond fields of the object itself it follows two shapes that extension
 * types use: a word of a block the object points to (Py_VISIT(self->state
 * ->callback)), and a loop over an array the object points to, whose
 * length is another field (Cython's function defaults, a list of pairs):
 * the array's pointer field, the element's stride and the offset visited
 * in each element, and the length field.  A loop whose length it cannot
 * name unambiguously is not understood.  Branches on a value it knows (a
 * base type's tp_traverse read from memory, NULL or not) take the side the
 * value decides; a branch on a flag of the object or of a block it points
 * to (cffi's cdata: a handle or a callback, as its ctype's flags say)
 * becomes a guard of the visits below it, which the scanner evaluates for
 * each object.
 *
 * The code is read through a callback, so that the same reader serves a
 * target's memory and an ELF file on disk (the unit test compares its
 * answers with the hand-written tables of model/families/ on the fleet's
 * interpreters). */
#ifndef PYHEAPSCAN_TRAVERSE_CODE_H
#define PYHEAPSCAN_TRAVERSE_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/code_decode.h"

#define TRAVERSE_CODE_FIELDS 64
#define TRAVERSE_CODE_ARRAYS 8
#define TRAVERSE_CODE_CONDITIONS 8

/* A test of the object's data: the integer of width bytes at self + offset
 * (pointer < 0) or at *(self + pointer) + offset, masked (test) or compared
 * (cmp) with value; zero: the flags' zero bit after it. */
struct traverse_code_condition {
    int64_t pointer, offset, value;
    int width;
    bool compare;
};

/* The conditions a visit is made under: bit i of zero set, condition i
 * must leave the zero flag set; of nonzero, clear.  Both 0: always. */
struct traverse_code_guard {
    uint8_t zero, nonzero;
};

/* Words visited in a block the object points to: at *(self + pointer) +
 * offset + i * stride for i in [0, count), count being the integer of
 * count_width bytes at self + count_field; or that word alone (stride 0,
 * count_field -1). */
struct traverse_code_array {
    int64_t pointer, offset, stride, count_field;
    int count_width;
    struct traverse_code_guard guard;
};

/* Functions whose meaning the reader knows, so that it need not read them:
 * the traverse of a type the scanner has a model of (a metatype's call of
 * type's traverse, a C exception's of BaseException's), and CPython's
 * helpers for an object's dict (pybind11's instances). */
struct traverse_code_known {
    const uint64_t *bases;
    size_t nbases;
    uint64_t get_dict_ptr;          /* returns the address of the object's dict pointer */
    uint64_t visit_managed_dict[2]; /* visit its (managed) dict */
};

struct traverse_code {
    bool understood;
    char why[128];                        /* when not understood */
    int64_t fields[TRAVERSE_CODE_FIELDS]; /* offsets from self visited, ascending, each once */
    char field_names[TRAVERSE_CODE_FIELDS][24]; /* "field+24": how paths name them (no name is
                                                   in memory for a C or Cython cdef field) */
    struct traverse_code_guard field_guards[TRAVERSE_CODE_FIELDS];
    struct traverse_code_condition conditions[TRAVERSE_CODE_CONDITIONS];
    size_t nconditions;
    size_t nfields;
    struct traverse_code_array arrays[TRAVERSE_CODE_ARRAYS];
    size_t narrays;
    bool visits_type;                     /* Py_VISIT(Py_TYPE(self)) */
    bool visits_type_if;                  /* ... under a condition (3.15 debug builds: the
                                             type's heap flag, as the scanner's rule says) */
    bool visits_dict;                     /* the object's dict, wherever it is */
    int base;                             /* index in known->bases of the one it calls, -1: none */
    size_t functions;                     /* traverse functions read: this one and its bases */
    size_t instructions;                  /* instructions read, all paths */
};

/* Reads the traverse function at fn; known may be NULL. */
void traverse_code_read(code_read_fn read, void *ctx, uint64_t fn, const struct traverse_code_known *known,
                        struct traverse_code *out);

/* Whether a guard holds for the object: read(ctx, addr, out, len) reads
 * the target's memory. */
bool traverse_code_guard_holds(const struct traverse_code *code, struct traverse_code_guard g, code_read_fn read,
                               void *ctx, uint64_t obj);

/* The function fn only forwards to (a tail jump, perhaps through a pointer
 * it loads: numpy's tp_is_gc to type's), 0 when it does anything else. */
uint64_t traverse_code_forwards_to(code_read_fn read, void *ctx, uint64_t fn);

#endif
