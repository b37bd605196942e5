/* report_outputs.c - a check run's reports while it runs: the streams it
 * asked for (--format and --output, each --report FORMAT=FILE, colour
 * decided per stream), the findings --baseline and --allow accept, each
 * stub's results handed on as they come, and at the end the baseline it
 * writes and the exit code the findings imply. */
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
 * leaves what was there; a FIFO or a device is written directly. */
static FILE *open_output(const char *path, char *temporary, size_t size)
{
	temporary[0] = '\0';
	struct stat information;
	if (!path || (stat(path, &information) == 0 && !S_ISREG(information.st_mode)))
		return open_report_stream(path);
	const char *slash = strrchr(path, '/');
	int written = snprintf(temporary, size, "%.*s.%s.tdxabi-XXXXXX",
			       slash ? (int)(slash - path + 1) : 0, path, slash ? slash + 1 : path);
	int descriptor = written > 0 && (size_t)written < size ? mkstemp(temporary) : -1;
	if (descriptor < 0) {
		cli_error("cannot write %s: %s", path, strerror(errno ? errno : ENAMETOOLONG));
		temporary[0] = '\0';
		return NULL;
	}
	mode_t mask = umask(0);
	umask(mask);
	fchmod(descriptor, 0666 & ~mask);
	FILE *stream = fdopen(descriptor, "w");
	if (!stream) {
		cli_error("cannot write %s: %s", path, strerror(errno));
		close(descriptor);
		unlink(temporary);
		temporary[0] = '\0';
	}
	return stream;
}

/* Closes every stream: at the end, each temporary file takes its name;
 * after a failure, the temporary files are removed. */
static int close_outputs(struct check_reporting *reporting, bool failed)
{
	int code = EXIT_PASS;
	for (size_t index = 0; index < reporting->count; index++) {
		const char *path = reporting->paths[index], *temporary = reporting->temporary[index];
		int closed = close_report_stream(reporting->outputs[index].stream, path, 0);
		code = code == EXIT_PASS ? closed : code;
		if (!temporary[0])
			continue;
		if (failed || code != EXIT_PASS)
			unlink(temporary);
		else if (rename(temporary, path) != 0)
			code = cli_error("cannot write %s: %s", path, strerror(errno));
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
		FILE *stream = open_report_stream(arguments->write_baseline);
		code = EXIT_BAD_INPUT;
		if (stream) {
			acceptance_write_baseline(stream, &digest->findings);
			code = close_report_stream(stream, arguments->write_baseline, 0);
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
