/* report.c - format selection: which writer a report goes to. */
#include "report.h"

#include "report_json.h"
#include "report_junit.h"
#include "report_ktap.h"
#include "report_sarif.h"
#include "report_text.h"

#include <errno.h>
#include <string.h>

bool report_format_parse(const char *text, enum report_format *format)
{
	static const struct {
		const char *name;
		enum report_format format;
	} formats[] = {{"text", REPORT_TEXT}, {"json", REPORT_JSON}, {"junit", REPORT_JUNIT},
		     {"sarif", REPORT_SARIF}, {"ktap", REPORT_KTAP}};
	for (size_t index = 0; index < sizeof(formats) / sizeof(formats[0]); index++) {
		if (strcmp(text, formats[index].name) == 0) {
			*format = formats[index].format;
			return true;
		}
	}
	return false;
}

enum tdxabi_status report_session_open(struct report_session *session,
				       const struct report_output *outputs, size_t count,
				       struct diagnostic *diagnostic)
{
	memset(session, 0, sizeof(*session));
	if (count > REPORT_SESSION_MAX_OUTPUTS)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "more than %d reports",
				       REPORT_SESSION_MAX_OUTPUTS);
	session->outputs = outputs;
	session->output_count = count;
	for (size_t index = 0; index < count; index++) {
		if (outputs[index].format == REPORT_JUNIT && !(session->junit_suites[index] = tmpfile()))
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "no temporary file for the JUnit report: %s",
					       strerror(errno));
	}
	return TDXABI_OK;
}

enum tdxabi_status report_session_add(struct report_session *session,
				      const struct check_report *report,
				      struct diagnostic *diagnostic)
{
	for (size_t index = 0; index < session->output_count; index++) {
		const struct report_output *output = &session->outputs[index];
		if (output->format == REPORT_JSON && !session->started)
			report_json_begin(output->stream);
		if (output->format == REPORT_JSON)
			report_json_results(output->stream, report, &output->options,
					    &session->json_written[index]);
		else if (output->format == REPORT_JUNIT)
			report_junit_suites(session->junit_suites[index], report);
	}
	session->started = true;
	return report_digest_add(&session->digest, report, diagnostic);
}

void report_session_finish(struct report_session *session, digest_text_writer text,
			   const void *text_context)
{
	const struct report_digest *digest = &session->digest;
	for (size_t index = 0; index < session->output_count; index++) {
		const struct report_output *output = &session->outputs[index];
		switch (output->format) {
		case REPORT_TEXT:
			if (text)
				text(output->stream, text_context, digest, &output->options);
			else
				report_write_text(output->stream, digest, &output->options);
			break;
		case REPORT_JSON:
			if (!session->started)
				report_json_begin(output->stream);
			report_json_end(output->stream, digest->totals);
			break;
		case REPORT_JUNIT:
			report_junit_write(output->stream, digest, session->junit_suites[index]);
			break;
		case REPORT_SARIF: report_write_sarif(output->stream, digest, &output->options); break;
		case REPORT_KTAP: report_write_ktap(output->stream, digest); break;
		}
	}
}

void report_session_free(struct report_session *session)
{
	for (size_t index = 0; index < session->output_count; index++)
		if (session->junit_suites[index])
			fclose(session->junit_suites[index]);
	report_digest_free(&session->digest);
	memset(session, 0, sizeof(*session));
}

void report_write(FILE *stream, enum report_format format, const struct check_report *report,
		  const struct report_options *options)
{
	struct report_output output = {.stream = stream, .format = format};
	if (options)
		output.options = *options;
	struct report_session session;
	struct diagnostic diagnostic;
	if (report_session_open(&session, &output, 1, &diagnostic) == TDXABI_OK &&
	    report_session_add(&session, report, &diagnostic) == TDXABI_OK)
		report_session_finish(&session, NULL, NULL);
	else
		fprintf(stream, "(the report could not be written: %s)\n", diagnostic.text);
	report_session_free(&session);
}
