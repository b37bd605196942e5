/* worker_death_finding.c - worker_death_add_finding() of worker_death_finding.h. */
#define _GNU_SOURCE
#include "worker_death_finding.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "disassembler.h"

/* The instruction at address as the object holds it (code a stub wrote at
 * run time is not there: it is named by its address only). */
static void describe_instruction(const struct object_image *image, uint64_t address, char *text,
				 size_t size)
{
	snprintf(text, size, "(not in the object)");
	for (size_t index = 0; index < image->section_count; index++) {
		const struct image_section *section = &image->sections[index];
		if (!section->executable || address < section->address ||
		    address - section->address >= section->size)
			continue;
		struct disassembler *disassembler;
		struct diagnostic ignored;
		if (disassembler_open(&disassembler, &ignored) != TDXABI_OK)
			return;
		uint64_t offset = address - section->address;
		disassembler_format(disassembler, section->bytes + offset, section->size - offset,
				    address, text, size);
		disassembler_close(disassembler);
		return;
	}
}

static void describe_end(const struct worker_death *death, char *text, size_t size)
{
	const char *name = death->signal ? sigabbrev_np(death->signal) : NULL;
	if (death->timed_out)
		snprintf(text, size, "ran past the wall-clock bound of %g s and was killed",
			 death->seconds);
	else if (death->signal)
		snprintf(text, size, "was killed by SIG%s%s", name ? name : "?",
			 death->signal == SIGABRT || death->signal == SIGKILL
				 ? " (the emulator aborted, or the worker passed its memory bound)"
				 : "");
	else
		snprintf(text, size, "exited with status %d", death->exit_status);
}

enum tdxabi_status worker_death_add_finding(const struct object_image *image,
					    struct finding_source *source,
					    const struct worker_death *death,
					    struct check_result *result,
					    struct diagnostic *diagnostic)
{
	struct violation violation;
	memset(&violation, 0, sizeof(violation));
	violation.rule = RULE_EMULATION_FAULT;
	violation.tdx_register = -1;
	violation.observed = OBSERVED_INSTRUCTION;
	/* told apart from the engine's own faults, and by how the worker ended */
	violation.discriminator = 1ull << 40 | (uint64_t)death->timed_out << 39 |
				  (uint64_t)death->while_opening << 38 |
				  (uint64_t)(unsigned)death->signal << 8 |
				  (uint64_t)(unsigned)death->exit_status;
	char end[160];
	describe_end(death, end, sizeof(end));
	if (death->while_opening) {
		snprintf(violation.detail, sizeof(violation.detail),
			 "the worker loading the object %s", end);
	} else if (death->has_rip) {
		violation.has_rip = true;
		violation.rip = death->rip;
		object_image_describe_address(image, death->rip, violation.location,
					      sizeof(violation.location));
		describe_instruction(image, death->rip, violation.instruction,
				     sizeof(violation.instruction));
		snprintf(violation.detail, sizeof(violation.detail),
			 "the worker running this case %s, at its last instruction %s", end,
			 violation.location);
	} else if (!death->recurred) {
		snprintf(violation.detail, sizeof(violation.detail),
			 "the worker running this case %s; run again alone, traced, the case "
			 "ended, so no instruction is named", end);
	} else {
		snprintf(violation.detail, sizeof(violation.detail),
			 "the worker running this case %s before its first instruction", end);
	}
	enum tdxabi_status status = check_result_add_violation(result, &violation, diagnostic);
	if (status == TDXABI_OK && source)
		finding_source_fill(source, result);
	return status;
}
