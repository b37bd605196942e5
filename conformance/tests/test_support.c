/* test_support.c - helpers of test_support.h. */
#include "test_support.h"

#include "linux_environment.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "binding_audit.h"
#include "file_contents.h"
#include "tdx_opcodes.h"
#include "printable_text.h"

int set_up_catalog(void **state)
{
	struct catalog *catalog = calloc(1, sizeof(*catalog));
	struct diagnostic diagnostic;
	if (!catalog || catalog_load(catalog, &diagnostic) != TDXABI_OK)
		fail_msg("bundled catalog: %s", catalog ? diagnostic.text : "out of memory");
	*state = catalog;
	return 0;
}

int tear_down_catalog(void **state)
{
	catalog_free(*state);
	free(*state);
	return 0;
}

uint8_t *read_test_file(const char *path, size_t *size)
{
	uint8_t *bytes = NULL;
	struct diagnostic diagnostic;
	if (file_contents_read(path, &bytes, size, &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	return bytes;
}

void load_test_object(const char *path, struct object_image *image)
{
	size_t size;
	uint8_t *bytes = read_test_file(path, &size);
	struct diagnostic diagnostic;
	enum tdxabi_status status = object_image_load(bytes, size, path, image, &diagnostic);
	free(bytes);
	if (status != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
}

enum tdxabi_status check_test_stub_under(const struct catalog *catalog,
					 const struct spec_table *spec, const char *object_path,
					 const char *symbol, const char *binding_name,
					 const char *leaf, unsigned td_config_mask,
					 struct check_report *report, struct diagnostic *diagnostic)
{
	const struct binding *binding = catalog_find_binding(catalog, binding_name);
	if (!binding)
		fail_msg("no bundled binding %s", binding_name);
	return check_test_stub_with(binding, spec, object_path, symbol, leaf, td_config_mask, report,
				    diagnostic);
}

enum tdxabi_status check_test_stub_with(const struct binding *binding,
					const struct spec_table *spec, const char *object_path,
					const char *symbol, const char *leaf, unsigned td_config_mask,
					struct check_report *report, struct diagnostic *diagnostic)
{
	struct object_image image;
	load_test_object(object_path, &image);
	struct stub_target target = {.object_name = object_path,
				     .image = &image,
				     .symbol = symbol,
				     .binding = binding};
	struct check_options options = {
		.environment_kinds = every_environment_kind,
		.environment_kind_count = every_environment_kind_count,
		.spec = spec,
		.selection = {.leaf_name = leaf, .fault_mask = ALL_FAULTS,
			      .td_config_mask = td_config_mask},
		.seed = 1,
		.instruction_budget = DEFAULT_INSTRUCTION_BUDGET,
	};
	enum tdxabi_status status = stub_check_run(&target, &options, report, diagnostic);
	object_image_free(&image);
	return status;
}

enum tdxabi_status check_test_stub(const struct catalog *catalog, const char *object_path,
				   const char *symbol, const char *binding_name, const char *leaf,
				   struct check_report *report, struct diagnostic *diagnostic)
{
	return check_test_stub_under(catalog, catalog_default_spec(catalog), object_path, symbol,
				     binding_name, leaf, 0, report, diagnostic);
}

/* A small JSON syntax checker, enough to prove the report parses. */
static const char *skip_space(const char *text)
{
	while (*text == ' ' || *text == '\n' || *text == '\t' || *text == '\r')
		text++;
	return text;
}

static const char *json_value(const char *text);

static const char *json_string(const char *text)
{
	if (*text != '"')
		return NULL;
	for (text++; *text && *text != '"';) {
		size_t length = utf8_character_length((const unsigned char *)text, strnlen(text, 4));
		if (length == 0 || (unsigned char)*text < 0x20)
			return NULL;
		if (*text == '\\' && !*++text)
			return NULL;
		text += length;
	}
	return *text == '"' ? text + 1 : NULL;
}

static const char *json_sequence(const char *text, char close, bool members)
{
	text = skip_space(text + 1);
	if (*text == close)
		return text + 1;
	for (;;) {
		if (members) {
			if (!(text = json_string(skip_space(text))))
				return NULL;
			text = skip_space(text);
			if (*text++ != ':')
				return NULL;
		}
		if (!(text = json_value(text)))
			return NULL;
		text = skip_space(text);
		if (*text == close)
			return text + 1;
		if (*text++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *text)
{
	text = skip_space(text);
	if (*text == '{')
		return json_sequence(text, '}', true);
	if (*text == '[')
		return json_sequence(text, ']', false);
	if (*text == '"')
		return json_string(text);
	if (strncmp(text, "null", 4) == 0 || strncmp(text, "true", 4) == 0)
		return text + 4;
	if (strncmp(text, "false", 5) == 0)
		return text + 5;
	const char *start = text; /* a number: sign, digits, fraction, exponent */
	while ((*text >= '0' && *text <= '9') || *text == '-' || *text == '+' || *text == '.' ||
	       ((*text == 'e' || *text == 'E') && text > start))
		text++;
	return text > start ? text : NULL;
}

void assert_json(const char *text)
{
	const char *end = json_value(text);
	if (!end || *skip_space(end) != '\0')
		fail_msg("not valid JSON near \"%.60s\"", end ? end : text);
}

static char *slurp(int descriptor)
{
	struct stat information;
	fstat(descriptor, &information);
	char *text = malloc((size_t)information.st_size + 1);
	lseek(descriptor, 0, SEEK_SET);
	ssize_t got = read(descriptor, text, (size_t)information.st_size);
	text[got > 0 ? got : 0] = '\0';
	close(descriptor);
	return text;
}

struct tool_run run_tool(const char *const *arguments)
{
	char out_path[] = "/tmp/tdxabi-test-out-XXXXXX", err_path[] = "/tmp/tdxabi-test-err-XXXXXX";
	int out = mkstemp(out_path), err = mkstemp(err_path);
	unlink(out_path);
	unlink(err_path);
	const char *argv[32] = {TDXABI_BINARY};
	size_t count = 1;
	for (; arguments[count - 1]; count++)
		argv[count] = arguments[count - 1];
	argv[count] = NULL;
	pid_t child = fork();
	if (child == 0) {
		int nothing = open("/dev/null", O_RDONLY);
		dup2(nothing, 0);
		dup2(out, 1);
		dup2(err, 2);
		execv(TDXABI_BINARY, (char *const *)argv);
		_exit(127);
	}
	int status = 0;
	waitpid(child, &status, 0);
	struct tool_run run = {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
	return run;
}

void free_run(struct tool_run *run)
{
	free(run->out);
	free(run->err);
}

void assert_contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("expected to find \"%s\" in:\n%s", part, text);
}

/* The words of a command as a POSIX shell splits it (our quoting: '...'
 * and '\''), into storage. */
size_t test_split_command(const char *command, char *storage, size_t size, const char **words)
{
	size_t count = 0, used = 0;
	const char *cursor = command;
	while (*cursor && count < TEST_MAX_WORDS - 1) {
		while (*cursor == ' ')
			cursor++;
		if (!*cursor)
			break;
		words[count++] = storage + used;
		while (*cursor && *cursor != ' ' && used + 1 < size) {
			if (*cursor == '\'') {
				for (cursor++; *cursor && *cursor != '\'' && used + 1 < size; cursor++)
					storage[used++] = *cursor;
				if (*cursor)
					cursor++;
			} else if (*cursor == '\\' && cursor[1]) {
				storage[used++] = cursor[1];
				cursor += 2;
			} else {
				storage[used++] = *cursor++;
			}
		}
		storage[used++] = '\0';
	}
	words[count] = NULL;
	return count;
}

/* The first line of text that starts with prefix, without its newline. */
bool test_first_line(const char *text, const char *prefix, char *line, size_t size)
{
	for (const char *cursor = text; cursor && *cursor;) {
		const char *end = strchr(cursor, '\n');
		size_t length = end ? (size_t)(end - cursor) : strlen(cursor);
		if (strncmp(cursor, prefix, strlen(prefix)) == 0 && length < size) {
			memcpy(line, cursor, length);
			line[length] = '\0';
			return true;
		}
		cursor = end ? end + 1 : NULL;
	}
	return false;
}

struct run_footprint {
	const struct object_image *image;
	register_set changed;  /* registers a non-TDX instruction changed */
	uint64_t *rips;        /* instructions run */
	size_t rip_count, rip_capacity;
};

static enum tdxabi_status collect_footprint(void *context, const struct traced_case *traced,
					    struct diagnostic *diagnostic)
{
	(void)diagnostic;
	struct run_footprint *footprint = context;
	size_t count = call_trace_count(traced->trace);
	for (size_t index = 0; index < count; index++) {
		const struct trace_step *step = call_trace_step(traced->trace, index);
		const uint64_t *after = index + 1 < count ? call_trace_step(traced->trace, index + 1)->registers
							  : traced->outcome->registers;
		const struct image_section *section = object_image_section_at(footprint->image, step->rip);
		bool tdx = section && tdx_opcode_at(section->bytes + (step->rip - section->address),
						    (size_t)(section->size - (step->rip - section->address))) !=
					      TDX_OPCODE_NONE;
		for (int gpr = 0; gpr < GPR_COUNT && !tdx; gpr++)
			if (after[gpr] != step->registers[gpr])
				footprint->changed |= REGISTER_BIT(gpr);
		bool known = false;
		for (size_t which = 0; which < footprint->rip_count && !known; which++)
			known = footprint->rips[which] == step->rip;
		if (!known && footprint->rip_count < footprint->rip_capacity)
			footprint->rips[footprint->rip_count++] = step->rip;
	}
	return TDXABI_OK;
}

void audit_agrees_with_runs(const struct spec_table *spec, const struct object_image *image,
			    const char *symbol, const struct binding *binding,
			    struct audit_result *audit)
{
	struct diagnostic diagnostic;
	if (binding_audit_run(image, symbol, binding, every_environment_kind,
			      every_environment_kind_count, audit, NULL, 0, &diagnostic) != TDXABI_OK)
		fail_msg("%s: %s", symbol, diagnostic.text);

	struct run_footprint footprint = {.image = image, .rip_capacity = 4096};
	footprint.rips = calloc(footprint.rip_capacity, sizeof(*footprint.rips));
	struct stub_target target = {.object_name = image->file_name, .image = image,
				     .symbol = symbol, .binding = binding};
	struct check_options options = {
		.environment_kinds = every_environment_kind,
		.environment_kind_count = every_environment_kind_count,
		.spec = spec,
		.selection = {.fault_mask = ALL_FAULTS, .td_config_mask = TD_CONFIG_ALL_MASK},
		.seed = 1,
		.instruction_budget = DEFAULT_INSTRUCTION_BUDGET,
		.trace_writer = collect_footprint,
		.trace_context = &footprint,
	};
	struct check_report report = {0};
	if (stub_check_run(&target, &options, &report, &diagnostic) != TDXABI_OK)
		fail_msg("%s: %s", symbol, diagnostic.text);
	check_report_free(&report);
	char missed[128];
	register_set unseen = footprint.changed & ~audit->writes;
	if (unseen)
		fail_msg("%s:%s: at run time instructions changed %s, which the audit's writes lack",
			 image->file_name, symbol, register_set_format(unseen, missed, sizeof(missed)));
	for (size_t index = 0; index < footprint.rip_count; index++) {
		bool inside = false;
		for (size_t block = 0; block < audit->block_count && !inside; block++)
			inside = footprint.rips[index] >= audit->blocks[block].start &&
				 footprint.rips[index] < audit->blocks[block].end;
		if (!inside)
			fail_msg("%s:%s: 0x%llx ran, but the audit's graph does not reach it",
				 image->file_name, symbol, (unsigned long long)footprint.rips[index]);
	}
	free(footprint.rips);
}

size_t read_mutant_rows(struct mutant_row *rows, size_t max)
{
	size_t size, count = 0;
	char *list = (char *)read_test_file(TDXABI_SOURCE_DIR "/stubs/mutants/mutants.list", &size);
	for (char *save = NULL, *line = strtok_r(list, "\n", &save); line && count < max;
	     line = strtok_r(NULL, "\n", &save)) {
		struct mutant_row *row = &rows[count];
		if (line[0] != '#' && sscanf(line, "%63s %63s %95s %63s %63s", row->rule, row->object,
					     row->symbol, row->binding, row->leaf) == 5)
			count++;
	}
	free(list);
	return count;
}

/* Exit 2 and exactly one line on stderr that contains `expected`. */
void expect_bad_input(const char *const *arguments, const char *expected)
{
	struct tool_run run = run_tool(arguments);
	size_t newlines = 0;
	for (const char *cursor = run.err; *cursor; cursor++)
		newlines += *cursor == '\n';
	if (run.exit_code != 2 || newlines != 1 || !strstr(run.err, expected))
		fail_msg("%s ...: exit %d, stderr \"%s\", expected exit 2 and \"%s\"", arguments[0],
			 run.exit_code, run.err, expected);
	assert_contains(run.err, "tdxabi: error: ");
	free_run(&run);
}
