/* flagged_values.c - the plain tags behind flagged outputs (flagged_values.h):
 * matched against the values the module logged, since a flag bit may land
 * anywhere in a tag. */
#include "flagged_values.h"

#include <stdio.h>

#include "poison_tag.h"

#define NEAR_BYTES 4096

uint64_t flagged_value_tag(const struct module_model *model, uint64_t nonce, uint64_t value,
			   uint64_t *flags)
{
	*flags = 0;
	for (size_t index = model->event_count; index-- > 0;) {
		const struct model_event *event = &model->events[index];
		for (int gpr = 0; event->flags_set && gpr < GPR_COUNT; gpr++) {
			uint64_t bits = event->leaf->output_flags[gpr];
			uint64_t delta = value - event->written_values[gpr];
			if (!bits || !register_set_has(event->written, (enum gpr)gpr) ||
			    (event->written_values[gpr] & bits) != bits ||
			    delta + NEAR_BYTES > 2 * NEAR_BYTES)
				continue;
			*flags = bits;
			return poison_tag(nonce,
					  event->leaf->outputs_from_td ? TAG_TD_VALUE : TAG_MODULE_OUTPUT,
					  (unsigned)gpr) +
			       delta;
		}
	}
	return value;
}

void flagged_value_describe(const struct module_model *model, uint64_t nonce, uint64_t value,
			    char *text, size_t size)
{
	char origin[96];
	uint64_t flags;
	poison_tag_describe(flagged_value_tag(model, nonce, value, &flags), nonce, origin,
			    sizeof(origin));
	if (origin[0] && flags)
		snprintf(text, size, "0x%llx (%s, with out-flags 0x%llx)", (unsigned long long)value,
			 origin, (unsigned long long)flags);
	else if (origin[0])
		snprintf(text, size, "0x%llx (%s)", (unsigned long long)value, origin);
	else
		snprintf(text, size, "0x%llx", (unsigned long long)value);
}
