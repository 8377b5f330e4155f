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
static bool name_if_visited(struct walker *w, const struct type_info *ti, uint64_t obj)
{
    struct target *t = w->t;
    if (visits_name(t) && ti->basicsize >= 24)
        family_visit_word(w, obj + 16);
    return true;
}

/* Objects/genericaliasobject.c, unionobject.c: GenericAlias {origin,
 * args, parameters}; UnionType (up to 3.13) {args, parameters}; 3.14's
 * typing.Union {args, hashable args, unhashable args, parameters}. */
static const int64_t alias_fields[] = {16, 24, 32, -1};
static const int64_t union_fields[] = {16, 24, -1};
static const int64_t union314_fields[] = {16, 24, 32, 40, -1};

static const struct family_entry entries[] = {
    {.definer = "types.GenericAlias", .fields = alias_fields, .traverse_kind = TRAVERSE_FIELDS},
    {.definer = "types.UnionType", .max_minor = 13, .fields = union_fields, .traverse_kind = TRAVERSE_FIELDS},
    {.definer = "typing.Union", .min_minor = 14, .fields = union314_fields, .traverse_kind = TRAVERSE_FIELDS},
    {.definer = "typing.TypeVar", .min_minor = 12, .max_minor = 12, .fields = typevar312, .visits_dict = true, .traverse = name_if_visited},
    {.definer = "typing.TypeVar", .min_minor = 13, .fields = typevar313, .visits_dict = true, .traverse = name_if_visited},
    {.definer = "typing.ParamSpec", .min_minor = 12, .max_minor = 12, .fields = paramspec312, .visits_dict = true, .traverse = name_if_visited},
    {.definer = "typing.ParamSpec", .min_minor = 13, .fields = paramspec313, .visits_dict = true, .traverse = name_if_visited},
    {.definer = "typing.TypeVarTuple", .min_minor = 12, .max_minor = 12, .fields = none, .visits_dict = true, .traverse = name_if_visited},
    {.definer = "typing.TypeVarTuple", .min_minor = 13, .max_minor = 14, .fields = typevartuple313, .visits_dict = true, .traverse = name_if_visited},
    {.definer = "typing.TypeVarTuple", .min_minor = 15, .fields = typevartuple315, .visits_dict = true, .traverse = name_if_visited},
    {.definer = "typing.TypeAliasType", .min_minor = 12, .max_minor = 14, .fields = typealias312, .traverse = name_if_visited},
    {.definer = "typing.TypeAliasType", .min_minor = 15, .fields = typealias315, .traverse = name_if_visited},
    /* generic_traverse visits only the type. */
    {.definer = "typing.Generic", .min_minor = 12, .fields = none},
};

const struct family family_typing = FAMILY("typing", entries);
