/* test_walkthrough.c - runs the walkthroughs of conformance/scenarios/ as
 * written: each ```sh block a tdxabi command with its "# exit N", the ```text
 * block after it lines its output must hold; kernel steps ("# needs:
 * linux-6.12") when the test cache holds the 6.12 tree. */
#define _DEFAULT_SOURCE /* strndup, setenv */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test_support.h"

#define SCENARIOS TDXABI_SOURCE_DIR "/conformance/scenarios/"
#define LINUX_612 TDXABI_TEST_CACHE "/trees/linux-source-6.12"
#define MAX_ARGUMENTS 32

/* Replaces $STUBS and $LINUX in text, into a malloc'ed string. */
static char *expand(const char *text)
{
	static const char *const names[] = {"$STUBS", "$LINUX"};
	static const char *const values[] = {TDXABI_STUB_DIR, LINUX_612};
	size_t capacity = strlen(text) * 4 + 1024, used = 0;
	char *result = malloc(capacity);
	while (*text) {
		size_t which = 0;
		while (which < 2 && strncmp(text, names[which], strlen(names[which])) != 0)
			which++;
		if (which < 2) {
			used += (size_t)snprintf(result + used, capacity - used, "%s", values[which]);
			text += strlen(names[which]);
		} else {
			result[used++] = *text++;
		}
	}
	result[used] = '\0';
	return result;
}

/* The next fenced block of the given language after *cursor; its body is
 * returned malloc'ed and *cursor moves past it. NULL when there is none. */
static char *next_block(const char *document, const char **cursor, const char *language)
{
	char fence[32];
	snprintf(fence, sizeof(fence), "```%s\n", language);
	const char *start = strstr(*cursor, fence);
	if (!start)
		return NULL;
	start += strlen(fence);
	const char *end = strstr(start, "```\n");
	if (!end)
		fail_msg("%s: unterminated ```%s block", document, language);
	*cursor = end + 4;
	return strndup(start, (size_t)(end - start));
}

struct step {
	int exit_code;
	bool needs_linux;
	char *command; /* one line, "tdxabi ..." */
};

static void parse_step(const char *document, char *block, struct step *step)
{
	memset(step, 0, sizeof(*step));
	step->exit_code = -1;
	for (char *line = strtok(block, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "# exit %d", &step->exit_code) == 1)
			continue;
		if (strcmp(line, "# needs: linux-6.12") == 0)
			step->needs_linux = true;
		else if (strncmp(line, "tdxabi ", 7) == 0 && !step->command)
			step->command = line;
		else
			fail_msg("%s: unexpected line in a sh block: %s", document, line);
	}
	if (!step->command || step->exit_code < 0)
		fail_msg("%s: a sh block needs '# exit N' and one tdxabi command", document);
}

static void run_step(const struct step *step, const char *expected)
{
	char *command = expand(step->command);
	const char *arguments[MAX_ARGUMENTS + 1];
	size_t count = 0;
	for (char *word = strtok(command + strlen("tdxabi "), " "); word; word = strtok(NULL, " ")) {
		if (count == MAX_ARGUMENTS)
			fail_msg("%s: too many arguments", step->command);
		arguments[count++] = word;
	}
	arguments[count] = NULL;
	struct tool_run run = run_tool(arguments);
	if (run.exit_code != step->exit_code)
		fail_msg("%s: exit %d, the walkthrough says %d\n%s%s", step->command, run.exit_code,
			 step->exit_code, run.out, run.err);
	char *lines = expand(expected);
	for (char *line = strtok(lines, "\n"); line; line = strtok(NULL, "\n"))
		if (!strstr(run.out, line))
			fail_msg("%s: output lacks the walkthrough's line\n  %s\nit printed:\n%s",
				 step->command, line, run.out);
	free(lines);
	free_run(&run);
	free(command);
}

/* Runs one document's steps; it must have at least `minimum` of them, and
 * run a kernel step where the tree is there. */
static void run_document(const char *name, size_t minimum, bool have_linux)
{
	char document[512];
	snprintf(document, sizeof(document), "%s%s", SCENARIOS, name);
	size_t size;
	char *text = (char *)read_test_file(document, &size);
	size_t steps = 0, kernel_steps = 0;
	const char *cursor = text;
	for (char *block; (block = next_block(document, &cursor, "sh"));) {
		struct step step;
		parse_step(document, block, &step);
		const char *after = cursor;
		char *expected = next_block(document, &after, "text");
		const char *next_step = strstr(cursor, "```sh\n");
		if (!expected || (next_step && next_step < after))
			fail_msg("%s: %s has no ```text block after it", document, step.command);
		cursor = after;
		if (!step.needs_linux || have_linux) {
			run_step(&step, expected);
			steps++;
			kernel_steps += step.needs_linux;
		}
		free(expected);
		free(block);
	}
	free(text);
	assert_true(steps >= minimum);
	if (!have_linux)
		print_message("%s: no 6.12 tree in %s, kernel steps skipped\n", name, LINUX_612);
	else
		assert_true(kernel_steps >= 1);
}

static void test_walkthrough_commands(void **state)
{
	(void)state;
	struct stat tree;
	bool have_linux = stat(LINUX_612 "/arch/x86/virt/vmx/tdx/seamcall.S", &tree) == 0;
	/* --linux builds into the default cache: keep it with the test cache */
	setenv("XDG_CACHE_HOME", TDXABI_TEST_CACHE "/walkthrough", 1);
	run_document("callee-saved-inputs.md", 7, have_linux);
	run_document("module-releases.md", 8, have_linux);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walkthrough_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
