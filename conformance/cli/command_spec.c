/* command_spec.c - `tdxabi spec-lint [FILE...]` (every problem of a table,
 * as file:line) and `tdxabi spec-diff REV_A REV_B` (what changed between two
 * revisions, and what each binding can no longer carry). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "file_contents.h"
#include "spec_diff.h"

static const char lint_help[] =
	"usage: tdxabi spec-lint [FILE...]\n"
	"\n"
	"Reads spec tables (the bundled ones when no FILE is given) and prints every\n"
	"problem as FILE:LINE: what is wrong: malformed rows, unknown registers, RAX or\n"
	"RSP as an operand, duplicate leaves, outputs on a leaf that cannot have them,\n"
	"missing status codes. A table may be based on a bundled revision.\n"
	"\n"
	"exit status: 0 no problem, 1 problems found, 2 bad usage or unreadable file\n";

static const char diff_help[] =
	"usage: tdxabi spec-diff REV_A REV_B [--binding NAME]... [--format text|json]\n"
	"\n"
	"Compares two spec revisions (bundled names or table files): leaves and\n"
	"TDG.VP.VMCALL sub-functions added, removed or changed (registers in and out,\n"
	"versions; callee-saved registers called out), status codes whose value\n"
	"changed, and for each binding (all, or those named) the leaves it carried\n"
	"under REV_A and cannot under REV_B, and the new leaves it cannot carry.\n"
	"\n"
	"exit status: 0 no difference, 1 differences, 2 bad usage or bad input\n";

static void print_problem(void *context, const struct diagnostic *problem)
{
	size_t *printed = context;
	(*printed)++;
	printf("%s\n", problem->text);
}

static const struct spec_table *resolve_bundled(void *context, const char *revision)
{
	return catalog_find_spec(context, revision);
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
	size_t problems = 0, tables = 0;
	int code = EXIT_PASS;
	if (argc < 2) {
		for (size_t index = 0; index < catalog.spec_count; index++, tables++) {
			const char *name = catalog.specs[index].file_name;
			size_t size;
			const unsigned char *text = catalog_bundled(name, &size);
			spec_table_lint((const char *)text, size, name, resolve_bundled, &catalog,
					print_problem, &problems);
		}
	}
	for (int index = 1; index < argc && code == EXIT_PASS; index++, tables++) {
		uint8_t *text;
		size_t size;
		if (file_contents_read(argv[index], &text, &size, &diagnostic) != TDXABI_OK) {
			code = cli_error("%s", diagnostic.text);
			break;
		}
		spec_table_lint((const char *)text, size, argv[index], resolve_bundled, &catalog,
				print_problem, &problems);
		free(text);
	}
	catalog_free(&catalog);
	if (code != EXIT_PASS)
		return code;
	printf("spec-lint: %zu table%s, %zu problem%s\n", tables, tables == 1 ? "" : "s", problems,
	       problems == 1 ? "" : "s");
	return problems ? EXIT_VIOLATION : EXIT_PASS;
}

struct diff_arguments {
	const char *revisions[2];
	const char *bindings[64];
	size_t binding_count;
	enum report_format format;
};

static int parse_diff_arguments(int argc, char **argv, struct diff_arguments *arguments)
{
	memset(arguments, 0, sizeof(*arguments));
	size_t positional = 0;
	for (int index = 1; index < argc; index++) {
		const char *argument = argv[index];
		bool has_value = index + 1 < argc;
		if (strcmp(argument, "--binding") == 0 && has_value) {
			if (arguments->binding_count == sizeof(arguments->bindings) / sizeof(char *))
				return cli_error("spec-diff: more than 64 --binding options");
			arguments->bindings[arguments->binding_count++] = argv[++index];
		} else if (strcmp(argument, "--format") == 0 && has_value) {
			const char *format = argv[++index];
			if (!report_format_parse(format, &arguments->format) ||
			    arguments->format == REPORT_JUNIT)
				return cli_error("spec-diff: unknown format '%s' (text or json)", format);
		} else if (argument[0] == '-' && argument[1] != '\0') {
			return cli_error("spec-diff: %s '%s' (try 'tdxabi spec-diff --help')",
					 has_value ? "unknown option" : "missing value for", argument);
		} else if (positional < 2) {
			arguments->revisions[positional++] = argument;
		} else {
			return cli_error("spec-diff: unexpected argument '%s': give two revisions",
					 argument);
		}
	}
	if (positional < 2)
		return cli_error("spec-diff: give two revisions (try 'tdxabi spec-diff --help')");
	return EXIT_PASS;
}

int command_spec_diff(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
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
	struct spec_table user_specs[2];
	const struct spec_table *specs[2] = {NULL, NULL};
	const struct binding **bindings = calloc(catalog.binding_count + 1, sizeof(*bindings));
	size_t binding_count = 0;
	memset(user_specs, 0, sizeof(user_specs));
	if (!bindings)
		code = cli_error("out of memory");
	for (size_t index = 0; index < 2 && code == EXIT_PASS; index++)
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
	struct spec_diff diff;
	if (code == EXIT_PASS && spec_diff_build(specs[0], specs[1], bindings, binding_count, &diff,
						 &diagnostic) != TDXABI_OK)
		code = cli_error("%s", diagnostic.text);
	if (code == EXIT_PASS) {
		if (arguments.format == REPORT_JSON)
			spec_diff_write_json(stdout, &diff);
		else
			spec_diff_write_text(stdout, &diff);
		code = spec_diff_empty(&diff) ? EXIT_PASS : EXIT_VIOLATION;
		spec_diff_free(&diff);
	}
	spec_table_free(&user_specs[0]);
	spec_table_free(&user_specs[1]);
	free(bindings);
	catalog_free(&catalog);
	return code;
}
