#include "elf_data.h"
#include "elf_tables.h"

#include <gelf.h>
#include <libelf.h>
#include <string.h>

/* Calls each for every allocated PROGBITS section whose write flag is
 * writable, with its contents; stops when each returns false. */
static void each_section(struct elf_file *f, bool writable,
                         bool (*each)(void *ctx, uint64_t addr, const unsigned char *bytes, size_t size), void *ctx)
{
    Elf *elf = elf_file_handle(f);
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(elf, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_ALLOC) ||
            (sh.sh_flags & SHF_EXECINSTR) || !!(sh.sh_flags & SHF_WRITE) != writable)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        if (data && data->d_buf && !each(ctx, sh.sh_addr, data->d_buf, data->d_size))
            return;
    }
}

struct string_search {
    const char *text;
    size_t len;
    uint64_t *out;
    size_t cap, n;
};

static bool find_string_in(void *ctx, uint64_t addr, const unsigned char *bytes, size_t size)
{
    struct string_search *s = ctx;
    for (const unsigned char *p = bytes; s->n < s->cap && size - (size_t)(p - bytes) > s->len;) {
        p = memmem(p, size - (size_t)(p - bytes), s->text, s->len + 1);
        if (!p)
            break;
        s->out[s->n++] = addr + (uint64_t)(p - bytes);
        p++;
    }
    return s->n < s->cap;
}

size_t elf_data_find_string(struct elf_file *f, const char *text, uint64_t *out, size_t cap)
{
    struct string_search s = {text, strlen(text), out, cap, 0};
    each_section(f, false, find_string_in, &s);
    return s.n;
}

/* Calls each for every R_X86_64_RELATIVE relocation (offset, addend). */
static void each_relative(struct elf_file *f, bool (*each)(void *ctx, uint64_t offset, uint64_t addend), void *ctx)
{
    Elf_Scn *scn = NULL;
    GElf_Shdr sh;
    size_t n;
    Elf_Data *data;
    while ((data = elf_next_table(elf_file_handle(f), &scn, SHT_RELA, &sh, &n)) != NULL) {
        for (size_t i = 0; i < n; i++) {
            GElf_Rela r;
            if (gelf_getrela(data, (int)i, &r) && GELF_R_TYPE(r.r_info) == R_X86_64_RELATIVE &&
                !each(ctx, r.r_offset, (uint64_t)r.r_addend))
                return;
        }
    }
}

struct pointer_search {
    uint64_t value;
    uint64_t *out;
    size_t cap, n;
};

static bool find_pointer_in(void *ctx, uint64_t addr, const unsigned char *bytes, size_t size)
{
    struct pointer_search *s = ctx;
    for (size_t at = (8 - (addr & 7)) & 7; at + 8 <= size && s->n < s->cap; at += 8) {
        uint64_t w;
        memcpy(&w, bytes + at, 8);
        if (w == s->value)
            s->out[s->n++] = addr + at;
    }
    return s->n < s->cap;
}

static bool find_relocated_pointer(void *ctx, uint64_t offset, uint64_t addend)
{
    struct pointer_search *s = ctx;
    if (addend == s->value)
        s->out[s->n++] = offset;
    return s->n < s->cap;
}

size_t elf_data_find_pointer(struct elf_file *f, uint64_t value, uint64_t *out, size_t cap)
{
    struct pointer_search s = {value, out, cap, 0};
    each_section(f, true, find_pointer_in, &s);
    if (s.n < s.cap)
        each_relative(f, find_relocated_pointer, &s);
    return s.n;
}

struct pointer_at {
    uint64_t vaddr, value;
    bool found;
};

static bool relocation_at(void *ctx, uint64_t offset, uint64_t addend)
{
    struct pointer_at *p = ctx;
    if (offset != p->vaddr)
        return true;
    p->value = addend;
    p->found = true;
    return false;
}

bool elf_data_pointer_at(struct elf_file *f, uint64_t vaddr, uint64_t *value)
{
    struct pointer_at p = {vaddr, 0, false};
    each_relative(f, relocation_at, &p);
    if (p.found) {
        *value = p.value;
        return true;
    }
    return elf_file_read(f, vaddr, value, sizeof *value);
}
