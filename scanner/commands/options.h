/* What a command is asked to do: the command line's options, parsed by
 * cli.c, read by every command. */
#ifndef PYHEAPSCAN_OPTIONS_H
#define PYHEAPSCAN_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "analysis/partition.h"
#include "output/output_format.h"

struct options {
    pid_t pid;                /* -1 with --core */
    const char *core, *exe, *sysroot, *lib_search_path;
    const char *coredump;     /* --coredump[=PID|NAME]: a core of systemd-coredump's ("" any) */
    const char *save, *load;  /* --save FILE, --load FILE */
    const char *diff_before, *diff_after;  /* `diff BEFORE AFTER` */
    bool redact;
    const char *where;        /* --where EXPR: kinds and addresses joined by |, &, - */
    bool refs;                /* `refs ... ADDR` */
    bool stacks;              /* `stacks`: every thread's Python frames */
    bool locals;              /* stacks --locals */
    bool native;              /* stacks --native */
    bool triage;              /* `triage`: stacks, crash facts and the heap's table on one screen */
    uint64_t refs_addr;       /* refs' and paths' ADDR */
    bool paths, top;          /* `paths ADDR | --where KIND`, `top` */
    bool suspects;            /* `suspects` */
    double threshold;         /* suspects --threshold PCT (default 10) */
    const char *series[16];   /* suspects of a series: each source (--load or named as diff names them) */
    size_t nseries;
    const char *crashes[256]; /* `triage CORE... | DIR...`: the cores, grouped by signature */
    size_t ncrashes;
    size_t limit;             /* paths, top: -n N (0 = all) */
    unsigned depth;           /* top --depth D */
    bool by_given;            /* --by on the command line */
    bool retained;            /* --retained: partitions gain the rows' retained sizes */
    bool sort_retained;       /* --sort retained */
    const char *set;          /* "reachable", ..., "gc", "all", "muppy" */
    bool set_given;
    enum classifier by;
    enum output_format format;
    size_t max_rows;          /* 0 = all */
    const char *output;       /* NULL = stdout */
    bool quiet;               /* -q: no progress line */
    bool help, version;
};

#endif
