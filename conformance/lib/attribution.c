/* attribution.c - the instruction behind each finding (see attribution.h),
 * read off the trace: what each step wrote is what Capstone says it writes
 * plus whatever changed value across it (the TDX instruction's answer). */
#include "attribution.h"

#include <stdio.h>
#include <string.h>

#include "memory_layout.h"

#define RFLAGS_DF (1ull << 10)
/* the slots a stack walk follows; deeper frames are not a TDX stub's */
#define SHADOW_SLOTS 128

struct traced_call {
	const struct call_trace *trace;
	const struct check_context *context;
	size_t count;
};

static const struct trace_step *step_at(const struct traced_call *call, size_t index)
{
	return call_trace_step(call->trace, index);
}

/* The registers after step `index`: those before the next, or the end's. */
static const uint64_t *registers_after(const struct traced_call *call, size_t index)
{
	return index + 1 < call->count ? step_at(call, index + 1)->registers
				       : call->context->outcome->registers;
}

static uint64_t rflags_after(const struct traced_call *call, size_t index)
{
	return index + 1 < call->count ? step_at(call, index + 1)->rflags
				       : call->context->outcome->rflags;
}

static register_set step_writes(const struct traced_call *call, size_t index)
{
	const struct trace_step *step = step_at(call, index);
	const uint64_t *after = registers_after(call, index);
	uint16_t xmm = 0;
	register_set written =
		step->tdx ? 0 : machine_instruction_writes(call->context->machine, step->rip, &xmm);
	for (int gpr = 0; gpr < GPR_COUNT; gpr++)
		if (step->registers[gpr] != after[gpr])
			written |= REGISTER_BIT(gpr);
	return written;
}

static bool in_object(uint64_t rip)
{
	return rip >= LAYOUT_OBJECT_BASE && rip < LAYOUT_OBJECT_LIMIT;
}

/* The last step the stub executed in its own code: its return. */
static bool end_step(const struct traced_call *call, size_t *index)
{
	for (size_t step = call->count; step-- > 0;)
		if (in_object(step_at(call, step)->rip)) {
			*index = step;
			return true;
		}
	return false;
}

/* The step of TDX instruction number `event` (the model's order). */
static bool tdx_step(const struct traced_call *call, unsigned event, size_t *index)
{
	size_t kept = 0;
	for (size_t step = 0; step < call->count; step++)
		kept += step_at(call, step)->tdx;
	size_t events = call->context->model->event_count;
	if (kept > events || event + kept < events)
		return false; /* the steps of that one fell out of the trace */
	size_t wanted = event + kept - events;
	for (size_t step = 0; step < call->count; step++)
		if (step_at(call, step)->tdx && wanted-- == 0) {
			*index = step;
			return true;
		}
	return false;
}

static bool last_tdx_step(const struct traced_call *call, size_t before, size_t *index)
{
	for (size_t step = before + 1; step-- > 0;)
		if (step_at(call, step)->tdx) {
			*index = step;
			return true;
		}
	return false;
}

/* The last step at or before `before` that wrote the register. */
static bool last_writer(const struct traced_call *call, enum gpr gpr, size_t before,
			size_t *index)
{
	for (size_t step = before + 1; step-- > 0;)
		if (register_set_has(step_writes(call, step), gpr)) {
			*index = step;
			return true;
		}
	return false;
}

/* The model's event of a TDX step, or NULL when it fell out of the trace. */
static const struct model_event *event_of_tdx_step(const struct traced_call *call, size_t index)
{
	size_t kept = 0, ordinal = 0;
	for (size_t step = 0; step < call->count; step++) {
		kept += step_at(call, step)->tdx;
		ordinal += step < index && step_at(call, step)->tdx;
	}
	size_t events = call->context->model->event_count;
	if (kept > events || ordinal + events < kept)
		return NULL;
	return &call->context->model->events[ordinal + events - kept];
}

/* The last step at or before `before` that wrote the XMM register: an
 * instruction, or a TDX instruction after which the module cleared them. */
static bool last_xmm_writer(const struct traced_call *call, unsigned xmm, size_t before,
			    size_t *index)
{
	for (size_t step = before + 1; step-- > 0;) {
		uint16_t written = 0;
		if (!step_at(call, step)->tdx) {
			machine_instruction_writes(call->context->machine, step_at(call, step)->rip,
						   &written);
		} else {
			const struct model_event *event = event_of_tdx_step(call, step);
			written = event && event->cleared_vector_bytes ? 0xFFFF : 0;
		}
		if (written & (1u << xmm)) {
			*index = step;
			return true;
		}
	}
	return false;
}

static bool last_store(const struct traced_call *call, uint64_t address, size_t before,
		       size_t *index)
{
	for (size_t step = before + 1; step-- > 0;) {
		const struct trace_step *traced = step_at(call, step);
		if (traced->write_size && traced->write_address < address + 8 &&
		    address < traced->write_address + traced->write_size) {
			*index = step;
			return true;
		}
	}
	return false;
}

static bool last_df_change(const struct traced_call *call, size_t before, size_t *index)
{
	for (size_t step = before + 1; step-- > 0;)
		if ((step_at(call, step)->rflags ^ rflags_after(call, step)) & RFLAGS_DF) {
			*index = step;
			return true;
		}
	return false;
}

struct shadow_slot {
	uint64_t address;
	int gpr;      /* the register pushed there, -1 for anything else */
	size_t step;  /* the push */
	bool live;
};

struct stack_break {
	size_t step;       /* the pop (or the push left behind) */
	bool pop;
	bool has_push;     /* the push whose slot the pop took */
	size_t push_step;
};

static struct shadow_slot *shadow_find(struct shadow_slot *slots, size_t count, uint64_t address)
{
	for (size_t index = count; index-- > 0;)
		if (slots[index].live && slots[index].address == address)
			return &slots[index];
	return NULL;
}

/* The first pop that took a slot another register (or the caller) filled;
 * failing that, the oldest push still on the stack at the return. */
static bool find_stack_break(const struct traced_call *call, size_t end, struct stack_break *found)
{
	struct shadow_slot slots[SHADOW_SLOTS];
	size_t count = 0;
	for (size_t step = 0; step <= end; step++) {
		const struct trace_step *traced = step_at(call, step);
		const uint64_t *after = registers_after(call, step);
		uint64_t rsp = traced->registers[GPR_RSP], rsp_after = after[GPR_RSP];
		if (rsp_after + 8 == rsp && traced->write_size == 8 &&
		    traced->write_address == rsp_after) {
			int source = -1;
			for (int gpr = 0; gpr < GPR_COUNT && source < 0; gpr++)
				if (gpr != GPR_RSP && traced->registers[gpr] == traced->write_value)
					source = gpr;
			if (count == SHADOW_SLOTS)
				return false;
			slots[count++] = (struct shadow_slot){rsp_after, source, step, true};
			continue;
		}
		register_set popped = (register_set)(step_writes(call, step) & ~REGISTER_BIT(GPR_RSP));
		if (rsp_after <= rsp || !popped || (popped & (popped - 1)))
			continue;
		enum gpr into = (enum gpr)__builtin_ctz(popped);
		struct shadow_slot *slot = shadow_find(slots, count, rsp_after - 8);
		if (!slot) {
			if (rsp_after - 8 < LAYOUT_ENTRY_RSP)
				continue; /* a slot of the stub's own frame it stored itself */
			*found = (struct stack_break){step, true, false, 0};
			return true;
		}
		slot->live = false;
		if (slot->gpr >= 0 && slot->gpr != (int)into) {
			*found = (struct stack_break){step, true, true, slot->step};
			return true;
		}
	}
	uint64_t rsp_at_return = step_at(call, end)->registers[GPR_RSP];
	for (size_t index = 0; index < count; index++)
		if (slots[index].live && slots[index].address < rsp_at_return + 8 &&
		    slots[index].gpr >= 0) {
			*found = (struct stack_break){slots[index].step, false, false, 0};
			return true;
		}
	return false;
}

void violation_point_at(struct violation *violation, const struct object_image *image,
			struct machine *machine, uint64_t rip)
{
	violation->has_rip = true;
	violation->rip = rip;
	object_image_describe_address(image, rip, violation->location, sizeof(violation->location));
	machine_describe_instruction(machine, rip, violation->instruction,
				     sizeof(violation->instruction));
}

/* rip becomes the step that caused the finding, seen_rip where it showed. */
static void blame(const struct traced_call *call, struct violation *violation, size_t cause,
		  size_t seen)
{
	uint64_t seen_rip = step_at(call, seen)->rip;
	violation_point_at(violation, call->context->image, call->context->machine,
			   step_at(call, cause)->rip);
	if (cause == seen)
		return;
	violation->has_seen_rip = true;
	violation->seen_rip = seen_rip;
	object_image_describe_address(call->context->image, seen_rip, violation->seen_location,
				      sizeof(violation->seen_location));
}

static void append_detail(struct violation *violation, const char *text)
{
	size_t used = strlen(violation->detail);
	snprintf(violation->detail + used, sizeof(violation->detail) - used, "%s", text);
}

static void explain_stack_break(const struct traced_call *call, struct violation *violation,
				const struct stack_break *found)
{
	char text[VIOLATION_DETAIL_SIZE], push[VIOLATION_TEXT_SIZE], where[VIOLATION_TEXT_SIZE];
	if (found->pop && found->has_push) {
		uint64_t push_rip = step_at(call, found->push_step)->rip;
		machine_describe_instruction(call->context->machine, push_rip, push, sizeof(push));
		object_image_describe_address(call->context->image, push_rip, where, sizeof(where));
		snprintf(text, sizeof(text), "; %s takes the slot %s at %s filled", violation->instruction,
			 push, where);
	} else if (found->pop) {
		snprintf(text, sizeof(text), "; %s takes a slot of the caller's frame, which nothing "
			 "pushed", violation->instruction);
	} else {
		snprintf(text, sizeof(text), "; %s is never popped", violation->instruction);
	}
	append_detail(violation, text);
}

static void attribute(const struct traced_call *call, struct violation *violation)
{
	size_t end = 0, point = 0, cause = 0;
	switch (violation->observed) {
	case OBSERVED_INSTRUCTION:
		/* a jump or return to nowhere: the last instruction of the stub's own */
		if (!violation->has_rip && end_step(call, &end))
			blame(call, violation, end, end);
		return;
	case OBSERVED_REGISTER_AT_TDX:
		if (violation->tdx_register < 0 || !tdx_step(call, violation->tdx_event, &point))
			return;
		if (point > 0 && last_writer(call, (enum gpr)violation->tdx_register, point - 1, &cause))
			blame(call, violation, cause, point);
		return;
	default:
		break;
	}
	if (!end_step(call, &end))
		return;
	bool found = false;
	switch (violation->observed) {
	case OBSERVED_REGISTER_AT_END:
		found = violation->tdx_register >= 0 &&
			last_writer(call, (enum gpr)violation->tdx_register, end, &cause);
		break;
	case OBSERVED_STATUS_AT_END: {
		/* a status the TDX instruction left alone (VMfailInvalid) returns
		 * from before it: the stub should have acted on it there */
		size_t tdx = 0;
		found = violation->tdx_register >= 0 &&
			last_writer(call, (enum gpr)violation->tdx_register, end, &cause);
		if (found && last_tdx_step(call, end, &tdx) && cause < tdx)
			cause = tdx;
		break;
	}
	case OBSERVED_MEMORY_AT_END:
		found = last_store(call, violation->memory_address, end, &cause);
		break;
	case OBSERVED_FLAGS_AT_END:
		found = last_df_change(call, end, &cause);
		break;
	case OBSERVED_XMM_AT_END:
		found = last_xmm_writer(call, violation->xmm, end, &cause);
		break;
	case OBSERVED_STACK_AT_END: {
		struct stack_break stack_break;
		if (find_stack_break(call, end, &stack_break)) {
			blame(call, violation, stack_break.step, end);
			explain_stack_break(call, violation, &stack_break);
			return;
		}
		break;
	}
	default:
		break;
	}
	blame(call, violation, found ? cause : end, end);
}

void attribution_apply(const struct call_trace *trace, const struct check_context *context,
		       struct check_result *result)
{
	struct traced_call call = {trace, context, call_trace_count(trace)};
	if (call.count == 0)
		return;
	for (size_t index = 0; index < result->violation_count; index++)
		attribute(&call, &result->violations[index]);
}
