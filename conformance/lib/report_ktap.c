/* report_ktap.c - KTAP version 1, nested spec revision -> function -> leaf:
 * a leaf is "not ok" when any of its cases (faults, variants, build
 * variants) failed, "ok ... # SKIP" when all were skipped, and its first
 * finding follows as a diagnostic line. Names lose '#' and line breaks. */
#include "report_ktap.h"

#include <stdlib.h>
#include <string.h>

#include "printable_text.h"
#include "registers.h"

/* The names of one level: distinct values of a result field, in order. */
struct level {
	const char **names;
	size_t count;
};

typedef const char *(*field_of)(const struct check_result *result);

static const char *spec_of(const struct check_result *result) { return result->spec; }
static const char *stub_of(const struct check_result *result) { return result->stub; }
static const char *leaf_of(const struct check_result *result) { return result->leaf; }

/* Whether a result is under the chosen spec and stub (NULL: any). */
static bool under(const struct check_result *result, const char *spec, const char *stub)
{
	return (!spec || strcmp(result->spec, spec) == 0) && (!stub || strcmp(result->stub, stub) == 0);
}

static bool level_collect(const struct check_report *report, const char *spec, const char *stub,
			  field_of field, struct level *level)
{
	level->names = calloc(report->result_count + 1, sizeof(*level->names));
	level->count = 0;
	if (!level->names)
		return false;
	for (size_t index = 0; index < report->result_count; index++) {
		const struct check_result *result = &report->results[index];
		if (!under(result, spec, stub))
			continue;
		const char *name = field(result);
		bool known = false;
		for (size_t which = level->count; which > 0 && !known; which--)
			known = strcmp(level->names[which - 1], name) == 0;
		if (!known)
			level->names[level->count++] = name;
	}
	return true;
}

static void write_name(FILE *stream, const char *name)
{
	char printable[RESULT_NAME_SIZE * 2];
	printable_copy(printable, sizeof(printable), name);
	for (char *cursor = printable; *cursor; cursor++)
		fputc(*cursor == '#' ? '_' : *cursor, stream);
}

struct tally {
	size_t pass, fail, skip;
	const struct check_result *first_failure;
	const struct check_result *first_skip;
};

static void write_line(FILE *stream, int depth, size_t number, const char *name,
		       const struct tally *tally)
{
	fprintf(stream, "%*s%s %zu ", depth * 4, "", tally->fail ? "not ok" : "ok", number);
	write_name(stream, name);
	if (!tally->fail && !tally->pass) {
		fputs(" # SKIP", stream);
		if (tally->first_skip && tally->first_skip->skip_reason[0]) {
			fputc(' ', stream);
			write_name(stream, tally->first_skip->skip_reason);
		}
	}
	fputc('\n', stream);
}

static void tally_add(struct tally *tally, const struct check_result *result)
{
	tally->pass += result->verdict == VERDICT_PASS;
	tally->fail += result->verdict == VERDICT_FAIL;
	tally->skip += result->verdict == VERDICT_SKIP;
	if (result->verdict == VERDICT_FAIL && !tally->first_failure)
		tally->first_failure = result;
	if (result->verdict == VERDICT_SKIP && !tally->first_skip)
		tally->first_skip = result;
}

static void write_diagnostic(FILE *stream, int depth, const struct check_result *result)
{
	const struct violation *violation = &result->violations[0];
	char text[1024], printable[1024];
	char where[VIOLATION_PATH_SIZE + 16] = "";
	if (violation->source_line)
		snprintf(where, sizeof(where), "%s:%u: ", violation->source_file,
			 violation->source_line);
	snprintf(text, sizeof(text), "%s%s: %s: %s%s%s (fault %s%s%s%s%s)", where, result->object,
		 rule_id(violation->rule),
		 violation->tdx_register >= 0 ? gpr_display_name((enum gpr)violation->tdx_register)
					      : "",
		 violation->tdx_register >= 0 ? ": " : "", violation->detail, result->fault,
		 result->variant[0] ? ", " : "", result->variant,
		 result->build_variant[0] ? ", build " : "", result->build_variant);
	printable_copy(printable, sizeof(printable), text);
	fprintf(stream, "%*s# %s\n", depth * 4, "", printable);
}

static void write_leaves(FILE *stream, const struct check_report *report, const char *spec,
			 const char *stub, struct tally *function_tally)
{
	struct level leaves;
	if (!level_collect(report, spec, stub, leaf_of, &leaves))
		return;
	fprintf(stream, "        KTAP version 1\n        # Subtest: ");
	write_name(stream, stub);
	fprintf(stream, "\n        1..%zu\n", leaves.count);
	for (size_t number = 0; number < leaves.count; number++) {
		struct tally tally = {0};
		for (size_t index = 0; index < report->result_count; index++) {
			const struct check_result *result = &report->results[index];
			if (under(result, spec, stub) && strcmp(result->leaf, leaves.names[number]) == 0)
				tally_add(&tally, result);
		}
		if (tally.first_failure && tally.first_failure->violation_count)
			write_diagnostic(stream, 2, tally.first_failure);
		write_line(stream, 2, number + 1, leaves.names[number], &tally);
		function_tally->pass += tally.pass;
		function_tally->fail += tally.fail;
		function_tally->skip += tally.skip;
		if (!function_tally->first_skip)
			function_tally->first_skip = tally.first_skip;
	}
	free(leaves.names);
}

void report_write_ktap(FILE *stream, const struct check_report *report)
{
	struct level specs;
	fputs("KTAP version 1\n", stream);
	if (!level_collect(report, NULL, NULL, spec_of, &specs)) {
		fputs("1..0 # SKIP out of memory\n", stream);
		return;
	}
	fprintf(stream, "1..%zu\n", specs.count);
	for (size_t spec = 0; spec < specs.count; spec++) {
		struct level stubs;
		struct tally spec_tally = {0};
		if (!level_collect(report, specs.names[spec], NULL, stub_of, &stubs))
			break;
		fputs("    KTAP version 1\n    # Subtest: ", stream);
		write_name(stream, specs.names[spec]);
		fprintf(stream, "\n    1..%zu\n", stubs.count);
		for (size_t stub = 0; stub < stubs.count; stub++) {
			struct tally tally = {0};
			write_leaves(stream, report, specs.names[spec], stubs.names[stub], &tally);
			write_line(stream, 1, stub + 1, stubs.names[stub], &tally);
			spec_tally.pass += tally.pass;
			spec_tally.fail += tally.fail;
			spec_tally.skip += tally.skip;
		}
		free(stubs.names);
		write_line(stream, 0, spec + 1, specs.names[spec], &spec_tally);
	}
	free(specs.names);
}
