/* The references for the scanner's stop time: a plain process_vm_readv copy
 * of every readable, writable mapping of a process, nothing else.  Fresh
 * (the default): into buffers mapped as it goes, so that the time includes a
 * page fault for every destination page.  warm: into buffers mapped and
 * written once before the clock starts (what a copy costs when its
 * destination is already faulted in).  warm-huge: the same with the buffers
 * asked for transparent huge pages first, as the scanner's are.  Prints the
 * seconds and the bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>

struct range {
    unsigned long long start, end;
    void *buf;
};

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The writable mappings of pid, at most cap of them. */
static size_t read_ranges(int pid, struct range *out, size_t cap)
{
    char path[64], line[4096];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    size_t n = 0;
    while (n < cap && fgets(line, sizeof line, f)) {
        unsigned long long start, end;
        char perms[5];
        if (sscanf(line, "%llx-%llx %4s", &start, &end, perms) != 3 || perms[0] != 'r' ||
            perms[1] != 'w' || strstr(line, "[vvar") || strstr(line, "[vsyscall]"))
            continue;
        out[n++] = (struct range){start, end, NULL};
    }
    fclose(f);
    return n;
}

static void *map_buffer(size_t len)
{
    void *buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (buf == MAP_FAILED)
        exit(1);
    return buf;
}

enum { MAX_RANGES = 65536 };
static struct range before[MAX_RANGES], now[MAX_RANGES];

int main(int argc, char **argv)
{
    int warm = argc == 3 && strncmp(argv[2], "warm", 4) == 0;
    int huge = warm && strcmp(argv[2], "warm-huge") == 0;
    if (argc < 2 || argc > 3 || (argc == 3 && !warm) || (warm && !huge && strcmp(argv[2], "warm"))) {
        fprintf(stderr, "usage: raw_copy PID [warm|warm-huge]\n");
        return 2;
    }
    int pid = atoi(argv[1]);
    size_t nbefore = 0;
    if (warm) {
        nbefore = read_ranges(pid, before, MAX_RANGES);
        for (size_t i = 0; i < nbefore; i++) {
            before[i].buf = map_buffer((size_t)(before[i].end - before[i].start));
            if (huge)
                madvise(before[i].buf, (size_t)(before[i].end - before[i].start), MADV_HUGEPAGE);
            memset(before[i].buf, 1, (size_t)(before[i].end - before[i].start));
        }
    }
    double t0 = seconds();
    size_t n = read_ranges(pid, now, MAX_RANGES);
    unsigned long long total = 0;
    for (size_t i = 0, j = 0; i < n; i++) {
        size_t len = (size_t)(now[i].end - now[i].start);
        while (j < nbefore && before[j].start < now[i].start)
            j++;
        int reuse = j < nbefore && before[j].start == now[i].start && before[j].end >= now[i].end;
        void *buf = reuse ? before[j].buf : map_buffer(len);
        struct iovec local = {buf, len}, remote = {(void *)(uintptr_t)now[i].start, len};
        ssize_t got = process_vm_readv(pid, &local, 1, &remote, 1, 0);
        if (got > 0)
            total += (unsigned long long)got;
        if (!reuse)
            munmap(buf, len);
    }
    double t1 = seconds();
    printf("%.6f %llu\n", t1 - t0, total);
    return 0;
}
