/* report.h - writes a check run's reports in the formats of the CLI
 * contract: readable text, JSON (schema of DESIGN.md), JUnit XML, SARIF
 * 2.1.0 and KTAP, while the run goes (a session takes each stub's results
 * as they come), and how a report looks (colour, quiet, the trace command of
 * a failing case). The CLI owns the streams. */
#ifndef TDXABI_REPORT_H
#define TDXABI_REPORT_H

#include <stdio.h>

#include "check_result.h"
#include "report_digest.h"

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_JUNIT, REPORT_SARIF, REPORT_KTAP };

/* Writes the command that traces the case of result ("" when none can). */
typedef void (*trace_command_writer)(const void *context, const struct check_result *result,
				      char *text, size_t size);

struct report_options {
	bool colour;                        /* text: ANSI colours */
	bool quiet;                         /* text: failures and the summary only */
	trace_command_writer trace_command; /* NULL: no trace command is shown */
	const void *trace_context;
	const char *tool_version; /* SARIF's driver version; NULL: none */
};

bool report_format_parse(const char *text, enum report_format *format);

#define REPORT_SESSION_MAX_OUTPUTS 8

struct report_output {
	FILE *stream;
	enum report_format format;
	struct report_options options;
};

/* Writes a text report from the digest in place of the generic one (the
 * --linux table). */
typedef void (*digest_text_writer)(FILE *stream, const void *context,
				   const struct report_digest *digest,
				   const struct report_options *options);

struct report_session {
	const struct report_output *outputs;
	size_t output_count;
	FILE *junit_suites[REPORT_SESSION_MAX_OUTPUTS]; /* a temporary file per JUnit output */
	size_t json_written[REPORT_SESSION_MAX_OUTPUTS];
	bool started; /* results came: what a document starts with is written */
	struct report_digest digest;
};

/* Opens a session over the outputs, which must outlive it; nothing is
 * written before the first results (a run that fails first writes nothing). */
enum tdxabi_status report_session_open(struct report_session *session,
				       const struct report_output *outputs, size_t count,
				       struct diagnostic *diagnostic);
/* Writes and folds in results: whole stub runs, as stub_check_run appends them. */
enum tdxabi_status report_session_add(struct report_session *session,
				      const struct check_report *report,
				      struct diagnostic *diagnostic);
/* Writes what each output ends with (text: the generic report unless text
 * is given). */
void report_session_finish(struct report_session *session, digest_text_writer text,
			   const void *text_context);
void report_session_free(struct report_session *session);

/* One report, whole: a session of one output and one add. */
void report_write(FILE *stream, enum report_format format, const struct check_report *report,
		  const struct report_options *options);

#endif
