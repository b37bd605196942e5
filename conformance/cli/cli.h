/* cli.h - the tdxabi commands. Each returns the process exit code: 0 all
 * passed, 1 a violation, 2 bad usage or bad input (after printing one line). */
#ifndef TDXABI_CLI_H
#define TDXABI_CLI_H

#include <stdint.h>

#include "catalog.h"
#include "check_result.h"
#include "report.h"
#include "stub_check.h"

enum exit_code { EXIT_PASS = 0, EXIT_VIOLATION = 1, EXIT_BAD_INPUT = 2 };

struct check_arguments {
	const char *object;
	const char *symbol;
	const char *binding;
	const char *linux_tree;
	const char *cache;
	const char *shims;
	const char *kbuild_output; /* make O=DIR: where kbuild's objects and .config are */
	const char *spec;
	const char *leaf;
	const char *faults;
	const char *td_configs; /* --td-config LIST */
	const char *output;
	uint64_t seed;
	uint64_t budget;
	enum report_format format;
};

int command_check(int argc, char **argv);
/* `check --linux`: checks a tree, writes its report, returns the exit code. */
int check_linux_tree(const struct check_arguments *arguments, const struct catalog *catalog,
		     const struct check_options *options);
/* Opens --output (or standard output) for a report; NULL after printing an error. */
FILE *open_report_stream(const char *output);
/* Closes it, returning the exit code for a report with `failures` failures. */
int close_report_stream(FILE *stream, const char *output, size_t failures);
int command_list(int argc, char **argv);
int command_spec_lint(int argc, char **argv);
int command_spec_diff(int argc, char **argv);

/* Prints "tdxabi: error: <text>" to stderr and returns EXIT_BAD_INPUT. */
int cli_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
