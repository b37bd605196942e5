/* report_text.c - the readable report: a line per stub x binding, then its
 * findings objtool-style ("object: symbol+0xOFF: rule: detail"), the same
 * finding in several cases printed once with the count, then a summary. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "printable_text.h"
#include "finding_groups.h"
#include "registers.h"
#include "report_text.h"

#define MAX_FINDINGS_PER_STUB 25

/* Writes one formatted line, each byte a terminal could act on made '?'. */
static void write_line(FILE *stream, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void write_line(FILE *stream, const char *format, ...)
{
	char line[1024], printable[1024];
	va_list arguments;
	va_start(arguments, format);
	vsnprintf(line, sizeof(line), format, arguments);
	va_end(arguments);
	printable_copy(printable, sizeof(printable), line);
	fprintf(stream, "%s\n", printable);
}

#define COLOUR_FAIL "\033[1;31m"
#define COLOUR_PASS "\033[32m"
#define COLOUR_RULE "\033[1m"
#define COLOUR_END "\033[0m"

static const char *colour(const struct report_options *options, const char *code)
{
	return options && options->colour ? code : "";
}

static void write_finding(FILE *stream, const struct check_result *result,
			  const struct violation *violation, const struct finding_group *count,
			  const struct report_options *options)
{
	char registers[16] = "", instruction[VIOLATION_TEXT_SIZE + 4] = "", tail[192] = "";
	char seen[VIOLATION_TEXT_SIZE + 16] = "", source[VIOLATION_PATH_SIZE + 16] = "";
	char invoked[VIOLATION_PATH_SIZE + 32] = "", head[2 * RESULT_NAME_SIZE + VIOLATION_PATH_SIZE];
	char body[1024];
	if (violation->tdx_register >= 0)
		snprintf(registers, sizeof(registers), "%s: ",
			 gpr_display_name((enum gpr)violation->tdx_register));
	if (violation->has_rip && violation->instruction[0])
		snprintf(instruction, sizeof(instruction), " [%s]", violation->instruction);
	if (violation->has_seen_rip)
		snprintf(seen, sizeof(seen), ", seen at %s", violation->seen_location);
	if (violation->source_line)
		snprintf(source, sizeof(source), "%s:%u: ", violation->source_file,
			 violation->source_line);
	if (violation->invoked_line)
		snprintf(invoked, sizeof(invoked), ", in the macro invoked at %s:%u",
			 violation->invoked_file, violation->invoked_line);
	size_t used = 0;
	if (count->cases > 1)
		used += (size_t)snprintf(tail, sizeof(tail), " and %zu more case%s", count->cases - 1,
					 count->cases == 2 ? "" : "s");
	if (count->scope_variants > 1 && used < sizeof(tail))
		snprintf(tail + used, sizeof(tail) - used, ", in %zu of %zu build variants",
			 count->variants, count->scope_variants);
	if (violation->accepted_by[0] && used < sizeof(tail))
		snprintf(tail + used, sizeof(tail) - used, " [accepted: %.60s]", violation->accepted_by);
	snprintf(head, sizeof(head), "%s%s: %s: ", source, result->object,
		 violation->location[0] ? violation->location : result->stub);
	snprintf(body, sizeof(body), "%s%s%s (leaf %s, fault %s%s%s%s%s)%s", registers,
		 violation->detail, instruction, result->leaf, result->fault,
		 result->variant[0] ? ", " : "", result->variant, seen, invoked, tail);
	char printable_head[sizeof(head)], printable_body[sizeof(body)];
	printable_copy(printable_head, sizeof(printable_head), head);
	printable_copy(printable_body, sizeof(printable_body), body);
	fprintf(stream, "  %s%s%s%s: %s\n", printable_head, colour(options, COLOUR_RULE),
		rule_id(violation->rule), colour(options, COLOUR_END), printable_body);
}

void report_write_findings(FILE *stream, const struct check_report *report,
			   const struct finding_scope *scope, const struct report_options *options)
{
	struct finding_group *groups;
	size_t count;
	if (finding_groups_collect(report, scope, &groups, &count) != TDXABI_OK) {
		fputs("  (out of memory listing the findings)\n", stream);
		return;
	}
	size_t printed = 0;
	char command[1024];
	for (; printed < count && printed < MAX_FINDINGS_PER_STUB; printed++) {
		const struct check_result *result = &report->results[groups[printed].result];
		write_finding(stream, result, groups[printed].violation, &groups[printed], options);
		command[0] = '\0';
		if (options && options->trace_command)
			options->trace_command(options->trace_context, result, command, sizeof(command));
		/* the command of the case the findings were seen in, after the last of them */
		bool next_same_case = printed + 1 < count && printed + 1 < MAX_FINDINGS_PER_STUB &&
				      groups[printed + 1].result == groups[printed].result;
		if (command[0] && !next_same_case)
			write_line(stream, "    trace: %s", command);
	}
	if (count > printed)
		fprintf(stream, "  ... %zu more distinct findings (see --format json)\n",
			count - printed);
	free(groups);
}

void report_write_text(FILE *stream, const struct report_digest *digest,
		       const struct report_options *options)
{
	int name_width = 0, binding_width = 0;
	for (size_t index = 0; index < digest->stub_count; index++) {
		const struct check_result *head = &digest->stubs[index].head;
		int width = (int)(strlen(head->object) + 1 + strlen(head->stub));
		name_width = width > name_width ? width : name_width;
		width = (int)strlen(head->binding);
		binding_width = width > binding_width ? width : binding_width;
	}
	for (size_t index = 0; index < digest->stub_count; index++) {
		const struct stub_line *group = &digest->stubs[index];
		const struct check_result *head = &group->head;
		bool findings = group->findings_end > group->findings_first;
		if (!group->fail && !findings && options && options->quiet)
			continue;
		char name[2 * RESULT_NAME_SIZE + 2], line[1024], printable[1024];
		snprintf(name, sizeof(name), "%s:%s", head->object, head->stub);
		snprintf(line, sizeof(line), "%-*s  %-*s  spec %s: %zu pass, %zu fail, %zu skip",
			 name_width, name, binding_width, head->binding, head->spec, group->pass,
			 group->fail, group->skip);
		printable_copy(printable, sizeof(printable), line);
		fprintf(stream, "%s%s%s %s\n", colour(options, group->fail ? COLOUR_FAIL : COLOUR_PASS),
			group->fail ? "FAIL" : "PASS", colour(options, COLOUR_END), printable);
		if (findings) {
			struct finding_scope scope = {group->findings_first, group->findings_end, NULL, 0};
			report_write_findings(stream, &digest->findings, &scope, options);
		}
	}
	size_t stubs = digest->stub_count;
	fprintf(stream, "summary: %zu stub%s, %zu cases: %zu pass, %zu fail, %zu skip\n", stubs,
		stubs == 1 ? "" : "s", digest->case_count, digest->totals.pass, digest->totals.fail,
		digest->totals.skip);
}
