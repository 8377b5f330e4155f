/* The files of the fleet's interpreters, for the unit tests that read
 * machine code out of them: the fleet table's rows, each with the file
 * holding its interpreter (a shared build's libpython beside its
 * executable, else the executable, inside its chroot). */
#ifndef PYHEAPSCAN_TEST_FLEET_FILES_H
#define PYHEAPSCAN_TEST_FLEET_FILES_H

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fleet_file {
    char version[64], flavour[256];
    int minor;
    char file[16384];
};

typedef void (*fleet_file_fn)(const struct fleet_file *f, void *ctx);

/* Calls each for every row of the fleet table; how many rows, or -1 when
 * there is no table (a machine without the fleet). */
static inline int fleet_files(fleet_file_fn each, void *ctx)
{
    const char *dir = getenv("PYHEAPSCAN_FLEET_DIR") ? getenv("PYHEAPSCAN_FLEET_DIR") : "/var/cache/pyheapscan-fleet";
    char path[4096];
    snprintf(path, sizeof path, "%s/fleet.tsv", dir);
    FILE *fleet = fopen(path, "r");
    if (!fleet)
        return -1;
    static char line[16384], root[4096], exe[4096], where[8192], lib[16384];
    static struct fleet_file f;
    int rows = 0, major = 0;
    while (fgets(line, sizeof line, fleet)) {
        if (sscanf(line, "%63[^\t]\t%255[^\t]\t%4095[^\t]\t%4095[^\t]", f.version, f.flavour, root, exe) != 4 ||
            strcmp(f.version, "version") == 0 || sscanf(f.version, "%d.%d", &major, &f.minor) != 2)
            continue;
        snprintf(where, sizeof where, "%s%s", strcmp(root, "/") == 0 ? "" : root, exe);
        snprintf(f.file, sizeof f.file, "%s", where);
        snprintf(lib, sizeof lib, "%s/../lib/libpython%d.%d.so.1.0", dirname(where), major, f.minor);
        if (access(lib, R_OK) == 0)
            snprintf(f.file, sizeof f.file, "%s", lib);
        rows++;
        each(&f, ctx);
    }
    fclose(fleet);
    return rows;
}

#endif
