/* The type parameters of Objects/typevarobject.c (3.12+): TypeVar,
 * ParamSpec, TypeVarTuple, and Generic, and TypeAliasType.  Each visits its
 * type, the object fields below and (but TypeAliasType) its managed dict
 * (the entries' "dict"); none visits its name (the first field, at 16)
 * before gh-140000 (October 2025: the fleet's 3.13.0 and 3.13.5 do not, its
 * 3.13.18 and 3.14.10 do; the first releases after the fix were 3.13.10 and
 * 3.14.1).  TypeAliasType's name follows the same releases as far as the
 * fleet shows (gc.get_referents: not on 3.12, 3.13.0 and 3.13.5; on
 * 3.13.18, 3.14.10 and 3.15): taken for the same fix. */
#include "model/families/family.h"

#include "model/pyobj.h"

static const int64_t none[] = {-1};
/* typevarobject {name, bound, evaluate_bound, constraints,
 * evaluate_constraints, 3.13+: default_value, evaluate_default, three
 * bools}. */
static const int64_t typevar312[] = {24, 32, 40, 48, -1};
static const int64_t typevar313[] = {24, 32, 40, 48, 56, 64, -1};
/* paramspecobject {name, bound, 3.13+: default_value, evaluate_default,
 * three bools}. */
static const int64_t paramspec312[] = {24, -1};
static const int64_t paramspec313[] = {24, 32, 40, -1};
/* typevartupleobject {name, 3.13+: default_value, evaluate_default}; 3.15
 * {name, bound, default_value, evaluate_default, three bools}. */
static const int64_t typevartuple313[] = {24, 32, -1};
static const int64_t typevartuple315[] = {24, 32, 40, -1};

/* typealiasobject {name, 3.15+: qualname, type_params, compute_value,
 * value, module}. */
static const int64_t typealias312[] = {24, 32, 40, 48, -1};
static const int64_t typealias315[] = {24, 32, 40, 48, 56, -1};

static bool visits_name(const struct target *t)
{
    return t->minor >= 15 || (t->minor == 14 && t->micro >= 1) || (t->minor == 13 && t->micro >= 10);
}

/* The name, where this release visits it; only inside the object. */
static bool name_if_visited(struct target *t, const struct type_info *ti, uint64_t obj, family_visit_fn visit,
                            void *ctx)
{
    if (visits_name(t) && ti->basicsize >= 24)
        family_visit_word(t, obj + 16, visit, ctx);
    return true;
}

static const struct family_entry entries[] = {
    {"typing.TypeVar", 12, 12, typevar312, false, true, false, name_if_visited, NULL},
    {"typing.TypeVar", 13, 99, typevar313, false, true, false, name_if_visited, NULL},
    {"typing.ParamSpec", 12, 12, paramspec312, false, true, false, name_if_visited, NULL},
    {"typing.ParamSpec", 13, 99, paramspec313, false, true, false, name_if_visited, NULL},
    {"typing.TypeVarTuple", 12, 12, none, false, true, false, name_if_visited, NULL},
    {"typing.TypeVarTuple", 13, 14, typevartuple313, false, true, false, name_if_visited, NULL},
    {"typing.TypeVarTuple", 15, 99, typevartuple315, false, true, false, name_if_visited, NULL},
    {"typing.TypeAliasType", 12, 14, typealias312, false, false, false, name_if_visited, NULL},
    {"typing.TypeAliasType", 15, 99, typealias315, false, false, false, name_if_visited, NULL},
    /* generic_traverse visits only the type. */
    {"typing.Generic", 12, 99, none, false, false, false, NULL, NULL},
};

const struct family family_typing = {"typing", entries, sizeof entries / sizeof entries[0]};
