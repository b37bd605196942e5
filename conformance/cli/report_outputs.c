/* report_outputs.c - how a check run ends: the findings its baseline and
 * --allow accept, the baseline it writes, the reports it asked for (--format
 * and --output, each --report FORMAT=FILE, colour decided per stream), and
 * the exit code they imply. */
#include <stdlib.h>
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

static int accept_findings(const struct check_arguments *arguments, struct check_report *report)
{
	struct acceptance acceptance = {0};
	struct diagnostic diagnostic;
	int code = EXIT_PASS;
	uint8_t *baseline = NULL;
	size_t size = 0;
	if (arguments->baseline &&
	    (file_contents_read(arguments->baseline, &baseline, &size, &diagnostic) != TDXABI_OK ||
	     acceptance_read_baseline(&acceptance, arguments->baseline, (const char *)baseline, size,
				      &diagnostic) != TDXABI_OK))
		code = cli_error("%s", diagnostic.text);
	for (size_t index = 0; code == EXIT_PASS && index < arguments->allow_count; index++)
		if (acceptance_allow(&acceptance, arguments->allows[index], &diagnostic) != TDXABI_OK)
			code = cli_error("%s", diagnostic.text);
	if (code == EXIT_PASS)
		acceptance_apply(&acceptance, report);
	free(baseline);
	acceptance_free(&acceptance);
	return code;
}

int conclude_check(const struct check_arguments *arguments, struct check_report *report,
		   text_report_writer text, const void *text_context)
{
	if (arguments->write_baseline) {
		FILE *stream = open_report_stream(arguments->write_baseline);
		if (!stream)
			return EXIT_BAD_INPUT;
		acceptance_write_baseline(stream, report);
		int code = close_report_stream(stream, arguments->write_baseline, 0);
		if (code != EXIT_PASS)
			return code;
	}
	int code = accept_findings(arguments, report);
	if (code != EXIT_PASS)
		return code;
	struct report_totals totals = check_report_totals(report);
	for (size_t index = 0; index < arguments->report_count; index++) {
		const struct report_request *request = &arguments->reports[index];
		FILE *stream = open_report_stream(request->path);
		if (!stream)
			return EXIT_BAD_INPUT;
		struct report_options options = {.colour = wants_colour(stream, request->format),
						 .quiet = arguments->quiet,
						 .trace_command = trace_command_write,
						 .trace_context = arguments,
						 .tool_version = TDXABI_VERSION};
		if (request->format == REPORT_TEXT && text)
			text(stream, text_context, report, &options);
		else
			report_write(stream, request->format, report, &options);
		if ((code = close_report_stream(stream, request->path, 0)) != EXIT_PASS)
			return code;
	}
	if (totals.fail)
		return EXIT_VIOLATION;
	if (arguments->reports[0].format == REPORT_KTAP && totals.pass == 0)
		return EXIT_KSELFTEST_SKIP;
	return EXIT_PASS;
}
