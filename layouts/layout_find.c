#include "layout.h"

const struct py_layout *py_layout_find(int minor, int micro, int debug)
{
    const struct py_layout *best = NULL, *lowest = NULL;
    for (size_t i = 0; i < py_layouts_count; i++) {
        const struct py_layout *L = &py_layouts[i];
        if (L->minor != minor || L->debug != debug)
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
