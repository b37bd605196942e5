/* elf_undefined.h - the undefined symbols of an ELF64 relocatable object the
 * kernel builder made: a name the tree's stubs use but nothing defined (an
 * asm-offsets constant that went missing, say) assembles into a relocation
 * against an undefined symbol instead of failing, so each built object is
 * checked for names outside the few the kernel links in from elsewhere. */
#ifndef TDXABI_ELF_UNDEFINED_H
#define TDXABI_ELF_UNDEFINED_H

#include <stdbool.h>
#include <stddef.h>

/* The first undefined, named symbol of the object for which allowed(name)
 * is false, copied into name; false when there is none. A malformed object
 * yields "(malformed ELF)" so that it is refused too. */
bool elf_first_unexpected_undefined(const unsigned char *bytes, size_t size,
				    bool (*allowed)(const char *name), char *name,
				    size_t name_size);

#endif
