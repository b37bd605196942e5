/* report_outputs.c - a check run's reports while it runs: the streams it
 * asked for (--format and --output, each --report FORMAT=FILE, colour
 * decided per stream), the findings --baseline and --allow accept, each
 * stub's results handed on as they come, and at the end the baseline it
 * writes and the exit code the findings imply. */
#define _DEFAULT_SOURCE /* realpath, lstat */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acceptance.h"
#include "commands.h"
#include "file_contents.h"

/* Colour only for text on a terminal, and never with NO_COLOR set
 * (no-color.org: present and not empty). */
static bool wants_colour(FILE *stream, enum report_format format)
{
	const char *no_colour = getenv("NO_COLOR");
	return format == REPORT_TEXT && isatty(fileno(stream)) && !(no_colour && no_colour[0]);
}

static int read_acceptance(const struct check_arguments *arguments, struct acceptance *acceptance)
{
	struct diagnostic diagnostic;
	int code = EXIT_PASS;
	uint8_t *baseline = NULL;
	size_t size = 0;
	if (arguments->baseline &&
	    (file_contents_read(arguments->baseline, &baseline, &size, &diagnostic) != TDXABI_OK ||
	     acceptance_read_baseline(acceptance, arguments->baseline, (const char *)baseline, size,
				      &diagnostic) != TDXABI_OK))
		code = cli_error("%s", diagnostic.text);
	for (size_t index = 0; code == EXIT_PASS && index < arguments->allow_count; index++)
		if (acceptance_allow(acceptance, arguments->allows[index], &diagnostic) != TDXABI_OK)
			code = cli_error("%s", diagnostic.text);
	free(baseline);
	return code;
}

/* A report to a regular file (or a new one) is written beside it under a
 * temporary name and renamed over it at the end, so that a run that fails
 * leaves what was there: through a symbolic link, beside its target, and
 * with the old file's mode. A FIFO or a device, a dangling link, or a
 * directory the tool cannot write in is written directly. `target` gets
 * the name the temporary file takes at the end. */
static FILE *open_output(const char *path, char *temporary, char *target, size_t size)
{
	temporary[0] = '\0';
	struct stat information;
	bool exists = path && stat(path, &information) == 0;
	if (!path || (exists && !S_ISREG(information.st_mode)))
		return open_report_stream(path);
	char *resolved = exists ? realpath(path, NULL) : NULL;
	int named = snprintf(target, size, "%s", resolved ? resolved : path);
	free(resolved);
	struct stat link;
	if (named < 0 || (size_t)named >= size || (!exists && lstat(path, &link) == 0))
		return open_report_stream(path); /* too long to rename into, or a dangling link */
	const char *slash = strrchr(target, '/');
	int written = snprintf(temporary, size, "%.*s.%s.tdxabi-XXXXXX",
			       slash ? (int)(slash - target + 1) : 0, target,
			       slash ? slash + 1 : target);
	int descriptor = written > 0 && (size_t)written < size ? mkstemp(temporary) : -1;
	if (descriptor < 0) {
		temporary[0] = '\0';
		return open_report_stream(path); /* no room beside it: in place */
	}
	mode_t mask = umask(0);
	umask(mask);
	fchmod(descriptor, exists ? information.st_mode & 07777 : 0666 & ~mask);
	FILE *stream = fdopen(descriptor, "w");
	if (!stream) {
		cli_error("cannot write %s: %s", path, strerror(errno));
		close(descriptor);
		unlink(temporary);
		temporary[0] = '\0';
	}
	return stream;
}

/* Closes a stream of open_output: the temporary file takes its name, or
 * after a failure is removed. */
static int close_output(FILE *stream, const char *path, const char *temporary,
			const char *target, bool failed)
{
	int code = close_report_stream(stream, path, 0);
	if (!temporary[0])
		return code;
	if (failed || code != EXIT_PASS)
		unlink(temporary);
	else if (rename(temporary, target) != 0)
		code = cli_error("cannot write %s: %s", path, strerror(errno));
	return code;
}

/* Closes every stream, the first failure deciding the code. */
static int close_outputs(struct check_reporting *reporting, bool failed)
{
	int code = EXIT_PASS;
	for (size_t index = 0; index < reporting->count; index++) {
		int closed = close_output(reporting->outputs[index].stream, reporting->paths[index],
					  reporting->temporary[index], reporting->targets[index],
					  failed || code != EXIT_PASS);
		code = code == EXIT_PASS ? closed : code;
	}
	reporting->count = 0;
	return code;
}

int reporting_open(const struct check_arguments *arguments, struct check_reporting *reporting)
{
	int code = read_acceptance(arguments, &reporting->acceptance);
	for (size_t index = 0; code == EXIT_PASS && index < arguments->report_count; index++) {
		const struct report_request *request = &arguments->reports[index];
		FILE *stream = open_output(request->path, reporting->temporary[reporting->count],
					   reporting->targets[reporting->count],
					   sizeof(reporting->temporary[0]));
		if (!stream) {
			code = EXIT_BAD_INPUT;
			break;
		}
		reporting->paths[reporting->count] = request->path;
		reporting->outputs[reporting->count++] = (struct report_output){
			.stream = stream,
			.format = request->format,
			.options = {.colour = wants_colour(stream, request->format),
				    .quiet = arguments->quiet,
				    .trace_command = trace_command_write,
				    .trace_context = arguments,
				    .tool_version = TDXABI_VERSION}};
	}
	struct diagnostic diagnostic;
	if (code == EXIT_PASS && report_session_open(&reporting->session, reporting->outputs,
						     reporting->count, &diagnostic) != TDXABI_OK)
		code = cli_error("%s", diagnostic.text);
	reporting->session_open = code == EXIT_PASS;
	if (code != EXIT_PASS)
		reporting_abandon(reporting);
	return code;
}

enum tdxabi_status reporting_deliver(void *context, struct check_report *report,
				     struct diagnostic *diagnostic)
{
	struct check_reporting *reporting = context;
	acceptance_apply(&reporting->acceptance, report);
	enum tdxabi_status status = report_session_add(&reporting->session, report, diagnostic);
	check_report_free(report);
	return status;
}

int reporting_finish(const struct check_arguments *arguments, struct check_reporting *reporting,
		     digest_text_writer text, const void *text_context)
{
	const struct report_digest *digest = &reporting->session.digest;
	int code = EXIT_PASS;
	if (arguments->write_baseline) {
		char temporary[4096], target[4096];
		FILE *stream = open_output(arguments->write_baseline, temporary, target,
					   sizeof(temporary));
		code = EXIT_BAD_INPUT;
		if (stream) {
			acceptance_write_baseline(stream, &digest->findings);
			code = close_output(stream, arguments->write_baseline, temporary, target,
					    false);
		}
	}
	if (code != EXIT_PASS) {
		reporting_abandon(reporting);
		return code;
	}
	report_session_finish(&reporting->session, text, text_context);
	struct report_totals totals = digest->totals;
	code = close_outputs(reporting, false);
	reporting_abandon(reporting);
	if (code != EXIT_PASS)
		return code;
	if (totals.fail)
		return EXIT_VIOLATION;
	if (arguments->reports[0].format == REPORT_KTAP && totals.pass == 0)
		return EXIT_KSELFTEST_SKIP;
	return EXIT_PASS;
}

void reporting_abandon(struct check_reporting *reporting)
{
	close_outputs(reporting, true);
	if (reporting->session_open)
		report_session_free(&reporting->session);
	reporting->session_open = false;
	acceptance_free(&reporting->acceptance);
}
