/* Progress on a terminal: a scan that runs longer than a second says on
 * stderr which phase it is in and how many objects it has done, one line
 * rewritten in place, cleared before anything else is written.  Only when
 * stderr is a terminal and the output is text on stdout: JSON, -o and
 * pipes never see it. */
#ifndef PYHEAPSCAN_PROGRESS_H
#define PYHEAPSCAN_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

/* Starts the clock; enabled decides whether anything is ever shown. */
void progress_start(bool enabled);

void progress_show(const char *phase, uint64_t done);

/* Where a loop is: cheap enough to call once an object. */
static inline void progress_note(const char *phase, uint64_t done)
{
    extern bool progress_enabled;
    if (progress_enabled && (done & 0xFFFF) == 0)
        progress_show(phase, done);
}

/* The end of a phase, for PYHEAPSCAN_TIMES=1: every phase's wall time
 * and the CPU time of the whole process then go to stderr when the scan
 * ends (what the bench and a profile read; no output changes). */
void progress_phase_done(const char *phase);
void progress_times_report(void);

/* Time spent on one kind of work inside the phases (reading traverse
 * functions' code), added up and reported apart, for PYHEAPSCAN_TIMES=1;
 * started is a monotonic_seconds() value.  what must be a literal. */
void progress_account(const char *what, double started);

/* Clears the line, if one was shown. */
void progress_clear(void);

#endif
