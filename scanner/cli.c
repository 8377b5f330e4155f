#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/format.h"
#include "analysis/partition_retained.h"

void cli_usage(FILE *out)
{
    fputs("usage: pyheapscan -p PID [--set reachable|unreachable|garbage|held|gc|all|muppy]\n"
          "                  [--by clodo|type|class|size|module|id|idset|via|rcs|unity] [--where EXPR]\n"
          "                  [--format text|json|heapy|pympler|objects|referents] [--top N | --all] [-o FILE]\n"
          "       pyheapscan refs -p PID ADDR   (an object's referents and referrers, classified,\n"
          "                  with the relations heapy names them by; --core and --load too)\n"
          "       pyheapscan paths -p PID ADDR | --where KIND [-n N] [--format text|json]\n"
          "                  (the shortest paths from the roots, as heapy writes them; for a kind\n"
          "                  the members' paths merged into one tree with counts)\n"
          "       pyheapscan top -p PID [--by CLASSIFIER] [-n N] [--depth D] [--where EXPR] [--format text|json]\n"
          "                  (the biggest retainers: retained size, rendering, path from a root;\n"
          "                  --depth opens the dominator tree below them; --by: kinds instead)\n"
          "       pyheapscan suspects -p PID|--core CORE|--load FILE [--threshold PCT] [-n N] [--format text|json]\n"
          "                  (MAT's leak suspects: what retains more than PCT% (10) of the heap, its\n"
          "                  accumulation point, what accumulates there, the path from a root)\n"
          "                  [--format html -o FILE: a page with the suspects, the dominator tree as a\n"
          "                  treemap, the heap's kinds with their retained sizes] [--format dot]\n"
          "       pyheapscan suspects --load A --load B [--load C...] | suspects A B [C...]\n"
          "                  (a series: the kinds that grow at every step, where their new objects\n"
          "                  hang, then the last heap's suspects)\n"
          "       pyheapscan --core CORE [--exe PATH] [--sysroot DIR] [--lib-search-path DIRS] ...\n"
          "       pyheapscan --coredump[=PID|NAME] ...   (a core systemd-coredump keeps; alone, the newest\n"
          "                  of a python command)\n"
          "       pyheapscan --load FILE ...   (and --save FILE [--redact] with -p or --core)\n"
          "       pyheapscan stacks -p PID | --core CORE | --load SNAPSHOT [--locals] [--native] [--format text|json]\n"
          "                     (every thread's Python frames, newest first: function, file, line;\n"
          "                     thread names, which thread holds the GIL; --locals: each frame's\n"
          "                     arguments and locals; --native: native frames too, each eval loop\n"
          "                     entry replaced by the Python frames it runs)\n"
          "       pyheapscan triage -p PID | --core CORE [--format text|json]\n"
          "                     (a crash on one screen: the crash facts, a signature, the merged\n"
          "                     stack of the thread that matters, the other threads, the heap's top rows)\n"
          "       pyheapscan triage CORE... | DIR... [--format text|json|junit] [-o FILE]\n"
          "                     (many crashes, one row per signature: count, first and last seen,\n"
          "                     the signal, the newest Python frame, an example core; junit: a failed\n"
          "                     test case per signature)\n"
          "       pyheapscan diff BEFORE AFTER [--set reachable|unreachable|garbage|held|gc|all] [--format text|json|objects]\n"
          "                  (each a snapshot file, a core or a pid: what grew from one to the other)\n"
          "\n"
          "Reads the heap of a running CPython process from outside: stops it for as long\n"
          "as a copy of its memory takes, lets it go, then analyses the copy.  Never runs\n"
          "code in the target nor writes to it.\n"
          "\n"
          "  -p, --pid PID        the process to scan\n"
          "      --core CORE      a core dump to scan instead (ELF; zstd, lz4, xz or gzip\n"
          "                       compressed too)\n"
          "      --exe PATH       the core's executable, when it is not where it was\n"
          "      --sysroot DIR    where the core's mapped files are (DIR + their path)\n"
          "      --lib-search-path DIRS  more places to look for them, by name (a:b:c)\n"
          "      --save FILE      also write the whole reconstructed heap there (mode 0600)\n"
          "      --redact         ... without the contents of str and bytes objects\n"
          "      --load FILE      analyse a saved heap instead of a process or a core\n"
          "      --set SET        which objects: reachable (from heapy's roots: modules,\n"
          "                       sys, builtins, threads and their frames), unreachable\n"
          "                       (the rest: garbage, cyclic trash gc.collect() would free,\n"
          "                       and held, kept alive by references no root explains),\n"
          "                       gc (every gc-tracked object), all (those and everything\n"
          "                       they refer to: str, int, code, ...), muppy (what pympler's\n"
          "                       muppy.get_objects() returns: the gc objects but frames,\n"
          "                       and the untracked objects they refer to; the default of\n"
          "                       --format pympler)\n"
          "      --by CLASSIFIER  how to partition them: clodo (heapy's default: the class,\n"
          "                       or 'dict of' the class of the dict's owner), type, class\n"
          "                       (= type), size, module, id (one row per object), idset,\n"
          "                       via (the relations referrers hold it by: '.a', \"['k']\",\n"
          "                       '[0]'), rcs (the kinds of its referrers), unity\n"
          "      --where EXPR     only the objects of these kinds (clodo or type names) or\n"
          "                       addresses (0x...), joined left to right by | (union),\n"
          "                       & (intersection) and - (difference), spaces around them\n"
          "      --format FORMAT  text (heapy's partition table), json, heapy (heapy's\n"
          "                       Stat dump file: hpy().load() reads it), pympler (pympler's\n"
          "                       summary table), objects\n"
          "                       (one line per object: address, size, gc generation, type),\n"
          "                       referents (one line per object: address, its referents)\n"
          "      --retained       add each row's retained size: the bytes only that row's\n"
          "                       set keeps alive (MAT's retained size of a set)\n"
          "      --sort size|retained  order of the rows (retained implies --retained)\n"
          "  -n N                 paths: at most N paths (default 10, 0 all); top: N\n"
          "                       objects or kinds (default 10)\n"
          "      --threshold PCT  suspects: the share of the reachable heap a suspect retains\n"
          "                       (default 10)\n"
          "      --depth D        top: open D levels of the dominator tree (0-32)\n"
          "      --top N          show N rows (default 10, as heapy does)\n"
          "      --all            show every row\n"
          "  -o, --output FILE    write there (atomically) instead of standard output\n"
          "  -q, --quiet          no progress line on a terminal (shown for scans longer\n"
          "                       than a second, text on standard output only)\n"
          "  -h, --help           this text\n"
          "      --version        the scanner's version\n",
          out);
}

static bool parse_count(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* The command the options name, as output_format.c's table knows it. */
static enum output_command command_of(const struct options *o)
{
    return o->suspects ? COMMAND_SUSPECTS
           : o->paths  ? COMMAND_PATHS
           : o->top    ? COMMAND_TOP
           : o->stacks ? COMMAND_STACKS
           : o->refs   ? COMMAND_REFS
                       : COMMAND_HEAP;
}

bool cli_parse(int argc, char **argv, struct options *o, struct error *err)
{
    static const struct option longopts[] = {
        {"pid", required_argument, NULL, 'p'},   {"set", required_argument, NULL, 's'},
        {"by", required_argument, NULL, 'b'},    {"format", required_argument, NULL, 'f'},
        {"top", required_argument, NULL, 't'},   {"all", no_argument, NULL, 'a'},
        {"output", required_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'},
        {"quiet", no_argument, NULL, 'q'},
        {"version", no_argument, NULL, 'V'},     {"core", required_argument, NULL, 'c'},
        {"coredump", optional_argument, NULL, 'C'},
        {"exe", required_argument, NULL, 'e'},   {"sysroot", required_argument, NULL, 'r'},
        {"lib-search-path", required_argument, NULL, 'L'}, {"save", required_argument, NULL, 'S'},
        {"load", required_argument, NULL, 'l'}, {"redact", no_argument, NULL, 'R'},
        {"where", required_argument, NULL, 'w'}, {"locals", no_argument, NULL, 'v'},
        {"native", no_argument, NULL, 'N'},   /* not 'n': -n N is paths' and top's count */
        {"retained", no_argument, NULL, 'T'},
        {"sort", required_argument, NULL, 'O'}, {"depth", required_argument, NULL, 'D'},
        {"threshold", required_argument, NULL, 'H'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->pid = -1;
    o->set = "reachable";
    o->by = BY_CLODO;
    o->format = FORMAT_TEXT;
    o->max_rows = HEAPY_ROWS_PER_PAGE;
    opterr = 0;
    optind = 0; /* 0, not 1: glibc starts afresh (a second parse, in the unit tests) */
    bool diff = argc > 1 && strcmp(argv[1], "diff") == 0;
    o->refs = argc > 1 && strcmp(argv[1], "refs") == 0;
    o->stacks = argc > 1 && strcmp(argv[1], "stacks") == 0;
    o->triage = argc > 1 && strcmp(argv[1], "triage") == 0;
    if (o->triage)
        o->stacks = o->native = true;
    o->paths = argc > 1 && strcmp(argv[1], "paths") == 0;
    o->top = argc > 1 && strcmp(argv[1], "top") == 0;
    o->suspects = argc > 1 && strcmp(argv[1], "suspects") == 0;
    o->threshold = 10;
    o->limit = 10;
    if (diff || o->refs || o->stacks || o->paths || o->top || o->suspects) {
        argv++;
        argc--;
    }
    int c;
    long long v;
    while ((c = getopt_long(argc, argv, ":p:o:hqn:", longopts, NULL)) != -1) {
        switch (c) {
        case 'v':
            o->locals = true;
            break;
        case 'N':
            o->native = true;
            break;
        case 'p':
            if (!parse_count(optarg, 1, 0x7fffffff, &v))
                return fail(err, EXIT_USAGE, "--pid takes a process id, not '%s'", optarg);
            o->pid = (pid_t)v;
            break;
        case 's':
            {
                static const char *const sets[] = {"reachable", "unreachable", "garbage", "held",
                                                   "gc", "all", "muppy"};
                o->set = NULL;
                for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++)
                    if (strcmp(optarg, sets[k]) == 0)
                        o->set = sets[k];
                o->set_given = true;
                if (!o->set)
                    return fail(err, EXIT_USAGE,
                                "--set: '%s' is not one of: reachable, unreachable, garbage, "
                                "held, gc, all, muppy",
                                optarg);
            }
            break;
        case 'b':
            if (classifier_from_name(optarg) < 0)
                return fail(err, EXIT_USAGE,
                            "--by: '%s' is not one of: clodo, type, class, size, module, id, "
                            "idset, via, rcs, unity",
                            optarg);
            o->by = (enum classifier)classifier_from_name(optarg);
            o->by_given = true;
            break;
        case 'n':
            if (!parse_count(optarg, 0, 1LL << 40, &v))
                return fail(err, EXIT_USAGE, "-n takes a number, not '%s'", optarg);
            o->limit = (size_t)v;
            break;
        case 'D':
            if (!parse_count(optarg, 0, 32, &v))
                return fail(err, EXIT_USAGE, "--depth takes a number from 0 to 32, not '%s'", optarg);
            o->depth = (unsigned)v;
            break;
        case 'H': {
            char *end;
            o->threshold = strtod(optarg, &end);
            if (!*optarg || *end || !(o->threshold > 0 && o->threshold <= 100))
                return fail(err, EXIT_USAGE, "--threshold takes a percentage above 0 and at most 100, not '%s'", optarg);
            if (!o->suspects)
                return fail(err, EXIT_USAGE, "--threshold goes with suspects");
            break;
        }
        case 'T':
            o->retained = true;
            break;
        case 'O':
            if (strcmp(optarg, "retained") == 0)
                o->sort_retained = o->retained = true;
            else if (strcmp(optarg, "size") != 0)
                return fail(err, EXIT_USAGE, "--sort: '%s' is not one of: size, retained", optarg);
            break;
        case 'f':
            if (!output_format_named(optarg, &o->format))
                return fail(err, EXIT_USAGE, "--format: '%s' is not one of: %s", optarg, output_format_names);
            break;
        case 't':
            if (!parse_count(optarg, 1, 1LL << 40, &v))
                return fail(err, EXIT_USAGE, "--top takes a positive number, not '%s'", optarg);
            o->max_rows = (size_t)v;
            break;
        case 'a':
            o->max_rows = 0;
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'C':
            o->coredump = optarg ? optarg : "";
            break;
        case 'c':
            o->core = optarg;
            break;
        case 'e':
            o->exe = optarg;
            break;
        case 'r':
            o->sysroot = optarg;
            break;
        case 'L':
            o->lib_search_path = optarg;
            break;
        case 'S':
            o->save = optarg;
            break;
        case 'l':
            if (o->suspects && o->nseries < sizeof o->series / sizeof o->series[0])
                o->series[o->nseries++] = optarg;
            else if (o->suspects)
                return fail(err, EXIT_USAGE, "suspects reads at most %zu heaps", sizeof o->series / sizeof o->series[0]);
            o->load = optarg;
            break;
        case 'R':
            o->redact = true;
            break;
        case 'q':
            o->quiet = true;
            break;
        case 'w':
            o->where = optarg;
            break;
        case 'h':
            o->help = true;
            return true;
        case 'V':
            o->version = true;
            return true;
        case ':':
            return fail(err, EXIT_USAGE, "%s needs a value", argv[optind - 1]);
        default:
            return fail(err, EXIT_USAGE, "unknown option %s (see --help)", argv[optind - 1]);
        }
    }
    if (diff) {
        if (argc - optind != 2 || o->pid >= 0 || o->core || o->load || o->save)
            return fail(err, EXIT_USAGE,
                        "diff takes two sources: pyheapscan diff BEFORE AFTER, each a snapshot "
                        "file, a core or a pid (see --help)");
        o->diff_before = argv[optind];
        o->diff_after = argv[optind + 1];
        if (!output_format_written_by(COMMAND_DIFF, o->format))
            return fail(err, EXIT_USAGE, "diff writes text, json or objects (suspects BEFORE AFTER --format html "
                                         "draws the growth)");
        if (o->by != BY_CLODO && o->by != BY_TYPE && o->by != BY_CLASS && o->by != BY_SIZE &&
            o->by != BY_UNITY && o->by != BY_MODULE)
            return fail(err, EXIT_USAGE, "diff partitions by clodo, type, class, size, module or unity");
        return true;
    }
    /* pympler summarises what muppy.get_objects() returns */
    if (o->format == FORMAT_PYMPLER && !o->set_given)
        o->set = "muppy";
    if (o->refs) {
        char *end = NULL;
        if (argc - optind != 1 || !(o->refs_addr = strtoull(argv[optind], &end, 0)) || *end)
            return fail(err, EXIT_USAGE, "refs takes one object address: pyheapscan refs -p PID 0xADDR");
        optind++;
        if (o->save)
            return fail(err, EXIT_USAGE, "refs does not save");
        if (!output_format_written_by(COMMAND_REFS, o->format))
            return fail(err, EXIT_USAGE, "refs writes text");
    }
    /* triage CORE... | DIR...: many crashes, grouped by signature */
    if (o->triage && optind < argc) {
        while (optind < argc && o->ncrashes < sizeof o->crashes / sizeof o->crashes[0])
            o->crashes[o->ncrashes++] = argv[optind++];
        if (optind < argc)
            return fail(err, EXIT_USAGE, "triage takes at most %zu cores or directories", o->ncrashes);
        if (o->pid >= 0 || o->core || o->load || o->save || o->where || o->set_given)
            return fail(err, EXIT_USAGE, "triage CORE... | DIR... takes the cores alone (no -p, --core, --load, "
                                         "--save, --set or --where)");
        if (!output_format_written_by(COMMAND_TRIAGE_GROUP, o->format))
            return fail(err, EXIT_USAGE, "triage of many cores writes text, json or junit");
        return true;
    }
    if (o->stacks) {
        if (o->load && (o->triage || o->native))
            return fail(err, EXIT_USAGE, "%s reads a process or a core: a snapshot keeps no native frames or crash facts",
                        o->triage ? "triage" : "stacks --native");
        if (o->save || o->where || o->set_given || !output_format_written_by(COMMAND_STACKS, o->format))
            return fail(err, EXIT_USAGE, "stacks writes text or json, and takes no --set, --where or --save");
    }
    if ((o->locals || o->native) && !o->stacks)
        return fail(err, EXIT_USAGE, "--locals and --native go with stacks");
    if (o->paths) {
        char *end = NULL;
        bool one = argc - optind == 1 && (o->refs_addr = strtoull(argv[optind], &end, 0)) && !*end;
        if (one == (o->where != NULL) || argc - optind > 1)
            return fail(err, EXIT_USAGE, "paths takes one object address or --where KIND: "
                                         "pyheapscan paths -p PID 0xADDR");
        optind += one;
    }
    if (o->suspects) {
        /* sources named as diff names them join those given by --load */
        while (optind < argc && o->nseries < sizeof o->series / sizeof o->series[0])
            o->series[o->nseries++] = argv[optind++];
        if (optind < argc)
            return fail(err, EXIT_USAGE, "suspects reads at most %zu heaps", sizeof o->series / sizeof o->series[0]);
        if (o->nseries && (o->pid >= 0 || o->core))
            return fail(err, EXIT_USAGE, "suspects reads one heap (-p, --core or --load) or a series of them "
                                         "(--load A --load B ..., or A B ...: each a snapshot, a core or a pid)");
        if (o->nseries == 1 && !o->load)
            return fail(err, EXIT_USAGE, "suspects of one heap: -p PID, --core CORE or --load FILE");
        if (o->nseries >= 2)
            o->load = NULL;
        if (o->save || o->set_given || o->retained || o->where || o->by_given || o->depth)
            return fail(err, EXIT_USAGE, "suspects reads the reachable set; --set, --save, --retained, --where, "
                                         "--by and --depth go without it");
        if (!output_format_written_by(COMMAND_SUSPECTS, o->format))
            return fail(err, EXIT_USAGE, "suspects writes text, json, html or dot");
        if (o->nseries >= 2)
            return true;
    }
    if ((o->paths || o->top) && (o->save || o->set_given || o->retained))
        return fail(err, EXIT_USAGE, "%s reads the reachable set; --set, --save and --retained go without it",
                    o->paths ? "paths" : "top");
    if ((o->paths || o->top) && !output_format_written_by(o->paths ? COMMAND_PATHS : COMMAND_TOP, o->format))
        return fail(err, EXIT_USAGE, "%s writes text, json or dot", o->paths ? "paths" : "top");
    if (o->format == FORMAT_HTML && !output_format_written_by(command_of(o), FORMAT_HTML))
        return fail(err, EXIT_USAGE, "html is the report of suspects: pyheapscan suspects ... --format html -o FILE");
    if (o->format == FORMAT_DOT && ((o->paths && o->where) || (o->top && o->by_given)))
        return fail(err, EXIT_USAGE, "dot draws the paths to one object (paths ADDR) and the dominator tree "
                                     "below objects (top without --by)");
    if (o->format == FORMAT_DOT && !output_format_written_by(command_of(o), FORMAT_DOT))
        return fail(err, EXIT_USAGE, "dot draws paths, top (the dominator tree) and suspects");
    if (o->top && o->by_given && !partition_retained_supported(o->by))
        return fail(err, EXIT_USAGE, "top --by id: use top without --by (one row per object)");
    if (o->top && o->by_given && o->depth)
        return fail(err, EXIT_USAGE, "--depth opens objects, not kinds: top --depth D without --by");
    if (!o->top && !o->paths && (o->depth))
        return fail(err, EXIT_USAGE, "--depth goes with top");
    if (o->retained && (!partition_retained_supported(o->by) ||
                        (o->format != FORMAT_TEXT && o->format != FORMAT_JSON)))
        return fail(err, EXIT_USAGE, "--retained goes with the text and json partitions, by any classifier but id");
    if (o->retained && strcmp(o->set, "reachable") != 0 && strcmp(o->set, "all") != 0 && strcmp(o->set, "gc") != 0)
        return fail(err, EXIT_USAGE, "--retained: only reachable objects retain anything; use --set reachable, gc or all");
    if (optind < argc)
        return fail(err, EXIT_USAGE, "unexpected argument '%s' (see --help)", argv[optind]);
    if ((o->pid >= 0) + (o->core != NULL) + (o->load != NULL) + (o->coredump != NULL) > 1)
        return fail(err, EXIT_USAGE, "-p, --core, --coredump and --load exclude each other");
    if (o->pid < 0 && !o->core && !o->load && !o->coredump)
        return fail(err, EXIT_USAGE, "say what to scan: -p PID, --core CORE or --load FILE (see --help)");
    if (o->load && (o->save || o->redact))
        return fail(err, EXIT_USAGE, "--save and --redact go with -p or --core");
    if (o->redact && !o->save)
        return fail(err, EXIT_USAGE, "--redact goes with --save");
    if (!o->core && !o->coredump && (o->exe || o->sysroot || o->lib_search_path))
        return fail(err, EXIT_USAGE, "--exe, --sysroot and --lib-search-path go with --core");
    return true;
}
