/* command_linux.c - `tdxabi check --linux DIR`: resolves the cache and the
 * shim headers (bundled, or --shims DIR), runs linux_check_run, and writes
 * the per-function table (text) or the usual JSON / JUnit report. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundled_shims.h"
#include "commands.h"
#include "file_contents.h"
#include "kernel_build.h"
#include "linux_check.h"

struct shim_set {
	struct shim_file *files;
	size_t count;
	char **paths; /* owned, for shims read from a directory */
	uint8_t **contents;
};

static void shim_set_free(struct shim_set *set, bool owned)
{
	for (size_t index = 0; owned && index < set->count; index++) {
		free(set->paths[index]);
		free(set->contents[index]);
	}
	free(set->files);
	free(set->paths);
	free(set->contents);
}

static int add_shim(struct shim_set *set, const char *relative, const char *path)
{
	size_t index = set->count;
	struct shim_file *files = realloc(set->files, (index + 1) * sizeof(*files));
	if (files)
		set->files = files;
	char **paths = realloc(set->paths, (index + 1) * sizeof(*paths));
	if (paths)
		set->paths = paths;
	uint8_t **contents = realloc(set->contents, (index + 1) * sizeof(*contents));
	if (contents)
		set->contents = contents;
	if (!files || !paths || !contents || !(set->paths[index] = strdup(relative)))
		return cli_error("out of memory");
	struct diagnostic diagnostic;
	size_t size;
	if (file_contents_read(path, &set->contents[index], &size, &diagnostic) != TDXABI_OK) {
		free(set->paths[index]);
		return cli_error("%s", diagnostic.text);
	}
	set->files[index] = (struct shim_file){set->paths[index], set->contents[index], size};
	set->count++;
	return EXIT_PASS;
}

/* Reads every *.h under root/relative into the set, recursively. */
static int read_shim_directory(struct shim_set *set, const char *root, const char *relative)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s%s%s", root, relative[0] ? "/" : "", relative);
	DIR *directory = opendir(path);
	if (!directory)
		return cli_error("--shims %s: cannot read %s", root, path);
	int code = EXIT_PASS;
	for (struct dirent *entry; code == EXIT_PASS && (entry = readdir(directory));) {
		if (entry->d_name[0] == '.')
			continue;
		char child[4096], full[8192];
		snprintf(child, sizeof(child), "%s%s%s", relative, relative[0] ? "/" : "", entry->d_name);
		snprintf(full, sizeof(full), "%s/%s", root, child);
		struct stat information;
		if (stat(full, &information) != 0)
			continue;
		if (S_ISDIR(information.st_mode)) {
			code = read_shim_directory(set, root, child);
			continue;
		}
		size_t length = strlen(child);
		if (length < 2 || strcmp(child + length - 2, ".h") != 0)
			continue;
		code = add_shim(set, child, full);
	}
	closedir(directory);
	return code;
}

static int cache_root(const struct check_arguments *arguments, char *root, size_t size)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	if (arguments->cache)
		snprintf(root, size, "%s", arguments->cache);
	else if (xdg && xdg[0])
		snprintf(root, size, "%s/tdxabi", xdg);
	else if (home && home[0])
		snprintf(root, size, "%s/.cache/tdxabi", home);
	else
		return cli_error("no cache directory: give --cache DIR (or set XDG_CACHE_HOME or HOME)");
	return EXIT_PASS;
}

static void write_summary(FILE *stream, const void *context, const struct report_digest *digest,
			  const struct report_options *options)
{
	linux_summary_write_text(stream, context, digest, options);
}

int check_linux_tree(const struct check_arguments *arguments, const struct catalog *catalog,
		     const struct check_options *options, struct trace_output *trace,
		     struct check_reporting *reporting)
{
	char root[4096];
	int code = cache_root(arguments, root, sizeof(root));
	struct shim_set shims = {NULL, 0, NULL, NULL};
	struct diagnostic diagnostic;
	if (code == EXIT_PASS && arguments->shims)
		code = read_shim_directory(&shims, arguments->shims, "");
	else if (code == EXIT_PASS && bundled_shims_load(&shims.files, &shims.count, &diagnostic) != TDXABI_OK)
		code = cli_error("%s", diagnostic.text);
	struct linux_summary *summary = calloc(1, sizeof(*summary));
	struct check_report report = {0};
	if (code == EXIT_PASS && !summary)
		code = cli_error("out of memory");
	if (code == EXIT_PASS) {
		struct linux_check_request request = {.tree = arguments->linux_tree,
						      .kbuild_output = arguments->kbuild_output,
						      .cache_root = root,
						      .shims = shims.files,
						      .shim_count = shims.count,
						      .catalog = catalog,
						      .options = options,
						      .function = arguments->symbol,
						      .build_variant = arguments->build_variant,
						      .deliver = arguments->trace ? NULL : reporting_deliver,
						      .deliver_context = reporting};
		if (linux_check_run(&request, &report, summary, &diagnostic) != TDXABI_OK)
			code = cli_error("%s", diagnostic.text);
	}
	if (code == EXIT_PASS && arguments->trace)
		code = trace_finish(&report, trace);
	else if (code == EXIT_PASS)
		code = reporting_finish(arguments, reporting, write_summary, summary);
	check_report_free(&report);
	if (summary)
		linux_summary_free(summary);
	free(summary);
	shim_set_free(&shims, arguments->shims != NULL);
	return code;
}
