/* The graph's big arrays, as mappings of their own: reserved for the most
 * they can hold (address space; memory only as pages are touched), in huge
 * pages, and never moved while they stay within it.
 *
 * Grown through malloc instead, an array is moved by mremap to wherever the
 * kernel finds room: a huge page moved by other than a multiple of 2 MiB is
 * split into 4 KiB pages (zeroed at a fifth of the speed when first
 * touched, a TLB entry each), and every move while other threads run
 * interrupts their cores to flush their TLBs.  Mapped, not malloc'd, also
 * because malloc may write what it hands out (MALLOC_PERTURB_, as meson's
 * tests set it, fills every byte): a corrupt core's claimed sizes would
 * then cost their whole reservation. */
#ifndef PYHEAPSCAN_MAPPED_ARRAY_H
#define PYHEAPSCAN_MAPPED_ARRAY_H

#include <stdbool.h>
#include <stddef.h>

/* Room for n entries of elem bytes, untouched; NULL when the address space
 * or the kernel refuses it (the caller then grows the array by malloc). */
void *mapped_array_reserve(size_t n, size_t elem);

/* The array p of old entries grown to new ones: moved (mremap) only past its
 * reservation.  NULL when that fails; p is then as it was. */
void *mapped_array_grow(void *p, size_t old, size_t new, size_t elem);

void mapped_array_free(void *p, size_t n, size_t elem);

/* p, of old entries, grown to new ones: a mapping (mapped) by
 * mapped_array_grow, else by realloc, its new pages then faulted in ahead
 * on another core (prefault.h).  NULL when out of memory; p is then as it
 * was. */
void *array_grow(void *p, size_t old, size_t new, size_t elem, bool mapped);

/* Frees p, of n entries: a mapping (mapped) or malloc's. */
void array_free(void *p, size_t n, size_t elem, bool mapped);

#endif
