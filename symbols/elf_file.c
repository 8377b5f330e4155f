#include "elf_file.h"
#include "elf_tables.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct elf_file {
    int fd;
    Elf *elf;
};

struct elf_file *elf_file_open(const char *path, char *err, size_t errlen)
{
    if (elf_version(EV_CURRENT) == EV_NONE) {
        snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
    if (!elf || elf_kind(elf) != ELF_K_ELF) {
        snprintf(err, errlen, "%s: not an ELF file", path);
        if (elf)
            elf_end(elf);
        close(fd);
        return NULL;
    }
    struct elf_file *f = malloc(sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        elf_end(elf);
        close(fd);
        return NULL;
    }
    f->fd = fd;
    f->elf = elf;
    return f;
}

void elf_file_close(struct elf_file *f)
{
    if (!f)
        return;
    elf_end(f->elf);
    close(f->fd);
    free(f);
}

static bool lookup_in(struct elf_file *f, Elf64_Word type, const char *name, struct elf_symbol *out)
{
    Elf_Scn *scn = NULL;
    GElf_Shdr sh;
    size_t n;
    Elf_Data *data;
    while ((data = elf_next_table(f->elf, &scn, type, &sh, &n)) != NULL) {
        for (size_t i = 0; i < n; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx == SHN_UNDEF)
                continue;
            const char *s = elf_strptr(f->elf, sh.sh_link, sym.st_name);
            if (s && strcmp(s, name) == 0) {
                out->value = sym.st_value;
                out->size = sym.st_size;
                return true;
            }
        }
    }
    return false;
}

bool elf_file_symbol(struct elf_file *f, const char *name, struct elf_symbol *out)
{
    return lookup_in(f, SHT_DYNSYM, name, out) || lookup_in(f, SHT_SYMTAB, name, out);
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

size_t elf_file_static_objects(struct elf_file *f, const char *source, const char *const *names, size_t n,
                               uint64_t *out)
{
    size_t found = 0;
    for (size_t k = 0; k < n; k++)
        out[k] = 0;
    Elf_Scn *scn = NULL;
    GElf_Shdr sh;
    size_t count;
    Elf_Data *data;
    while ((data = elf_next_table(f->elf, &scn, SHT_SYMTAB, &sh, &count)) != NULL) {
        bool in_source = false;
        /* Locals come first (sh_info is the first global), each file's
         * after its STT_FILE. */
        size_t locals = sh.sh_info < count ? sh.sh_info : count;
        for (size_t i = 0; i < locals; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, (int)i, &sym))
                continue;
            const char *s = elf_strptr(f->elf, sh.sh_link, sym.st_name);
            if (GELF_ST_TYPE(sym.st_info) == STT_FILE) {
                in_source = s && strcmp(base_of(s), source) == 0;
                continue;
            }
            if (!in_source || !s || GELF_ST_TYPE(sym.st_info) != STT_OBJECT || sym.st_shndx == SHN_UNDEF)
                continue;
            for (size_t k = 0; k < n; k++)
                if (!out[k] && strcmp(s, names[k]) == 0) {
                    out[k] = sym.st_value;
                    found++;
                }
        }
    }
    return found;
}

bool elf_file_section(struct elf_file *f, const char *name, struct elf_section *out)
{
    size_t shstrndx;
    if (elf_getshdrstrndx(f->elf, &shstrndx) != 0)
        return false;
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(f->elf, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh))
            continue;
        const char *s = elf_strptr(f->elf, shstrndx, sh.sh_name);
        if (s && strcmp(s, name) == 0) {
            out->addr = sh.sh_addr;
            out->size = sh.sh_size;
            out->file_offset = sh.sh_offset;
            out->nobits = sh.sh_type == SHT_NOBITS;
            return true;
        }
    }
    return false;
}

uint64_t elf_file_first_load_vaddr(struct elf_file *f)
{
    size_t n;
    if (elf_getphdrnum(f->elf, &n) != 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        GElf_Phdr ph;
        if (gelf_getphdr(f->elf, (int)i, &ph) && ph.p_type == PT_LOAD) {
            uint64_t align = ph.p_align ? ph.p_align : 1;
            return ph.p_vaddr & ~(align - 1);
        }
    }
    return 0;
}

struct Elf *elf_file_handle(struct elf_file *f)
{
    return f->elf;
}

bool elf_file_is_dyn(struct elf_file *f)
{
    GElf_Ehdr eh;
    return gelf_getehdr(f->elf, &eh) && eh.e_type == ET_DYN;
}

bool elf_file_read(struct elf_file *f, uint64_t vaddr, void *out, size_t len)
{
    size_t n;
    if (elf_getphdrnum(f->elf, &n) != 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(f->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
            continue;
        if (vaddr < ph.p_vaddr || vaddr + len > ph.p_vaddr + ph.p_filesz || vaddr + len < vaddr)
            continue;
        off_t at = (off_t)(ph.p_offset + (vaddr - ph.p_vaddr));
        size_t done = 0;
        while (done < len) {
            ssize_t r = pread(f->fd, (char *)out + done, len - done, at + (off_t)done);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                return false;
            done += (size_t)r;
        }
        return true;
    }
    return false;
}

bool elf_file_build_id(struct elf_file *f, char *out, size_t outlen)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(f->elf, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        if (!data)
            continue;
        size_t off = 0, name_off, desc_off;
        GElf_Nhdr nh;
        while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
            if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
                memcmp((char *)data->d_buf + name_off, "GNU", 4) == 0) {
                if (outlen < nh.n_descsz * 2 + 1)
                    return false;
                const unsigned char *d = (const unsigned char *)data->d_buf + desc_off;
                for (size_t i = 0; i < nh.n_descsz; i++)
                    snprintf(out + 2 * i, 3, "%02x", d[i]);
                return true;
            }
        }
    }
    return false;
}

int elf_file_fd(struct elf_file *f)
{
    return f->fd;
}
