/* attribution.h - names the instruction behind each finding of a failed case,
 * from the trace of the same case run again: the last writer of a register
 * or of an output field, the pop (or push) that broke the stack, where DF was
 * set; and where the wrong value was seen (the TDX instruction, the return). */
#ifndef TDXABI_ATTRIBUTION_H
#define TDXABI_ATTRIBUTION_H

#include "call_trace.h"
#include "check_result.h"
#include "checks.h"

/* Points a finding at the instruction at rip: its symbol+offset and text. */
void violation_point_at(struct violation *violation, const struct object_image *image,
			struct machine *machine, uint64_t rip);

/* Moves rip of each violation of result to the instruction that caused it
 * and keeps where it was seen in seen_rip. context is the traced run's. */
void attribution_apply(const struct call_trace *trace, const struct check_context *context,
		       struct check_result *result);

#endif
