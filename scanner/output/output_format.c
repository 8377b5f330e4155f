#include "output/output_format.h"

#include <string.h>

static const struct {
    const char *name;
    enum output_format format;
} formats[] = {
    {"text", FORMAT_TEXT},         {"json", FORMAT_JSON},       {"heapy", FORMAT_HEAPY},
    {"pympler", FORMAT_PYMPLER},   {"objects", FORMAT_OBJECTS}, {"referents", FORMAT_REFERENTS},
    {"html", FORMAT_HTML},         {"dot", FORMAT_DOT},         {"types", FORMAT_TYPES},
    {"junit", FORMAT_JUNIT},
};

const char output_format_names[] = "text, json, heapy, pympler, objects, referents, html, dot, types, junit";

bool output_format_named(const char *name, enum output_format *format)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i].name, name) == 0) {
            *format = formats[i].format;
            return true;
        }
    return false;
}

#define F(format) (1u << (format))

static const unsigned written_by[] = {
    [COMMAND_HEAP] = F(FORMAT_TEXT) | F(FORMAT_JSON) | F(FORMAT_HEAPY) | F(FORMAT_PYMPLER) | F(FORMAT_OBJECTS) |
                     F(FORMAT_REFERENTS) | F(FORMAT_TYPES),
    [COMMAND_REFS] = F(FORMAT_TEXT),
    [COMMAND_STACKS] = F(FORMAT_TEXT) | F(FORMAT_JSON),
    [COMMAND_PATHS] = F(FORMAT_TEXT) | F(FORMAT_JSON) | F(FORMAT_DOT),
    [COMMAND_TOP] = F(FORMAT_TEXT) | F(FORMAT_JSON) | F(FORMAT_DOT),
    [COMMAND_SUSPECTS] = F(FORMAT_TEXT) | F(FORMAT_JSON) | F(FORMAT_HTML) | F(FORMAT_DOT),
    [COMMAND_DIFF] = F(FORMAT_TEXT) | F(FORMAT_JSON) | F(FORMAT_OBJECTS),
    [COMMAND_TRIAGE_GROUP] = F(FORMAT_TEXT) | F(FORMAT_JSON) | F(FORMAT_JUNIT),
};

bool output_format_written_by(enum output_command command, enum output_format format)
{
    return (written_by[command] & F(format)) != 0;
}
