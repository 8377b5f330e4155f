/* `triage CORE... | DIR...`: many crashes at once, grouped by signature
 * (stacks/crash_groups.h), in text, JSON or JUnit XML. */
#ifndef PYHEAPSCAN_TRIAGE_GROUP_H
#define PYHEAPSCAN_TRIAGE_GROUP_H

#include "base/errors.h"
#include "commands/options.h"

int triage_group(const struct options *o, struct error *err);

#endif
