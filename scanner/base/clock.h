/* The one clock every phase and stop is timed by: monotonic, in seconds. */
#ifndef PYHEAPSCAN_CLOCK_H
#define PYHEAPSCAN_CLOCK_H

#include <time.h>

static inline double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
