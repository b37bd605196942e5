/* commands.h - the tdxabi commands. Each returns the process exit code: 0
 * all passed, 1 a violation, 2 bad usage or bad input (after printing one
 * line through cli_output.h). */
#ifndef TDXABI_COMMANDS_H
#define TDXABI_COMMANDS_H

#include <stdint.h>

#include "catalog.h"
#include "check_result.h"
#include "cli_output.h"
#include "report.h"
#include "stub_check.h"

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
int command_list(int argc, char **argv);
int command_spec_lint(int argc, char **argv);
int command_spec_diff(int argc, char **argv);

#endif
