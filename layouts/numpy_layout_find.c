#include "numpy_layout.h"

#include <stdio.h>

const struct numpy_layout *numpy_layout_find(int major, int minor)
{
    for (size_t i = 0; i < numpy_layouts_count; i++)
        if (numpy_layouts[i].major == major && numpy_layouts[i].minor == minor)
            return &numpy_layouts[i];
    return NULL;
}

void numpy_layout_keys(char *out, size_t cap)
{
    size_t used = 0;
    if (cap)
        out[0] = '\0';
    for (size_t i = 0; i < numpy_layouts_count && used < cap; i++) {
        int n = snprintf(out + used, cap - used, "%s%s", i ? ", " : "", numpy_layouts[i].key);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}
