/* acceptance.c - acceptance.h: the baseline's fingerprints, the --allow
 * patterns, marking a report's violations, and writing a baseline. */
#include "acceptance.h"

#include <stdlib.h>
#include <string.h>

#include "printable_text.h"
#include "registers.h"

static bool is_fingerprint(const char *text, size_t length)
{
	if (length != FINDING_FINGERPRINT_SIZE - 1)
		return false;
	for (size_t index = 0; index < length; index++)
		if (!strchr("0123456789abcdef", text[index]) || !text[index])
			return false;
	return true;
}

enum tdxabi_status acceptance_read_baseline(struct acceptance *acceptance, const char *name,
					    const char *text, size_t size,
					    struct diagnostic *diagnostic)
{
	snprintf(acceptance->baseline_name, sizeof(acceptance->baseline_name), "%s", name);
	unsigned line = 0;
	for (const char *cursor = text, *end = text + size; cursor < end;) {
		const char *stop = memchr(cursor, '\n', (size_t)(end - cursor));
		if (!stop)
			stop = end;
		line++;
		const char *field = cursor;
		while (field < stop && (*field == ' ' || *field == '\t'))
			field++;
		size_t length = strcspn(field, " \t\n");
		if (field + length > stop)
			length = (size_t)(stop - field);
		cursor = stop + 1;
		if (field == stop || *field == '#')
			continue;
		if (!is_fingerprint(field, length))
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "%s:%u: not a baseline line (a 16-digit fingerprint, "
					       "then what it names, as --write-baseline writes)",
					       name, line);
		char(*grown)[FINDING_FINGERPRINT_SIZE] =
			realloc(acceptance->fingerprints,
				(acceptance->fingerprint_count + 1) * sizeof(*grown));
		if (!grown)
			return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		acceptance->fingerprints = grown;
		memcpy(grown[acceptance->fingerprint_count], field, length);
		grown[acceptance->fingerprint_count++][length] = '\0';
	}
	return TDXABI_OK;
}

enum tdxabi_status acceptance_allow(struct acceptance *acceptance, const char *pattern,
				    struct diagnostic *diagnostic)
{
	struct allowed_finding allowed;
	memset(&allowed, 0, sizeof(allowed));
	snprintf(allowed.pattern, sizeof(allowed.pattern), "%s", pattern);
	char rule[64];
	size_t rule_length = strcspn(pattern, ":");
	snprintf(rule, sizeof(rule), "%.*s", (int)rule_length, pattern);
	int found = -1;
	for (int which = 0; which < RULE_COUNT; which++)
		if (strcmp(rule_id((enum rule)which), rule) == 0)
			found = which;
	if (found < 0)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "--allow '%s': no rule '%s' (see 'tdxabi list rules')", pattern,
				       rule);
	allowed.rule = (enum rule)found;
	const char *rest = pattern + rule_length;
	if (*rest == ':') {
		size_t length = strcspn(++rest, ":");
		snprintf(allowed.function, sizeof(allowed.function), "%.*s", (int)length, rest);
		rest += length;
		if (*rest == ':')
			snprintf(allowed.leaf, sizeof(allowed.leaf), "%s", rest + 1);
	}
	struct allowed_finding *grown =
		realloc(acceptance->allowed, (acceptance->allowed_count + 1) * sizeof(*grown));
	if (!grown)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	acceptance->allowed = grown;
	grown[acceptance->allowed_count++] = allowed;
	return TDXABI_OK;
}

static bool in_baseline(const struct acceptance *acceptance, const char *fingerprint)
{
	for (size_t index = 0; index < acceptance->fingerprint_count; index++)
		if (strcmp(acceptance->fingerprints[index], fingerprint) == 0)
			return true;
	return false;
}

static void accept(const struct acceptance *acceptance, const struct check_result *result,
		   struct violation *violation)
{
	char fingerprint[FINDING_FINGERPRINT_SIZE];
	finding_fingerprint(result, violation, fingerprint);
	if (in_baseline(acceptance, fingerprint)) {
		snprintf(violation->accepted_by, sizeof(violation->accepted_by), "baseline %s",
			 acceptance->baseline_name);
		return;
	}
	for (size_t index = 0; index < acceptance->allowed_count; index++) {
		const struct allowed_finding *allowed = &acceptance->allowed[index];
		if (allowed->rule == violation->rule &&
		    (!allowed->function[0] || strcmp(allowed->function, result->stub) == 0) &&
		    (!allowed->leaf[0] || strcmp(allowed->leaf, result->leaf) == 0)) {
			snprintf(violation->accepted_by, sizeof(violation->accepted_by), "--allow %s",
				 allowed->pattern);
			return;
		}
	}
}

void acceptance_apply(const struct acceptance *acceptance, struct check_report *report)
{
	for (size_t index = 0; index < report->result_count; index++) {
		struct check_result *result = &report->results[index];
		bool every = result->violation_count > 0;
		for (size_t which = 0; which < result->violation_count; which++) {
			accept(acceptance, result, &result->violations[which]);
			every &= result->violations[which].accepted_by[0] != '\0';
		}
		if (every && result->verdict == VERDICT_FAIL)
			result->verdict = VERDICT_PASS;
	}
}

void acceptance_free(struct acceptance *acceptance)
{
	free(acceptance->fingerprints);
	free(acceptance->allowed);
	memset(acceptance, 0, sizeof(*acceptance));
}

static int by_text(const void *left, const void *right)
{
	return strcmp(left, right);
}

void acceptance_write_baseline(FILE *stream, const struct check_report *report)
{
	fputs("# tdxabi baseline: the findings accepted today, one per line: fingerprint,\n"
	      "# rule, function, register, source line. `tdxabi check --baseline FILE`\n"
	      "# reports them without failing; only the fingerprint is read.\n",
	      stream);
	size_t total = 0;
	for (size_t index = 0; index < report->result_count; index++)
		total += report->results[index].violation_count;
	enum { LINE_SIZE = 512 };
	char(*lines)[LINE_SIZE] = calloc(total + 1, sizeof(*lines));
	if (!lines)
		return;
	size_t count = 0;
	for (size_t index = 0; index < report->result_count; index++) {
		const struct check_result *result = &report->results[index];
		for (size_t which = 0; which < result->violation_count; which++) {
			const struct violation *violation = &result->violations[which];
			char fingerprint[FINDING_FINGERPRINT_SIZE], where[VIOLATION_PATH_SIZE + 16];
			finding_fingerprint(result, violation, fingerprint);
			if (violation->source_line)
				snprintf(where, sizeof(where), "%s:%u", violation->source_file,
					 violation->source_line);
			else
				snprintf(where, sizeof(where), "%s", violation->has_rip
								 ? violation->location : "-");
			snprintf(lines[count++], LINE_SIZE, "%s %s %s %s %s", fingerprint,
				 rule_id(violation->rule), result->stub,
				 violation->tdx_register >= 0
					 ? gpr_display_name((enum gpr)violation->tdx_register)
					 : "-",
				 where);
		}
	}
	qsort(lines, count, sizeof(*lines), by_text);
	for (size_t index = 0; index < count; index++)
		if (index == 0 || strncmp(lines[index], lines[index - 1], FINDING_FINGERPRINT_SIZE - 1))
		{
			char printable[LINE_SIZE];
			printable_copy(printable, sizeof(printable), lines[index]);
			fprintf(stream, "%s\n", printable);
		}
	free(lines);
}
