/* static_audit.c - static_audit.h: a worklist walk over the stub's
 * instructions to a fixed point of one abstract state per instruction (stack
 * depth; each register's value as entry value, stack address or other; the
 * stack slots; the registers written on every path so far and since each
 * TDX instruction), then the returns, TDX sites, blocks and findings read
 * off the final states. */
#include "static_audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disassembler.h"

#define MAX_NODES 8192
#define MAX_VISITS 200000
#define MAX_SLOTS 64 /* the deepest 512 bytes below entry RSP */
#define TRAP_UD 6
#define TRAP_GP 13

enum value_kind { VALUE_OTHER, VALUE_ENTRY, VALUE_STACK };

/* What a register or stack slot holds. */
struct abstract_value {
	enum value_kind kind;
	int entry_register; /* VALUE_ENTRY */
	int64_t depth;      /* VALUE_STACK: RSP's depth when it was taken */
};

struct flow_state {
	enum audit_depth depth_kind;
	int64_t depth; /* bytes below entry RSP: 0 at entry, 8 after a push */
	struct abstract_value values[GPR_COUNT];
	struct abstract_value slots[MAX_SLOTS]; /* slot n: the word at entry RSP - 8 (n + 1) */
	uint64_t written_at[GPR_COUNT];         /* the instruction that last wrote it (0: none) */
	register_set must_written;
	uint32_t tdx_passed;                    /* bit k: some path here passed TDX site k */
	register_set since_tdx[AUDIT_MAX_TDX];  /* written since site k on every path that passed it */
};

struct node {
	uint64_t address;
	struct decoded_instruction decoded;
	bool reached, queued;
	struct flow_state state; /* before the instruction */
};

#define MAX_CALLEES 8
#define MAX_NESTING 4

struct walk {
	const struct audit_request *request;
	struct audit_result *result;
	unsigned nesting;                /* 0: the stub; n: a function it calls, n deep */
	uint64_t callee_entries[MAX_CALLEES];
	struct audit_result *callees[MAX_CALLEES];
	size_t callee_count;
	struct disassembler *disassembler;
	struct node *nodes;
	size_t node_count;
	size_t *queue;
	size_t queue_count;
};

static void note(struct audit_result *result, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct audit_result *result, const char *format, ...)
{
	char text[AUDIT_NOTE_SIZE];
	va_list arguments;
	va_start(arguments, format);
	vsnprintf(text, sizeof(text), format, arguments);
	va_end(arguments);
	for (size_t index = 0; index < result->note_count; index++)
		if (strcmp(result->notes[index], text) == 0)
			return;
	if (result->note_count < AUDIT_MAX_NOTES)
		snprintf(result->notes[result->note_count++], AUDIT_NOTE_SIZE, "%s", text);
}

static bool same_value(const struct abstract_value *a, const struct abstract_value *b)
{
	return a->kind == b->kind && (a->kind != VALUE_ENTRY || a->entry_register == b->entry_register) &&
	       (a->kind != VALUE_STACK || a->depth == b->depth);
}

static bool executable(const struct object_image *image, uint64_t address)
{
	const struct image_section *section = object_image_section_at(image, address);
	return section && section->executable;
}

/* The node of an address in the object's code, decoded on first sight. */
static struct node *node_at(struct walk *walk, uint64_t address)
{
	for (size_t index = 0; index < walk->node_count; index++)
		if (walk->nodes[index].address == address)
			return &walk->nodes[index];
	if (walk->node_count == MAX_NODES)
		return NULL;
	const struct image_section *section = object_image_section_at(walk->request->image, address);
	struct node *node = &walk->nodes[walk->node_count++];
	memset(node, 0, sizeof(*node));
	node->address = address;
	uint64_t offset = address - section->address;
	disassembler_decode(walk->disassembler, section->bytes + offset,
			    (size_t)(section->size - offset), address, &node->decoded);
	return node;
}

/* Joins `incoming` into the node's state; queues the node when it changed. */
static void flow_into(struct walk *walk, uint64_t address, const struct flow_state *incoming)
{
	if (!executable(walk->request->image, address)) {
		note(walk->result, "a path goes to 0x%llx, outside the object's code: not followed",
		     (unsigned long long)address);
		return;
	}
	struct node *node = node_at(walk, address);
	if (!node) {
		note(walk->result, "more than %d instructions: the walk stopped", MAX_NODES);
		return;
	}
	struct flow_state *state = &node->state;
	bool changed = !node->reached;
	if (!node->reached) {
		*state = *incoming;
		node->reached = true;
	} else {
		if (state->depth_kind == DEPTH_KNOWN &&
		    (incoming->depth_kind != DEPTH_KNOWN || incoming->depth != state->depth)) {
			state->depth_kind = incoming->depth_kind == DEPTH_UNKNOWN ? DEPTH_UNKNOWN
										  : DEPTH_CONFLICT;
			changed = true;
		}
		for (int gpr = 0; gpr < GPR_COUNT; gpr++)
			if (state->values[gpr].kind != VALUE_OTHER &&
			    !same_value(&state->values[gpr], &incoming->values[gpr])) {
				state->values[gpr].kind = VALUE_OTHER;
				if (!state->written_at[gpr])
					state->written_at[gpr] = incoming->written_at[gpr];
				changed = true;
			}
		for (int slot = 0; slot < MAX_SLOTS; slot++)
			if (state->slots[slot].kind != VALUE_OTHER &&
			    !same_value(&state->slots[slot], &incoming->slots[slot])) {
				state->slots[slot].kind = VALUE_OTHER;
				changed = true;
			}
		register_set must = state->must_written & incoming->must_written;
		changed |= must != state->must_written;
		state->must_written = must;
		for (size_t site = 0; site < AUDIT_MAX_TDX; site++) {
			uint32_t bit = 1u << site;
			if (!(incoming->tdx_passed & bit))
				continue;
			register_set since = state->tdx_passed & bit
						     ? state->since_tdx[site] & incoming->since_tdx[site]
						     : incoming->since_tdx[site];
			changed |= since != state->since_tdx[site] || !(state->tdx_passed & bit);
			state->since_tdx[site] = since;
			state->tdx_passed |= bit;
		}
	}
	if (changed && !node->queued) {
		node->queued = true;
		walk->queue[walk->queue_count++] = (size_t)(node - walk->nodes);
	}
}

static void write_register(struct flow_state *state, int gpr, uint64_t address)
{
	state->values[gpr].kind = VALUE_OTHER;
	state->written_at[gpr] = address;
	state->must_written |= REGISTER_BIT(gpr);
	for (size_t site = 0; site < AUDIT_MAX_TDX; site++)
		state->since_tdx[site] |= REGISTER_BIT(gpr);
}

static struct abstract_value *slot_at(struct flow_state *state, int64_t depth)
{
	if (state->depth_kind != DEPTH_KNOWN || depth < 8 || depth > 8 * MAX_SLOTS)
		return NULL;
	return &state->slots[depth / 8 - 1];
}

/* A mov between a register and a stack slot (addressed from RSP or from a
 * register holding a stack address): the slot keeps what was stored, the
 * register gets what the slot held. */
static void move_through_stack(const struct flow_state *before,
			       const struct decoded_instruction *decoded, struct flow_state *state)
{
	if (decoded->memory_base < 0 || (decoded->loaded < 0 && decoded->stored < 0))
		return;
	int64_t base;
	if (decoded->memory_base == GPR_RSP && before->depth_kind == DEPTH_KNOWN)
		base = before->depth;
	else if (before->values[decoded->memory_base].kind == VALUE_STACK)
		base = before->values[decoded->memory_base].depth;
	else
		return;
	int64_t depth = base - decoded->memory_displacement;
	if (depth % 8)
		return;
	struct flow_state probe = *before;
	probe.depth_kind = DEPTH_KNOWN;
	struct abstract_value *read = slot_at(&probe, depth);
	struct abstract_value *written = slot_at(state, depth);
	if (decoded->stored >= 0 && written)
		*written = before->values[decoded->stored];
	if (decoded->loaded >= 0 && decoded->loaded != GPR_RSP)
		state->values[decoded->loaded] = read ? *read : (struct abstract_value){VALUE_OTHER, -1, 0};
}

/* The stack part of an instruction: depth, pushed slots, popped values. */
static void apply_stack(struct walk *walk, const struct node *node, const struct flow_state *before,
			struct flow_state *state)
{
	const struct decoded_instruction *decoded = &node->decoded;
	struct abstract_value other = {VALUE_OTHER, -1, 0};
	switch (decoded->stack) {
	case STACK_NONE:
		return;
	case STACK_PUSH: {
		struct abstract_value pushed = decoded->pushed >= 0 ? before->values[decoded->pushed] : other;
		state->depth += 8;
		struct abstract_value *slot = slot_at(state, state->depth);
		if (slot)
			*slot = pushed;
		return;
	}
	case STACK_POP: {
		struct abstract_value *slot = slot_at(state, state->depth);
		state->depth -= 8;
		if (decoded->popped >= 0) {
			state->values[decoded->popped] = slot ? *slot : other;
			state->written_at[decoded->popped] = node->address;
		}
		return;
	}
	case STACK_ADJUST:
		state->depth -= decoded->adjustment;
		return;
	case STACK_FROM:
	case STACK_LEAVE: {
		int from = decoded->stack == STACK_LEAVE ? GPR_RBP : decoded->source;
		const struct abstract_value *source = from >= 0 ? &before->values[from] : &other;
		if (source->kind == VALUE_STACK && state->depth_kind != DEPTH_UNKNOWN) {
			state->depth = source->depth - decoded->adjustment;
			state->depth_kind = DEPTH_KNOWN;
		} else {
			state->depth_kind = DEPTH_UNKNOWN;
			note(walk->result, "RSP is loaded at 0x%llx from a value the walk does not know",
			     (unsigned long long)node->address);
		}
		if (decoded->stack == STACK_LEAVE) {
			struct abstract_value *slot = slot_at(state, state->depth);
			state->depth -= 8;
			state->values[GPR_RBP] = slot ? *slot : other;
			state->written_at[GPR_RBP] = node->address;
		}
		return;
	}
	case STACK_UNKNOWN:
		state->depth_kind = DEPTH_UNKNOWN;
		note(walk->result, "RSP is written at 0x%llx in a way the walk does not follow",
		     (unsigned long long)node->address);
		return;
	}
}

static size_t tdx_site(struct audit_result *result, uint64_t address, enum tdx_opcode opcode)
{
	for (size_t index = 0; index < result->tdx_count; index++)
		if (result->tdx[index].address == address)
			return index;
	if (result->tdx_count == AUDIT_MAX_TDX)
		return AUDIT_MAX_TDX;
	struct audit_tdx *site = &result->tdx[result->tdx_count];
	memset(site, 0, sizeof(*site));
	site->address = address;
	site->opcode = opcode;
	site->scrubbed = ~(register_set)0;
	return result->tdx_count++;
}

static struct audit_fixup fixup_of(struct walk *walk, uint64_t address, int trap)
{
	struct audit_fixup found = {TRAP_NO_FIXUP, 0};
	const struct machine_environment *environment = walk->request->environment;
	if (!environment || !environment->resolve_trap)
		return found;
	struct trap_fixup fixup;
	memset(&fixup, 0, sizeof(fixup));
	environment->resolve_trap(environment->context, address, trap, &fixup);
	found.resolution = fixup.resolution;
	found.resume = fixup.resume_rip;
	return found;
}

/* A TDX instruction: the module writes what a function may clobber; a
 * #UD or #GP the environment fixes resumes at its fixup instead. */
static void step_tdx(struct walk *walk, const struct node *node, const struct flow_state *before)
{
	struct audit_result *result = walk->result;
	size_t site = tdx_site(result, node->address, node->decoded.tdx);
	struct flow_state after = *before;
	for (int gpr = 0; gpr < GPR_COUNT; gpr++)
		if (gpr != GPR_RSP && !register_set_has(walk->request->callee_saved, (enum gpr)gpr))
			write_register(&after, gpr, node->address);
	if (site < AUDIT_MAX_TDX) {
		after.tdx_passed |= 1u << site;
		after.since_tdx[site] = 0;
	}
	flow_into(walk, node->address + node->decoded.length, &after);
	const int traps[] = {TRAP_UD, TRAP_GP};
	for (size_t index = 0; index < 2; index++) {
		struct audit_fixup fixup = fixup_of(walk, node->address, traps[index]);
		if (site < AUDIT_MAX_TDX)
			*(index ? &result->tdx[site].general_protection
				: &result->tdx[site].undefined_opcode) = fixup;
		if (fixup.resolution == TRAP_FIXED)
			flow_into(walk, fixup.resume, before);
	}
}

/* Where a jump or call to `target` goes: the object's code, the
 * environment's return thunk, or an undefined symbol the walk stops at. */
static const struct image_undefined_symbol *undefined_target(const struct walk *walk,
							     uint64_t target, bool *returns)
{
	const struct image_undefined_symbol *symbol =
		object_image_undefined_at(walk->request->image, target);
	const struct machine_environment *environment = walk->request->environment;
	*returns = symbol && environment && environment->returns_at_once &&
		   environment->returns_at_once(environment->context, symbol->name);
	return symbol;
}

static enum tdxabi_status audit_from(const struct audit_request *request, uint64_t entry_address,
				     unsigned nesting, struct audit_result *result,
				     struct diagnostic *diagnostic);

/* The audit of a function the stub calls in its own object, walked once. */
static const struct audit_result *callee_audit(struct walk *walk, uint64_t entry)
{
	for (size_t index = 0; index < walk->callee_count; index++)
		if (walk->callee_entries[index] == entry)
			return walk->callees[index];
	if (walk->callee_count == MAX_CALLEES || walk->nesting == MAX_NESTING)
		return NULL;
	struct audit_result *callee = malloc(sizeof(*callee));
	struct diagnostic ignored;
	if (!callee || audit_from(walk->request, entry, walk->nesting + 1, callee, &ignored) !=
			       TDXABI_OK) {
		free(callee);
		return NULL;
	}
	walk->callee_entries[walk->callee_count] = entry;
	walk->callees[walk->callee_count++] = callee;
	return callee;
}

/* A call into the object: the callee's reads, writes and TDX instructions
 * are the stub's; what it leaves changed is changed at the call. False when
 * the path cannot continue past it. */
static bool call_into(struct walk *walk, const struct node *node, struct flow_state *state)
{
	struct audit_result *result = walk->result;
	const struct audit_result *callee = callee_audit(walk, node->decoded.target);
	if (!callee) {
		note(result, "calls 0x%llx: too deep or too many callees to follow; the path ends",
		     (unsigned long long)node->decoded.target);
		return false;
	}
	result->reads_before_writes |= callee->reads_before_writes & ~state->must_written;
	result->writes |= callee->writes;
	register_set changed = callee->writes;
	bool balanced = callee->return_count > 0;
	for (size_t index = 0; index < callee->return_count; index++) {
		const struct audit_return *found = &callee->returns[index];
		balanced &= found->depth_kind == DEPTH_KNOWN && found->depth == 0;
	}
	if (!balanced)
		state->depth_kind = DEPTH_UNKNOWN;
	for (int gpr = 0; gpr < GPR_COUNT; gpr++) {
		bool restored = register_set_has(result->callee_saved, (enum gpr)gpr);
		for (size_t index = 0; index < callee->return_count; index++)
			restored &= !register_set_has(callee->returns[index].unrestored, (enum gpr)gpr);
		if (gpr != GPR_RSP && register_set_has(changed, (enum gpr)gpr) && !restored)
			write_register(state, gpr, node->address);
	}
	for (size_t index = 0; index < callee->tdx_count; index++) {
		size_t site = tdx_site(result, callee->tdx[index].address, callee->tdx[index].opcode);
		if (site < AUDIT_MAX_TDX) { /* as the callee's own returns see it */
			result->tdx[site] = callee->tdx[index];
		}
	}
	for (size_t index = 0; index < callee->note_count; index++)
		note(result, "%s", callee->notes[index]);
	return callee->return_count > 0;
}

static void append_callee_blocks(struct walk *walk)
{
	struct audit_result *result = walk->result;
	for (size_t index = 0; index < walk->callee_count; index++)
		for (size_t block = 0; block < walk->callees[index]->block_count &&
				       result->block_count < AUDIT_MAX_BLOCKS; block++)
			result->blocks[result->block_count++] = walk->callees[index]->blocks[block];
}

static void step(struct walk *walk, struct node *node)
{
	struct flow_state state = node->state;
	const struct decoded_instruction *decoded = &node->decoded;
	struct audit_result *result = walk->result;
	result->instruction_count++;
	if (!decoded->length) {
		note(result, "0x%llx does not decode: the path ends", (unsigned long long)node->address);
		return;
	}
	register_set reads = decoded->reads & ~REGISTER_BIT(GPR_RSP);
	if (decoded->pushed >= 0 && state.values[decoded->pushed].kind == VALUE_ENTRY &&
	    state.values[decoded->pushed].entry_register == decoded->pushed)
		reads &= ~REGISTER_BIT(decoded->pushed); /* a save, not a use */
	result->reads_before_writes |= reads & ~state.must_written;
	if (decoded->flow == FLOW_TDX) {
		step_tdx(walk, node, &state);
		return;
	}
	result->writes |= decoded->writes;
	struct abstract_value copied = decoded->copy_source >= 0 ? state.values[decoded->copy_source]
								 : (struct abstract_value){0};
	if (decoded->copy_source == GPR_RSP && state.depth_kind == DEPTH_KNOWN)
		copied = (struct abstract_value){VALUE_STACK, -1, state.depth};
	for (int gpr = 0; gpr < GPR_COUNT; gpr++)
		if (gpr != GPR_RSP && (decoded->writes & REGISTER_BIT(gpr)))
			write_register(&state, gpr, node->address);
	if (decoded->copy_destination >= 0 && decoded->copy_destination != GPR_RSP &&
	    decoded->copy_source >= 0)
		state.values[decoded->copy_destination] = copied;
	move_through_stack(&node->state, decoded, &state);
	apply_stack(walk, node, &node->state, &state);
	if (state.depth_kind == DEPTH_KNOWN && state.depth > result->max_depth)
		result->max_depth = state.depth;
	uint64_t next = node->address + decoded->length;
	bool returns;
	const struct image_undefined_symbol *symbol;
	switch (decoded->flow) {
	case FLOW_NEXT:
		flow_into(walk, next, &state);
		break;
	case FLOW_BRANCH:
		flow_into(walk, next, &state);
		flow_into(walk, decoded->target, &state);
		break;
	case FLOW_JUMP:
		symbol = undefined_target(walk, decoded->target, &returns);
		if (!symbol)
			flow_into(walk, decoded->target, &state);
		else if (!returns)
			note(result, "jumps to %s, outside the object: the path ends there", symbol->name);
		else /* a return thunk: a return (read off the final states), it pops RSP */
			result->writes |= REGISTER_BIT(GPR_RSP);
		break;
	case FLOW_CALL:
		symbol = undefined_target(walk, decoded->target, &returns);
		if (symbol && !returns) {
			note(result, "calls %s, outside the object: the path ends there", symbol->name);
			break;
		}
		if (!symbol && !call_into(walk, node, &state))
			break;
		flow_into(walk, next, &state);
		break;
	case FLOW_INDIRECT_CALL:
	case FLOW_INDIRECT_JUMP:
		note(result, "an indirect %s at 0x%llx: not followed",
		     decoded->flow == FLOW_INDIRECT_CALL ? "call" : "jump",
		     (unsigned long long)node->address);
		break;
	case FLOW_RETURN:
	case FLOW_STOP:
	case FLOW_TDX:
		break;
	}
}

static bool is_return(const struct walk *walk, const struct node *node, bool *thunk)
{
	bool returns = false;
	*thunk = node->decoded.flow == FLOW_JUMP &&
		 undefined_target(walk, node->decoded.target, &returns) && returns;
	return node->decoded.flow == FLOW_RETURN || *thunk;
}

static void add_finding(struct audit_result *result, const struct walk *walk, enum rule rule,
			int gpr, uint64_t rip, uint64_t seen_rip, uint64_t discriminator,
			const char *detail)
{
	if (result->finding_count == AUDIT_MAX_FINDINGS)
		return;
	struct violation *violation = &result->findings[result->finding_count++];
	memset(violation, 0, sizeof(*violation));
	violation->rule = rule;
	violation->tdx_register = gpr;
	violation->has_rip = true;
	violation->rip = rip;
	violation->discriminator = discriminator;
	object_image_describe_address(walk->request->image, rip, violation->location,
				      sizeof(violation->location));
	const struct image_section *section = object_image_section_at(walk->request->image, rip);
	if (section)
		disassembler_format(walk->disassembler, section->bytes + (rip - section->address),
				    (size_t)(section->size - (rip - section->address)), rip,
				    violation->instruction, sizeof(violation->instruction));
	if (seen_rip != rip) {
		violation->has_seen_rip = true;
		violation->seen_rip = seen_rip;
		object_image_describe_address(walk->request->image, seen_rip, violation->seen_location,
					      sizeof(violation->seen_location));
	}
	snprintf(violation->detail, sizeof(violation->detail), "%s", detail);
}

static void read_return(struct walk *walk, const struct node *node, bool thunk)
{
	struct audit_result *result = walk->result;
	struct flow_state adjusted = node->state;
	adjusted.depth -= node->decoded.flow == FLOW_RETURN ? node->decoded.adjustment : 0;
	const struct flow_state *state = &adjusted;
	if (result->return_count < AUDIT_MAX_RETURNS) {
		struct audit_return *found = &result->returns[result->return_count++];
		found->address = node->address;
		found->thunk = thunk;
		found->depth_kind = state->depth_kind;
		found->depth = state->depth;
		found->unrestored = 0;
		for (int gpr = 0; gpr < GPR_COUNT; gpr++)
			if (register_set_has(walk->request->callee_saved, (enum gpr)gpr) &&
			    gpr != GPR_RSP &&
			    !(state->values[gpr].kind == VALUE_ENTRY &&
			      state->values[gpr].entry_register == gpr))
				found->unrestored |= REGISTER_BIT(gpr);
	}
	char detail[VIOLATION_DETAIL_SIZE];
	if (state->depth_kind == DEPTH_CONFLICT || (state->depth_kind == DEPTH_KNOWN && state->depth)) {
		if (state->depth_kind == DEPTH_CONFLICT)
			snprintf(detail, sizeof(detail), "the paths to this return leave the stack at "
							 "different depths");
		else
			snprintf(detail, sizeof(detail), "this return leaves %lld bytes %s the stack",
				 (long long)(state->depth > 0 ? state->depth : -state->depth),
				 state->depth > 0 ? "pushed on" : "popped beyond the return address of");
		add_finding(result, walk, RULE_STACK_IMBALANCE, GPR_RSP, node->address, node->address,
			    0, detail);
	}
	for (int gpr = 0; gpr < GPR_COUNT; gpr++) {
		if (!register_set_has(walk->request->callee_saved, (enum gpr)gpr) || gpr == GPR_RSP ||
		    (state->values[gpr].kind == VALUE_ENTRY && state->values[gpr].entry_register == gpr))
			continue;
		bool reported = false;
		for (size_t index = 0; index < result->finding_count; index++)
			reported |= result->findings[index].rule == RULE_CALLEE_SAVED_CLOBBERED &&
				    result->findings[index].tdx_register == gpr;
		if (reported)
			continue; /* once per register, at the first return it reaches */
		uint64_t writer = state->written_at[gpr] ? state->written_at[gpr] : node->address;
		snprintf(detail, sizeof(detail),
			 "%s is callee-saved under %s, and some path reaches this return with it "
			 "changed (not restored from where it was saved)",
			 gpr_display_name((enum gpr)gpr), walk->request->abi_name);
		add_finding(result, walk, RULE_CALLEE_SAVED_CLOBBERED, gpr, writer, node->address, 0,
			    detail);
	}
	for (size_t site = 0; site < result->tdx_count; site++)
		if (state->tdx_passed & (1u << site)) {
			result->tdx[site].scrubbed &= state->since_tdx[site];
			result->tdx[site].reaches_return = true;
		}
}

static int by_address(const void *left, const void *right)
{
	const struct node *a = left, *b = right;
	return a->address < b->address ? -1 : a->address > b->address;
}

static bool starts_block(const struct walk *walk, uint64_t address)
{
	if (address == walk->result->entry)
		return true;
	for (size_t index = 0; index < walk->node_count; index++) {
		const struct node *node = &walk->nodes[index];
		const struct decoded_instruction *decoded = &node->decoded;
		if ((decoded->flow == FLOW_JUMP || decoded->flow == FLOW_BRANCH) &&
		    decoded->target == address)
			return true;
	}
	for (size_t site = 0; site < walk->result->tdx_count; site++) {
		const struct audit_tdx *tdx = &walk->result->tdx[site];
		if ((tdx->undefined_opcode.resolution == TRAP_FIXED && tdx->undefined_opcode.resume == address) ||
		    (tdx->general_protection.resolution == TRAP_FIXED && tdx->general_protection.resume == address) ||
		    tdx->address + TDX_OPCODE_LENGTH == address)
			return true;
	}
	return false;
}

static void add_successor(struct audit_block *block, uint64_t address)
{
	for (size_t index = 0; index < block->successor_count; index++)
		if (block->successors[index] == address)
			return;
	if (block->successor_count < 4)
		block->successors[block->successor_count++] = address;
}

/* Blocks of the reached instructions, in address order. */
static void build_blocks(struct walk *walk)
{
	struct audit_result *result = walk->result;
	qsort(walk->nodes, walk->node_count, sizeof(*walk->nodes), by_address);
	struct audit_block *block = NULL;
	for (size_t index = 0; index < walk->node_count; index++) {
		const struct node *node = &walk->nodes[index];
		if (!node->reached)
			continue;
		bool contiguous = block && block->end == node->address;
		if (!contiguous || starts_block(walk, node->address)) {
			if (block && contiguous)
				add_successor(block, node->address);
			if (result->block_count == AUDIT_MAX_BLOCKS)
				return;
			block = &result->blocks[result->block_count++];
			memset(block, 0, sizeof(*block));
			block->start = node->address;
		}
		const struct decoded_instruction *decoded = &node->decoded;
		block->end = node->address + (decoded->length ? decoded->length : 1);
		bool thunk;
		bool ends = decoded->flow != FLOW_NEXT;
		if (decoded->flow == FLOW_JUMP || decoded->flow == FLOW_BRANCH) {
			if (!is_return(walk, node, &thunk) && executable(walk->request->image, decoded->target))
				add_successor(block, decoded->target);
			else
				block->leaves = true;
		}
		if (decoded->flow == FLOW_BRANCH || decoded->flow == FLOW_CALL || decoded->flow == FLOW_TDX)
			add_successor(block, block->end);
		if (decoded->flow == FLOW_TDX)
			for (size_t site = 0; site < result->tdx_count; site++) {
				const struct audit_tdx *tdx = &result->tdx[site];
				if (tdx->address != node->address)
					continue;
				if (tdx->undefined_opcode.resolution == TRAP_FIXED)
					add_successor(block, tdx->undefined_opcode.resume);
				if (tdx->general_protection.resolution == TRAP_FIXED)
					add_successor(block, tdx->general_protection.resume);
			}
		if (decoded->flow == FLOW_RETURN || decoded->flow == FLOW_STOP || !decoded->length ||
		    decoded->flow == FLOW_INDIRECT_JUMP)
			block->leaves = true;
		if (ends)
			block = NULL;
	}
}

static void read_tdx_findings(struct walk *walk)
{
	struct audit_result *result = walk->result;
	if (!walk->request->fixups)
		return; /* firmware: a trap is fatal there, and nothing can fix it */
	for (size_t site = 0; site < result->tdx_count; site++) {
		const struct audit_tdx *tdx = &result->tdx[site];
		if (tdx->opcode != TDX_OPCODE_SEAMCALL)
			continue; /* what a host's SEAMCALL raises without TDX; a guest's TDCALL does not */
		const struct {
			const struct audit_fixup *fixup;
			const char *trap;
		} traps[] = {{&tdx->undefined_opcode, "#UD"}, {&tdx->general_protection, "#GP"}};
		for (size_t index = 0; index < 2; index++) {
			if (traps[index].fixup->resolution == TRAP_FIXED ||
			    !walk->request->fixup_promised[index])
				continue; /* fixed, or a trap its binding promises nothing for */
			char detail[VIOLATION_DETAIL_SIZE];
			snprintf(detail, sizeof(detail), "a %s at this %s has no %s entry%s", traps[index].trap,
				 tdx_opcode_mnemonic(tdx->opcode), walk->request->fixups,
				 traps[index].fixup->resolution == TRAP_FIXUP_NOT_MODELLED
					 ? " of a kind tdxabi models" : "");
			add_finding(result, walk, RULE_FAULT_UNHANDLED, -1, tdx->address, tdx->address,
				    index, detail); /* the discriminator tells #UD from #GP */
		}
	}
}

enum tdxabi_status static_audit_run(const struct audit_request *request,
				    struct audit_result *result, struct diagnostic *diagnostic)
{
	memset(result, 0, sizeof(*result));
	const struct image_symbol *symbol = object_image_find_symbol(request->image, request->symbol);
	if (!symbol || !executable(request->image, symbol->address))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: no function '%s'",
				       request->image->file_name, request->symbol);
	return audit_from(request, symbol->address, 0, result, diagnostic);
}

static enum tdxabi_status audit_from(const struct audit_request *request, uint64_t entry_address,
				     unsigned nesting, struct audit_result *result,
				     struct diagnostic *diagnostic)
{
	memset(result, 0, sizeof(*result));
	snprintf(result->function, sizeof(result->function), "%s", request->symbol);
	result->callee_saved = request->callee_saved;
	result->entry = entry_address;
	struct walk walk = {.request = request, .result = result, .nesting = nesting};
	walk.nodes = calloc(MAX_NODES, sizeof(*walk.nodes));
	walk.queue = calloc(MAX_NODES, sizeof(*walk.queue));
	enum tdxabi_status status = walk.nodes && walk.queue
					    ? disassembler_open(&walk.disassembler, diagnostic)
					    : diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	if (status == TDXABI_OK) {
		struct flow_state entry;
		memset(&entry, 0, sizeof(entry));
		entry.depth_kind = DEPTH_KNOWN;
		for (int gpr = 0; gpr < GPR_COUNT; gpr++)
			entry.values[gpr] = (struct abstract_value){VALUE_ENTRY, gpr, 0};
		flow_into(&walk, result->entry, &entry);
		size_t visits = 0;
		while (walk.queue_count && visits++ < MAX_VISITS) {
			struct node *node = &walk.nodes[walk.queue[--walk.queue_count]];
			node->queued = false;
			step(&walk, node);
		}
		if (walk.queue_count)
			note(result, "no fixed point after %d steps: the walk stopped", MAX_VISITS);
		result->instruction_count = 0;
		for (size_t index = 0; index < walk.node_count; index++) {
			bool thunk;
			result->instruction_count += walk.nodes[index].reached;
			if (walk.nodes[index].reached && is_return(&walk, &walk.nodes[index], &thunk))
				read_return(&walk, &walk.nodes[index], thunk);
		}
		for (size_t site = 0; site < result->tdx_count; site++)
			if (!result->tdx[site].reaches_return)
				result->tdx[site].scrubbed = 0;
		read_tdx_findings(&walk);
		build_blocks(&walk);
		append_callee_blocks(&walk);
	}
	for (size_t index = 0; index < walk.callee_count; index++)
		free(walk.callees[index]);
	disassembler_close(walk.disassembler);
	free(walk.nodes);
	free(walk.queue);
	return status;
}
