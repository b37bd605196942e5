/* command_audit.c - `tdxabi audit --object FILE [--symbol NAME]`: the static
 * audit of each function a binding names (or the one named), under its
 * binding's calling convention and environment, its findings given their
 * source lines; text, JSON or SARIF. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "audit_report.h"
#include "binding_audit.h"
#include "commands.h"
#include "file_contents.h"
#include "linux_environment.h"

static const char audit_help[] =
	"Usage: tdxabi audit --object FILE.o [--symbol NAME] [--binding NAME|FILE] [options]\n"
	"\n"
	"Audits stubs without running them: the control-flow graph from the entry\n"
	"(jumps, branches, the environment's fixups of each TDX instruction), the\n"
	"registers read before written and written on some path, callee-saved\n"
	"registers some path leaves changed, the stack depth at every return, each\n"
	"TDX instruction's #UD/#GP fixups (__ex_table) and the registers every path\n"
	"writes after it. The module is taken to write whatever a function may\n"
	"clobber; what a leaf really returns, `tdxabi check` runs.\n"
	"\n"
	"  --object FILE.o           a relocatable object\n"
	"  --symbol NAME             one function (default: every function a binding names)\n"
	"  --binding NAME|FILE       its binding (default: the one that names the function)\n"
	"  --format text|json|sarif  report format (default text)\n"
	"  --output FILE             write the report to FILE, not standard output\n"
	"\n"
	"exit status: 0 no finding, 1 a finding, 2 bad usage or bad input\n";

#define MAX_AUDITED 32

struct audit_arguments {
	const char *object, *symbol, *binding, *output;
	enum report_format format;
};

static int parse(int argc, char **argv, struct audit_arguments *arguments)
{
	static const struct option options[] = {
		{"object", required_argument, NULL, 'o'}, {"symbol", required_argument, NULL, 's'},
		{"binding", required_argument, NULL, 'b'}, {"format", required_argument, NULL, 'F'},
		{"output", required_argument, NULL, 'O'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	memset(arguments, 0, sizeof(*arguments));
	arguments->format = REPORT_TEXT;
	const char **slots[128] = {NULL};
	slots['o'] = &arguments->object;
	slots['s'] = &arguments->symbol;
	slots['b'] = &arguments->binding;
	slots['O'] = &arguments->output;
	const char *format = NULL;
	slots['F'] = &format;
	bool given[128] = {false};
	opterr = 0;
	optind = 1;
	for (int option; (option = getopt_long(argc, argv, "h", options, NULL)) != -1;) {
		if (option == 'h') {
			fputs(audit_help, stdout);
			return -1;
		}
		if (option <= 0 || option >= 128 || !slots[option])
			return cli_error("unknown or incomplete option '%s' (try 'tdxabi audit --help')",
					 argv[optind - 1]);
		if (cli_refuse_repeated(options, option, given, "") != EXIT_PASS)
			return EXIT_BAD_INPUT;
		*slots[option] = optarg;
	}
	if (optind < argc)
		return cli_error("unexpected argument '%s' (try 'tdxabi audit --help')", argv[optind]);
	if (!arguments->object)
		return cli_error("tdxabi audit needs --object FILE.o");
	if (format && (!report_format_parse(format, &arguments->format) ||
		       (arguments->format != REPORT_TEXT && arguments->format != REPORT_JSON &&
			arguments->format != REPORT_SARIF)))
		return cli_error("--format '%s' is not text, json or sarif", format);
	return EXIT_PASS;
}

struct audit_run {
	struct catalog catalog;
	struct binding user_binding;
	uint8_t *bytes;
	struct object_image image;
	bool image_loaded;
	struct audited_function functions[MAX_AUDITED];
	size_t count;
};

/* Audits one function under its binding: the environment's fixups, the
 * calling convention's callee-saved registers, the findings' lines. */
static int audit_function(struct audit_run *run, const char *object, const char *symbol,
			  const struct binding *binding, struct finding_source *source)
{
	if (run->count == MAX_AUDITED)
		return cli_error("%s: more than %d functions to audit; give --symbol", object,
				 MAX_AUDITED);
	struct audited_function *function = &run->functions[run->count];
	memset(function, 0, sizeof(*function));
	snprintf(function->object, sizeof(function->object), "%s", object);
	snprintf(function->binding, sizeof(function->binding), "%s", binding->name);
	struct diagnostic diagnostic;
	if (binding_audit_run(&run->image, symbol, binding, every_environment_kind,
			      every_environment_kind_count, &function->result, function->fixups,
			      sizeof(function->fixups), &diagnostic) != TDXABI_OK)
		return cli_error("%s", diagnostic.text);
	struct audit_result *result = &function->result;
	for (size_t index = 0; index < result->tdx_count; index++)
		finding_source_locate(source, result->tdx[index].address, &function->tdx_lines[index]);
	struct check_result holder = {.violations = result->findings,
				      .violation_count = result->finding_count};
	finding_source_fill(source, &holder);
	run->count++;
	return EXIT_PASS;
}

static bool names_any(const struct audit_run *run, const struct binding *binding)
{
	for (size_t index = 0; index < run->image.symbol_count; index++)
		if (binding_names_symbol(binding, run->image.symbols[index].name))
			return true;
	return false;
}

static int audit_object(struct audit_run *run, const struct audit_arguments *arguments)
{
	struct diagnostic diagnostic;
	const struct binding *named = NULL;
	if (catalog_load(&run->catalog, &diagnostic) != TDXABI_OK)
		return cli_error("bundled data: %s", diagnostic.text);
	if (arguments->binding &&
	    catalog_resolve_binding(&run->catalog, arguments->binding, &run->user_binding, &named,
				    &diagnostic) != TDXABI_OK)
		return cli_error("%s", diagnostic.text);
	size_t size;
	if (file_contents_read(arguments->object, &run->bytes, &size, &diagnostic) != TDXABI_OK ||
	    object_image_load(run->bytes, size, arguments->object, &run->image, &diagnostic) !=
		    TDXABI_OK)
		return cli_error("%s", diagnostic.text);
	run->image_loaded = true;
	struct finding_source source;
	if (finding_source_open(&run->image, NULL, NULL, &source, &diagnostic) != TDXABI_OK)
		return cli_error("%s", diagnostic.text);
	int code = EXIT_PASS;
	for (size_t index = 0; code == EXIT_PASS && index < run->image.symbol_count; index++) {
		const struct image_symbol *symbol = &run->image.symbols[index];
		const char *name = arguments->symbol ? arguments->symbol : symbol->name;
		/* without --symbol: what the binding given names, or every function
		 * when it names none of them; without --binding: what any binding names */
		bool function = symbol->defined && symbol->global && symbol->section >= 0 &&
				run->image.sections[symbol->section].executable;
		bool wanted = named ? binding_names_symbol(named, name) || !names_any(run, named)
				    : catalog_names_symbol(&run->catalog, name);
		if (arguments->symbol ? run->count > 0 : !(function && wanted))
			continue;
		const struct binding *binding = named;
		if (!binding &&
		    catalog_binding_for_symbol(&run->catalog, name, &binding, &diagnostic) != TDXABI_OK)
			code = cli_error("%s: %s", arguments->object, diagnostic.text);
		if (code == EXIT_PASS)
			code = audit_function(run, arguments->object, name, binding, &source);
	}
	finding_source_close(&source);
	if (code == EXIT_PASS && run->count == 0)
		return cli_error("%s: no function a binding names; give --symbol and --binding",
				 arguments->object);
	return code;
}

int command_audit(int argc, char **argv)
{
	struct audit_arguments arguments;
	int code = parse(argc, argv, &arguments);
	if (code == -1)
		return EXIT_PASS;
	if (code != EXIT_PASS)
		return code;
	struct audit_run *run = calloc(1, sizeof(*run));
	if (!run)
		return cli_error("out of memory");
	code = audit_object(run, &arguments);
	size_t findings = 0;
	if (code == EXIT_PASS) {
		FILE *stream = open_report_stream(arguments.output);
		if (!stream) {
			code = EXIT_BAD_INPUT;
		} else {
			struct report_options options = {.tool_version = TDXABI_VERSION};
			audit_report_write(stream, arguments.format, run->functions, run->count, &options);
			for (size_t index = 0; index < run->count; index++)
				findings += run->functions[index].result.finding_count;
			code = close_report_stream(stream, arguments.output, findings);
		}
	}
	if (run->image_loaded)
		object_image_free(&run->image);
	if (run->user_binding.name[0])
		binding_free(&run->user_binding);
	free(run->bytes);
	catalog_free(&run->catalog);
	free(run);
	return code;
}
