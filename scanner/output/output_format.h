/* The formats the output can be written in, by name.  Which command takes
 * which is the command line's rule (cli.c); writing them is output/'s. */
#ifndef PYHEAPSCAN_OUTPUT_FORMAT_H
#define PYHEAPSCAN_OUTPUT_FORMAT_H

#include <stdbool.h>

enum output_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_OBJECTS, FORMAT_REFERENTS, FORMAT_HEAPY, FORMAT_PYMPLER, FORMAT_HTML, FORMAT_DOT };

/* The format named name ("text", "json", ...); false when none is. */
bool output_format_named(const char *name, enum output_format *format);

/* "text, json, heapy, pympler, objects, referents, html, dot": for a message. */
extern const char output_format_names[];

#endif
