/* command_bench.c - `tdxabi bench`: on one stub (the bundled
 * tdxabi_seamcall_ret by default, or --symbol/--object/--binding as for
 * check), the raw floor, checked calls and the native SIGILL peer, each in
 * calls/s with its time per call and its ratio to the others. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file_contents.h"
#include "json_text.h"
#include "linux_environment.h"
#include "stub_bench.h"

static const char bench_help[] =
	"Usage: tdxabi bench [--symbol NAME [--object FILE.o] [--binding NAME|FILE]] [options]\n"
	"\n"
	"Measures, in one process on one core, the same stub three ways: the raw floor\n"
	"(bare Unicorn, the same intercept of its TDX instruction, no checks), checked\n"
	"calls (marshal, the module model, every rule) and the native SIGILL peer (its\n"
	"code run natively, the TDX instruction answered from a SIGILL handler).\n"
	"Wall-clock rates move with the machine's load: compare the ratios of one run,\n"
	"or count instructions with valgrind --tool=callgrind.\n"
	"\n"
	"  --symbol NAME             the stub (default the bundled tdxabi_seamcall_ret)\n"
	"  --object FILE.o           an object of your own holding it\n"
	"  --binding NAME|FILE       its binding (default the one that names it)\n"
	"  --spec REVISION|FILE      as for check\n"
	"  --leaf NAME|all           the cases checked (default all, fault none)\n"
	"  --seconds N               how long each is measured (default 1)\n"
	"  --format text|json        report format (default text)\n"
	"\n"
	"exit status: 0 measured, 2 bad usage or bad input\n";

struct bench_arguments {
	const char *symbol, *object, *binding, *spec, *leaf;
	double seconds;
	enum report_format format;
};

static int parse(int argc, char **argv, struct bench_arguments *arguments)
{
	static const struct option options[] = {
		{"symbol", required_argument, NULL, 's'}, {"object", required_argument, NULL, 'o'},
		{"binding", required_argument, NULL, 'b'}, {"spec", required_argument, NULL, 'S'},
		{"leaf", required_argument, NULL, 'l'},   {"seconds", required_argument, NULL, 't'},
		{"format", required_argument, NULL, 'F'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	*arguments = (struct bench_arguments){.symbol = "tdxabi_seamcall_ret", .seconds = 1,
					      .format = REPORT_TEXT};
	bool given[128] = {false};
	opterr = 0;
	optind = 1;
	for (int option; (option = getopt_long(argc, argv, "h", options, NULL)) != -1;) {
		if (cli_refuse_repeated(options, option, given, "") != EXIT_PASS)
			return EXIT_BAD_INPUT;
		char *end = NULL;
		switch (option) {
		case 's': arguments->symbol = optarg; break;
		case 'o': arguments->object = optarg; break;
		case 'b': arguments->binding = optarg; break;
		case 'S': arguments->spec = optarg; break;
		case 'l': arguments->leaf = optarg; break;
		case 't':
			arguments->seconds = strtod(optarg, &end);
			if (!end || *end || !(arguments->seconds > 0 && arguments->seconds <= 600))
				return cli_error("--seconds '%s' is not a number from 0 to 600", optarg);
			break;
		case 'F':
			if (!report_format_parse(optarg, &arguments->format) ||
			    (arguments->format != REPORT_TEXT && arguments->format != REPORT_JSON))
				return cli_error("--format '%s' is not text or json", optarg);
			break;
		case 'h':
			fputs(bench_help, stdout);
			return -1;
		default:
			return cli_error("unknown or incomplete option '%s' (try 'tdxabi bench --help')",
					 argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_error("unexpected argument '%s' (try 'tdxabi bench --help')", argv[optind]);
	return EXIT_PASS;
}

struct bench_run {
	struct catalog catalog;
	struct spec_table user_spec;
	struct binding user_binding;
	uint8_t *bytes;
	struct object_image image;
	bool image_loaded;
};

/* The stub: a bundled reference stub by symbol, or the symbol of --object. */
static int resolve_target(struct bench_run *run, const struct bench_arguments *arguments,
			  struct stub_target *target)
{
	struct diagnostic diagnostic;
	const struct binding *binding = NULL;
	if (arguments->binding &&
	    catalog_resolve_binding(&run->catalog, arguments->binding, &run->user_binding, &binding,
				    &diagnostic) != TDXABI_OK)
		return cli_error("%s", diagnostic.text);
	const char *path = arguments->object;
	const uint8_t *bundled = NULL;
	size_t size = 0;
	char bundle_name[96];
	for (size_t index = 0; !path && index < run->catalog.stub_count; index++) {
		const struct reference_stub *stub = &run->catalog.stubs[index];
		if (strcmp(stub->symbol, arguments->symbol) != 0)
			continue;
		snprintf(bundle_name, sizeof(bundle_name), "stubs/%s", stub->object);
		bundled = catalog_bundled(bundle_name, &size);
		path = stub->object;
		if (!binding)
			binding = catalog_find_binding(&run->catalog, stub->binding);
	}
	if (!path)
		return cli_error("no bundled stub '%s' (give --object; see 'tdxabi check')",
				 arguments->symbol);
	if (!bundled) {
		if (file_contents_read(path, &run->bytes, &size, &diagnostic) != TDXABI_OK)
			return cli_error("%s", diagnostic.text);
		bundled = run->bytes;
	}
	if (object_image_load(bundled, size, path, &run->image, &diagnostic) != TDXABI_OK)
		return cli_error("%s", diagnostic.text);
	run->image_loaded = true;
	if (!binding &&
	    catalog_binding_for_symbol(&run->catalog, arguments->symbol, &binding, &diagnostic) !=
		    TDXABI_OK)
		return cli_error("%s: %s", path, diagnostic.text);
	*target = (struct stub_target){.object_name = path, .image = &run->image,
				       .symbol = arguments->symbol, .binding = binding};
	return EXIT_PASS;
}

static double rate(const struct call_rate *measured)
{
	return measured->seconds > 0 ? (double)measured->calls / measured->seconds : 0;
}

static void write_text(const struct stub_target *target, const struct stub_bench_result *result)
{
	double raw = rate(&result->raw);
	double checked = rate(&result->checked);
	double native = rate(&result->native);
	printf("bench %s:%s  %s  (%zu checked cases a pass)\n", target->object_name, target->symbol,
	       target->binding->name, result->matrix_cases);
	printf("  raw floor (bare Unicorn, the TDX hook)   %12.0f calls/s  %8.2f us/call\n", raw,
	       1e6 / raw);
	printf("  checked (marshal, model, every rule)     %12.0f calls/s  %8.2f us/call  %.2fx the "
	       "floor\n",
	       checked, 1e6 / checked, checked / raw);
	if (result->native.measured)
		printf("  native SIGILL peer                       %12.0f calls/s  %8.2f us/call  "
		       "checked is %.2fx it\n",
		       native, 1e6 / native, checked / native);
	else
		printf("  native SIGILL peer                       not measured: %s\n",
		       result->native.reason);
}

static void write_json(const struct stub_target *target, const struct stub_bench_result *result)
{
	double raw = rate(&result->raw);
	double checked = rate(&result->checked);
	fputs("{\"tool\":\"tdxabi\",\"bench\":1,\"object\":", stdout);
	json_write_string(stdout, target->object_name);
	fputs(",\"stub\":", stdout);
	json_write_string(stdout, target->symbol);
	fputs(",\"binding\":", stdout);
	json_write_string(stdout, target->binding->name);
	printf(",\"raw_calls_per_s\":%.0f,\"checked_calls_per_s\":%.0f,\"native_sigill_calls_per_s\":",
	       raw, checked);
	if (result->native.measured)
		printf("%.0f", rate(&result->native));
	else
		fputs("null", stdout);
	printf(",\"checked_over_raw\":%.4f}\n", checked / raw);
}

int command_bench(int argc, char **argv)
{
	struct bench_arguments arguments;
	int code = parse(argc, argv, &arguments);
	if (code == -1)
		return EXIT_PASS;
	if (code != EXIT_PASS)
		return code;
	struct bench_run *run = calloc(1, sizeof(*run));
	if (!run)
		return cli_error("out of memory");
	struct diagnostic diagnostic;
	struct stub_target target;
	struct check_options options = {.environment_kinds = every_environment_kind,
					.environment_kind_count = every_environment_kind_count,
					.seed = 1,
					.instruction_budget = DEFAULT_INSTRUCTION_BUDGET};
	options.selection = (struct case_selection){.leaf_name = arguments.leaf,
						    .fault_mask = 1u << FAULT_NONE,
						    .td_config_mask = TD_CONFIG_DEFAULT_MASK};
	if (catalog_load(&run->catalog, &diagnostic) != TDXABI_OK)
		code = cli_error("bundled data: %s", diagnostic.text);
	if (code == EXIT_PASS &&
	    catalog_resolve_spec(&run->catalog, arguments.spec, &run->user_spec, &options.spec,
				 &diagnostic) != TDXABI_OK)
		code = cli_error("%s", diagnostic.text);
	if (code == EXIT_PASS)
		code = resolve_target(run, &arguments, &target);
	struct stub_bench_result result;
	if (code == EXIT_PASS &&
	    stub_bench_run(&target, &options, arguments.seconds, &result, &diagnostic) != TDXABI_OK)
		code = cli_error("%s", diagnostic.text);
	if (code == EXIT_PASS && arguments.format == REPORT_JSON)
		write_json(&target, &result);
	else if (code == EXIT_PASS)
		write_text(&target, &result);
	if (run->image_loaded)
		object_image_free(&run->image);
	if (run->user_binding.name[0])
		binding_free(&run->user_binding);
	spec_table_free(&run->user_spec);
	free(run->bytes);
	catalog_free(&run->catalog);
	free(run);
	return code;
}
