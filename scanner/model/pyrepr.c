#include "model/pyrepr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/pyobj.h"
#include "model/relation.h"

void py_repr_float(double v, char *out, size_t cap)
{
    if (isnan(v)) {
        snprintf(out, cap, "nan");
        return;
    }
    if (isinf(v)) {
        snprintf(out, cap, v < 0 ? "-inf" : "inf");
        return;
    }
    /* The fewest significant digits that read back the same, then Python's
     * layout: positional for exponents -4 .. 15, else d.ddde+XX. */
    char buf[64];
    int precision = 1;
    for (; precision < 17; precision++) {
        snprintf(buf, sizeof buf, "%.*e", precision - 1, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    snprintf(buf, sizeof buf, "%.*e", precision - 1, v);
    char *e = strchr(buf, 'e');
    int exponent = atoi(e + 1);
    if (exponent >= -4 && exponent < 16) {
        int decimals = precision - 1 - exponent;
        snprintf(buf, sizeof buf, "%.*f", decimals > 0 ? decimals : 0, v);
        snprintf(out, cap, strchr(buf, '.') ? "%s" : "%s.0", buf);
        return;
    }
    *e = '\0';
    snprintf(out, cap, "%se%c%02d", buf, exponent < 0 ? '-' : '+', abs(exponent));
}

bool py_repr_value(struct target *t, uint64_t obj, char *out, size_t cap)
{
    const struct py_layout *L = t->L;
    uint64_t type = py_type_of(t, obj), name_ptr;
    char type_name[32];
    if (!type || !mem_u64(t->mem, type + (uint64_t)L->tp_name, &name_ptr) || !name_ptr ||
        !mem_cstring(t->mem, name_ptr, type_name, sizeof type_name))
        return false;
    if (strcmp(type_name, "str") == 0) {
        char text[512];
        if (!py_str_utf8(t, obj, text, sizeof text))
            return false;
        py_repr_str(text, strlen(text), out, cap);
        return true;
    }
    if (strcmp(type_name, "int") == 0) {
        int64_t v;
        if (!py_long_value(t, obj, &v))
            return false;
        snprintf(out, cap, "%lld", (long long)v);
        return true;
    }
    if (strcmp(type_name, "bool") == 0) {
        int64_t v;
        if (!py_long_value(t, obj, &v))
            return false;
        snprintf(out, cap, "%s", v ? "True" : "False");
        return true;
    }
    if (strcmp(type_name, "NoneType") == 0) {
        snprintf(out, cap, "None");
        return true;
    }
    if (strcmp(type_name, "float") == 0) {
        double v; /* ob_fval follows the object header */
        if (!mem_read(t->mem, obj + (uint64_t)L->ob_type + 8, &v, sizeof v))
            return false;
        py_repr_float(v, out, cap);
        return true;
    }
    return false;
}
