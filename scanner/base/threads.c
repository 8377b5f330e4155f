#include "base/threads.h"

#include <stdlib.h>
#include <unistd.h>

unsigned threads_allowed(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned n = cpus < 1 ? 1 : (unsigned)cpus;
    const char *limit = getenv("PYHEAPSCAN_THREADS");
    if (limit && *limit) {
        char *end;
        unsigned long want = strtoul(limit, &end, 10);
        if (*end == '\0' && want >= 1 && want < n)
            n = (unsigned)want;
    }
    return n;
}
