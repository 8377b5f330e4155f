#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

bool progress_enabled;
static double started, last;
static bool shown;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(bool enabled)
{
    progress_enabled = enabled && isatty(STDERR_FILENO);
    started = now();
    last = 0;
    shown = false;
}

void progress_show(const char *phase, uint64_t done)
{
    double t = now();
    /* a line a tenth of a second is all a reader can follow */
    if (!progress_enabled || t - started < 1.0 || t - last < 0.1)
        return;
    last = t;
    /* \033[K: the rest of a longer line before it goes */
    fprintf(stderr, "\rpyheapscan: %s: %llu objects\033[K", phase, (unsigned long long)done);
    fflush(stderr);
    shown = true;
}

void progress_clear(void)
{
    if (shown)
        fputs("\r\033[K", stderr);
    shown = false;
}
