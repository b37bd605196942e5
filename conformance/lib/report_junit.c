/* report_junit.c - JUnit XML, as GitLab, Jenkins and GitHub test-report
 * actions read it: a testsuite per stub x binding, a testcase per leaf x fault
 * x variant, a <failure> per violation, <skipped> with its reason. */
#include <stdbool.h>

#include "printable_text.h"
#include "registers.h"
#include "report_junit.h"

/* XML text: entities for the markup characters, '?' for what XML 1.0 or
 * UTF-8 cannot hold. */
static void write_escaped(FILE *stream, const char *text)
{
	char printable[1024];
	printable_copy(printable, sizeof(printable), text);
	for (const char *cursor = printable; *cursor; cursor++) {
		switch (*cursor) {
		case '&': fputs("&amp;", stream); break;
		case '<': fputs("&lt;", stream); break;
		case '>': fputs("&gt;", stream); break;
		case '"': fputs("&quot;", stream); break;
		default: fputc(*cursor, stream);
		}
	}
}

static void write_case(FILE *stream, const struct check_result *result)
{
	fputs("    <testcase classname=\"tdxabi.", stream);
	write_escaped(stream, result->stub);
	fputs("\" name=\"", stream);
	write_escaped(stream, result->leaf);
	fputs(" fault=", stream);
	write_escaped(stream, result->fault);
	if (result->variant[0]) {
		fputc(' ', stream);
		write_escaped(stream, result->variant);
	}
	fputs("\">\n", stream);
	if (result->verdict == VERDICT_SKIP) {
		fputs("      <skipped message=\"", stream);
		write_escaped(stream, result->skip_reason);
		fputs("\"/>\n", stream);
	}
	for (size_t index = 0; index < result->violation_count; index++) {
		const struct violation *violation = &result->violations[index];
		fputs("      <failure type=\"", stream);
		write_escaped(stream, rule_id(violation->rule));
		fputs("\" message=\"", stream);
		if (violation->tdx_register >= 0) {
			write_escaped(stream, gpr_display_name((enum gpr)violation->tdx_register));
			fputs(": ", stream);
		}
		write_escaped(stream, violation->detail);
		fputs("\">", stream);
		if (violation->has_expected)
			fprintf(stream, "expected 0x%llx ", (unsigned long long)violation->expected);
		if (violation->has_actual)
			fprintf(stream, "actual 0x%llx ", (unsigned long long)violation->actual);
		if (violation->has_rip) {
			fprintf(stream, "at 0x%llx ", (unsigned long long)violation->rip);
			write_escaped(stream, violation->location);
			fputs(": ", stream);
			write_escaped(stream, violation->instruction);
		}
		fputs("</failure>\n", stream);
	}
	fputs("    </testcase>\n", stream);
}

void report_write_junit(FILE *stream, const struct check_report *report)
{
	struct report_totals totals = check_report_totals(report);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", stream);
	fprintf(stream, "<testsuites name=\"tdxabi\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n",
		report->result_count, totals.fail, totals.skip);
	for (size_t first = 0; first < report->result_count;) {
		size_t end = check_report_group_end(report, first);
		const struct check_result *head = &report->results[first];
		size_t failures = 0, skipped = 0;
		for (size_t index = first; index < end; index++) {
			failures += report->results[index].verdict == VERDICT_FAIL;
			skipped += report->results[index].verdict == VERDICT_SKIP;
		}
		fputs("  <testsuite name=\"", stream);
		write_escaped(stream, head->object);
		fputc(':', stream);
		write_escaped(stream, head->stub);
		fputs(" (", stream);
		write_escaped(stream, head->binding);
		fputs(", ", stream);
		write_escaped(stream, head->spec);
		fprintf(stream, ")\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n", end - first,
			failures, skipped);
		for (size_t index = first; index < end; index++)
			write_case(stream, &report->results[index]);
		fputs("  </testsuite>\n", stream);
		first = end;
	}
	fputs("</testsuites>\n", stream);
}
