/* trace_report.c - `tdxabi trace`'s listing of one case: the registers at
 * entry, then per instruction its address, symbol+offset, source line,
 * disassembly and what it changed (registers, memory, the module's answer),
 * then how the call ended and the case's findings. */
#include "trace_report.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "flagged_values.h"
#include "printable_text.h"
#include "report_text.h"

#define COLUMN_SIZE 96

struct listed_step {
	char location[COLUMN_SIZE];
	char line[COLUMN_SIZE + 16];
	char instruction[COLUMN_SIZE];
};

/* The registers (and RFLAGS) after step index: those before the next step,
 * or the call's end for the last. */
static const uint64_t *registers_after(const struct traced_case *traced, size_t index,
				       uint64_t *rflags)
{
	size_t count = call_trace_count(traced->trace);
	if (index + 1 < count) {
		const struct trace_step *next = call_trace_step(traced->trace, index + 1);
		*rflags = next->rflags;
		return next->registers;
	}
	*rflags = traced->outcome->rflags;
	return traced->outcome->registers;
}

static void append(char *text, size_t size, size_t *used, const char *format, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *text, size_t size, size_t *used, const char *format, ...)
{
	if (*used >= size)
		return;
	va_list arguments;
	va_start(arguments, format);
	int written = vsnprintf(text + *used, size - *used, format, arguments);
	va_end(arguments);
	if (written > 0)
		*used += (size_t)written;
}

/* " RAX=0x.. (the caller's R12 at entry)" for a value, with what its tag says. */
static void append_value(char *text, size_t size, size_t *used, const char *name, uint64_t value,
			 const struct traced_case *traced)
{
	char described[192];
	flagged_value_describe(traced->model, traced->nonce, value, described, sizeof(described));
	append(text, size, used, " %s=%s", name, described);
}

static void write_changes(FILE *stream, const struct traced_case *traced, size_t index)
{
	const struct trace_step *step = call_trace_step(traced->trace, index);
	uint64_t rflags;
	const uint64_t *after = registers_after(traced, index, &rflags);
	char text[1024];
	size_t used = 0;
	text[0] = '\0';
	if (step->tdx)
		append(text, sizeof(text), &used, " module answered:");
	for (int gpr = 0; gpr < GPR_COUNT; gpr++)
		if (after[gpr] != step->registers[gpr])
			append_value(text, sizeof(text), &used, gpr_display_name((enum gpr)gpr),
				     after[gpr], traced);
	if (rflags != step->rflags)
		append(text, sizeof(text), &used, " RFLAGS=0x%" PRIx64, rflags);
	if (step->write_size) {
		uint64_t value = step->write_size >= 8 ? step->write_value
				 : step->write_value & ((1ull << (8 * step->write_size)) - 1);
		append(text, sizeof(text), &used, " [0x%" PRIx64 "]=0x%" PRIx64 " (%u byte%s)",
		       step->write_address, value, step->write_size, step->write_size == 1 ? "" : "s");
	}
	char printable[1024];
	printable_copy(printable, sizeof(printable), text);
	fputs(printable, stream);
}

static void list_step(const struct traced_case *traced, size_t index, struct listed_step *listed)
{
	const struct trace_step *step = call_trace_step(traced->trace, index);
	object_image_describe_address(traced->target->image, step->rip, listed->location,
				      sizeof(listed->location));
	struct source_location location;
	if (finding_source_locate(traced->source, step->rip, &location))
		snprintf(listed->line, sizeof(listed->line), "%s:%u",
			 strrchr(location.file, '/') ? strrchr(location.file, '/') + 1 : location.file,
			 location.line);
	else
		snprintf(listed->line, sizeof(listed->line), "?");
	machine_describe_instruction(traced->machine, step->rip, listed->instruction,
				     sizeof(listed->instruction));
}

static void write_entry(FILE *stream, const struct traced_case *traced)
{
	enum { PER_LINE = 4 };
	for (int first = 0; first < GPR_COUNT; first += PER_LINE) {
		char text[1024], printable[1024];
		size_t used = 0;
		text[0] = '\0';
		for (int gpr = first; gpr < first + PER_LINE && gpr < GPR_COUNT; gpr++)
			append_value(text, sizeof(text), &used, gpr_display_name((enum gpr)gpr),
				     traced->entry_registers[gpr], traced);
		printable_copy(printable, sizeof(printable), text);
		fprintf(stream, "%s%s\n", first ? "      " : "entry:", printable);
	}
}

enum tdxabi_status trace_report_write(FILE *stream, const struct traced_case *traced,
				      const struct report_options *options,
				      struct diagnostic *diagnostic)
{
	const struct check_result *result = traced->result;
	char heading[1024], printable[1024];
	snprintf(heading, sizeof(heading),
		 "trace %s:%s%s%s%s  %s  spec %s  leaf %s  fault %s  variant %s  tag nonce 0x%" PRIx64,
		 result->object, result->stub, result->build_variant[0] ? " [" : "",
		 result->build_variant, result->build_variant[0] ? "]" : "", result->binding,
		 result->spec, result->leaf, result->fault,
		 result->variant[0] ? result->variant : "plain", traced->nonce);
	printable_copy(printable, sizeof(printable), heading);
	fprintf(stream, "%s\n", printable);
	write_entry(stream, traced);
	size_t count = call_trace_count(traced->trace);
	if (traced->trace->recorded > count)
		fprintf(stream, "(%zu earlier instructions not kept)\n",
			(size_t)traced->trace->recorded - count);
	struct listed_step *listed = calloc(count ? count : 1, sizeof(*listed));
	if (!listed)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	int location_width = 0, line_width = 0, instruction_width = 0;
	for (size_t index = 0; index < count; index++) {
		list_step(traced, index, &listed[index]);
		int widths[] = {(int)strlen(listed[index].location), (int)strlen(listed[index].line),
				(int)strlen(listed[index].instruction)};
		location_width = widths[0] > location_width ? widths[0] : location_width;
		line_width = widths[1] > line_width ? widths[1] : line_width;
		instruction_width = widths[2] > instruction_width ? widths[2] : instruction_width;
	}
	for (size_t index = 0; index < count; index++) {
		const struct trace_step *step = call_trace_step(traced->trace, index);
		snprintf(heading, sizeof(heading), "%#8" PRIx64 "  %-*s  %-*s  %-*s ", step->rip,
			 location_width, listed[index].location, line_width, listed[index].line,
			 instruction_width, listed[index].instruction);
		printable_copy(printable, sizeof(printable), heading);
		fputs(printable, stream);
		write_changes(stream, traced, index);
		fputc('\n', stream);
	}
	free(listed);
	fprintf(stream, "end: the call %s after %zu instruction%s; %s", call_end_name(traced->outcome->end),
		(size_t)traced->trace->recorded, traced->trace->recorded == 1 ? "" : "s",
		verdict_name(result->verdict));
	if (result->verdict == VERDICT_SKIP)
		fprintf(stream, " (%s)", result->skip_reason);
	fputc('\n', stream);
	if (result->violation_count) {
		struct check_report single = {.results = (struct check_result *)result,
					      .result_count = 1};
		struct finding_scope scope = {0, 1, NULL, 0};
		report_write_findings(stream, &single, &scope, options);
	}
	return TDXABI_OK;
}
