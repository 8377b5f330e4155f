/* `triage`: what a CI log should carry of a crash (or a hung process), on
 * one screen: the executable and version, the crash facts, the signature,
 * the thread that matters with its merged stack, a line per other thread,
 * and the top rows of the heap's table. */
#ifndef PYHEAPSCAN_FORMAT_TRIAGE_H
#define PYHEAPSCAN_FORMAT_TRIAGE_H

#include <stdio.h>

#include "stacks/crash_facts.h"
#include "output/format.h"
#include "stacks/native_stacks.h"
#include "analysis/partition.h"
#include "stacks/thread_stacks.h"

struct triage_report {
    const char *source;                 /* "core of process 1234 (python3)", "process 1234" */
    const struct target *t;
    const struct crash_facts *crash;    /* NULL: no fatal signal (or a live process) */
    const struct thread_stacks *stacks;
    const struct native_stacks *native;
    const struct partition *heap;       /* NULL when the heap could not be read */
    const char *heap_error;
};

void format_triage_text(FILE *out, const struct triage_report *r);
void format_triage_json(FILE *out, const struct triage_report *r);

#endif
