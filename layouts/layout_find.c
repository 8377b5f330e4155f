#include "layout.h"

#include <stdio.h>
#include <string.h>

const struct py_layout *py_layout_find(int minor, int micro, int debug, int free_threaded)
{
    const struct py_layout *best = NULL, *lowest = NULL;
    for (size_t i = 0; i < py_layouts_count; i++) {
        const struct py_layout *L = &py_layouts[i];
        if (L->minor != minor || L->debug != debug || (L->py_gil_disabled != 0) != (free_threaded != 0))
            continue;
        if (L->micro < 0)
            return L;
        if (!lowest || L->micro < lowest->micro)
            lowest = L;
        if (L->micro <= micro && (!best || L->micro > best->micro))
            best = L;
    }
    return best ? best : lowest;
}

int py_layout_tested(const struct py_layout *L, int micro)
{
    char want[24];
    int n = snprintf(want, sizeof want, "3.%d.%d", L->minor, micro);
    for (const char *p = L->tested; p && *p;) {
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if ((int)len == n && strncmp(p, want, len) == 0)
            return 1;
        p = end ? end + 1 : p + len;
    }
    return 0;
}
