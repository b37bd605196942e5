/* poison_tag.c - encodes, decodes and describes poison tags (see poison_tag.h). */
#include "poison_tag.h"

#include <stdio.h>

#include "registers.h"

#define TAG_MAGIC 0x7DAull
#define NONCE_MASK ((1ull << 40) - 1)

uint64_t poison_tag_nonce(uint64_t seed, uint64_t call_number)
{
	/* splitmix64 of the pair: different for every call, reproducible per seed */
	uint64_t value = seed * 0x9E3779B97F4A7C15ull + call_number + 1;
	value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ull;
	value = (value ^ (value >> 27)) * 0x94D049BB133111EBull;
	value ^= value >> 31;
	return value & NONCE_MASK;
}

uint64_t poison_tag(uint64_t nonce, enum tag_origin origin, unsigned index)
{
	return TAG_MAGIC << 52 | (uint64_t)(origin & 0xF) << 48 | (uint64_t)(index & 0xFF) << 40 |
	       (nonce & NONCE_MASK);
}

bool poison_tag_decode(uint64_t value, uint64_t nonce, enum tag_origin *origin, unsigned *index)
{
	if (value >> 52 != TAG_MAGIC || (value & NONCE_MASK) != (nonce & NONCE_MASK))
		return false;
	unsigned decoded = (unsigned)(value >> 48) & 0xF;
	if (decoded < TAG_CALLER_POISON || decoded > TAG_CALLER_XMM) /* the last origin */
		return false;
	*origin = (enum tag_origin)decoded;
	*index = (unsigned)(value >> 40) & 0xFF;
	return true;
}

bool poison_tag_decode_near(uint64_t value, uint64_t nonce, enum tag_origin *origin,
			    unsigned *index)
{
	for (int64_t displacement = -4096; displacement <= 4096; displacement += 4096) {
		/* the nonce's low bits absorb the displacement: look at both neighbours */
		uint64_t candidate = (value - (uint64_t)displacement) & ~NONCE_MASK;
		candidate |= nonce & NONCE_MASK;
		uint64_t distance = value > candidate ? value - candidate : candidate - value;
		if (distance <= 4096 && poison_tag_decode(candidate, nonce, origin, index))
			return true;
	}
	return false;
}

void poison_tag_describe(uint64_t value, uint64_t nonce, char *text, size_t size)
{
	enum tag_origin origin;
	unsigned index;
	if (!poison_tag_decode(value, nonce, &origin, &index)) {
		if (size)
			text[0] = '\0';
		return;
	}
	const char *name = index < GPR_COUNT ? gpr_display_name((enum gpr)index) : "?";
	switch (origin) {
	case TAG_CALLER_POISON:
		snprintf(text, size, "the caller's %s at entry", name);
		break;
	case TAG_CALLER_INPUT:
		snprintf(text, size, "the caller's input for %s", name);
		break;
	case TAG_MODULE_OUTPUT:
		snprintf(text, size, "the module's output in %s", name);
		break;
	case TAG_VMM_VALUE:
		snprintf(text, size, "the VMM's value for %s", name);
		break;
	case TAG_CALLER_MEMORY:
		snprintf(text, size, "caller memory word %u, never an input", index);
		break;
	case TAG_GUARD:
		snprintf(text, size, "guard bytes of caller object %u", index);
		break;
	case TAG_STACK_JUNK:
		snprintf(text, size, "stack junk below RSP (slot %u)", index);
		break;
	case TAG_TD_VALUE:
		snprintf(text, size, "the TD's value for %s", name);
		break;
	case TAG_CALLER_XMM:
		snprintf(text, size, "the caller's XMM%u (%s half) at entry", index % 16,
			 index < 16 ? "low" : "high");
		break;
	}
}
