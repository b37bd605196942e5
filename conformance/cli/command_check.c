/* command_check.c - `tdxabi check`: resolves the stubs to check (the bundled
 * reference stubs, or --object/--symbol/--binding), the spec revision, the
 * leaf and fault selection, runs them and writes the report. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case_workers.h"
#include "catalog.h"
#include "linux_environment.h"
#include "commands.h"
#include "file_contents.h"
#include "report.h"
#include "stub_check.h"
#include "table_rows.h"
#include "trace_report.h"

static const char check_help[] =
	"Usage: tdxabi check [--object FILE.o [--symbol NAME] [--binding NAME|FILE]] [options]\n"
	"       tdxabi check --linux DIR [options]\n"
	"\n"
	"Runs stubs in the emulator against the TDX module model and checks every rule.\n"
	"Without --object or --linux it checks the bundled reference stubs (--symbol\n"
	"and --binding then select among them).\n"
	"\n"
	"  --object FILE.o           a relocatable object as `gcc -c` or kbuild makes it;\n"
	"                            without --symbol, every Linux TDX function in it\n"
	"  --symbol NAME             the stub's symbol in that object\n"
	"  --binding NAME|FILE       how the stub is called: a bundled binding ('tdxabi list\n"
	"                            bindings') or a binding file of your own; without it,\n"
	"                            the binding that names the symbol\n"
	"  --linux DIR               build a Linux source tree's TDX stubs in every variant\n"
	"                            (frame pointer, RET flavour, ENDBR) and check them all,\n"
	"                            each function's binding found from the tree\n"
	"  --cache DIR               where --linux keeps its builds (default\n"
	"                            $XDG_CACHE_HOME/tdxabi or ~/.cache/tdxabi)\n"
	"  --shims DIR               shim headers for --linux instead of the bundled ones\n"
	"  --kbuild-output DIR       with --linux: the tree was built with make O=DIR; its\n"
	"                            objects and .config are there\n"
	"  --spec REVISION|FILE      a bundled spec revision ('tdxabi list specs') or a\n"
	"                            table file of your own; default: the one marked\n"
	"                            default in 'tdxabi list specs'\n"
	"  --leaf NAME|all           one leaf or TDG.VP.VMCALL sub-function; default all.\n"
	"                            A leaf named here that the binding cannot carry is a\n"
	"                            binding-cannot-express violation, in a sweep a skip\n"
	"  --faults all|none|LIST    fault scenarios: 'all' (default) every one that applies\n"
	"                            to the instruction and that the binding declares,\n"
	"                            'none' only the normal answer, or a comma-separated\n"
	"                            list ('tdxabi list faults')\n"
	"  --td-config LIST|all      the TD the calls run against: no-rbp-mod (default, as\n"
	"                            KVM creates every TD), none, or both; a leaf whose\n"
	"                            registers depend on it is checked under each\n"
	"  --seed N                  seed of the poison tags and the VMM's values (default 1)\n"
	"  --seeds N                 run each case with N draws (seeds S .. S+N-1 of\n"
	"                            --seed S) until one fails; a failure names its\n"
	"                            seed (default 1 draw)\n"
	"  -j, --jobs N              run the cases in N worker processes (default: one\n"
	"                            per CPU); a case that kills its worker or passes\n"
	"                            its bounds is an emulation-fault and the run goes on.\n"
	"                            0 runs them in the tool itself (for a debugger)\n"
	"  --timeout SECONDS         wall-clock bound of one draw of a case (default 30)\n"
	"  --budget N                instruction budget per call (default 100000)\n"
	"  --variant NAME            only the cases of one variant ('plain', or as reports\n"
	"                            name it: 'flags=0x1 out=NULL')\n"
	"  --build-variant NAME      with --linux: only that build variant\n"
	"  --format FORMAT           report format: text (default), json, junit, sarif or\n"
	"                            ktap\n"
	"  --output FILE             write the report to FILE, not standard output\n"
	"  --report FORMAT=FILE      write another report too (repeatable)\n"
	"  --quiet                   text: only failures and the summary\n"
	"  --baseline FILE           findings recorded in FILE are accepted: reported,\n"
	"                            but they do not fail the run\n"
	"  --write-baseline FILE     record this run's findings in FILE\n"
	"  --allow RULE[:FUNCTION[:LEAF]]  accept a known finding (repeatable)\n"
	"\n"
	"Text output is coloured on a terminal, never when NO_COLOR is set. Under each\n"
	"failure, the `tdxabi trace` command that lists the failing case instruction by\n"
	"instruction.\n"
	"\n"
	"exit status: 0 all passed, 1 a violation was found, 2 bad usage or bad input;\n"
	"with --format ktap, 4 when every case was skipped (kselftest's codes)\n";

static const char trace_help[] =
	"Usage: tdxabi trace [--object FILE.o | --linux DIR [--build-variant NAME]]\n"
	"                    --symbol NAME --leaf NAME [--fault NAME] [--variant NAME] [options]\n"
	"\n"
	"Runs one case traced and lists every instruction the stub executed: its\n"
	"address, symbol+offset, source file:line, disassembly, and the registers and\n"
	"memory it changed (its first store), then how the call ended and what the\n"
	"checks found. `tdxabi check` prints, under each failure, the trace command\n"
	"that reproduces it. Every case the selection names is listed.\n"
	"\n"
	"  --object, --symbol, --binding, --linux, --cache, --shims, --kbuild-output,\n"
	"  --spec, --td-config, --seed, --budget, --variant, --build-variant\n"
	"                            as for `tdxabi check`\n"
	"  --leaf NAME               the leaf or sub-function (required)\n"
	"  --fault NAME              the fault scenario (default none)\n"
	"  --output FILE             write the listing to FILE, not standard output\n"
	"\n"
	"exit status: 0 the case passed, 1 it failed, 2 bad usage or bad input\n";

/* One worker per CPU the tool may use. */
static uint64_t default_jobs(void)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	return online < 1 ? 1 : online > CASE_WORKERS_MAX ? CASE_WORKERS_MAX : (uint64_t)online;
}

static int parse_faults(const char *text, struct case_selection *selection)
{
	selection->fault_mask = ALL_FAULTS;
	selection->faults_explicit = false;
	if (!text || strcmp(text, "all") == 0)
		return EXIT_PASS;
	if (strcmp(text, "none") == 0) {
		selection->fault_mask = 1u << FAULT_NONE;
		return EXIT_PASS;
	}
	selection->fault_mask = 0;
	selection->faults_explicit = true;
	char copy[256];
	if (strlen(text) >= sizeof(copy))
		return cli_error("--faults list too long");
	strcpy(copy, text);
	for (char *save = NULL, *name = strtok_r(copy, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		enum fault_scenario fault;
		if (!fault_scenario_parse(name, &fault))
			return cli_error("unknown fault '%s' in --faults (see 'tdxabi list faults')", name);
		selection->fault_mask |= 1u << fault;
	}
	if (selection->fault_mask == 0)
		return cli_error("--faults names no fault");
	return EXIT_PASS;
}

static int parse_report(const char *text, struct check_arguments *arguments)
{
	const char *equals = strchr(text, '=');
	char format[16];
	if (!equals || equals == text || !equals[1] || (size_t)(equals - text) >= sizeof(format))
		return cli_error("--report '%s' is not FORMAT=FILE", text);
	snprintf(format, sizeof(format), "%.*s", (int)(equals - text), text);
	struct report_request *request = &arguments->reports[arguments->report_count];
	if (arguments->report_count == MAX_REPORTS)
		return cli_error("more than %d reports", MAX_REPORTS - 1);
	if (!report_format_parse(format, &request->format))
		return cli_error("--report '%s': format '%s' is not text, json, junit, sarif or ktap",
				 text, format);
	request->path = equals + 1;
	arguments->report_count++;
	return EXIT_PASS;
}

static int parse_arguments(int argc, char **argv, struct check_arguments *arguments)
{
	static const struct option options[] = {
		{"object", required_argument, NULL, 'o'}, {"symbol", required_argument, NULL, 's'},
		{"binding", required_argument, NULL, 'b'}, {"spec", required_argument, NULL, 'S'},
		{"leaf", required_argument, NULL, 'l'},   {"faults", required_argument, NULL, 'f'},
		{"fault", required_argument, NULL, 'x'},
		{"seed", required_argument, NULL, 'r'},   {"budget", required_argument, NULL, 'B'},
		{"seeds", required_argument, NULL, 'N'},  {"jobs", required_argument, NULL, 'j'},
		{"timeout", required_argument, NULL, 't'},
		{"format", required_argument, NULL, 'F'}, {"output", required_argument, NULL, 'O'},
		{"linux", required_argument, NULL, 'L'},  {"cache", required_argument, NULL, 'C'},
		{"shims", required_argument, NULL, 'H'},
		{"kbuild-output", required_argument, NULL, 'K'},
		{"td-config", required_argument, NULL, 'T'},
		{"variant", required_argument, NULL, 'v'},
		{"build-variant", required_argument, NULL, 'V'},
		{"report", required_argument, NULL, 'R'}, {"quiet", no_argument, NULL, 'q'},
		{"baseline", required_argument, NULL, 'Z'},
		{"write-baseline", required_argument, NULL, 'W'},
		{"allow", required_argument, NULL, 'A'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	bool trace = arguments->trace;
	memset(arguments, 0, sizeof(*arguments));
	arguments->trace = trace;
	arguments->seed = 1;
	arguments->budget = DEFAULT_INSTRUCTION_BUDGET;
	arguments->seeds = 1;
	arguments->jobs = default_jobs();
	arguments->case_seconds = DEFAULT_CASE_SECONDS;
	arguments->reports[0].format = REPORT_TEXT;
	arguments->report_count = 1;
	bool given[128] = {false};
	opterr = 0;
	optind = 1;
	for (;;) {
		int option = getopt_long(argc, argv, "hj:", options, NULL);
		if (option == -1)
			break;
		const char *name = cli_option_name(options, option);
		if (cli_refuse_repeated(options, option, given, "RA") != EXIT_PASS)
			return EXIT_BAD_INPUT; /* --report and --allow repeat */
		bool check_only = option == 'f' || option == 'F' || option == 'R' || option == 'q' ||
				  option == 'Z' || option == 'W' || option == 'A' || option == 'N' ||
				  option == 'j' || option == 't';
		if ((trace && check_only) || (!trace && option == 'x'))
			return cli_error("'--%s' is not an option of tdxabi %s (try 'tdxabi %s --help')",
					 name, trace ? "trace" : "check", trace ? "trace" : "check");
		switch (option) {
		case 'o': arguments->object = optarg; break;
		case 's': arguments->symbol = optarg; break;
		case 'b': arguments->binding = optarg; break;
		case 'S': arguments->spec = optarg; break;
		case 'l': arguments->leaf = optarg; break;
		case 'f':
		case 'x': arguments->faults = optarg; break;
		case 'O': arguments->reports[0].path = optarg; break;
		case 'L': arguments->linux_tree = optarg; break;
		case 'C': arguments->cache = optarg; break;
		case 'H': arguments->shims = optarg; break;
		case 'K': arguments->kbuild_output = optarg; break;
		case 'T': arguments->td_configs = optarg; break;
		case 'v': arguments->variant = optarg; break;
		case 'V': arguments->build_variant = optarg; break;
		case 'q': arguments->quiet = true; break;
		case 'Z': arguments->baseline = optarg; break;
		case 'W': arguments->write_baseline = optarg; break;
		case 'h':
			fputs(trace ? trace_help : check_help, stdout);
			return -1;
		case 'R': {
			int code = parse_report(optarg, arguments);
			if (code != EXIT_PASS)
				return code;
			break;
		}
		case 'A':
			if (arguments->allow_count == MAX_ALLOWS)
				return cli_error("more than %d --allow", MAX_ALLOWS);
			arguments->allows[arguments->allow_count++] = optarg;
			break;
		case 'r':
			if (!parse_unsigned(optarg, &arguments->seed))
				return cli_error("--seed '%s' is not a number", optarg);
			break;
		case 'N':
			if (!parse_unsigned(optarg, &arguments->seeds) || arguments->seeds == 0 ||
			    arguments->seeds > MAX_SEED_COUNT)
				return cli_error("--seeds '%s' is not a number from 1 to %d", optarg,
						 MAX_SEED_COUNT);
			break;
		case 'j':
			if (!parse_unsigned(optarg, &arguments->jobs) || arguments->jobs > CASE_WORKERS_MAX)
				return cli_error("--jobs '%s' is not a number from 0 to %d", optarg,
						 CASE_WORKERS_MAX);
			break;
		case 't': {
			char *end;
			arguments->case_seconds = strtod(optarg, &end);
			if (end == optarg || *end || !(arguments->case_seconds >= 0.01) ||
			    arguments->case_seconds > 3600)
				return cli_error("--timeout '%s' is not a number of seconds from 0.01 to "
						 "3600", optarg);
			break;
		}
		case 'B':
			if (!parse_unsigned(optarg, &arguments->budget) || arguments->budget == 0 ||
			    arguments->budget > MAX_INSTRUCTION_BUDGET)
				return cli_error("--budget '%s' is not a number from 1 to %d", optarg,
						 MAX_INSTRUCTION_BUDGET);
			break;
		case 'F':
			if (!report_format_parse(optarg, &arguments->reports[0].format))
				return cli_error("--format '%s' is not text, json, junit, sarif or ktap",
						 optarg);
			break;
		default:
			return cli_error("unknown or incomplete option '%s' (try 'tdxabi %s --help')",
					 argv[optind - 1], trace ? "trace" : "check");
		}
	}
	if (optind < argc)
		return cli_error("unexpected argument '%s' (try 'tdxabi %s --help')", argv[optind],
				 trace ? "trace" : "check");
	if (arguments->linux_tree && (arguments->object || arguments->binding))
		return cli_error("--linux checks a whole tree: it takes no --object or --binding");
	if ((arguments->cache || arguments->shims || arguments->kbuild_output ||
	     arguments->build_variant) && !arguments->linux_tree)
		return cli_error("--cache, --shims, --kbuild-output and --build-variant go with --linux");
	if (trace && (!arguments->symbol || !arguments->leaf || strcmp(arguments->leaf, "all") == 0))
		return cli_error("tdxabi trace needs --symbol and --leaf naming one leaf");
	if (trace && !arguments->faults)
		arguments->faults = "none";
	if (trace && strchr(arguments->faults, ','))
		return cli_error("tdxabi trace takes one --fault, not '%s'", arguments->faults);
	return EXIT_PASS;
}

/* Everything a check run owns, freed in one place. */
struct check_run {
	struct catalog catalog;
	struct spec_table user_spec; /* zeroed unless --spec names a file */
	struct binding user_binding; /* zeroed unless --binding names a file */
	struct object_image images[16];
	char image_names[16][64];
	size_t image_count;
	uint8_t *object_bytes;
	struct check_report report; /* trace: every result; check: the stub's being run */
	struct check_reporting *reporting; /* check: where each stub's results go */
};

static void check_run_free(struct check_run *run)
{
	for (size_t index = 0; index < run->image_count; index++)
		object_image_free(&run->images[index]);
	spec_table_free(&run->user_spec);
	if (run->user_binding.name[0])
		binding_free(&run->user_binding);
	free(run->object_bytes);
	check_report_free(&run->report);
	catalog_free(&run->catalog);
}

static int resolve_spec(struct check_run *run, const char *name, const struct spec_table **spec)
{
	struct diagnostic diagnostic;
	if (catalog_resolve_spec(&run->catalog, name, &run->user_spec, spec, &diagnostic) != TDXABI_OK)
		return cli_error("%s", diagnostic.text);
	return EXIT_PASS;
}

static int load_image(struct check_run *run, const char *name, const uint8_t *bytes, size_t size,
		      const struct object_image **image)
{
	*image = NULL; /* on every failure path, so no caller reads an unset pointer */
	for (size_t index = 0; index < run->image_count; index++) {
		if (strcmp(run->image_names[index], name) == 0) {
			*image = &run->images[index];
			return EXIT_PASS;
		}
	}
	if (run->image_count == sizeof(run->images) / sizeof(run->images[0]))
		return cli_error("too many objects");
	struct diagnostic diagnostic;
	if (object_image_load(bytes, size, name, &run->images[run->image_count], &diagnostic) !=
	    TDXABI_OK)
		return cli_error("%s", diagnostic.text);
	snprintf(run->image_names[run->image_count], sizeof(run->image_names[0]), "%s", name);
	*image = &run->images[run->image_count++];
	return EXIT_PASS;
}

static int check_target(struct check_run *run, const struct stub_target *target,
			const struct check_options *options)
{
	struct diagnostic diagnostic;
	if (stub_check_run(target, options, &run->report, &diagnostic) != TDXABI_OK)
		return cli_error("%s", diagnostic.text);
	if (run->reporting && reporting_deliver(run->reporting, &run->report, &diagnostic) != TDXABI_OK)
		return cli_error("%s", diagnostic.text);
	return EXIT_PASS;
}

/* The binding of one function of a user object: the one --binding names
 * (resolved once into *named), or the bundled one that names the symbol. */
static int user_binding(const struct check_run *run, const struct binding *named,
			const char *object, const char *symbol, const struct binding **binding)
{
	struct diagnostic diagnostic;
	*binding = named;
	if (!named && catalog_binding_for_symbol(&run->catalog, symbol, binding, &diagnostic) !=
			      TDXABI_OK)
		return cli_error("%s: %s", object, diagnostic.text);
	return EXIT_PASS;
}

/* A defined global symbol of an executable section: a function, typed as
 * gas types it or untyped as NASM leaves a plain `global`. */
static bool is_code_symbol(const struct object_image *image, const struct image_symbol *symbol)
{
	return symbol->defined && symbol->global && symbol->section >= 0 &&
	       (symbol->function || image->sections[symbol->section].executable);
}

/* --object: the named symbol, or every global function the binding (given,
 * or else any bundled one) names. */
static int check_user_object(struct check_run *run, const struct check_arguments *arguments,
			     const struct check_options *options)
{
	struct diagnostic diagnostic;
	const struct binding *named = NULL;
	if (arguments->binding &&
	    catalog_resolve_binding(&run->catalog, arguments->binding, &run->user_binding, &named,
				    &diagnostic) != TDXABI_OK)
		return cli_error("%s", diagnostic.text);
	size_t size;
	if (file_contents_read(arguments->object, &run->object_bytes, &size, &diagnostic) != TDXABI_OK)
		return cli_error("%s", diagnostic.text);
	const struct object_image *image;
	int code = load_image(run, arguments->object, run->object_bytes, size, &image);
	size_t checked = 0;
	for (size_t index = 0; code == EXIT_PASS && index < image->symbol_count; index++) {
		const struct image_symbol *symbol = &image->symbols[index];
		const char *name = arguments->symbol ? arguments->symbol : symbol->name;
		bool named_here = named ? binding_names_symbol(named, name)
					: catalog_names_symbol(&run->catalog, name);
		if (arguments->symbol ? checked > 0
				      : (!is_code_symbol(image, symbol) || !named_here))
			continue;
		const struct binding *binding;
		code = user_binding(run, named, arguments->object, name, &binding);
		if (code == EXIT_PASS) {
			struct stub_target target = {.object_name = arguments->object,
						     .image = image,
						     .symbol = name,
						     .binding = binding};
			code = check_target(run, &target, options);
		}
		checked++;
	}
	if (code == EXIT_PASS && checked == 0 && named)
		return cli_error("%s: no function binding %s names (its 'symbols' row); give --symbol",
				 arguments->object, named->name);
	if (code == EXIT_PASS && checked == 0)
		return cli_error("%s: no function a binding names; give --symbol and --binding",
				 arguments->object);
	return code;
}

static int check_bundled_stubs(struct check_run *run, const struct check_arguments *arguments,
			       const struct check_options *options)
{
	if (arguments->binding && !catalog_find_binding(&run->catalog, arguments->binding))
		return cli_error("unknown binding '%s' (see 'tdxabi list bindings')", arguments->binding);
	size_t checked = 0;
	for (size_t index = 0; index < run->catalog.stub_count; index++) {
		const struct reference_stub *stub = &run->catalog.stubs[index];
		if ((arguments->symbol && strcmp(arguments->symbol, stub->symbol) != 0) ||
		    (arguments->binding && strcmp(arguments->binding, stub->binding) != 0))
			continue;
		char bundle_name[96];
		snprintf(bundle_name, sizeof(bundle_name), "stubs/%s", stub->object);
		size_t size;
		const unsigned char *bytes = catalog_bundled(bundle_name, &size);
		if (!bytes)
			return cli_error("bundled stub object %s is missing", bundle_name);
		const struct object_image *image;
		int code = load_image(run, stub->object, bytes, size, &image);
		if (code != EXIT_PASS)
			return code;
		struct stub_target target = {
			.object_name = stub->object,
			.image = image,
			.symbol = stub->symbol,
			.binding = catalog_find_binding(&run->catalog, stub->binding)};
		enum tdx_instruction instruction;
		struct diagnostic diagnostic;
		if (stub_check_instruction(&target, &instruction, &diagnostic) != TDXABI_OK)
			return cli_error("%s", diagnostic.text);
		if (!case_matrix_reaches(target.binding, options->spec, instruction,
					 options->selection.leaf_name))
			continue; /* --leaf names a leaf this stub cannot issue */
		if ((code = check_target(run, &target, options)) != EXIT_PASS)
			return code;
		checked++;
	}
	if (checked == 0)
		return cli_error("no bundled stub matches --symbol, --binding and --leaf (see 'tdxabi "
				 "list bindings')");
	return EXIT_PASS;
}

/* trace: each traced case listed as it ran */
static enum tdxabi_status write_traced_case(void *context, const struct traced_case *traced,
					    struct diagnostic *diagnostic)
{
	struct trace_output *output = context;
	struct report_options options = {.colour = false};
	if (output->count++)
		fputc('\n', output->stream);
	return trace_report_write(output->stream, traced, &options, diagnostic);
}

int trace_finish(const struct check_report *report, struct trace_output *output)
{
	/* cases judged without running: skipped, or a leaf the binding cannot carry */
	for (size_t index = 0; output->count == 0 && index < report->result_count; index++) {
		const struct check_result *result = &report->results[index];
		fprintf(output->stream, "%s:%s  leaf %s  fault %s  variant %s: not run: ",
			result->object, result->stub, result->leaf, result->fault,
			result->variant[0] ? result->variant : "plain");
		if (result->verdict == VERDICT_SKIP)
			fprintf(output->stream, "%s\n", result->skip_reason);
		for (size_t which = 0; which < result->violation_count; which++)
			fprintf(output->stream, "%s%s: %s\n", which ? "  " : "",
				rule_id(result->violations[which].rule),
				result->violations[which].detail);
	}
	return close_report_stream(output->stream, output->path, check_report_totals(report).fail);
}

static int run_command(int argc, char **argv, bool trace)
{
	struct check_arguments arguments = {.trace = trace};
	int code = parse_arguments(argc, argv, &arguments);
	if (code == -1)
		return EXIT_PASS;
	if (code != EXIT_PASS)
		return code;
	struct check_run *run = calloc(1, sizeof(*run));
	if (!run)
		return cli_error("out of memory");
	struct diagnostic diagnostic;
	struct trace_output trace_output = {NULL, arguments.reports[0].path, 0};
	struct check_options options = {.environment_kinds = every_environment_kind,
					.environment_kind_count = every_environment_kind_count,
					.seed = arguments.seed,
					.seed_count = (unsigned)arguments.seeds,
					.instruction_budget = arguments.budget,
					.jobs = (unsigned)arguments.jobs,
					.case_seconds = arguments.case_seconds};
	options.selection.leaf_name = arguments.leaf;
	options.selection.variant_name = arguments.variant;
	if (catalog_load(&run->catalog, &diagnostic) != TDXABI_OK)
		code = cli_error("bundled data: %s", diagnostic.text);
	if (code == EXIT_PASS)
		code = parse_faults(arguments.faults, &options.selection);
	char unknown[64];
	options.selection.td_config_mask = TD_CONFIG_DEFAULT_MASK;
	if (code == EXIT_PASS && arguments.td_configs &&
	    !td_config_parse_list(arguments.td_configs, &options.selection.td_config_mask, unknown,
				  sizeof(unknown)))
		code = cli_error("--td-config: unknown TD configuration '%s' (no-rbp-mod, none or all)",
				 unknown);
	if (code == EXIT_PASS)
		code = resolve_spec(run, arguments.spec, &options.spec);
	if (code == EXIT_PASS && trace) {
		if (!(trace_output.stream = open_report_stream(arguments.reports[0].path)))
			code = EXIT_BAD_INPUT;
		options.trace_writer = write_traced_case;
		options.trace_context = &trace_output;
	}
	struct check_reporting reporting = {0};
	if (code == EXIT_PASS && !trace && (code = reporting_open(&arguments, &reporting)) == EXIT_PASS)
		run->reporting = &reporting;
	if (code == EXIT_PASS && arguments.linux_tree) {
		code = check_linux_tree(&arguments, &run->catalog, &options, &trace_output,
					run->reporting);
	} else if (code == EXIT_PASS) {
		code = arguments.object ? check_user_object(run, &arguments, &options)
					: check_bundled_stubs(run, &arguments, &options);
		if (code == EXIT_PASS && trace)
			code = trace_finish(&run->report, &trace_output);
		else if (code == EXIT_PASS)
			code = reporting_finish(&arguments, &reporting, NULL, NULL);
	}
	if (code != EXIT_PASS && run->reporting)
		reporting_abandon(&reporting);
	if (code != EXIT_PASS && trace_output.stream && trace_output.stream != stdout)
		fclose(trace_output.stream);
	check_run_free(run);
	free(run);
	return code;
}

int command_check(int argc, char **argv)
{
	return run_command(argc, argv, false);
}

int command_trace(int argc, char **argv)
{
	return run_command(argc, argv, true);
}
