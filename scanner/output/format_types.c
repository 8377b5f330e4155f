/* --format types: how the scanner modelled each type of the set, one line
 * a type, for the user who asks why a type's referents or sizes are left
 * out and for the tests that compare the models with the target. */
#include <inttypes.h>
#include <stdlib.h>

#include "model/families/family.h"
#include "model/traverse_code.h"
#include "output/format.h"

/* How the C part of a type's instances is traversed. */
static const char *traverse_model(const struct type_info *ti)
{
    switch (ti->traverse) {
    case TRAVERSE_OPAQUE:
        return "flagged";
    case TRAVERSE_FROM_CODE:
        return "code";
    case TRAVERSE_NONE:
        return ti->subtype ? "subtype" : "none";
    default:
        return "table";
    }
}

static const char *size_model(const struct type_info *ti)
{
    switch (ti->size_kind) {
    case SIZE_UNMODELLED:
        return "flagged";
    case SIZE_OBJECT:
        return "basic";
    default:
        return "table";
    }
}

/* What a traverse read from its code visits: "+24 +32", a word of a block
 * the object points to "*(+40)+8", an array "*(+120)[+0 step 8 count
 * int@+128]". */
static void print_guard(FILE *out, const struct traverse_code *code, struct traverse_code_guard g)
{
    for (size_t i = 0; i < code->nconditions; i++) {
        uint8_t bit = (uint8_t)(1u << i);
        if (!((g.zero | g.nonzero) & bit))
            continue;
        const struct traverse_code_condition *c = &code->conditions[i];
        char where[48];
        if (c->pointer >= 0)
            snprintf(where, sizeof where, "*(+%" PRId64 ")+%" PRId64, c->pointer, c->offset);
        else
            snprintf(where, sizeof where, "+%" PRId64, c->offset);
        bool zero = (g.zero & bit) != 0;
        if (c->compare)
            fprintf(out, "{if %s:%d %s %" PRId64 "}", where, c->width, zero ? "==" : "!=", c->value);
        else
            fprintf(out, "{if %s:%d & %#" PRIx64 " %s 0}", where, c->width, (uint64_t)c->value, zero ? "==" : "!=");
    }
}

static void print_code_visits(FILE *out, const struct type_info *ti)
{
    const struct traverse_code *code = ti->traverse_code;
    if (!code) {
        fputc('-', out);
        return;
    }
    const char *sep = "";
    if (code->visits_type) {
        fputs("type", out);
        sep = " ";
    }
    for (size_t i = 0; i < code->nfields; i++, sep = " ") {
        fprintf(out, "%s+%" PRId64, sep, code->fields[i]);
        print_guard(out, code, code->field_guards[i]);
    }
    for (size_t i = 0; i < code->narrays; i++, sep = " ") {
        const struct traverse_code_array *a = &code->arrays[i];
        if (a->stride)
            fprintf(out, "%s*(+%" PRId64 ")[+%" PRId64 " step %" PRId64 " count %s@+%" PRId64 "]", sep, a->pointer,
                    a->offset, a->stride, a->count_width == 4 ? "int" : "long", a->count_field);
        else
            fprintf(out, "%s*(+%" PRId64 ")+%" PRId64, sep, a->pointer, a->offset);
        print_guard(out, code, a->guard);
    }
    if (!*sep)
        fputs("nothing", out);
}

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

bool format_types(FILE *out, const struct heap *h, const uint32_t *indices, size_t n)
{
    uint64_t *count = calloc(h->types.count ? h->types.count : 1, sizeof *count);
    if (!count)
        return false;
    for (size_t k = 0; k < n; k++)
        count[h->type[indices ? indices[k] : k]]++;
    fprintf(out, "#address\tname\tobjects\ttraverse\ttraverse_definer\twhy\tsize\tsizeof_definer\tcode_visits\ttable_check\n");
    for (size_t i = 0; i < h->types.count; i++) {
        const struct type_info *ti = &h->types.v[i];
        if (!count[i])
            continue;
        const char *why = ti->traverse == TRAVERSE_OPAQUE
                              ? (ti->traverse_why ? ti->traverse_why : "no table and no reading of its code")
                              : NULL;
        /* a table the code could not check: why the reader gave up */
        if (ti->table_check == TABLE_CODE_UNREAD && ti->traverse_code && !ti->traverse_code->understood)
            why = ti->traverse_code->why;
        fprintf(out, "0x%" PRIx64 "\t%s\t%" PRIu64 "\t%s\t%s\t%s\t%s\t%s\t", ti->addr, ti->name, count[i],
                traverse_model(ti), or_dash(ti->traverse_definer), or_dash(why), size_model(ti),
                or_dash(ti->sizeof_definer));
        print_code_visits(out, ti);
        static const char *const checks[] = {"-", "agrees", "differs", "unread"};
        fprintf(out, "\t%s\n", checks[ti->table_check]);
    }
    free(count);
    return true;
}
