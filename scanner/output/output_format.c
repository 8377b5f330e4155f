#include "output/output_format.h"

#include <string.h>

static const struct {
    const char *name;
    enum output_format format;
} formats[] = {
    {"text", FORMAT_TEXT},         {"json", FORMAT_JSON},       {"heapy", FORMAT_HEAPY},
    {"pympler", FORMAT_PYMPLER},   {"objects", FORMAT_OBJECTS}, {"referents", FORMAT_REFERENTS},
    {"html", FORMAT_HTML},         {"dot", FORMAT_DOT},
};

const char output_format_names[] = "text, json, heapy, pympler, objects, referents, html, dot";

bool output_format_named(const char *name, enum output_format *format)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i].name, name) == 0) {
            *format = formats[i].format;
            return true;
        }
    return false;
}
