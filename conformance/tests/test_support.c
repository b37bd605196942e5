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

#include "file_contents.h"
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
		size_t length = utf8_character_length((const unsigned char *)text, strlen(text));
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
	const char *start = text;
	while ((*text >= '0' && *text <= '9') || *text == '-')
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
