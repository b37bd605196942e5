/* command_spec.c - `tdxabi spec-lint [FILE...]` (every problem of a spec
 * table or a binding file, as file:line) and `tdxabi spec-diff REV_A REV_B [REV_C...]` (what
 * changed from each revision to the next, and what each binding can no longer carry). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file_contents.h"
#include "spec_diff.h"

static const char lint_help[] =
	"Usage: tdxabi spec-lint [FILE...]\n"
	"\n"
	"Reads spec tables and binding files (FILE.binding; the bundled tables and\n"
	"bindings when no FILE is given) and prints every problem as FILE:LINE: what is\n"
	"wrong: malformed rows, unknown registers, RAX or RSP as an operand, duplicate\n"
	"leaves, outputs on a leaf that cannot have them, status codes the models or\n"
	"the bundled bindings need; for a binding, unknown calling conventions, objects\n"
	"and flags, fields outside their object, registers carried twice, a missing\n"
	"row. A table may be based on a bundled revision.\n"
	"\n"
	"exit status: 0 no problem, 1 problems found, 2 bad usage or unreadable file\n";

static const char diff_help[] =
	"Usage: tdxabi spec-diff REV_A REV_B [REV_C...] [--binding NAME]... [--format text|json]\n"
	"\n"
	"Compares two spec revisions (bundled names or table files): leaves and\n"
	"TDG.VP.VMCALL sub-functions added, removed or changed (registers in and out,\n"
	"versions; callee-saved registers called out), status codes whose value\n"
	"changed, and for each binding (all, or those named) the leaves it carried\n"
	"under REV_A and cannot under REV_B, and the new leaves it cannot carry.\n"
	"More revisions compare each with the next, along a line of releases (with\n"
	"--format json, an array of the comparisons).\n"
	"\n"
	"exit status: 0 no difference, 1 differences, 2 bad usage or bad input\n";

static void print_problem(void *context, const struct diagnostic *problem)
{
	(void)context;
	printf("%s\n", problem->text);
}

static bool promises(const struct binding *binding, const char *status)
{
	for (int fault = 0; fault < FAULT_SCENARIO_COUNT; fault++)
		if (binding->outcomes[fault].kind == OUTCOME_NAMED_STATUS &&
		    strcmp(binding->outcomes[fault].status_name, status) == 0)
			return true;
	return false;
}

/* Whether (binding, fault) is the first outcome, in catalog order, that
 * promises `status`: where its one line is printed. */
static bool first_to_promise(const struct catalog *catalog, size_t binding, int fault,
			     const char *status)
{
	for (size_t index = 0; index <= binding; index++)
		for (int which = 0; which < FAULT_SCENARIO_COUNT; which++) {
			const struct fault_outcome *outcome = &catalog->bindings[index].outcomes[which];
			if (outcome->kind == OUTCOME_NAMED_STATUS &&
			    strcmp(outcome->status_name, status) == 0)
				return index == binding && which == fault;
		}
	return false;
}

/* What `check --spec` would refuse of a table that parses: a status a
 * bundled binding promises that the table lacks, or a user table that takes
 * a bundled revision's name. */
static size_t lint_against_catalog(const struct catalog *catalog, const char *text, size_t size,
				   const char *file_name, bool bundled)
{
	struct spec_table table;
	struct diagnostic diagnostic;
	if (spec_table_parse(text, size, file_name, catalog_spec_resolver, (void *)catalog, &table,
			     &diagnostic) != TDXABI_OK)
		return 0; /* lint has said why */
	size_t problems = 0;
	if (!bundled && catalog_find_spec(catalog, table.revision)) {
		printf("%s: revision %s is the name of a bundled revision\n", file_name, table.revision);
		problems++;
	}
	/* one line per missing status, naming the bindings that promise it */
	for (size_t index = 0; index < catalog->binding_count; index++) {
		for (int fault = 0; fault < FAULT_SCENARIO_COUNT; fault++) {
			const char *status = catalog->bindings[index].outcomes[fault].status_name;
			if (catalog->bindings[index].outcomes[fault].kind != OUTCOME_NAMED_STATUS ||
			    spec_table_find_status(&table, status) ||
			    !first_to_promise(catalog, index, fault, status))
				continue;
			char names[512] = "";
			size_t count = 0, used = 0;
			for (size_t which = index; which < catalog->binding_count && used < sizeof(names);
			     which++)
				if (promises(&catalog->bindings[which], status))
					used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
								 count++ ? ", " : "",
								 catalog->bindings[which].name);
			printf("%s: no status %s, which binding%s %s promise%s\n", file_name, status,
			       count > 1 ? "s" : "", names, count > 1 ? "" : "s");
			problems++;
		}
	}
	spec_table_free(&table);
	return problems;
}

static bool is_binding_file(const char *name)
{
	size_t length = strlen(name);
	return length > 8 && strcmp(name + length - 8, ".binding") == 0;
}

/* Every problem of a binding file, each reported as file:line. */
static size_t lint_binding(const struct catalog *catalog, const char *text, size_t size,
			   const char *file_name)
{
	return binding_lint(text, size, file_name, catalog_abi_resolver, (void *)catalog,
			    print_problem, NULL);
}

int command_spec_lint(int argc, char **argv)
{
	for (int index = 1; index < argc; index++) {
		if (strcmp(argv[index], "--help") == 0 || strcmp(argv[index], "-h") == 0) {
			fputs(lint_help, stdout);
			return EXIT_PASS;
		}
		if (argv[index][0] == '-' && argv[index][1] != '\0')
			return cli_error("spec-lint: unknown option '%s' (try 'tdxabi spec-lint --help')",
					 argv[index]);
	}
	struct catalog catalog;
	struct diagnostic diagnostic;
	if (catalog_load(&catalog, &diagnostic) != TDXABI_OK)
		return cli_error("%s", diagnostic.text);
	size_t problems = 0, tables = 0, bindings = 0;
	int code = EXIT_PASS;
	if (argc < 2) {
		for (size_t index = 0; index < catalog.spec_count; index++, tables++) {
			const char *name = catalog.specs[index].file_name;
			size_t size;
			const unsigned char *text = catalog_bundled(name, &size);
			problems += spec_table_lint((const char *)text, size, name, catalog_spec_resolver,
						    &catalog, print_problem, NULL);
			problems += lint_against_catalog(&catalog, (const char *)text, size, name, true);
		}
		for (size_t index = 0; index < catalog.binding_count; index++, bindings++) {
			const char *name = catalog.bindings[index].file_name;
			size_t size;
			const unsigned char *text = catalog_bundled(name, &size);
			problems += lint_binding(&catalog, (const char *)text, size, name);
		}
	}
	for (int index = 1; index < argc && code == EXIT_PASS; index++) {
		uint8_t *text;
		size_t size;
		if (file_contents_read(argv[index], &text, &size, &diagnostic) != TDXABI_OK) {
			code = cli_error("%s", diagnostic.text);
			break;
		}
		if (is_binding_file(argv[index])) {
			problems += lint_binding(&catalog, (const char *)text, size, argv[index]);
			bindings++;
		} else {
			problems += spec_table_lint((const char *)text, size, argv[index],
						    catalog_spec_resolver, &catalog, print_problem, NULL);
			problems += lint_against_catalog(&catalog, (const char *)text, size, argv[index],
							 false);
			tables++;
		}
		free(text);
	}
	catalog_free(&catalog);
	if (code != EXIT_PASS)
		return code;
	char binding_count[48] = "";
	if (bindings)
		snprintf(binding_count, sizeof(binding_count), ", %zu binding%s", bindings,
			 bindings == 1 ? "" : "s");
	printf("spec-lint: %zu table%s%s, %zu problem%s\n", tables, tables == 1 ? "" : "s",
	       binding_count, problems, problems == 1 ? "" : "s");
	return problems ? EXIT_VIOLATION : EXIT_PASS;
}

/* Revisions one spec-diff compares along a line. */
#define MAX_DIFF_REVISIONS 16

struct diff_arguments {
	const char *revisions[MAX_DIFF_REVISIONS];
	size_t revision_count;
	const char *bindings[64];
	size_t binding_count;
	enum report_format format;
};

static int parse_diff_arguments(int argc, char **argv, struct diff_arguments *arguments)
{
	memset(arguments, 0, sizeof(*arguments));
	for (int index = 1; index < argc; index++) {
		const char *argument = argv[index];
		bool has_value = index + 1 < argc;
		bool takes_value = strcmp(argument, "--binding") == 0 || strcmp(argument, "--format") == 0;
		if (takes_value && !has_value)
			return cli_error("spec-diff: missing value for '%s'", argument);
		if (strcmp(argument, "--binding") == 0) {
			const char *name = argv[++index];
			bool repeated = false;
			for (size_t which = 0; which < arguments->binding_count; which++)
				repeated |= strcmp(arguments->bindings[which], name) == 0;
			if (repeated)
				continue;
			if (arguments->binding_count == sizeof(arguments->bindings) / sizeof(char *))
				return cli_error("spec-diff: more than 64 --binding options");
			arguments->bindings[arguments->binding_count++] = name;
		} else if (strcmp(argument, "--format") == 0) {
			const char *format = argv[++index];
			if (!report_format_parse(format, &arguments->format) ||
			    (arguments->format != REPORT_TEXT && arguments->format != REPORT_JSON))
				return cli_error("spec-diff: unknown format '%s' (text or json)", format);
		} else if (argument[0] == '-' && argument[1] != '\0') {
			return cli_error("spec-diff: unknown option '%s' (try 'tdxabi spec-diff --help')",
					 argument);
		} else if (arguments->revision_count < MAX_DIFF_REVISIONS) {
			arguments->revisions[arguments->revision_count++] = argument;
		} else {
			return cli_error("spec-diff: unexpected argument '%s': at most %d revisions",
					 argument, MAX_DIFF_REVISIONS);
		}
	}
	if (arguments->revision_count < 2)
		return cli_error("spec-diff: give two revisions (try 'tdxabi spec-diff --help')");
	return EXIT_PASS;
}

int command_spec_diff(int argc, char **argv)
{
	for (int index = 1; index < argc; index++)
		if (strcmp(argv[index], "--help") == 0 || strcmp(argv[index], "-h") == 0) {
			fputs(diff_help, stdout);
			return EXIT_PASS;
		}
	struct diff_arguments arguments;
	int code = parse_diff_arguments(argc, argv, &arguments);
	if (code != EXIT_PASS)
		return code;
	struct catalog catalog;
	struct diagnostic diagnostic;
	if (catalog_load(&catalog, &diagnostic) != TDXABI_OK)
		return cli_error("%s", diagnostic.text);
	size_t count = arguments.revision_count;
	struct spec_table user_specs[MAX_DIFF_REVISIONS];
	const struct spec_table *specs[MAX_DIFF_REVISIONS] = {NULL};
	const struct binding **bindings = calloc(catalog.binding_count + 1, sizeof(*bindings));
	size_t binding_count = 0;
	memset(user_specs, 0, sizeof(user_specs));
	if (!bindings)
		code = cli_error("out of memory");
	for (size_t index = 0; index < count && code == EXIT_PASS; index++)
		if (catalog_resolve_spec(&catalog, arguments.revisions[index], &user_specs[index],
					 &specs[index], &diagnostic) != TDXABI_OK)
			code = cli_error("%s", diagnostic.text);
	for (size_t index = 0; index < arguments.binding_count && code == EXIT_PASS; index++) {
		const struct binding *binding = catalog_find_binding(&catalog, arguments.bindings[index]);
		if (!binding)
			code = cli_error("spec-diff: unknown binding '%s' (see 'tdxabi list bindings')",
					 arguments.bindings[index]);
		else
			bindings[binding_count++] = binding;
	}
	if (arguments.binding_count == 0)
		for (size_t index = 0; bindings && index < catalog.binding_count; index++)
			bindings[binding_count++] = &catalog.bindings[index];
	/* a line of more than two: each step in turn (JSON: an array of them) */
	bool differs = false;
	bool array = code == EXIT_PASS && count > 2 && arguments.format == REPORT_JSON;
	if (array)
		fputs("[\n", stdout);
	for (size_t step = 0; step + 1 < count && code == EXIT_PASS; step++) {
		struct spec_diff diff;
		if (spec_diff_build(specs[step], specs[step + 1], bindings, binding_count, &diff,
				    &diagnostic) != TDXABI_OK) {
			code = cli_error("%s", diagnostic.text);
			break;
		}
		if (arguments.format == REPORT_JSON && step)
			fputs(",\n", stdout);
		else if (step)
			fputc('\n', stdout);
		if (arguments.format == REPORT_JSON)
			spec_diff_write_json(stdout, &diff);
		else
			spec_diff_write_text(stdout, &diff);
		differs |= !spec_diff_empty(&diff);
		spec_diff_free(&diff);
	}
	if (array)
		fputs("]\n", stdout); /* closed, even after a failed step */
	if (code == EXIT_PASS)
		code = differs ? EXIT_VIOLATION : EXIT_PASS;
	for (size_t index = 0; index < count; index++)
		spec_table_free(&user_specs[index]);
	free(bindings);
	catalog_free(&catalog);
	return code;
}
