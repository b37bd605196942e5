/* linux_test_support.c - the kernel-tree suites' shared helpers (see
 * linux_test_support.h). */
#include "bundled_shims.h"
#include "linux_environment.h"
#include "linux_test_support.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *tree_named_or_skip(const char *name, const char *how_to_install)
{
	static char path[512];
	char marker[600];
	snprintf(path, sizeof(path), "%s/%s", TREES, name);
	snprintf(marker, sizeof(marker), "%s/.complete", path);
	if (access(marker, F_OK) != 0) {
		print_message("%s is not there (%s): skipped\n", name, how_to_install);
		skip();
	}
	return path;
}

const char *tree_or_skip(const char *version)
{
	char name[64], hint[96];
	snprintf(name, sizeof(name), "linux-source-%s", version);
	snprintf(hint, sizeof(hint), "apt-get install linux-source-%s", version);
	return tree_named_or_skip(name, hint);
}

/* The tree's release as its own Makefile states it ("6.12.118"): Debian's
 * kernels move every few weeks, so no test writes a sublevel down. */
const char *tree_release(const char *tree)
{
	static char release[64];
	char path[600];
	size_t size;
	snprintf(path, sizeof(path), "%s/Makefile", tree);
	char *makefile = (char *)read_test_file(path, &size);
	int numbers[3] = {-1, -1, -1};
	static const char *const names[3] = {"VERSION", "PATCHLEVEL", "SUBLEVEL"};
	for (char *line = strtok(makefile, "\n"); line; line = strtok(NULL, "\n"))
		for (int which = 0; which < 3; which++) {
			char name[16];
			int number;
			if (numbers[which] < 0 && sscanf(line, "%15s = %d", name, &number) == 2 &&
			    strcmp(name, names[which]) == 0)
				numbers[which] = number;
		}
	free(makefile);
	if (numbers[0] < 0 || numbers[1] < 0 || numbers[2] < 0)
		fail_msg("%s has no VERSION, PATCHLEVEL and SUBLEVEL", path);
	snprintf(release, sizeof(release), "%d.%d.%d", numbers[0], numbers[1], numbers[2]);
	return release;
}

void shell(const char *format, ...)
{
	char command[2048];
	va_list arguments;
	va_start(arguments, format);
	vsnprintf(command, sizeof(command), format, arguments);
	va_end(arguments);
	if (system(command) != 0)
		fail_msg("'%s' failed", command);
}

/* A scratch copy of a tree (or of the shims) that a test may patch. */
const char *scratch_copy(const char *source, const char *name)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/scratch/%s", TDXABI_TEST_CACHE, name);
	shell("rm -rf '%s' && mkdir -p \"$(dirname '%s')\"", path, path);
	shell("cp -r '%s' '%s'", source, path);
	return path;
}

void replace_in_file(const char *path, const char *old, const char *new)
{
	size_t size;
	char *text = (char *)read_test_file(path, &size);
	char *found = strstr(text, old);
	if (!found)
		fail_msg("%s does not contain \"%s\"", path, old);
	FILE *file = fopen(path, "wb");
	fwrite(text, 1, (size_t)(found - text), file);
	fputs(new, file);
	fputs(found + strlen(old), file);
	fclose(file);
	free(text);
}


void run_linux_in(const struct catalog *catalog, const char *tree, const char *cache,
			 const struct spec_table *spec, struct linux_run *run)
{
	struct shim_file *shims;
	size_t shim_count;
	if (bundled_shims_load(&shims, &shim_count, &run->diagnostic) != TDXABI_OK)
		fail_msg("%s", run->diagnostic.text);
	struct check_options options = {.environment_kinds = every_environment_kind,
		.environment_kind_count = every_environment_kind_count,
					.spec = spec,
		.selection = {.leaf_name = NULL, .fault_mask = ALL_FAULTS},
		.seed = 1,
		.instruction_budget = DEFAULT_INSTRUCTION_BUDGET,
	};
	struct linux_check_request request = {.tree = tree, .cache_root = cache, .shims = shims,
					      .shim_count = shim_count, .catalog = catalog,
					      .options = &options};
	memset(&run->report, 0, sizeof(run->report));
	run->summary = calloc(1, sizeof(*run->summary));
	run->diagnostic.text[0] = '\0';
	run->status = linux_check_run(&request, &run->report, run->summary, &run->diagnostic);
	free(shims);
}

void run_linux_under(const struct catalog *catalog, const char *tree,
			    const struct spec_table *spec, struct linux_run *run)
{
	run_linux_in(catalog, tree, BUILDS, spec, run);
}

void run_linux(const struct catalog *catalog, const char *tree, struct linux_run *run)
{
	run_linux_under(catalog, tree, catalog_default_spec(catalog), run);
}

void free_linux_run(struct linux_run *run)
{
	check_report_free(&run->report);
	if (run->summary)
		linux_summary_free(run->summary);
	free(run->summary);
}

const struct linux_function_summary *function(const struct linux_run *run,
						     const char *name)
{
	for (size_t index = 0; index < run->summary->function_count; index++)
		if (strcmp(run->summary->functions[index].function, name) == 0)
			return &run->summary->functions[index];
	fail_msg("no function %s in the summary", name);
	return NULL;
}

bool has_rule(const struct check_report *report, enum rule rule, const char *stub)
{
	for (size_t index = 0; index < report->result_count; index++)
		for (size_t which = 0; which < report->results[index].violation_count; which++)
			if (report->results[index].violations[which].rule == rule &&
			    strcmp(report->results[index].stub, stub) == 0)
				return true;
	return false;
}

