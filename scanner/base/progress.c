#include "base/progress.h"

#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

bool progress_enabled;
static double started, last;
static bool shown;
static int nphases = -1; /* PYHEAPSCAN_TIMES: -1 when not asked for */
static double phase_start;

static double now(void)
{
    return monotonic_seconds();
}

void progress_start(bool enabled)
{
    progress_enabled = enabled && isatty(STDERR_FILENO);
    started = now();
    last = 0;
    shown = false;
    const char *times = getenv("PYHEAPSCAN_TIMES");
    nphases = times && *times && strcmp(times, "0") != 0 ? 0 : -1;
    phase_start = started;
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

/* ---- PYHEAPSCAN_TIMES ---- */

enum { MAX_PHASES = 32 };
static struct {
    const char *name;
    double seconds;
} phases[MAX_PHASES];

void progress_phase_done(const char *phase)
{
    if (nphases < 0)
        return;
    double t = now();
    if (nphases < MAX_PHASES) {
        phases[nphases].name = phase;
        phases[nphases++].seconds = t - phase_start;
    }
    phase_start = t;
}

enum { MAX_ACCOUNTS = 4 };
static struct {
    const char *name;
    double seconds;
    unsigned long count;
} accounts[MAX_ACCOUNTS];
static int naccounts;

void progress_account(const char *what, double started_at)
{
    if (nphases < 0)
        return;
    double t = now();
    int i = 0;
    while (i < naccounts && strcmp(accounts[i].name, what) != 0)
        i++;
    if (i == MAX_ACCOUNTS)
        return;
    if (i == naccounts)
        accounts[naccounts++].name = what;
    accounts[i].seconds += t - started_at;
    accounts[i].count++;
}

void progress_times_report(void)
{
    if (nphases <= 0)
        return;
    for (int i = 0; i < naccounts; i++)
        fprintf(stderr, "pyheapscan: within: %-20s %8.3f s (%lu times)\n", accounts[i].name, accounts[i].seconds,
                accounts[i].count);
    double total = 0;
    for (int i = 0; i < nphases; i++) {
        fprintf(stderr, "pyheapscan: time: %-22s %8.3f s\n", phases[i].name, phases[i].seconds);
        total += phases[i].seconds;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr, "pyheapscan: time: %-22s %8.3f s (user %.3f s, system %.3f s)\n", "all", total,
            (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
            (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
}
