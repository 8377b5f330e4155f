#include "stacks/crash_groups.h"

#include <stdlib.h>

static int by_count(const void *a, const void *b, void *ctx)
{
    const struct crash_case *cases = ctx;
    const struct crash_group *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    uint64_t hx = cases[x->first].sig.hash, hy = cases[y->first].sig.hash;
    return (hx > hy) - (hx < hy);
}

size_t crash_groups_make(const struct crash_case *cases, size_t ncases, struct crash_group *groups)
{
    size_t n = 0;
    for (size_t i = 0; i < ncases; i++) {
        const struct crash_case *c = &cases[i];
        if (c->error[0])
            continue;
        size_t g = 0;
        while (g < n && cases[groups[g].first].sig.hash != c->sig.hash)
            g++;
        if (g == n)
            groups[n++] = (struct crash_group){i, 0, c->mtime, c->mtime};
        struct crash_group *grp = &groups[g];
        grp->count++;
        if (c->mtime < grp->first_seen)
            grp->first_seen = c->mtime;
        if (c->mtime >= grp->last_seen) {
            grp->last_seen = c->mtime;
            grp->first = i;
        }
    }
    qsort_r(groups, n, sizeof *groups, by_count, (void *)cases);
    return n;
}
