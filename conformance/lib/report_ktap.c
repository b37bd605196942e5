/* report_ktap.c - KTAP version 1, nested spec revision -> function -> leaf:
 * a leaf is "not ok" when any of its cases (faults, variants, build
 * variants) failed, "ok ... # SKIP" when all were skipped, and its first
 * finding follows as a diagnostic line. Names lose '#' and line breaks. */
#include "report_ktap.h"

#include <stdlib.h>
#include <string.h>

#include "printable_text.h"
#include "registers.h"

static void write_name(FILE *stream, const char *name)
{
	char printable[RESULT_NAME_SIZE * 2];
	printable_copy(printable, sizeof(printable), name);
	for (char *cursor = printable; *cursor; cursor++)
		fputc(*cursor == '#' ? '_' : *cursor, stream);
}

struct tally {
	size_t pass, fail, skip;
	const char *first_skip_reason; /* NULL when none was skipped */
};

static void write_line(FILE *stream, int depth, size_t number, const char *name,
		       const struct tally *tally)
{
	fprintf(stream, "%*s%s %zu ", depth * 4, "", tally->fail ? "not ok" : "ok", number);
	write_name(stream, name);
	if (!tally->fail && !tally->pass) {
		fputs(" # SKIP", stream);
		if (tally->first_skip_reason && tally->first_skip_reason[0]) {
			fputc(' ', stream);
			write_name(stream, tally->first_skip_reason);
		}
	}
	fputc('\n', stream);
}

static void tally_add(struct tally *into, const struct tally *part)
{
	into->pass += part->pass;
	into->fail += part->fail;
	into->skip += part->skip;
	if (!into->first_skip_reason)
		into->first_skip_reason = part->first_skip_reason;
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

/* Whether tally `index` is the first of its spec (stub NULL) or of its
 * stub under its spec. */
static bool first_of(const struct report_digest *digest, size_t index, bool by_stub)
{
	const struct leaf_tally *leaf = &digest->leaves[index];
	for (size_t before = 0; before < index; before++) {
		const struct leaf_tally *earlier = &digest->leaves[before];
		if (strcmp(earlier->spec, leaf->spec) == 0 &&
		    (!by_stub || strcmp(earlier->stub, leaf->stub) == 0))
			return false;
	}
	return true;
}

static bool under(const struct leaf_tally *leaf, const char *spec, const char *stub)
{
	return strcmp(leaf->spec, spec) == 0 && (!stub || strcmp(leaf->stub, stub) == 0);
}

static size_t count_firsts(const struct report_digest *digest, const char *spec, bool by_stub)
{
	size_t count = 0;
	for (size_t index = 0; index < digest->leaf_count; index++)
		count += (!spec || under(&digest->leaves[index], spec, NULL)) &&
			 first_of(digest, index, by_stub);
	return count;
}

static void write_leaves(FILE *stream, const struct report_digest *digest, const char *spec,
			 const char *stub, struct tally *function_tally)
{
	size_t count = 0;
	for (size_t index = 0; index < digest->leaf_count; index++)
		count += under(&digest->leaves[index], spec, stub);
	fprintf(stream, "        KTAP version 1\n        # Subtest: ");
	write_name(stream, stub);
	fprintf(stream, "\n        1..%zu\n", count);
	size_t number = 0;
	for (size_t index = 0; index < digest->leaf_count; index++) {
		const struct leaf_tally *leaf = &digest->leaves[index];
		if (!under(leaf, spec, stub))
			continue;
		struct tally tally = {leaf->pass, leaf->fail, leaf->skip,
				      leaf->skipped ? leaf->first_skip_reason : NULL};
		if (leaf->first_failure != SIZE_MAX)
			write_diagnostic(stream, 2, &digest->findings.results[leaf->first_failure]);
		write_line(stream, 2, ++number, leaf->leaf, &tally);
		tally_add(function_tally, &tally);
	}
}

void report_write_ktap(FILE *stream, const struct report_digest *digest)
{
	fputs("KTAP version 1\n", stream);
	fprintf(stream, "1..%zu\n", count_firsts(digest, NULL, false));
	size_t spec_number = 0;
	for (size_t spec = 0; spec < digest->leaf_count; spec++) {
		if (!first_of(digest, spec, false))
			continue;
		const char *spec_name = digest->leaves[spec].spec;
		struct tally spec_tally = {0};
		fputs("    KTAP version 1\n    # Subtest: ", stream);
		write_name(stream, spec_name);
		fprintf(stream, "\n    1..%zu\n", count_firsts(digest, spec_name, true));
		size_t stub_number = 0;
		for (size_t stub = spec; stub < digest->leaf_count; stub++) {
			if (!under(&digest->leaves[stub], spec_name, NULL) || !first_of(digest, stub, true))
				continue;
			struct tally tally = {0};
			write_leaves(stream, digest, spec_name, digest->leaves[stub].stub, &tally);
			write_line(stream, 1, ++stub_number, digest->leaves[stub].stub, &tally);
			spec_tally.pass += tally.pass;
			spec_tally.fail += tally.fail;
			spec_tally.skip += tally.skip;
		}
		write_line(stream, 0, ++spec_number, spec_name, &spec_tally);
	}
}
