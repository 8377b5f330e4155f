#include "base/errors.h"

#include <stdarg.h>
#include <stdio.h>

int fail(struct error *e, enum exit_code code, const char *fmt, ...)
{
    if (e && e->code == EXIT_OK) {
        e->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->message, sizeof e->message, fmt, ap);
        va_end(ap);
    }
    return 0;
}
