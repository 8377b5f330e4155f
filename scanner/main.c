/* pyheapscan: a CPython heap, read from outside the process. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "base/malloc_tuning.h"
#include "commands/diff_series.h"
#include "commands/coredump_dir.h"
#include "commands/triage_group.h"
#include "scan.h"

int main(int argc, char **argv)
{
    struct error err = {0};
    struct options o;
    if (!cli_parse(argc, argv, &o, &err)) {
        fprintf(stderr, "pyheapscan: %s\n", err.message);
        return err.code;
    }
    if (o.help) {
        cli_usage(stdout);
        return 0;
    }
    if (o.version) {
        printf("pyheapscan %s\n", PYHEAPSCAN_VERSION);
        return 0;
    }
    /* A live heap's graph is what the tuning pays for; the exec costs as much
     * as the start of a small scan (tests run thousands of those). */
    if (o.pid > 0 && !o.stacks && !o.diff_before && o.nseries < 2)
        malloc_tuning_apply(argv);
    /* --coredump: systemd-coredump's core, scanned as --core would */
    static char coredump[4096];
    if (o.coredump && !o.core) {
        if (!coredump_pick(o.coredump, coredump, sizeof coredump, &err)) {
            fprintf(stderr, "pyheapscan: %s\n", err.message);
            return err.code;
        }
        o.core = coredump;
        fprintf(stderr, "pyheapscan: %s\n", coredump);
    }
    int rc = o.ncrashes        ? triage_group(&o, &err)
             : o.diff_before   ? scan_diff(&o, &err)
             : o.nseries >= 2  ? scan_series(&o, &err)
             : o.load      ? scan_snapshot(&o, &err)
             : o.core      ? scan_core(&o, &err)
                           : scan_live(&o, &err);
    if (rc != EXIT_OK)
        fprintf(stderr, "pyheapscan: %s\n", err.message);
    return rc;
}
