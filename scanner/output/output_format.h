/* The formats the output can be written in, by name, and which command
 * writes which (a format or a command added is a line here). */
#ifndef PYHEAPSCAN_OUTPUT_FORMAT_H
#define PYHEAPSCAN_OUTPUT_FORMAT_H

#include <stdbool.h>

enum output_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_OBJECTS, FORMAT_REFERENTS, FORMAT_HEAPY, FORMAT_PYMPLER, FORMAT_HTML, FORMAT_DOT, FORMAT_TYPES, FORMAT_JUNIT };

/* The format named name ("text", "json", ...); false when none is. */
bool output_format_named(const char *name, enum output_format *format);

/* "text, json, heapy, ...": for a message. */
extern const char output_format_names[];

/* The commands, as their formats go. */
enum output_command {
    COMMAND_HEAP,     /* the heap report: a partition, or one line per object */
    COMMAND_REFS,     /* one object's referents and referrers */
    COMMAND_STACKS,   /* stacks and triage */
    COMMAND_PATHS,
    COMMAND_TOP,
    COMMAND_SUSPECTS, /* of one heap or of a series */
    COMMAND_DIFF,
    COMMAND_TRIAGE_GROUP, /* triage of many cores, grouped by signature */
};

/* Whether command writes format. */
bool output_format_written_by(enum output_command command, enum output_format format);

#endif
