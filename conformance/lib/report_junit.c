/* report_junit.c - JUnit XML valid under the Jenkins xUnit schema, as
 * GitLab, Jenkins and GitHub test-report actions read it: a testsuite per
 * stub x binding x build variant, a testcase per leaf x fault x variant with
 * its time, a <failure> per violation starting file:line, <skipped> with its
 * reason, accepted findings in <system-out>. */
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

/* classname: the stub, with the object and its build variant, so that
 * each build variant's cases have names of their own. */
static void write_class_name(FILE *stream, const struct check_result *result)
{
	fputs("tdxabi.", stream);
	write_escaped(stream, result->object);
	fputc('.', stream);
	write_escaped(stream, result->stub);
	if (result->build_variant[0]) {
		fputc('[', stream);
		write_escaped(stream, result->build_variant);
		fputc(']', stream);
	}
}

static void write_failure(FILE *stream, const struct violation *violation)
{
	char where[VIOLATION_PATH_SIZE + 16] = "";
	if (violation->source_line)
		snprintf(where, sizeof(where), "%s:%u: ", violation->source_file,
			 violation->source_line);
	fputs("      <failure type=\"", stream);
	write_escaped(stream, rule_id(violation->rule));
	fputs("\" message=\"", stream);
	write_escaped(stream, where);
	if (violation->tdx_register >= 0) {
		write_escaped(stream, gpr_display_name((enum gpr)violation->tdx_register));
		fputs(": ", stream);
	}
	write_escaped(stream, violation->detail);
	fputs("\">", stream);
	if (violation->source_line) {
		write_escaped(stream, where);
		write_escaped(stream, violation->source_text);
		fputc('\n', stream);
	}
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

static void write_case(FILE *stream, const struct check_result *result)
{
	fputs("    <testcase classname=\"", stream);
	write_class_name(stream, result);
	fputs("\" name=\"", stream);
	write_escaped(stream, result->leaf);
	fputs(" fault=", stream);
	write_escaped(stream, result->fault);
	if (result->variant[0]) {
		fputc(' ', stream);
		write_escaped(stream, result->variant);
	}
	fprintf(stream, "\" time=\"%.3f\">\n", result->seconds);
	if (result->verdict == VERDICT_SKIP) {
		fputs("      <skipped message=\"", stream);
		write_escaped(stream, result->skip_reason);
		fputs("\"/>\n", stream);
	}
	bool accepted = false;
	for (size_t index = 0; index < result->violation_count; index++) {
		if (result->violations[index].accepted_by[0])
			accepted = true;
		else
			write_failure(stream, &result->violations[index]);
	}
	if (accepted) {
		fputs("      <system-out>", stream);
		for (size_t index = 0; index < result->violation_count; index++) {
			const struct violation *violation = &result->violations[index];
			if (!violation->accepted_by[0])
				continue;
			fputs("accepted (", stream);
			write_escaped(stream, violation->accepted_by);
			fputs("): ", stream);
			write_escaped(stream, rule_id(violation->rule));
			fputs(": ", stream);
			write_escaped(stream, violation->detail);
			fputc('\n', stream);
		}
		fputs("</system-out>\n", stream);
	}
	fputs("    </testcase>\n", stream);
}

/* The source file a suite's findings point at, or NULL. */
static const char *suite_file(const struct check_report *report, size_t first, size_t end)
{
	for (size_t index = first; index < end; index++)
		for (size_t which = 0; which < report->results[index].violation_count; which++)
			if (report->results[index].violations[which].source_line)
				return report->results[index].violations[which].source_file;
	return NULL;
}

void report_junit_suites(FILE *stream, const struct check_report *report)
{
	for (size_t first = 0; first < report->result_count;) {
		size_t end = check_report_group_end(report, first);
		const struct check_result *head = &report->results[first];
		size_t failures = 0, skipped = 0;
		double suite_seconds = 0;
		for (size_t index = first; index < end; index++) {
			failures += report->results[index].verdict == VERDICT_FAIL;
			skipped += report->results[index].verdict == VERDICT_SKIP;
			suite_seconds += report->results[index].seconds;
		}
		fputs("  <testsuite name=\"", stream);
		write_escaped(stream, head->object);
		if (head->build_variant[0]) {
			fputs(" [", stream);
			write_escaped(stream, head->build_variant);
			fputc(']', stream);
		}
		fputc(':', stream);
		write_escaped(stream, head->stub);
		fputs(" (", stream);
		write_escaped(stream, head->binding);
		fputs(", ", stream);
		write_escaped(stream, head->spec);
		fprintf(stream, ")\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" "
				"time=\"%.3f\"",
			end - first, failures, skipped, suite_seconds);
		const char *file = suite_file(report, first, end);
		if (file) {
			fputs(" file=\"", stream);
			write_escaped(stream, file);
			fputc('"', stream);
		}
		fputs(">\n", stream);
		for (size_t index = first; index < end; index++)
			write_case(stream, &report->results[index]);
		fputs("  </testsuite>\n", stream);
		first = end;
	}
}

void report_junit_write(FILE *stream, const struct report_digest *digest, FILE *suites)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", stream);
	fprintf(stream,
		"<testsuites name=\"tdxabi\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		"time=\"%.3f\">\n",
		digest->case_count, digest->totals.fail, digest->seconds);
	char buffer[8192];
	rewind(suites);
	for (size_t got; (got = fread(buffer, 1, sizeof(buffer), suites)) > 0;)
		fwrite(buffer, 1, got, stream);
	fputs("</testsuites>\n", stream);
}
