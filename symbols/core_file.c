#include "core_file.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

/* ---- decompression into an anonymous file ------------------------------ */

static bool write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

static bool unzstd(const unsigned char *in, size_t n, int out)
{
    ZSTD_DStream *z = ZSTD_createDStream();
    size_t cap = ZSTD_DStreamOutSize();
    unsigned char *buf = malloc(cap);
    bool ok = z && buf && !ZSTD_isError(ZSTD_initDStream(z));
    ZSTD_inBuffer ib = {in, n, 0};
    while (ok && ib.pos < ib.size) {
        ZSTD_outBuffer ob = {buf, cap, 0};
        size_t r = ZSTD_decompressStream(z, &ob, &ib);
        ok = !ZSTD_isError(r) && write_all(out, buf, ob.pos);
        if (ok && r != 0 && ob.pos == 0 && ib.pos == ib.size)
            ok = false; /* truncated */
    }
    free(buf);
    ZSTD_freeDStream(z);
    return ok;
}

static bool unlz4(const unsigned char *in, size_t n, int out)
{
    LZ4F_dctx *ctx;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx, LZ4F_VERSION)))
        return false;
    size_t cap = 1 << 20;
    unsigned char *buf = malloc(cap);
    bool ok = buf != NULL;
    size_t pos = 0, r = 1;
    while (ok && pos < n && r != 0) {
        size_t src = n - pos, dst = cap;
        r = LZ4F_decompress(ctx, buf, &dst, in + pos, &src, NULL);
        ok = !LZ4F_isError(r) && write_all(out, buf, dst);
        pos += src;
        if (ok && src == 0 && dst == 0)
            ok = false;
    }
    if (r != 0)
        ok = false; /* the frame did not end */
    free(buf);
    LZ4F_freeDecompressionContext(ctx);
    return ok;
}

static bool unxz(const unsigned char *in, size_t n, int out)
{
    lzma_stream s = LZMA_STREAM_INIT;
    if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
        return false;
    unsigned char buf[1 << 16];
    s.next_in = in;
    s.avail_in = n;
    bool ok = true;
    for (;;) {
        s.next_out = buf;
        s.avail_out = sizeof buf;
        lzma_ret r = lzma_code(&s, LZMA_FINISH);
        if (!write_all(out, buf, sizeof buf - s.avail_out)) {
            ok = false;
            break;
        }
        if (r == LZMA_STREAM_END)
            break;
        if (r != LZMA_OK) {
            ok = false;
            break;
        }
    }
    lzma_end(&s);
    return ok;
}

static bool ungzip(const unsigned char *in, size_t n, int out)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, 15 + 32) != Z_OK)
        return false;
    unsigned char buf[1 << 16];
    s.next_in = (unsigned char *)in;
    s.avail_in = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
    bool ok = true;
    for (;;) {
        s.next_out = buf;
        s.avail_out = sizeof buf;
        int r = inflate(&s, Z_NO_FLUSH);
        if (!write_all(out, buf, sizeof buf - s.avail_out)) {
            ok = false;
            break;
        }
        if (r == Z_STREAM_END)
            break;
        if (r != Z_OK) {
            ok = false;
            break;
        }
    }
    inflateEnd(&s);
    return ok;
}

const char *core_file_compression(const unsigned char *magic, size_t n)
{
    if (n >= 4 && !memcmp(magic, "\x28\xb5\x2f\xfd", 4))
        return "zstd";
    if (n >= 4 && !memcmp(magic, "\x04\x22\x4d\x18", 4))
        return "lz4";
    if (n >= 6 && !memcmp(magic, "\xfd" "7zXZ\0", 6))
        return "xz";
    if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        return "gzip";
    return NULL;
}

/* Returns a new fd holding the plain core, or fd itself when it was plain;
 * -1 (with err) when compressed data is corrupt. */
static int decompressed(int fd, const char *path, char *err, size_t errlen)
{
    struct stat st;
    unsigned char magic[6] = {0};
    if (fstat(fd, &st) != 0 || pread(fd, magic, sizeof magic, 0) < 4)
        return fd;
    const char *what = core_file_compression(magic, sizeof magic);
    if (!what)
        return fd;
    bool (*fn)(const unsigned char *, size_t, int) = !strcmp(what, "zstd")  ? unzstd
                                                     : !strcmp(what, "lz4") ? unlz4
                                                     : !strcmp(what, "xz")  ? unxz
                                                                            : ungzip;
    void *in = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    int out = memfd_create("pyheapscan-core", MFD_CLOEXEC);
    bool ok = in != MAP_FAILED && out >= 0 && fn(in, (size_t)st.st_size, out);
    if (in != MAP_FAILED)
        munmap(in, (size_t)st.st_size);
    close(fd);
    if (!ok) {
        if (out >= 0)
            close(out);
        snprintf(err, errlen, "%s: the %s-compressed core is corrupt or truncated", path, what);
        return -1;
    }
    return out;
}

/* ---- notes --------------------------------------------------------------- */

static void parse_nt_file(struct core_file *core, const unsigned char *d, size_t n)
{
    if (n < 16)
        return;
    uint64_t count, page;
    memcpy(&count, d, 8);
    memcpy(&page, d + 8, 8);
    if (count > (n - 16) / 24)
        return;
    const unsigned char *names = d + 16 + count * 24, *end = d + n;
    core->files = calloc(count ? count : 1, sizeof *core->files);
    if (!core->files)
        return;
    for (uint64_t i = 0; i < count && names < end; i++) {
        uint64_t v[3];
        memcpy(v, d + 16 + i * 24, 24);
        const unsigned char *nul = memchr(names, 0, (size_t)(end - names));
        if (!nul)
            break;
        struct core_mapped_file *f = &core->files[core->nfiles];
        f->start = v[0];
        f->end = v[1];
        f->file_offset = v[2] * page;
        f->path = strdup((const char *)names);
        if (!f->path)
            break;
        core->nfiles++;
        names = nul + 1;
    }
}

static void parse_notes(struct core_file *core, Elf_Data *data)
{
    size_t off = 0, name_off, desc_off;
    GElf_Nhdr nh;
    while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
        const unsigned char *desc = (const unsigned char *)data->d_buf + desc_off;
        switch (nh.n_type) {
        case NT_FILE:
            if (!core->files)
                parse_nt_file(core, desc, nh.n_descsz);
            break;
        case NT_PRSTATUS:
            /* struct elf_prstatus: pr_cursig at 12 (short), pr_pid at 32. */
            if (nh.n_descsz >= 36) {
                int32_t pid;
                int16_t cursig;
                memcpy(&cursig, desc + 12, 2);
                memcpy(&pid, desc + 32, 4);
                if (core->nthreads == 0) {
                    if (!core->pid)
                        core->pid = pid;
                    if (!core->signal)
                        core->signal = cursig;
                }
                /* pr_reg follows pr_pid, ppid, pgrp, sid and four timevals. */
                struct core_thread *grown = realloc(core->threads, ((size_t)core->nthreads + 1) * sizeof *grown);
                if (grown) {
                    core->threads = grown;
                    struct core_thread *t = &core->threads[core->nthreads];
                    memset(t, 0, sizeof *t);
                    t->tid = pid;
                    t->cursig = cursig;
                    if (nh.n_descsz >= 112 + sizeof t->regs)
                        memcpy(t->regs, desc + 112, sizeof t->regs);
                    core->nthreads++;
                }
            }
            break;
        case NT_PRPSINFO:
            /* struct elf_prpsinfo (x86-64): pr_pid at 24, pr_fname[16] at 40. */
            if (nh.n_descsz >= 56) {
                int32_t pid;
                memcpy(&pid, desc + 24, 4);
                core->pid = pid;
                memcpy(core->fname, desc + 40, 16);
                core->fname[16] = '\0';
            }
            break;
        case NT_SIGINFO:
            /* siginfo_t: si_signo, si_errno, si_code, then (for faults)
             * si_addr at 16. */
            if (nh.n_descsz >= 24) {
                int32_t head[3];
                memcpy(head, desc, sizeof head);
                memcpy(&core->fault_addr, desc + 16, 8);
                core->signal = head[0];
                core->sig_errno = head[1];
                core->sig_code = head[2];
                core->has_siginfo = true;
            }
            break;
        case NT_AUXV:
            for (size_t i = 0; i + 16 <= nh.n_descsz; i += 16) {
                uint64_t kv[2];
                memcpy(kv, desc + i, 16);
                if (kv[0] == AT_EXECFN)
                    core->execfn = kv[1];
            }
            break;
        }
    }
}

/* ---- open ---------------------------------------------------------------- */

/* "-": the core on standard input (a pipe: the kernel's core_pattern
 * handler, `zstdcat core.zst |`), copied into memory as it comes, so that
 * it can be mapped as a file is; -1 (with err) when it cannot be read. */
static int stdin_core(char *err, size_t errlen)
{
    int out = memfd_create("pyheapscan-core", MFD_CLOEXEC);
    if (out < 0) {
        snprintf(err, errlen, "standard input: %s", strerror(errno));
        return -1;
    }
    static char buf[1 << 16];
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n == 0)
            return out;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "standard input: %s", strerror(errno));
            close(out);
            return -1;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                snprintf(err, errlen, "standard input: cannot keep the core in memory: %s", strerror(errno));
                close(out);
                return -1;
            }
            done += w;
        }
    }
}

bool core_file_open(const char *path, struct core_file *core, char *err, size_t errlen)
{
    memset(core, 0, sizeof *core);
    core->fd = -1;
    if (elf_version(EV_CURRENT) == EV_NONE) {
        snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
        return false;
    }
    bool piped = strcmp(path, "-") == 0;
    int fd = piped ? stdin_core(err, errlen) : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (!piped)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    if (piped)
        path = "standard input";
    fd = decompressed(fd, path, err, errlen);
    if (fd < 0)
        return false;
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
        snprintf(err, errlen, "%s: not an ELF core file (too short)", path);
        close(fd);
        return false;
    }
    core->fd = fd;
    core->size = (size_t)st.st_size;
    core->data = mmap(NULL, core->size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (core->data == MAP_FAILED) {
        core->data = NULL;
        snprintf(err, errlen, "%s: cannot map it: %s", path, strerror(errno));
        core_file_close(core);
        return false;
    }
    Elf *elf = elf_memory((char *)core->data, core->size);
    GElf_Ehdr eh;
    if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh) || eh.e_type != ET_CORE ||
        eh.e_machine != EM_X86_64 || gelf_getclass(elf) != ELFCLASS64) {
        snprintf(err, errlen, "%s: not an x86-64 ELF core file", path);
        if (elf)
            elf_end(elf);
        core_file_close(core);
        return false;
    }
    size_t nph;
    if (elf_getphdrnum(elf, &nph) != 0) {
        snprintf(err, errlen, "%s: unreadable program headers", path);
        elf_end(elf);
        core_file_close(core);
        return false;
    }
    core->segments = calloc(nph ? nph : 1, sizeof *core->segments);
    for (size_t i = 0; core->segments && i < nph; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(elf, (int)i, &ph))
            continue;
        if (ph.p_type == PT_NOTE) {
            if (ph.p_offset > core->size || ph.p_filesz > core->size - ph.p_offset)
                continue; /* a truncated core: the notes are gone */
            Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_NHDR);
            if (d)
                parse_notes(core, d);
        } else if (ph.p_type == PT_LOAD) {
            struct core_segment *s = &core->segments[core->nsegments++];
            s->vaddr = ph.p_vaddr;
            s->memsz = ph.p_memsz;
            s->offset = ph.p_offset;
            /* A truncated core keeps what it has. */
            uint64_t avail = ph.p_offset < core->size ? core->size - ph.p_offset : 0;
            s->filesz = ph.p_filesz < avail ? ph.p_filesz : avail;
            s->readable = ph.p_flags & PF_R;
            s->writable = ph.p_flags & PF_W;
            s->executable = ph.p_flags & PF_X;
        }
    }
    elf_end(elf);
    if (!core->segments) {
        snprintf(err, errlen, "out of memory");
        core_file_close(core);
        return false;
    }
    return true;
}

void core_file_close(struct core_file *core)
{
    for (size_t i = 0; i < core->nfiles; i++)
        free(core->files[i].path);
    free(core->files);
    free(core->segments);
    free(core->threads);
    if (core->data)
        munmap((void *)core->data, core->size);
    if (core->fd >= 0)
        close(core->fd);
    memset(core, 0, sizeof *core);
    core->fd = -1;
}
