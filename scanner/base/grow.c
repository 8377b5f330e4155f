#include "base/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool grow_to(void *pp, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : first;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return false;
        n *= 2;
    }
    if (elem && n > SIZE_MAX / elem)
        return false;
    /* pp points to a T *: its bytes are copied, not read as a void *, which
     * the language does not promise to be the same object */
    void *old;
    memcpy(&old, pp, sizeof old);
    void *grown = realloc(old, n * elem);
    if (!grown)
        return false;
    memcpy(pp, &grown, sizeof grown);
    *cap = n;
    return true;
}
