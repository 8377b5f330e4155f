#include "source/core_source.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/grow.h"
#include "symbols/elf_file.h"

static uint64_t path_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h | 1; /* never 0: 0 means anonymous */
}

/* The GNU build-id of the ELF image mapped at base, as the core remembers
 * its headers; false when the core does not have them. */
static bool build_id_in_core(struct memory *m, uint64_t base, char *out, size_t cap)
{
    Elf64_Ehdr eh;
    if (!mem_read(m, base, &eh, sizeof eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
        eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum > 64)
        return false;
    uint64_t first_load = UINT64_MAX;
    Elf64_Phdr ph[64];
    if (!mem_read(m, base + eh.e_phoff, ph, eh.e_phnum * sizeof *ph))
        return false;
    for (int i = 0; i < eh.e_phnum; i++)
        if (ph[i].p_type == PT_LOAD && first_load == UINT64_MAX)
            first_load = ph[i].p_vaddr & ~(ph[i].p_align ? ph[i].p_align - 1 : 0);
    uint64_t bias = eh.e_type == ET_DYN ? base - first_load : 0;
    for (int i = 0; i < eh.e_phnum; i++) {
        if (ph[i].p_type != PT_NOTE || ph[i].p_filesz > 4096)
            continue;
        unsigned char notes[4096];
        if (!mem_read(m, bias + ph[i].p_vaddr, notes, ph[i].p_filesz))
            continue;
        for (size_t off = 0; off + 12 <= ph[i].p_filesz;) {
            uint32_t namesz, descsz, type;
            memcpy(&namesz, notes + off, 4);
            memcpy(&descsz, notes + off + 4, 4);
            memcpy(&type, notes + off + 8, 4);
            size_t name_at = off + 12, desc_at = name_at + ((namesz + 3) & ~3u);
            if (desc_at + descsz > ph[i].p_filesz)
                break;
            if (type == NT_GNU_BUILD_ID && namesz == 4 && memcmp(notes + name_at, "GNU", 4) == 0 &&
                descsz * 2 + 1 <= cap) {
                for (uint32_t k = 0; k < descsz; k++)
                    snprintf(out + 2 * k, 3, "%02x", notes[desc_at + k]);
                return true;
            }
            off = desc_at + ((descsz + 3) & ~3u);
        }
    }
    return false;
}

/* The lowest mapping of the same file (its ELF headers). */
static uint64_t image_base(const struct core_source *cs, const char *path)
{
    uint64_t base = UINT64_MAX;
    for (size_t i = 0; i < cs->core.nfiles; i++)
        if (strcmp(cs->core.files[i].path, path) == 0 && cs->core.files[i].file_offset == 0 &&
            cs->core.files[i].start < base)
            base = cs->core.files[i].start;
    return base;
}

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Where a file the core maps is on this machine: --exe for the executable,
 * then under the sysroot, then each directory of the library search path,
 * then the path itself (a core taken from outside a chroot or container
 * names host paths already).  The build-id check decides whether it is the
 * right file. */
static bool locate(const struct core_source *cs, const char *path, char *out, size_t cap)
{
    if (cs->exe && cs->exe_path && strcmp(path, cs->exe_path) == 0) {
        snprintf(out, cap, "%s", cs->exe);
        return exists(out);
    }
    snprintf(out, cap, "%s%s", cs->sysroot ? cs->sysroot : "", path);
    if (exists(out))
        return true;
    if (cs->lib_search_path) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        const char *p = cs->lib_search_path;
        while (*p) {
            size_t n = strcspn(p, ":");
            snprintf(out, cap, "%.*s/%s", (int)n, p, base);
            if (n && exists(out))
                return true;
            p += n + (p[n] == ':');
        }
    }
    if (cs->sysroot) {
        snprintf(out, cap, "%s", path);
        return exists(out);
    }
    return false;
}

static struct elf_file *open_core_file(void *ctx, const struct map_entry *e, struct error *err)
{
    struct core_source *cs = ctx;
    char host[4200], expected[128] = "", found[128] = "", why[512];
    bool known = build_id_in_core(&cs->mem, image_base(cs, e->path), expected, sizeof expected);
    if (!locate(cs, e->path, host, sizeof host)) {
        if (!cs->missing[0])
            snprintf(cs->missing, sizeof cs->missing, "%s (build-id %s)", e->path,
                     known ? expected : "unknown: the core lacks its headers");
        return NULL;
    }
    struct elf_file *f = elf_file_open(host, why, sizeof why);
    if (!f)
        return NULL;
    if (known && (!elf_file_build_id(f, found, sizeof found) || strcmp(found, expected) != 0)) {
        elf_file_close(f);
        fail(err, EXIT_MISSING_FILE,
             "%s: %s is another build (build-id %s) than the one the core mapped at %s (build-id %s); "
             "give the right one with --sysroot, --lib-search-path or --exe",
             cs->what, host, found[0] ? found : "none", e->path, expected);
        return NULL;
    }
    return f;
}

bool core_source_explain_missing(struct core_source *cs, struct error *err)
{
    if (err->code == EXIT_NOT_PYTHON && cs->missing[0]) {
        err->code = EXIT_OK;
        return fail(err, EXIT_MISSING_FILE,
                    "%s: a file it mapped is not on this machine: %s; give it with --sysroot, "
                    "--lib-search-path or --exe",
                    cs->what, cs->missing);
    }
    return false;
}

/* Reads what the core does not hold from the mapped files themselves. */
static bool read_from_files(void *ctx, uint64_t addr, void *out, size_t len)
{
    struct core_source *cs = ctx;
    for (size_t i = 0; i < cs->core.nfiles; i++) {
        const struct core_mapped_file *f = &cs->core.files[i];
        if (addr < f->start || addr >= f->end || len > f->end - addr)
            continue;
        if (cs->fds[i] == -1) {
            char host[4200];
            cs->fds[i] = locate(cs, f->path, host, sizeof host) ? open(host, O_RDONLY | O_CLOEXEC) : -2;
            if (cs->fds[i] < 0)
                cs->fds[i] = -2;
        }
        if (cs->fds[i] < 0)
            return false;
        ssize_t n = pread(cs->fds[i], out, len, (off_t)(f->file_offset + (addr - f->start)));
        return n == (ssize_t)len;
    }
    return false;
}

static bool add_map(struct proc_maps *maps, size_t *cap, struct map_entry e)
{
    if (!grow_to(&maps->entries, cap, maps->count + 1, sizeof *maps->entries, 64))
        return false;
    maps->entries[maps->count++] = e;
    return true;
}

static int by_start(const void *a, const void *b)
{
    uint64_t x = ((const struct map_entry *)a)->start, y = ((const struct map_entry *)b)->start;
    return x < y ? -1 : x > y;
}

bool core_source_open(struct core_source *cs, const char *path, const char *exe, const char *sysroot,
                      const char *lib_search_path, struct error *err)
{
    memset(cs, 0, sizeof *cs);
    memory_init(&cs->mem);
    char why[512];
    if (!core_file_open(path, &cs->core, why, sizeof why))
        return fail(err, EXIT_BAD_CORE, "%s", why);
    cs->exe = exe;
    cs->sysroot = sysroot;
    cs->lib_search_path = lib_search_path;
    snprintf(cs->what, sizeof cs->what, "core of process %d (%s)", cs->core.pid, cs->core.fname);
    /* Segments, borrowed from the mapped core, in address order. */
    cs->mem.borrowed = true;
    struct core_segment *segs = cs->core.segments;
    for (size_t i = 1; i < cs->core.nsegments; i++)
        for (size_t j = i; j > 0 && segs[j - 1].vaddr > segs[j].vaddr; j--) {
            struct core_segment tmp = segs[j];
            segs[j] = segs[j - 1];
            segs[j - 1] = tmp;
        }
    for (size_t i = 0; i < cs->core.nsegments; i++) {
        const struct core_segment *s = &segs[i];
        if (!s->filesz || (cs->mem.count && cs->mem.regions[cs->mem.count - 1].end > s->vaddr))
            continue;
        if (!memory_add_region(&cs->mem, s->vaddr, s->vaddr + s->filesz,
                               (unsigned char *)cs->core.data + s->offset))
            return fail(err, EXIT_INTERNAL, "out of memory");
    }
    cs->mem.fallback = read_from_files;
    cs->mem.fallback_ctx = cs;
    cs->fds = malloc((cs->core.nfiles + 1) * sizeof *cs->fds);
    if (!cs->fds)
        return fail(err, EXIT_INTERNAL, "out of memory");
    for (size_t i = 0; i < cs->core.nfiles; i++)
        cs->fds[i] = -1;
    /* The executable's path, for --exe. */
    char execfn[4096];
    if (cs->core.execfn && mem_cstring(&cs->mem, cs->core.execfn, execfn, sizeof execfn)) {
        /* AT_EXECFN is the path as executed; the mapping has the resolved one:
         * take the first mapping whose name ends like it. */
        const char *base = strrchr(execfn, '/');
        base = base ? base + 1 : execfn;
        for (size_t i = 0; i < cs->core.nfiles && !cs->exe_path; i++) {
            const char *p = strrchr(cs->core.files[i].path, '/');
            if (p && strcmp(p + 1, base) == 0)
                cs->exe_path = strdup(cs->core.files[i].path);
        }
    }
    if (!cs->exe_path && cs->core.nfiles)
        cs->exe_path = strdup(cs->core.files[0].path);
    /* A maps table as /proc/PID/maps would have shown it. */
    size_t cap = 0;
    for (size_t i = 0; i < cs->core.nfiles; i++) {
        const struct core_mapped_file *f = &cs->core.files[i];
        struct map_entry e = {.start = f->start, .end = f->end, .offset = f->file_offset,
                              .inode = path_hash(f->path), .readable = true,
                              .path = strdup(f->path)};
        if (!e.path || !add_map(&cs->maps, &cap, e))
            return fail(err, EXIT_INTERNAL, "out of memory");
    }
    if (cs->maps.count > 1)
        qsort(cs->maps.entries, cs->maps.count, sizeof *cs->maps.entries, by_start);
    cs->files = (struct file_resolver){open_core_file, cs, cs->what, ""};
    snprintf(cs->files.root, sizeof cs->files.root, "%s", sysroot ? sysroot : "");
    return true;
}

void core_source_close(struct core_source *cs)
{
    for (size_t i = 0; cs->fds && i < cs->core.nfiles; i++)
        if (cs->fds[i] >= 0)
            close(cs->fds[i]);
    free(cs->fds);
    free(cs->exe_path);
    proc_maps_free(&cs->maps);
    memory_free(&cs->mem);
    core_file_close(&cs->core);
}
