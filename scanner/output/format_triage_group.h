/* `triage CORE... | DIR...`: the crashes grouped by signature, one row (a
 * JUnit test case) per bug. */
#ifndef PYHEAPSCAN_FORMAT_TRIAGE_GROUP_H
#define PYHEAPSCAN_FORMAT_TRIAGE_GROUP_H

#include <stdio.h>

#include "stacks/crash_groups.h"

struct crash_report {
    const struct crash_case *cases;
    size_t ncases;
    const struct crash_group *groups;
    size_t ngroups;
};

void format_crash_groups_text(FILE *out, const struct crash_report *r);
void format_crash_groups_json(FILE *out, const struct crash_report *r);
/* JUnit XML as CI systems read it: a failed test case per signature (its
 * frames as the failure's text), an erroring one per unreadable core. */
void format_crash_groups_junit(FILE *out, const struct crash_report *r);

#endif
