/* test_support.h - helpers shared by the cmocka suites: reading fixture and
 * stub objects, loading bundled bindings and specs, running a stub check. */
#ifndef TDXABI_TEST_SUPPORT_H
#define TDXABI_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "catalog.h"
#include "check_result.h"
#include "object_image.h"
#include "static_audit.h"
#include "stub_check.h"

/* cmocka group setup and teardown: *state becomes the loaded bundled catalog. */
int set_up_catalog(void **state);
int tear_down_catalog(void **state);
/* Reads a file into malloc'ed memory; fails the test if it cannot. */
uint8_t *read_test_file(const char *path, size_t *size);
/* Loads an object into an image; fails the test if it cannot. */
void load_test_object(const char *path, struct object_image *image);
/* Runs stub_check_run on one symbol of an object file with the bundled spec
 * and binding; leaf may be NULL (all). Returns the status. */
enum tdxabi_status check_test_stub(const struct catalog *catalog, const char *object_path,
				   const char *symbol, const char *binding, const char *leaf,
				   struct check_report *report, struct diagnostic *diagnostic);
/* The same under a spec revision of its own. */
enum tdxabi_status check_test_stub_under(const struct catalog *catalog,
					 const struct spec_table *spec, const char *object_path,
					 const char *symbol, const char *binding_name,
					 const char *leaf, unsigned td_config_mask, /* 0: the default */
					 struct check_report *report, struct diagnostic *diagnostic);
/* check_test_stub_under with a binding of the test's own. */
enum tdxabi_status check_test_stub_with(const struct binding *binding,
					const struct spec_table *spec, const char *object_path,
					const char *symbol, const char *leaf, unsigned td_config_mask,
					struct check_report *report, struct diagnostic *diagnostic);
/* Runs the tdxabi binary with arguments (NULL-terminated) and no standard
 * input; captures its exit code (-1: killed by a signal) and output. */
struct tool_run {
	int exit_code;
	char *out;
	char *err;
};
struct tool_run run_tool(const char *const *arguments);
void free_run(struct tool_run *run);

/* Asserts `text` is one JSON value, syntactically (strings must be valid
 * UTF-8 without control bytes). */
void assert_json(const char *text);
/* Asserts `text` contains `part`, printing both when it does not. */
void assert_contains(const char *text, const char *part);

/* The words of a command as a POSIX shell splits it (single quotes, '\''),
 * NULL-terminated in words, copied into storage. */
#define TEST_MAX_WORDS 64
size_t test_split_command(const char *command, char *storage, size_t size, const char **words);
/* The first line of text that starts with prefix, without its newline. */
bool test_first_line(const char *text, const char *prefix, char *line, size_t size);

/* Audits a function statically and runs its every case (all faults, every
 * TD configuration) traced: fails unless each register an instruction
 * changed at run time is among the audit's writes and each instruction run
 * is in its graph. Leaves the audit in *audit. */
void audit_agrees_with_runs(const struct spec_table *spec, const struct object_image *image,
			    const char *symbol, const struct binding *binding,
			    struct audit_result *audit);

/* The rows of stubs/mutants/mutants.list: rule, object, symbol, binding,
 * leaf ("all" or the one asked for). Returns how many (at most max). */
struct mutant_row {
	char rule[64], object[64], symbol[96], binding[64], leaf[64];
};
size_t read_mutant_rows(struct mutant_row *rows, size_t max);

/* Runs the tool: exit 2 and exactly one line on stderr, "tdxabi: error: ...",
 * that contains `expected`. */
void expect_bad_input(const char *const *arguments, const char *expected);

#endif
