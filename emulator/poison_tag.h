/* poison_tag.h - 64-bit values that say where they came from. Every register,
 * caller field, module answer and VMM answer of a call carries one, so a value
 * seen in the wrong place names its origin. Layout:
 *   [63:52] 0x7DA magic  [51:48] origin  [47:40] index  [39:0] per-call nonce */
#ifndef TDXABI_POISON_TAG_H
#define TDXABI_POISON_TAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tag_origin {
	TAG_CALLER_POISON = 1, /* a register's value at entry (index: the register) */
	TAG_CALLER_INPUT,      /* a value the caller passes for a TDX input register */
	TAG_MODULE_OUTPUT,     /* a value the TDX module writes to an output register */
	TAG_VMM_VALUE,         /* a value the (untrusted) VMM writes to an exposed register */
	TAG_CALLER_MEMORY,     /* caller-object bytes the stub should not need (index: word) */
	TAG_GUARD,             /* guard bytes around a caller object (index: object) */
	TAG_STACK_JUNK,        /* the stack below RSP at entry (index: slot) */
	TAG_TD_VALUE,          /* a value of the (untrusted, to the host) TD that TDH.VP.ENTER returns */
	TAG_CALLER_XMM,        /* an XMM register's half at entry (index: XMM number, +16 high half) */
};

/* Derives the nonce of one call from the user's seed and the call number. */
uint64_t poison_tag_nonce(uint64_t seed, uint64_t call_number);
uint64_t poison_tag(uint64_t nonce, enum tag_origin origin, unsigned index);
/* Decodes a tag of this call; false for any other value. */
bool poison_tag_decode(uint64_t value, uint64_t nonce, enum tag_origin *origin,
		       unsigned *index);
/* As poison_tag_decode, for an address computed from a tag: a tag plus or
 * minus a displacement of up to 4 KiB. */
bool poison_tag_decode_near(uint64_t value, uint64_t nonce, enum tag_origin *origin,
			    unsigned *index);
/* "the caller's R12 at entry", "the VMM's R14", or "" for a plain value. */
void poison_tag_describe(uint64_t value, uint64_t nonce, char *text, size_t size);

#endif
