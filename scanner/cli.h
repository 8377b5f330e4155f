/* The command line. */
#ifndef PYHEAPSCAN_CLI_H
#define PYHEAPSCAN_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/errors.h"
#include "commands/options.h"


/* Parses argv; false with a usage message in err. */
bool cli_parse(int argc, char **argv, struct options *o, struct error *err);
void cli_usage(FILE *out);

#endif
