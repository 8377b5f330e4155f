#include "commands/coredump_dir.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct coredump_name {
    char comm[256];
    long long pid;
    unsigned long long timestamp;
};

/* core.COMM.UID.BOOT_ID.PID.TIMESTAMP[.EXT], read from the right: COMM may
 * hold what systemd escaped. */
static bool parse_name(const char *file, struct coredump_name *out)
{
    if (strncmp(file, "core.", 5) != 0)
        return false;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", file + 5);
    char *field[8];
    int n = 0;
    for (char *p = strrchr(buf, '.'); p && n < 5; p = strrchr(buf, '.')) {
        field[n++] = p + 1;
        *p = '\0';
    }
    int k = 0;
    if (n && (!strcmp(field[0], "zst") || !strcmp(field[0], "lz4") || !strcmp(field[0], "xz")))
        k = 1;
    if (n - k < 4) /* TIMESTAMP, PID, BOOT_ID, UID */
        return false;
    char *end = NULL;
    out->timestamp = strtoull(field[k], &end, 10);
    if (*end)
        return false;
    out->pid = strtoll(field[k + 1], &end, 10);
    if (*end)
        return false;
    /* COMM, \x2e back to a dot */
    size_t len = 0;
    for (const char *p = buf; *p && len < sizeof out->comm - 1; p++) {
        if (!strncmp(p, "\\x2e", 4)) {
            out->comm[len++] = '.';
            p += 3;
        } else {
            out->comm[len++] = *p;
        }
    }
    out->comm[len] = '\0';
    return true;
}

static bool matches(const struct coredump_name *c, const char *match, bool python_only)
{
    if (*match && strspn(match, "0123456789") == strlen(match))
        return c->pid == atoll(match);
    if (*match)
        return strstr(c->comm, match) != NULL;
    return !python_only || strncmp(c->comm, "python", 6) == 0;
}

bool coredump_pick(const char *match, char *path, size_t cap, struct error *err)
{
    const char *dir = getenv("PYHEAPSCAN_COREDUMP_DIR");
    if (!dir || !*dir)
        dir = "/var/lib/systemd/coredump";
    struct dirent **names = NULL;
    int count = scandir(dir, &names, NULL, alphasort);
    if (count < 0)
        return fail(err, EXIT_USAGE, "%s: no systemd-coredump directory here", dir);
    bool found = false;
    unsigned long long newest = 0;
    /* a Python command's cores first; with none, any command's */
    for (int pass = 0; pass < 2 && !found; pass++)
        for (int i = 0; i < count; i++) {
            struct coredump_name c;
            if (parse_name(names[i]->d_name, &c) && matches(&c, match, pass == 0) &&
                (!found || c.timestamp > newest)) {
                found = true;
                newest = c.timestamp;
                snprintf(path, cap, "%s/%s", dir, names[i]->d_name);
            }
        }
    for (int i = 0; i < count; i++)
        free(names[i]);
    free(names);
    if (!found)
        return fail(err, EXIT_USAGE, "%s: no core%s%s", dir, *match ? " of " : "", match);
    return true;
}
