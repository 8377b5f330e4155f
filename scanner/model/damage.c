#include "model/damage.h"

#include <stdarg.h>
#include <stdio.h>

void damage_note(struct damage *d, bool cycle, const char *fmt, ...)
{
    if (!d->lengths && !d->cycles) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->first, sizeof d->first, fmt, ap);
        va_end(ap);
    }
    if (cycle)
        d->cycles++;
    else
        d->lengths++;
}

void damage_report(const struct damage *d)
{
    if (!d->lengths && !d->cycles)
        return;
    fprintf(stderr,
            "pyheapscan: warning: damaged memory: %llu lengths beyond the memory they claim, "
            "%llu cyclic lists cut (first: %s)\n",
            (unsigned long long)d->lengths, (unsigned long long)d->cycles, d->first);
}
