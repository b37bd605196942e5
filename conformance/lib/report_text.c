/* report_text.c - the readable report: a line per stub x binding, then its
 * findings objtool-style ("object: symbol+0xOFF: rule: detail"), the same
 * finding in several cases printed once with the count, then a summary. */
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "printable_text.h"
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

static void write_finding(FILE *stream, const struct check_result *result,
			  const struct violation *violation, size_t more)
{
	char registers[16] = "", instruction[VIOLATION_TEXT_SIZE + 4] = "", tail[48] = "";
	char seen[VIOLATION_TEXT_SIZE + 16] = "", source[VIOLATION_PATH_SIZE + 16] = "";
	char invoked[VIOLATION_PATH_SIZE + 32] = "";
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
	if (more)
		snprintf(tail, sizeof(tail), " and %zu more case%s", more, more == 1 ? "" : "s");
	write_line(stream, "  %s%s: %s: %s: %s%s%s (leaf %s, fault %s%s%s%s%s)%s", source,
		   result->object, violation->location[0] ? violation->location : result->stub,
		   rule_id(violation->rule), registers, violation->detail, instruction, result->leaf,
		   result->fault, result->variant[0] ? ", " : "", result->variant, seen, invoked,
		   tail);
}

/* Prints each distinct finding of the group once, with how many other
 * cases showed it. */
void report_write_findings(FILE *stream, const struct check_report *report, size_t first,
			   size_t end)
{
	size_t printed = 0, suppressed = 0;
	for (size_t index = first; index < end; index++) {
		const struct check_result *result = &report->results[index];
		for (size_t which = 0; which < result->violation_count; which++) {
			const struct violation *violation = &result->violations[which];
			bool earlier = false;
			for (size_t before = first; before <= index && !earlier; before++) {
				const struct check_result *other = &report->results[before];
				size_t limit = before == index ? which : other->violation_count;
				for (size_t k = 0; k < limit && !earlier; k++)
					earlier = violation_same_finding(&other->violations[k], violation);
			}
			if (earlier)
				continue;
			size_t more = 0;
			for (size_t after = index + 1; after < end; after++)
				for (size_t k = 0; k < report->results[after].violation_count; k++)
					if (violation_same_finding(&report->results[after].violations[k], violation)) {
						more++;
						break;
					}
			if (printed == MAX_FINDINGS_PER_STUB) {
				suppressed++;
				continue;
			}
			write_finding(stream, result, violation, more);
			printed++;
		}
	}
	if (suppressed)
		fprintf(stream, "  ... %zu more distinct findings (see --format json)\n", suppressed);
}

void report_write_text(FILE *stream, const struct check_report *report)
{
	size_t stubs = 0;
	for (size_t first = 0; first < report->result_count;) {
		size_t end = check_report_group_end(report, first);
		const struct check_result *head = &report->results[first];
		size_t pass = 0, fail = 0, skip = 0;
		for (size_t index = first; index < end; index++) {
			enum verdict verdict = report->results[index].verdict;
			pass += verdict == VERDICT_PASS;
			fail += verdict == VERDICT_FAIL;
			skip += verdict == VERDICT_SKIP;
		}
		write_line(stream, "%s %s:%s  %s  spec %s: %zu pass, %zu fail, %zu skip",
			   fail ? "FAIL" : "PASS", head->object, head->stub, head->binding, head->spec,
			   pass, fail, skip);
		if (fail)
			report_write_findings(stream, report, first, end);
		stubs++;
		first = end;
	}
	struct report_totals totals = check_report_totals(report);
	fprintf(stream, "summary: %zu stub%s, %zu cases: %zu pass, %zu fail, %zu skip\n", stubs,
		stubs == 1 ? "" : "s", report->result_count, totals.pass, totals.fail, totals.skip);
}
